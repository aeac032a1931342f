"""The tools through the MCP tool path (in-process session): hand-checked answers, writes seen by reads and kept
per episode, and bad arguments answered with errors that name the parameter."""

from __future__ import annotations

from typing import Any, get_args

import pytest

from healthgym.mcp_servers.domains.drug_interaction.cases import Case, build_case
from healthgym.mcp_servers.domains.drug_interaction.knowledge import knowledge
from healthgym.mcp_servers.domains.drug_interaction.patients import Patient, patient_id
from healthgym.mcp_servers.domains.drug_interaction.rules import MECHANISMS
from healthgym.mcp_servers.domains.drug_interaction.tools import MechanismArg
from healthgym.mcp_servers.inprocess import InProcessSession

K = knowledge()


def ok(session: InProcessSession, tool: str, **args: Any) -> dict[str, Any]:
    result = session.call_tool(tool, args)
    assert not result.is_error, result.text
    assert result.structured is not None
    return result.structured


def error(session: InProcessSession, tool: str, **args: Any) -> str:
    result = session.call_tool(tool, args)
    assert result.is_error, result.structured
    return result.text


def pid(index: int) -> str:
    """The opaque id of test task ``index``'s patient (kinds cycle: 1 profile, 2 mechanism, 3 renal, 4 screening,
    6 QT, 7 ACB)."""
    return patient_id("test", 0, index)


def first_case(kind: str, predicate=lambda case: True) -> Case:
    return next(c for c in (build_case("test", 0, i) for i in range(360)) if c.kind == kind and predicate(c))


def first_patient(predicate) -> Patient:
    """The first test-split patient that satisfies ``predicate``."""
    return next(p for p in (build_case("test", 0, i).patient for i in range(360)) if predicate(p))


def takes(patient: Patient, drug: str) -> bool:
    return any(m.drug == drug for m in patient.medications)


def test_check_interaction_resolves_brands_and_cites_the_label(session: InProcessSession) -> None:
    out = ok(session, "check_interaction", drug_a="Zocor", drug_b="Biaxin")
    assert (out["drug_a"], out["drug_b"], out["severity"]) == ("simvastatin", "clarithromycin", "contraindicated")
    assert "ZOCOR" in out["curated"]["source"]
    assert {"rule": "cyp_inhibition", "severity": "major"}.items() <= out["findings"][0].items()


def test_uncurated_pair_gets_the_mechanism_severity(session: InProcessSession) -> None:
    out = ok(session, "check_interaction", drug_a="posaconazole", drug_b="quetiapine")
    assert out["curated"] is None and out["severity"] == "major"
    assert "strong CYP3A4 inhibitor" in out["findings"][0]["detail"]


def test_bad_drug_and_patient_arguments_name_the_parameter(session: InProcessSession) -> None:
    text = error(session, "check_interaction", drug_a="simvastatn", drug_b="clarithromycin")
    assert "drug_a" in text and "simvastatin" in text
    assert "drug_b" in error(session, "check_interaction", drug_a="warfarin", drug_b="Coumadin")
    text = error(session, "get_patient", patient_id="P-42")
    assert "patient_id" in text and "13 base32" in text
    assert "patient_id" in error(session, "get_patient", patient_id="DI-0000000000000")
    assert "limit" in error(session, "search_drugs", query="statin", limit=0)
    assert "mechanism" in error(session, "detect_mechanism_interactions", patient_id=pid(1), mechanism="x")


def test_creatinine_clearance_matches_the_record_by_hand(session: InProcessSession) -> None:
    record = ok(session, "get_patient", patient_id=pid(3))
    factor = 0.85 if record["sex"] == "female" else 1.0
    by_hand = (140 - record["age_years"]) * record["weight_kg"] * factor / (72 * record["serum_creatinine_mg_dl"])
    out = ok(session, "calculate_creatinine_clearance", patient_id=pid(3))
    assert out["calculator"] == "cockcroft_gault" and out["value"] == pytest.approx(by_hand, abs=0.01)
    renal = ok(session, "get_renal_dose_adjustment", patient_id=pid(3), drug="dabigatran")
    assert renal["crcl_ml_min"] == round(by_hand, 1)
    assert [b["action"] for b in renal["label_bands"]] == ["avoid", "reduce_dose"]


def test_writes_are_seen_by_reads_and_stay_in_their_episode(session: InProcessSession) -> None:
    pid = first_patient(lambda p: takes(p, "simvastatin") and not takes(p, "clarithromycin")).patient_id
    started = ok(
        session, "prescribe", patient_id=pid, drug="clarithromycin", dose="500 mg twice daily", indication="pneumonia"
    )
    assert started["screening"]["decision"] == "unsafe" and "interaction: contraindicated" in started["alerts"]
    meds = {m["drug"]: m["status"] for m in ok(session, "list_medications", patient_id=pid)["medications"]}
    assert meds["clarithromycin"] == "started this episode" and meds["simvastatin"] == "on record"
    pairs = {p["pair"]: p["severity"] for p in ok(session, "check_all_interactions", patient_id=pid)["pairs"]}
    assert pairs["clarithromycin+simvastatin"] == "contraindicated"
    assert "drug" in error(session, "prescribe", patient_id=pid, drug="clarithromycin", dose="500 mg")

    ok(session, "stop_medication", patient_id=pid, drug="simvastatin", reason="hold during clarithromycin")
    pairs = {p["pair"] for p in ok(session, "check_all_interactions", patient_id=pid)["pairs"]}
    assert "clarithromycin+simvastatin" not in pairs
    assert "drug" in error(session, "stop_medication", patient_id=pid, drug="simvastatin", reason="again")

    other = InProcessSession(session.server)
    fresh = {m["drug"] for m in ok(other, "get_patient", patient_id=pid)["medications"]}
    assert "simvastatin" in fresh and "clarithromycin" not in fresh


