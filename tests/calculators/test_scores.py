"""Thrombosis, pneumonia, pharyngitis, comorbidity, dosing, pregnancy and screening questionnaires."""

from __future__ import annotations

import datetime as dt

import pytest

from healthgym.mcp_servers.calculators import (
    CalculatorInputError,
    a_a_gradient,
    apgar_score,
    bishop_score,
    caprini,
    centor_mcisaac,
    charlson,
    curb_65,
    estimated_conception_date,
    estimated_due_date,
    feverpain,
    gad7,
    gestational_age,
    maintenance_fluids,
    morphine_milligram_equivalents,
    perc,
    phq9,
    psi_port,
    steroid_conversion,
    wells_dvt,
    wells_pe,
)


def _wells_pe(**overrides: object):
    inputs = dict(
        clinical_signs_dvt=False,
        pe_most_likely=False,
        heart_rate_bpm=80,
        immobilization_or_recent_surgery=False,
        previous_pe_or_dvt=False,
        hemoptysis=False,
        malignancy=False,
    )
    return wells_pe(**{**inputs, **overrides})


def test_wells_pe() -> None:
    result = _wells_pe(clinical_signs_dvt=True, heart_rate_bpm=110)  # 3 + 1.5
    assert result.value == 4.5 and result.band == "moderate (2-6); PE likely (>4)"
    assert _wells_pe(heart_rate_bpm=100).value == 0 and _wells_pe(heart_rate_bpm=101).value == 1.5
    four = _wells_pe(pe_most_likely=True, hemoptysis=True)
    assert four.value == 4 and four.band.endswith("PE unlikely (<=4)")
    assert _wells_pe(heart_rate_bpm=101).band.startswith("low") and _wells_pe(
        hemoptysis=True, malignancy=True
    ).band.startswith("moderate")
    assert _wells_pe(clinical_signs_dvt=True, pe_most_likely=True).band.startswith("moderate")  # 6
    assert _wells_pe(clinical_signs_dvt=True, pe_most_likely=True, hemoptysis=True).band.startswith("high")


def _wells_dvt(**overrides: bool):
    names = [
        "active_cancer",
        "paralysis_or_cast",
        "bedridden_or_major_surgery",
        "localized_tenderness",
        "entire_leg_swollen",
        "calf_swelling_over_3cm",
        "pitting_edema",
        "collateral_superficial_veins",
        "previous_dvt",
        "alternative_diagnosis_as_likely",
    ]
    return wells_dvt(**{**dict.fromkeys(names, False), **overrides})


def test_wells_dvt() -> None:
    likely = _wells_dvt(active_cancer=True, calf_swelling_over_3cm=True)
    assert likely.value == 2 and likely.band.startswith("DVT likely")
    assert _wells_dvt(active_cancer=True).band == "DVT unlikely (<2); moderate (1-2)"
    assert _wells_dvt(active_cancer=True, calf_swelling_over_3cm=True, alternative_diagnosis_as_likely=True).value == 0
    assert _wells_dvt(alternative_diagnosis_as_likely=True).value == -2
    assert _wells_dvt(active_cancer=True, pitting_edema=True, previous_dvt=True).band.endswith("high (>=3)")


def _perc(**overrides: object):
    inputs = dict(
        age_years=30,
        heart_rate_bpm=80,
        spo2_percent=98,
        unilateral_leg_swelling=False,
        hemoptysis=False,
        recent_surgery_or_trauma=False,
        prior_pe_or_dvt=False,
        hormone_use=False,
    )
    return perc(**{**inputs, **overrides})


@pytest.mark.parametrize(
    ("overrides", "met"),
    [
        ({"age_years": 49}, 0),
        ({"age_years": 50}, 1),
        ({"heart_rate_bpm": 99}, 0),
        ({"heart_rate_bpm": 100}, 1),
        ({"spo2_percent": 95}, 0),
        ({"spo2_percent": 94}, 1),
    ],
)
def test_perc_boundaries(overrides: dict[str, float], met: int) -> None:
    result = _perc(**overrides)
    assert result.value == met
    assert result.band.startswith("PERC negative") == (met == 0)


