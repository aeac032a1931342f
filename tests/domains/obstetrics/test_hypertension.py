"""Hypertensive disorders of pregnancy (ACOG PB 222 Boxes 1-2): time rules, proteinuria, severe features and every
category, with the magnesium and acute-treatment indications."""

from __future__ import annotations

from dataclasses import replace

import pytest

from healthgym.mcp_servers.domains.obstetrics import hypertension as h
from healthgym.mcp_servers.domains.obstetrics.hypertension import Reading

BASE = h.Findings(ga_days=230, chronic_hypertension=False, readings=(Reading(0, 120, 75), Reading(300, 124, 78)),
                  upcr=0.1, protein_24h_mg=None, dipstick="negative", platelets=220, ast=20, alt=18,
                  transaminase_uln=40, creatinine=0.6, symptoms=())  # fmt: skip
HTN = (Reading(0, 142, 88), Reading(240, 138, 92))
SEVERE = (Reading(0, 162, 100), Reading(15, 150, 110))


def test_hypertension_needs_two_readings_four_hours_apart() -> None:
    assert h.hypertensive(HTN)
    assert not h.hypertensive((Reading(0, 142, 88), Reading(239, 138, 92)))
    assert not h.hypertensive((Reading(0, 139, 89), Reading(300, 139, 89)))


def test_severe_range_is_confirmed_fifteen_minutes_apart() -> None:
    assert h.severe_range(SEVERE)
    assert not h.severe_range((Reading(0, 162, 100), Reading(14, 165, 100)))
    assert not h.severe_range((Reading(0, 159, 109), Reading(30, 159, 109)))


def test_proteinuria_thresholds_and_the_dipstick_only_without_a_quantitative_measure() -> None:
    assert h.proteinuria(0.3, None, "negative") and not h.proteinuria(0.29, None, "3+")
    assert h.proteinuria(None, 300, "negative") and not h.proteinuria(None, 299, "2+")
    assert h.proteinuria(None, None, "2+") and not h.proteinuria(None, None, "1+")


@pytest.mark.parametrize(("change", "feature"), [
    ({"platelets": 99}, "thrombocytopenia"), ({"ast": 80}, "transaminases_2x_uln"),
    ({"creatinine": 1.11}, "renal_insufficiency"), ({"symptoms": ("visual_disturbance",)}, "visual_disturbance"),
])  # fmt: skip
def test_severe_feature_boundaries(change: dict, feature: str) -> None:
    assert h.severe_features(replace(BASE, **change)) == (feature,)


def test_values_at_the_limit_are_not_severe() -> None:
    assert h.severe_features(replace(BASE, platelets=100, ast=79, creatinine=1.1)) == ()


@pytest.mark.parametrize(("change", "category", "magnesium"), [
    ({}, "no_hypertensive_disorder", False),
    ({"readings": HTN}, "gestational_hypertension", False),
    ({"readings": SEVERE}, "severe_gestational_hypertension", True),
    ({"readings": HTN, "upcr": 0.3}, "preeclampsia_without_severe_features", False),
    ({"readings": SEVERE, "upcr": 0.5}, "preeclampsia_with_severe_features", True),
    ({"readings": HTN, "platelets": 90}, "preeclampsia_with_severe_features", True),  # no proteinuria needed
    ({"readings": HTN, "chronic_hypertension": True}, "chronic_hypertension", False),
    ({"readings": HTN, "chronic_hypertension": True, "upcr": 0.4}, "superimposed_preeclampsia", False),
    ({"readings": HTN, "chronic_hypertension": True, "symptoms": ("headache_unresponsive",)},
     "superimposed_preeclampsia_with_severe_features", True),
])  # fmt: skip
def test_categories(change: dict, category: str, magnesium: bool) -> None:
    result = h.classify(replace(BASE, **change))
    assert (result.category, result.magnesium_indicated) == (category, magnesium)


def test_acute_treatment_only_for_confirmed_severe_range() -> None:
    assert h.classify(replace(BASE, readings=SEVERE)).acute_antihypertensive
    assert not h.classify(replace(BASE, readings=HTN, platelets=90)).acute_antihypertensive


def test_new_hypertension_before_20_weeks_is_refused() -> None:
    with pytest.raises(ValueError, match="ga_days 120"):
        h.classify(replace(BASE, ga_days=120, readings=HTN))
