"""Records generated with known truth: ``build_case(split, seed, index)`` draws the encounter behind a case id.

The task kind cycles with the index (``KIND_CYCLE``) and the tier alternates every cycle. Each record is drawn for a
target taken in rotation (``TARGETS``): an ACOG re-dating row and basis, a GDM outcome by approach and criteria, a
hypertensive-disorder category, a magnesium action, an anti-D decision, a GBS agent by its indication path, or an
admission's hypertension category with a GBS path. Values are drawn near the rules' thresholds and the record is kept
only when ``assessment.assess`` gives the target, so every gold answer is the rule's answer on what the tools show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np

from healthgym.mcp_servers.clinic import case_rng
from healthgym.mcp_servers.clinic.ids import decode_case_id, encode_case_id
from healthgym.mcp_servers.domains.obstetrics import dating, fhr, hemorrhage, hypertension
from healthgym.mcp_servers.domains.obstetrics.assessment import Assessment, assess
from healthgym.mcp_servers.domains.obstetrics.models import (
    AntenatalTesting,
    BpReading,
    CervicalExam,
    Dating,
    Delivery,
    GbsStatus,
    GlucoseTesting,
    Labor,
    Labs,
    MagnesiumInfusion,
    Patient,
    PostpartumBleeding,
    Record,
    Tracing,
    Vitals,
    WeighedItem,
)
from healthgym.schemas import Split

DOMAIN = "obstetrics"
PREFIX = "OB"
KIND_CYCLE = ("dating", "gdm", "hypertension", "magnesium", "anti_d", "gbs", "fhr", "pph", "bpp", "admission",
              "admission")
MAX_TRIES = 600
ROW_SPANS = {"le_8w6d": (42, 62), "9w0d_13w6d": (63, 97), "14w0d_15w6d": (98, 111), "16w0d_21w6d": (112, 153),
             "22w0d_27w6d": (154, 195), "ge_28w0d": (196, 250)}  # fmt: skip
"""LMP gestational age (days) at the scan drawn for each ACOG CO 700 row."""
GBS_PATHS = ("negative_culture_with_risk", "unknown_no_risk", "planned_cesarean", "positive_culture",
             "unknown_preterm", "low_risk_allergy", "high_risk_allergy_susceptible", "high_risk_allergy_resistant",
             "bacteriuria", "unknown_rom_or_fever")  # fmt: skip
GBS_AGENT_OF_PATH = {"negative_culture_with_risk": "none", "unknown_no_risk": "none", "planned_cesarean": "none",
                     "positive_culture": "penicillin_g", "unknown_preterm": "penicillin_g",
                     "low_risk_allergy": "cefazolin", "high_risk_allergy_susceptible": "clindamycin",
                     "high_risk_allergy_resistant": "vancomycin", "bacteriuria": "penicillin_g",
                     "unknown_rom_or_fever": "penicillin_g"}  # fmt: skip
ADMISSION_HTN = ("no_hypertensive_disorder", "gestational_hypertension", "preeclampsia_with_severe_features",
                 "preeclampsia_without_severe_features", "severe_gestational_hypertension", "chronic_hypertension")
TARGETS: dict[str, tuple[str, ...]] = {
    "dating": tuple(f"{row}|{basis}" for row in dating.ROW_CODES for basis in ("lmp", "ultrasound")),
    "gdm": ("one_step|gdm", "two_step|screen_negative", "carpenter_coustan|gdm", "nddg|no_gdm", "one_step|no_gdm",
            "two_step|ogtt_needed", "nddg|gdm", "carpenter_coustan|no_gdm", "carpenter_coustan|gdm"),
    "hypertension": (*hypertension.CATEGORIES, "preeclampsia_with_severe_features",
                     "superimposed_preeclampsia_with_severe_features"),
    "magnesium": ("continue", "stop|absent_patellar_reflexes", "reduce_rate_check_level",
                  "stop|respiratory_depression", "continue", "stop|serum_level_above_therapeutic",
                  "reduce_rate_check_level", "stop|multiple", "continue", "reduce_rate_check_level"),
    "anti_d": ("indicated|kb", "not_indicated_mother_rh_positive", "indicated|screen_negative",
               "not_indicated_infant_rh_negative", "indicated|kb", "not_indicated_alloimmunized", "indicated|kb",
               "not_indicated_mother_rh_positive"),
    "gbs": GBS_PATHS,
    "fhr": ("I|none", "II|recurrent_late", "III|late", "I|early", "II|variable", "III|variable", "II|tachycardia",
            "III|bradycardia", "II|prolonged", "II|minimal", "I|accelerations", "III|late", "II|marked", "I|early",
            "III|variable", "II|absent_no_decels"),
    "pph": ("stage_0", "stage_1|volume", "stage_2", "stage_3|volume", "stage_1|vitals", "stage_3|rbc", "stage_2",
            "stage_0", "stage_1|volume", "stage_3|rbc"),
    "bpp": ("10|", "8|nst", "6|preterm", "8|oligo", "4|", "6|term", "8|breathing", "6|oligo", "2|", "10|", "8|tone",
            "6|preterm", "8|movement", "6|term"),
    "admission": tuple(f"{h}|{g}" for i, h in enumerate(ADMISSION_HTN)
                       for g in (GBS_PATHS[i % 10], GBS_PATHS[(i + 3) % 10], GBS_PATHS[(i + 7) % 10])),
}  # fmt: skip
"""What each kind's records are drawn for, in rotation, so that no answer is common enough for a prior to score."""
SYMPTOM_DISTRACTORS = ("nausea", "leg_swelling", "mild_headache_relieved_by_acetaminophen", "heartburn",
                       "reduced_sleep")  # fmt: skip


