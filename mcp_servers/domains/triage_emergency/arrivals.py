"""ED arrivals, generated deterministically from their id.

An arrival id is opaque (``clinic.ids``): ``ED-`` and 13 base32 characters that encipher (split, seed, index), so it
shows neither the split nor the position in it. ``build_case`` rebuilds everything about it from
``case_rng("triage_emergency", split, seed, index)``, in a fixed order: the task plan (what the task at that index
asks, in which tier, which presentation it uses), the arrival's facts, then the bed board. The ESI level is computed
from the facts by ``esi.assess`` and checked against the level the plan asked for, so a generator bug fails loudly
instead of producing a wrong answer key.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import numpy as np

from healthgym.mcp_servers.clinic import case_rng
from healthgym.mcp_servers.clinic.ids import decode_case_id, encode_case_id
from healthgym.mcp_servers.domains.triage_emergency.beds import CAPACITY, Board, Zone
from healthgym.mcp_servers.domains.triage_emergency.cards import SCENARIO, SCENARIOS, AgeSpan, Scenario
from healthgym.mcp_servers.domains.triage_emergency.esi import (
    DANGER_SPO2,
    DAYS_PER_YEAR,
    LSI_FINDINGS,
    RED_FLAG_BY_CODE,
    age_text,
    assess,
    completed_months,
    completed_years,
    danger_zone,
    hypotension_threshold,
    resource_count,
)
from healthgym.mcp_servers.domains.triage_emergency.models import (
    Allergy,
    Arrival,
    Cardiac,
    ChildFever,
    Infection,
    MentalStatus,
    Neuro,
    Trauma,
    Vitals,
)
from healthgym.mcp_servers.domains.triage_emergency.protocols import st_elevation_threshold_mm
from healthgym.mcp_servers.domains.triage_emergency.scores import SCORES
from healthgym.schemas import Split, Tier

DOMAIN = "triage_emergency"
PREFIX = "ED"

TaskKind = Literal["esi", "arrival", "protocols", "score", "resources"]
KIND_CYCLE: tuple[tuple[TaskKind, Tier], ...] = (
    ("esi", "assisted"), ("arrival", "unassisted"), ("score", "assisted"), ("esi", "unassisted"),
    ("arrival", "assisted"), ("protocols", "unassisted"), ("esi", "assisted"), ("arrival", "unassisted"),
    ("score", "assisted"), ("esi", "unassisted"), ("arrival", "assisted"), ("resources", "assisted"),
)  # fmt: skip
"""(kind, tier) by index modulo 12: ESI 4 (2 per tier), the composite arrival 4 (2 per tier), score 2 (assisted:
the calculators are decision support), protocols 1 and resources 1 (their tiers swap every other cycle)."""
SCORE_ORDER = tuple(SCORES)
"""Score tasks rotate through the scores in this order."""

ADULT_DAYS = int(18 * DAYS_PER_YEAR)
PROTOCOL_TARGETS: tuple[tuple[str, ...], ...] = (
    ("stemi",),
    ("stroke_acute",),
    ("septic_shock", "sepsis_confused", "neutropenic_fever", "infant_septic"),
    ("anaphylactic_shock", "anaphylactic_shock_child", "allergic_airway"),
    ("haemorrhagic_trauma", "anatomic_major_trauma", "severe_head_injury"),
    ("stemi_subthreshold", "acs_chest_pain", "stroke_late", "pneumonia", "pyelonephritis", "cellulitis", "urticaria",
     "high_mechanism", "anticoagulated_fall", "neonatal_fever"),
)  # fmt: skip
"""Protocol tasks cycle through these pools (one per protocol, then near misses) so that no protocol set, the empty
one included, is the answer of more than about a sixth of them."""
SCORE_POOLS: dict[str, tuple[str, ...]] = {
    "news2": (
        "pneumonia",
        "sepsis_confused",
        "septic_shock",
        "copd_exacerbation",
        "pyelonephritis",
        "cellulitis",
        "gi_bleed",
        "pulmonary_embolism",
        "syncope",
        "dka",
        "stroke_acute",
        "hypoglycaemia",
        "acs_chest_pain",
    ),
    "qsofa": (
        "pneumonia",
        "sepsis_confused",
        "septic_shock",
        "pyelonephritis",
        "cellulitis",
        "neutropenic_fever",
        "copd_exacerbation",
        "gi_bleed",
    ),
    "sirs": ("pneumonia", "sepsis_confused", "septic_shock", "pyelonephritis", "neutropenic_fever"),
    "heart_score": ("acs_chest_pain", "chest_pain_low_risk"),
    "gcs": (
        "severe_head_injury",
        "opioid_overdose",
        "hypoglycaemia",
        "status_epilepticus",
        "sepsis_confused",
        "septic_shock",
        "anticoagulated_fall",
        "high_mechanism",
        "stroke_acute",
    ),
    "revised_trauma_score": (
        "haemorrhagic_trauma",
        "severe_head_injury",
        "high_mechanism",
        "anatomic_major_trauma",
        "anticoagulated_fall",
    ),
    "shock_index": (
        "haemorrhagic_trauma",
        "septic_shock",
        "gi_bleed",
        "anaphylactic_shock",
        "pneumonia",
        "pyelonephritis",
        "anatomic_major_trauma",
        "pulmonary_embolism",
        "heart_block",
    ),
}
"""Adult presentations for which each score is indicated (and, for SIRS, a white cell count is known)."""


@dataclass(frozen=True)
class Plan:
    """What the task at an index asks, and the presentation it is built on."""

    kind: TaskKind
    tier: Tier
    scenario: Scenario
    level: int | None
    """The ESI level the arrival is built to have (None: whatever the presentation gives)."""
    danger: bool
    """For presentations whose vitals the plan controls: put them in the danger zone."""
    score: str = ""
    adult_only: bool = False


@dataclass(frozen=True)
class Case:
    """Everything generated for one arrival id."""

    plan: Plan
    arrival: Arrival
    board: Board


def arrival_id(split: Split, seed: int, index: int) -> str:
    """The opaque id of arrival ``index`` of ``(split, seed)``."""
    return encode_case_id(PREFIX, DOMAIN, split, seed, index)


def parse_arrival_id(value: str) -> tuple[Split, int, int]:
    """(split, seed, index) of an arrival id; ``ValueError`` naming the value when it is not one."""
    return decode_case_id(PREFIX, DOMAIN, value)


@lru_cache(maxsize=8192)
def build_case(split: Split, seed: int, index: int) -> Case:
    """The plan, arrival and bed board of ``(split, seed, index)``: a pure function of its arguments."""
    rng = case_rng(DOMAIN, split, seed, index)
    plan = _plan(rng, index)
    arrival = _arrival(rng, plan, arrival_id(split, seed, index))
    level = assess(arrival).esi_level
    if plan.level is not None and level != plan.level:
        raise RuntimeError(f"{arrival.arrival_id}: {plan.scenario.code} built for ESI {plan.level}, got {level}")
    return Case(plan=plan, arrival=arrival, board=_board(rng, arrival.arrival_time))


# --- the plan ---------------------------------------------------------------------------------------------------------


def _pick(rng: np.random.Generator, items: tuple[Any, ...] | list[Any]) -> Any:
    return items[int(rng.integers(len(items)))]


RESOURCE_POOLS: dict[int, tuple[Scenario, ...]] = {
    count: tuple(s for s in SCENARIOS if resource_count(list(s.workup)) == count)
    for count in sorted({resource_count(list(s.workup)) for s in SCENARIOS})
}
"""Presentations by the number of ESI resources their work-up needs; resource tasks cycle through the counts so each
count is the answer equally often."""


def _level_plan(rng: np.random.Generator, kind: TaskKind, tier: Tier, level: int) -> Plan:
    pool = [s for s in SCENARIOS if level in s.levels]
    scenario = _pick(rng, pool)
    return Plan(kind, tier, scenario, level, danger=scenario.danger_controlled and level == 2)


def _plan(rng: np.random.Generator, index: int) -> Plan:
    """The plan of the task at ``index``: ESI levels (ESI and composite tasks), protocol pools and resource counts
    are balanced within each tier, so no constant answer scores above chance."""
    cycle, slot = divmod(index, len(KIND_CYCLE))
    kind, tier = KIND_CYCLE[slot]
    if kind in ("protocols", "resources") and cycle % 2:
        tier = "unassisted" if tier == "assisted" else "assisted"
    same = sum(1 for k, t in KIND_CYCLE[:slot] if (k, t) == (kind, KIND_CYCLE[slot][1]))
    per_cycle = sum(1 for k, t in KIND_CYCLE if (k, t) == (kind, KIND_CYCLE[slot][1]))
    counter = cycle // 2 if kind in ("protocols", "resources") else cycle * per_cycle + same
    if kind in ("esi", "arrival"):
        return _level_plan(rng, kind, tier, counter % 5 + 1)
    if kind == "score":
        score = SCORE_ORDER[counter % len(SCORE_ORDER)]
        scenario = SCENARIO[_pick(rng, SCORE_POOLS[score])]
        danger = scenario.danger_controlled and bool(rng.random() < 0.5)
        return Plan(kind, tier, scenario, None, danger=danger, score=score, adult_only=True)
    if kind == "resources":
        counts = tuple(RESOURCE_POOLS)
        scenario = _pick(rng, RESOURCE_POOLS[counts[counter % len(counts)]])
        return Plan(kind, tier, scenario, None, danger=scenario.danger_controlled and bool(rng.random() < 0.5))
    scenario = SCENARIO[_pick(rng, PROTOCOL_TARGETS[counter % len(PROTOCOL_TARGETS)])]
    return Plan(kind, tier, scenario, None, danger=scenario.danger_controlled and bool(rng.random() < 0.5))


# --- the arrival ------------------------------------------------------------------------------------------------------


def _uniform(rng: np.random.Generator, lo: float, hi: float, digits: int = 0) -> float:
    value = round(float(rng.uniform(lo, hi)), digits)
    return value if digits else int(value)


def _age_days(rng: np.random.Generator, plan: Plan) -> int:
    spans: list[AgeSpan] = list(plan.scenario.ages)
    if plan.adult_only:
        spans = [(max(lo, ADULT_DAYS), hi) for lo, hi in spans if hi >= ADULT_DAYS]
    lo, hi = _pick(rng, spans)
    days = int(rng.integers(lo, hi + 1))
    # ADULT_DAYS (int of 18 x 365.25 = 6,574) is still 17 completed years, and an adult-only score (SIRS) refuses
    # it; the draw keeps that bound so published splits do not move, and the one day short becomes the birthday.
    return max(days, math.ceil(18 * DAYS_PER_YEAR)) if plan.adult_only else days


def _weight_kg(rng: np.random.Generator, age_days: int, sex: str) -> float:
    """APLS 2016 weight estimates for children (months/2 + 4 under 1 y; 2 x age + 8 at 1-5 y; 3 x age + 7 at 6-12 y),
    an adult range otherwise."""
    years = completed_years(age_days)
    if years < 1:
        estimate = completed_months(age_days) / 2 + 4
    elif years <= 5:
        estimate = 2 * years + 8
    elif years <= 12:
        estimate = 3 * years + 7
    elif years < 18:
        estimate = 45 + 3 * (years - 13)
    else:
        estimate = 75 if sex == "male" else 66
    return round(estimate * float(rng.uniform(0.85, 1.2)), 1)


NORMAL_GENERATION: tuple[tuple[int, tuple[int, int], tuple[int, int], tuple[int, int]], ...] = (
    (0, (120, 160), (32, 45), (72, 88)),
    (91, (100, 145), (24, 36), (82, 98)),
    (int(3 * DAYS_PER_YEAR), (80, 125), (18, 26), (90, 108)),
    (int(9 * DAYS_PER_YEAR), (65, 95), (14, 20), (100, 120)),
    (ADULT_DAYS, (60, 92), (12, 18), (112, 145)),
    (int(65 * DAYS_PER_YEAR), (58, 90), (12, 18), (118, 160)),
)
"""(from age in days, heart rate, respiratory rate, systolic BP) drawn for a well patient: APLS normal values, kept
inside the ESI danger zone limits so that a well child never crosses decision point D by accident."""


def _normal(age_days: int) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
    row = [r for r in NORMAL_GENERATION if age_days >= r[0]][-1]
    return row[1], row[2], row[3]


def _danger_vitals(rng: np.random.Generator, plan: Plan, age_days: int) -> dict[str, int]:
    """Heart rate, respiratory rate and SpO2 just past the danger-zone limit for the patient's age (``plan.danger``:
    at least one of them), or at, just short of, or well inside it."""
    controlled = [k for k, spec in plan.scenario.vitals.items() if spec == "dz"]
    zone = danger_zone(age_days)
    hr_normal, rr_normal, _ = _normal(age_days)
    # vital: (direction of danger, last value outside the danger zone, how far past it, how far short of it, normal)
    rules = {
        "hr": (1, zone.max_heart_rate, 25, 12, hr_normal),
        "rr": (1, zone.max_respiratory_rate, 8, 3, rr_normal),
        "spo2": (-1, DANGER_SPO2, 2, 2, (95, 99)),
    }
    over: set[str] = set()
    while plan.danger and not over:
        over = {k for k in controlled if rng.random() < 0.5}
    out: dict[str, int] = {}
    for key in controlled:
        direction, limit, far, short, normal = rules[key]
        if key in over:
            out[key] = limit + direction * int(rng.integers(1, far + 1))
        elif rng.random() < 0.6:
            out[key] = limit - direction * int(rng.integers(0, short + 1))
        else:
            out[key] = int(_uniform(rng, *normal))
    return out


def _vitals(rng: np.random.Generator, plan: Plan, age_days: int, mental: MentalStatus) -> Vitals:
    """Vital signs by the scenario's profile; pain cannot be rated by a patient responding only to pain or less."""
    s = plan.scenario
    hr_n, rr_n, sbp_n = _normal(age_days)
    ranges: dict[str, tuple[float, float]] = {
        "hr": hr_n,
        "rr": rr_n,
        "sbp": sbp_n,
        "spo2": (95, 100),
        "temp": (36.4, 37.5),
        "crt": (1.0, 2.0),
    }
    danger = _danger_vitals(rng, plan, age_days)
    values: dict[str, float] = {}
    for key, default in ranges.items():
        spec = s.vitals.get(key, "normal")
        if spec == "dz":
            values[key] = danger[key]
        elif spec == "hypotensive":
            values[key] = hypotension_threshold(age_days) - int(rng.integers(6, 17))
        else:
            lo, hi = default if spec == "normal" else spec
            values[key] = _uniform(rng, lo, hi, 1 if key in ("temp", "crt") else 0)
    sbp = int(values["sbp"])
    oxygen = s.levels == (1,) and values["spo2"] < 94 and bool(rng.random() < 0.6)
    return Vitals(
        heart_rate_bpm=int(values["hr"]),
        respiratory_rate_per_min=int(values["rr"]),
        systolic_bp_mm_hg=sbp,
        diastolic_bp_mm_hg=int(round(sbp * float(rng.uniform(0.55, 0.68)))),
        spo2_percent=int(values["spo2"]),
        on_supplemental_oxygen=oxygen,
        temperature_c=float(values["temp"]),
        capillary_refill_s=float(values["crt"]),
        pain_score=0 if mental in ("pain", "unresponsive") else int(rng.integers(s.pain[0], s.pain[1] + 1)),
        pain_scale="FLACC"
        if age_days < 3 * DAYS_PER_YEAR
        else "Wong-Baker FACES"
        if age_days < 8 * DAYS_PER_YEAR
        else "NRS",
    )


