"""Kidney function: creatinine clearance, eGFR equations and fractional excretion of sodium."""

from __future__ import annotations

from typing import Annotated, Literal

from healthgym.mcp_servers.calculators._fields import pick, span
from healthgym.mcp_servers.calculators.registry import calculator
from healthgym.mcp_servers.calculators.result import CalcResult

Sex = Literal["male", "female"]

AdultAge = Annotated[float, span(18, 120, "Age, years (adults: the equation was derived in adults)")]
Creatinine = Annotated[float, span(0.1, 25, "Serum creatinine, mg/dL (umol/L / 88.4)")]
SexField = Annotated[Sex, pick("Sex used by the equation")]


def renal_function_band(ml_min: float) -> str:
    """Renal-function category shared by clearance and eGFR (KDIGO 2012 G1-G5; FDA renal-impairment PK guidance)."""
    if ml_min >= 90:
        return "G1 normal or high (>=90)"
    if ml_min >= 60:
        return "G2 mildly decreased (60-89)"
    if ml_min >= 45:
        return "G3a mildly to moderately decreased (45-59)"
    if ml_min >= 30:
        return "G3b moderately to severely decreased (30-44)"
    if ml_min >= 15:
        return "G4 severely decreased (15-29)"
    return "G5 kidney failure (<15)"


@calculator("Cockcroft-Gault creatinine clearance")
def cockcroft_gault(
    *,
    age_years: AdultAge,
    weight_kg: Annotated[float, span(20, 350, "Body weight used in the equation, kg (original: actual weight)")],
    creatinine_mg_dl: Creatinine,
    sex: SexField,
) -> CalcResult:
    """Estimated creatinine clearance, mL/min: (140 - age) x weight / (72 x SCr), x 0.85 if female.

    The weight is the one passed in; the original derivation used actual body weight. Drug labels that dose by
    Cockcroft-Gault mean this value, not eGFR.

    Source: Cockcroft DW, Gault MH. Prediction of creatinine clearance from serum creatinine. Nephron 1976;16:31-41.
    """
    sex_factor = 0.85 if sex == "female" else 1.0
    value = (140 - age_years) * weight_kg * sex_factor / (72 * creatinine_mg_dl)
    return CalcResult(
        calculator="cockcroft_gault",
        value=round(value, 2),
        unit="mL/min",
        band=renal_function_band(value),
        points={
            "age_term": 140 - age_years,
            "weight_kg": weight_kg,
            "sex_factor": sex_factor,
            "creatinine_mg_dl": creatinine_mg_dl,
        },
        source="Cockcroft DW, Gault MH. Nephron 1976;16:31-41.",
    )


@calculator("CKD-EPI 2021 creatinine eGFR (race-free)")
def ckd_epi_2021(*, age_years: AdultAge, creatinine_mg_dl: Creatinine, sex: SexField) -> CalcResult:
    """eGFR, mL/min/1.73 m2, by the race-free 2021 CKD-EPI creatinine equation.

    eGFR = 142 x min(SCr/k, 1)^a x max(SCr/k, 1)^-1.200 x 0.9938^age x 1.012 [female], with k = 0.7 (female) or
    0.9 (male) and a = -0.241 (female) or -0.302 (male). Bands are the KDIGO 2012 GFR categories.

    Source: Inker LA et al. New creatinine- and cystatin C-based equations to estimate GFR without race.
    N Engl J Med 2021;385:1737-49.
    """
    kappa, alpha, sex_factor = (0.7, -0.241, 1.012) if sex == "female" else (0.9, -0.302, 1.0)
    ratio = creatinine_mg_dl / kappa
    value = 142 * min(ratio, 1) ** alpha * max(ratio, 1) ** -1.200 * 0.9938**age_years * sex_factor
    return CalcResult(
        calculator="ckd_epi_2021",
        value=round(value, 2),
        unit="mL/min/1.73m2",
        band=renal_function_band(value),
        points={
            "creatinine_term": min(ratio, 1) ** alpha * max(ratio, 1) ** -1.200,
            "age_term": 0.9938**age_years,
            "sex_factor": sex_factor,
        },
        source="Inker LA et al. N Engl J Med 2021;385:1737-49.",
    )