@dataclass(frozen=True)
class Plan:
    kind: str
    tier: str
    target: str


@dataclass(frozen=True)
class Case:
    plan: Plan
    record: Record
    assessment: Assessment


def case_id(split: Split, seed: int, index: int) -> str:
    return encode_case_id(PREFIX, DOMAIN, split, seed, index)


def parse_case_id(case_ref: str) -> tuple[Split, int, int]:
    """``(split, seed, index)`` of a case id; ``ValueError`` naming the id when it is not one."""
    return decode_case_id(PREFIX, DOMAIN, case_ref)


def plan(index: int) -> Plan:
    kind = KIND_CYCLE[index % len(KIND_CYCLE)]
    cycle = index // len(KIND_CYCLE)
    tier = "unassisted" if cycle % 2 else "assisted"
    slot = cycle // 2
    if kind == "admission":
        slot = 2 * slot + (index % len(KIND_CYCLE) == len(KIND_CYCLE) - 1)
    return Plan(kind, tier, TARGETS[kind][slot % len(TARGETS[kind])])


# --- drawing -----------------------------------------------------------------------------------------------------


def _int(rng: np.random.Generator, lo: int, hi: int) -> int:
    """Uniform integer in [lo, hi]."""
    return int(rng.integers(lo, hi + 1))


def _pick(rng: np.random.Generator, options: tuple[Any, ...] | list[Any]) -> Any:
    return options[int(rng.integers(len(options)))]


def _patient(rng: np.random.Generator, **kw: Any) -> Patient:
    term, preterm, abortions = _int(rng, 0, 3), int(rng.random() < 0.2), _int(rng, 0, 2)
    base: dict[str, Any] = {"chronic_hypertension": False, "previous_infant_gbs": False, "penicillin_allergy": "none"}
    return Patient(age=_int(rng, 17, 44), gravida=1 + term + preterm + abortions, term=term, preterm=preterm,
                   abortions=abortions, living=term + preterm - int(rng.random() < 0.05 and term > 0),
                   **base | kw)  # fmt: skip


def _crl_for(ga_days: int) -> float | None:
    """A CRL (0.1 mm) that the Robinson formula turns into ``ga_days``, or None outside the CRL range."""
    guess = ((ga_days - 23.73) / 8.052) ** 2
    for step in range(-15, 16):
        crl = round(guess + step / 10, 1)
        lo, hi = dating.CRL_RANGE_MM
        if lo <= crl <= hi and dating.crl_gestational_age_days(crl) == ga_days:
            return crl
    return None


def _dating(rng: np.random.Generator, encounter: date, ga_days: int, row: str | None = None,
            basis: str | None = None) -> Dating | None:
    """Dating data whose ACOG CO 700 reading puts the encounter at ``ga_days`` (None when the draw fails)."""
    rows = [r for r in dating.ROW_CODES if ROW_SPANS[r][0] < ga_days - 10]
    row = row or _pick(rng, rows)
    lo, hi = ROW_SPANS[row]
    hi = min(hi, ga_days - 10)
    if hi < lo:
        return None
    lmp_ga = _int(rng, lo, hi)
    limit = dict((r[0], r[3]) for r in dating.ROWS)[row]
    basis = basis or _pick(rng, ("lmp", "ultrasound"))
    if basis == "lmp":
        diff = limit if rng.random() < 0.25 else _int(rng, 0, limit)
    else:
        diff = limit + 1 if rng.random() < 0.25 else _int(rng, limit + 1, limit + 12)
    us_ga = lmp_ga + diff * (1 if rng.random() < 0.5 else -1)
    crl = None
    if row in ("le_8w6d", "9w0d_13w6d"):
        crl = _crl_for(us_ga)
        if crl is None:
            return None
    edd = encounter + timedelta(days=280 - ga_days)
    scan = edd - timedelta(days=280 - (lmp_ga if basis == "lmp" else us_ga))
    lmp = scan - timedelta(days=lmp_ga)
    return Dating(lmp=lmp.isoformat(), scan_date=scan.isoformat(), scan_method="crl" if crl else "biometry",
                  crl_mm=crl, biometry_ga_days=None if crl else us_ga)  # fmt: skip


