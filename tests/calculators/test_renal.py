"""Kidney function and body size: worked examples from the sources and both sides of every threshold."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.calculators import (
    CalculatorInputError,
    adjusted_body_weight,
    bmi,
    body_surface_area,
    ckd_epi_2021,
    cockcroft_gault,
    fena,
    ideal_body_weight,
    mdrd_egfr,
    target_weight,
)


def test_cockcroft_gault_worked_example() -> None:
    # (140 - 60) x 72 / (72 x 1.0) = 80 mL/min; women x 0.85 = 68
    male = cockcroft_gault(age_years=60, weight_kg=72, creatinine_mg_dl=1.0, sex="male")
    female = cockcroft_gault(age_years=60, weight_kg=72, creatinine_mg_dl=1.0, sex="female")
    assert (male.value, female.value) == (80.0, 68.0)
    assert male.unit == "mL/min" and male.points["weight_used_kg"] == 72
    assert "Cockcroft" in male.source


@pytest.mark.parametrize(
    ("creatinine", "band"),
    [(1.0, "G2"), (1.0001, "G3a")],  # (140 - 80) x 72 / 72 = 60.0 exactly, then just below 60
)
def test_cockcroft_gault_band_either_side_of_60(creatinine: float, band: str) -> None:
    result = cockcroft_gault(age_years=80, weight_kg=72, creatinine_mg_dl=creatinine, sex="male")
    assert result.band.startswith(band)


def test_cockcroft_gault_bmi_adjusted_weight_follows_winter_2012() -> None:
    # MedCalc-Bench's example: 56 M, 68 kg, 176 cm (BMI 21.95, IBW 71.37) -> min(IBW, actual) = 68 -> 79.33
    normal = cockcroft_gault(
        age_years=56, weight_kg=68, creatinine_mg_dl=1.0, sex="male", weight_basis="bmi_adjusted", height_cm=176
    )
    assert normal.value == pytest.approx(79.33, abs=0.01)
    # 175 cm, 110 kg (BMI 35.9): IBW 50 + 2.3 x (68.898 - 60) = 70.47; ABW = 70.47 + 0.4 x 39.53 = 86.28
    obese = cockcroft_gault(
        age_years=40, weight_kg=110, creatinine_mg_dl=1.0, sex="male", weight_basis="bmi_adjusted", height_cm=175
    )
    assert obese.points["weight_used_kg"] == pytest.approx(86.28, abs=0.01)
    # BMI 17.6 (50 kg, 168.5 cm): actual weight
    thin = cockcroft_gault(
        age_years=40, weight_kg=50, creatinine_mg_dl=1.0, sex="male", weight_basis="bmi_adjusted", height_cm=168.5
    )
    assert thin.points["weight_used_kg"] == 50


def test_cockcroft_gault_bmi_adjusted_needs_height() -> None:
    with pytest.raises(CalculatorInputError, match="height_cm"):
        cockcroft_gault(age_years=40, weight_kg=80, creatinine_mg_dl=1.0, sex="male", weight_basis="bmi_adjusted")


def test_ckd_epi_2021_matches_hand_calculation() -> None:
    # 50 F, SCr 1.0: 142 x (1/0.7)^-1.2 x 0.9938^50 x 1.012 = 142 x 0.65180 x 0.73275 x 1.012 = 68.64
    assert ckd_epi_2021(age_years=50, creatinine_mg_dl=1.0, sex="female").value == pytest.approx(68.64, abs=0.02)
    # 60 M, SCr 1.0: 142 x (1/0.9)^-1.2 x 0.9938^60 = 86.16
    result = ckd_epi_2021(age_years=60, creatinine_mg_dl=1.0, sex="male")
    assert result.value == pytest.approx(86.16, abs=0.02)
    assert result.band.startswith("G2")


@pytest.mark.parametrize("sex", ["female", "male"])
def test_ckd_epi_2021_is_continuous_at_the_kappa_knot(sex: str) -> None:
    kappa = 0.7 if sex == "female" else 0.9
    below = ckd_epi_2021(age_years=50, creatinine_mg_dl=kappa - 0.001, sex=sex).value
    above = ckd_epi_2021(age_years=50, creatinine_mg_dl=kappa + 0.001, sex=sex).value
    assert below > above
    assert below - above < 0.5


def test_mdrd_matches_hand_calculation() -> None:
    # 175 x 1.0^-1.154 x 50^-0.203 x 0.742 = 175 x 0.45198 x 0.742 = 58.69; Black x 1.212 = 71.13
    assert mdrd_egfr(age_years=50, creatinine_mg_dl=1.0, sex="female", black_race=False).value == pytest.approx(
        58.69, abs=0.02
    )
    assert mdrd_egfr(age_years=50, creatinine_mg_dl=1.0, sex="female", black_race=True).value == pytest.approx(
        71.13, abs=0.03
    )


def test_fena_and_its_thresholds() -> None:
    # (20 x 2.0) / (140 x 100) x 100 = 0.286%
    result = fena(
        serum_sodium_mmol_l=140, serum_creatinine_mg_dl=2.0, urine_sodium_mmol_l=20, urine_creatinine_mg_dl=100
    )
    assert result.value == pytest.approx(0.286, abs=0.001)
    assert result.band.startswith("prerenal")
    # 1% exactly: 70 x 2 / (140 x 100) x 100; just below and just above 2%
    one = fena(serum_sodium_mmol_l=140, serum_creatinine_mg_dl=2.0, urine_sodium_mmol_l=70, urine_creatinine_mg_dl=100)
    assert one.value == 1.0 and one.band.startswith("indeterminate")
    two = fena(serum_sodium_mmol_l=140, serum_creatinine_mg_dl=2.0, urine_sodium_mmol_l=140, urine_creatinine_mg_dl=100)
    assert two.band.startswith("indeterminate")
    over = fena(
        serum_sodium_mmol_l=140, serum_creatinine_mg_dl=2.0, urine_sodium_mmol_l=141, urine_creatinine_mg_dl=100
    )
    assert over.band.startswith("intrinsic")


@pytest.mark.parametrize(
    ("weight", "band"),
    # at 2 m height BMI = weight / 4
    [
        (73.96, "underweight"),
        (74, "normal"),
        (99.96, "normal"),
        (100, "overweight"),
        (119.96, "overweight"),
        (120, "obesity class I"),
        (140, "obesity class II"),
        (160, "obesity class III"),
    ],
)
def test_bmi_who_classes_either_side_of_each_cut_off(weight: float, band: str) -> None:
    assert bmi(weight_kg=weight, height_cm=200).band.startswith(band)


def test_bmi_worked_example() -> None:
    assert bmi(weight_kg=70, height_cm=175).value == pytest.approx(22.86, abs=0.01)


def test_mosteller_bsa() -> None:
    assert body_surface_area(weight_kg=80, height_cm=180).value == 2.0  # sqrt(180 x 80 / 3600)


def test_devine_ideal_and_adjusted_weight() -> None:
    # 72 in = 182.88 cm: 50 + 2.3 x 12 = 77.6 kg; woman 64 in: 45.5 + 2.3 x 4 = 54.7 kg
    assert ideal_body_weight(height_cm=182.88, sex="male").value == pytest.approx(77.6)
    assert ideal_body_weight(height_cm=162.56, sex="female").value == pytest.approx(54.7)
    # ABW = 77.6 + 0.4 x (120 - 77.6) = 94.56
    assert adjusted_body_weight(weight_kg=120, height_cm=182.88, sex="male").value == pytest.approx(94.56)


def test_target_weight() -> None:
    assert target_weight(target_bmi_kg_m2=22, height_cm=175).value == pytest.approx(67.38, abs=0.01)