def test_submit_answer_echoes_once(session: InProcessSession) -> None:
    out = ok(session, "submit_answer", pairs=["clarithromycin+simvastatin"], decision="unsafe", reasons=["renal"])
    assert out["pairs"] == ["clarithromycin+simvastatin"] and session.state.submitted == out
    assert "answer" in error(session, "submit_answer", answer="major")
    assert "reasons" in error(InProcessSession(session.server), "submit_answer", reasons=["kidney"])


def test_search_drugs_by_class_and_indication(session: InProcessSession) -> None:
    statins = ok(session, "search_drugs", query="statin", field="class")
    assert {m["name"] for m in statins["matches"]} == {
        "atorvastatin",
        "simvastatin",
        "lovastatin",
        "rosuvastatin",
        "pravastatin",
    }
    pregnancy = {m["name"] for m in ok(session, "search_drugs", query="hypertension_pregnancy")["matches"]}
    assert {"labetalol", "nifedipine", "methyldopa"} <= pregnancy


def test_drug_info_carries_bands_roles_and_full_sources(session: InProcessSession) -> None:
    info = ok(session, "get_drug_info", drug="Pradaxa")
    assert info["name"] == "dabigatran" and info["renal_bands"][1]["band"] == "CrCl 15 to <= 30 mL/min"
    assert info["transporter_substrate"] == ["P-gp"] and info["bleeding_role"] == "anticoagulant"
    assert any(s.startswith("FDA. Drug Development") for s in info["sources"])
    assert ok(session, "get_drug_info", drug="citalopram")["qt_risk"] == "known"


def test_pregnancy_alternatives_exclude_renin_angiotensin_blockers(session: InProcessSession) -> None:
    pid = first_patient(lambda p: p.pregnant).patient_id
    out = ok(session, "suggest_alternative", patient_id=pid, drug="lisinopril", indication="hypertension")
    by_drug = {c["drug"]: c for c in out["candidates"]}
    for blocker in ("losartan", "valsartan", "enalapril"):
        if blocker in by_drug:
            assert by_drug[blocker]["decision"] == "unsafe" and "pregnancy" in by_drug[blocker]["reasons"]
    assert by_drug["labetalol"]["pregnancy"] == "compatible"
    assert "indication" in error(session, "suggest_alternative", patient_id=pid, drug="lisinopril", indication="htn")
    safety = ok(session, "check_pregnancy_safety", patient_id=pid, drug="warfarin")
    assert (safety["applies_to"], safety["category"]) == ("pregnancy", "contraindicated")


def test_allergy_and_hepatic_tools(session: InProcessSession) -> None:
    pid = first_patient(lambda p: any(a.allergen == "penicillin" for a in p.allergies)).patient_id
    assert ok(session, "check_allergy", patient_id=pid, drug="Amoxil")["level"] == "contraindicated"
    assert ok(session, "check_allergy", patient_id=pid, drug="cefuroxime")["level"] in ("caution", "contraindicated")
    liver = first_patient(lambda p: p.hepatic_function == "child_pugh_c").patient_id
    out = ok(session, "get_hepatic_dose_adjustment", patient_id=liver, drug="rivaroxaban")
    assert (out["child_pugh_class"], out["action"]) == ("C", "avoid")


def test_burden_tools_add_up(session: InProcessSession) -> None:
    qt = ok(session, "qt_risk_assessment", patient_id=pid(6))
    assert qt["score"] == sum(qt["points"].values())
    heavy = first_case("anticholinergic_burden", lambda c: sum(K.drugs[m.drug].acb for m in c.patient.medications) >= 3)
    acb = ok(session, "anticholinergic_burden", patient_id=heavy.patient.patient_id)
    assert acb["total"] == sum(d["acb"] for d in acb["drugs"]) and acb["total"] >= 3
    serotonin = ok(session, "serotonergic_burden", patient_id=pid(4))
    assert "clonus" in serotonin["hunter_criteria"]
    assert set(get_args(MechanismArg)) == {"all", *MECHANISMS}
    qt_case = first_case("mechanism_pairs", lambda c: c.mechanism == "qt")
    report = ok(session, "detect_mechanism_interactions", patient_id=qt_case.patient.patient_id, mechanism="qt")
    assert report["pairs"] and all(f["mechanism"] == "qt" for f in report["findings"])