def _encounter(rng: np.random.Generator) -> date:
    return date(2025, 1, 6) + timedelta(days=_int(rng, 0, 700))


def _readings(rng: np.random.Generator, pattern: str) -> list[BpReading]:
    """A blood-pressure series: 'normal' (no confirmed hypertension; near misses), 'htn' (two readings >= 140/90 at
    least 4 h apart, no confirmed severe range) or 'severe' (two severe-range readings >= 15 min apart)."""
    n = _int(rng, 3, 5)
    minutes = sorted({0, *(_int(rng, 5, 480) for _ in range(n - 1))})
    out = []
    for m in minutes:
        out.append((m, _int(rng, 108, 138), _int(rng, 62, 88)))
    if pattern == "normal":
        choice = rng.random()
        if choice < 0.4:  # one elevated reading, or two less than 4 h apart
            first = _int(rng, 0, len(out) - 1)
            m = out[first][0]
            out[first] = (m, _int(rng, 140, 158), _int(rng, 85, 104))
            close = [i for i, r in enumerate(out) if i != first and 0 < abs(r[0] - m) < 240]
            if close and rng.random() < 0.5:
                j = close[0]
                out[j] = (out[j][0], _int(rng, 140, 155), _int(rng, 80, 99))
        elif choice < 0.55:  # one severe reading not confirmed
            first = _int(rng, 0, len(out) - 1)
            out[first] = (out[first][0], _int(rng, 160, 170), _int(rng, 95, 108))
            out = [r for i, r in enumerate(out) if i == first or abs(r[0] - out[first][0]) >= 15]
    elif pattern == "htn":
        a, b = 0, _int(rng, 240, 420)
        out = [r for r in out if r[0] not in (a, b)]
        out += [(a, _int(rng, 140, 158), _int(rng, 80, 104)), (b, _int(rng, 138, 158), _int(rng, 90, 104))]
        if rng.random() < 0.3:  # a lone severe reading, not confirmed
            m = b + _int(rng, 20, 90)
            out.append((m, _int(rng, 160, 168), _int(rng, 96, 108)))
            out = [r for r in out if r[0] == m or abs(r[0] - m) >= 15]
    else:
        a = _int(rng, 0, 200)
        b = a + (15 if rng.random() < 0.3 else _int(rng, 15, 60))
        out = [r for r in out if abs(r[0] - a) >= 15 and abs(r[0] - b) >= 15]
        out += [(a, _int(rng, 150, 185), _int(rng, 100, 120)), (b, _int(rng, 158, 182), _int(rng, 104, 118))]
        out = [(m, s, d) if (m, s, d) in out[-2:] or s < 160 and d < 110 else (m, 150, 96) for m, s, d in out]
    out.sort()
    start = out[0][0]
    return [BpReading(minute=m - start, systolic=s, diastolic=d) for m, s, d in out]


def _labs(rng: np.random.Generator, protein: bool, organ: set[str]) -> Labs:
    uln = float(_pick(rng, (35, 40, 45)))
    route = _pick(rng, ("upcr", "upcr", "24h", "dipstick"))
    upcr = p24 = None
    if route == "upcr":
        upcr = round(float(rng.uniform(0.3, 2.5) if protein else rng.uniform(0.05, 0.29)), 2)
        if rng.random() < 0.2:
            upcr = 0.3 if protein else 0.29
    elif route == "24h":
        p24 = float(_int(rng, 300, 3000) if protein else _int(rng, 80, 299))
    if route == "dipstick":
        dip = _pick(rng, ("2+", "3+")) if protein else _pick(rng, ("negative", "trace", "1+"))
    else:  # a quantitative measure decides; the dipstick may disagree
        dip = _pick(rng, ("negative", "trace", "1+", "2+"))
    high_ast = "transaminases_2x_uln" in organ
    ast = float(_int(rng, int(2 * uln), int(6 * uln)) if high_ast else _int(rng, 12, int(2 * uln) - 1))
    if high_ast and rng.random() < 0.2:
        ast = 2 * uln
    return Labs(
        platelets=float(_int(rng, 45, 99) if "thrombocytopenia" in organ else _int(rng, 100, 340)),
        hemoglobin=round(float(rng.uniform(9.5, 13.5)), 1), ast=ast, alt=float(_int(rng, 10, int(ast))),
        transaminase_uln=uln,
        creatinine=round(float(rng.uniform(1.11, 2.0) if "renal_insufficiency" in organ else rng.uniform(0.4, 1.1)), 2),
        urine_protein_creatinine_ratio=upcr, urine_protein_24h_mg=p24, urine_dipstick_protein=dip,
    )  # fmt: skip


