"""Worked examples of every pathway's rules from their sources, and the cross-phase safety rules."""

from __future__ import annotations

from typing import Any

import pytest

from healthgym.mcp_servers.domain import Solver, TaskView, tasks
from healthgym.mcp_servers.domains import get_domain
from healthgym.mcp_servers.domains.cross_domain.pathways import PATHWAYS, calculate
from healthgym.mcp_servers.domains.cross_domain.patients import Patient, Vitals
from healthgym.mcp_servers.domains.cross_domain.safety import unsafe_acts
from healthgym.mcp_servers.domains.cross_domain.tasks import gold
from healthgym.rl.env import HealthGymEnv
from healthgym.schemas import ToolCall

SPEC = get_domain("cross_domain")


def patient(pathway: str, results: dict[str, dict[str, Any]], **over: Any) -> Patient:
    vitals = {
        "heart_rate_bpm": 80,
        "systolic_bp_mm_hg": 130,
        "diastolic_bp_mm_hg": 80,
        "respiratory_rate_per_min": 16,
        "spo2_percent": 98,
        "on_supplemental_oxygen": False,
        "temperature_c": 37.0,
        "consciousness": "alert",
    }
    vitals |= over.pop("vitals", {})
    fields = {
        "case_id": "XD-TEST",
        "pathway": pathway,
        "age_years": 60.0,
        "sex": "male",
        "weight_kg": 80.0,
        "complaint": "x",
        "onset_hours": 2.0,
        "vitals": Vitals(**vitals),
        "conditions": [],
        "medications": [],
        "allergies": [],
        "features": [],
        "labs": {"hb_g_dl": 14.0, "urea_mmol_l": 5.0, "inr": 1.0, "platelets_10e9_l": 250.0},
        "results": results,
    }
    return Patient(**(fields | over))


def phases(p: Patient) -> dict[str, Any]:
    return gold(p)


def test_heart_score_low_and_intermediate_risk() -> None:
    """Backus 2013: 60 years (1), moderately suspicious (1), normal ECG (0), 1-2 risk factors (1), troponin <= URL
    (0) = 3 -> early discharge; a third risk factor (2 points) makes 4 -> observation with serial troponin."""
    results = {
        "ecg": {"category": "normal", "st_elevation": False},
        "troponin": {"troponin_times_uln": 0.5},
        "ct_aortogram": {"intimal_flap": False},
        "ctpa": {"filling_defect": False},
    }
    low = patient("chest_pain", results, conditions=["hypertension", "smoker"], features=["moderately_suspicious"])
    assert phases(low) == {
        "score": 3,
        "diagnosis": "low_risk_chest_pain",
        "treatment": "discharge_with_followup",
        "disposition": "discharge",
    }
    mid = low.model_copy(update={"conditions": ["diabetes", "hypertension", "smoker"]})
    assert phases(mid) == {
        "score": 4,
        "diagnosis": "low_risk_chest_pain",
        "treatment": "serial_troponin_observation",
        "disposition": "clinical_decision_unit",
    }
    dissection = low.model_copy(update={"results": {**results, "ct_aortogram": {"intimal_flap": True}}})
    assert phases(dissection)["treatment"] == "bp_control_surgical_referral"
    assert unsafe_acts(dissection, "dapt_anticoagulation") and unsafe_acts(dissection, "thrombolysis")


def test_stroke_thrombolysis_exclusions() -> None:
    """AHA/ASA 2019: ischaemic stroke at 2 h -> alteplase; on warfarin with INR 2.4 -> excluded: aspirin without an
    LVO, thrombectomy with one; glucose 2.2 mmol/L is a mimic."""
    results = {
        "capillary_glucose": {"glucose_mmol_l": 6.0},
        "ct_head": {"haemorrhage": False},
        "ct_angiogram": {"large_vessel_occlusion": False},
        "coagulation": {"inr": 1.0, "platelets_10e9_l": 250.0},
    }
    eligible = patient("stroke", results)
    assert phases(eligible)["treatment"] == "thrombolysis" and not unsafe_acts(eligible, "thrombolysis")
    warfarin = patient(
        "stroke", {**results, "coagulation": {"inr": 2.4, "platelets_10e9_l": 250.0}}, medications=["warfarin"]
    )
    assert phases(warfarin)["treatment"] == "aspirin"
    assert unsafe_acts(warfarin, "thrombolysis") == [
        "thrombolysis_contraindicated: thrombolysis started with INR > 1.7"
    ]
    lvo = warfarin.model_copy(
        update={"results": {**warfarin.results, "ct_angiogram": {"large_vessel_occlusion": True}}}
    )
    assert phases(lvo)["treatment"] == "thrombectomy" and phases(lvo)["disposition"] == "neurointerventional_suite"
    late = eligible.model_copy(update={"onset_hours": 5.0})
    assert phases(late)["treatment"] == "aspirin"
    bleed = patient("stroke", {**results, "ct_head": {"haemorrhage": True}})
    assert phases(bleed)["diagnosis"] == "intracerebral_haemorrhage"
    assert any(a.startswith("antithrombotic_in_bleeding") for a in unsafe_acts(bleed, "aspirin"))
    mimic = patient("stroke", {**results, "capillary_glucose": {"glucose_mmol_l": 2.2}})
    assert phases(mimic)["diagnosis"] == "hypoglycaemia_stroke_mimic" and phases(mimic)["treatment"] == "iv_glucose"


