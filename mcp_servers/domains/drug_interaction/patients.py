"""The synthetic patient record of the drug-interaction clinic, and its opaque id.

A patient id (``DI-`` and 13 base32 characters, ``clinic.ids``) enciphers the task that generated it, so the record
is rebuilt from the id, never stored, and the id tells a policy nothing about its split, seed or index.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from healthgym.mcp_servers.clinic.ids import decode_case_id, encode_case_id
from healthgym.schemas import Split

HepaticFunction = Literal["normal", "child_pugh_a", "child_pugh_b", "child_pugh_c"]
Sex = Literal["female", "male"]

PREFIX = "DI"
_DOMAIN = "drug_interaction"
ID_FORMAT = "DI- followed by 13 base32 characters, as given in the task, e.g. 'DI-5W1Q3ZK8M0RTA'"


def patient_id(split: Split, seed: int, index: int) -> str:
    return encode_case_id(PREFIX, _DOMAIN, split, seed, index)


def parse_patient_id(text: str) -> tuple[Split, int, int] | None:
    """(split, seed, index) behind a patient id, else None."""
    try:
        return decode_case_id(PREFIX, _DOMAIN, str(text).strip())
    except ValueError:
        return None


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Allergy(_Record):
    allergen: str = Field(description="Allergy group, e.g. 'penicillin', 'sulfonamide_antibiotic', 'nsaid'.")
    reaction: str = Field(description="Recorded reaction, e.g. 'urticaria', 'anaphylaxis'.")


class MedicationOrder(_Record):
    drug: str = Field(description="Generic drug name as in the knowledge table.")
    dose: str = Field(description="Dose and frequency.")
    indication: str = Field(description="Condition code the drug treats.")


class Patient(_Record):
    """One synthetic patient; every value is a case fact from which the rules compute their answers."""

    patient_id: str
    age_years: int
    sex: Sex
    weight_kg: float
    serum_creatinine_mg_dl: float
    potassium_mmol_l: float
    qtc_ms: int = Field(description="Most recent corrected QT interval (Bazett), ms.")
    hepatic_function: HepaticFunction
    pregnant: bool = False
    gestational_age_weeks: int = 0
    lactating: bool = False
    setting: Literal["outpatient", "inpatient"] = "outpatient"
    allergies: tuple[Allergy, ...] = ()
    conditions: tuple[str, ...] = ()
    medications: tuple[MedicationOrder, ...] = ()