_HTN_SHAPES: dict[str, list[tuple[bool, str, bool, int]]] = {
    # category: [(chronic, bp pattern, proteinuria, organ features)]
    "no_hypertensive_disorder": [(False, "normal", False, 0)],
    "gestational_hypertension": [(False, "htn", False, 0)],
    "severe_gestational_hypertension": [(False, "severe", False, 0)],
    "preeclampsia_without_severe_features": [(False, "htn", True, 0)],
    "preeclampsia_with_severe_features": [(False, "severe", True, 0), (False, "htn", True, 1), (False, "htn", False, 1),
                                          (False, "severe", False, 2), (False, "htn", True, 2)],
    "chronic_hypertension": [(True, "htn", False, 0), (True, "normal", False, 0)],
    "superimposed_preeclampsia": [(True, "htn", True, 0)],
    "superimposed_preeclampsia_with_severe_features": [(True, "severe", True, 0), (True, "htn", True, 1),
                                                       (True, "htn", False, 1)],
}  # fmt: skip


_ON_MAGNESIUM: list[tuple[bool, str, bool, int]] = [(False, "severe", True, 1), (False, "htn", True, 2),
                                                    (False, "severe", False, 2), (False, "htn", False, 1),
                                                    (False, "htn", True, 1), (False, "severe", True, 0)]
"""Preeclampsia with severe features as drawn for a patient on magnesium: mostly end-organ features."""


def _htn_sections(rng: np.random.Generator, category: str, on_magnesium: bool = False) -> tuple[
        bool, Vitals, Labs, list[str]]:
    chronic, pattern, protein, n_organ = _pick(rng, _ON_MAGNESIUM if on_magnesium else _HTN_SHAPES[category])
    organ = set(rng.choice([f for f in hypertension.SEVERE_FEATURES if f != "severe_range_bp"], n_organ,
                           replace=False).tolist()) if n_organ else set()  # fmt: skip
    symptoms = [s for s in hypertension.SYMPTOMS if s in organ]
    symptoms += [s for s in SYMPTOM_DISTRACTORS if rng.random() < 0.2]
    vitals = Vitals(blood_pressures=_readings(rng, pattern), heart_rate=_int(rng, 68, 108),
                    temperature_c=round(float(rng.uniform(36.4, 37.6)), 1), respiratory_rate=_int(rng, 14, 20))
    return chronic, vitals, _labs(rng, protein, organ), symptoms


def _gbs(rng: np.random.Generator, path: str, encounter: date, ga: int) -> tuple[dict[str, Any], GbsStatus, Labor,
                                                                                float]:
    """Patient fields, GBS status, labour and temperature for a GBS indication path at term (``ga`` >= 259 days;
    preterm for ``unknown_preterm``): a valid culture is taken at >= 36 weeks within 5 weeks."""
    cultured = (encounter - timedelta(days=_int(rng, 3, max(3, min(35, ga - 252))))).isoformat()
    stale = (encounter - timedelta(days=_int(rng, 36, 70) if rng.random() < 0.7 else ga - _int(
        rng, 224, 251))).isoformat()
    patient: dict[str, Any] = {}
    culture, cdate, bacteriuria, naat = "positive", cultured, False, "not_done"
    rom, temp, planned = round(float(rng.uniform(0, 17.5)), 1), round(float(rng.uniform(36.5, 37.9)), 1), False
    allergy, susceptible = "none", _pick(rng, ("yes", "no", "unknown"))
    if path == "negative_culture_with_risk":
        culture, rom = "negative", round(float(rng.uniform(18, 30)), 1)
    elif path == "unknown_no_risk":
        culture, cdate = _pick(rng, (("unknown", ""), ("positive", stale), ("negative", stale)))
        naat = _pick(rng, ("negative", "not_done"))
    elif path == "planned_cesarean":
        culture, rom, planned = _pick(rng, ("positive", "unknown")), 0.0, True
        cdate = cultured if culture == "positive" else ""
    elif path == "unknown_preterm":
        culture, cdate = "unknown", ""
    elif path == "unknown_rom_or_fever":
        culture, cdate = "unknown", ""
        if rng.random() < 0.5:
            rom = round(float(rng.uniform(18, 30)), 1) if rng.random() < 0.7 else 18.0
        else:
            temp = round(float(rng.uniform(38.0, 39.2)), 1)
    elif path == "bacteriuria":
        culture, cdate, bacteriuria = "unknown", "", True
    elif path == "low_risk_allergy":
        allergy = _pick(rng, ("rash_nonurticarial", "gi_upset", "family_history_only"))
    elif path.startswith("high_risk_allergy"):
        allergy = _pick(rng, ("anaphylaxis", "angioedema", "respiratory_distress", "urticaria"))
        susceptible = "yes" if path.endswith("susceptible") else _pick(rng, ("no", "unknown"))
    patient["penicillin_allergy"] = allergy
    status = GbsStatus(culture=culture, culture_date=cdate, bacteriuria_this_pregnancy=bacteriuria,
                       intrapartum_naat=naat, clindamycin_susceptible=susceptible)  # fmt: skip
    labor = Labor(in_labor=not planned, membranes_ruptured_hours=rom, planned_cesarean_no_labor=planned)
    return patient, status, labor, temp


