"""Field helpers so every calculator input states its unit and bounds the same way."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field

Sex = Literal["male", "female"]
"""Sex as the equations use it (their derivation cohorts recorded sex at birth)."""


def span(lo: float, hi: float, what: str) -> Any:
    """A number in ``[lo, hi]``; ``what`` names the quantity and its unit (``"Serum creatinine, mg/dL"``)."""
    return Field(ge=lo, le=hi, description=f"{what}; {lo:g} to {hi:g}.")


def flag(what: str) -> Any:
    """A yes/no criterion; ``what`` says what ``true`` means."""
    return Field(description=f"True if {what}.")


def pick(what: str) -> Any:
    """A categorical input; the choices come from the ``Literal`` type."""
    return Field(description=what)


def whole(lo: int, hi: int, what: str) -> Any:
    """A whole number in ``[lo, hi]``, for questionnaire items and scale components."""
    return Field(ge=lo, le=hi, description=f"{what}; {lo} to {hi}.")


def day(what: str) -> Any:
    """A calendar date (ISO 8601, ``YYYY-MM-DD``) between 1900 and 2100."""
    return Field(ge=dt.date(1900, 1, 1), le=dt.date(2100, 12, 31), description=f"{what} (YYYY-MM-DD); 1900 to 2100.")