FALSE_CAPRINI = dict.fromkeys(
    [
        "prior_major_surgery_within_month",
        "varicose_veins",
        "inflammatory_bowel_disease",
        "swollen_legs",
        "acute_myocardial_infarction",
        "heart_failure_within_month",
        "sepsis_within_month",
        "serious_lung_disease_within_month",
        "copd",
        "other_risk_factor",
        "malignancy",
        "plaster_cast_within_month",
        "central_venous_access",
        "history_of_vte",
        "family_history_thrombosis",
        "factor_v_leiden",
        "prothrombin_20210a",
        "elevated_homocysteine",
        "lupus_anticoagulant",
        "anticardiolipin_antibodies",
        "heparin_induced_thrombocytopenia",
        "other_thrombophilia",
        "hip_pelvis_leg_fracture_within_month",
        "stroke_within_month",
        "multiple_trauma_within_month",
        "spinal_cord_injury_paralysis_within_month",
    ],
    False,
)


def _caprini(**overrides: object):
    inputs = dict(age_years=30, sex="male", surgery="none", mobility="ambulatory", bmi_kg_m2=22, **FALSE_CAPRINI)
    return caprini(**{**inputs, **overrides})


def test_caprini_worked_example() -> None:
    # 65 y (2), major surgery (2), BMI 28 (1): 5, high risk
    result = _caprini(age_years=65, surgery="major_over_45_min", bmi_kg_m2=28)
    assert result.value == 5 and result.band.startswith("high")
    # history of VTE 3, factor V Leiden 3, hip fracture 5, bed rest 1, woman on HRT 1
    heavy = _caprini(
        sex="female",
        history_of_vte=True,
        factor_v_leiden=True,
        hip_pelvis_leg_fracture_within_month=True,
        mobility="medical_patient_at_bed_rest",
        oral_contraceptive_or_hrt=True,
    )
    assert heavy.value == 13


@pytest.mark.parametrize(("age", "points"), [(40, 0), (41, 1), (60, 1), (61, 2), (74, 2), (75, 3)])
def test_caprini_age_boundaries(age: float, points: int) -> None:
    assert _caprini(age_years=age).points["age"] == points


def test_caprini_bmi_and_bands_and_sex_items() -> None:
    assert _caprini(bmi_kg_m2=25).points["bmi_over_25"] == 0 and _caprini(bmi_kg_m2=25.1).points["bmi_over_25"] == 1
    assert _caprini().band.startswith("very low")
    assert _caprini(surgery="minor").band.startswith("low")
    assert _caprini(surgery="major_over_45_min").band.startswith("low")
    assert _caprini(history_of_vte=True).band.startswith("moderate")
    assert _caprini(history_of_vte=True, varicose_veins=True).band.startswith("moderate")
    with pytest.raises(CalculatorInputError, match="women only"):
        _caprini(pregnant_or_postpartum=True)


def _curb(**overrides: object):
    inputs = dict(
        confusion=False,
        bun_mg_dl=10,
        respiratory_rate_per_min=16,
        systolic_bp_mm_hg=120,
        diastolic_bp_mm_hg=80,
        age_years=40,
    )
    return curb_65(**{**inputs, **overrides})


def test_curb_65() -> None:
    worst = _curb(confusion=True, bun_mg_dl=20, respiratory_rate_per_min=30, systolic_bp_mm_hg=85, age_years=70)
    assert worst.value == 5 and worst.band.startswith("high")
    assert _curb(bun_mg_dl=19.6).value == 0 and _curb(bun_mg_dl=19.7).value == 1  # urea > 7 mmol/L = BUN > 19.6
    assert _curb(respiratory_rate_per_min=29).value == 0 and _curb(respiratory_rate_per_min=30).value == 1
    assert _curb(systolic_bp_mm_hg=90).value == 0 and _curb(systolic_bp_mm_hg=89).value == 1
    assert _curb(diastolic_bp_mm_hg=61).value == 0 and _curb(diastolic_bp_mm_hg=60).value == 1
    assert _curb(age_years=64).value == 0 and _curb(age_years=65).value == 1
    assert _curb(age_years=65).band.startswith("low") and _curb(age_years=65, confusion=True).band.startswith("inter")


