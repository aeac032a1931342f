"""Cardiology scores: worked examples and both sides of every threshold."""

from __future__ import annotations

import math

import pytest

from healthgym.mcp_servers.calculators import (
    cha2ds2_vasc,
    framingham_hard_chd,
    has_bled,
    heart_score,
    qtc_bazett,
    qtc_framingham,
    qtc_fridericia,
    qtc_hodges,
    qtc_rautaharju,
    revised_cardiac_risk_index,
)

NO_RISK_FACTORS = dict(
    hypertension=False,
    hypercholesterolemia=False,
    diabetes=False,
    smoker=False,
    family_history=False,
    obesity=False,
    atherosclerotic_disease=False,
)


def _heart(**overrides: object):
    inputs = dict(history="slightly_suspicious", ecg="normal", age_years=30, troponin_times_uln=0.5, **NO_RISK_FACTORS)
    return heart_score(**{**inputs, **overrides})


def test_heart_worked_example() -> None:
    # 57 y (1), moderately suspicious (1), normal ECG (0), hypertension + hypercholesterolaemia (1), troponin normal
    result = _heart(age_years=57, history="moderately_suspicious", hypertension=True, hypercholesterolemia=True)
    assert result.value == 3
    assert result.points == {"history": 1, "ecg": 0, "age": 1, "risk_factors": 1, "troponin": 0}
    assert result.band.startswith("low")


@pytest.mark.parametrize(("age", "points"), [(44.9, 0), (45, 1), (64.9, 1), (65, 2)])
def test_heart_age_boundaries(age: float, points: int) -> None:
    assert _heart(age_years=age).points["age"] == points


@pytest.mark.parametrize(("ratio", "points"), [(1.0, 0), (1.01, 1), (3.0, 1), (3.01, 2)])
def test_heart_troponin_boundaries(ratio: float, points: int) -> None:
    assert _heart(troponin_times_uln=ratio).points["troponin"] == points


def test_heart_risk_factor_counting() -> None:
    assert _heart(hypertension=True, smoker=True).points["risk_factors"] == 1
    assert _heart(hypertension=True, smoker=True, obesity=True).points["risk_factors"] == 2
    assert _heart(atherosclerotic_disease=True).points["risk_factors"] == 2


@pytest.mark.parametrize(("total_history", "band"), [(3, "low"), (4, "intermediate"), (6, "intermediate"), (7, "high")])
def test_heart_band_boundaries(total_history: int, band: str) -> None:
    cases = {
        3: dict(history="highly_suspicious", age_years=50),
        4: dict(history="highly_suspicious", ecg="significant_st_deviation"),
        6: dict(history="highly_suspicious", ecg="significant_st_deviation", troponin_times_uln=4),
        7: dict(history="highly_suspicious", ecg="significant_st_deviation", troponin_times_uln=4, age_years=50),
    }
    result = _heart(**cases[total_history])
    assert result.value == total_history
    assert result.band.startswith(band)


def _cha2ds2(**overrides: object):
    inputs = dict(
        age_years=50,
        sex="male",
        heart_failure=False,
        hypertension=False,
        stroke_tia_thromboembolism=False,
        vascular_disease=False,
        diabetes=False,
    )
    return cha2ds2_vasc(**{**inputs, **overrides})


def test_cha2ds2_vasc_worked_example() -> None:
    # 78 M with hypertension and prior stroke: age 2 + H 1 + S2 2 = 5
    result = _cha2ds2(age_years=78, hypertension=True, stroke_tia_thromboembolism=True)
    assert result.value == 5 and result.band.startswith("high")


@pytest.mark.parametrize(("age", "points"), [(64.9, 0), (65, 1), (74.9, 1), (75, 2)])
def test_cha2ds2_vasc_age_boundaries(age: float, points: int) -> None:
    assert _cha2ds2(age_years=age).points["age"] == points


def test_cha2ds2_vasc_bands_discount_female_sex() -> None:
    assert _cha2ds2(sex="female").band.startswith("low")  # score 1 from sex alone
    assert _cha2ds2(sex="female", diabetes=True).band.startswith("intermediate")  # 2 in a woman
    assert _cha2ds2(diabetes=True).band.startswith("intermediate")  # 1 in a man
    assert _cha2ds2(diabetes=True, hypertension=True).band.startswith("high")


def _has_bled(**overrides: object):
    inputs = dict(
        uncontrolled_hypertension=False,
        abnormal_renal_function=False,
        abnormal_liver_function=False,
        stroke=False,
        bleeding_history=False,
        labile_inr=False,
        age_years=50,
        antiplatelet_or_nsaid=False,
        alcohol_drinks_per_week=0,
    )
    return has_bled(**{**inputs, **overrides})


