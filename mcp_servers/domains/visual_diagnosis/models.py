"""The records behind visual_diagnosis case ids: the parameters each study's signal is synthesized from."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

_FROZEN = ConfigDict(frozen=True, extra="forbid")

Study = Literal["twelve_lead", "rhythm_strip", "spirometry", "ctg"]


class Patient(BaseModel):
    model_config = _FROZEN
    age: int
    sex: Literal["female", "male"]
    presentation: str = Field(description="Why the study was done.")
    systolic_bp: int
    heart_rate_palpated: bool = Field(description="Pulse present on palpation.")


class EcgParams(BaseModel):
    """Everything the ECG signal is synthesized from (``ecg.synthesize``)."""

    model_config = _FROZEN
    qrs_onsets_s: list[float]
    qrs_ms: float
    qtc_ms: float
    morphology: Literal["normal", "lbbb", "rbbb", "ventricular", "hyperkalaemia"]
    axis_deg: float
    t_amplitude_mv: float
    t_width_fraction: float
    atrial: Literal["p", "flutter", "fibrillation", "none"]
    p_onsets_s: list[float] = Field(default_factory=list)
    p_amplitude_mv: float = 0.15
    atrial_rate: float = 0.0
    atrial_amplitude_mv: float = 0.0
    injury: tuple[float, float, float] = (0.0, 0.0, 0.0)
    noise_seed: int
    artefact_leads: list[int] = Field(default_factory=list)
    artefact_mv: float = 0.0


class EcgTruth(BaseModel):
    """What the ECG shows, from the model's parameters (not from measurement)."""

    model_config = _FROZEN
    rhythm: str
    findings: list[str]
    ventricular_rate: float
    pr_ms: float | None
    qrs_ms: float
    qt_ms: float
    qtc_ms: float
    axis_deg: float
    st_mv: dict[str, float]
    actions: list[str]


class SpirometryParams(BaseModel):
    """A forced expiratory and inspiratory manoeuvre (``spirometry.loop``) and the predicted values printed with it."""

    model_config = _FROZEN
    fvc_l: float
    pef_l_s: float
    shape: float = Field(description="Curvature of the descending limb: 1 straight, > 1 concave (scooped).")
    pif_l_s: float
    cap_l_s: float = Field(description="Flow limit of a fixed upper-airway lesion (L/s); 0 for none.")
    predicted_fvc_l: float
    predicted_fev1_l: float
    lln_fvc_l: float
    lln_fev1_fvc: float
    height_cm: int


class CtgParams(BaseModel):
    model_config = _FROZEN
    gestational_weeks: int
    fhr_bpm: list[int]
    contraction_peaks_s: list[int]


class Record(BaseModel):
    """One study of one patient."""

    model_config = _FROZEN
    case_id: str
    study: Study
    patient: Patient
    ecg: EcgParams | None = None
    spirometry: SpirometryParams | None = None
    ctg: CtgParams | None = None