def _psi(**overrides: object):
    inputs = dict(
        age_years=70,
        sex="male",
        nursing_home_resident=False,
        neoplastic_disease=False,
        liver_disease=False,
        heart_failure=False,
        cerebrovascular_disease=False,
        renal_disease=False,
        altered_mental_status=False,
        respiratory_rate_per_min=18,
        systolic_bp_mm_hg=130,
        temperature_c=37.5,
        heart_rate_bpm=90,
        pleural_effusion=False,
    )
    return psi_port(**{**inputs, **overrides})


def test_psi_port() -> None:
    assert _psi().value == 70 and _psi().band.startswith("class II")
    assert _psi(age_years=71).band.startswith("class III")
    assert _psi(respiratory_rate_per_min=30).value == 90 and _psi(respiratory_rate_per_min=30).band.startswith(
        "class III"
    )
    assert _psi(age_years=60, sex="female", neoplastic_disease=True, arterial_ph=7.30).value == 110  # 50 + 30 + 30
    assert _psi(age_years=90, neoplastic_disease=True, liver_disease=True).band.startswith("class V")
    assert _psi(age_years=50).band.startswith("class I:")
    assert _psi(age_years=50, nursing_home_resident=True).band.startswith("class I:")  # not a step-1 criterion
    assert _psi(age_years=50, renal_disease=True).band.startswith("class II")
    assert _psi(age_years=50, heart_rate_bpm=125).band.startswith("class II")
    assert _psi(temperature_c=39.9).points["temperature"] == 0 and _psi(temperature_c=40).points["temperature"] == 15
    assert _psi(temperature_c=35).points["temperature"] == 0 and _psi(temperature_c=34.9).points["temperature"] == 15


def test_psi_labs_not_measured_count_as_normal() -> None:
    measured = _psi(bun_mg_dl=30, sodium_mmol_l=129, glucose_mg_dl=250, hematocrit_percent=29, pao2_mm_hg=59)
    assert measured.value == 70 + 20 + 20 + 10 + 10 + 10
    assert _psi(spo2_percent=89).points["oxygenation"] == 10
    assert _psi(spo2_percent=89, pao2_mm_hg=70).points["oxygenation"] == 0  # PaO2 takes precedence


def test_a_a_gradient() -> None:
    # 0.21 x (760 - 47) - 40 / 0.8 - 90 = 9.73 mm Hg; expected for 40 y: 2.5 + 0.21 x 40 = 10.9
    result = a_a_gradient(fio2_fraction=0.21, pao2_mm_hg=90, paco2_mm_hg=40, age_years=40)
    assert result.value == pytest.approx(9.73)
    assert result.band.startswith("within")


def test_centor_mcisaac() -> None:
    result = centor_mcisaac(
        age_years=10,
        temperature_c=38.5,
        cough_absent=True,
        tender_anterior_cervical_nodes=False,
        tonsillar_exudate_or_swelling=False,
    )
    assert result.value == 3 and result.band.startswith("28-35%")
    base = dict(
        temperature_c=37, cough_absent=False, tender_anterior_cervical_nodes=False, tonsillar_exudate_or_swelling=False
    )
    assert [centor_mcisaac(age_years=a, **base).value for a in (14, 15, 44, 45)] == [1, 0, 0, -1]
    assert centor_mcisaac(age_years=30, **{**base, "temperature_c": 38.0}).value == 0
    assert centor_mcisaac(age_years=30, **{**base, "temperature_c": 38.1}).value == 1


