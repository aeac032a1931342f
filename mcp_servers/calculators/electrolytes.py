"""Electrolytes and acid-base: corrected calcium and sodium, osmolality, the anion-gap family, free water deficit."""

from __future__ import annotations

from typing import Annotated, Literal

from healthgym.mcp_servers.calculators._fields import Sex, pick, span
from healthgym.mcp_servers.calculators.registry import calculator
from healthgym.mcp_servers.calculators.result import CalcResult, CalculatorInputError

Sodium = Annotated[float, span(90, 200, "Serum sodium, mmol/L (= mEq/L)")]
Chloride = Annotated[float, span(50, 160, "Serum chloride, mmol/L (= mEq/L)")]
Bicarbonate = Annotated[float, span(1, 60, "Serum bicarbonate (total CO2), mmol/L (= mEq/L)")]
Albumin = Annotated[float, span(0.5, 7, "Serum albumin, g/dL (g/L / 10)")]
GlucoseMgDl = Annotated[float, span(10, 3000, "Serum glucose, mg/dL (mmol/L x 18.016)")]

NORMAL_ANION_GAP = 12.0
"""Mid-normal anion gap (mmol/L) the delta gap and ratio subtract; Kraut & Madias 2007 discuss lab variation."""
NORMAL_BICARBONATE = 24.0
"""Normal bicarbonate (mmol/L) in the delta ratio's denominator."""
NORMAL_ALBUMIN = 4.0
"""Reference albumin (g/dL) for the anion-gap albumin correction."""
ANION_GAP_SOURCE = "Kraut JA, Madias NE. Clin J Am Soc Nephrol 2007;2:162-74."
FIGGE_SOURCE = "Figge J et al. Crit Care Med 1998;26:1807-10."


@calculator("Calcium corrected for albumin")
def calcium_correction(
    *,
    calcium_mg_dl: Annotated[float, span(1, 25, "Total serum calcium, mg/dL (mmol/L x 4.008)")],
    albumin_g_dl: Albumin,
    normal_albumin_g_dl: Annotated[
        float, span(3, 5, "Reference albumin, g/dL (the formula's 4.0 unless the lab differs)")
    ] = 4.0,
) -> CalcResult:
    """Corrected calcium, mg/dL = calcium + 0.8 x (normal albumin - albumin).

    Source: Payne RB, Little AJ, Williams RB, Milner JR. Interpretation of serum calcium in patients with abnormal
    serum proteins. Br Med J 1973;4:643-6.
    """
    correction = 0.8 * (normal_albumin_g_dl - albumin_g_dl)
    value = calcium_mg_dl + correction
    band = "low (<8.5 mg/dL)" if value < 8.5 else "high (>10.5 mg/dL)" if value > 10.5 else "normal (8.5-10.5 mg/dL)"
    return CalcResult(
        calculator="calcium_correction",
        value=round(value, 2),
        unit="mg/dL",
        band=band,
        points={"measured_calcium": calcium_mg_dl, "albumin_correction": round(correction, 4)},
        source="Payne RB et al. Br Med J 1973;4:643-6.",
    )


@calculator("Sodium corrected for hyperglycaemia")
def sodium_correction_hyperglycemia(
    *,
    sodium_mmol_l: Sodium,
    glucose_mg_dl: GlucoseMgDl,
    method: Annotated[
        Literal["hillier", "katz"],
        pick("Correction factor: 'hillier' 2.4 (default, 1999) or 'katz' 1.6 mmol/L per 100 mg/dL above 100"),
    ] = "hillier",
) -> CalcResult:
    """Corrected sodium, mmol/L = sodium + factor x (glucose - 100) / 100.

    Hillier's 2.4 per 100 mg/dL was measured in volunteers made hyperglycaemic; Katz derived 1.6 from theory.

    Source: Hillier TA, Abbott RD, Barrett EJ. Hyponatremia: evaluating the correction factor for hyperglycemia.
    Am J Med 1999;106:399-403; Katz MA. Hyperglycemia-induced hyponatremia. N Engl J Med 1973;289:843-4.
    """
    factor = 2.4 if method == "hillier" else 1.6
    correction = factor * (glucose_mg_dl - 100) / 100
    value = sodium_mmol_l + correction
    band = "low (<135)" if value < 135 else "high (>145)" if value > 145 else "normal (135-145)"
    return CalcResult(
        calculator="sodium_correction_hyperglycemia",
        value=round(value, 2),
        unit="mmol/L",
        band=band,
        points={"measured_sodium": sodium_mmol_l, "glucose_correction": round(correction, 4)},
        source="Hillier TA et al. Am J Med 1999;106:399-403." if method == "hillier" else "Katz MA. NEJM 1973.",
    )


