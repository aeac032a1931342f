"""Studies generated with known truth: ``build_case(split, seed, index)`` draws the study behind a case id.

The task kind cycles with the index (``KIND_CYCLE``) and the tier alternates every cycle. Each study is drawn for a
target taken in rotation (``TARGETS``): a rhythm for rhythm strips, a rhythm or finding for 12-lead ECGs, an interval
abnormality for interval measurement, a spirometry pattern, or an NICHD category and feature for CTG strips (the
tracing model and its drawing are obstetrics' own, imported). Only parameters are drawn here (fast: no signal is
synthesized); the record tools synthesize and render on demand.
"""

from __future__ import annotations

from dataclasses import dataclass

from healthgym.mcp_servers.clinic import case_rng
from healthgym.mcp_servers.clinic.ids import decode_case_id, encode_case_id
from healthgym.mcp_servers.domains.obstetrics import fhr
from healthgym.mcp_servers.domains.obstetrics.cases import TARGETS as OB_TARGETS
from healthgym.mcp_servers.domains.obstetrics.cases import _tracing as draw_tracing
from healthgym.mcp_servers.domains.visual_diagnosis import rhythms, spirometry
from healthgym.mcp_servers.domains.visual_diagnosis.models import CtgParams, EcgParams, EcgTruth, Patient, Record
from healthgym.schemas import Split

DOMAIN = "visual_diagnosis"
PREFIX = "VIS"
KIND_CYCLE = ("rhythm_strip", "twelve_lead", "twelve_lead", "intervals", "spirometry", "ctg")
INTERVAL_TARGETS = ("sinus_rhythm", "first_degree_av_block", "long_qt", "sinus_bradycardia", "lbbb", "rbbb",
                    "sinus_tachycardia", "hyperkalaemia", "sinus_rhythm", "first_degree_av_block")  # fmt: skip
TARGETS: dict[str, tuple[str, ...]] = {
    "rhythm_strip": rhythms.TARGETS_STRIP,
    "twelve_lead": rhythms.TARGETS_12,
    "intervals": INTERVAL_TARGETS,
    "spirometry": spirometry.PATTERNS,
    "ctg": OB_TARGETS["fhr"],
}
"""What each kind's studies are drawn for, in rotation, so no answer is common enough for a prior to score."""
ARTEFACT_LEADS = (0, 2, 3, 4, 7, 8)
"""Leads an arm tremor or a loose precordial electrode may spoil (I, III, aVR, aVL, V2, V3); II, V1, V5 stay clean."""
PRESENTATIONS = {
    "stemi": "central chest pain for 40 minutes, sweating",
    "ventricular_tachycardia": "palpitations and light-headedness; BP low",
    "third_degree_av_block": "syncope this morning",
    "second_degree": "dizziness and near-syncope",
    "hyperkalaemia": "weakness; end-stage kidney disease, missed dialysis",
    "supraventricular_tachycardia": "sudden-onset palpitations",
    "default": "palpitations and fatigue for a week",
    "spirometry": "breathlessness on exertion",
    "ctg": "labour at term, continuous monitoring",
}


@dataclass(frozen=True)
class Plan:
    kind: str
    tier: str
    target: str


@dataclass(frozen=True)
class Case:
    plan: Plan
    record: Record
    ecg: EcgTruth | None
    spirometry_pattern: str | None
    ctg: fhr.Measurement | None


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
    if kind == "twelve_lead":
        slot = 2 * slot + (index % len(KIND_CYCLE) == 2)
    return Plan(kind, tier, TARGETS[kind][slot % len(TARGETS[kind])])


def _presentation(target: str) -> str:
    for key, text in PRESENTATIONS.items():
        if key in target:
            return text
    return PRESENTATIONS["default"]


def build_case(split: Split, seed: int, index: int) -> Case:
    """The case behind ``(split, seed, index)``."""
    p = plan(index)
    rng = case_rng(DOMAIN, split, seed, index)
    cid = case_id(split, seed, index)
    sex = "female" if p.kind == "ctg" or rng.random() < 0.5 else "male"
    age = int(rng.integers(20, 41)) if p.kind == "ctg" else int(rng.integers(28, 86))
    if p.kind == "ctg":
        for _ in range(400):
            tracing = draw_tracing(rng, p.target)
            m = fhr.measure(tracing.fhr_bpm, tracing.contraction_peaks_s)
            if m.category == p.target.split("|")[0]:
                break
        else:
            raise RuntimeError(f"no CTG for {p.target} ({split}, {seed}, {index})")
        patient = Patient(age=age, sex="female", presentation=PRESENTATIONS["ctg"],
                          systolic_bp=int(rng.integers(105, 135)), heart_rate_palpated=True)
        ctg = CtgParams(gestational_weeks=int(rng.integers(37, 42)), fhr_bpm=tracing.fhr_bpm,
                        contraction_peaks_s=tracing.contraction_peaks_s)
        return Case(p, Record(case_id=cid, study="ctg", patient=patient, ctg=ctg), None, None, m)
    if p.kind == "spirometry":
        patient = Patient(age=age, sex=sex, presentation=PRESENTATIONS["spirometry"],
                          systolic_bp=int(rng.integers(110, 145)), heart_rate_palpated=True)  # fmt: skip
        params = spirometry.draw(rng, p.target, sex, age)
        record = Record(case_id=cid, study="spirometry", patient=patient, spirometry=params)
        return Case(p, record, None, p.target, None)
    hypotensive = p.target == "ventricular_tachycardia"
    patient = Patient(age=age, sex=sex, presentation=_presentation(p.target),
                      systolic_bp=int(rng.integers(74, 88)) if hypotensive else int(rng.integers(100, 150)),
                      heart_rate_palpated=True)  # fmt: skip
    kw = rhythms.draw(rng, p.target, patient)
    if p.target == "artefact":
        leads = sorted(int(i) for i in rng.choice(ARTEFACT_LEADS, size=3, replace=False))
        kw |= dict(artefact_leads=leads, artefact_mv=round(float(rng.uniform(0.12, 0.25)), 3))
    params = EcgParams(noise_seed=int(rng.integers(0, 2**31)), **kw)
    study = "rhythm_strip" if p.kind == "rhythm_strip" else "twelve_lead"
    record = Record(case_id=cid, study=study, patient=patient, ecg=params)
    return Case(p, record, rhythms.truth(params, p.target, patient), None, None)
