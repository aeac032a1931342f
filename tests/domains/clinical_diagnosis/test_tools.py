"""The encounter tools over a real in-process MCP session: the patient reveals only what is asked."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.domain import tasks
from healthgym.mcp_servers.domains import get_domain
from healthgym.mcp_servers.domains.clinical_diagnosis.knowledge import model
from healthgym.mcp_servers.domains.clinical_diagnosis.patients import build_case
from healthgym.mcp_servers.inprocess import InProcessSession
from healthgym.mcp_servers.server import build_server


@pytest.fixture
def session() -> InProcessSession:
    return InProcessSession(build_server("clinical_diagnosis"))


@pytest.fixture(scope="module")
def case():
    return build_case("test", 0, 0)


def _ok(session: InProcessSession, name: str, **args) -> dict:
    out = session.call_tool(name, args)
    assert not out.is_error, out.text
    return out.structured


def test_one_question_gets_one_answer_and_a_topic_only_its_questions(session, case) -> None:
    cid = case.patient.case_id
    one = _ok(session, "ask_patient", case_id=cid, question="E_91")
    assert [a["code"] for a in one["answers"]] == ["E_91"]
    assert one["answers"][0]["present"] == case.patient.findings["E_91"]
    topic = _ok(session, "ask_patient", case_id=cid, question="respiratory")
    m = model()
    assert {a["code"] for a in topic["answers"]} == {
        c for c, f in m.findings.items() if f.group == "respiratory" and f.kind in ("symptom", "antecedent")
    }


def test_the_differential_counts_only_what_was_gathered(session, case) -> None:
    cid = case.patient.case_id
    first = _ok(session, "differential_diagnosis", case_id=cid)
    assert first["findings_used"] == 0
    _ok(session, "get_encounter", case_id=cid)
    _ok(session, "ask_patient", case_id=cid, question="pain")
    after = _ok(session, "differential_diagnosis", case_id=cid)
    assert after["findings_used"] > 1 and after["ranking"] != first["ranking"]


def test_a_full_work_up_through_the_tools_finds_the_gold(session, case) -> None:
    cid = case.patient.case_id
    enc = _ok(session, "get_encounter", case_id=cid)
    for topic in enc["history_topics"]:
        _ok(session, "ask_patient", case_id=cid, question=topic)
    for system in enc["exam_systems"]:
        _ok(session, "examine", case_id=cid, system=system)
    _ok(session, "get_vitals", case_id=cid)
    assert _ok(session, "differential_diagnosis", case_id=cid)["differential"] == list(case.differential)
    plan = _ok(session, "recommend_tests", case_id=cid)
    assert plan["tests"] == list(case.workup)
    total = 0
    for test in plan["tests"]:
        report = _ok(session, "order_test", case_id=cid, test=test)
        total = report["total_cost"]
    assert total == plan["cost"]
    assert _ok(session, "differential_diagnosis", case_id=cid)["leading"] == case.condition
    assert _ok(session, "recommend_disposition", case_id=cid)["disposition"] == case.disposition


def test_tests_report_values_with_reference_ranges_and_cost_once(session, case) -> None:
    cid = case.patient.case_id
    first = _ok(session, "order_test", case_id=cid, test="cbc")
    again = _ok(session, "order_test", case_id=cid, test="cbc")
    assert first["results"] == again["results"] and again["total_cost"] == first["cost"] == 1
    wbc = next(r for r in first["results"] if r["analyte"] == "white cell count")
    assert wbc["unit"] == "x10^9/L" and wbc["reference_range"] == "4.0-11.0"
    assert wbc["abnormal"] == (wbc["value"] > 11.0)


def test_vital_findings_follow_their_thresholds(session) -> None:
    for task in tasks(get_domain("clinical_diagnosis"), "test")[:30]:
        vitals = _ok(session, "get_vitals", case_id=task.case_ref)
        values = {r["name"]: r["value"] for r in vitals["readings"]}
        flags = {f["code"]: f["present"] for f in vitals["findings"]}
        assert flags["VS_FEVER"] == (values["temperature_c"] >= 38.0)
        assert flags["VS_HYPOTENSION"] == (values["systolic_bp_mm_hg"] < 90)
        assert flags["VS_HYPOXAEMIA"] == (values["spo2_percent"] < 92)


@pytest.mark.parametrize(
    ("tool", "args", "named"),
    [
        ("ask_patient", {"case_id": "DX-0000000000000", "question": "pain"}, "case_id"),
        ("ask_patient", {"case_id": None, "question": "favourite colour"}, "question"),
        ("order_test", {"case_id": None, "test": "mri_toe"}, "test"),
        ("get_condition_card", {"condition": "dragon pox"}, "condition"),
        ("get_evidence_definition", {"code": "E_9999"}, "code"),
    ],
)
def test_bad_arguments_are_errors_naming_the_argument(session, case, tool, args, named) -> None:
    args = {k: (case.patient.case_id if v is None else v) for k, v in args.items()}
    out = session.call_tool(tool, args)
    assert out.is_error and named in out.text


def test_reference_tools_give_cards_definitions_and_test_characteristics(session) -> None:
    card = _ok(session, "get_condition_card", condition="K35.80")
    assert card["id"] == "appendicitis" and "ct_abdomen" in card["workup"] and card["cant_miss"]
    assert card["cant_miss_neighbours"]
    ev = _ok(session, "get_evidence_definition", code="E_55")
    assert ev["kind"] == "detail" and ev["ddxplus_type"] == "M" and ev["ddxplus_values"]["V_123"] == "nowhere"
    tc = _ok(session, "get_test_characteristics", test="ctpa")
    assert tc["findings"][0]["sensitivity_by_condition"]["pulmonary_embolism"] == 0.95
    assert tc["findings"][0]["specificity"] == 0.98