@calculator("Calculated serum osmolality")
def serum_osmolality(
    *,
    sodium_mmol_l: Sodium,
    bun_mg_dl: Annotated[float, span(1, 300, "Blood urea nitrogen, mg/dL (urea mmol/L x 2.8)")],
    glucose_mg_dl: GlucoseMgDl,
    ethanol_mg_dl: Annotated[
        float | None, span(0, 1000, "Serum ethanol, mg/dL, if measured; adds ethanol/3.7 (Purssell 2001)")
    ] = None,
) -> CalcResult:
    """Calculated osmolality, mOsm/kg = 2 x Na + BUN/2.8 + glucose/18 (+ ethanol/3.7 when measured).

    Normal about 275-295 mOsm/kg; compare with measured osmolality for the osmolal gap.

    Source: Smithline N, Gardner KD Jr. Gaps - anionic and osmolal. JAMA 1976;236:1594-7; ethanol term: Purssell RA
    et al. Derivation and validation of a formula to calculate the contribution of ethanol to the osmolal gap. Ann
    Emerg Med 2001;38:653-9.
    """
    points = {"sodium": 2 * sodium_mmol_l, "urea": bun_mg_dl / 2.8, "glucose": glucose_mg_dl / 18}
    if ethanol_mg_dl is not None:
        points["ethanol"] = ethanol_mg_dl / 3.7
    value = sum(points.values())
    band = "low (<275)" if value < 275 else "high (>295)" if value > 295 else "normal (275-295)"
    return CalcResult(
        calculator="serum_osmolality",
        value=round(value, 2),
        unit="mOsm/kg",
        band=band,
        points={name: round(term, 4) for name, term in points.items()},
        source="Smithline N, Gardner KD Jr. JAMA 1976;236:1594-7.",
    )


def _anion_gap(sodium: float, chloride: float, bicarbonate: float) -> float:
    return sodium - (chloride + bicarbonate)


def _gap_band(gap: float) -> str:
    return "elevated (>12 mmol/L)" if gap > NORMAL_ANION_GAP else "not elevated (<=12 mmol/L)"


def _delta_ratio_band(ratio: float) -> str:
    """Interpretation of the delta ratio in a high anion-gap acidosis (Wrenn 1990; Rastegar 2007)."""
    if ratio < 0.4:
        return "<0.4: hyperchloraemic normal anion-gap acidosis"
    if ratio < 1:
        return "0.4-1: combined high and normal anion-gap acidosis"
    if ratio <= 2:
        return "1-2: pure high anion-gap acidosis"
    return ">2: high anion-gap acidosis with metabolic alkalosis or compensated respiratory acidosis"


def _delta_ratio(delta_gap: float, bicarbonate: float, name: str) -> float:
    if bicarbonate == NORMAL_BICARBONATE:
        raise CalculatorInputError(
            f"{name}: bicarbonate_mmol_l=24 leaves no bicarbonate deficit, so the ratio is undefined; "
            "bicarbonate must differ from 24 mmol/L"
        )
    return delta_gap / (NORMAL_BICARBONATE - bicarbonate)


@calculator("Anion gap")
def anion_gap(*, sodium_mmol_l: Sodium, chloride_mmol_l: Chloride, bicarbonate_mmol_l: Bicarbonate) -> CalcResult:
    """Anion gap, mmol/L = Na - (Cl + HCO3). Above about 12 mmol/L suggests unmeasured anions.

    Source: Emmett M, Narins RG. Clinical use of the anion gap. Medicine 1977;56:38-54; reference range: Kraut JA,
    Madias NE. Serum anion gap: its uses and limitations in clinical medicine. Clin J Am Soc Nephrol 2007;2:162-74.
    """
    gap = _anion_gap(sodium_mmol_l, chloride_mmol_l, bicarbonate_mmol_l)
    return CalcResult(
        calculator="anion_gap",
        value=round(gap, 2),
        unit="mmol/L",
        band=_gap_band(gap),
        points={"sodium": sodium_mmol_l, "chloride": -chloride_mmol_l, "bicarbonate": -bicarbonate_mmol_l},
        source="Emmett M, Narins RG. Medicine 1977;56:38-54; " + ANION_GAP_SOURCE,
    )


