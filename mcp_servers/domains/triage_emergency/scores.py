"""Clinical scores of an arrival, computed by the shared calculators from the arrival's own facts.

This module only decides whether a score is indicated for the patient and maps the arrival's facts to the
calculator's inputs; the arithmetic lives in ``healthgym.mcp_servers.calculators``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, Field

from healthgym.mcp_servers.calculators import (
    CalcResult,
    gcs,
    heart_score,
    news2,
    qsofa,
    revised_trauma_score,
    shock_index,
    sirs,
)
from healthgym.mcp_servers.domains.triage_emergency.models import Arrival

ScoreName = Literal["news2", "qsofa", "sirs", "heart_score", "gcs", "revised_trauma_score", "shock_index"]
SCORE_TITLES: dict[str, str] = {
    "news2": "NEWS2 (National Early Warning Score 2)",
    "qsofa": "qSOFA",
    "sirs": "SIRS criteria count",
    "heart_score": "HEART score",
    "gcs": "Glasgow Coma Scale",
    "revised_trauma_score": "Revised Trauma Score",
    "shock_index": "shock index",
}
INDICATIONS: dict[str, str] = {
    "news2": "patient aged 16 or over (RCP 2017)",
    "qsofa": "adult; in suspected infection a score >= 2 flags a high risk of poor outcome (Sepsis-3)",
    "sirs": "adult with a white cell count available",
    "heart_score": "adult with chest pain and no ST elevation on the triage ECG",
    "gcs": "any age",
    "revised_trauma_score": "injured patient",
    "shock_index": "patient aged 16 or over",
}
SCORE_TOLERANCE: dict[str, float] = {"revised_trauma_score": 0.01, "shock_index": 0.01}
"""Answer tolerance for scores with decimals; whole-number scores must be exact."""


class ScoreReport(BaseModel):
    """A score of one arrival: its value and band, or why it is not indicated for this patient."""

    arrival_id: str
    score: str
    applicable: bool = Field(description="False when the score is not indicated or cannot be computed here.")
    reason: str = Field(description="Why the score is or is not indicated for this patient.")
    value: float | None = None
    unit: str = ""
    band: str = ""
    points: dict[str, float] = Field(default_factory=dict, description="Contribution of each criterion.")
    inputs: dict[str, str | float | bool] = Field(default_factory=dict, description="Facts passed to the calculator.")
    source: str = ""


Inputs = dict[str, str | float | bool]


def _gcs_total(arrival: Arrival) -> int:
    n = arrival.neuro
    return n.gcs_eye + n.gcs_verbal + n.gcs_motor


def _news2(a: Arrival) -> tuple[str | None, Inputs]:
    """RCP NEWS2 (2017) is for adults aged 16 and over (not children, not validated in pregnancy); scale 2 is for a
    prescribed SpO2 target of 88-92% in hypercapnic respiratory failure."""
    if a.age_years < 16:
        return "NEWS2 is not used under 16 years of age (RCP 2017); use a paediatric early warning score", {}
    v = a.vitals
    return None, {
        "respiratory_rate_per_min": v.respiratory_rate_per_min,
        "spo2_percent": v.spo2_percent,
        "on_supplemental_oxygen": v.on_supplemental_oxygen,
        "systolic_bp_mm_hg": v.systolic_bp_mm_hg,
        "heart_rate_bpm": v.heart_rate_bpm,
        "consciousness": a.mental_status,
        "temperature_c": v.temperature_c,
        "spo2_scale": 2 if a.prescribed_spo2_target == "88-92%" else 1,
    }


def _qsofa(a: Arrival) -> tuple[str | None, Inputs]:
    """qSOFA (Sepsis-3, Seymour 2016) was derived in adults; altered mentation is GCS < 15."""
    if a.age_years < 18:
        return "qSOFA was derived and validated in adults only (Seymour 2016)", {}
    v = a.vitals
    return None, {
        "respiratory_rate_per_min": v.respiratory_rate_per_min,
        "systolic_bp_mm_hg": v.systolic_bp_mm_hg,
        "altered_mentation": _gcs_total(a) < 15,
    }


def _sirs(a: Arrival) -> tuple[str | None, Inputs]:
    """Adult SIRS criteria (Bone 1992) need a white cell count; children have age-specific criteria (Goldstein
    2005)."""
    if a.age_years < 18:
        return "adult SIRS criteria do not apply under 18 (paediatric SIRS: Goldstein B et al. 2005)", {}
    if a.infection is None or a.infection.wbc_10e9_l is None:
        return "no white cell count is available at triage; SIRS needs one", {}
    v = a.vitals
    return None, {
        "temperature_c": v.temperature_c,
        "heart_rate_bpm": v.heart_rate_bpm,
        "respiratory_rate_per_min": v.respiratory_rate_per_min,
        "wbc_10e9_l": a.infection.wbc_10e9_l,
    }


HEART_ECG = {
    "normal": "normal",
    "nonspecific_repolarization": "nonspecific_repolarization",
    "st_depression": "significant_st_deviation",
}


def _heart(a: Arrival) -> tuple[str | None, Inputs]:
    """HEART (Six 2008) is for adults with chest pain suspected of ACS and no ST elevation on the ECG: ST elevation
    goes down the STEMI pathway instead."""
    c = a.cardiac
    if c is None or a.age_years < 18:
        return "HEART applies to adults presenting with chest pain", {}
    if c.ecg == "st_elevation":
        return "ST elevation on the triage ECG: assess for STEMI, not with HEART (Six 2008 excluded STEMI)", {}
    factors = set(c.risk_factors)
    return None, {
        "history": c.history,
        "ecg": HEART_ECG[c.ecg],
        "age_years": round(a.age_years, 2),
        **{
            f: f in factors
            for f in ("hypertension", "hypercholesterolemia", "diabetes", "smoker", "family_history", "obesity")
        },
        "atherosclerotic_disease": c.atherosclerotic_disease,
        "troponin_times_uln": c.troponin_times_uln,
    }


def _gcs(a: Arrival) -> tuple[str | None, Inputs]:
    """GCS applies at every age; under 2 years the verbal response is scored on the paediatric verbal scale."""
    n = a.neuro
    return None, {"eye_response": n.gcs_eye, "verbal_response": n.gcs_verbal, "motor_response": n.gcs_motor}


def _rts(a: Arrival) -> tuple[str | None, Inputs]:
    """The Revised Trauma Score (Champion 1989) is a physiological score for injured patients."""
    if a.trauma is None:
        return "the Revised Trauma Score is for injured patients", {}
    v = a.vitals
    return None, {
        "gcs_total": _gcs_total(a),
        "systolic_bp_mm_hg": v.systolic_bp_mm_hg,
        "respiratory_rate_per_min": v.respiratory_rate_per_min,
    }


def _shock_index(a: Arrival) -> tuple[str | None, Inputs]:
    """The shock index bands (Allgower 1967) are adult values; children need age-adjusted cut-offs (SIPA, Acker SE et
    al. J Pediatr Surg 2015;50:331-4)."""
    if a.age_years < 16:
        return "adult shock index bands do not apply under 16 (use the age-adjusted SIPA)", {}
    v = a.vitals
    return None, {"heart_rate_bpm": v.heart_rate_bpm, "systolic_bp_mm_hg": v.systolic_bp_mm_hg}


SCORES: dict[str, tuple[Callable[[Arrival], tuple[str | None, Inputs]], Callable[..., CalcResult]]] = {
    "news2": (_news2, news2),
    "qsofa": (_qsofa, qsofa),
    "sirs": (_sirs, sirs),
    "heart_score": (_heart, heart_score),
    "gcs": (_gcs, gcs),
    "revised_trauma_score": (_rts, revised_trauma_score),
    "shock_index": (_shock_index, shock_index),
}


def score(arrival: Arrival, name: str) -> ScoreReport:
    """The score ``name`` of the arrival, or a report saying why it is not indicated."""
    indication, calculate = SCORES[name]
    why_not, inputs = indication(arrival)
    if why_not:
        return ScoreReport(arrival_id=arrival.arrival_id, score=name, applicable=False, reason=why_not)
    result = calculate(**inputs)
    return ScoreReport(
        arrival_id=arrival.arrival_id,
        score=name,
        applicable=True,
        reason=f"{SCORE_TITLES[name]} is indicated: {INDICATIONS[name]}",
        value=result.value,
        unit=result.unit,
        band=result.band,
        points=result.points,
        inputs=inputs,
        source=result.source,
    )
