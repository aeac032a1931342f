"""Field helpers so every calculator input states its unit and bounds the same way."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

Sex = Literal["male", "female"]
"""Sex as the equations use it (their derivation cohorts recorded sex at birth)."""


def span(lo: float, hi: float, what: str) -> Any:
    """A number in ``[lo, hi]``; ``what`` names the quantity and its unit (``"Serum creatinine, mg/dL"``)."""
    return Field(ge=lo, le=hi, description=f"{what}; {lo:g} to {hi:g}.")


def above(lo: float, hi: float, what: str) -> Any:
    """A number in ``(lo, hi]``, for divisors and logarithms that must stay positive."""
    return Field(gt=lo, le=hi, description=f"{what}; more than {lo:g}, up to {hi:g}.")


def flag(what: str) -> Any:
    """A yes/no criterion; ``what`` says what ``true`` means."""
    return Field(description=f"True if {what}.")


def pick(what: str) -> Any:
    """A categorical input; the choices come from the ``Literal`` type."""
    return Field(description=what)