GCS_BY_MENTAL_STATUS: dict[MentalStatus, tuple[tuple[int, int], tuple[int, int], tuple[int, int]]] = {
    "alert": ((4, 4), (5, 5), (6, 6)),
    "new_confusion": ((4, 4), (4, 4), (6, 6)),
    "voice": ((3, 3), (3, 4), (6, 6)),
    "pain": ((2, 2), (2, 2), (4, 5)),
    "unresponsive": ((1, 1), (1, 1), (1, 3)),
}
"""(eye, verbal, motor) ranges consistent with each ACVPU level: responding to voice corresponds to a GCS of about 13
and to pain of about 8 (McNarry AF, Goldhill DR. Anaesthesia 2004;59:34-7)."""

ALLERGENS = ("a bee sting", "peanuts", "shellfish", "an amoxicillin dose")
SOURCES = (
    ("pneumonia", "a cough"),
    ("urinary tract infection", "burning urine"),
    ("intra-abdominal infection", "abdominal pain"),
)
DEFICITS = (
    "left arm and leg weakness",
    "right facial droop",
    "slurred speech",
    "word-finding difficulty",
    "right arm weakness",
)
YELLOW_CRITERIA = {
    "Driver in a rollover crash at speed": "high-risk auto crash: intrusion > 12 inches at the occupant site",
    "Motorcyclist thrown from the bike": "rider separated from a transport vehicle with significant impact",
    "Pedestrian struck by a car at about 50 km/h": "pedestrian thrown, run over or with significant impact",
    "Fell about 4 metres from scaffolding": "fall from height > 10 feet (3 m)",
}
"""ACS 2021 field triage mechanism (yellow) criteria for the mechanisms used here."""
ANATOMIC_INJURIES = {
    "Motorcyclist thrown from the bike": (
        "suspected pelvic fracture (unstable pelvis)",
        "suspected fractures of two or more proximal long bones (both femurs)",
    ),
    "Shot in the thigh": ("penetrating injury to a proximal extremity (thigh)",),
    "Crushed between a forklift and a wall": ("suspected pelvic fracture (unstable pelvis)",),
}
"""ACS 2021 red injury-pattern criteria found on primary survey."""
RISK_FACTOR_HISTORY = {
    "hypertension": ("hypertension", "amlodipine"),
    "hypercholesterolemia": ("hypercholesterolaemia", "atorvastatin"),
    "diabetes": ("type 2 diabetes", "metformin"),
    "smoker": ("current smoker, 20 a day", ""),
    "family_history": ("father had a myocardial infarction at 54", ""),
    "obesity": ("obesity (BMI 33)", ""),
}


