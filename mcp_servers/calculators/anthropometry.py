"""Body size: BMI, body surface area and the ideal, adjusted and target body weights."""

from __future__ import annotations

from typing import Annotated

from healthgym.mcp_servers.calculators._fields import span
from healthgym.mcp_servers.calculators.registry import calculator
from healthgym.mcp_servers.calculators.result import CalcResult

WeightKg = Annotated[float, span(0.3, 400, "Body weight, kg")]
HeightCm = Annotated[float, span(30, 250, "Height, cm")]


def bmi_band(bmi_kg_m2: float) -> str:
    """WHO adult BMI class (WHO Technical Report Series 894, 2000)."""
    if bmi_kg_m2 < 18.5:
        return "underweight (<18.5)"
    if bmi_kg_m2 < 25:
        return "normal (18.5-24.9)"
    if bmi_kg_m2 < 30:
        return "overweight (25-29.9)"
    if bmi_kg_m2 < 35:
        return "obesity class I (30-34.9)"
    if bmi_kg_m2 < 40:
        return "obesity class II (35-39.9)"
    return "obesity class III (>=40)"


@calculator("Body mass index")
def bmi(*, weight_kg: WeightKg, height_cm: HeightCm) -> CalcResult:
    """BMI = weight / height^2, kg/m2, with the WHO adult class (not valid for children, who need centiles).

    Source: Quetelet's index (Keys A et al. J Chronic Dis 1972;25:329-43); classes: WHO. Obesity: preventing and
    managing the global epidemic. WHO Technical Report Series 894, 2000.
    """
    value = weight_kg / (height_cm / 100) ** 2
    return CalcResult(
        calculator="bmi",
        value=round(value, 2),
        unit="kg/m2",
        band=bmi_band(value),
        points={"weight_kg": weight_kg, "height_m": height_cm / 100},
        source="Keys A et al. J Chronic Dis 1972;25:329-43; WHO TRS 894, 2000.",
    )