@calculator("Delta gap")
def delta_gap(*, sodium_mmol_l: Sodium, chloride_mmol_l: Chloride, bicarbonate_mmol_l: Bicarbonate) -> CalcResult:
    """Delta gap, mmol/L = anion gap - 12: the rise of the gap above normal.

    Source: Wrenn K. The delta (delta) gap: an approach to mixed acid-base disorders. Ann Emerg Med
    1990;19:1310-3.
    """
    gap = _anion_gap(sodium_mmol_l, chloride_mmol_l, bicarbonate_mmol_l)
    return CalcResult(
        calculator="delta_gap",
        value=round(gap - NORMAL_ANION_GAP, 2),
        unit="mmol/L",
        band=_gap_band(gap),
        points={"anion_gap": round(gap, 4), "normal_anion_gap": -NORMAL_ANION_GAP},
        source="Wrenn K. Ann Emerg Med 1990;19:1310-3.",
    )


@calculator("Delta ratio")
def delta_ratio(*, sodium_mmol_l: Sodium, chloride_mmol_l: Chloride, bicarbonate_mmol_l: Bicarbonate) -> CalcResult:
    """Delta ratio = (anion gap - 12) / (24 - HCO3); undefined when HCO3 is 24.

    Source: Wrenn K. Ann Emerg Med 1990;19:1310-3; bands: Rastegar A. Use of the delta-gap/delta-HCO3 ratio in
    the diagnosis of mixed acid-base disorders. J Am Soc Nephrol 2007;18:2429-31.
    """
    gap = _anion_gap(sodium_mmol_l, chloride_mmol_l, bicarbonate_mmol_l)
    ratio = _delta_ratio(gap - NORMAL_ANION_GAP, bicarbonate_mmol_l, "delta_ratio")
    return CalcResult(
        calculator="delta_ratio",
        value=round(ratio, 3),
        unit="ratio",
        band=_delta_ratio_band(ratio),
        points={
            "delta_gap": round(gap - NORMAL_ANION_GAP, 4),
            "delta_bicarbonate": NORMAL_BICARBONATE - bicarbonate_mmol_l,
        },
        source="Wrenn K 1990; Rastegar A. J Am Soc Nephrol 2007;18:2429-31.",
    )


def _albumin_corrected_gap(sodium: float, chloride: float, bicarbonate: float, albumin: float) -> float:
    return _anion_gap(sodium, chloride, bicarbonate) + 2.5 * (NORMAL_ALBUMIN - albumin)


@calculator("Albumin-corrected anion gap")
def albumin_corrected_anion_gap(
    *, sodium_mmol_l: Sodium, chloride_mmol_l: Chloride, bicarbonate_mmol_l: Bicarbonate, albumin_g_dl: Albumin
) -> CalcResult:
    """Corrected anion gap, mmol/L = anion gap + 2.5 x (4.0 - albumin g/dL): each g/dL of albumin lost hides 2.5.

    Source: Figge J, Jabor A, Kazda A, Fencl V. Anion gap and hypoalbuminemia. Crit Care Med 1998;26:1807-10.
    """
    gap = _anion_gap(sodium_mmol_l, chloride_mmol_l, bicarbonate_mmol_l)
    corrected = _albumin_corrected_gap(sodium_mmol_l, chloride_mmol_l, bicarbonate_mmol_l, albumin_g_dl)
    return CalcResult(
        calculator="albumin_corrected_anion_gap",
        value=round(corrected, 2),
        unit="mmol/L",
        band=_gap_band(corrected),
        points={"anion_gap": round(gap, 4), "albumin_correction": round(2.5 * (NORMAL_ALBUMIN - albumin_g_dl), 4)},
        source=FIGGE_SOURCE,
    )


