"""The pathway patient: one synthetic patient per case id, rebuilt from the id alone by any server process.

A case is drawn in two steps: the pathway and its target diagnosis from the id's stream, then the chart (vital
signs, history, baseline bloods, features) and the investigation results consistent with that diagnosis
(``pathways.PATHWAYS[name].draw``). The gold of every phase is then computed from the drawn chart by the pathway's
cited rules, not copied from the target, and a draw whose rules do not give back the target is redrawn, so every
case is decided by what its investigations show.
"""

from __future__ import annotations

import random
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from healthgym.mcp_servers.clinic.ids import decode_case_id, encode_case_id
from healthgym.schemas import Split

PREFIX = "XD"
DOMAIN = "cross_domain"
ID_FORMAT = "XD- followed by 13 characters, e.g. XD-5W1Q3ZK8M0RTA"

Consciousness = Literal["alert", "new_confusion", "voice", "pain", "unresponsive"]
Value = float | bool | str


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Vitals(_Frozen):
    heart_rate_bpm: int
    systolic_bp_mm_hg: int
    diastolic_bp_mm_hg: int
    respiratory_rate_per_min: int
    spo2_percent: int
    on_supplemental_oxygen: bool
    temperature_c: float
    consciousness: Consciousness


class Patient(_Frozen):
    """Everything the case holds; the tools show parts of it, investigation results only once ordered."""

    case_id: str
    pathway: str
    age_years: float
    sex: Literal["male", "female"]
    weight_kg: float
    complaint: str
    onset_hours: float = Field(description="Hours from symptom onset (or last known well) to arrival.")
    vitals: Vitals
    conditions: list[str]
    medications: list[str]
    allergies: list[str]
    features: list[str] = Field(description="Findings of history and examination named by the pathway's rules.")
    gestation_weeks: int | None = None
    days_since_surgery: int | None = None
    labs: dict[str, float] = Field(description="Baseline bloods at arrival (analyte -> value in the named unit).")
    results: dict[str, dict[str, Value]] = Field(description="Investigation -> its result, revealed when ordered.")


def case_id(split: Split, seed: int, index: int) -> str:
    return encode_case_id(PREFIX, DOMAIN, split, seed, index)


def parse_case_id(value: str) -> tuple[Split, int, int]:
    """``(split, seed, index)`` of a case id; ``ValueError`` for anything that is not one."""
    return decode_case_id(PREFIX, DOMAIN, value)


def case_rng(split: Split, seed: int, index: int) -> random.Random:
    """The case's own random stream (string seeding is stable across processes and Python versions)."""
    return random.Random(f"{DOMAIN}|{split}|{seed}|{index}")


__all__ = ["DOMAIN", "ID_FORMAT", "PREFIX", "Patient", "Value", "Vitals", "case_id", "case_rng", "parse_case_id"]
