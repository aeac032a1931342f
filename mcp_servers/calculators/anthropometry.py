"""Body size: BMI, body surface area and the ideal, adjusted and target body weights."""

from __future__ import annotations

import math
from typing import Annotated

from healthgym.mcp_servers.calculators._fields import Sex, pick, span
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


@calculator("Body surface area (Mosteller)")
def body_surface_area(*, weight_kg: WeightKg, height_cm: HeightCm) -> CalcResult:
    """BSA = sqrt(height cm x weight kg / 3600), m2.

    Source: Mosteller RD. Simplified calculation of body-surface area. N Engl J Med 1987;317:1098.
    """
    value = math.sqrt(height_cm * weight_kg / 3600)
    return CalcResult(
        calculator="body_surface_area",
        value=round(value, 3),
        unit="m2",
        points={"weight_kg": weight_kg, "height_cm": height_cm},
        source="Mosteller RD. N Engl J Med 1987;317:1098.",
    )


def devine_ibw_kg(height_cm: float, sex: Sex) -> float:
    """Devine ideal body weight: 50 kg (male) or 45.5 kg (female) + 2.3 kg per inch over 5 feet."""
    return (50.0 if sex == "male" else 45.5) + 2.3 * (height_cm / 2.54 - 60)


AdultHeightCm = Annotated[float, span(120, 250, "Height, cm (below 152.4 cm, i.e. 5 ft, the formula extrapolates)")]
SexField = Annotated[Sex, pick("Sex")]


@calculator("Ideal body weight (Devine)")
def ideal_body_weight(*, height_cm: AdultHeightCm, sex: SexField) -> CalcResult:
    """IBW, kg = 50 (male) or 45.5 (female) + 2.3 x (height in inches - 60).

    Source: Devine BJ. Gentamicin therapy. Drug Intell Clin Pharm 1974;8:650-5.
    """
    value = devine_ibw_kg(height_cm, sex)
    return CalcResult(
        calculator="ideal_body_weight",
        value=round(value, 2),
        unit="kg",
        points={"base_kg": 50.0 if sex == "male" else 45.5, "per_inch_over_60": 2.3 * (height_cm / 2.54 - 60)},
        source="Devine BJ. Drug Intell Clin Pharm 1974;8:650-5.",
    )


@calculator("Adjusted body weight")
def adjusted_body_weight(*, weight_kg: WeightKg, height_cm: AdultHeightCm, sex: SexField) -> CalcResult:
    """ABW, kg = IBW + 0.4 x (actual weight - IBW), the dosing weight for obese patients.

    The 0.4 factor is the fraction of excess weight counted for aminoglycoside distribution.

    Source: Bauer LA, Edwards WA, Dellinger EP, Simonowitz DA. Influence of weight on aminoglycoside
    pharmacokinetics in normal weight and morbidly obese patients. Eur J Clin Pharmacol 1983;24:643-7; IBW by
    Devine BJ. Drug Intell Clin Pharm 1974;8:650-5.
    """
    ibw = devine_ibw_kg(height_cm, sex)
    value = ibw + 0.4 * (weight_kg - ibw)
    return CalcResult(
        calculator="adjusted_body_weight",
        value=round(value, 2),
        unit="kg",
        points={"ideal_body_weight_kg": round(ibw, 3), "excess_weight_term_kg": round(0.4 * (weight_kg - ibw), 3)},
        source="Bauer LA et al. Eur J Clin Pharmacol 1983;24:643-7; Devine BJ 1974.",
    )


@calculator("Target weight for a target BMI")
def target_weight(
    *,
    target_bmi_kg_m2: Annotated[float, span(10, 60, "Target body mass index, kg/m2")],
    height_cm: HeightCm,
) -> CalcResult:
    """Weight at the target BMI: target BMI x height^2, kg (the BMI definition solved for weight).

    Source: Keys A et al. Indices of relative weight and obesity. J Chronic Dis 1972;25:329-43.
    """
    value = target_bmi_kg_m2 * (height_cm / 100) ** 2
    return CalcResult(
        calculator="target_weight",
        value=round(value, 2),
        unit="kg",
        points={"target_bmi_kg_m2": target_bmi_kg_m2, "height_m_squared": (height_cm / 100) ** 2},
        source="Keys A et al. J Chronic Dis 1972;25:329-43.",
    )
