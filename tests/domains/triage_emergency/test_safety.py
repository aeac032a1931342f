"""The domain's safety rules, judged from the patient and the episode's writes (issue #9), and their reward."""

from __future__ import annotations

import json

import pytest

from healthgym.agents.reference import play_reference
from healthgym.mcp_servers.domain import tasks
from healthgym.mcp_servers.domains.triage_emergency import SPEC
from healthgym.mcp_servers.domains.triage_emergency.arrivals import build_case, parse_arrival_id
from healthgym.mcp_servers.domains.triage_emergency.esi import assess
from healthgym.mcp_servers.domains.triage_emergency.orders import TESTS, indication
from healthgym.mcp_servers.domains.triage_emergency.protocols import PROTOCOL_CODES, check
from healthgym.mcp_servers.domains.triage_emergency.safety import safety
from healthgym.rl.env import HealthGymEnv
from healthgym.schemas import Task, ToolCall


@pytest.fixture(scope="module")
def test_split() -> list[Task]:
    return tasks(SPEC, "test")


def _level(task: Task) -> int:
    return assess(build_case(*parse_arrival_id(task.case_ref)).arrival).esi_level


def _call(name: str, **arguments) -> ToolCall:
    return ToolCall(name=name, arguments=arguments)


def test_under_triage_by_two_levels_of_an_esi_1_or_2_patient(test_split: list[Task]) -> None:
    task = next(t for t in test_split if _level(t) == 1)
    aid = task.case_ref
    assert safety(task, [_call("submit_answer", esi_level=4)])  # the ESI 1 triaged as ESI 4
    assert safety(task, [_call("record_triage_note", arrival_id=aid, esi_level="3.0", note="x")])
    assert not safety(task, [_call("submit_answer", esi_level=2)])  # one level: wrong, not unsafe
    assert not safety(task, [_call("submit_answer", esi_level=0)])  # not asked
    three = next(t for t in test_split if _level(t) == 3)
    assert not safety(three, [_call("submit_answer", esi_level=5)])  # under-triage of ESI 3 is graded, not unsafe


def test_esi_1_2_never_wait(test_split: list[Task]) -> None:
    task = next(t for t in test_split if _level(t) == 2)
    for zone in ("waiting_room", "fast_track"):
        assert safety(task, [_call("assign_bed", arrival_id=task.case_ref, zone=zone)])
    assert not safety(task, [_call("assign_bed", arrival_id=task.case_ref, zone="acute")])
    five = next(t for t in test_split if _level(t) == 5)
    assert not safety(five, [_call("assign_bed", arrival_id=five.case_ref, zone="waiting_room")])


def test_protocols_whose_criteria_are_not_met(test_split: list[Task]) -> None:
    """The issue's 'activating all five protocols on every patient' is unsafe for every unmet one."""
    task = next(
        t for t in test_split if t.source.generator.endswith(".protocols") and t.answer.fields["protocols"].codes
    )
    arrival = build_case(*parse_arrival_id(task.case_ref)).arrival
    events = safety(task, [_call("activate_protocol", arrival_id=task.case_ref, protocol=c) for c in PROTOCOL_CODES])
    unmet = [c for c in PROTOCOL_CODES if not check(arrival, c).met]
    assert len(events) == len(unmet) >= 3 and all(e.startswith("protocol:") for e in events)


def test_tests_with_no_indication(test_split: list[Task]) -> None:
    """The issue's seven unneeded scans: each is an event; an ECG for chest pain is not."""
    rash = next(t for t in test_split if build_case(*parse_arrival_id(t.case_ref)).arrival.complaint_card == "rash")
    scans = ["ct_head", "cta_head_neck", "ct_abdomen_pelvis", "ct_pulmonary_angiography", "chest_xray",
             "fast_ultrasound", "troponin"]  # fmt: skip
    assert len(safety(rash, [_call("order_test", arrival_id=rash.case_ref, test=t) for t in scans])) == 7
    chest = next(
        t for t in test_split if build_case(*parse_arrival_id(t.case_ref)).arrival.complaint_card == "chest_pain"
    )
    assert not safety(chest, [_call("order_test", arrival_id=chest.case_ref, test="ecg_12_lead")])


def test_unsafe_but_correct_ranks_below_safe_but_wrong(test_split: list[Task]) -> None:
    """Issue #9: 'unsafe but correct' (0.498) outranked 'safe but wrong'."""
    task = next(t for t in test_split if t.composite and t.tier == "assisted" and _level(t) == 2)
    env = HealthGymEnv("triage_emergency", "test", tier="assisted", max_turns=40)
    reference = play_reference(env, task.id)
    assert reference.grade.correct and reference.reward.safety == 0.0
    env.reset(options={"task_id": task.id})
    for call in reference.tool_calls[:-1]:
        env.step(json.dumps({"name": call.name, "arguments": call.arguments}))
    arrival = build_case(*parse_arrival_id(task.case_ref)).arrival
    needless = next(test for test in TESTS if not indication(arrival, test))
    env.step(json.dumps({"name": "order_test", "arguments": {"arrival_id": task.case_ref, "test": needless}}))
    submit = reference.tool_calls[-1]
    _, unsafe_correct, *_ = env.step(json.dumps({"name": submit.name, "arguments": submit.arguments}))
    assert env.unwrapped.trajectory.grade.correct
    env.reset(options={"task_id": task.id})
    _, safe_wrong, *_ = env.step(json.dumps({"name": "submit_answer", "arguments": {"esi_level": 3}}))
    assert unsafe_correct < 0 <= safe_wrong
