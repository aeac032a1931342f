"""The psychiatry tools over the in-process MCP session: the patient answers only what is asked, errors name the
bad argument, and the submission takes the disposition and safety plan recorded in the episode."""

from __future__ import annotations

from healthgym.mcp_servers.domain import tasks
from healthgym.mcp_servers.domains import get_domain
from healthgym.mcp_servers.inprocess import InProcessSession
from healthgym.mcp_servers.server import build_server

SPEC = get_domain("psychiatry")


def _session() -> InProcessSession:
    return InProcessSession(build_server("psychiatry"))


def _task(generator: str):
    return next(t for t in tasks(SPEC, "test") if t.source.generator == f"psychiatry.{generator}")


def test_the_chart_does_not_hold_the_patients_answers() -> None:
    chart = _session().call_tool("get_patient_record", {"patient_id": _task("instrument").case_ref}).structured
    assert "answers" not in chart and "findings" not in chart and chart["mental_status"]["mood"]


def test_an_item_answer_is_one_of_its_options() -> None:
    pid = _task("instrument").case_ref
    out = _session().call_tool("ask_instrument_item", {"patient_id": pid, "instrument": "audit", "item": 3}).structured
    assert out["answer"] in out["options"] and out["text"].startswith("How often do you have six or more drinks")
    epds = _session().call_tool("ask_instrument_item", {"patient_id": pid, "instrument": "epds", "item": 3}).structured
    assert epds["options"] == ["0", "1", "2", "3"] and "wording not reproduced" in epds["text"]


def test_errors_name_the_argument() -> None:
    session = _session()
    bad_id = session.call_tool("get_patient_record", {"patient_id": "PSY-0000000000000"})
    assert bad_id.is_error and "patient_id" in bad_id.text
    pid = _task("instrument").case_ref
    bad_item = session.call_tool("ask_instrument_item", {"patient_id": pid, "instrument": "cage", "item": 5})
    assert bad_item.is_error and "item 5" in bad_item.text and "1-4" in bad_item.text
    bad_topic = session.call_tool("ask_interview_question", {"patient_id": pid, "topic": "telepathy"})
    assert bad_topic.is_error and "topic" in bad_topic.text


def test_duration_topics_answer_with_a_number() -> None:
    task = next(t for t in tasks(SPEC, "test") if "(disorder 'major_depressive_disorder')" in t.prompt)
    out = _session().call_tool("ask_interview_question", {"patient_id": task.case_ref,
                                                          "topic": "depressive_episode_days"}).structured
    assert out["unit"] == "days" and out["value"] > 0


def test_submission_takes_the_recorded_disposition_and_plan() -> None:
    session = _session()
    pid = _task("suicide_risk").case_ref
    session.call_tool("set_disposition", {"patient_id": pid, "disposition": "routine_care"})
    session.call_tool("set_disposition", {"patient_id": pid, "disposition": "urgent_same_day_evaluation"})
    plan = session.call_tool("record_safety_plan", {"patient_id": pid, "elements": ["warning_signs"]}).structured
    assert "lethal_means_safety" in plan["missing"]
    out = session.call_tool("submit_answer", {"risk_level": "moderate"}).structured
    assert out["disposition"] == "urgent_same_day_evaluation" and out["safety_plan"] == ["warning_signs"]
    assert session.call_tool("submit_answer", {"risk_level": "low"}).is_error


def test_decision_support_tools_say_when_they_do_not_apply() -> None:
    pid = _task("instrument").case_ref
    session = _session()
    for tool in ("assess_clozapine_anc", "calculate_qtc", "assess_serotonin_vs_nms", "review_metabolic_monitoring",
                 "review_lithium"):
        assert session.call_tool(tool, {"patient_id": pid}).structured["applicable"] is False
