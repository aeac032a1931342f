"""Hypertensive disorders of pregnancy and their severe features (ACOG Practice Bulletin 222, 2020), with the
magnesium sulfate and acute antihypertensive indications that follow.

- Hypertension: systolic >= 140 or diastolic >= 90 mm Hg on two occasions at least 4 hours apart after 20 weeks
  (Box 1). Severe range: systolic >= 160 or diastolic >= 110; it may be confirmed within a short interval to allow
  timely treatment (Box 1); this gym confirms it with two severe-range readings at least 15 minutes apart, the
  persistence ACOG Committee Opinion 767 asks before treating within 30-60 minutes.
- Proteinuria: >= 300 mg per 24 h, or protein/creatinine ratio >= 0.3 mg/mg, or dipstick 2+ only when no
  quantitative measure is available (Box 1).
- Severe features (Box 2): severe-range blood pressure, platelets < 100 x 10^9/L, transaminases at least twice the
  upper limit of normal, severe persistent right upper quadrant or epigastric pain, creatinine > 1.1 mg/dL,
  pulmonary oedema, new headache unresponsive to medication, visual disturbances.
- Preeclampsia: new hypertension with proteinuria, or without proteinuria with a new end-organ feature
  (thrombocytopenia, renal insufficiency, impaired liver function, pulmonary oedema, cerebral or visual symptoms).
  Gestational hypertension with severe-range pressures is managed as preeclampsia with severe features.
- Chronic hypertension: known before pregnancy or before 20 weeks; superimposed preeclampsia when new proteinuria or
  an end-organ severe feature appears (with severe features when any Box 2 feature is present). Severe-range
  pressure alone in chronic hypertension stays chronic hypertension here (treated acutely); ACOG PB 203 leaves its
  reading to the escalation of therapy, which the record does not hold, so no case is generated there.
- Magnesium sulfate for seizure prophylaxis with severe features (PB 222); acute antihypertensive therapy for
  confirmed severe-range pressure (CO 767).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SOURCE = "ACOG Practice Bulletin 222. Gestational hypertension and preeclampsia. Obstet Gynecol 2020;135:e237-60"
ACUTE_SOURCE = "ACOG Committee Opinion 767. Emergent therapy for acute-onset, severe hypertension during pregnancy " \
    "and the postpartum period. Obstet Gynecol 2019;133:e174-80"  # fmt: skip
CATEGORIES = (
    "no_hypertensive_disorder", "gestational_hypertension", "severe_gestational_hypertension",
    "preeclampsia_without_severe_features", "preeclampsia_with_severe_features", "chronic_hypertension",
    "superimposed_preeclampsia", "superimposed_preeclampsia_with_severe_features",
)  # fmt: skip
SEVERE_FEATURES = (
    "severe_range_bp", "thrombocytopenia", "transaminases_2x_uln", "ruq_epigastric_pain", "renal_insufficiency",
    "pulmonary_edema", "headache_unresponsive", "visual_disturbance",
)  # fmt: skip
SYMPTOMS = ("ruq_epigastric_pain", "pulmonary_edema", "headache_unresponsive", "visual_disturbance")
MAGNESIUM_CATEGORIES = frozenset({"severe_gestational_hypertension", "preeclampsia_with_severe_features",
                                  "superimposed_preeclampsia_with_severe_features"})  # fmt: skip
HYPERTENSION_GAP_MIN = 240
SEVERE_GAP_MIN = 15
PLATELETS_LT = 100
CREATININE_GT = 1.1
UPCR_GE = 0.3
PROTEIN_24H_GE = 300


@dataclass(frozen=True)
class Reading:
    minute: int
    """Minutes from the first reading of the record."""
    systolic: int
    diastolic: int

    @property
    def elevated(self) -> bool:
        return self.systolic >= 140 or self.diastolic >= 90

    @property
    def severe(self) -> bool:
        return self.systolic >= 160 or self.diastolic >= 110


@dataclass(frozen=True)
class Findings:
    """What the classification reads: gestational age, history, readings, urine protein, labs and symptoms."""

    ga_days: int
    chronic_hypertension: bool
    readings: tuple[Reading, ...]
    upcr: float | None
    """Urine protein/creatinine ratio, mg/mg; None when not measured."""
    protein_24h_mg: float | None
    dipstick: str
    """'negative', 'trace', '1+', '2+', '3+'."""
    platelets: float
    ast: float
    alt: float
    transaminase_uln: float
    creatinine: float
    symptoms: tuple[str, ...]


@dataclass(frozen=True)
class HypertensionResult:
    category: str
    severe_features: tuple[str, ...]
    proteinuria: bool
    magnesium_indicated: bool
    acute_antihypertensive: bool
    reasons: tuple[str, ...]


def _apart(readings: Sequence[Reading], which: str, gap: int) -> bool:
    hits = [r.minute for r in readings if getattr(r, which)]
    return bool(hits) and max(hits) - min(hits) >= gap


def hypertensive(readings: Sequence[Reading]) -> bool:
    """Two readings >= 140/90 at least 4 h apart, or severe range confirmed 15 min apart (PB 222 Box 1)."""
    return _apart(readings, "elevated", HYPERTENSION_GAP_MIN) or severe_range(readings)


def severe_range(readings: Sequence[Reading]) -> bool:
    """Two readings >= 160 systolic or >= 110 diastolic at least 15 minutes apart (CO 767 persistence)."""
    return _apart(readings, "severe", SEVERE_GAP_MIN)


def proteinuria(upcr: float | None, protein_24h_mg: float | None, dipstick: str) -> bool:
    """PB 222 Box 1: 24 h protein >= 300 mg or P/C ratio >= 0.3, or dipstick 2+ when neither is available."""
    if upcr is None and protein_24h_mg is None:
        return dipstick in ("2+", "3+")
    return (upcr is not None and upcr >= UPCR_GE) or (protein_24h_mg is not None and protein_24h_mg >= PROTEIN_24H_GE)


def severe_features(f: Findings) -> tuple[str, ...]:
    """The Box 2 severe features present, in the Box's order."""
    found = {
        "severe_range_bp": severe_range(f.readings),
        "thrombocytopenia": f.platelets < PLATELETS_LT,
        "transaminases_2x_uln": max(f.ast, f.alt) >= 2 * f.transaminase_uln,
        "renal_insufficiency": f.creatinine > CREATININE_GT,
    } | {s: s in f.symptoms for s in SYMPTOMS}
    return tuple(k for k in SEVERE_FEATURES if found[k])