def duration_text(hours: float) -> str:
    """'45 minutes', '1 hour', '2 hours 15 minutes'."""
    whole, minutes = divmod(round(hours * 60), 60)
    parts = [f"{whole} hour{'s' if whole != 1 else ''}"] if whole else []
    parts += [f"{minutes} minutes"] if minutes else []
    return " ".join(parts)


def _cardiac(rng: np.random.Generator, kind: str, sex: str, age_years: float) -> tuple[Cardiac, str]:
    onset = {"stemi": (0.5, 6.0), "subthreshold": (1.0, 8.0), "acs": (2.0, 20.0), "low_risk": (4.0, 48.0)}[kind]
    hours = round(float(rng.uniform(*onset)) * 4) / 4
    low = kind == "low_risk"
    factors = [f for f in RISK_FACTOR_HISTORY if rng.random() < (0.08 if low else 0.4)][: 1 if low else 6]
    leads, mm = "", 0.0
    if kind in ("stemi", "subthreshold"):
        leads = _pick(rng, ("II, III, aVF", "I, aVL, V5, V6", "V2, V3"))
        threshold = st_elevation_threshold_mm(leads, sex, age_years)
        mm = threshold + 0.5 * int(rng.integers(1, 6)) if kind == "stemi" else threshold - 0.5
    ecg = (
        "st_elevation"
        if leads
        else "normal"
        if low
        else _pick(rng, ("normal", "nonspecific_repolarization", "st_depression"))
    )
    history = (
        "highly_suspicious"
        if kind == "stemi"
        else "slightly_suspicious"
        if low
        else _pick(rng, ("moderately_suspicious", "highly_suspicious"))
    )
    troponin = {"stemi": (0.6, 5.0), "subthreshold": (0.5, 3.0), "acs": (0.4, 6.0), "low_risk": (0.1, 0.9)}[kind]
    cardiac = Cardiac(
        symptom_onset_hours=hours,
        history=history,
        ecg=ecg,
        st_elevation_mm=mm,
        st_leads=leads,
        risk_factors=factors,
        atherosclerotic_disease=not low and bool(rng.random() < 0.25),
        troponin_times_uln=_uniform(rng, *troponin, 1),
    )
    return cardiac, duration_text(hours)


