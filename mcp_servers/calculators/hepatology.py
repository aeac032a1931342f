"""Liver disease: fibrosis (FIB-4), transplant priority (MELD-Na) and cirrhosis severity (Child-Pugh)."""

from __future__ import annotations

import math
from typing import Annotated, Literal

from healthgym.mcp_servers.calculators._fields import flag, pick, span
from healthgym.mcp_servers.calculators._scoring import up_to
from healthgym.mcp_servers.calculators.registry import calculator
from healthgym.mcp_servers.calculators.result import CalcResult

Bilirubin = Annotated[float, span(0.1, 80, "Total bilirubin, mg/dL (umol/L / 17.1)")]
Inr = Annotated[float, span(0.5, 20, "International normalised ratio")]


@calculator("FIB-4 index for liver fibrosis")
def fib4(
    *,
    age_years: Annotated[float, span(18, 120, "Age, years")],
    ast_u_l: Annotated[float, span(1, 10000, "Aspartate aminotransferase, U/L")],
    alt_u_l: Annotated[float, span(1, 10000, "Alanine aminotransferase, U/L")],
    platelets_10e9_l: Annotated[float, span(1, 2000, "Platelet count, x10^9/L (= x10^3/uL)")],
) -> CalcResult:
    """FIB-4 = age x AST / (platelets x sqrt(ALT)).

    Below 1.45 advanced fibrosis is unlikely; above 3.25 it is likely (HIV/HCV derivation cohort).

    Source: Sterling RK et al. Development of a simple noninvasive index to predict significant fibrosis in patients
    with HIV/HCV coinfection. Hepatology 2006;43:1317-25.
    """
    value = age_years * ast_u_l / (platelets_10e9_l * math.sqrt(alt_u_l))
    if value < 1.45:
        band = "<1.45: advanced fibrosis unlikely"
    else:
        band = "1.45-3.25: indeterminate" if value <= 3.25 else ">3.25: advanced fibrosis likely"
    return CalcResult(
        calculator="fib4",
        value=round(value, 3),
        unit="index",
        band=band,
        points={
            "age_x_ast": age_years * ast_u_l,
            "platelets_x_sqrt_alt": round(platelets_10e9_l * math.sqrt(alt_u_l), 4),
        },
        source="Sterling RK et al. Hepatology 2006;43:1317-25.",
    )


def _round_half_up(value: float, digits: int = 0) -> float:
    scale = 10**digits
    return math.floor(value * scale + 0.5) / scale


@calculator("MELD-Na (UNOS/OPTN 2016)")
def meld_na(
    *,
    creatinine_mg_dl: Annotated[float, span(0.1, 25, "Serum creatinine, mg/dL (umol/L / 88.4)")],
    bilirubin_mg_dl: Bilirubin,
    inr: Inr,
    sodium_mmol_l: Annotated[float, span(90, 200, "Serum sodium, mmol/L")],
    dialysis_in_past_week: Annotated[
        bool, flag("dialysis at least twice, or CVVHD for 24 hours or more, in the past 7 days (creatinine set to 4)")
    ],
) -> CalcResult:
    """MELD-Na, 6-40, as OPTN computes it for liver allocation.

    Values below 1.0 are set to 1.0; creatinine is capped at 4.0 (and set to 4.0 after dialysis); sodium is bounded
    to 125-137. MELD(i) = 0.957 ln(Cr) + 0.378 ln(bilirubin) + 1.120 ln(INR) + 0.643, rounded to a tenth and
    multiplied by 10; if above 11, MELD = MELD(i) + 1.32 (137 - Na) - 0.033 MELD(i) (137 - Na). Capped at 40.

    Source: OPTN Policy 9.1 (MELD-Na, effective January 2016); Kim WR et al. Hyponatremia and mortality among
    patients on the liver-transplant waiting list. N Engl J Med 2008;359:1018-26.
    """
    creatinine = 4.0 if dialysis_in_past_week else min(max(creatinine_mg_dl, 1.0), 4.0)
    bilirubin = max(bilirubin_mg_dl, 1.0)
    inr_used = max(inr, 1.0)
    sodium = min(max(sodium_mmol_l, 125.0), 137.0)
    terms = {
        "creatinine": 0.957 * math.log(creatinine),
        "bilirubin": 0.378 * math.log(bilirubin),
        "inr": 1.120 * math.log(inr_used),
        "constant": 0.643,
    }
    meld_i = _round_half_up(sum(terms.values()), 1) * 10
    meld = meld_i
    if meld_i > 11:
        meld = meld_i + 1.32 * (137 - sodium) - 0.033 * meld_i * (137 - sodium)
    value = min(_round_half_up(meld), 40.0)
    points = {name: round(10 * term, 4) for name, term in terms.items()}
    points["sodium_adjustment"] = round(meld - meld_i, 4)
    return CalcResult(
        calculator="meld_na",
        value=value,
        unit="points",
        band=up_to(value, ((9, "<10"), (19, "10-19"), (29, "20-29"), (39, "30-39")), "40"),
        points=points,
        source="OPTN Policy 9.1 (2016); Kim WR et al. N Engl J Med 2008;359:1018-26.",
    )


@calculator("Child-Pugh score")
def child_pugh(
    *,
    bilirubin_mg_dl: Bilirubin,
    albumin_g_dl: Annotated[float, span(0.5, 7, "Serum albumin, g/dL (g/L / 10)")],
    inr: Inr,
    ascites: Annotated[
        Literal["none", "slight", "moderate"], pick("Ascites: none (1), slight (2), moderate-severe (3)")
    ],
    encephalopathy: Annotated[
        Literal["none", "grade_1_2", "grade_3_4"],
        pick("Hepatic encephalopathy: none (1), grade 1-2 (2), grade 3-4 (3)"),
    ],
) -> CalcResult:
    """Child-Pugh score, 5-15; class A 5-6, B 7-9, C 10-15.

    Bilirubin <2: 1, 2-3: 2, >3 mg/dL: 3. Albumin >3.5: 1, 2.8-3.5: 2, <2.8 g/dL: 3. INR <1.7: 1, 1.7-2.3: 2,
    >2.3: 3 (the INR cut-offs replace Pugh's prothrombin-time prolongation of 1-4, 4-6, >6 s).

    Source: Pugh RN, Murray-Lyon IM, Dawson JL, Pietroni MC, Williams R. Transection of the oesophagus for bleeding
    oesophageal varices. Br J Surg 1973;60:646-9.
    """
    points = {
        "bilirubin": 1 if bilirubin_mg_dl < 2 else 2 if bilirubin_mg_dl <= 3 else 3,
        "albumin": 1 if albumin_g_dl > 3.5 else 2 if albumin_g_dl >= 2.8 else 3,
        "inr": 1 if inr < 1.7 else 2 if inr <= 2.3 else 3,
        "ascites": {"none": 1, "slight": 2, "moderate": 3}[ascites],
        "encephalopathy": {"none": 1, "grade_1_2": 2, "grade_3_4": 3}[encephalopathy],
    }
    total = sum(points.values())
    band = up_to(total, ((6, "class A (5-6)"), (9, "class B (7-9)")), "class C (10-15)")
    return CalcResult(
        calculator="child_pugh",
        value=total,
        unit="points",
        band=band,
        points=points,
        source="Pugh RN et al. Br J Surg 1973;60:646-9.",
    )
