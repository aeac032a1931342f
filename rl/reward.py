"""The composite reward: accuracy from the grader, plus format, process, safety and efficiency from the episode log.

Every component is read from the episode's own tool-call log and the grade, never from the assistant's free text,
so verbosity and echoing tool output earn nothing. The shaping terms are bounded so that no amount of them reaches
the value of a correct answer: ``total = (Σ w_i·c_i over accuracy, format, process, efficiency) / Σ w_i + w_s·safety``,
clipped to [-1, 1], with safety in [-1, 0].
"""

from __future__ import annotations

from dataclasses import dataclass

from healthgym.schemas import ActionSpec, Grade, RewardBreakdown, Task, ToolCall, ToolResult, Trajectory


@dataclass(frozen=True)
class RewardWeights:
    """Weights of the reward components.

    Args:
        accuracy: weight of the grader's score for the submitted answer.
        format: weight of well-formed behaviour: the fraction of turns that parsed into valid tool calls, half, and
            having submitted an answer, half.
        process: weight of the fraction of the rubric's required actions done (in order, when the rubric says so).
        efficiency: weight of staying within the rubric's tool-call budget and the length budget.
        safety: weight of the penalty for each forbidden action taken or critical action missed (capped at one).
        length_budget_chars: assistant characters per episode before the efficiency term starts to fall.
    """

    accuracy: float = 1.0
    format: float = 0.1
    process: float = 0.2
    efficiency: float = 0.1
    safety: float = 0.5
    length_budget_chars: int = 4000

    def __post_init__(self) -> None:
        for name in ("accuracy", "format", "process", "efficiency", "safety"):
            if getattr(self, name) < 0:
                raise ValueError(f"reward weight {name} must be >= 0, got {getattr(self, name)}")
        if self.accuracy + self.format + self.process + self.efficiency <= 0:
            raise ValueError("at least one of accuracy, format, process, efficiency must have a positive weight")


def _matches(spec: ActionSpec, call: ToolCall) -> bool:
    if call.name != spec.tool:
        return False
    for key, want in spec.arguments.items():
        got = call.arguments.get(key)
        values = got if isinstance(got, list) else [got]
        if not any(str(v).strip().lower() == str(want).strip().lower() for v in values):
            return False
    return True


def _successful_calls(trajectory: Trajectory) -> list[ToolCall]:
    """Calls the server accepted, in order, up to and including the submit call."""
    out: list[ToolCall] = []
    for turn in trajectory.turns:
        results: list[ToolResult] = turn.tool_results
        for call, result in zip(turn.tool_calls, results, strict=False):
            if not result.is_error:
                out.append(call)
    return out


def _required_done(spec: ActionSpec, calls: list[ToolCall]) -> bool:
    hit = next((i for i, c in enumerate(calls) if _matches(spec, c)), None)
    if hit is None:
        return False
    if spec.before is None:
        return True
    first_later = next((i for i, c in enumerate(calls) if c.name == spec.before), None)
    return first_later is None or hit < first_later


def composite_reward(
    task: Task, trajectory: Trajectory, grade: Grade, weights: RewardWeights | None = None
) -> RewardBreakdown:
    """Score one finished episode; ``why`` lists every deduction."""
    w = weights or RewardWeights()
    why: list[str] = []
    calls = _successful_calls(trajectory)
    turns = trajectory.turns

    accuracy = grade.score
    why.append(f"accuracy {accuracy:.2f}: {grade.why}")

    valid_turns = sum(1 for t in turns if t.parse_error is None and t.tool_calls and not all(
        r.is_error for r in t.tool_results))
    turn_quality = valid_turns / len(turns) if turns else 0.0
    submitted = 1.0 if trajectory.submitted is not None else 0.0
    fmt = 0.5 * turn_quality + 0.5 * submitted
    if turn_quality < 1.0:
        why.append(f"format: {len(turns) - valid_turns} of {len(turns)} turns had no valid tool call")
    if not submitted:
        why.append("format: no answer submitted")

    required = task.rubric.required_actions
    done = [spec for spec in required if _required_done(spec, calls)]
    process = len(done) / len(required) if required else 1.0
    for spec in required:
        if spec not in done:
            why.append(f"process: missed {spec.tool}{' before ' + spec.before if spec.before else ''} ({spec.why})")

    failures = [spec for spec in task.rubric.forbidden_actions if any(_matches(spec, c) for c in calls)]
    failures += [spec for spec in required if spec.critical and spec not in done]
    for spec in failures:
        why.append(f"safety: {spec.tool} {dict(spec.arguments)} ({spec.why})")
    safety = -1.0 if failures else 0.0

    n_calls = sum(len(t.tool_calls) for t in turns)
    budget = task.rubric.max_tool_calls
    call_eff = 1.0 if n_calls <= budget else max(0.0, 1.0 - (n_calls - budget) / budget)
    chars = sum(len(t.assistant) for t in turns)
    length_eff = 1.0 if chars <= w.length_budget_chars else max(0.0, 2.0 - chars / w.length_budget_chars)
    efficiency = min(call_eff, length_eff)
    if call_eff < 1.0:
        why.append(f"efficiency: {n_calls} tool calls over a budget of {budget}")
    if length_eff < 1.0:
        why.append(f"efficiency: {chars} assistant characters over a budget of {w.length_budget_chars}")

    positive = w.accuracy + w.format + w.process + w.efficiency
    total = (w.accuracy * accuracy + w.format * fmt + w.process * process + w.efficiency * efficiency) / positive
    total = max(-1.0, min(1.0, total + w.safety * safety))
    return RewardBreakdown(
        accuracy=accuracy, format=fmt, process=process, safety=safety, efficiency=efficiency, total=total, why=why
    )