def _facts(rng: np.random.Generator, s: Scenario, sex: str, age_days: int) -> tuple[dict[str, Any], dict[str, str]]:
    """The family-specific fact block of the arrival, and the words it contributes to the presentation."""
    fill: dict[str, str] = {}
    facts: dict[str, Any] = {}
    p = s.params
    if s.family == "cardiac":
        facts["cardiac"], fill["onset"] = _cardiac(rng, p["kind"], sex, age_days / DAYS_PER_YEAR)
    elif s.family == "stroke":
        lkw = round(float(rng.uniform(*p["lkw"])) * 4) / 4
        deficits = sorted(rng.choice(DEFICITS, size=2, replace=False).tolist())
        facts["stroke"] = (deficits, lkw)
        fill["deficit_lower"] = " and ".join(deficits)
        fill["lkw"] = duration_text(lkw)
    elif s.family == "infection":
        source, symptom = _pick(rng, SOURCES)
        if "sources" in p:
            source = _pick(rng, p["sources"])
        wbc = _uniform(rng, *p["wbc"], 1) if "wbc" in p else None
        facts["infection"] = Infection(
            suspected_source=source, chemotherapy_within_6_weeks=p.get("chemo", False), wbc_10e9_l=wbc
        )
        fill["source_symptom"] = symptom
    elif s.family == "allergy":
        allergen = _pick(rng, p.get("allergens", ALLERGENS))
        minutes = int(rng.integers(5, 41))
        facts["allergy"] = Allergy(
            allergen=allergen,
            known_allergy=bool(rng.random() < 0.5),
            onset_minutes=minutes,
            skin_mucosal=p["skin"],
            respiratory_compromise=p["resp"],
            severe_gi=p["gi"],
        )
        fill["allergen"], fill["onset"] = allergen, str(minutes)
    elif s.family == "trauma":
        mechanism = _pick(rng, p["mechanisms"])
        injuries = list(ANATOMIC_INJURIES.get(mechanism, ())) if p.get("anatomic") else list(p.get("injuries", ()))
        if len(injuries) > 1:
            injuries = [_pick(rng, injuries)]
        criteria = [YELLOW_CRITERIA[mechanism]] if p.get("criteria") and mechanism in YELLOW_CRITERIA else []
        facts["trauma"] = Trauma(
            mechanism=mechanism,
            mechanism_criteria=criteria,
            injuries=injuries,
            penetrating=p.get("penetrating", False) or mechanism.startswith(("Shot", "Stabbed")),
        )
        fill["mechanism"] = mechanism
        fill["complaint_site"] = _pick(rng, ("neck", "chest", "back", "abdominal"))
    elif s.family == "child_fever":
        facts["child_fever"] = ChildFever(
            immunizations_complete=not p.get("unimmunised", False), obvious_source=_pick(rng, p["sources"])
        )
    return facts, fill


