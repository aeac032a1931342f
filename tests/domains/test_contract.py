"""The contract every domain keeps: splits, grading, the reference clinician, tools and their errors."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from itertools import islice
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from healthgym.agents import degenerate
from healthgym.agents.reference import play_reference
from healthgym.mcp_servers.domain import (
    HASH_KINDS,
    DomainSpec,
    TaskView,
    committed_checksum,
    leakage_report,
    split_checksum,
    tasks,
    train_stream,
)
from healthgym.mcp_servers.inprocess import InProcessSession
from healthgym.mcp_servers.server import build_server
from healthgym.mcp_servers.toolset import EpisodeSessions, episode_session
from healthgym.rl.env import DEFAULT_MAX_TURNS, HealthGymEnv
from healthgym.schemas import TIERS, ChoiceAnswer, FieldsAnswer, NumericAnswer, Task, ToolCall

PRIMITIVES = {"string", "number", "integer", "boolean"}
OPAQUE_ID = re.compile(r"[A-Z]{2,4}-[0-9A-HJKMNP-TV-Z]{13}")


def reference_submission(answer) -> dict[str, Any]:
    def value(ref):
        if isinstance(ref, ChoiceAnswer | NumericAnswer):
            return ref.value
        return list(ref.codes)

    if isinstance(answer, FieldsAnswer):
        return {name: value(ref) for name, ref in answer.fields.items()}
    return {"answer": value(answer)}


def wrong_submission(answer) -> dict[str, Any]:
    def value(ref):
        if isinstance(ref, ChoiceAnswer):
            return next(o for o in ref.options if o != ref.value and o not in ref.partial)
        if isinstance(ref, NumericAnswer):
            return ref.value + 10 * ref.tolerance + abs(ref.value) + 1000
        return [*ref.codes, "__not_a_code__"] if ref.codes else ["__not_a_code__"]

    if isinstance(answer, FieldsAnswer):
        return {name: value(ref) for name, ref in answer.fields.items()}
    return {"answer": value(answer)}


def solver_calls(spec: DomainSpec, task: Task) -> list[ToolCall]:
    """Run the reference solver directly against an in-process episode (one session per server); return its calls."""
    session = episode_session(spec)
    solver = spec.solve(TaskView.of(task))
    calls, result = [], None
    while True:
        try:
            call = solver.send(result) if calls else next(solver)
        except StopIteration:
            return calls
        calls.append(call)
        out = session.call_tool(call.name, call.arguments)
        result = {"error": out.text} if out.is_error else (out.structured or {})


@pytest.fixture(scope="module")
def test_tasks(spec: DomainSpec) -> list[Task]:
    return tasks(spec, "test")


def test_split_sizes_and_checksum(spec: DomainSpec, test_tasks: list[Task]) -> None:
    assert len(test_tasks) >= 360
    assert len(tasks(spec, "dev")) == spec.dev_size
    assert committed_checksum(spec) == split_checksum(spec), "regenerate test_split.sha256 after a deliberate change"
    again = [spec.generate("test", 0, i) for i in range(len(test_tasks))]
    assert [t.model_dump_json() for t in again] == [t.model_dump_json() for t in test_tasks]


def test_splits_are_disjoint_on_every_content_hash(spec: DomainSpec, test_tasks: list[Task]) -> None:
    report = leakage_report(spec, {"dev": tasks(spec, "dev"), "train": tasks(spec, "train", 400, seed=1)})
    assert report == {split: dict.fromkeys(HASH_KINDS, 0) for split in ("dev", "train")}
    assert len({t.id for t in test_tasks}) == len(test_tasks)
    assert all(t.split == "test" and t.domain == spec.name for t in test_tasks)


def test_case_ids_are_opaque(spec: DomainSpec, test_tasks: list[Task]) -> None:
    """A case id must not tell a policy its split, seed or index."""
    refs = {t.case_ref for t in test_tasks} | {t.case_ref for t in tasks(spec, "dev")}
    for ref in refs:
        assert OPAQUE_ID.fullmatch(ref), f"{ref!r} is not an opaque case id (PREFIX- and 13 base32 characters)"


def test_tiers_and_composite_tasks(spec: DomainSpec, test_tasks: list[Task]) -> None:
    tiers = Counter(t.tier for t in test_tasks)
    assert set(tiers) == set(TIERS), tiers
    assert min(tiers.values()) >= len(test_tasks) // 4, tiers
    assert sum(t.composite for t in test_tasks) >= len(test_tasks) / 4
    assert spec.withheld("unassisted"), "the unassisted tier must withhold some decision-support tools"


def test_every_tool_call_budget_fits_the_turn_limit(spec: DomainSpec, test_tasks: list[Task]) -> None:
    """A policy that makes one call per turn can spend the whole budget before the env truncates the episode."""
    over = [(t.id, t.rubric.max_tool_calls) for t in test_tasks if (t.rubric.max_tool_calls or 0) > DEFAULT_MAX_TURNS]
    assert not over, f"budgets above the env's {DEFAULT_MAX_TURNS} turns: {over[:5]}"


def test_every_task_is_gradeable_and_the_grader_can_fail(spec: DomainSpec, test_tasks: list[Task]) -> None:
    for task in test_tasks:
        assert spec.grade(task, reference_submission(task.answer)).correct, task.id
        assert not spec.grade(task, wrong_submission(task.answer)).correct, task.id
        assert spec.grade(task, None).score == 0.0


@pytest.mark.parametrize("tier", TIERS)
def test_reference_clinician_scores_at_least_99_percent_on_each_tier(
    spec: DomainSpec, test_tasks: list[Task], tier: str
) -> None:
    env = HealthGymEnv(spec.name, "test", tier=tier)  # the registered horizon: one call per turn must fit
    tier_tasks = [t for t in test_tasks if t.tier == tier]
    results = [play_reference(env, task.id) for task in tier_tasks]
    accuracy = sum(t.grade.correct for t in results) / len(results)
    failures = [(t.task_id, t.grade.why) for t in results if not t.grade.correct][:5]
    assert accuracy >= 0.99, f"{tier}: {accuracy:.3f}; first failures: {failures}"
    withheld = spec.withheld(tier)
    assert not [c.name for t in results for c in t.tool_calls if c.name in withheld]
    assert all(t.reward.safety == 0.0 for t in results if t.grade.correct), [
        t.reward.safety_events for t in results if t.reward.safety
    ][:3]
    composite = [t for t, task in zip(results, tier_tasks, strict=True) if task.composite]
    assert sum(t.grade.correct for t in composite) >= 0.99 * len(composite)


def test_reference_clinician_never_reads_the_task_behind_its_view(spec: DomainSpec, test_tasks: list[Task]) -> None:
    """The solver gets a ``TaskView``; while it decides (between tool results) it must not rebuild the task or its
    case record, which would hand it the answer."""
    assert set(TaskView.__dataclass_fields__) == {"id", "domain", "prompt", "case_ref", "tier"}
    forbidden = {spec.generate.__code__, spec.case_record.__code__, spec.grade.__code__}
    seen: list[str] = []

    def tracer(frame, event, arg):
        if event == "call" and frame.f_code in forbidden:
            seen.append(frame.f_code.co_name)

    for task in test_tasks[:: max(1, len(test_tasks) // 40)]:
        session = episode_session(spec)
        solver = spec.solve(TaskView.of(task))

        result: dict[str, Any] | None = None
        while True:
            sys.setprofile(tracer)
            try:
                call = solver.send(result) if result is not None else next(solver)
            except StopIteration:
                break
            finally:
                sys.setprofile(None)
            out = session.call_tool(call.name, call.arguments)
            result = {"error": out.text} if out.is_error else (out.structured or {})
        assert not seen, f"{task.id}: the solver called {seen}"


def test_tools_are_many_flat_and_described(spec: DomainSpec) -> None:
    tools = InProcessSession(build_server(spec.name)).list_tools()
    domain_tools = [t for t in tools if t.name != "search_knowledge"]
    assert len(domain_tools) >= 12
    kinds = Counter(spec.tool_kinds.values())
    assert kinds["record"] and kinds["reference"] and kinds["decision_support"], kinds
    assert spec.submit_tool in {t.name for t in tools}
    for tool in tools:
        assert tool.description and len(tool.description) > 20, tool.name
        assert tool.annotations is not None and tool.annotations.readOnlyHint == (tool.name not in spec.write_tools)
        assert tool.outputSchema is not None, tool.name
        for name, prop in tool.inputSchema.get("properties", {}).items():
            where = f"{tool.name}.{name}"
            assert "anyOf" not in prop and "$ref" not in prop and "oneOf" not in prop, where
            assert prop.get("description"), where
            kind = prop.get("type")
            assert kind in PRIMITIVES | {"array"}, where
            if kind == "array":
                assert prop["items"].get("type") in PRIMITIVES, where


def _id_only_tools(session: InProcessSession | EpisodeSessions) -> dict[str, str]:
    out = {}
    for tool in session.list_tools():
        required = tool.inputSchema.get("required", [])
        if len(required) == 1 and required[0].endswith("_id"):
            out[tool.name] = required[0]
    return out


def test_every_tool_answers_for_every_record_of_the_test_split(spec: DomainSpec, test_tasks: list[Task]) -> None:
    session = episode_session(spec)
    id_tools = {name: param for name, param in _id_only_tools(session).items() if name not in spec.write_tools}
    assert id_tools, "a domain needs tools that read a record by id"
    failures = []
    for case_ref in sorted({t.case_ref for t in test_tasks}):
        for tool, param in id_tools.items():
            result = session.call_tool(tool, {param: case_ref})
            if result.is_error:
                failures.append(f"{tool}({param}={case_ref}): {result.text[:200]}")
    used: dict[str, list[dict]] = defaultdict(list)
    for task in test_tasks:
        for call in solver_calls(spec, task):
            if call.name not in spec.write_tools:
                used[call.name].append(call.arguments)
    for name, calls in used.items():
        for args in calls:
            result = session.call_tool(name, args)
            if result.is_error:
                failures.append(f"{name}({args}): {result.text[:200]}")
    assert not failures, failures[:10]


JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=50),
    st.text(min_size=5000, max_size=6000), st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.sampled_from(["'; DROP TABLE x; --", "\x00", "../../etc/passwd", "ED-t0-99999999", "DI-t0-99999999", "-1"]),
)


def _bad_argument_check(session_factory, tool_name: str, params: list[str]):
    keys = st.sampled_from([*params, "unexpected"])

    @settings(max_examples=200, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(args=st.dictionaries(keys, JUNK, max_size=len(params) + 1))
    def check(args: dict) -> None:
        result = session_factory().call_tool(tool_name, args)
        if result.is_error and params:
            named = [p for p in params if p in result.text]
            assert named, f"{tool_name}({json.dumps(args, default=str)[:200]}): {result.text[:300]}"

    return check


def test_bad_arguments_never_crash_and_errors_name_the_parameter(spec: DomainSpec) -> None:
    server = build_server(spec.name)
    for tool in InProcessSession(server).list_tools():
        if tool.name == "search_knowledge":
            continue
        params = list(tool.inputSchema.get("properties", {}))
        _bad_argument_check(lambda: InProcessSession(server), tool.name, params)()


def test_reference_clinician_plays_the_train_stream(spec: DomainSpec) -> None:
    """Train episodes draw far-off stream indices; every tool must resolve their case ids."""
    env = HealthGymEnv(spec.name, "train", train_seed=3)
    results = [play_reference(env, seed=seed) for seed in range(40)]
    assert sum(t.grade.correct for t in results) / len(results) >= 0.95, [t.grade.why for t in results][:3]
    assert all(t.error is None for t in results)


def test_the_train_stream_generates_20000_tasks(spec: DomainSpec) -> None:
    """Every index of the stream builds a task (issue #9: the stream once raised at indices 418 and 2837)."""
    count = 0
    for task in islice(train_stream(spec, seed=0), 20_000):
        assert task.split == "train"
        count += 1
    assert count == 20_000


def test_degenerate_policies_score_at_most_the_bar(spec: DomainSpec) -> None:
    results = degenerate.evaluate(spec.name)
    over = [
        (tier, policy, v["reward"])
        for tier, policies in results.items()
        for policy, v in policies.items()
        if v["reward"] > degenerate.REWARD_BAR
    ]
    assert not over, over
    best_unassisted = max(v["accuracy"] for v in results["unassisted"].values())
    assert best_unassisted <= degenerate.UNASSISTED_ACCURACY_BAR, results["unassisted"]