def test_feverpain() -> None:
    every = feverpain(
        fever_past_24h=True,
        purulence=True,
        attended_within_3_days=True,
        severely_inflamed_tonsils=True,
        no_cough_or_coryza=True,
    )
    assert every.value == 5 and every.band.startswith("4-5")
    one = feverpain(
        fever_past_24h=True,
        purulence=False,
        attended_within_3_days=False,
        severely_inflamed_tonsils=False,
        no_cough_or_coryza=False,
    )
    two = feverpain(
        fever_past_24h=True,
        purulence=True,
        attended_within_3_days=False,
        severely_inflamed_tonsils=False,
        no_cough_or_coryza=False,
    )
    assert one.band.startswith("0-1") and two.band.startswith("2-3")


def _charlson(**overrides: object):
    flags = dict.fromkeys(
        [
            "myocardial_infarction",
            "heart_failure",
            "peripheral_vascular_disease",
            "cerebrovascular_disease",
            "dementia",
            "chronic_pulmonary_disease",
            "connective_tissue_disease",
            "peptic_ulcer_disease",
            "hemiplegia",
            "moderate_to_severe_ckd",
            "leukemia",
            "lymphoma",
            "aids",
        ],
        False,
    )
    inputs = dict(age_years=40, liver_disease="none", diabetes="none_or_diet_controlled", solid_tumor="none", **flags)
    return charlson(**{**inputs, **overrides})


def test_charlson() -> None:
    # 65 y (2) with uncomplicated diabetes (1), metastatic tumour (6) and mild liver disease (1): 10
    result = _charlson(age_years=65, diabetes="uncomplicated", solid_tumor="metastatic", liver_disease="mild")
    assert result.value == 10 and result.band.startswith(">=5")
    assert [_charlson(age_years=a).value for a in (49, 50, 59, 60, 69, 70, 79, 80)] == [0, 1, 1, 2, 2, 3, 3, 4]
    assert _charlson(aids=True, hemiplegia=True, liver_disease="moderate_to_severe").value == 11


def test_maintenance_fluids_4_2_1() -> None:
    assert [maintenance_fluids(weight_kg=w).value for w in (5, 10, 15, 20, 25, 70)] == [20, 40, 50, 60, 65, 110]


def test_steroid_conversion() -> None:
    assert steroid_conversion(from_steroid="prednisone", dose_mg=10, to_steroid="dexamethasone").value == 1.5
    assert steroid_conversion(from_steroid="hydrocortisone", dose_mg=20, to_steroid="prednisone").value == 5
    assert steroid_conversion(from_steroid="methylprednisolone", dose_mg=40, to_steroid="prednisone").value == 50


def test_morphine_milligram_equivalents() -> None:
    result = morphine_milligram_equivalents(oxycodone_mg_day=30, fentanyl_patch_mcg_hr=25, methadone_mg_day=10)
    assert result.points == {"fentanyl_patch_mcg_hr": 60, "methadone_mg_day": 47, "oxycodone_mg_day": 45}
    assert result.value == 152 and result.band.startswith(">=90")
    assert morphine_milligram_equivalents(morphine_mg_day=49).band == "<50 MME/day"
    assert morphine_milligram_equivalents(morphine_mg_day=50).band.startswith("50-89")
    assert morphine_milligram_equivalents(morphine_mg_day=90).band.startswith(">=90")


def test_due_date_conception_and_gestational_age() -> None:
    lmp = dt.date(2024, 1, 1)
    due = estimated_due_date(lmp_date=lmp, cycle_length_days=28)
    assert due.value == 280 and due.band == "2024-10-07"
    assert estimated_due_date(lmp_date=lmp, cycle_length_days=32).band == "2024-10-11"
    assert estimated_due_date(lmp_date=lmp, cycle_length_days=21).band == "2024-09-30"
    conception = estimated_conception_date(lmp_date=lmp, cycle_length_days=28)
    assert conception.band == "2024-01-15"
    assert due.value - conception.value == 266
    # MedCalc-Bench's example: LMP 01/06/2022, today 04/29/2022 -> 113 days = 16 weeks 1 day
    age = gestational_age(lmp_date=dt.date(2022, 1, 6), current_date=dt.date(2022, 4, 29))
    assert age.value == 113 and age.band.startswith("16 weeks 1 days (second")
    assert gestational_age(lmp_date="2022-01-06", current_date="2022-01-06").band.startswith("0 weeks 0 days")
    with pytest.raises(CalculatorInputError, match="current_date"):
        gestational_age(lmp_date=dt.date(2022, 1, 6), current_date=dt.date(2022, 1, 5))