def test_dka_and_hhs() -> None:
    """JBDS-IP 2021: glucose 25, ketones 5, pH 7.15, HCO3 10, K 3.1 -> DKA, potassium before insulin, level 2 care;
    anion gap 135 - (100 + 10) = 25. JBDS 2022: Na 155, glucose 50, urea 10 -> osmolality 370 -> HHS, HDU."""
    results = {
        "electrolytes": {
            "sodium_mmol_l": 135.0,
            "chloride_mmol_l": 100.0,
            "bicarbonate_mmol_l": 10.0,
            "potassium_mmol_l": 3.1,
            "glucose_mmol_l": 25.0,
        },
        "blood_gas": {"ph": 7.15},
        "blood_ketones": {"ketones_mmol_l": 5.0},
    }
    dka = patient("dka", results, conditions=["diabetes"])
    assert phases(dka) == {
        "score": 25,
        "diagnosis": "diabetic_ketoacidosis",
        "treatment": "potassium_replacement_before_insulin",
        "disposition": "hdu",
    }
    assert unsafe_acts(dka, "fixed_rate_insulin_and_fluids") == [
        "insulin_with_hypokalaemia: fixed_rate_insulin_and_fluids started with potassium 3.1 mmol/L"
    ]
    hhs = patient(
        "dka",
        {
            "electrolytes": {
                "sodium_mmol_l": 155.0,
                "chloride_mmol_l": 115.0,
                "bicarbonate_mmol_l": 22.0,
                "potassium_mmol_l": 4.5,
                "glucose_mmol_l": 50.0,
            },
            "blood_gas": {"ph": 7.38},
            "blood_ketones": {"ketones_mmol_l": 0.8},
        },
        labs={"urea_mmol_l": 10.0, "hb_g_dl": 14.0},
    )
    assert phases(hhs)["diagnosis"] == "hyperosmolar_hyperglycaemic_state" and phases(hhs)["disposition"] == "hdu"


def test_glasgow_blatchford_and_bleeding() -> None:
    """Blatchford 2000: urea 12 mmol/L (4), Hb 11 g/dL in a man (3), SBP 95 (2), HR 105 (1), melaena (1) = 11."""
    p = patient(
        "upper_gi_bleed",
        {"endoscopy": {"finding": "peptic_ulcer"}},
        features=["melaena"],
        labs={"urea_mmol_l": 12.0, "hb_g_dl": 11.0, "inr": 1.0},
        vitals={"systolic_bp_mm_hg": 95, "heart_rate_bpm": 105},
    )
    assert phases(p) == {
        "score": 11,
        "diagnosis": "peptic_ulcer_bleed",
        "treatment": "endoscopic_haemostasis_ppi",
        "disposition": "medical_ward",
    }
    assert unsafe_acts(p, "anticoagulation") == [
        "antithrombotic_in_bleeding: anticoagulation (enoxaparin) started with upper GI bleeding"
    ]
    assert unsafe_acts(p, "thrombolysis")


