"""Clozapine ANC rows, QTc thresholds and the Hunter / NMS rules at their boundaries, against the cited tables."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.domains.psychiatry.pharmacology import (
    assess_qtc,
    assess_toxicity,
    clozapine_anc,
    fridericia,
    hunter_rule,
    lithium_review,
    metabolic_review,
)


@pytest.mark.parametrize(
    ("anc", "ben", "category", "action", "monitoring"),
    [
        (1500, False, "normal_range", "continue", "weekly"),
        (1499, False, "mild_neutropenia", "continue", "three_times_weekly"),
        (1000, False, "mild_neutropenia", "continue", "three_times_weekly"),
        (999, False, "moderate_neutropenia", "interrupt", "daily"),
        (500, False, "moderate_neutropenia", "interrupt", "daily"),
        (499, False, "severe_neutropenia", "interrupt_no_rechallenge", "daily"),
        (1000, True, "normal_range", "continue", "weekly"),
        (999, True, "ben_neutropenia", "continue", "three_times_weekly"),
        (500, True, "ben_neutropenia", "continue", "three_times_weekly"),
        (499, True, "severe_neutropenia", "interrupt_no_rechallenge", "daily"),
    ],
)
def test_clozapine_label_rows(anc: int, ben: bool, category: str, action: str, monitoring: str) -> None:
    advice = clozapine_anc(anc, months_on_clozapine=3, ben=ben)
    assert (advice.category, advice.action, advice.monitoring) == (category, action, monitoring)


@pytest.mark.parametrize(("months", "monitoring"), [(5, "weekly"), (6, "every_2_weeks"), (12, "every_2_weeks"),
                                                    (13, "monthly")])
def test_clozapine_normal_range_schedule(months: float, monitoring: str) -> None:
    assert clozapine_anc(2000, months, ben=False).monitoring == monitoring


def test_fridericia_worked_examples() -> None:
    assert fridericia(400, 60) == pytest.approx(400.0)
    # HR 90: RR = 0.6667 s, cube root 0.8736 -> 360 / 0.8736 = 412.1 ms
    assert fridericia(360, 90) == pytest.approx(412.1, abs=0.1)
    # HR 50: RR = 1.2 s, cube root 1.0627 -> 500 / 1.0627 = 470.5 ms
    assert fridericia(500, 50) == pytest.approx(470.5, abs=0.1)


@pytest.mark.parametrize(
    ("qtc", "baseline", "sex", "category"),
    [
        (470, 440, "male", "normal"),
        (471, 440, "male", "prolonged"),
        (480, 440, "female", "normal"),
        (481, 440, "female", "prolonged"),
        (500, 460, "male", "prolonged"),
        (501, 460, "male", "high_risk"),
        (460, 400, "male", "normal"),
        (461, 400, "male", "high_risk"),
    ],
)
def test_qtc_categories(qtc: float, baseline: float, sex: str, category: str) -> None:
    # at 60/min RR is 1 s, so QTc equals QT
    assert assess_qtc(qtc, 60, baseline, sex).category == category


@pytest.mark.parametrize(
    ("exam", "temp", "rule"),
    [
        ({"spontaneous_clonus": True}, 37.0, "st_spontaneous_clonus"),
        ({"inducible_clonus": True, "agitation": True}, 37.0, "st_inducible_clonus"),
        ({"inducible_clonus": True}, 37.0, None),
        ({"ocular_clonus": True, "diaphoresis": True}, 37.0, "st_ocular_clonus"),
        ({"tremor": True, "hyperreflexia": True}, 37.0, "st_tremor_hyperreflexia"),
        ({"tremor": True}, 37.0, None),
        ({"hypertonia": True, "ocular_clonus": True}, 38.5, "st_hypertonia_fever_clonus"),
        ({"hypertonia": True, "ocular_clonus": True}, 38.0, None),
        ({"spontaneous_clonus": True, "tremor": True, "hyperreflexia": True}, 37.0, "st_spontaneous_clonus"),
    ],
)
def test_hunter_rules_in_order(exam: dict[str, bool], temp: float, rule: str | None) -> None:
    assert hunter_rule(exam, temp) == rule


NMS_EXAM = {"lead_pipe_rigidity": True, "altered_mental_status": True, "bradyreflexia": True}


def test_nms_core_features_and_the_serotonergic_requirement() -> None:
    assert assess_toxicity(NMS_EXAM, 39.0, 8, [], ["haloperidol"]).assessment == "nms"
    assert assess_toxicity(NMS_EXAM, 39.0, 3.9, [], ["haloperidol"]).assessment == "neither", "CK below 4x ULN"
    assert assess_toxicity(NMS_EXAM, 38.0, 8, [], ["haloperidol"]).assessment == "neither", "38.0 C is not > 38"
    assert assess_toxicity(NMS_EXAM, 39.0, 8, [], []).assessment == "neither", "no dopamine antagonist"
    clonus = {"spontaneous_clonus": True}
    assert assess_toxicity(clonus, 37.0, 1, [], ["haloperidol"]).assessment == "neither", "Hunter needs a drug"
    assert assess_toxicity(clonus, 37.0, 1, ["sertraline"], []).assessment == "st_spontaneous_clonus"


ALL = ["personal_family_history", "weight_bmi", "waist_circumference", "blood_pressure", "fasting_glucose",
       "fasting_lipids"]  # fmt: skip


@pytest.mark.parametrize(
    ("week", "due"),
    [
        (0, ALL),
        (4, ["weight_bmi"]),
        (8, ["weight_bmi"]),
        (12, ["weight_bmi", "blood_pressure", "fasting_glucose", "fasting_lipids"]),
        (26, ["weight_bmi"]),
        (39, ["weight_bmi"]),
        (52, ["personal_family_history", "weight_bmi", "waist_circumference", "blood_pressure", "fasting_glucose"]),
        (104, ["personal_family_history", "weight_bmi", "waist_circumference", "blood_pressure", "fasting_glucose"]),
        (260, ALL),
        (20, []),
    ],
)
def test_ada_apa_monitoring_schedule(week: int, due: list[str]) -> None:
    """ADA/APA 2004 table: weight at 4, 8, 12 weeks then quarterly; BP and glucose at 12 weeks then annually; lipids
    at 12 weeks then every 5 years; history and waist annually."""
    assert metabolic_review(week, 80, 80).due == due


def test_weight_gain_of_five_percent_means_considering_a_switch() -> None:
    assert metabolic_review(12, 80, 84).consider_switch and metabolic_review(12, 80, 84).weight_gain_percent == 5.0
    assert not metabolic_review(12, 80, 83.9).consider_switch


@pytest.mark.parametrize(
    ("level", "band"),
    [(0.59, "below_target"), (0.6, "target"), (0.79, "target"), (0.8, "upper_target"), (1.0, "upper_target"),
     (1.01, "above_target"), (1.5, "above_target"), (1.51, "toxic")],
)  # fmt: skip
def test_lithium_bands(level: float, band: str) -> None:
    """NICE CG185 targets 0.6-0.8 (0.8-1.0 after relapse); toxic effects above 1.5 mmol/L (BNF)."""
    assert lithium_review(level, 24, 40, [], 90, False).band == band


def test_lithium_monitoring_is_3_monthly_for_any_nice_reason() -> None:
    def monitoring(**kw: object) -> str:
        args = {"level": 0.7, "months_on_lithium": 24, "age": 40, "drugs": ["amlodipine"], "egfr": 90,
                "poor_adherence": False} | kw  # fmt: skip
        return lithium_review(**args).monitoring  # type: ignore[arg-type]

    assert monitoring() == "every_6_months"
    assert monitoring(months_on_lithium=9) == "every_3_months"
    assert monitoring(age=65) == "every_3_months" and monitoring(age=64) == "every_6_months"
    assert monitoring(drugs=["lisinopril"]) == "every_3_months"
    assert monitoring(egfr=59) == "every_3_months" and monitoring(egfr=60) == "every_6_months"
    assert monitoring(poor_adherence=True) == "every_3_months"
    assert monitoring(level=0.8) == "every_3_months"


def test_level_raising_drugs_are_the_ace_arb_diuretic_and_nsaid_classes() -> None:
    drugs = ["ramipril", "losartan", "bendroflumethiazide", "furosemide", "naproxen", "amlodipine", "paracetamol"]
    assert lithium_review(0.7, 24, 40, drugs, 90, False).interacting_drugs == drugs[:5]
