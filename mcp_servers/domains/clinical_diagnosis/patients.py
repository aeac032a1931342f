"""Patients sampled from the knowledge model, kept only when the sampled condition is what the evidence shows.

Case ``index`` of ``(split, seed)`` picks its condition by a rotation over the 84 conditions and samples a patient
from it with ``case_rng``: age uniform in the condition's range, sex (women only for conditions of women), every
finding present with ``P(finding | condition)`` (the background rate for findings the condition does not list),
vital signs and test values drawn inside the present or absent ranges of their findings. The keep rule (stated in
``posterior.py``'s thresholds) accepts the patient only when:

1. the pre-test differential (history, examination and vital signs, posterior >= 5%) holds the sampled condition,
   has at most ``MAX_DIFFERENTIAL`` conditions, no posterior within a factor 1.25 of the 5% threshold, and a work-up
   of at most ``MAX_WORKUP`` tests;
2. after the work-up tests of every condition in that differential, the sampled condition leads by ``DIAGNOSIS_MARGIN``
   (4x) over the next; and
3. with every test's findings, it still leads by that margin.

So the gold diagnosis is the unique best explanation of what the tools can reveal, and the gold differential is
the pre-test posterior ranking. Rejected draws are redrawn (60 tries), then the next condition in the rotation is
tried.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from healthgym.mcp_servers.clinic import case_rng
from healthgym.mcp_servers.clinic.ids import decode_case_id, encode_case_id
from healthgym.mcp_servers.domains.clinical_diagnosis.knowledge import Model, matrix, model
from healthgym.mcp_servers.domains.clinical_diagnosis.posterior import (
    DIAGNOSIS_MARGIN,
    DIFFERENTIAL_THRESHOLD,
)
from healthgym.schemas import Split, Tier

DOMAIN = "clinical_diagnosis"
PREFIX = "DX"
MAX_DIFFERENTIAL = 6
MAX_WORKUP = 5
"""At most this many tests in a work-up, so a whole unassisted encounter fits in 40 tool calls (the agents' default
turn limit): 1 encounter + 14 topics + 9 systems + vital signs + 6 chapters + 5 tests + policy + submit = 38."""
THRESHOLD_BAND = 1.25
ATTEMPTS = 60
PRE_TEST_KINDS = ("symptom", "antecedent", "exam", "vital")
Kind = Literal["encounter", "diagnosis", "differential"]
KIND_CYCLE: tuple[tuple[Kind, Tier], ...] = (
    ("encounter", "assisted"), ("diagnosis", "assisted"), ("encounter", "unassisted"), ("differential", "unassisted"),
    ("encounter", "unassisted"), ("diagnosis", "unassisted"), ("encounter", "assisted"), ("differential", "assisted"),
)  # fmt: skip
"""Kind and tier by index modulo 8: half the tasks are whole encounters (composite), both tiers equally."""
DISPOSITIONS = ("home", "outpatient_follow_up", "admit", "critical_care")


class Patient(BaseModel):
    """A patient as the encounter tools reveal it; the condition behind it is not part of the record."""

    case_id: str
    age: int
    sex: Literal["M", "F"]
    complaint: str = Field(description="Finding code of the presenting complaint.")
    findings: dict[str, bool] = Field(description="Every applicable finding: code -> present.")
    vitals: dict[str, float]
    results: dict[str, float | str] = Field(description="Test finding code -> the value reported.")
    details: dict[str, list[str]] = Field(
        default_factory=dict, description="Answers to DDXPlus detail questions (pain location ...), when known."
    )
    notes: dict[str, str] = Field(
        default_factory=dict,
        description="Free-text sections of a loaded OSCE case: 'complaint', 'topic:<topic>', 'exam:<system>', "
        "'vitals', 'test:<name>'.",
    )


@dataclass(frozen=True)
class Case:
    patient: Patient
    condition: str
    kind: Kind
    tier: Tier
    ranking: tuple[tuple[str, float], ...]
    """Pre-test posterior ranking (history, examination, vital signs)."""
    differential: tuple[str, ...]
    workup: tuple[str, ...]
    final_ranking: tuple[tuple[str, float], ...]
    """Posterior after the work-up tests."""
    disposition: str


def disposition(severity: int, findings: dict[str, bool]) -> str:
    """Where the patient goes: critical care for severity 1 (DDXPlus scale) or hypotension (SBP < 90, Sepsis-3 /
    Surviving Sepsis 2021 shock criteria); admission for severity 2 or hypoxaemia (SpO2 < 92%, BTS 2017 oxygen
    guideline target); outpatient follow-up for severity 3; home for 4-5. Our rule, stated in the policy."""
    if severity == 1 or findings.get("VS_HYPOTENSION"):
        return "critical_care"
    if severity == 2 or findings.get("VS_HYPOXAEMIA"):
        return "admit"
    return "outpatient_follow_up" if severity == 3 else "home"


def case_id(split: Split, seed: int, index: int) -> str:
    return encode_case_id(PREFIX, DOMAIN, split, seed, index)


def parse_case_id(value: str) -> tuple[Split, int, int]:
    return decode_case_id(PREFIX, DOMAIN, value)


def _value(rng: np.random.Generator, bounds: list[float] | str) -> float | str:
    if isinstance(bounds, str):
        return bounds
    lo, hi = bounds
    value = float(rng.uniform(lo, hi))
    digits = 0 if hi >= 100 else 1 if hi >= 5 else 2
    return round(value, digits) if digits else float(round(value))


def _sample(m: Model, rng: np.random.Generator, cid: str, case: str) -> Patient:
    cond = m.conditions[cid]
    age = int(rng.integers(cond.ages[0], cond.ages[1] + 1))
    sex = "F" if cond.sex == "F" else ("F" if rng.random() < 0.5 else "M")
    findings: dict[str, bool] = {}
    for code, finding in m.findings.items():
        if finding.sex == "F" and sex != "F":
            continue
        findings[code] = bool(rng.random() < cond.likelihoods.get(code, finding.background))
    if findings["VS_HYPOTENSION"]:
        findings["VS_HYPERTENSION"] = False
    vitals: dict[str, float] = {}
    for rule in m.vitals.values():
        if rule.vital not in vitals or findings[rule.code]:
            vitals[rule.vital] = float(_value(rng, rule.present if findings[rule.code] else rule.absent))
    sbp = vitals["systolic_bp_mm_hg"]
    vitals["diastolic_bp_mm_hg"] = float(round(sbp * float(rng.uniform(0.55, 0.68))))
    results: dict[str, float | str] = {}
    for test in m.tests.values():
        for f in test.findings:
            results[f.code] = _value(rng, f.abnormal if findings[f.code] else f.normal)
    symptoms = [c for c, present in findings.items() if present and m.findings[c].kind == "symptom"]
    complaint = max(symptoms, key=lambda c: (cond.likelihoods.get(c, 0.0), c)) if symptoms else ""
    return Patient(
        case_id=case, age=age, sex=sex, complaint=complaint, findings=findings, vitals=vitals, results=results
    )


def rank(patient: Patient, kinds: tuple[str, ...], tests: tuple[str, ...] = ()) -> list[tuple[str, float]]:
    """Posterior ranking over the patient's findings of ``kinds`` and of the ``tests`` named (``posterior.posterior``,
    vectorised)."""
    m, mx = model(), matrix()
    cols, present = [], []
    for code, value in patient.findings.items():
        finding = m.findings[code]
        if finding.kind in kinds or (finding.kind == "test" and finding.group in tests):
            cols.append(mx.column[code])
            present.append(value)
    idx = np.array(cols, dtype=int)
    on = np.array(present, dtype=bool)
    scores = mx.log_prior + np.where(on, mx.log_present[:, idx], mx.log_absent[:, idx]).sum(axis=1)
    eligible = np.array([m.conditions[i].eligible(patient.age, patient.sex) for i in mx.ids])
    scores = np.where(eligible, scores, -np.inf)
    weights = np.exp(scores - scores.max())
    probs = weights / weights.sum()
    order = sorted(range(len(mx.ids)), key=lambda k: (-probs[k], mx.ids[k]))
    return [(mx.ids[k], float(probs[k])) for k in order if eligible[k]]


def workup(differential: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The tests of the work-up: every test that confirms a condition of the differential (``Model.workup``)."""
    m = model()
    return tuple(sorted({t for cid in differential for t in m.workup(cid)}, key=lambda n: (m.tests[n].cost, n)))


