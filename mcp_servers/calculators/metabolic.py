"""Lipids and glucose metabolism: Friedewald LDL and HOMA-IR."""

from __future__ import annotations

from typing import Annotated

from healthgym.mcp_servers.calculators._fields import span
from healthgym.mcp_servers.calculators.registry import calculator
from healthgym.mcp_servers.calculators.result import CalcResult, CalculatorInputError


@calculator("LDL cholesterol (Friedewald)")
def ldl_friedewald(
    *,
    total_cholesterol_mg_dl: Annotated[float, span(50, 1000, "Total cholesterol, mg/dL (mmol/L x 38.67)")],
    hdl_mg_dl: Annotated[float, span(5, 200, "HDL cholesterol, mg/dL (mmol/L x 38.67)")],
    triglycerides_mg_dl: Annotated[
        float, span(0, 400, "Triglycerides, mg/dL (mmol/L x 88.57); the formula is invalid above 400")
    ],
) -> CalcResult:
    """LDL-C, mg/dL = total cholesterol - HDL - triglycerides / 5 (fasting sample; invalid if TG > 400 mg/dL).

    Source: Friedewald WT, Levy RI, Fredrickson DS. Estimation of the concentration of low-density lipoprotein
    cholesterol in plasma, without use of the preparative ultracentrifuge. Clin Chem 1972;18:499-502; bands:
    NCEP ATP III. Circulation 2002;106:3143-421.
    """
    vldl = triglycerides_mg_dl / 5
    value = total_cholesterol_mg_dl - hdl_mg_dl - vldl
    if value < 0:
        raise CalculatorInputError(
            f"ldl_friedewald: HDL ({hdl_mg_dl}) + triglycerides/5 ({vldl:g}) exceed total cholesterol "
            f"({total_cholesterol_mg_dl}); the panel is inconsistent"
        )
    if value < 100:
        band = "optimal (<100)"
    elif value < 130:
        band = "near optimal (100-129)"
    elif value < 160:
        band = "borderline high (130-159)"
    else:
        band = "high (160-189)" if value < 190 else "very high (>=190)"
    return CalcResult(
        calculator="ldl_friedewald",
        value=round(value, 2),
        unit="mg/dL",
        band=band,
        points={"total_cholesterol": total_cholesterol_mg_dl, "hdl": -hdl_mg_dl, "vldl_estimate": -vldl},
        source="Friedewald WT et al. Clin Chem 1972;18:499-502.",
    )


@calculator("HOMA-IR (insulin resistance)")
def homa_ir(
    *,
    fasting_insulin_uiu_ml: Annotated[float, span(0.1, 1000, "Fasting insulin, uIU/mL (pmol/L / 6)")],
    fasting_glucose_mg_dl: Annotated[float, span(20, 1000, "Fasting glucose, mg/dL (mmol/L x 18.016)")],
) -> CalcResult:
    """HOMA-IR = fasting insulin (uIU/mL) x fasting glucose (mg/dL) / 405 (= glucose mmol/L x insulin / 22.5).

    Higher is more insulin resistant; cut-offs are population-specific, so no band is given.

    Source: Matthews DR et al. Homeostasis model assessment: insulin resistance and beta-cell function from fasting
    plasma glucose and insulin concentrations in man. Diabetologia 1985;28:412-9.
    """
    value = fasting_insulin_uiu_ml * fasting_glucose_mg_dl / 405
    return CalcResult(
        calculator="homa_ir",
        value=round(value, 3),
        unit="index",
        points={"insulin_uiu_ml": fasting_insulin_uiu_ml, "glucose_mmol_l": round(fasting_glucose_mg_dl / 18.016, 4)},
        source="Matthews DR et al. Diabetologia 1985;28:412-9.",
    )