def test_bishop_score() -> None:
    result = bishop_score(dilation_cm=3, effacement_percent=60, station=-1, consistency="soft", position="mid")
    assert result.value == 9 and result.band.startswith("favourable")
    low = dict(effacement_percent=0, station=-3, consistency="firm", position="posterior")
    assert [bishop_score(dilation_cm=d, **low).value for d in (0, 1, 2, 3, 4, 5)] == [0, 1, 1, 2, 2, 3]
    closed = dict(dilation_cm=0, station=-3, consistency="firm", position="posterior")
    assert [bishop_score(effacement_percent=e, **closed).value for e in (30, 40, 50, 60, 70, 80)] == [0, 1, 1, 2, 2, 3]
    flat = dict(dilation_cm=0, effacement_percent=0, consistency="firm", position="posterior")
    assert [bishop_score(station=s, **flat).value for s in (-3, -2, -1, 0, 1, 2)] == [0, 1, 2, 2, 3, 3]


def test_apgar_score() -> None:
    result = apgar_score(
        heart_rate_bpm=120,
        respiratory_effort="good_crying",
        muscle_tone="active_motion",
        reflex_irritability="grimace",
        color="acrocyanosis",
    )
    assert result.value == 8 and result.band.startswith("reassuring")
    limp = dict(respiratory_effort="absent", muscle_tone="limp", reflex_irritability="none", color="blue_or_pale")
    assert [apgar_score(heart_rate_bpm=hr, **limp).value for hr in (0, 99, 100)] == [0, 1, 2]


def test_phq9_and_gad7() -> None:
    items = [
        "little_interest",
        "feeling_down",
        "sleep_problems",
        "tired",
        "appetite",
        "feeling_bad_about_self",
        "trouble_concentrating",
        "psychomotor_change",
        "self_harm_thoughts",
    ]
    assert phq9(**dict.fromkeys(items, 1)).band.startswith("mild (5-9); item 9 positive")
    cuts = {
        4: "minimal",
        5: "mild",
        9: "mild",
        10: "moderate",
        14: "moderate",
        15: "moderately severe",
        19: "moderately severe",
        20: "severe",
    }
    for total, band in cuts.items():
        answers = dict.fromkeys(items, 0)
        for item in items[:-1]:
            answers[item] = min(3, total - sum(answers.values()))
        assert phq9(**answers).band.startswith(band)
    gad_items = [
        "nervous",
        "cannot_stop_worrying",
        "worrying_too_much",
        "trouble_relaxing",
        "restless",
        "irritable",
        "afraid",
    ]
    assert gad7(**dict.fromkeys(gad_items, 2)).band.startswith("moderate")
    assert gad7(**dict.fromkeys(gad_items, 3)).value == 21


@pytest.mark.parametrize(("days", "trimester"), [(97, "first"), (98, "second"), (195, "second"), (196, "third")])
def test_gestational_age_trimester_edges(days: int, trimester: str) -> None:
    lmp = dt.date(2024, 1, 1)
    result = gestational_age(lmp_date=lmp, current_date=lmp + dt.timedelta(days=days))
    assert f"({trimester} trimester)" in result.band


def test_a_a_gradient_above_the_age_expected_value() -> None:
    # 0.21 x 713 - 50 - 80 = 19.73 mm Hg, above 2.5 + 0.21 x 40 = 10.9
    assert a_a_gradient(fio2_fraction=0.21, pao2_mm_hg=80, paco2_mm_hg=40, age_years=40).band.startswith("above")
    assert a_a_gradient(fio2_fraction=0.21, pao2_mm_hg=80, paco2_mm_hg=40).band == ""
