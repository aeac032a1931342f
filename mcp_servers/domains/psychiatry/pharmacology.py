"""Psychotropic safety rules: clozapine ANC monitoring, antipsychotic QTc, serotonin toxicity versus NMS.

Each rule is a pure function of the numbers and findings a record shows, so the assisted tool and a clinician
applying the table by hand reach the same answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, Field

CLOZAPINE_LABEL = (
    "Clozaril (clozapine) US prescribing information, ANC monitoring tables for the general population and for "
    "benign ethnic neutropenia (BEN) (HLS Therapeutics; the FDA ended the Clozapine REMS in 2025, the label's ANC "
    "monitoring recommendations stand)"
)
AHA_QT = (
    "Drew BJ et al. Prevention of torsade de pointes in hospital settings. AHA/ACCF scientific statement. "
    "Circulation 2010;121:1047-60"
)
HUNTER = "Dunkley EJ et al. The Hunter Serotonin Toxicity Criteria. QJM 2003;96:635-42"
NMS_SOURCE = (
    "Gurrera RJ et al. An international consensus study of neuroleptic malignant syndrome diagnostic criteria. "
    "J Clin Psychiatry 2011;72:1222-8; DSM-5-TR (medication-induced movement disorders)"
)

AncCategory = Literal[
    "normal_range", "mild_neutropenia", "moderate_neutropenia", "severe_neutropenia", "ben_neutropenia"
]
ANC_CATEGORIES: tuple[str, ...] = AncCategory.__args__  # type: ignore[attr-defined]
ANC_ACTIONS = ("continue", "interrupt", "interrupt_no_rechallenge")
ANC_MONITORING = ("weekly", "every_2_weeks", "monthly", "three_times_weekly", "daily")

ANC_TABLE: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "general": (
        (">= 1500/uL", "normal_range", "continue", "weekly for months 0-6, every 2 weeks for months 6-12, monthly "
         "after 12 months"),
        ("1000-1499/uL", "mild_neutropenia", "continue", "three times weekly until ANC >= 1500, then back to the "
         "last normal-range interval"),
        ("500-999/uL", "moderate_neutropenia", "interrupt", "daily until ANC >= 1000, then three times weekly until "
         ">= 1500; hematology consultation; resume once ANC >= 1000"),
        ("< 500/uL", "severe_neutropenia", "interrupt_no_rechallenge", "daily until ANC >= 1000, then three times "
         "weekly until >= 1500; do not rechallenge unless the benefit outweighs the risk"),
    ),
    "ben": (
        (">= 1000/uL", "normal_range", "continue", "weekly for months 0-6, every 2 weeks for months 6-12, monthly "
         "after 12 months"),
        ("500-999/uL", "ben_neutropenia", "continue", "three times weekly until ANC >= 1000 or the patient's "
         "baseline; hematology consultation"),
        ("< 500/uL", "severe_neutropenia", "interrupt_no_rechallenge", "daily until ANC >= 500, then three times "
         "weekly until the patient's baseline; do not rechallenge unless the benefit outweighs the risk"),
    ),
}  # fmt: skip
"""Population -> (ANC range, category, action, monitoring) rows, as the label's tables print them."""


class AncAdvice(BaseModel):
    anc_per_ul: float
    population: str
    months_on_clozapine: float
    category: str
    action: str
    monitoring: str
    rule: str
    source: str = CLOZAPINE_LABEL


def normal_range_interval(months: float) -> str:
    """Weekly from initiation to 6 months, every 2 weeks from 6 to 12 months, monthly after 12 months."""
    return "weekly" if months < 6 else "every_2_weeks" if months <= 12 else "monthly"


def clozapine_anc(anc_per_ul: float, months_on_clozapine: float, ben: bool) -> AncAdvice:
    """The label's category, action and ANC monitoring frequency for one ANC result."""
    population = "ben" if ben else "general"
    if ben:
        row = 0 if anc_per_ul >= 1000 else 1 if anc_per_ul >= 500 else 2
    else:
        row = 0 if anc_per_ul >= 1500 else 1 if anc_per_ul >= 1000 else 2 if anc_per_ul >= 500 else 3
    rng, category, action, text = ANC_TABLE[population][row]
    if category == "normal_range":
        monitoring = normal_range_interval(months_on_clozapine)
    elif action == "continue":
        monitoring = "three_times_weekly"
    else:
        monitoring = "daily"
    return AncAdvice(
        anc_per_ul=anc_per_ul, population=population, months_on_clozapine=months_on_clozapine, category=category,
        action=action, monitoring=monitoring, rule=f"{population} population, ANC {rng}: {action}; {text}",
    )  # fmt: skip