def test_has_bled_boundaries() -> None:
    assert _has_bled(age_years=65).value == 0 and _has_bled(age_years=65.1).value == 1  # elderly is >65
    assert _has_bled(alcohol_drinks_per_week=7).value == 0 and _has_bled(alcohol_drinks_per_week=8).value == 1
    two = _has_bled(stroke=True, labile_inr=True)
    three = _has_bled(stroke=True, labile_inr=True, bleeding_history=True)
    assert two.band.startswith("low") and three.band.startswith("high")


def _rcri(creatinine: float, **flags: bool):
    inputs = dict(
        high_risk_surgery=False,
        ischemic_heart_disease=False,
        heart_failure=False,
        cerebrovascular_disease=False,
        insulin_treatment=False,
    )
    return revised_cardiac_risk_index(**{**inputs, **flags}, creatinine_mg_dl=creatinine)


def test_rcri_creatinine_threshold_and_classes() -> None:
    assert _rcri(2.0).value == 0 and _rcri(2.01).value == 1  # "creatinine > 2.0 mg/dL"
    assert _rcri(1.0).band.startswith("class I:")
    assert _rcri(1.0, high_risk_surgery=True, heart_failure=True).band.startswith("class III")
    assert _rcri(2.5, high_risk_surgery=True, heart_failure=True).band.startswith("class IV")


def test_framingham_hard_chd_matches_the_equations() -> None:
    # Men: sum = 52.00961 ln55 + 20.014077 ln213 - 0.905964 ln50 + 1.305784 ln120 - 4.605038 ln55 ln213
    #          - 2.93323 ln55^2 - 172.300168 = 0.08748; risk = 1 - 0.9402^exp(0.08748) = 6.51%
    man = framingham_hard_chd(
        age_years=55,
        sex="male",
        smoker=False,
        total_cholesterol_mg_dl=213,
        hdl_mg_dl=50,
        systolic_bp_mm_hg=120,
        bp_treated=False,
    )
    assert man.value == pytest.approx(6.51, abs=0.01)
    # Women: 31.764001 ln60 + 22.465206 ln240 - 1.187731 ln45 + 2.552905 ln140 + 0.420251 + 13.07543
    #        - 5.060998 ln60 ln240 - 2.996945 ln60 - 146.5933061; risk = 1 - 0.98767^exp(sum)
    ln = math.log
    total = (
        31.764001 * ln(60)
        + 22.465206 * ln(240)
        - 1.187731 * ln(45)
        + 2.552905 * ln(140)
        + 0.420251
        + 13.07543
        - 5.060998 * ln(60) * ln(240)
        - 2.996945 * ln(60)
        - 146.5933061
    )
    woman = framingham_hard_chd(
        age_years=60,
        sex="female",
        smoker=True,
        total_cholesterol_mg_dl=240,
        hdl_mg_dl=45,
        systolic_bp_mm_hg=140,
        bp_treated=True,
    )
    assert woman.value == pytest.approx(100 * (1 - 0.98767 ** math.exp(total)), abs=0.01)
    # the smoking term uses age capped at 70 for men
    old = framingham_hard_chd(
        age_years=75,
        sex="male",
        smoker=True,
        total_cholesterol_mg_dl=213,
        hdl_mg_dl=50,
        systolic_bp_mm_hg=120,
        bp_treated=False,
    )
    assert old.points["smoker"] == pytest.approx(12.096316 - 2.84367 * ln(70), abs=1e-3)


def test_qtc_formulas_agree_at_60_bpm_and_match_at_100() -> None:
    formulas = (qtc_bazett, qtc_fridericia, qtc_framingham, qtc_hodges, qtc_rautaharju)
    assert {f(qt_interval_ms=400, heart_rate_bpm=60).value for f in formulas} == {400.0}  # RR = 1 s
    # HR 100: RR 0.6 s. Bazett 400/sqrt(0.6); Fridericia 400/0.6^(1/3); Framingham 400 + 154 x 0.4;
    # Hodges 400 + 1.75 x 40; Rautaharju 400 x 220 / 180
    expected = (516.40, 474.25, 461.6, 470.0, 488.89)
    for formula, value in zip(formulas, expected, strict=True):
        assert formula(qt_interval_ms=400, heart_rate_bpm=100).value == pytest.approx(value, abs=0.01)


@pytest.mark.parametrize(
    ("qt", "band"),
    [(390, "short"), (391, "normal"), (449, "normal"), (450, "prolonged"), (499, "prolonged"), (500, "markedly")],
)
def test_qtc_band_boundaries(qt: float, band: str) -> None:
    assert qtc_hodges(qt_interval_ms=qt, heart_rate_bpm=60).band.startswith(band)