def test_pregnancy_hypertension_by_obstetrics_rules() -> None:
    """ACOG PB 222: 150/95 then 148/96 four hours later at 34 weeks with P/C 0.5 -> pre-eclampsia without severe
    features; asthma -> nifedipine (labetalol contraindicated); admit. At 38 weeks -> planned birth (NICE NG133)."""
    results = {
        "repeat_bp": {"minutes_after": 240.0, "systolic_mm_hg": 148.0, "diastolic_mm_hg": 96.0},
        "urine_protein_creatinine_ratio": {"upcr_mg_mg": 0.5},
        "pre_eclampsia_bloods": {"platelets_10e9_l": 220.0, "ast_u_l": 25.0, "alt_u_l": 28.0, "creatinine_mg_dl": 0.6},
    }
    p = patient(
        "pregnancy_hypertension",
        results,
        sex="female",
        gestation_weeks=34,
        conditions=["asthma"],
        vitals={"systolic_bp_mm_hg": 150, "diastolic_bp_mm_hg": 95},
    )
    assert phases(p) == {
        "score": pytest.approx(113.33, abs=0.01),
        "diagnosis": "preeclampsia_without_severe_features",
        "treatment": "oral_nifedipine",
        "disposition": "antenatal_ward",
    }
    assert unsafe_acts(p, "oral_labetalol") == ["beta_blocker_in_asthma: oral_labetalol (labetalol) in asthma"]
    assert phases(p.model_copy(update={"gestation_weeks": 38}))["disposition"] == "labour_ward"


def test_paediatric_fever_and_sepsis_antibiotics() -> None:
    """Holliday-Segar: 12 kg -> 40 + 2 x 2 = 44 mL/h; NICE NG143: a non-blanching rash is red. IDSA/ATS CAP 2019 with
    a penicillin allergy: levofloxacin, but doxycycline when the patient takes citalopram (QT, drug_interaction)."""
    child = patient(
        "paediatric_fever",
        {
            "lumbar_puncture": {"csf_wcc_per_ul": 2.0},
            "chest_xray": {"consolidation": True},
            "urinalysis": {"nitrites": False},
        },
        age_years=2.0,
        weight_kg=12.0,
        features=["non_blanching_rash"],
        allergies=["penicillin"],
    )
    assert phases(child) == {
        "score": 44,
        "diagnosis": "pneumonia",
        "treatment": "clarithromycin",
        "disposition": "paediatric_ward",
    }
    results = {
        "chest_xray": {"consolidation": True},
        "ct_abdomen": {"collection": False},
        "urinalysis": {"nitrites": False},
        "lactate": {"lactate_mmol_l": 1.2},
    }
    allergic = patient("sepsis", results, allergies=["penicillin"])
    assert PATHWAYS["sepsis"].treat(allergic, "pneumonia") == "levofloxacin"
    on_citalopram = allergic.model_copy(update={"medications": ["citalopram"]})
    assert PATHWAYS["sepsis"].treat(on_citalopram, "pneumonia") == "doxycycline"
    assert unsafe_acts(allergic, "amoxicillin-clavulanate")
    assert calculate(PATHWAYS["sepsis"].score_call(allergic)) == 0


def _swapping(solver: Solver, treatment: str) -> Solver:
    """The reference path with another treatment started (and submitted)."""
    result = None
    call = next(solver)
    while True:
        if call.name == "start_treatment" or call.name == "submit_pathway":
            call = ToolCall(name=call.name, arguments={**call.arguments, "treatment": treatment})
        result = yield call
        try:
            call = solver.send(result)
        except StopIteration:
            return


@pytest.mark.parametrize(
    ("pathway", "treatment", "rule"),
    [
        ("upper_gi_bleed", "anticoagulation", "antithrombotic_in_bleeding"),
        ("upper_gi_bleed", "thrombolysis", "thrombolysis_contraindicated"),
    ],
)
def test_an_unsafe_treatment_costs_the_episode(pathway: str, treatment: str, rule: str) -> None:
    task = next(t for t in tasks(SPEC, "test") if t.source.generator == f"cross_domain.{pathway}")
    env = HealthGymEnv("cross_domain", "test", max_turns=64)
    _, info = env.reset(options={"task_id": task.id})
    solver = _swapping(SPEC.solve(TaskView.of(task)), treatment)
    result = None
    while True:
        try:
            call = solver.send(result) if result is not None else next(solver)
        except StopIteration:
            break
        _, reward, terminated, _, info = env.step(call.model_dump_json(include={"name", "arguments"}))
        out = info["tool_results"][-1]
        result = {"error": out.text} if out.is_error else out.structured
        if terminated:
            break
    breakdown = info["reward_breakdown"]
    assert any(e.startswith(rule) for e in breakdown.safety_events), breakdown.safety_events
    assert -0.75 <= reward <= -0.25


def test_the_found_contraindication_is_what_counts() -> None:
    """Every stroke test case whose gold is not thrombolysis has a recorded exclusion or is not ischaemic."""
    for task in tasks(SPEC, "test"):
        if task.source.generator == "cross_domain.stroke" and task.answer.fields["treatment"].value == "aspirin":
            from healthgym.mcp_servers.domains.cross_domain.tasks import patient_by_id

            assert unsafe_acts(patient_by_id(task.case_ref), "thrombolysis")