# --- QTc ---------------------------------------------------------------------------------------------------------

QTC_CATEGORIES = ("normal", "prolonged", "high_risk")


def prolonged_cutoff(sex: str) -> int:
    """QTc above 470 ms (men) or 480 ms (women), the 99th percentile, is prolonged (Drew 2010)."""
    return 480 if sex == "female" else 470


def fridericia(qt_ms: float, heart_rate_bpm: float) -> float:
    """QTc = QT / RR^(1/3), RR in seconds (Fridericia 1920); preferred over Bazett at high heart rates."""
    if heart_rate_bpm <= 0 or qt_ms <= 0:
        raise ValueError(f"qt_ms and heart_rate_bpm must be positive, got {qt_ms}, {heart_rate_bpm}")
    return qt_ms / (60.0 / heart_rate_bpm) ** (1 / 3)


class QtcAssessment(BaseModel):
    qt_ms: float
    heart_rate_bpm: float
    qtc_ms: float = Field(description="Fridericia-corrected QT, rounded to 0.1 ms.")
    baseline_qtc_ms: float
    change_ms: float
    category: str
    rule: str
    source: str = AHA_QT


def qtc_category(qtc: float, baseline: float, sex: str) -> str:
    """High risk: QTc > 500 ms or a rise of more than 60 ms from baseline; prolonged: above the sex-specific 99th
    percentile (470 ms men, 480 ms women); otherwise normal (Drew 2010)."""
    if qtc > 500 or qtc - baseline > 60:
        return "high_risk"
    return "prolonged" if qtc > prolonged_cutoff(sex) else "normal"


def assess_qtc(qt_ms: float, heart_rate_bpm: float, baseline_qtc_ms: float, sex: str) -> QtcAssessment:
    qtc = fridericia(qt_ms, heart_rate_bpm)
    return QtcAssessment(
        qt_ms=qt_ms, heart_rate_bpm=heart_rate_bpm, qtc_ms=round(qtc, 1), baseline_qtc_ms=baseline_qtc_ms,
        change_ms=round(qtc - baseline_qtc_ms, 1), category=qtc_category(qtc, baseline_qtc_ms, sex),
        rule=f"high_risk if QTc > 500 ms or rise > 60 ms; prolonged if QTc > {prolonged_cutoff(sex)} ms ({sex})",
    )  # fmt: skip


# --- serotonin toxicity versus neuroleptic malignant syndrome ------------------------------------------------------

HUNTER_RULES: tuple[tuple[str, str], ...] = (
    ("st_spontaneous_clonus", "spontaneous clonus"),
    ("st_inducible_clonus", "inducible clonus with agitation or diaphoresis"),
    ("st_ocular_clonus", "ocular clonus with agitation or diaphoresis"),
    ("st_tremor_hyperreflexia", "tremor with hyperreflexia"),
    ("st_hypertonia_fever_clonus", "hypertonia, temperature above 38 C, and ocular or inducible clonus"),
)
"""The Hunter decision rules in their published order; the first that holds decides."""
ASSESSMENTS = (*(code for code, _ in HUNTER_RULES), "nms", "neither")
EXAM_SIGNS = (
    "spontaneous_clonus", "inducible_clonus", "ocular_clonus", "agitation", "diaphoresis", "tremor", "hyperreflexia",
    "hypertonia", "lead_pipe_rigidity", "bradyreflexia", "altered_mental_status",
)  # fmt: skip


def hunter_rule(exam: Mapping[str, bool], temperature_c: float) -> str | None:
    """The first Hunter rule the examination meets (the patient must have taken a serotonergic agent)."""
    agit_or_sweat = exam.get("agitation", False) or exam.get("diaphoresis", False)
    tests = (
        exam.get("spontaneous_clonus", False),
        exam.get("inducible_clonus", False) and agit_or_sweat,
        exam.get("ocular_clonus", False) and agit_or_sweat,
        exam.get("tremor", False) and exam.get("hyperreflexia", False),
        exam.get("hypertonia", False) and temperature_c > 38
        and (exam.get("ocular_clonus", False) or exam.get("inducible_clonus", False)),
    )  # fmt: skip
    return next((code for (code, _), hit in zip(HUNTER_RULES, tests, strict=True) if hit), None)


