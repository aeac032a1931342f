"""ESI v4 decision points A-D, checked by hand against the Implementation Handbook's rules and examples."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.domains.triage_emergency.esi import (
    RED_FLAGS,
    SEVERE_RESPIRATORY_DISTRESS,
    assess,
    danger_zone,
    hypotension_threshold,
    resource_count,
)
from healthgym.mcp_servers.domains.triage_emergency.models import Allergy, ChildFever

from .builders import make_arrival

LABS_AND_XRAY = ["CBC and metabolic panel", "chest X-ray"]


def level(**kwargs) -> int:
    return assess(make_arrival(**kwargs)).esi_level


# --- A: immediate life-saving intervention ----------------------------------------------------------------------------


def test_a_spo2_below_90_is_esi_1_and_90_is_not() -> None:
    assert level(vitals={"spo2_percent": 89}) == 1
    assert level(vitals={"spo2_percent": 90}) == 5  # 90-91 is only a danger-zone value, and D needs 2 resources


@pytest.mark.parametrize(
    ("mental", "expected"), [("pain", 1), ("unresponsive", 1), ("voice", 2), ("new_confusion", 2), ("alert", 5)]
)
def test_a_and_b_by_avpu(mental: str, expected: int) -> None:
    assert level(mental_status=mental) == expected


def test_a_hypotension_needs_signs_of_hypoperfusion() -> None:
    assert level(vitals={"systolic_bp_mm_hg": 88, "capillary_refill_s": 3.5}) == 1
    assert level(vitals={"systolic_bp_mm_hg": 88, "capillary_refill_s": 2.0}) == 5
    assert level(vitals={"systolic_bp_mm_hg": 90, "capillary_refill_s": 3.5}) == 5


def test_a_hypotension_threshold_by_age() -> None:
    assert [hypotension_threshold(d) for d in (10, 28, 29, 200, 366, 5 * 365 + 2, 3653, 11 * 366)] == [
        60,
        60,
        70,
        70,
        72,
        80,
        90,
        90,
    ]
    five = 5 * 365 + 2
    assert level(age_days=five, vitals={"systolic_bp_mm_hg": 79, "capillary_refill_s": 3.0}) == 1
    assert level(age_days=five, vitals={"systolic_bp_mm_hg": 80, "capillary_refill_s": 3.0}) == 5


def test_a_hypoglycaemia_with_altered_mental_status_needs_d50() -> None:
    assert level(glucose_mg_dl=69, mental_status="new_confusion") == 1
    assert level(glucose_mg_dl=70, mental_status="new_confusion") == 2
    assert level(glucose_mg_dl=50, mental_status="alert") == 5


def test_a_severe_respiratory_distress_is_esi_1() -> None:
    assessment = assess(make_arrival(findings=[SEVERE_RESPIRATORY_DISTRESS]))
    assert (assessment.esi_level, assessment.decided_at) == (1, "A")


# --- A: the ESI level-1 conditions of the handbook's table 6-2 (issue #9 clinical review) ---------------------------


def test_a_hypoventilation_is_esi_1() -> None:
    """Table 6-2: respiratory failure with hypoventilation; ch. 3: the overdose breathing 6 times a minute."""
    assert (
        assess(make_arrival(vitals={"respiratory_rate_per_min": 6})).decided_at,
        level(vitals={"respiratory_rate_per_min": 6}),
    ) == ("A", 1)
    assert level(vitals={"respiratory_rate_per_min": 9}) == 1
    assert level(vitals={"respiratory_rate_per_min": 10}) == 5
    assert level(findings=["shallow breaths, hypoventilating"]) == 1


def test_a_paediatric_hypoperfusion_without_hypotension_is_esi_1() -> None:
    """Table 6-2: shock with hypoperfusion (capillary refill > 3-4 s, tachycardia); hypotension is a late finding in
    the prepubescent patient. A 2-year-old (APLS normal heart rate 95-140) with a normal blood pressure."""
    toddler = 2 * 365 + 30
    shocked = {
        "heart_rate_bpm": 170,
        "capillary_refill_s": 4.0,
        "systolic_bp_mm_hg": 95,
        "respiratory_rate_per_min": 30,
    }
    assert level(age_days=toddler, vitals=shocked) == 1
    assert level(age_days=toddler, vitals={**shocked, "capillary_refill_s": 3.0}) != 1  # not > 3 s
    assert level(age_days=toddler, vitals={**shocked, "heart_rate_bpm": 130}) != 1  # no tachycardia for age
    assert level(age_days=40 * 365, vitals={"heart_rate_bpm": 120, "capillary_refill_s": 4.0}) == 5  # adults: BP rule


def test_a_anaphylaxis_with_airway_involvement_is_esi_1() -> None:
    """Table 6-2: anaphylactic reaction with respiratory compromise (wheeze, stridor) and skin/mucosal involvement."""

    def allergy(resp: bool) -> Allergy:
        return Allergy(
            allergen="peanuts", known_allergy=True, onset_minutes=15, skin_mucosal=True,
            respiratory_compromise=resp, severe_gi=False,
        )  # fmt: skip

    assert level(allergy=allergy(True), findings=["lip swelling and wheeze"]) == 1
    assert level(allergy=allergy(False), findings=["hives"]) == 5


@pytest.mark.parametrize(
    ("complaint", "changes", "expected"),
    [
        ("62-year-old with CPR in progress", {}, 1),
        ("needs a work note", {}, 5),
        ("earache", {"age_days": 12 * 365 + 40}, 5),
        ("high speed motor vehicle collision", {"vitals": {"systolic_bp_mm_hg": 120, "heart_rate_bpm": 72}}, 2),
        (
            "doing shots with a friend, found unresponsive",
            {"age_days": 14 * 365 + 40, "mental_status": "unresponsive"},
            1,
        ),
    ],
)
def test_handbook_appendix_a_post_test_examples(complaint: str, changes: dict, expected: int) -> None:
    """ESI Handbook v4, appendix A, chapter 2 post-test: six patients with their published levels (the 53-year-old
    with a 30% burn is left out: burns are not a presentation here)."""
    assert level(chief_complaint=complaint, **changes) == expected


# --- B: high risk, confusion, severe pain/distress --------------------------------------------------------------------


@pytest.mark.parametrize("flag", RED_FLAGS, ids=lambda f: f.code)
def test_b_every_red_flag_is_esi_2_in_every_wording(flag) -> None:
    for text in flag.phrasings:
        assessment = assess(make_arrival(findings=[text]))
        assert (assessment.esi_level, assessment.decided_at) == (2, "B"), text
        assert assess(make_arrival(presentation=f"Came in by ambulance. {text.capitalize()}.")).esi_level == 2


@pytest.mark.parametrize(
    "text",
    [
        "Chest pain radiating to the left arm since this morning",  # ACS (handbook ch. 4)
        "worst headache of my life, came on suddenly",  # subarachnoid haemorrhage
        "says he wants to kill himself and has a plan",  # suicidal with a plan
        "Vomited blood and passed out in the kitchen",  # GI bleed with syncope
        "mother says he took his father's tablets deliberately",  # intentional ingestion
        "pregnant, bad pelvic pain on one side and bleeding",  # ectopic
    ],
)
def test_b_high_risk_in_free_text_complaints(text: str) -> None:
    assert level(chief_complaint=text) == 2


@pytest.mark.parametrize(
    "text",
    [
        "no chest pain, no arm or jaw symptoms",
        "denies thoughts of suicide and has no plan",
        "headache, the usual kind, not the worst ever",
        "sore eye, no chemical exposure",
    ],
)
def test_b_negated_free_text_is_not_high_risk(text: str) -> None:
    assert level(chief_complaint=text) == 5


def test_b_severe_pain_needs_rating_and_observed_distress() -> None:
    assert level(vitals={"pain_score": 8}, appearance="severe distress") == 2
    assert level(vitals={"pain_score": 10}, appearance="mild distress") == 5  # the 10/10 patient eating ice cream
    assert level(vitals={"pain_score": 6}, appearance="severe distress") == 5


@pytest.mark.parametrize(
    ("age_days", "temp", "expected"),
    [
        (28, 38.1, 2),
        (28, 38.0, 5),  # neonate: > 38.0 C is at least ESI 2
        (29, 38.1, 2),
        (91, 38.5, 2),  # 1-3 months: ESI 2 (handbook: consider)
        (92, 38.5, 3),  # 3 completed months: the 3 months-3 years rule (no source recorded -> at least ESI 3)
    ],
)
def test_b_febrile_young_infants(age_days: int, temp: float, expected: int) -> None:
    assert level(age_days=age_days, vitals={"temperature_c": temp}) == expected


# --- C: resources -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("workup", "count"),
    [
        (["CBC and metabolic panel", "urinalysis and urine culture", "serum hCG, CBC and blood group"], 1),  # one type
        (LABS_AND_XRAY, 2),
        (["forearm X-ray", "procedural sedation and fracture reduction"], 3),  # complex procedure counts two
        (["laceration repair", "tetanus immunisation", "simple wound care"], 1),
        (
            [
                "oral analgesia",
                "prescription",
                "splint and crutches",
                "point-of-care glucose",
                "saline lock",
                "phone call to primary care physician",
                "history and physical examination",
            ],
            0,
        ),
        (["CT head", "CT abdomen and pelvis"], 1),
        (["IV analgesia", "IM antiemetic and analgesic", "nebulised salbutamol"], 1),
    ],
)
def test_c_counts_types_not_tests(workup: list[str], count: int) -> None:
    assert resource_count(workup) == count


@pytest.mark.parametrize(
    ("workup", "expected"),
    [
        (["prescription"], 5),  # healthy 10-year-old with poison ivy; ran out of BP tablets (handbook table 3-4)
        (["throat swab culture", "prescription"], 4),  # 19-year-old sore throat needing a throat culture
        (["urinalysis and urine culture", "point-of-care urine pregnancy test"], 4),  # UTI: all tests are one (labs)
        (
            ["CBC and metabolic panel", "IV fluid bolus", "CT abdomen and pelvis", "surgical consultation"],
            3,
        ),  # RLQ pain
        (
            ["CBC and metabolic panel", "abdominal ultrasound"],
            3,
        ),  # calf swelling after a long drive: labs + vascular US
    ],
)
def test_c_handbook_resource_examples(workup: list[str], expected: int) -> None:
    assert level(anticipated_workup=workup) == expected


# --- D: danger-zone vital signs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age_days", "band"),
    [
        (91, "< 3 months"),
        (92, "3 months - 3 years"),
        (1095, "3 months - 3 years"),
        (1096, "3 - 8 years"),
        (3287, "3 - 8 years"),
        (3288, "> 8 years"),
    ],
)
def test_d_age_bands_by_completed_age(age_days: int, band: str) -> None:
    assert danger_zone(age_days).band == band


@pytest.mark.parametrize(
    ("age_days", "hr_limit", "rr_limit"),
    [
        (60, 180, 50),
        (2 * 365, 160, 40),
        (5 * 365, 140, 30),
        (30 * 365, 100, 20),
    ],
)
def test_d_boundaries_per_band(age_days: int, hr_limit: int, rr_limit: int) -> None:
    """At the limit is not in the danger zone; one above is (HR and RR separately), with two resources."""
    base = {"heart_rate_bpm": hr_limit, "respiratory_rate_per_min": rr_limit, "spo2_percent": 95, "temperature_c": 37.0}
    kwargs = {"age_days": age_days, "anticipated_workup": LABS_AND_XRAY}
    assert level(vitals=base, **kwargs) == 3
    assert level(vitals={**base, "heart_rate_bpm": hr_limit + 1}, **kwargs) == 2
    assert level(vitals={**base, "respiratory_rate_per_min": rr_limit + 1}, **kwargs) == 2
    assert level(vitals={**base, "spo2_percent": 91}, **kwargs) == 2


def test_d_handbook_child_with_cough_and_fever() -> None:
    """6-year-old, cough and fever, RR 30, SpO2 91%, needs labs and a chest X-ray: ESI 2 on the SpO2, not the RR."""
    assessment = assess(
        make_arrival(
            age_days=6 * 365 + 2,
            anticipated_workup=LABS_AND_XRAY,
            vitals={"heart_rate_bpm": 135, "respiratory_rate_per_min": 30, "spo2_percent": 91, "temperature_c": 40.2},
        )
    )
    assert (assessment.esi_level, assessment.decided_at) == (2, "D")
    assert assessment.steps[-1].reasons == ["SpO2 91% < 92%"]


def test_d_is_not_reached_with_one_resource() -> None:
    assert level(vitals={"heart_rate_bpm": 125}, anticipated_workup=["ankle X-ray"]) == 4


def test_d_two_year_old_and_three_year_old_with_the_same_heart_rate() -> None:
    vitals = {"heart_rate_bpm": 150, "respiratory_rate_per_min": 28}
    workup = ["CBC and metabolic panel", "IV fluid bolus"]
    assert level(age_days=1064, vitals=vitals, anticipated_workup=workup) == 3
    assert level(age_days=1100, vitals=vitals, anticipated_workup=workup) == 2


@pytest.mark.parametrize(
    ("temp", "immunised", "source", "workup", "expected"),
    [
        (39.1, True, "red bulging ear drum", [], 3),
        (39.0, True, "red bulging ear drum", [], 5),  # the handbook's feverish 22-month-old with otitis: ESI 5
        (38.5, False, "runny nose", [], 3),
        (38.5, True, "", ["urinalysis and urine culture"], 3),
        (37.9, True, "", [], 5),  # no fever: the consideration does not apply
    ],
)
def test_d_paediatric_fever_3_months_to_3_years(temp, immunised, source, workup, expected) -> None:
    arrival = make_arrival(
        age_days=22 * 30,
        vitals={"heart_rate_bpm": 120, "respiratory_rate_per_min": 28, "temperature_c": temp},
        child_fever=ChildFever(immunizations_complete=immunised, obvious_source=source),
        anticipated_workup=workup,
    )
    assert assess(arrival).esi_level == expected


def test_paediatric_fever_consideration_stops_at_3_years() -> None:
    arrival = make_arrival(
        age_days=1100,
        vitals={"temperature_c": 39.5, "heart_rate_bpm": 120},
        child_fever=ChildFever(immunizations_complete=True, obvious_source=""),
    )
    assert assess(arrival).esi_level == 5