def _draw(rng: np.random.Generator, sid: str, p: Plan) -> Record | None:
    encounter = _encounter(rng)
    kind, target = p.kind, p.target
    common: dict[str, Any] = {"case_id": sid, "encounter_date": encounter.isoformat()}
    if kind == "dating":
        row, basis = target.split("|")
        lo = ROW_SPANS[row][0] + 14
        d = _dating(rng, encounter, _int(rng, max(140, lo), 290), row, basis)
        return d and Record(setting="prenatal_visit", patient=_patient(rng), dating=d, **common)
    if kind == "gdm":
        d = _dating(rng, encounter, _int(rng, 168, 202))
        return d and Record(setting="prenatal_visit", patient=_patient(rng), dating=d, glucose=_glucose(rng, target),
                            **common)  # fmt: skip
    if kind in ("hypertension", "magnesium"):
        category = target if kind == "hypertension" else "preeclampsia_with_severe_features"
        chronic, vitals, labs, symptoms = _htn_sections(rng, category, on_magnesium=kind == "magnesium")
        d = _dating(rng, encounter, _int(rng, 168, 272))
        mag = _magnesium(rng, target) if kind == "magnesium" else None
        return d and Record(setting="antepartum_inpatient", patient=_patient(rng, chronic_hypertension=chronic),
                            dating=d, vitals=vitals, labs=labs, symptoms=symptoms, magnesium=mag, **common)
    if kind == "fhr":
        d = _dating(rng, encounter, _int(rng, 259, 290))
        return d and Record(setting="labor_delivery_admission", patient=_patient(rng), dating=d,
                            tracing=_tracing(rng, target), **common)  # fmt: skip
    if kind == "pph":
        d = _dating(rng, encounter, _int(rng, 252, 290))
        return d and Record(setting="postpartum", patient=_patient(rng), dating=d, bleeding=_bleeding(rng, target),
                            **common)  # fmt: skip
    if kind == "bpp":
        variant = target.split("|")[1]
        ga = _int(rng, 259, 290) if variant == "term" else _int(rng, 224, 258) if variant == "preterm" else _int(
            rng, 224, 290)
        d = _dating(rng, encounter, ga)
        return d and Record(setting="antenatal_testing", patient=_patient(rng), dating=d,
                            antenatal=_antenatal(rng, target), **common)  # fmt: skip
    if kind == "anti_d":
        d = _dating(rng, encounter - timedelta(days=1), _int(rng, 259, 290))
        return d and Record(setting="postpartum", patient=_patient(rng, breastfeeding=bool(rng.random() < 0.7)),
                            dating=d, delivery=_delivery(rng, target, encounter), **common)  # fmt: skip
    htn_target, path = (target.split("|") if kind == "admission" else ("", target))
    ga = _int(rng, 238, 258) if path == "unknown_preterm" else _int(rng, 259, 290)
    extra, status, labor, temp = _gbs(rng, path, encounter, ga)
    d = _dating(rng, encounter, ga)
    if d is None:
        return None
    if kind == "gbs":
        vitals = Vitals(blood_pressures=_readings(rng, "normal"), heart_rate=_int(rng, 70, 110), temperature_c=temp,
                        respiratory_rate=_int(rng, 14, 20))  # fmt: skip
        return Record(setting="labor_delivery_admission", patient=_patient(rng, **extra), dating=d, vitals=vitals,
                      gbs=status, labor=labor, **common)  # fmt: skip
    chronic, vitals, labs, symptoms = _htn_sections(rng, htn_target)
    vitals = vitals.model_copy(update={"temperature_c": temp})
    cervix = CervicalExam(dilation_cm=_int(rng, 0, 7), effacement_percent=10 * _int(rng, 0, 9),
                          station=_int(rng, -3, 2),
                          consistency=_pick(rng, ("firm", "medium", "soft")),
                          position=_pick(rng, ("posterior", "mid", "anterior")))  # fmt: skip
    tracing = _tracing(rng, _pick(rng, TARGETS["fhr"]))  # the admission strip, any NICHD category
    return Record(setting="labor_delivery_admission", patient=_patient(rng, chronic_hypertension=chronic, **extra),
                  dating=d, vitals=vitals, labs=labs, symptoms=symptoms, gbs=status, labor=labor, cervix=cervix,
                  tracing=tracing, **common)


TRACING_S = 1200
"""20 minutes sampled once a second."""


