"""Protocol criteria at their boundaries: STEMI ECG thresholds, stroke window, sepsis screen, WAO anaphylaxis
criteria, ACS 2021 red trauma criteria, and the RCUK adrenaline dose by age."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.domains.triage_emergency.models import Allergy, Cardiac, Infection, Neuro, Trauma
from healthgym.mcp_servers.domains.triage_emergency.protocols import adrenaline_dose, check, met_protocols

from .builders import make_arrival


def cardiac(leads: str, mm: float, onset: float = 2.0) -> Cardiac:
    return Cardiac(
        symptom_onset_hours=onset,
        history="highly_suspicious",
        ecg="st_elevation",
        st_elevation_mm=mm,
        st_leads=leads,
        atherosclerotic_disease=False,
        troponin_times_uln=1.0,
    )


@pytest.mark.parametrize(
    ("sex", "years", "leads", "mm", "met"),
    [
        ("female", 50, "V2, V3", 1.5, True),
        ("female", 50, "V2, V3", 1.0, False),
        ("male", 39, "V2, V3", 2.0, False),
        ("male", 39, "V2, V3", 2.5, True),
        ("male", 40, "V2, V3", 2.0, True),
        ("male", 55, "V2, V3", 1.5, False),
        ("male", 55, "II, III, aVF", 1.0, True),
        ("female", 70, "I, aVL, V5, V6", 0.5, False),
    ],
)
def test_stemi_st_elevation_thresholds(sex: str, years: int, leads: str, mm: float, met: bool) -> None:
    arrival = make_arrival(sex=sex, age_days=int(years * 365.25) + 10, cardiac=cardiac(leads, mm))
    assert check(arrival, "stemi").met is met


def test_stemi_needs_symptoms_within_12_hours() -> None:
    assert check(make_arrival(cardiac=cardiac("II, III, aVF", 2.0, onset=12.0)), "stemi").met
    assert not check(make_arrival(cardiac=cardiac("II, III, aVF", 2.0, onset=12.5)), "stemi").met


def stroke(lkw: float, glucose: int = 110) -> dict:
    return {
        "neuro": Neuro(
            gcs_eye=4, gcs_verbal=5, gcs_motor=6, focal_deficits=["right arm weakness"], last_known_well_hours=lkw
        ),
        "glucose_mg_dl": glucose,
    }


def test_stroke_window_and_glucose() -> None:
    assert check(make_arrival(**stroke(24.0)), "stroke").met
    assert not check(make_arrival(**stroke(24.5)), "stroke").met
    assert not check(make_arrival(**stroke(2.0, glucose=49)), "stroke").met
    assert "within the 4.5 h IV thrombolysis window" in check(make_arrival(**stroke(4.5)), "stroke").notes[0]
    assert "beyond 4.5 h" in check(make_arrival(**stroke(4.75)), "stroke").notes[0]
    assert not check(make_arrival(glucose_mg_dl=100), "stroke").met


INFECTION = Infection(suspected_source="pneumonia")


def test_sepsis_adult_news2_threshold() -> None:
    # NEWS2: RR 21 (2) + HR 111 (2) + T 38.1 (1) = 5 -> met; HR 110 scores 1 -> 4 -> not met.
    five = {"respiratory_rate_per_min": 21, "heart_rate_bpm": 111, "temperature_c": 38.1}
    assert check(make_arrival(infection=INFECTION, vitals=five), "sepsis").met
    assert not check(make_arrival(infection=INFECTION, vitals={**five, "heart_rate_bpm": 110}), "sepsis").met
    assert check(make_arrival(infection=INFECTION, vitals={"systolic_bp_mm_hg": 89}), "sepsis").met
    assert not check(make_arrival(vitals=five), "sepsis").met  # no suspected infection


def test_sepsis_neutropenic_and_paediatric_arms() -> None:
    chemo = Infection(suspected_source="no clear source", chemotherapy_within_6_weeks=True)
    assert check(make_arrival(infection=chemo, vitals={"temperature_c": 38.1}), "sepsis").met
    assert not check(make_arrival(infection=chemo, vitals={"temperature_c": 38.0}), "sepsis").met
    child = {"age_days": 4 * 365 + 1, "infection": INFECTION, "vitals": {"heart_rate_bpm": 120}}
    assert not check(make_arrival(**child), "sepsis").met
    assert check(make_arrival(**{**child, "vitals": {"heart_rate_bpm": 120, "capillary_refill_s": 3.0}}), "sepsis").met
    assert check(make_arrival(**child, mental_status="voice"), "sepsis").met


def allergy(skin: bool, resp: bool, known: bool = False, gi: bool = False) -> Allergy:
    return Allergy(
        allergen="peanuts",
        known_allergy=known,
        onset_minutes=10,
        skin_mucosal=skin,
        respiratory_compromise=resp,
        severe_gi=gi,
    )


@pytest.mark.parametrize(
    ("block", "vitals", "met"),
    [
        (allergy(skin=True, resp=True), {}, True),  # criterion 1: skin + respiratory
        (allergy(skin=True, resp=False, gi=True), {}, True),  # criterion 1: skin + severe GI
        (allergy(skin=True, resp=False), {}, False),  # hives alone
        (allergy(skin=False, resp=False, known=True), {"systolic_bp_mm_hg": 85}, True),  # criterion 2: hypotension
        (allergy(skin=False, resp=True, known=False), {}, False),  # bronchospasm, no skin, not a known allergen
    ],
)
def test_anaphylaxis_wao_criteria(block: Allergy, vitals: dict, met: bool) -> None:
    assert check(make_arrival(allergy=block, vitals=vitals), "anaphylaxis").met is met


@pytest.mark.parametrize(
    ("days", "dose"),
    [(100, "100-150"), (200, "150"), (6 * 366, "300"), (12 * 366, "300"), (13 * 366, "500"), (40 * 365, "500")],
)
def test_adrenaline_dose_by_age(days: int, dose: str) -> None:
    assert adrenaline_dose(days).startswith(dose + " micrograms")


TRAUMA = Trauma(mechanism="Fell from a ladder")


@pytest.mark.parametrize(
    ("age_years", "vitals", "met"),
    [
        (40, {"systolic_bp_mm_hg": 89}, True),
        (40, {"systolic_bp_mm_hg": 90}, False),
        (40, {"systolic_bp_mm_hg": 100, "heart_rate_bpm": 101}, True),
        (70, {"systolic_bp_mm_hg": 109}, True),
        (70, {"systolic_bp_mm_hg": 110}, False),
        (5, {"systolic_bp_mm_hg": 79, "heart_rate_bpm": 120}, True),
        (5, {"systolic_bp_mm_hg": 80, "heart_rate_bpm": 120}, False),  # HR > SBP is not a criterion under 10
        (40, {"respiratory_rate_per_min": 30}, True),
        (40, {"respiratory_rate_per_min": 29}, False),
        (40, {"respiratory_rate_per_min": 9}, True),
        (40, {"spo2_percent": 89}, True),
    ],
)
def test_major_trauma_physiological_red_criteria(age_years: int, vitals: dict, met: bool) -> None:
    arrival = make_arrival(age_days=int(age_years * 365.25) + 10, trauma=TRAUMA, vitals=vitals)
    assert check(arrival, "major_trauma").met is met


def test_major_trauma_injury_and_gcs_criteria() -> None:
    assert check(make_arrival(trauma=TRAUMA, neuro=Neuro(gcs_eye=3, gcs_verbal=4, gcs_motor=5)), "major_trauma").met
    injured = Trauma(mechanism="Shot in the thigh", injuries=["penetrating injury to a proximal extremity (thigh)"])
    assert check(make_arrival(trauma=injured), "major_trauma").met
    mechanism_only = Trauma(mechanism="Fell 4 m", mechanism_criteria=["fall from height > 10 feet (3 m)"])
    result = check(make_arrival(trauma=mechanism_only), "major_trauma")
    assert not result.met and "yellow" in result.notes[0]
    assert not check(make_arrival(vitals={"systolic_bp_mm_hg": 80}), "major_trauma").met  # no injury


def test_time_targets_are_clock_times_from_arrival() -> None:
    result = check(make_arrival(arrival_time="23:55", cardiac=cardiac("II, III, aVF", 2.0)), "stemi")
    due = {t.minutes_from_arrival: t.due_by for t in result.time_targets}
    assert due[10] == "00:05" and due[90] == "01:25"


def test_met_protocols_orders_codes() -> None:
    arrival = make_arrival(cardiac=cardiac("II, III, aVF", 2.0), allergy=allergy(skin=True, resp=True))
    assert met_protocols(arrival) == ["stemi", "anaphylaxis"]
