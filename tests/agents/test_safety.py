"""The workflow's safety node blocks unsafe orders with the domain's own tools, before anything is written."""

import re

import anyio
import pytest

from healthgym.agents.episode import grade_episode
from healthgym.agents.langgraph_agent import play_langgraph
from healthgym.agents.scripted import ScriptedChatModel, ScriptedPolicy
from healthgym.mcp_servers.domain import Solver, TaskView, tasks
from healthgym.mcp_servers.domains import get_domain
from healthgym.mcp_servers.inprocess import InProcessSession
from healthgym.mcp_servers.server import build_server
from healthgym.schemas import Task, ToolCall, Trajectory


def _play(task: Task, script: Solver, shape: str) -> Trajectory:
    model = ScriptedChatModel(policy=ScriptedPolicy(script))
    return grade_episode(task, anyio.run(lambda: play_langgraph(model, TaskView.of(task), shape=shape)))


def _urgent_placement_task() -> Task:
    """An assisted triage task that asks for a zone, for an ESI 1 patient who meets no protocol (sending them to wait
    breaks the domain's safety rules)."""
    return next(
        t
        for t in tasks(get_domain("triage_emergency"), "test")
        if t.tier == "assisted"
        and "zone" in t.answer.fields
        and t.answer.fields["esi_level"].value == "1"
        and not t.answer.fields["protocols"].codes
    )


@pytest.mark.parametrize("shape", ["loop", "workflow"])
def test_an_urgent_patient_is_not_sent_to_wait(shape: str) -> None:
    task = _urgent_placement_task()
    aid = task.case_ref
    seen: dict[str, str] = {}

    def careless(view: TaskView) -> Solver:
        yield ToolCall(name="get_arrival", arguments={"arrival_id": aid})
        yield ToolCall(name="get_vital_signs", arguments={"arrival_id": aid})
        placed = yield ToolCall(name="assign_bed", arguments={"arrival_id": aid, "zone": "waiting_room"})
        seen["waiting_room"] = placed.get("error", "")
        esi = yield ToolCall(name="esi_decision_support", arguments={"arrival_id": aid})
        yield ToolCall(name="assign_bed", arguments={"arrival_id": aid, "zone": "resus"})
        yield ToolCall(name="submit_answer", arguments={"esi_level": esi["esi_level"]})  # records the bed assigned

    trajectory = _play(task, careless(TaskView.of(task)), shape)
    assert trajectory.grade.correct
    attempted = [c for c in trajectory.tool_calls if c.arguments.get("zone") == "waiting_room"]
    assert len(attempted) == 1
    if shape == "workflow":  # blocked before it was written: no safety failure
        assert "Blocked by the safety check" in seen["waiting_room"] and "ESI" in seen["waiting_room"]
        assert trajectory.reward.safety == 0.0
        assert trajectory.metrics["invalid_calls"] == 1
    else:  # the plain loop wrote it: the grader's safety penalty
        assert seen["waiting_room"] == ""
        assert trajectory.reward.safety == -1.0


def test_a_protocol_whose_criteria_are_not_met_is_not_activated() -> None:
    task = next(
        t
        for t in tasks(get_domain("triage_emergency"), "test")
        if t.answer.kind == "fields"
        and t.answer.fields.get("protocols") is not None
        and "stemi" not in t.answer.fields["protocols"].codes
    )
    aid = task.case_ref
    replies: list[dict] = []

    def eager(view: TaskView) -> Solver:
        yield ToolCall(name="get_arrival", arguments={"arrival_id": aid})
        replies.append((yield ToolCall(name="activate_protocol", arguments={"arrival_id": aid, "protocol": "stemi"})))
        yield ToolCall(name="submit_answer", arguments={})  # records the protocols activated: none

    trajectory = _play(task, eager(TaskView.of(task)), "workflow")
    assert "criteria are not met" in replies[0]["error"]
    checks = [c for c in trajectory.tool_calls if c.name == "check_protocol_criteria"]
    assert checks and checks[0].arguments == {"arrival_id": aid, "protocol": "stemi"}  # the domain's own tool
    assert checks[0].origin == "harness"  # the safety node's call, not the model's: it earns no process credit
    assert trajectory.submitted["protocols"] == []  # the validated submission, defaults filled in


def _screening_task(reason: str) -> tuple[Task, str]:
    """A drug_interaction screening task whose proposed drug the domain's own check puts at 'contraindicated' for
    ``reason`` (allergy, or interaction with a current medication), and that drug."""
    spec = get_domain("drug_interaction")
    session = InProcessSession(build_server("drug_interaction"))
    tool, field = (
        ("check_allergy", "level") if reason == "allergy" else ("check_drug_against_medications", "worst_severity")
    )
    for task in [*tasks(spec, "test"), *tasks(spec, "dev")]:
        fields = task.answer.fields if task.answer.kind == "fields" else {}
        if "decision" not in fields or fields["decision"].value != "unsafe":
            continue
        drug = re.search(r"proposes starting (.+?)\. Screen", task.prompt)[1]
        result = session.call_tool(tool, {"patient_id": task.case_ref, "drug": drug})
        if result.structured[field] == "contraindicated":
            return task, drug
    raise LookupError(f"no screening task with a contraindicated {reason}")


@pytest.mark.parametrize("reason", ["allergy", "interaction"])
@pytest.mark.parametrize("shape", ["loop", "workflow"])
def test_a_contraindicated_prescription_is_blocked(reason: str, shape: str) -> None:
    task, drug = _screening_task(reason)
    pid = task.case_ref
    seen: dict[str, dict] = {}

    def rash(view: TaskView) -> Solver:  # prescribes without screening, then looks at the medication list
        yield ToolCall(name="get_patient", arguments={"patient_id": pid})
        seen["prescribe"] = yield ToolCall(
            name="prescribe", arguments={"patient_id": pid, "drug": drug, "dose": "1 tablet daily"}
        )
        seen["after"] = yield ToolCall(name="list_medications", arguments={"patient_id": pid})
        yield ToolCall(name="submit_answer", arguments={"decision": "unsafe", "reasons": [reason]})

    trajectory = _play(task, rash(TaskView.of(task)), shape)
    assert trajectory.grade.score > 0  # the decision is right; the reasons may name more checks than this one
    started = [m["drug"] for m in seen["after"]["medications"]]
    if shape == "workflow":
        error = seen["prescribe"]["error"]
        assert "Blocked by the safety check" in error
        assert ("allergy:" if reason == "allergy" else "contraindicated with current medications") in error
        assert drug not in started  # nothing was written
        screened = {c.name for c in trajectory.tool_calls if c.origin == "harness"}
        assert {"check_allergy", "check_drug_against_medications"} <= screened  # the domain's own tools, by the harness
        assert trajectory.reward.safety == 0.0
    else:
        assert "error" not in seen["prescribe"] and drug in started
        assert trajectory.reward.safety == -1.0  # the grader's safety failure for the forbidden prescription