def _tracing(rng: np.random.Generator, target: str) -> Tracing:
    """A tracing drawn for an NICHD category and its defining feature (``TARGETS['fhr']``)."""
    category, feature = target.split("|")
    period = _int(rng, 150, 240)
    first = _int(rng, 60, period)
    peaks = list(range(first, TRACING_S - 90, period))
    baseline = _int(rng, 112, 158)
    amplitude = _int(rng, 8, 22)
    accels: list[fhr.Accel] = []
    decels: list[fhr.Decel] = []
    if category == "III":
        amplitude = 0
    elif category == "II" and feature in ("recurrent_late", "variable", "prolonged", "tachycardia"):
        amplitude = _pick(rng, (_int(rng, 3, 4), _int(rng, 8, 22), _int(rng, 29, 33), 0))
    if feature == "bradycardia":
        baseline = _int(rng, 90, 105)
    elif feature == "tachycardia":
        baseline = _int(rng, 166, 178)
    elif feature == "minimal":
        amplitude = _int(rng, 3, 4)
    elif feature == "marked":
        amplitude = _int(rng, 29, 33)
    elif feature == "absent_no_decels":
        amplitude = 0
    if feature == "accelerations" or (category == "I" and rng.random() < 0.5):
        accels = [fhr.Accel(_int(rng, 0, TRACING_S - 80), _int(rng, 35, 60), _int(rng, 22, 32))
                  for _ in range(_int(rng, 1, 3))]  # fmt: skip
    share = 1.0 if feature in ("late", "variable", "recurrent_late") else 0.0
    if feature == "accelerations" and rng.random() < 0.5:
        feature = "early"
    for p in peaks:
        depth = _int(rng, 20, 45)
        if feature == "early":
            descent = _int(rng, 40, 55)
            decels.append(fhr.Decel(p - descent + _int(rng, -3, 3), descent, _int(rng, 0, 4), _int(rng, 35, 55), depth))
        elif feature in ("late", "recurrent_late") and rng.random() <= share:
            descent = _int(rng, 40, 55)
            onset = p + _int(rng, 20, 35) - descent
            decels.append(fhr.Decel(onset, descent, _int(rng, 0, 5), _int(rng, 35, 55), depth))
        elif feature == "variable" and rng.random() <= share:
            decels.append(fhr.Decel(p + _int(rng, -20, 20), _int(rng, 5, 12), _int(rng, 3, 20), _int(rng, 8, 20),
                                    _int(rng, 25, 55)))  # fmt: skip
    if feature == "prolonged":
        decels = [fhr.Decel(_int(rng, 200, 800), _int(rng, 15, 30), _int(rng, 110, 200), _int(rng, 15, 30),
                            _int(rng, 25, 45))]  # fmt: skip
    series = fhr.synthesize(TRACING_S, baseline, amplitude, float(rng.uniform(0, 2 * np.pi)), accels, decels)
    return Tracing(sample_interval_s=1, fhr_bpm=series, contraction_peaks_s=peaks)


def _glucose(rng: np.random.Generator, target: str) -> GlucoseTesting:
    how, outcome = target.split("|")
    if how == "one_step":
        values = {"fasting": float(_int(rng, 78, 100)), "1h": float(_int(rng, 140, 195)),
                  "2h": float(_int(rng, 120, 165))}  # fmt: skip
        return GlucoseTesting(approach="one_step", ogtt_criteria="iadpsg", ogtt=values)
    threshold = int(_pick(rng, (130, 135, 140)))
    criteria = how if how in ("carpenter_coustan", "nddg") else _pick(rng, ("carpenter_coustan", "nddg"))
    if outcome == "screen_negative":
        gct = float(_int(rng, threshold - 25, threshold - 1))
        return GlucoseTesting(approach="two_step", gct_threshold=threshold, ogtt_criteria=criteria, gct_50g=gct)
    gct = float(threshold if rng.random() < 0.2 else _int(rng, threshold, 199))
    ogtt = None
    if outcome != "ogtt_needed":
        ogtt = {"fasting": float(_int(rng, 85, 112)), "1h": float(_int(rng, 165, 200)),
                "2h": float(_int(rng, 140, 175)), "3h": float(_int(rng, 118, 152))}  # fmt: skip
    return GlucoseTesting(approach="two_step", gct_threshold=threshold, ogtt_criteria=criteria, gct_50g=gct, ogtt=ogtt)


