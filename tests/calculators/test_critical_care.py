"""Early warning, sepsis, organ failure and trauma scores: worked examples and both sides of every threshold."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.calculators import (
    CalculatorInputError,
    apache_ii,
    gcs,
    mean_arterial_pressure,
    news2,
    qsofa,
    revised_trauma_score,
    shock_index,
    sirs,
    sofa,
)

NORMAL_VITALS = dict(
    respiratory_rate_per_min=16,
    spo2_percent=97,
    on_supplemental_oxygen=False,
    systolic_bp_mm_hg=120,
    heart_rate_bpm=70,
    consciousness="alert",
    temperature_c=37.0,
)


def _news2(**overrides: object):
    return news2(**{**NORMAL_VITALS, **overrides})


def test_news2_worked_example() -> None:
    # RR 22 (2), SpO2 95 (1), air (0), SBP 105 (1), HR 115 (2), alert (0), 38.5 C (1) = 7: high
    result = _news2(
        respiratory_rate_per_min=22, spo2_percent=95, systolic_bp_mm_hg=105, heart_rate_bpm=115, temperature_c=38.5
    )
    assert result.value == 7
    assert result.band.startswith("high")
    assert _news2().value == 0


@pytest.mark.parametrize(
    ("parameter", "value", "points"),
    [
        ("respiratory_rate_per_min", 8, 3),
        ("respiratory_rate_per_min", 9, 1),
        ("respiratory_rate_per_min", 11, 1),
        ("respiratory_rate_per_min", 12, 0),
        ("respiratory_rate_per_min", 20, 0),
        ("respiratory_rate_per_min", 21, 2),
        ("respiratory_rate_per_min", 24, 2),
        ("respiratory_rate_per_min", 25, 3),
        ("spo2_percent", 91, 3),
        ("spo2_percent", 92, 2),
        ("spo2_percent", 93, 2),
        ("spo2_percent", 94, 1),
        ("spo2_percent", 95, 1),
        ("spo2_percent", 96, 0),
        ("systolic_bp_mm_hg", 90, 3),
        ("systolic_bp_mm_hg", 91, 2),
        ("systolic_bp_mm_hg", 100, 2),
        ("systolic_bp_mm_hg", 101, 1),
        ("systolic_bp_mm_hg", 110, 1),
        ("systolic_bp_mm_hg", 111, 0),
        ("systolic_bp_mm_hg", 219, 0),
        ("systolic_bp_mm_hg", 220, 3),
        ("heart_rate_bpm", 40, 3),
        ("heart_rate_bpm", 41, 1),
        ("heart_rate_bpm", 50, 1),
        ("heart_rate_bpm", 51, 0),
        ("heart_rate_bpm", 90, 0),
        ("heart_rate_bpm", 91, 1),
        ("heart_rate_bpm", 110, 1),
        ("heart_rate_bpm", 111, 2),
        ("heart_rate_bpm", 130, 2),
        ("heart_rate_bpm", 131, 3),
        ("temperature_c", 35.0, 3),
        ("temperature_c", 35.1, 1),
        ("temperature_c", 36.0, 1),
        ("temperature_c", 36.1, 0),
        ("temperature_c", 38.0, 0),
        ("temperature_c", 38.1, 1),
        ("temperature_c", 39.0, 1),
        ("temperature_c", 39.1, 2),
    ],
)
def test_news2_parameter_boundaries(parameter: str, value: float, points: int) -> None:
    name = {
        "respiratory_rate_per_min": "respiratory_rate",
        "spo2_percent": "spo2",
        "systolic_bp_mm_hg": "systolic_bp",
        "heart_rate_bpm": "heart_rate",
        "temperature_c": "temperature",
    }[parameter]
    assert _news2(**{parameter: value}).points[name] == points


@pytest.mark.parametrize(
    ("spo2", "oxygen", "points"),
    [
        (83, False, 3),
        (84, False, 2),
        (85, False, 2),
        (86, False, 1),
        (87, False, 1),
        (88, False, 0),
        (92, True, 0),
        (93, True, 1),
        (94, True, 1),
        (95, True, 2),
        (96, True, 2),
        (97, True, 3),
        (97, False, 0),
    ],
)
def test_news2_scale_2_for_hypercapnic_patients(spo2: float, oxygen: bool, points: int) -> None:
    result = _news2(spo2_percent=spo2, on_supplemental_oxygen=oxygen, spo2_scale=2)
    assert result.points["spo2"] == points
    assert result.points["supplemental_oxygen"] == (2 if oxygen else 0)


def test_news2_new_confusion_scores_3_and_flags_a_single_red_score() -> None:
    result = _news2(consciousness="new_confusion")
    assert result.points["consciousness"] == 3
    assert result.band.startswith("low-medium")
    assert _news2(heart_rate_bpm=111, temperature_c=38.5, respiratory_rate_per_min=21).band.startswith("medium")


@pytest.mark.parametrize(
    ("rr", "sbp", "altered", "score"),
    [(21, 101, False, 0), (22, 101, False, 1), (22, 100, False, 2), (22, 100, True, 3)],
)
def test_qsofa_thresholds(rr: float, sbp: float, altered: bool, score: int) -> None:
    result = qsofa(respiratory_rate_per_min=rr, systolic_bp_mm_hg=sbp, altered_mentation=altered)
    assert result.value == score
    assert result.band.startswith("positive") == (score >= 2)


def _sirs(**overrides: object):
    inputs = dict(temperature_c=37, heart_rate_bpm=80, respiratory_rate_per_min=16, wbc_10e9_l=8)
    return sirs(**{**inputs, **overrides})


@pytest.mark.parametrize(
    ("overrides", "criterion", "met"),
    [
        ({"temperature_c": 38.0}, "temperature", 0),
        ({"temperature_c": 38.1}, "temperature", 1),
        ({"temperature_c": 36.0}, "temperature", 0),
        ({"temperature_c": 35.9}, "temperature", 1),
        ({"heart_rate_bpm": 90}, "heart_rate", 0),
        ({"heart_rate_bpm": 91}, "heart_rate", 1),
        ({"respiratory_rate_per_min": 20}, "respiratory", 0),
        ({"respiratory_rate_per_min": 21}, "respiratory", 1),
        ({"paco2_mm_hg": 32}, "respiratory", 0),
        ({"paco2_mm_hg": 31.9}, "respiratory", 1),
        ({"wbc_10e9_l": 12}, "white_cells", 0),
        ({"wbc_10e9_l": 12.1}, "white_cells", 1),
        ({"wbc_10e9_l": 4}, "white_cells", 0),
        ({"wbc_10e9_l": 3.9}, "white_cells", 1),
        ({"band_forms_percent": 10}, "white_cells", 0),
        ({"band_forms_percent": 11}, "white_cells", 1),
    ],
)
def test_sirs_criteria_boundaries(overrides: dict[str, float], criterion: str, met: int) -> None:
    assert _sirs(**overrides).points[criterion] == met


def test_sirs_band() -> None:
    assert _sirs(heart_rate_bpm=100).band.startswith("SIRS criteria not met")
    assert _sirs(heart_rate_bpm=100, temperature_c=38.5).band.startswith("SIRS (")


@pytest.mark.parametrize(
    ("hr", "band"),
    [
        (49, "below"),
        (50, "normal"),
        (70, "normal"),
        (71, "elevated"),
        (99, "elevated"),
        (100, "impending"),
        (149, "impending"),
        (150, "manifest"),
    ],
)
def test_shock_index_bands(hr: float, band: str) -> None:
    assert shock_index(heart_rate_bpm=hr, systolic_bp_mm_hg=100).band.startswith(band)


def test_mean_arterial_pressure() -> None:
    assert mean_arterial_pressure(systolic_bp_mm_hg=120, diastolic_bp_mm_hg=80).value == pytest.approx(93.33)
    assert mean_arterial_pressure(systolic_bp_mm_hg=85, diastolic_bp_mm_hg=55).band.startswith("at or above")
    assert mean_arterial_pressure(systolic_bp_mm_hg=85, diastolic_bp_mm_hg=54).band.startswith("below")
    with pytest.raises(CalculatorInputError, match="diastolic_bp_mm_hg"):
        mean_arterial_pressure(systolic_bp_mm_hg=80, diastolic_bp_mm_hg=90)


@pytest.mark.parametrize(
    ("eye", "verbal", "motor", "band"),
    [(2, 2, 4, "severe"), (2, 3, 4, "moderate"), (3, 4, 5, "moderate"), (3, 4, 6, "mild")],
)
def test_gcs_totals_and_bands(eye: int, verbal: int, motor: int, band: str) -> None:
    result = gcs(eye_response=eye, verbal_response=verbal, motor_response=motor)
    assert result.value == eye + verbal + motor
    assert result.band.startswith(band)


def test_revised_trauma_score_worked_examples() -> None:
    assert revised_trauma_score(gcs_total=15, systolic_bp_mm_hg=120, respiratory_rate_per_min=16).value == 7.8408
    # GCS 8 (2), SBP 80 (3), RR 35 (3): 0.9368 x 2 + 0.7326 x 3 + 0.2908 x 3 = 4.9438
    result = revised_trauma_score(gcs_total=8, systolic_bp_mm_hg=80, respiratory_rate_per_min=35)
    assert result.value == pytest.approx(4.9438)
    assert "triage RTS 8/12" in result.band


@pytest.mark.parametrize(
    ("sbp", "rr", "gcs_total", "triage"),
    [
        (90, 16, 15, 12),
        (89, 16, 15, 11),
        (76, 16, 15, 11),
        (75, 16, 15, 10),
        (50, 16, 15, 10),
        (49, 16, 15, 9),
        (0, 16, 15, 8),
        (120, 29, 15, 12),
        (120, 30, 15, 11),
        (120, 10, 15, 12),
        (120, 9, 15, 10),
        (120, 6, 15, 10),
        (120, 5, 15, 9),
        (120, 0, 15, 8),
        (120, 16, 13, 12),
        (120, 16, 12, 11),
        (120, 16, 9, 11),
        (120, 16, 8, 10),
        (120, 16, 6, 10),
        (120, 16, 5, 9),
        (120, 16, 4, 9),
        (120, 16, 3, 8),
    ],
)
def test_revised_trauma_score_coding_boundaries(sbp: float, rr: float, gcs_total: int, triage: int) -> None:
    result = revised_trauma_score(gcs_total=gcs_total, systolic_bp_mm_hg=sbp, respiratory_rate_per_min=rr)
    assert f"triage RTS {triage}/12" in result.band


NORMAL_SOFA = dict(
    pao2_mm_hg=95,
    fio2_fraction=0.21,
    respiratory_support=False,
    platelets_10e9_l=250,
    bilirubin_mg_dl=0.8,
    mean_arterial_pressure_mm_hg=85,
    gcs_total=15,
    creatinine_mg_dl=0.9,
)


def _sofa(**overrides: object):
    return sofa(**{**NORMAL_SOFA, **overrides})


def test_sofa_worked_example() -> None:
    # ventilated, P/F 150 (3); platelets 80 (2); bilirubin 2.5 (2); MAP 65 without pressors (1); GCS 12 (2);
    # creatinine 2.5 (2) = 12
    result = _sofa(
        pao2_mm_hg=75,
        fio2_fraction=0.5,
        respiratory_support=True,
        platelets_10e9_l=80,
        bilirubin_mg_dl=2.5,
        mean_arterial_pressure_mm_hg=65,
        gcs_total=12,
        creatinine_mg_dl=2.5,
    )
    assert result.points == {"respiration": 3, "coagulation": 2, "liver": 2, "cardiovascular": 1, "cns": 2, "renal": 2}
    assert result.value == 12
    assert _sofa().value == 0


@pytest.mark.parametrize(
    ("pao2", "support", "points"),
    [
        (100, False, 0),
        (99.75, False, 1),
        (75, False, 1),
        (74.75, False, 2),
        (50, False, 2),
        (49.75, False, 2),
        (49.75, True, 3),
        (25, True, 3),
        (24.75, True, 4),
        (24.75, False, 2),
    ],
)
def test_sofa_respiration_boundaries(pao2: float, support: bool, points: int) -> None:
    # FiO2 0.25 makes P/F = 4 x PaO2: 400, 399, 300, 299, 200, 199, 100, 99
    result = _sofa(pao2_mm_hg=pao2, fio2_fraction=0.25, respiratory_support=support)
    assert result.points["respiration"] == points


@pytest.mark.parametrize(
    ("pressors", "points"),
    [
        ({}, 0),
        ({"mean_arterial_pressure_mm_hg": 69.9}, 1),
        ({"dobutamine_mcg_kg_min": 2}, 2),
        ({"dopamine_mcg_kg_min": 5}, 2),
        ({"dopamine_mcg_kg_min": 5.1}, 3),
        ({"norepinephrine_mcg_kg_min": 0.1}, 3),
        ({"norepinephrine_mcg_kg_min": 0.11}, 4),
        ({"epinephrine_mcg_kg_min": 0.1}, 3),
        ({"epinephrine_mcg_kg_min": 0.11}, 4),
        ({"dopamine_mcg_kg_min": 15}, 3),
        ({"dopamine_mcg_kg_min": 15.1}, 4),
    ],
)
def test_sofa_cardiovascular_boundaries(pressors: dict[str, float], points: int) -> None:
    assert _sofa(**pressors).points["cardiovascular"] == points


@pytest.mark.parametrize(
    ("overrides", "organ", "points"),
    [
        ({"platelets_10e9_l": 150}, "coagulation", 0),
        ({"platelets_10e9_l": 149}, "coagulation", 1),
        ({"platelets_10e9_l": 100}, "coagulation", 1),
        ({"platelets_10e9_l": 99}, "coagulation", 2),
        ({"platelets_10e9_l": 50}, "coagulation", 2),
        ({"platelets_10e9_l": 49}, "coagulation", 3),
        ({"platelets_10e9_l": 20}, "coagulation", 3),
        ({"platelets_10e9_l": 19}, "coagulation", 4),
        ({"bilirubin_mg_dl": 1.1}, "liver", 0),
        ({"bilirubin_mg_dl": 1.2}, "liver", 1),
        ({"bilirubin_mg_dl": 1.9}, "liver", 1),
        ({"bilirubin_mg_dl": 2.0}, "liver", 2),
        ({"bilirubin_mg_dl": 5.9}, "liver", 2),
        ({"bilirubin_mg_dl": 6.0}, "liver", 3),
        ({"bilirubin_mg_dl": 11.9}, "liver", 3),
        ({"bilirubin_mg_dl": 12.0}, "liver", 4),
        ({"gcs_total": 15}, "cns", 0),
        ({"gcs_total": 14}, "cns", 1),
        ({"gcs_total": 13}, "cns", 1),
        ({"gcs_total": 12}, "cns", 2),
        ({"gcs_total": 10}, "cns", 2),
        ({"gcs_total": 9}, "cns", 3),
        ({"gcs_total": 6}, "cns", 3),
        ({"gcs_total": 5}, "cns", 4),
        ({"creatinine_mg_dl": 1.1}, "renal", 0),
        ({"creatinine_mg_dl": 1.2}, "renal", 1),
        ({"creatinine_mg_dl": 2.0}, "renal", 2),
        ({"creatinine_mg_dl": 3.4}, "renal", 2),
        ({"creatinine_mg_dl": 3.5}, "renal", 3),
        ({"creatinine_mg_dl": 4.9}, "renal", 3),
        ({"creatinine_mg_dl": 5.0}, "renal", 4),
        ({"urine_output_ml_day": 500}, "renal", 0),
        ({"urine_output_ml_day": 499}, "renal", 3),
        ({"urine_output_ml_day": 199}, "renal", 4),
    ],
)
def test_sofa_organ_boundaries(overrides: dict[str, float], organ: str, points: int) -> None:
    assert _sofa(**overrides).points[organ] == points


NORMAL_APACHE = dict(
    age_years=40,
    temperature_c=37,
    mean_arterial_pressure_mm_hg=90,
    heart_rate_bpm=80,
    respiratory_rate_per_min=16,
    fio2_fraction=0.21,
    pao2_mm_hg=90,
    arterial_ph=7.40,
    sodium_mmol_l=140,
    potassium_mmol_l=4.0,
    creatinine_mg_dl=1.0,
    acute_renal_failure=False,
    hematocrit_percent=40,
    wbc_10e9_l=8,
    gcs_total=15,
    severe_organ_insufficiency_or_immunocompromised=False,
    admission="nonoperative",
)


def _apache(**overrides: object):
    return apache_ii(**{**NORMAL_APACHE, **overrides})


def test_apache_ii_worked_example() -> None:
    # 70 y nonoperative with cirrhosis: temp 39.5 (3), MAP 65 (2), HR 120 (2), RR 30 (1), PaO2 65 on air (1),
    # pH 7.30 (2), Na 128 (2), K 3.2 (1), creatinine 1.8 (2), Hct 28 (2), WBC 18 (1), GCS 13 (2) = 21;
    # age 5; chronic health 5 -> 31
    result = _apache(
        age_years=70,
        temperature_c=39.5,
        mean_arterial_pressure_mm_hg=65,
        heart_rate_bpm=120,
        respiratory_rate_per_min=30,
        pao2_mm_hg=65,
        arterial_ph=7.30,
        sodium_mmol_l=128,
        potassium_mmol_l=3.2,
        creatinine_mg_dl=1.8,
        hematocrit_percent=28,
        wbc_10e9_l=18,
        gcs_total=13,
        severe_organ_insufficiency_or_immunocompromised=True,
    )
    assert result.value == 31
    assert result.points["age"] == 5 and result.points["chronic_health"] == 5
    assert _apache().value == 0


@pytest.mark.parametrize(
    ("overrides", "variable", "points"),
    [
        ({"temperature_c": 41}, "temperature", 4),
        ({"temperature_c": 40.9}, "temperature", 3),
        ({"temperature_c": 38.9}, "temperature", 1),
        ({"temperature_c": 38.4}, "temperature", 0),
        ({"temperature_c": 36}, "temperature", 0),
        ({"temperature_c": 35.9}, "temperature", 1),
        ({"temperature_c": 33.9}, "temperature", 2),
        ({"temperature_c": 31.9}, "temperature", 3),
        ({"temperature_c": 29.9}, "temperature", 4),
        ({"mean_arterial_pressure_mm_hg": 160}, "mean_arterial_pressure", 4),
        ({"mean_arterial_pressure_mm_hg": 159}, "mean_arterial_pressure", 3),
        ({"mean_arterial_pressure_mm_hg": 129}, "mean_arterial_pressure", 2),
        ({"mean_arterial_pressure_mm_hg": 109}, "mean_arterial_pressure", 0),
        ({"mean_arterial_pressure_mm_hg": 70}, "mean_arterial_pressure", 0),
        ({"mean_arterial_pressure_mm_hg": 69}, "mean_arterial_pressure", 2),
        ({"mean_arterial_pressure_mm_hg": 49}, "mean_arterial_pressure", 4),
        ({"heart_rate_bpm": 180}, "heart_rate", 4),
        ({"heart_rate_bpm": 179}, "heart_rate", 3),
        ({"heart_rate_bpm": 139}, "heart_rate", 2),
        ({"heart_rate_bpm": 109}, "heart_rate", 0),
        ({"heart_rate_bpm": 69}, "heart_rate", 2),
        ({"heart_rate_bpm": 54}, "heart_rate", 3),
        ({"heart_rate_bpm": 39}, "heart_rate", 4),
        ({"respiratory_rate_per_min": 50}, "respiratory_rate", 4),
        ({"respiratory_rate_per_min": 49}, "respiratory_rate", 3),
        ({"respiratory_rate_per_min": 34}, "respiratory_rate", 1),
        ({"respiratory_rate_per_min": 24}, "respiratory_rate", 0),
        ({"respiratory_rate_per_min": 11}, "respiratory_rate", 1),
        ({"respiratory_rate_per_min": 9}, "respiratory_rate", 2),
        ({"respiratory_rate_per_min": 5}, "respiratory_rate", 4),
        ({"pao2_mm_hg": 71}, "oxygenation", 0),
        ({"pao2_mm_hg": 70}, "oxygenation", 1),
        ({"pao2_mm_hg": 61}, "oxygenation", 1),
        ({"pao2_mm_hg": 60}, "oxygenation", 3),
        ({"pao2_mm_hg": 55}, "oxygenation", 3),
        ({"pao2_mm_hg": 54}, "oxygenation", 4),
        ({"fio2_fraction": 0.5, "a_a_gradient_mm_hg": 500}, "oxygenation", 4),
        ({"fio2_fraction": 0.5, "a_a_gradient_mm_hg": 499}, "oxygenation", 3),
        ({"fio2_fraction": 0.5, "a_a_gradient_mm_hg": 349}, "oxygenation", 2),
        ({"fio2_fraction": 0.5, "a_a_gradient_mm_hg": 199}, "oxygenation", 0),
        ({"arterial_ph": 7.7}, "arterial_ph", 4),
        ({"arterial_ph": 7.69}, "arterial_ph", 3),
        ({"arterial_ph": 7.59}, "arterial_ph", 1),
        ({"arterial_ph": 7.49}, "arterial_ph", 0),
        ({"arterial_ph": 7.33}, "arterial_ph", 0),
        ({"arterial_ph": 7.32}, "arterial_ph", 2),
        ({"arterial_ph": 7.24}, "arterial_ph", 3),
        ({"arterial_ph": 7.14}, "arterial_ph", 4),
        ({"sodium_mmol_l": 180}, "sodium", 4),
        ({"sodium_mmol_l": 179}, "sodium", 3),
        ({"sodium_mmol_l": 159}, "sodium", 2),
        ({"sodium_mmol_l": 154}, "sodium", 1),
        ({"sodium_mmol_l": 149}, "sodium", 0),
        ({"sodium_mmol_l": 130}, "sodium", 0),
        ({"sodium_mmol_l": 129}, "sodium", 2),
        ({"sodium_mmol_l": 119}, "sodium", 3),
        ({"sodium_mmol_l": 110}, "sodium", 4),
        ({"potassium_mmol_l": 7}, "potassium", 4),
        ({"potassium_mmol_l": 6.9}, "potassium", 3),
        ({"potassium_mmol_l": 5.9}, "potassium", 1),
        ({"potassium_mmol_l": 5.4}, "potassium", 0),
        ({"potassium_mmol_l": 3.4}, "potassium", 1),
        ({"potassium_mmol_l": 2.9}, "potassium", 2),
        ({"potassium_mmol_l": 2.4}, "potassium", 4),
        ({"creatinine_mg_dl": 3.5}, "creatinine", 4),
        ({"creatinine_mg_dl": 3.4}, "creatinine", 3),
        ({"creatinine_mg_dl": 1.9}, "creatinine", 2),
        ({"creatinine_mg_dl": 1.4}, "creatinine", 0),
        ({"creatinine_mg_dl": 0.59}, "creatinine", 2),
        ({"creatinine_mg_dl": 3.5, "acute_renal_failure": True}, "creatinine", 8),
        ({"hematocrit_percent": 60}, "hematocrit", 4),
        ({"hematocrit_percent": 59.9}, "hematocrit", 2),
        ({"hematocrit_percent": 49.9}, "hematocrit", 1),
        ({"hematocrit_percent": 45.9}, "hematocrit", 0),
        ({"hematocrit_percent": 29.9}, "hematocrit", 2),
        ({"hematocrit_percent": 19.9}, "hematocrit", 4),
        ({"wbc_10e9_l": 40}, "white_cells", 4),
        ({"wbc_10e9_l": 39.9}, "white_cells", 2),
        ({"wbc_10e9_l": 19.9}, "white_cells", 1),
        ({"wbc_10e9_l": 14.9}, "white_cells", 0),
        ({"wbc_10e9_l": 2.9}, "white_cells", 2),
        ({"wbc_10e9_l": 0.9}, "white_cells", 4),
        ({"gcs_total": 9}, "glasgow_coma_scale", 6),
        ({"age_years": 44}, "age", 0),
        ({"age_years": 45}, "age", 2),
        ({"age_years": 55}, "age", 3),
        ({"age_years": 65}, "age", 5),
        ({"age_years": 75}, "age", 6),
    ],
)
def test_apache_ii_variable_boundaries(overrides: dict[str, object], variable: str, points: int) -> None:
    assert _apache(**overrides).points[variable] == points


def test_apache_ii_oxygenation_inputs() -> None:
    # FiO2 0.6, PaO2 100, PaCO2 40: A-a = 0.6 x 713 - 50 - 100 = 277.8 -> 2 points
    assert _apache(fio2_fraction=0.6, pao2_mm_hg=100, paco2_mm_hg=40).points["oxygenation"] == 2
    with pytest.raises(CalculatorInputError, match="a_a_gradient_mm_hg"):
        _apache(fio2_fraction=0.6, pao2_mm_hg=100)
    with pytest.raises(CalculatorInputError, match="pao2_mm_hg"):
        _apache(pao2_mm_hg=None)
    assert (
        _apache(severe_organ_insufficiency_or_immunocompromised=True, admission="elective_postoperative").points[
            "chronic_health"
        ]
        == 2
    )