def classify(f: Findings) -> HypertensionResult:
    """The PB 222 category, severe features, and the magnesium and acute-treatment indications."""
    if f.ga_days < 140 and not f.chronic_hypertension:
        raise ValueError(f"ga_days {f.ga_days}: new hypertension before 20 weeks is chronic; give chronic_hypertension")
    features = severe_features(f)
    organ = [s for s in features if s != "severe_range_bp"]
    protein = proteinuria(f.upcr, f.protein_24h_mg, f.dipstick)
    htn = hypertensive(f.readings)
    if f.chronic_hypertension:
        if protein or organ:
            category = "superimposed_preeclampsia_with_severe_features" if features else "superimposed_preeclampsia"
        else:
            category = "chronic_hypertension"
    elif not htn:
        category = "no_hypertensive_disorder"
    elif protein or organ:
        category = "preeclampsia_with_severe_features" if features else "preeclampsia_without_severe_features"
    else:
        category = "severe_gestational_hypertension" if features else "gestational_hypertension"
    bp = ", ".join(f"{r.systolic}/{r.diastolic} at {r.minute} min" for r in f.readings)
    reasons = (
        f"readings {bp}: {'hypertension' if htn else 'no confirmed hypertension'}"
        f"{', severe range confirmed' if 'severe_range_bp' in features else ''}",
        f"proteinuria {'present' if protein else 'absent'} (P/C {f.upcr}, 24 h {f.protein_24h_mg} mg, dipstick "
        f"{f.dipstick})",
        f"severe features: {', '.join(features) or 'none'}",
        f"{'chronic hypertension; ' if f.chronic_hypertension else ''}-> {category} ({SOURCE})",
    )
    return HypertensionResult(category, features, protein, category in MAGNESIUM_CATEGORIES,
                              "severe_range_bp" in features, reasons)  # fmt: skip
