"""Unit conversion at the boundary: the clinical factors every lab report uses."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.calculators import CalculatorInputError
from healthgym.mcp_servers.calculators.units import convert


@pytest.mark.parametrize(
    ("value", "source", "target", "analyte", "expected"),
    [
        (1, "mg/dL", "µmol/L", "creatinine", 88.4),  # the conventional 88.4
        (88.4, "umol/L", "mg/dL", "creatinine", 1.0),
        (100, "mg/dL", "mmol/L", "glucose", 5.55),  # 1 mmol/L = 18.016 mg/dL
        (2.5, "mmol/L", "mg/dL", "calcium", 10.02),  # 1 mmol/L = 4.008 mg/dL
        (5, "mEq/L", "mmol/L", "calcium", 2.5),  # divalent
        (28, "mg/dL", "mmol/L", "bun", 10.0),  # BUN / 2.8 = urea mmol/L
        (1, "mg/dL", "μmol/L", "bilirubin", 17.1),
        (5, "mmol/L", "mg/dL", "cholesterol", 193.3),
        (1, "mmol/L", "mg/dL", "triglycerides", 88.57),
        (140, "mEq/L", "mmol/L", "sodium", 140),
        (60, "pmol/L", "µIU/mL", "insulin", 10),
        (10, "µIU/mL", "pmol/L", "insulin", 60),
    ],
)
def test_concentrations(value: float, source: str, target: str, analyte: str, expected: float) -> None:
    assert convert(value, source, target, analyte) == pytest.approx(expected, rel=2e-3)


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        (150, "lbs", "kg", 68.04),
        (70, "kg", "lb", 154.32),
        (70, "in", "cm", 177.8),
        (180, "cm", "in", 70.87),
        (6, "ft", "cm", 182.88),
        (100.4, "degrees fahrenheit", "degrees celsius", 38.0),
        (37, "°C", "°F", 98.6),
        (10, "kPa", "mm Hg", 75.01),
        (43, "g/L", "g/dL", 4.3),
        (1, "g/dL", "g/L", 10),
        (277_000, "count/µL", "10^9/L", 277),
        (15.76, "x10^3/uL", "x10^9/L", 15.76),
        (400, "msec", "s", 0.4),
    ],
)
def test_physical_units_and_counts(value: float, source: str, target: str, expected: float) -> None:
    assert convert(value, source, target) == pytest.approx(expected, rel=1e-3)


def test_identity_and_errors_name_both_units() -> None:
    assert convert(5.0, "mg/dL", "mg / dl") == 5.0
    with pytest.raises(CalculatorInputError, match="'kg' to 'cm'"):
        convert(1, "kg", "cm")
    with pytest.raises(CalculatorInputError, match="needs an analyte"):
        convert(1, "mg/dL", "mmol/L")
    with pytest.raises(CalculatorInputError, match="unknown volume"):
        convert(1, "mg/furlong", "mg/dL")