def _magnesium(rng: np.random.Generator, target: str) -> MagnesiumInfusion:
    reflexes, rr, level, urine = _pick(rng, ("present", "diminished")), _int(rng, 12, 20), round(
        float(rng.uniform(4.8, 8.4)), 1), float(_int(rng, 30, 120))
    if rng.random() < 0.2:
        level, rr = 8.4, 12
    if target == "reduce_rate_check_level":
        urine = float(_int(rng, 10, 29))
    elif target.startswith("stop"):
        sign = target.split("|")[1]
        signs = ({"absent_patellar_reflexes", "respiratory_depression", "serum_level_above_therapeutic"}
                 if sign == "multiple" else {sign})  # fmt: skip
        if sign == "multiple":
            signs.discard(_pick(rng, sorted(signs)))
        if "absent_patellar_reflexes" in signs:
            reflexes = "absent"
        if "respiratory_depression" in signs:
            rr = _int(rng, 6, 11)
        if "serum_level_above_therapeutic" in signs:
            level = round(float(rng.uniform(8.5, 12.5)), 1)
        urine = float(_int(rng, 15, 90))
    return MagnesiumInfusion(rate_g_per_h=float(_pick(rng, (1.0, 2.0))), hours_running=round(float(rng.uniform(2, 20)),
                             1), patellar_reflexes=reflexes, respiratory_rate=rr, serum_magnesium_mg_dl=level,
                             urine_output_ml_h=urine)  # fmt: skip


def _delivery(rng: np.random.Generator, target: str, encounter: date) -> Delivery:
    decision, _, how = target.partition("|")
    mother, screen, infant, rosette, kb = "negative", "negative", "positive", "negative", None
    if decision == "not_indicated_mother_rh_positive":
        mother, infant = "positive", _pick(rng, ("positive", "negative"))
        rosette = _pick(rng, ("not_done", "negative"))
    elif decision == "not_indicated_infant_rh_negative":
        infant, rosette = "negative", "not_done"
    elif decision == "not_indicated_alloimmunized":
        screen = "anti_d_alloimmunized"
    elif how == "kb":
        rosette = "positive"
        kb = round(float(rng.uniform(0.2, 3.0)), 2 if rng.random() < 0.5 else 1)
    return Delivery(delivery_date=(encounter - timedelta(days=1)).isoformat(), mode=_pick(rng, ("vaginal", "cesarean")),
                    mother_rh=mother, antibody_screen=screen, infant_rh=infant, fetal_cell_screen=rosette,
                    kleihauer_betke_percent=kb)  # fmt: skip


ITEMS = ("laparotomy sponges", "under-buttocks pads", "chux pads", "4x4 gauze", "perineal pads", "linen")
INDICATIONS = ("post_dates", "fetal_growth_restriction", "decreased_fetal_movement", "chronic_hypertension",
               "pregestational_diabetes", "prior_stillbirth")  # fmt: skip


