"""Kidney function: creatinine clearance, eGFR equations and fractional excretion of sodium."""

from __future__ import annotations

from typing import Annotated, Literal

from healthgym.mcp_servers.calculators._fields import Sex, flag, pick, span
from healthgym.mcp_servers.calculators.anthropometry import devine_ibw_kg
from healthgym.mcp_servers.calculators.registry import calculator
from healthgym.mcp_servers.calculators.result import CalcResult, CalculatorInputError

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


def cockcroft_gault_weight(weight_kg: float, height_cm: float, sex: Sex) -> tuple[float, str]:
    """Weight for Cockcroft-Gault chosen by BMI (Winter 2012): actual if BMI < 18.5, the lower of ideal and actual
    if 18.5-24.9, adjusted (IBW + 0.4 x excess) if 25 or more."""
    bmi = weight_kg / (height_cm / 100) ** 2
    ibw = devine_ibw_kg(height_cm, sex)
    if bmi < 18.5:
        return weight_kg, "actual (BMI < 18.5)"
    if bmi < 25:
        return min(ibw, weight_kg), "lower of ideal and actual (BMI 18.5-24.9)"
    return ibw + 0.4 * (weight_kg - ibw), "adjusted (BMI >= 25)"


@calculator("Cockcroft-Gault creatinine clearance")
def cockcroft_gault(
    *,
    age_years: AdultAge,
    weight_kg: Annotated[float, span(20, 350, "Actual body weight, kg")],
    creatinine_mg_dl: Creatinine,
    sex: SexField,
    weight_basis: Annotated[
        Literal["actual", "bmi_adjusted"],
        pick("Weight in the equation: 'actual' (the original) or 'bmi_adjusted' (Winter 2012; needs height_cm)"),
    ] = "actual",
    height_cm: Annotated[float | None, span(120, 250, "Height, cm; required for weight_basis='bmi_adjusted'")] = None,
) -> CalcResult:
    """Estimated creatinine clearance, mL/min: (140 - age) x weight / (72 x SCr), x 0.85 if female.

    The original derivation used actual body weight. With ``weight_basis='bmi_adjusted'`` the weight follows Winter
    2012: actual if BMI < 18.5, the lower of ideal (Devine) and actual if 18.5-24.9, adjusted body weight if 25 or
    more, which reduces bias in obese patients. Drug labels that dose by Cockcroft-Gault mean this value, not eGFR.

    Source: Cockcroft DW, Gault MH. Prediction of creatinine clearance from serum creatinine. Nephron 1976;16:31-41;
    weight choice: Winter MA, Guhr KN, Berg GM. Impact of various body weights and serum creatinine concentrations
    on the bias and accuracy of the Cockcroft-Gault equation. Pharmacotherapy 2012;32:604-12.
    """
    weight_used, basis = weight_kg, "actual"
    if weight_basis == "bmi_adjusted":
        if height_cm is None:
            raise CalculatorInputError("cockcroft_gault: weight_basis='bmi_adjusted' needs height_cm (120 to 250 cm)")
        weight_used, basis = cockcroft_gault_weight(weight_kg, height_cm, sex)
    sex_factor = 0.85 if sex == "female" else 1.0
    value = (140 - age_years) * weight_used * sex_factor / (72 * creatinine_mg_dl)
    return CalcResult(
        calculator="cockcroft_gault",
        value=round(value, 2),
        unit="mL/min",
        band=renal_function_band(value),
        points={
            "age_term": 140 - age_years,
            "weight_used_kg": round(weight_used, 3),
            "sex_factor": sex_factor,
            "creatinine_mg_dl": creatinine_mg_dl,
        },
        source="Cockcroft DW, Gault MH. Nephron 1976;16:31-41"
        + ("; Winter MA et al. 2012" if basis != "actual" else ""),
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


@calculator("MDRD eGFR (IDMS-traceable, 4 variables)")
def mdrd_egfr(
    *,
    age_years: AdultAge,
    creatinine_mg_dl: Creatinine,
    sex: SexField,
    black_race: Annotated[bool, flag("the patient is Black (the equation's race coefficient, 1.212)")],
) -> CalcResult:
    """eGFR, mL/min/1.73 m2 = 175 x SCr^-1.154 x age^-0.203 x 0.742 [female] x 1.212 [Black].

    Kept for reproducing older reports; KDIGO now recommends the race-free CKD-EPI 2021 equation.

    Source: Levey AS et al. Using standardized serum creatinine values in the Modification of Diet in Renal Disease
    study equation for estimating glomerular filtration rate. Ann Intern Med 2006;145:247-54.
    """
    sex_factor = 0.742 if sex == "female" else 1.0
    race_factor = 1.212 if black_race else 1.0
    value = 175 * creatinine_mg_dl**-1.154 * age_years**-0.203 * sex_factor * race_factor
    return CalcResult(
        calculator="mdrd_egfr",
        value=round(value, 2),
        unit="mL/min/1.73m2",
        band=renal_function_band(value),
        points={
            "creatinine_term": creatinine_mg_dl**-1.154,
            "age_term": age_years**-0.203,
            "sex_factor": sex_factor,
            "race_factor": race_factor,
        },
        source="Levey AS et al. Ann Intern Med 2006;145:247-54.",
    )


@calculator("Fractional excretion of sodium (FENa)")
def fena(
    *,
    serum_sodium_mmol_l: Annotated[float, span(90, 200, "Serum sodium, mmol/L (= mEq/L)")],
    serum_creatinine_mg_dl: Creatinine,
    urine_sodium_mmol_l: Annotated[float, span(0, 400, "Urine sodium, mmol/L")],
    urine_creatinine_mg_dl: Annotated[float, span(1, 1000, "Urine creatinine, mg/dL")],
) -> CalcResult:
    """FENa, % = (urine Na x serum creatinine) / (serum Na x urine creatinine) x 100.

    In oliguric acute kidney injury below 1% suggests a prerenal cause and above 2% acute tubular necrosis;
    diuretics raise it.

    Source: Espinel CH. The FENa test: use in the differential diagnosis of acute renal failure. JAMA
    1976;236:579-81; Miller TR et al. Urinary diagnostic indices in acute renal failure. Ann Intern Med
    1978;89:47-50.
    """
    value = urine_sodium_mmol_l * serum_creatinine_mg_dl / (serum_sodium_mmol_l * urine_creatinine_mg_dl) * 100
    band = (
        "prerenal range (<1%)" if value < 1 else "indeterminate (1-2%)" if value <= 2 else "intrinsic/ATN range (>2%)"
    )
    return CalcResult(
        calculator="fena",
        value=round(value, 3),
        unit="%",
        band=band,
        points={
            "sodium_clearance_ratio": urine_sodium_mmol_l / serum_sodium_mmol_l,
            "creatinine_clearance_ratio": urine_creatinine_mg_dl / serum_creatinine_mg_dl,
        },
        source="Espinel CH. JAMA 1976;236:579-81.",
    )