def _keep(patient: Patient, cid: str) -> Case | None:
    if not patient.complaint:
        return None
    pre = rank(patient, PRE_TEST_KINDS)
    diff = [c for c, p in pre if p >= DIFFERENTIAL_THRESHOLD]
    near = [p for _, p in pre if DIFFERENTIAL_THRESHOLD / THRESHOLD_BAND <= p < DIFFERENTIAL_THRESHOLD * THRESHOLD_BAND]
    if cid not in diff or len(diff) > MAX_DIFFERENTIAL or near:
        return None
    tests = workup(diff)
    if len(tests) > MAX_WORKUP:
        return None
    post = rank(patient, PRE_TEST_KINDS, tests)
    full = rank(patient, (*PRE_TEST_KINDS, "test"))
    for ranking in (post, full):
        if ranking[0][0] != cid or (len(ranking) > 1 and ranking[0][1] < DIAGNOSIS_MARGIN * ranking[1][1]):
            return None
    return Case(
        patient=patient,
        condition=cid,
        kind="encounter",
        tier="assisted",
        ranking=tuple(pre),
        differential=tuple(diff),
        workup=tests,
        final_ranking=tuple(post),
        disposition=disposition(model().conditions[cid].severity, patient.findings),
    )


@lru_cache(maxsize=4096)
def build_case(split: Split, seed: int, index: int) -> Case:
    """Case ``index`` of ``(split, seed)``: a pure function of its arguments."""
    m = model()
    ids = tuple(m.conditions)
    kind, tier = KIND_CYCLE[index % len(KIND_CYCLE)]
    rng = case_rng(DOMAIN, split, seed, index)
    start = (index // len(KIND_CYCLE) * 29 + index % len(KIND_CYCLE) * 11) % len(ids)
    cid = case_id(split, seed, index)
    for shift in range(len(ids)):
        condition = ids[(start + shift) % len(ids)]
        for _ in range(ATTEMPTS):
            case = _keep(_sample(m, rng, condition, cid), condition)
            if case is not None:
                return Case(**{**case.__dict__, "kind": kind, "tier": tier})
    raise RuntimeError(f"no condition yields a well-posed patient for {cid}")  # every condition does (tested)