def _bleeding(rng: np.random.Generator, target: str) -> PostpartumBleeding:
    """Weighed items, canister and vital signs whose CMQCC reading is the target stage (``TARGETS['pph']``)."""
    code, _, how = target.partition("|")
    mode = _pick(rng, ("vaginal", "cesarean"))
    limit = hemorrhage.STAGE1_ML_GT[mode]
    hr, sbp, dbp, spo2 = _int(rng, 72, 108), _int(rng, 96, 134), _int(rng, 52, 84), _int(rng, 95, 100)
    continues, rbc = bool(rng.random() < 0.4), 0
    if code == "stage_0" or how == "vitals":
        qbl = limit if rng.random() < 0.2 else _int(rng, 150, limit)
    elif code == "stage_3" and how == "volume":
        qbl = hemorrhage.STAGE3_ML_GT + 1 if rng.random() < 0.2 else _int(rng, 1501, 3200)
        rbc = _int(rng, 0, 4)
    else:  # above the stage 1 volume; after a vaginal birth mostly below the 1000 mL of the PPH definition
        top = 999 if mode == "vaginal" and rng.random() < 0.75 else 1500
        qbl = limit + 1 if rng.random() < 0.2 else _int(rng, limit + 1, top)
    if how == "vitals":
        trigger = _pick(rng, ("hr", "bp", "spo2"))
        hr = 110 if trigger == "hr" and rng.random() < 0.3 else _int(rng, 110, 135) if trigger == "hr" else hr
        if trigger == "bp":
            sbp, dbp = _int(rng, 72, 85), _int(rng, 38, 50)
        spo2 = _int(rng, 90, 94) if trigger == "spo2" else spo2
        continues = False
    if code == "stage_1":
        continues = False
    elif code == "stage_2":
        continues, rbc = True, _int(rng, 0, 2)
    elif how == "rbc":
        rbc = _int(rng, 3, 4)
    non_blood = _int(rng, 200, 900) if mode == "cesarean" else _int(rng, 0, 300)
    canister_blood = _int(rng, 0, qbl // 2)
    items, left = [], qbl - canister_blood
    for n in range(_int(rng, 2, 5), 0, -1):
        blood = left if n == 1 else _int(rng, 0, left)
        left -= blood
        dry = _int(rng, 20, 300)
        items.append(WeighedItem(item=f"{_pick(rng, ITEMS)} x{_int(rng, 1, 6)}", wet_g=float(dry + blood),
                                 dry_g=float(dry)))  # fmt: skip
    return PostpartumBleeding(mode=mode, minutes_since_birth=_int(rng, 10, 240), weighed_items=items,
                              canister_ml=float(canister_blood + non_blood), canister_non_blood_ml=float(non_blood),
                              heart_rate=hr, systolic=sbp, diastolic=dbp, spo2=spo2, bleeding_continues=continues,
                              rbc_units_given=rbc)  # fmt: skip


def _antenatal(rng: np.random.Generator, target: str) -> AntenatalTesting:
    """BPP observations with the target score and abnormal components (``TARGETS['bpp']``)."""
    total, variant = target.split("|")
    k = (10 - int(total)) // 2
    others = ["nst", "breathing", "movement", "tone"]
    if variant in others:
        bad = {variant}
    elif variant == "oligo":
        bad = {"fluid", *rng.choice(others, k - 1, replace=False).tolist()}
    elif variant in ("term", "preterm"):
        bad = set(rng.choice(others, k, replace=False).tolist())
    else:
        bad = set(rng.choice([*others, "fluid"], k, replace=False).tolist())
    edge = rng.random() < 0.3  # a value at the component's boundary
    dvp = round(float(rng.uniform(0.5, 2.0)), 1) if "fluid" in bad else (2.1 if edge else round(float(
        rng.uniform(2.1, 8.0)), 1))
    afi = round(float(rng.uniform(1.0, 5.0)), 1) if "fluid" in bad else round(float(rng.uniform(max(5.1, dvp), 22.0)),
                                                                              1)
    return AntenatalTesting(
        indication=_pick(rng, INDICATIONS),
        nst_accelerations_20min=_int(rng, 0, 1) if "nst" in bad else (2 if edge else _int(rng, 2, 6)),
        breathing_longest_s=_int(rng, 0, 29) if "breathing" in bad else (30 if edge else _int(rng, 30, 90)),
        body_movements=_int(rng, 0, 2) if "movement" in bad else (3 if edge else _int(rng, 3, 9)),
        tone_episodes=0 if "tone" in bad else _int(rng, 1, 4), dvp_cm=dvp, afi_cm=afi,
    )  # fmt: skip


def achieved(p: Plan, a: Assessment) -> bool:
    """Whether the assessment of a drawn record gives the plan's target."""
    kind, target = p.kind, p.target
    if kind == "dating":
        return target == f"{a.dating.row}|{a.dating.basis}"
    if kind == "gdm":
        how, outcome = target.split("|")
        assert a.gdm is not None
        one_abnormal = how in ("carpenter_coustan", "nddg") and outcome == "no_gdm"  # the one-value near miss
        return a.gdm.diagnosis == ("no_gdm" if outcome == "screen_negative" else outcome) and (
            not one_abnormal or len(a.gdm.abnormal) == 1)
    if kind == "hypertension":
        return a.hypertension is not None and a.hypertension.category == target
    if kind == "magnesium":
        assert a.magnesium is not None and a.hypertension is not None
        want = "stop_and_give_calcium_gluconate" if target.startswith("stop") else target
        return a.magnesium.action == want and a.hypertension.category == "preeclampsia_with_severe_features"
    if kind == "fhr":
        category, feature = target.split("|")
        m = a.tracing
        if m is None or m.category != category:
            return False
        want = {"late": "late", "recurrent_late": "late", "variable": "variable", "early": "early",
                "prolonged": "prolonged"}.get(feature)  # fmt: skip
        if feature == "accelerations":
            return m.accelerations > 0 and m.types in ((), ("early",))
        return (want is None and not m.decelerations) or (want is not None and m.types == (want,))
    if kind == "pph":
        return a.hemorrhage is not None and a.hemorrhage.stage == target.split("|")[0]
    if kind == "bpp":
        total, variant = target.split("|")
        return a.bpp is not None and a.bpp.score == int(total) and a.bpp.oligohydramnios == (variant == "oligo" or (
            a.bpp.oligohydramnios and variant == ""))
    if kind == "anti_d":
        return a.anti_d is not None and a.anti_d.decision == target.split("|")[0]
    path = target.split("|")[-1]
    ok = a.gbs is not None and a.gbs.agent == GBS_AGENT_OF_PATH[path]
    if kind == "admission":
        ok = ok and a.hypertension is not None and a.hypertension.category == target.split("|")[0]
    return ok


def build_case(split: Split, seed: int, index: int) -> Case:
    """The case behind ``(split, seed, index)``: drawn until the rules give the plan's target."""
    p = plan(index)
    rng = case_rng(DOMAIN, split, seed, index)
    sid = case_id(split, seed, index)
    for _ in range(MAX_TRIES):
        record = _draw(rng, sid, p)
        if record is None:
            continue
        try:
            a = assess(record)
        except ValueError:
            continue
        if achieved(p, a):
            return Case(p, record, a)
    raise RuntimeError(f"no {p.kind} record for target {p.target} after {MAX_TRIES} draws ({split}, {seed}, {index})")
