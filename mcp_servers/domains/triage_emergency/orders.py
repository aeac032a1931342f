"""Orderable tests, their guideline time targets, and when a test is indicated for an arrival.

A test is indicated when the ED's anticipated work-up for the presentation includes it, when a guideline sets a time
target for it in the patient's complaint, when a protocol whose criteria the patient meets calls for it, or (point-of-
care glucose) when the mental status is altered. Anything else ordered at triage is an unindicated test: it costs the
patient time, radiation or blood and the department a resource (ESI handbook ch. 5 counts each as a resource).
"""

from __future__ import annotations

from typing import Literal

from healthgym.mcp_servers.domains.triage_emergency.models import Arrival
from healthgym.mcp_servers.domains.triage_emergency.protocols import met_protocols

TestCode = Literal[
    "ecg_12_lead", "troponin", "cbc_metabolic_panel", "blood_cultures_lactate", "urinalysis_culture",
    "poc_glucose", "poc_urine_hcg", "venous_blood_gas", "group_and_crossmatch", "paracetamol_level",
    "chest_xray", "ct_head", "cta_head_neck", "ct_abdomen_pelvis", "ct_pulmonary_angiography", "fast_ultrasound",
]  # fmt: skip
TESTS: dict[str, tuple[str, str]] = {
    "ecg_12_lead": ("12-lead ECG", "ecg"),
    "troponin": ("troponin", "labs"),
    "cbc_metabolic_panel": ("CBC and metabolic panel", "labs"),
    "blood_cultures_lactate": ("blood cultures and lactate", "labs"),
    "urinalysis_culture": ("urinalysis and urine culture", "labs"),
    "poc_glucose": ("point-of-care glucose", "point_of_care_testing"),
    "poc_urine_hcg": ("point-of-care urine pregnancy test", "point_of_care_testing"),
    "venous_blood_gas": ("venous blood gas and ketones", "labs"),
    "group_and_crossmatch": ("coagulation screen and group and crossmatch", "labs"),
    "paracetamol_level": ("paracetamol and salicylate levels", "labs"),
    "chest_xray": ("chest X-ray", "xray"),
    "ct_head": ("CT head", "ct"),
    "cta_head_neck": ("CT angiography of head and neck", "ct"),
    "ct_abdomen_pelvis": ("CT abdomen and pelvis", "ct"),
    "ct_pulmonary_angiography": ("CT pulmonary angiography", "ct"),
    "fast_ultrasound": ("FAST ultrasound", "ultrasound"),
}
"""Orderable tests: label (as an arrival's anticipated work-up names it) and ESI resource type."""
TEST_TARGETS: dict[tuple[str, str], tuple[int, str]] = {
    ("ecg_12_lead", "chest_pain"): (10, "ECG within 10 minutes of arrival for chest pain (Gulati 2021 AHA/ACC)"),
    ("ct_head", "stroke_symptoms"): (25, "CT started within 25 minutes of arrival for suspected stroke (NINDS 1997)"),
    ("poc_glucose", "stroke_symptoms"): (10, "glucose before any thrombolysis decision (AHA/ASA 2019)"),
    ("blood_cultures_lactate", "fever_adult"): (60, "lactate and cultures within the sepsis hour-1 bundle (SSC 2018)"),
}
"""(test, complaint card) -> minutes from arrival and the rule that sets the target."""
PROTOCOL_TESTS: dict[str, tuple[str, ...]] = {
    "stemi": ("ecg_12_lead", "troponin"),
    "stroke": ("poc_glucose", "ct_head", "cta_head_neck"),
    "sepsis": ("blood_cultures_lactate", "cbc_metabolic_panel"),
    "anaphylaxis": (),
    "major_trauma": ("fast_ultrasound", "group_and_crossmatch", "chest_xray"),
}
"""Tests each protocol's actions call for (the actions listed by ``get_protocol``: O'Gara 2013, AHA/ASA 2019, SSC
2018 hour-1 bundle, ATLS 10th ed. adjuncts to the primary survey)."""


def indication(arrival: Arrival, test: str) -> str:
    """Why ``test`` is indicated for the arrival, or '' when nothing in the record indicates it."""
    label = TESTS[test][0]
    if label in arrival.anticipated_workup:
        return f"{label} is part of the anticipated work-up"
    target = TEST_TARGETS.get((test, arrival.complaint_card))
    if target:
        return target[1]
    for code in met_protocols(arrival):
        if test in PROTOCOL_TESTS[code]:
            return f"{label} is an action of the {code} protocol, whose criteria are met"
    if test == "poc_glucose" and arrival.mental_status != "alert":
        return "glucose in altered mental status (ADA 2024: exclude hypoglycaemia)"
    return ""
