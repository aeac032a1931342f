"""Laboratory-based calculators: electrolytes, lipids, insulin resistance, liver and GI bleeding."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.calculators import (
    CalculatorInputError,
    albumin_corrected_anion_gap,
    albumin_corrected_delta_gap,
    albumin_corrected_delta_ratio,
    anion_gap,
    calcium_correction,
    child_pugh,
    delta_gap,
    delta_ratio,
    fib4,
    free_water_deficit,
    glasgow_blatchford,
    homa_ir,
    ldl_friedewald,
    meld_na,
    serum_osmolality,
    sodium_correction_hyperglycemia,
)


def test_calcium_correction() -> None:
    assert calcium_correction(calcium_mg_dl=8.0, albumin_g_dl=2.0).value == 9.6  # 8.0 + 0.8 x (4 - 2)
    assert calcium_correction(calcium_mg_dl=8.5, albumin_g_dl=4.0).band.startswith("normal")
    assert calcium_correction(calcium_mg_dl=8.49, albumin_g_dl=4.0).band.startswith("low")


def test_sodium_correction_hillier_and_katz() -> None:
    assert sodium_correction_hyperglycemia(sodium_mmol_l=130, glucose_mg_dl=600).value == 142  # +2.4 x 5
    assert sodium_correction_hyperglycemia(sodium_mmol_l=130, glucose_mg_dl=600, method="katz").value == 138


def test_serum_osmolality() -> None:
    assert serum_osmolality(sodium_mmol_l=140, bun_mg_dl=28, glucose_mg_dl=180).value == 300  # 280 + 10 + 10
    with_ethanol = serum_osmolality(sodium_mmol_l=140, bun_mg_dl=28, glucose_mg_dl=180, ethanol_mg_dl=370)
    assert with_ethanol.value == 400 and with_ethanol.points["ethanol"] == 100


def test_anion_gap_family() -> None:
    lytes = dict(sodium_mmol_l=140, chloride_mmol_l=100, bicarbonate_mmol_l=16)
    assert anion_gap(**lytes).value == 24
    assert delta_gap(**lytes).value == 12
    assert delta_ratio(**lytes).value == 1.5  # 12 / (24 - 16)
    assert anion_gap(sodium_mmol_l=140, chloride_mmol_l=104, bicarbonate_mmol_l=24).band.startswith("not elevated")
    assert anion_gap(sodium_mmol_l=140, chloride_mmol_l=103.9, bicarbonate_mmol_l=24).band.startswith("elevated")
    # albumin 2.0 g/dL hides 5 mmol/L of gap: 24 + 2.5 x 2 = 29; delta 17; ratio 17 / 8
    assert albumin_corrected_anion_gap(**lytes, albumin_g_dl=2.0).value == 29
    assert albumin_corrected_delta_gap(**lytes, albumin_g_dl=2.0).value == 17
    assert albumin_corrected_delta_ratio(**lytes, albumin_g_dl=2.0).value == pytest.approx(2.125)


@pytest.mark.parametrize(("bicarbonate", "band"), [(4, "<0.4"), (14, "0.4-1"), (16, "1-2"), (23, ">2")])
def test_delta_ratio_bands(bicarbonate: float, band: str) -> None:
    # ratios: (140-130-4-12)/20 = -0.3; (140-110-14-12)/10 = 0.4; (140-100-16-12)/8 = 1.5; (28-23)/1 = 5
    chloride = {4: 130, 14: 110, 16: 100, 23: 100}[bicarbonate]
    result = delta_ratio(sodium_mmol_l=140, chloride_mmol_l=chloride, bicarbonate_mmol_l=bicarbonate)
    assert result.band.startswith(band)


def test_delta_ratio_is_undefined_at_normal_bicarbonate() -> None:
    with pytest.raises(CalculatorInputError, match="bicarbonate"):
        delta_ratio(sodium_mmol_l=140, chloride_mmol_l=100, bicarbonate_mmol_l=24)


@pytest.mark.parametrize(
    ("age", "sex", "weight", "sodium", "litres"),
    [
        (40, "male", 70, 160, 6.0),
        (40, "female", 70, 154, 3.5),
        (70, "male", 70, 154, 3.5),
        (70, "female", 60, 154, 2.7),
        (10, "female", 30, 154, 1.8),
    ],
)
def test_free_water_deficit_body_water_fractions(
    age: float, sex: str, weight: float, sodium: float, litres: float
) -> None:
    result = free_water_deficit(age_years=age, sex=sex, weight_kg=weight, sodium_mmol_l=sodium)
    assert result.value == pytest.approx(litres)


def test_free_water_deficit_age_boundaries() -> None:
    assert (
        free_water_deficit(age_years=17.9, sex="female", weight_kg=50, sodium_mmol_l=154).points["total_body_water_l"]
        == 30
    )
    assert (
        free_water_deficit(age_years=64.9, sex="male", weight_kg=50, sodium_mmol_l=154).points["total_body_water_l"]
        == 30
    )
    assert (
        free_water_deficit(age_years=65, sex="male", weight_kg=50, sodium_mmol_l=154).points["total_body_water_l"] == 25
    )


def test_ldl_friedewald() -> None:
    result = ldl_friedewald(total_cholesterol_mg_dl=200, hdl_mg_dl=50, triglycerides_mg_dl=150)
    assert result.value == 120 and result.band.startswith("near optimal")
    assert ldl_friedewald(total_cholesterol_mg_dl=200, hdl_mg_dl=50, triglycerides_mg_dl=400).value == 70
    with pytest.raises(CalculatorInputError, match="triglycerides_mg_dl"):
        ldl_friedewald(total_cholesterol_mg_dl=200, hdl_mg_dl=50, triglycerides_mg_dl=401)
    with pytest.raises(CalculatorInputError, match="inconsistent"):
        ldl_friedewald(total_cholesterol_mg_dl=100, hdl_mg_dl=90, triglycerides_mg_dl=300)


def test_homa_ir_matches_the_mmol_form() -> None:
    # 10 uIU/mL x 90 mg/dL / 405 = 2.222 = 10 x 5.0 mmol/L / 22.5
    assert homa_ir(fasting_insulin_uiu_ml=10, fasting_glucose_mg_dl=90).value == pytest.approx(2.222)


def test_fib4() -> None:
    result = fib4(age_years=50, ast_u_l=40, alt_u_l=36, platelets_10e9_l=200)  # 50 x 40 / (200 x 6)
    assert result.value == pytest.approx(1.667)
    assert result.band.startswith("1.45-3.25")


@pytest.mark.parametrize(("age", "band"), [(28.99, "<1.45"), (29, "1.45-3.25"), (65, "1.45-3.25"), (65.01, ">3.25")])
def test_fib4_thresholds(age: float, band: str) -> None:
    # AST 30, ALT 36, platelets 100: FIB-4 = age x 30 / 600 = age / 20 -> 1.45 at 29, 3.25 at 65
    assert fib4(age_years=age, ast_u_l=30, alt_u_l=36, platelets_10e9_l=100).band.startswith(band)


def test_meld_na_worked_examples() -> None:
    # MELD(i) = 0.378 ln 2.8 + 1.120 ln 1.5 + 0.643 = 1.4863 -> 15; Na 139 is bounded to 137: no change
    assert (
        meld_na(
            creatinine_mg_dl=1.0, bilirubin_mg_dl=2.8, inr=1.5, sodium_mmol_l=139, dialysis_in_past_week=False
        ).value
        == 15
    )
    # MELD(i) = 0.957 ln 2 + 0.378 ln 3 + 1.120 ln 2 + 0.643 = 2.4979 -> 25; 25 + 1.32 x 9 - 0.033 x 25 x 9 = 29.46
    result = meld_na(creatinine_mg_dl=2.0, bilirubin_mg_dl=3.0, inr=2.0, sodium_mmol_l=128, dialysis_in_past_week=False)
    assert result.value == 29
    # lab values below 1 count as 1: MELD(i) 0.643 -> 6 (no sodium term at 11 or less)
    assert (
        meld_na(
            creatinine_mg_dl=0.5, bilirubin_mg_dl=0.5, inr=0.9, sodium_mmol_l=120, dialysis_in_past_week=False
        ).value
        == 6
    )
    # dialysis sets creatinine to 4.0
    dialysed = meld_na(
        creatinine_mg_dl=1.0, bilirubin_mg_dl=1.0, inr=1.0, sodium_mmol_l=137, dialysis_in_past_week=True
    )
    assert dialysed.value == 20  # 0.957 ln 4 + 0.643 = 1.9697 -> 20
    assert (
        meld_na(creatinine_mg_dl=8, bilirubin_mg_dl=40, inr=8, sodium_mmol_l=120, dialysis_in_past_week=True).value
        == 40
    )


def _child_pugh(**overrides: object):
    inputs = dict(bilirubin_mg_dl=1.0, albumin_g_dl=4.0, inr=1.0, ascites="none", encephalopathy="none")
    return child_pugh(**{**inputs, **overrides})


def test_child_pugh_worked_example() -> None:
    result = _child_pugh(bilirubin_mg_dl=1.5, albumin_g_dl=3.0, ascites="slight")  # 1 + 2 + 1 + 2 + 1
    assert result.value == 7 and result.band.startswith("class B")
    assert _child_pugh().band.startswith("class A")


@pytest.mark.parametrize(
    ("overrides", "item", "points"),
    [
        ({"bilirubin_mg_dl": 1.99}, "bilirubin", 1),
        ({"bilirubin_mg_dl": 2.0}, "bilirubin", 2),
        ({"bilirubin_mg_dl": 3.0}, "bilirubin", 2),
        ({"bilirubin_mg_dl": 3.01}, "bilirubin", 3),
        ({"albumin_g_dl": 3.51}, "albumin", 1),
        ({"albumin_g_dl": 3.5}, "albumin", 2),
        ({"albumin_g_dl": 2.8}, "albumin", 2),
        ({"albumin_g_dl": 2.79}, "albumin", 3),
        ({"inr": 1.69}, "inr", 1),
        ({"inr": 1.7}, "inr", 2),
        ({"inr": 2.3}, "inr", 2),
        ({"inr": 2.31}, "inr", 3),
    ],
)
def test_child_pugh_boundaries(overrides: dict[str, float], item: str, points: int) -> None:
    assert _child_pugh(**overrides).points[item] == points


def test_child_pugh_class_boundaries() -> None:
    assert _child_pugh(ascites="slight").value == 6 and _child_pugh(ascites="slight").band.startswith("class A")
    nine = _child_pugh(ascites="moderate", encephalopathy="grade_3_4")
    ten = _child_pugh(ascites="moderate", encephalopathy="grade_3_4", inr=1.7)
    assert (nine.value, ten.value) == (9, 10)
    assert nine.band.startswith("class B") and ten.band.startswith("class C")


def _gbs(**overrides: object):
    inputs = dict(
        bun_mg_dl=10,
        hemoglobin_g_dl=14,
        sex="male",
        systolic_bp_mm_hg=120,
        heart_rate_bpm=80,
        melena=False,
        syncope=False,
        hepatic_disease=False,
        cardiac_failure=False,
    )
    return glasgow_blatchford(**{**inputs, **overrides})


def test_glasgow_blatchford_worked_example() -> None:
    # BUN 28 mg/dL = urea 10 mmol/L (4), Hb 11 (3), SBP 95 (2), HR 105 (1), melaena (1) = 11
    result = _gbs(bun_mg_dl=28, hemoglobin_g_dl=11, systolic_bp_mm_hg=95, heart_rate_bpm=105, melena=True)
    assert result.value == 11
    assert _gbs().value == 0 and _gbs().band.startswith("very low")


@pytest.mark.parametrize(
    ("overrides", "item", "points"),
    [
        ({"bun_mg_dl": 18.1}, "urea", 0),
        ({"bun_mg_dl": 18.2}, "urea", 2),
        ({"bun_mg_dl": 22.3}, "urea", 2),
        ({"bun_mg_dl": 22.4}, "urea", 3),
        ({"bun_mg_dl": 27.9}, "urea", 3),
        ({"bun_mg_dl": 28}, "urea", 4),
        ({"bun_mg_dl": 69.9}, "urea", 4),
        ({"bun_mg_dl": 70}, "urea", 6),
        ({"hemoglobin_g_dl": 13}, "hemoglobin", 0),
        ({"hemoglobin_g_dl": 12.9}, "hemoglobin", 1),
        ({"hemoglobin_g_dl": 12}, "hemoglobin", 1),
        ({"hemoglobin_g_dl": 11.9}, "hemoglobin", 3),
        ({"hemoglobin_g_dl": 10}, "hemoglobin", 3),
        ({"hemoglobin_g_dl": 9.9}, "hemoglobin", 6),
        ({"sex": "female", "hemoglobin_g_dl": 12}, "hemoglobin", 0),
        ({"sex": "female", "hemoglobin_g_dl": 11.9}, "hemoglobin", 1),
        ({"sex": "female", "hemoglobin_g_dl": 10}, "hemoglobin", 1),
        ({"sex": "female", "hemoglobin_g_dl": 9.9}, "hemoglobin", 6),
        ({"systolic_bp_mm_hg": 110}, "systolic_bp", 0),
        ({"systolic_bp_mm_hg": 109}, "systolic_bp", 1),
        ({"systolic_bp_mm_hg": 100}, "systolic_bp", 1),
        ({"systolic_bp_mm_hg": 99}, "systolic_bp", 2),
        ({"systolic_bp_mm_hg": 90}, "systolic_bp", 2),
        ({"systolic_bp_mm_hg": 89}, "systolic_bp", 3),
        ({"heart_rate_bpm": 99}, "heart_rate", 0),
        ({"heart_rate_bpm": 100}, "heart_rate", 1),
    ],
)
def test_glasgow_blatchford_boundaries(overrides: dict[str, object], item: str, points: int) -> None:
    assert _gbs(**overrides).points[item] == points


@pytest.mark.parametrize(("glucose", "band"), [(183.3, "low"), (183.34, "normal"), (600, "normal"), (600.5, "high")])
def test_corrected_sodium_bands(glucose: float, band: str) -> None:
    # 133 + 2.4 x (glucose - 100) / 100: 134.999, 135.002, 145, 145.012
    assert sodium_correction_hyperglycemia(sodium_mmol_l=133, glucose_mg_dl=glucose).band.startswith(band)


@pytest.mark.parametrize(("sodium", "band"), [(132.4, "low"), (132.5, "normal"), (142.5, "normal"), (142.6, "high")])
def test_serum_osmolality_bands(sodium: float, band: str) -> None:
    # 2 x Na + 14 / 2.8 + 90 / 18 = 2 x Na + 10: 274.8, 275, 295, 295.2
    assert serum_osmolality(sodium_mmol_l=sodium, bun_mg_dl=14, glucose_mg_dl=90).band.startswith(band)


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (149.9, "optimal"),
        (150, "near optimal"),
        (179.9, "near optimal"),
        (180, "borderline"),
        (209.9, "borderline"),
        (210, "high"),
        (239.9, "high"),
        (240, "very high"),
    ],
)
def test_ldl_bands_either_side_of_each_cut_off(total: float, band: str) -> None:
    # LDL = total - 50 - 0: 99.9/100, 129.9/130, 159.9/160, 189.9/190
    assert ldl_friedewald(total_cholesterol_mg_dl=total, hdl_mg_dl=50, triglycerides_mg_dl=0).band.startswith(band)


@pytest.mark.parametrize(
    ("chloride", "band"),
    [(110.01, "<0.4"), (110, "0.4-1"), (104.01, "0.4-1"), (104, "1-2"), (94, "1-2"), (93.99, ">2")],
)
def test_delta_ratio_band_edges(chloride: float, band: str) -> None:
    # Na 140, HCO3 14: anion gap = 126 - Cl, ratio = (gap - 12) / (24 - 14) = (114 - Cl) / 10
    assert delta_ratio(sodium_mmol_l=140, chloride_mmol_l=chloride, bicarbonate_mmol_l=14).band.startswith(band)
