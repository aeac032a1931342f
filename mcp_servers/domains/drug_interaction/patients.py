"""The synthetic patient record of the drug-interaction clinic, and its id.

A patient id encodes the task that generated it, ``DI-<split><seed>-<index>`` with split ``t`` (test), ``d`` (dev) or
``r`` (train), e.g. ``DI-t0-00042``; the record is rebuilt from the id, never stored.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from healthgym.schemas import Split

HepaticFunction = Literal["normal", "child_pugh_a", "child_pugh_b", "child_pugh_c"]
Sex = Literal["female", "male"]

_SPLIT_CODE: dict[str, str] = {"test": "t", "dev": "d", "train": "r"}
_CODE_SPLIT = {code: split for split, code in _SPLIT_CODE.items()}
_ID = re.compile(r"^DI-([tdr])(\d{1,4})-(\d{5,7})$")
ID_FORMAT = "DI-<t|d|r><seed>-<index>, e.g. 'DI-t0-00042' (seed < 10000, index < 10,000,000)"


def patient_id(split: Split, seed: int, index: int) -> str:
    return f"DI-{_SPLIT_CODE[split]}{seed}-{index:05d}"


def parse_patient_id(text: str) -> tuple[Split, int, int] | None:
    """(split, seed, index) of a well-formed id, else None."""
    match = _ID.match(text.strip())
    if match is None:
        return None
    return _CODE_SPLIT[match[1]], int(match[2]), int(match[3])  # type: ignore[return-value]


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
