"""The ED arrival record: what the triage nurse can see, hear and measure in the first minutes.

Every field is a case fact; nothing here states the triage level, the protocol decision or the diagnosis. Those are
derived from the facts by the rules in ``esi.py`` and ``protocols.py``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Sex = Literal["female", "male"]
MentalStatus = Literal["alert", "new_confusion", "voice", "pain", "unresponsive"]
"""ACVPU (RCP NEWS2 2017): alert, new confusion, responds to voice, responds only to pain, unresponsive."""
Appearance = Literal["no distress", "mild distress", "moderate distress", "severe distress"]
EcgFinding = Literal["normal", "nonspecific_repolarization", "st_depression", "st_elevation"]
StLeads = Literal["", "II, III, aVF", "I, aVL, V5, V6", "V2, V3"]
HistorySuspicion = Literal["slightly_suspicious", "moderately_suspicious", "highly_suspicious"]
CardiacRiskFactor = Literal["hypertension", "hypercholesterolemia", "diabetes", "smoker", "family_history", "obesity"]


class _Facts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Vitals(_Facts):
    """Triage vital signs."""

    heart_rate_bpm: int
    respiratory_rate_per_min: int
    systolic_bp_mm_hg: int
    diastolic_bp_mm_hg: int
    spo2_percent: int = Field(description="Peripheral oxygen saturation, %.")
    on_supplemental_oxygen: bool
    temperature_c: float
    capillary_refill_s: float = Field(description="Central capillary refill time, seconds.")
    pain_score: int = Field(ge=0, le=10, description="Pain, 0-10, on the scale named in `pain_scale`.")
    pain_scale: str = Field(description="NRS (adults, children >= 8), Wong-Baker FACES (3-7 y) or FLACC (< 3 y).")


class Neuro(_Facts):
    """Conscious level and focal neurology."""

    gcs_eye: int = Field(ge=1, le=4)
    gcs_verbal: int = Field(ge=1, le=5, description="Paediatric verbal scale below 2 years of age.")
    gcs_motor: int = Field(ge=1, le=6)
    focal_deficits: list[str] = Field(default_factory=list, description="New focal neurological signs.")
    last_known_well_hours: float | None = Field(
        default=None, description="Hours since the patient was last known to be at neurological baseline."
    )


class Cardiac(_Facts):
    """Chest pain work-up available at triage: history, triage ECG, point-of-care troponin, risk factors."""

    symptom_onset_hours: float = Field(description="Hours since the pain began.")
    history: HistorySuspicion = Field(description="How suspicious the history is for acute coronary syndrome.")
    ecg: EcgFinding = Field(description="Triage 12-lead ECG reading.")
    st_elevation_mm: float = Field(description="ST elevation at the J point, mm (0 when none).")
    st_leads: StLeads = Field(description="Contiguous leads showing the ST elevation ('' when none).")
    risk_factors: list[CardiacRiskFactor] = Field(default_factory=list)
    atherosclerotic_disease: bool = Field(description="Prior MI, PCI/CABG, stroke/TIA or peripheral arterial disease.")
    troponin_times_uln: float = Field(description="Point-of-care troponin as a multiple of the upper reference limit.")


class Infection(_Facts):
    """Why infection is suspected, and what is known of the white cells."""

    suspected_source: str
    chemotherapy_within_6_weeks: bool = False
    wbc_10e9_l: float | None = Field(default=None, description="White cells from referral bloods, when sent with them.")


class Allergy(_Facts):
    """Exposure and organ involvement in an allergic presentation (WAO 2020 criteria terms)."""

    allergen: str
    known_allergy: bool = Field(description="The patient is known to be allergic to this allergen.")
    onset_minutes: int
    skin_mucosal: bool = Field(description="Hives, itch-flush or lip/tongue/uvula swelling.")
    respiratory_compromise: bool = Field(description="Wheeze/bronchospasm, stridor or hypoxaemia.")
    severe_gi: bool = Field(description="Severe crampy abdominal pain or repetitive vomiting.")


class Trauma(_Facts):
    """Mechanism and injuries, in the terms of the ACS 2021 field triage guideline."""

    mechanism: str
    mechanism_criteria: list[str] = Field(default_factory=list, description="High-risk mechanism criteria present.")
    injuries: list[str] = Field(default_factory=list, description="Injury patterns found on primary survey.")
    penetrating: bool = False


class ChildFever(_Facts):
    """What the ESI paediatric fever considerations need in a febrile child under 3 years."""

    immunizations_complete: bool
    obvious_source: str = Field(description="Apparent source of the fever, '' when none is found.")


class Arrival(_Facts):
    """One emergency department arrival as the triage nurse finds it."""

    arrival_id: str = Field(description="Id such as 'ED-t0-00042' (split letter, seed, index).")
    arrival_time: str = Field(description="Clock time of arrival, HH:MM.")
    age: str = Field(description="Age as a clinician would say it ('17 days', '5 months', '54 years').")
    age_days: int = Field(ge=0)
    sex: Sex
    weight_kg: float
    arrival_mode: str
    chief_complaint: str
    complaint_card: str = Field(description="Complaint card id; see get_complaint_card.")
    presentation: str
    history: list[str] = Field(default_factory=list)
    medications: list[str] = Field(default_factory=list)
    allergies: list[str] = Field(default_factory=list)
    findings: list[str] = Field(default_factory=list, description="What the nurse observes and is told at triage.")
    appearance: Appearance
    mental_status: MentalStatus
    vitals: Vitals
    prescribed_spo2_target: str = Field(default="", description="A prescribed SpO2 target, e.g. '88-92%', if any.")
    glucose_mg_dl: int | None = Field(default=None, description="Point-of-care glucose, mg/dL, when measured.")
    neuro: Neuro
    cardiac: Cardiac | None = None
    infection: Infection | None = None
    allergy: Allergy | None = None
    trauma: Trauma | None = None
    child_fever: ChildFever | None = None
    anticipated_workup: list[str] = Field(description="What the ED will most likely need to do for this patient.")

    @property
    def age_years(self) -> float:
        return self.age_days / 365.25