def nms_core(exam: Mapping[str, bool], temperature_c: float, ck_x_uln: float, dopamine_antagonist: bool) -> bool:
    """Core features of NMS (Gurrera 2011; DSM-5-TR): dopamine-antagonist exposure, temperature above 38 C,
    generalised (lead-pipe) rigidity, altered mental status, and CK at least 4 times the upper limit of normal."""
    return (dopamine_antagonist and temperature_c > 38 and exam.get("lead_pipe_rigidity", False)
            and exam.get("altered_mental_status", False) and ck_x_uln >= 4)  # fmt: skip


class ToxicityAssessment(BaseModel):
    assessment: str
    serotonergic_agents: list[str]
    dopamine_antagonists: list[str]
    hunter_rule: str
    nms_core_features: bool
    rule: str
    sources: list[str] = [HUNTER, NMS_SOURCE]


def assess_toxicity(
    exam: Mapping[str, bool], temperature_c: float, ck_x_uln: float, serotonergic: list[str], antagonists: list[str]
) -> ToxicityAssessment:
    """Hunter criteria first (they need a serotonergic agent), then the NMS core features, else neither."""
    rule = hunter_rule(exam, temperature_c) if serotonergic else None
    nms = nms_core(exam, temperature_c, ck_x_uln, bool(antagonists))
    assessment = rule or ("nms" if nms else "neither")
    return ToxicityAssessment(
        assessment=assessment, serotonergic_agents=serotonergic, dopamine_antagonists=antagonists,
        hunter_rule=dict(HUNTER_RULES).get(rule or "", "none met"), nms_core_features=nms,
        rule="Hunter decision rules in order (serotonergic agent required); otherwise NMS if all core features; "
        "otherwise neither",
    )  # fmt: skip


# --- metabolic monitoring of second-generation antipsychotics ------------------------------------------------------

ADA_APA = (
    "American Diabetes Association, American Psychiatric Association, AACE, NAASO. Consensus development conference "
    "on antipsychotic drugs and obesity and diabetes. Diabetes Care 2004;27:596-601"
)
METABOLIC_SCHEDULE: dict[str, str] = {
    "personal_family_history": "baseline, then annually",
    "weight_bmi": "baseline, weeks 4, 8 and 12, then quarterly",
    "waist_circumference": "baseline, then annually",
    "blood_pressure": "baseline, week 12, then annually",
    "fasting_glucose": "baseline, week 12, then annually",
    "fasting_lipids": "baseline, week 12, then every 5 years",
}
"""The consensus monitoring table: measure -> when."""
METABOLIC_MEASURES = tuple(METABOLIC_SCHEDULE)
WEIGHT_GAIN_SWITCH_PERCENT = 5.0
"""A gain of 5% or more of the initial weight at any time: consider switching the antipsychotic (ADA/APA 2004)."""


def metabolic_due(week: int) -> list[str]:
    """Measures due at ``week`` of treatment (0 = baseline). Quarterly is every 13 weeks after week 12, annually every
    52 weeks, every 5 years every 260 weeks (ADA/APA 2004 table)."""
    if week < 0:
        raise ValueError(f"week must be >= 0, got {week}")
    if week == 0:
        return list(METABOLIC_MEASURES)
    quarterly = week in (4, 8, 12) or (week > 12 and week % 13 == 0)
    annual = week % 52 == 0
    due = {
        "personal_family_history": annual,
        "weight_bmi": quarterly,
        "waist_circumference": annual,
        "blood_pressure": week == 12 or annual,
        "fasting_glucose": week == 12 or annual,
        "fasting_lipids": week == 12 or week % 260 == 0,
    }
    return [m for m in METABOLIC_MEASURES if due[m]]


class MetabolicReview(BaseModel):
    weeks_on_treatment: int
    due: list[str]
    weight_gain_percent: float = Field(description="(weight - baseline) / baseline x 100, rounded to 0.1.")
    consider_switch: bool
    rule: str
    source: str = ADA_APA


