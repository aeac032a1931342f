"""Cases: what task ``index`` of ``(split, seed)`` asks about, a pure function of its opaque id.

A case is (the population, one of its patients, the question's parameters): the kind of question cycles with the
index (``KINDS``), the tier alternates every cycle, and the patient and parameters are drawn from the case's own
random stream among the patients the question suits (an admitted patient for a question about the admission, a
person with diabetes for most HbA1c questions, a share of patients with nothing to find for the "not found" and
"order nothing" answers). Any process rebuilds the case from its id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from typing import Any

import numpy as np

from healthgym.mcp_servers.clinic import case_rng
from healthgym.mcp_servers.clinic.ids import decode_case_id, encode_case_id
from healthgym.mcp_servers.domains.ehr_management import chart
from healthgym.mcp_servers.domains.ehr_management.population import (
    INPATIENT_LABS,
    NOW,
    POPULATION_SEED,
    POPULATION_SIZE,
    patient_chart,
    people_by_name,
    person,
    ts,
)
from healthgym.mcp_servers.domains.ehr_management.protocols import (
    MAGNESIUM_LOINC,
    MAGNESIUM_THRESHOLD,
    POTASSIUM_LOINC,
    POTASSIUM_THRESHOLD,
)
from healthgym.schemas import Split, Tier

DOMAIN = "ehr_management"
PREFIX = "EHR"
KINDS = (
    "patient_lookup", "age", "record_vital", "latest_24h", "magnesium_replacement", "average_window", "latest_value",
    "referral", "potassium_replacement", "hba1c_recheck", "admission_trend", "first_abnormal",
    "medication_reconciliation",
)  # fmt: skip
"""MedAgentBench's ten task categories (lookup, age, record a vital, latest within 24 h, magnesium replacement,
average over a window, latest value, referral, potassium replacement with recheck, HbA1c recheck), then the
longitudinal ones."""
TIERS: tuple[Tier, Tier] = ("assisted", "unassisted")
LATEST_24H_CODES = ("19123-9", "2823-3", "2160-0", "2951-2", "718-7", "6690-2")
AVERAGE_CODES = ("8867-4", "9279-1", "8480-6", "59408-5", "8310-5")
RECORDED_VITALS = {
    "8867-4": (55, 130, 0), "9279-1": (10, 30, 0), "8480-6": (90, 180, 0), "8310-5": (35.8, 39.5, 1),
    "59408-5": (86, 100, 0), "29463-7": (45, 130, 1),
}  # fmt: skip
"""Vital signs the record-a-vital task asks for: (lowest, highest, decimals) of the value the nurse reports."""
INJURIES = (
    "acute left knee injury", "acute right knee injury", "left ankle fracture", "right wrist pain after a fall",
    "chronic right hip pain", "left shoulder dislocation", "lower back pain radiating to the left leg",
    "right knee osteoarthritis with locking",
)  # fmt: skip


def case_id(split: Split, seed: int, index: int) -> str:
    return encode_case_id(PREFIX, DOMAIN, split, seed, index)


def parse_case_id(cid: str) -> tuple[Split, int, int]:
    """``(split, seed, index)`` of a case id; ``ValueError`` when it is not one."""
    return decode_case_id(PREFIX, DOMAIN, cid)


@dataclass(frozen=True)
class Case:
    case_id: str
    kind: str
    tier: Tier
    patient: int | None
    """Index of the patient in the population (None: the patient asked for is not registered)."""
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Facts:
    """What the population knows about one patient, for choosing the patients a question suits."""

    ongoing: bool
    admitted: bool
    diabetic: bool
    mg_24h: float | None
    k_last: float | None
    unindicated: int
    active_meds: int
    codes: tuple[str, ...]


def resources(index: int) -> tuple[dict[str, Any], ...]:
    return patient_chart(POPULATION_SEED, index)


@cache
def facts(index: int) -> Facts:
    rs = resources(index)
    stay = chart.latest_admission(rs)
    mg = chart.since(chart.series(rs, MAGNESIUM_LOINC), 24)
    k = chart.series(rs, POTASSIUM_LOINC)
    meds = [r for r in rs if r["resourceType"] == "MedicationRequest" and r["status"] == "active"]
    return Facts(
        ongoing=stay is not None and stay["status"] == "in-progress",
        admitted=stay is not None,
        diabetic="E11.9" in chart.active_problem_codes(rs),
        mg_24h=mg[-1][1] if mg else None,
        k_last=k[-1][1] if k else None,
        unindicated=len(chart.unindicated_drugs(rs, rs)),
        active_meds=len(meds),
        codes=tuple(sorted({r["code"]["coding"][0]["code"] for r in rs if r["resourceType"] == "Observation"})),
    )


@cache
def pool(name: str) -> tuple[int, ...]:
    """Indices of the patients in a named pool (computed once per process from the population)."""
    tests = {
        "any": lambda f: True,
        "ongoing": lambda f: f.ongoing,
        "not_ongoing": lambda f: not f.ongoing,
        "admitted": lambda f: f.admitted,
        "diabetic": lambda f: f.diabetic,
        "low_mg": lambda f: f.mg_24h is not None and f.mg_24h < MAGNESIUM_THRESHOLD,
        "low_k": lambda f: f.k_last is not None and f.k_last < POTASSIUM_THRESHOLD,
        "unindicated": lambda f: f.unindicated > 0,
        "reconciled": lambda f: f.unindicated == 0 and f.active_meds > 0,
        "diabetic_ongoing": lambda f: f.diabetic and f.ongoing,
    }
    return tuple(i for i in range(POPULATION_SIZE) if tests[name](facts(i)))


def _draw(rng: np.random.Generator, name: str) -> int:
    members = pool(name)
    return members[int(rng.integers(len(members)))]


def _mixture(rng: np.random.Generator, *weighted: tuple[float, str]) -> int:
    r, acc = rng.random(), 0.0
    for weight, name in weighted:
        acc += weight
        if r < acc:
            return _draw(rng, name)
    return _draw(rng, weighted[-1][1])


def _lookup(rng: np.random.Generator) -> tuple[int | None, dict[str, Any]]:
    """A registered patient (80%), or a near miss of one that finds nobody: the birth date off by days to a year,
    or the given name of another patient."""
    index = _draw(rng, "any")
    p = person(POPULATION_SEED, index)
    family, given, born = p.family, p.given, p.birth_date
    if rng.random() < 0.8:
        return index, {"family": family, "given": given, "birthdate": born.isoformat()}
    known = people_by_name(POPULATION_SEED, POPULATION_SIZE)
    for _ in range(100):
        if rng.random() < 0.6:
            born = p.birth_date + timedelta(days=int(rng.choice([-1, 1]) * rng.integers(1, 400)))
        else:
            given = person(POPULATION_SEED, _draw(rng, "any")).given
        if (family.lower(), given.lower(), born.isoformat()) not in known:
            return None, {"family": family, "given": given, "birthdate": born.isoformat()}
    raise RuntimeError("no unregistered near-miss name found")  # pragma: no cover


def _params(kind: str, rng: np.random.Generator) -> tuple[int | None, dict[str, Any]]:
    if kind == "patient_lookup":
        return _lookup(rng)
    if kind == "age":
        return _draw(rng, "any"), {}
    if kind == "record_vital":
        code = list(RECORDED_VITALS)[int(rng.integers(len(RECORDED_VITALS)))]
        low, high, decimals = RECORDED_VITALS[code]
        value = round(float(rng.uniform(low, high)), decimals)
        when = ts(NOW - timedelta(minutes=int(rng.integers(1, 55))))
        return _draw(rng, "any"), {"code": code, "value": int(value) if decimals == 0 else value, "effective": when}
    if kind == "latest_24h":
        code = LATEST_24H_CODES[int(rng.integers(len(LATEST_24H_CODES)))]
        return _mixture(rng, (0.75, "ongoing"), (0.25, "not_ongoing")), {"code": code}
    if kind == "magnesium_replacement":
        return _mixture(rng, (0.45, "low_mg"), (0.35, "ongoing"), (0.2, "not_ongoing")), {}
    if kind == "average_window":
        hours = int(rng.choice([24, 48, 72]))
        index = _mixture(rng, (0.25, "diabetic_ongoing"), (0.55, "ongoing"), (0.2, "not_ongoing"))
        codes = AVERAGE_CODES + (("41653-7",) if facts(index).diabetic and facts(index).ongoing else ())
        return index, {"code": codes[int(rng.integers(len(codes)))], "hours": hours}
    if kind == "latest_value":
        index = _draw(rng, "any")
        codes = facts(index).codes
        return index, {"code": codes[int(rng.integers(len(codes)))]}
    if kind == "referral":
        index = _draw(rng, "any")
        p = person(POPULATION_SEED, index)
        injury = INJURIES[int(rng.integers(len(INJURIES)))]
        weeks = int(rng.integers(1, 12))
        reason = (
            f"Situation: {injury} for {weeks} weeks. Background: {chart.age_years(p.birth_date.isoformat())}-year-old "
            f"{p.sex}. Assessment: needs orthopedic evaluation. Recommendation: outpatient orthopedic surgery review."
        )
        return index, {"reason": reason}
    if kind == "potassium_replacement":
        return _mixture(rng, (0.45, "low_k"), (0.55, "any")), {}
    if kind == "hba1c_recheck":
        return _mixture(rng, (0.65, "diabetic"), (0.35, "any")), {}
    if kind in ("admission_trend", "first_abnormal"):
        return _draw(rng, "admitted"), {"code": INPATIENT_LABS[int(rng.integers(len(INPATIENT_LABS)))]}
    if kind == "medication_reconciliation":
        return _mixture(rng, (0.75, "unindicated"), (0.25, "reconciled")), {}
    raise ValueError(f"unknown kind {kind!r}")


def build_case(split: Split, seed: int, index: int) -> Case:
    """The case of task ``index`` of ``(split, seed)``."""
    kind = KINDS[index % len(KINDS)]
    tier = TIERS[(index // len(KINDS)) % 2]
    patient, params = _params(kind, case_rng(DOMAIN, split, seed, index))
    return Case(case_id=case_id(split, seed, index), kind=kind, tier=tier, patient=patient, params=params)