@calculator("Albumin-corrected delta gap")
def albumin_corrected_delta_gap(
    *, sodium_mmol_l: Sodium, chloride_mmol_l: Chloride, bicarbonate_mmol_l: Bicarbonate, albumin_g_dl: Albumin
) -> CalcResult:
    """Albumin-corrected delta gap, mmol/L = albumin-corrected anion gap - 12.

    Source: Figge J et al. Crit Care Med 1998;26:1807-10; Wrenn K. Ann Emerg Med 1990;19:1310-3.
    """
    corrected = _albumin_corrected_gap(sodium_mmol_l, chloride_mmol_l, bicarbonate_mmol_l, albumin_g_dl)
    return CalcResult(
        calculator="albumin_corrected_delta_gap",
        value=round(corrected - NORMAL_ANION_GAP, 2),
        unit="mmol/L",
        band=_gap_band(corrected),
        points={"corrected_anion_gap": round(corrected, 4), "normal_anion_gap": -NORMAL_ANION_GAP},
        source=FIGGE_SOURCE + " Wrenn K 1990.",
    )


@calculator("Albumin-corrected delta ratio")
def albumin_corrected_delta_ratio(
    *, sodium_mmol_l: Sodium, chloride_mmol_l: Chloride, bicarbonate_mmol_l: Bicarbonate, albumin_g_dl: Albumin
) -> CalcResult:
    """Albumin-corrected delta ratio = (corrected anion gap - 12) / (24 - HCO3); undefined when HCO3 is 24.

    Source: Figge J et al. Crit Care Med 1998;26:1807-10; Rastegar A. J Am Soc Nephrol 2007;18:2429-31.
    """
    corrected = _albumin_corrected_gap(sodium_mmol_l, chloride_mmol_l, bicarbonate_mmol_l, albumin_g_dl)
    ratio = _delta_ratio(corrected - NORMAL_ANION_GAP, bicarbonate_mmol_l, "albumin_corrected_delta_ratio")
    return CalcResult(
        calculator="albumin_corrected_delta_ratio",
        value=round(ratio, 3),
        unit="ratio",
        band=_delta_ratio_band(ratio),
        points={
            "corrected_delta_gap": round(corrected - NORMAL_ANION_GAP, 4),
            "delta_bicarbonate": NORMAL_BICARBONATE - bicarbonate_mmol_l,
        },
        source=FIGGE_SOURCE + " Rastegar A 2007.",
    )


def total_body_water_fraction(age_years: float, sex: Sex) -> float:
    """Fraction of body weight that is water: 0.6 children and adult men, 0.5 adult women and older men, 0.45 older
    women (Adrogue & Madias 2000)."""
    if age_years < 18:
        return 0.6
    if age_years < 65:
        return 0.6 if sex == "male" else 0.5
    return 0.5 if sex == "male" else 0.45


@calculator("Free water deficit")
def free_water_deficit(
    *,
    age_years: Annotated[float, span(0, 120, "Age, years (sets the body-water fraction)")],
    sex: Annotated[Sex, pick("Sex (sets the body-water fraction)")],
    weight_kg: Annotated[float, span(0.5, 400, "Body weight, kg")],
    sodium_mmol_l: Sodium,
    target_sodium_mmol_l: Annotated[float, span(130, 150, "Target sodium, mmol/L")] = 140,
) -> CalcResult:
    """Free water deficit, L = total body water x (Na / target Na - 1).

    Total body water = weight x 0.6 (children, men under 65), 0.5 (women under 65, men 65+), 0.45 (women 65+).
    A negative value means sodium is already at or below target: there is no deficit to replace.

    Source: Adrogue HJ, Madias NE. Hypernatremia. N Engl J Med 2000;342:1493-9.
    """
    fraction = total_body_water_fraction(age_years, sex)
    value = fraction * weight_kg * (sodium_mmol_l / target_sodium_mmol_l - 1)
    return CalcResult(
        calculator="free_water_deficit",
        value=round(value, 2),
        unit="L",
        band="free water deficit" if value > 0 else "no deficit (sodium at or below target)",
        points={
            "total_body_water_l": round(fraction * weight_kg, 3),
            "sodium_ratio": sodium_mmol_l / target_sodium_mmol_l,
        },
        source="Adrogue HJ, Madias NE. N Engl J Med 2000;342:1493-9.",
    )