def metabolic_review(week: int, baseline_weight_kg: float, weight_kg: float) -> MetabolicReview:
    """The measures due this visit and whether weight gain calls for considering a switch."""
    if baseline_weight_kg <= 0:
        raise ValueError(f"baseline_weight_kg must be positive, got {baseline_weight_kg}")
    gain = (weight_kg - baseline_weight_kg) / baseline_weight_kg * 100
    return MetabolicReview(
        weeks_on_treatment=week, due=metabolic_due(week), weight_gain_percent=round(gain, 1),
        consider_switch=gain >= WEIGHT_GAIN_SWITCH_PERCENT,
        rule="; ".join(f"{m}: {w}" for m, w in METABOLIC_SCHEDULE.items())
        + f"; gain >= {WEIGHT_GAIN_SWITCH_PERCENT:g}% of initial weight: consider switching",
    )  # fmt: skip


# --- lithium -------------------------------------------------------------------------------------------------------

NICE_LITHIUM = (
    "NICE CG185 Bipolar disorder: assessment and management (2014, updated 2023), recommendations on lithium "
    "levels and monitoring"
)
BNF_LITHIUM = "British National Formulary, lithium: interactions and toxicity"
LITHIUM_RAISERS: dict[str, str] = {
    "lisinopril": "ACE inhibitor", "ramipril": "ACE inhibitor", "enalapril": "ACE inhibitor",
    "losartan": "angiotensin-II receptor blocker", "candesartan": "angiotensin-II receptor blocker",
    "bendroflumethiazide": "thiazide diuretic", "hydrochlorothiazide": "thiazide diuretic",
    "furosemide": "loop diuretic", "ibuprofen": "NSAID", "naproxen": "NSAID", "diclofenac": "NSAID",
}  # fmt: skip
"""Drugs that raise the lithium level (reduced renal lithium clearance), with their class (NICE CG185; BNF)."""
LITHIUM_NEUTRAL = ("amlodipine", "metformin", "atorvastatin", "paracetamol", "levothyroxine", "omeprazole",
                   "sertraline", "salbutamol")  # fmt: skip
LITHIUM_BANDS = ("below_target", "target", "upper_target", "above_target", "toxic")
OLDER_AGE = 65
"""'Older people' of NICE's 3-monthly group, by the convention used here (NICE gives no age)."""
LOW_EGFR = 60
"""eGFR below this (mL/min/1.73 m2, CKD stage 3 or worse) puts the patient at risk of impaired renal function."""


def lithium_band(level: float) -> str:
    """NICE CG185: aim for 0.6-0.8 mmol/L (target); 0.8-1.0 for a trial after relapse (upper_target); above 1.0 is
    above every NICE target; above 1.5 mmol/L toxic effects are likely (BNF)."""
    if level < 0.6:
        return "below_target"
    if level < 0.8:
        return "target"
    if level <= 1.0:
        return "upper_target"
    return "above_target" if level <= 1.5 else "toxic"


class LithiumReview(BaseModel):
    level_mmol_l: float
    band: str
    interacting_drugs: list[str]
    monitoring: str = Field(description="every_3_months or every_6_months (plasma level).")
    reasons_for_3_monthly: list[str]
    rule: str
    sources: list[str] = [NICE_LITHIUM, BNF_LITHIUM]


def lithium_review(level: float, months_on_lithium: float, age: int, drugs: list[str], egfr: float,
                   poor_adherence: bool) -> LithiumReview:  # fmt: skip
    """NICE CG185: levels every 3 months in the first year; then every 6 months, or every 3 months for older people,
    people taking interacting drugs, people at risk of impaired renal function, people with poor adherence, and
    people whose last level was 0.8 mmol/L or higher."""
    interacting = [d for d in drugs if d in LITHIUM_RAISERS]
    reasons = [
        reason for reason, hit in (
            ("first year of treatment", months_on_lithium < 12),
            (f"older person (age >= {OLDER_AGE})", age >= OLDER_AGE),
            ("interacting drug", bool(interacting)),
            (f"risk of impaired renal function (eGFR < {LOW_EGFR})", egfr < LOW_EGFR),
            ("poor adherence", poor_adherence),
            ("last level >= 0.8 mmol/L", level >= 0.8),
        ) if hit
    ]  # fmt: skip
    return LithiumReview(
        level_mmol_l=level, band=lithium_band(level), interacting_drugs=interacting,
        monitoring="every_3_months" if reasons else "every_6_months", reasons_for_3_monthly=reasons,
        rule="3-monthly in the first year or with any risk reason, otherwise 6-monthly; bands <0.6, 0.6-0.8, "
        "0.8-1.0, >1.0, >1.5 mmol/L (toxic)",
    )  # fmt: skip
