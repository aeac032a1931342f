"""What every calculator returns: the value, its unit, the interpretation band, and the arithmetic behind it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class CalcResult(BaseModel):
    """A calculator's answer, with enough detail for an agent and a person to check the arithmetic."""

    model_config = ConfigDict(extra="forbid")
    calculator: str = Field(description="Calculator id, e.g. 'cockcroft_gault'.")
    value: float = Field(description="The computed value, in `unit`.")
    unit: str = Field(description="Unit of `value` ('points' for scores).")
    band: str = Field(default="", description="Interpretation band or risk category for the value.")
    points: dict[str, float] = Field(
        default_factory=dict, description="What each criterion or term contributed to the value."
    )
    source: str = Field(description="Publication or guideline that defines the formula.")


class CalculatorInputError(ValueError):
    """A missing, unknown or out-of-bounds input; the message names the parameter and the allowed range."""
