"""The tools as an MCP client sees them: data for real study ids, errors naming the bad parameter, report checks
computed by the submit tool, and communications kept per episode."""

from __future__ import annotations

from healthgym.mcp_servers.domain import tasks
from healthgym.mcp_servers.domains.radiology_report import SPEC
from healthgym.mcp_servers.domains.radiology_report.report import ELEMENTS, draft
from healthgym.mcp_servers.domains.radiology_report.studies import build_case, case_id
from healthgym.mcp_servers.inprocess import InProcessSession


def call(session: InProcessSession, name: str, **arguments):
    result = session.call_tool(name, arguments)
    assert not result.is_error, result.text
    return result.structured


def _full_report(system: str, other: str | None = None):
    for index in range(5, 2000, 6):
        case = build_case("dev", 0, index)
        if case.plan.system == system and (other is None or case.plan.other == other):
            return case
    raise AssertionError(f"no full-report {system} study")


def test_unknown_study_and_finding_ids_are_named(session: InProcessSession) -> None:
    bad = session.call_tool("get_findings", {"study_id": "RAD-0000000000000"})
    assert bad.is_error and "study_id" in bad.text
    sid = case_id("test", 0, 0)
    wrong = session.call_tool("classify_finding", {"study_id": sid, "finding_id": "F7"})
    assert wrong.is_error and "finding_id" in wrong.text and "allowed" in wrong.text


def test_decision_support_agrees_with_the_task_gold(session: InProcessSession) -> None:
    for task in tasks(SPEC, "test")[:30]:
        result = call(session, "classify_study", study_id=task.case_ref)
        assert result["category"] == task.answer.fields["category"].value
        assert result["recommendation"] == task.answer.fields["recommendation"].value


def test_measure_and_growth_follow_each_system_convention(session: InProcessSession) -> None:
    assert call(session, "measure_nodule", long_axis_mm=7.0, short_axis_mm=4.0, system="fleischner")[
        "mean_diameter_mm"] == 6
    assert call(session, "measure_nodule", long_axis_mm=6.0, short_axis_mm=5.9, system="lung_rads")[
        "mean_diameter_mm"] == 6.0
    assert call(session, "assess_growth", current_mm=6.0, prior_mm=4.5, interval_months=12,
                system="lung_rads")["growth"] is False
    assert call(session, "assess_growth", current_mm=15, prior_mm=10, interval_months=6, system="li_rads")["growth"]
    over = session.call_tool("assess_growth", {"current_mm": 6, "prior_mm": 4, "interval_months": 13,
                                               "system": "lung_rads"})
    assert over.is_error and "interval_months" in over.text
    flipped = session.call_tool("measure_nodule", {"long_axis_mm": 4, "short_axis_mm": 7, "system": "fleischner"})
    assert flipped.is_error and "short_axis_mm" in flipped.text


def test_score_ti_rads_refuses_a_one_point_total(session: InProcessSession) -> None:
    tr5 = call(session, "score_ti_rads", composition="solid", echogenicity="very_hypoechoic", shape="taller_than_wide",
               margin="smooth", echogenic_foci=["punctate"])
    assert (tr5["total"], tr5["level"]) == (11, "tr5")
    one = session.call_tool("score_ti_rads", {"composition": "cystic", "echogenicity": "anechoic",
                                              "shape": "wider_than_tall", "margin": "smooth",
                                              "echogenic_foci": ["macrocalcification"]})
    assert one.is_error and "echogenic_foci" in one.text


def test_submit_report_checks_every_element_against_the_study(session: InProcessSession) -> None:
    case = _full_report("lung_rads")
    sid, a = case.study.study_id, case.assessment
    sections = draft(case.study, a)
    good = call(session, "submit_report", study_id=sid, category=a.exam.category,
                recommendation=a.exam.recommendation, communication=a.communication, **sections)
    assert good["report_elements"] == list(ELEMENTS) and good["element_problems"] == []
    again = session.call_tool("submit_report", {"study_id": sid, "category": "", "recommendation": ""})
    assert again.is_error and "already submitted" in again.text
    poor = call(InProcessSession(session.server), "submit_report", study_id=sid, category=a.exam.category,
                recommendation="", impression="nodule", findings="a nodule", technique="chest imaging", comparison="")
    assert poor["report_elements"] == []


def test_the_findings_section_must_state_every_size_and_other_finding(session: InProcessSession) -> None:
    case = _full_report("fleischner", other="emergent")
    sid, a = case.study.study_id, case.assessment
    sections = draft(case.study, a)
    sections["findings"] = sections["findings"].replace(case.study.other_findings[0].label, "something")
    result = call(session, "validate_report", study_id=sid, category=a.exam.category,
                  recommendation=a.exam.recommendation, communication_level=a.communication, **sections)
    assert not result["valid"] and any(p.startswith("findings") for p in result["problems"])


def test_communications_show_in_the_study_header(session: InProcessSession) -> None:
    sid = case_id("test", 0, 3)
    call(session, "communicate_finding", study_id=sid, urgency="expedited", recipient="Dr Lee", message="LR-5")
    assert call(session, "get_study", study_id=sid)["communications"] == ["expedited to Dr Lee"]
