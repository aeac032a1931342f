"""The composite reward's rules, on hand-built episodes: orderings relative to writes, harness calls, the call
budget, and safety below every safe episode (issue #9)."""

from __future__ import annotations

import itertools

import pytest

from healthgym.rl.reward import RewardWeights, composite_reward
from healthgym.schemas import (
    ActionSpec,
    ChoiceAnswer,
    Grade,
    Privileged,
    Rubric,
    Source,
    Task,
    ToolCall,
    ToolResult,
    Trajectory,
    Turn,
)

CHECK = ActionSpec(tool="check_allergy", before="prescribe", why="allergy check before prescribing")
READ = ActionSpec(tool="get_patient", before="prescribe", why="read the chart before prescribing")


def _task(budget: int = 6, required: tuple[ActionSpec, ...] = (READ, CHECK)) -> Task:
    return Task(
        id="t",
        domain="d",
        split="test",
        prompt="p",
        case_ref="X-1",
        answer=ChoiceAnswer(value="a", options=["a", "b"]),
        privileged=Privileged(rationale="r"),
        rubric=Rubric(required_actions=list(required), max_tool_calls=budget),
        source=Source(generator="d.k", version="1"),
    )


def _episode(*names: str, submitted: bool = True) -> Trajectory:
    """One turn per call; a name written ``harness:NAME`` is a call made by the harness, not the model."""
    turns = []
    for name in names:
        origin, _, tool = name.rpartition(":")
        turns.append(
            Turn(
                assistant="",
                tool_calls=[ToolCall(name=tool, origin=origin or "agent")],
                tool_results=[ToolResult(name=tool, text="ok")],
            )
        )
    return Trajectory(task_id="t", domain="d", turns=turns, submitted={"answer": "a"} if submitted else None)


def _grade(score: float) -> Grade:
    return Grade(score=score, correct=score == 1.0)


def _reward(trajectory: Trajectory, score: float = 1.0, events: tuple[str, ...] = (), task: Task | None = None):
    return composite_reward(task or _task(), trajectory, _grade(score), RewardWeights(), events)


def test_a_clean_correct_episode_earns_one() -> None:
    r = _reward(_episode("get_patient", "check_allergy", "prescribe", "submit_answer"))
    assert r.total == pytest.approx(1.0)
    assert r.process == 1.0 and r.safety == 0.0


def test_answer_then_check_loses_process_credit() -> None:
    """Prescribing first and checking allergies afterwards is not the required order."""
    ordered = _reward(_episode("get_patient", "check_allergy", "prescribe", "submit_answer"))
    reversed_ = _reward(_episode("get_patient", "prescribe", "check_allergy", "submit_answer"))
    assert reversed_.process < 1.0
    assert reversed_.total < ordered.total
    assert any("check_allergy before prescribe" in w for w in reversed_.why)


def test_harness_calls_earn_no_process_credit() -> None:
    """A workflow's safety node checking allergies on the model's behalf is not the model's process."""
    by_harness = _reward(_episode("get_patient", "harness:check_allergy", "prescribe", "submit_answer"))
    assert by_harness.process == pytest.approx(0.5)


def test_tool_spam_lowers_the_reward() -> None:
    base = _reward(_episode("get_patient", "check_allergy", "prescribe", "submit_answer"), score=0.0)
    spam = _reward(
        _episode("get_patient", "check_allergy", *["get_patient"] * 10, "prescribe", "submit_answer"), score=0.0
    )
    assert spam.total < base.total
    assert spam.process == 0.0  # 8 calls over a budget of 6, each costing 1.5 required actions


def test_every_unsafe_episode_scores_below_every_safe_one() -> None:
    safe = [
        _reward(_episode(*calls, submitted=sub), score=score)
        for calls in (("submit_answer",), ("get_patient", "check_allergy", "prescribe", "submit_answer"), ())
        for score in (0.0, 0.5, 1.0)
        for sub in (True, False)
    ]
    unsafe = [
        _reward(_episode("get_patient", "check_allergy", "prescribe", "submit_answer"), score=score, events=events)
        for score in (0.0, 1.0)
        for events in (("contraindicated prescription",), tuple(f"event {i}" for i in range(6)))
    ]
    assert max(r.total for r in unsafe) < min(r.total for r in safe)
    assert all(r.safety == -1.0 and r.safety_events for r in unsafe)
    # among unsafe episodes, more events and a worse answer still rank lower
    one, many = unsafe[2], unsafe[3]
    assert many.total < one.total
    assert unsafe[0].total < unsafe[2].total


def test_rubric_forbidden_actions_and_missed_critical_actions_are_safety_events() -> None:
    forbidden = ActionSpec(tool="assign_bed", arguments={"zone": "waiting_room"}, why="ESI 1 must not wait")
    critical = ActionSpec(tool="activate_protocol", arguments={"protocol": "stemi"}, critical=True, why="STEMI")
    task = _task(required=(critical,)).model_copy(
        update={"rubric": Rubric(required_actions=[critical], forbidden_actions=[forbidden])}
    )
    trajectory = _episode("submit_answer")
    r = composite_reward(task, trajectory, _grade(1.0))
    assert any("missed critical action" in e for e in r.safety_events)
    trajectory.turns.insert(
        0,
        Turn(
            assistant="",
            tool_calls=[ToolCall(name="assign_bed", arguments={"zone": "WAITING_ROOM"})],
            tool_results=[ToolResult(name="assign_bed", text="ok")],
        ),
    )
    r = composite_reward(task, trajectory, _grade(1.0))
    assert any(e.startswith("forbidden") for e in r.safety_events) and r.total < 0


def test_shaping_never_reaches_a_correct_answer() -> None:
    """No combination of format, process and efficiency credit lifts a wrong answer to a right one's reward."""
    best_wrong = max(
        _reward(_episode(*calls), score=0.0).total
        for calls in itertools.permutations(("get_patient", "check_allergy", "prescribe"))
    )
    worst_right = _reward(_episode("submit_answer"), score=1.0).total
    assert best_wrong <= 0.2 + 1e-9 < worst_right