def _arrival(rng: np.random.Generator, plan: Plan, aid: str) -> Arrival:
    s = plan.scenario
    age_days = _age_days(rng, plan)
    sex = s.sex or _pick(rng, ("female", "male"))
    minutes = int(rng.integers(0, 24 * 60))
    mental: MentalStatus = _pick(rng, s.mental)
    vitals = _vitals(rng, plan, age_days, mental)
    eye, verbal, motor = (int(rng.integers(lo, hi + 1)) for lo, hi in (s.gcs or GCS_BY_MENTAL_STATUS[mental]))
    facts, fill = _facts(rng, s, sex, age_days)
    history, medications = list(s.history), list(s.medications)
    cardiac: Cardiac | None = facts.get("cardiac")
    if cardiac is not None:
        for factor in cardiac.risk_factors:
            condition, drug = RISK_FACTOR_HISTORY[factor]
            history.append(condition)
            medications += [drug] if drug else []
        if cardiac.atherosclerotic_disease:
            history.append("previous myocardial infarction with a coronary stent")
            medications.append("aspirin")
    deficits, lkw = facts.get("stroke", ([], None))
    words = {
        "onset": "an hour",
        "activity": _pick(rng, ("gardening", "climbing stairs", "watching television")),
        "cancer": _pick(rng, ("breast cancer", "lymphoma", "colon cancer")),
        "tablets": str(int(rng.integers(16, 41))),
        "surgery": _pick(rng, ("a knee replacement", "a hip fracture")),
        "site": _pick(rng, ("palm", "forearm", "shin")),
        "object": _pick(rng, ("glass", "a kitchen knife")),
        **fill,
    }
    findings = [_pick(rng, RED_FLAG_BY_CODE[code].phrasings) for code in s.red_flags] + [
        f for f in LSI_FINDINGS if f in s.lsi
    ]
    return Arrival(
        arrival_id=aid,
        arrival_time=f"{minutes // 60:02d}:{minutes % 60:02d}",
        age=age_text(age_days),
        age_days=age_days,
        sex=sex,
        weight_kg=_weight_kg(rng, age_days, sex),
        arrival_mode=_pick(rng, s.modes),
        chief_complaint=s.complaint,
        complaint_card=s.card,
        presentation=_pick(rng, s.presentation).format(**words),
        history=history,
        medications=medications,
        allergies=[_pick(rng, ("no known drug allergies", "penicillin (rash)", "codeine (vomiting)"))],
        findings=findings + list(s.findings),
        appearance=_pick(rng, s.appearance),
        mental_status=mental,
        vitals=vitals,
        prescribed_spo2_target=s.spo2_target,
        glucose_mg_dl=int(rng.integers(s.glucose[0], s.glucose[1] + 1)) if s.glucose else None,
        neuro=Neuro(
            gcs_eye=eye, gcs_verbal=verbal, gcs_motor=motor, focal_deficits=deficits, last_known_well_hours=lkw
        ),
        cardiac=cardiac,
        infection=facts.get("infection"),
        allergy=facts.get("allergy"),
        trauma=facts.get("trauma"),
        child_fever=facts.get("child_fever"),
        anticipated_workup=list(s.workup),
    )


# --- the bed board ----------------------------------------------------------------------------------------------------

PRESSURE: dict[str, dict[Zone, tuple[int, int]]] = {
    "quiet": {"resus": (0, 2), "acute": (8, 15), "fast_track": (0, 5)},
    "busy": {"resus": (1, 3), "acute": (16, 19), "fast_track": (3, 7)},
    "acute full": {"resus": (2, 3), "acute": (20, 20), "fast_track": (5, 8)},
    "gridlock": {"resus": (4, 4), "acute": (20, 20), "fast_track": (8, 8)},
}


def _board(rng: np.random.Generator, arrival_time: str) -> Board:
    pressure = PRESSURE[_pick(rng, ("quiet", "busy", "busy", "acute full", "gridlock"))]
    occupied = {zone: min(CAPACITY[zone], int(rng.integers(lo, hi + 1))) for zone, (lo, hi) in pressure.items()}
    return Board(arrival_time=arrival_time, occupied=occupied)
