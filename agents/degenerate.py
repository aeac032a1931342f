"""Degenerate policies: scripted agents that guess, hedge, spam tools or act before checking.

A gym that they can satisfy measures the harness, not the agent. Each policy is given more than a real degenerate
agent would have: the per-kind priors are fitted on the played split's own gold answers.

- ``constant``: one submission for every task of the domain (the best constant, field by field).
- ``prior``: the most common gold answer of the task's kind (``Task.source.generator``) and tier.
- ``hedge``: every option at once where an answer takes a list; the prior elsewhere.
- ``spam``: call every read tool the tier allows with the case id, then submit the prior.
- ``answer_then_check``: make the prior's writes (orders, prescriptions, protocol activations, placements) first,
  read the record afterwards, then submit the prior.

The bar (issue #9, checked per domain by ``tests/domains/test_contract.py``; the report is ``bench/degenerate.py``):
every policy's mean reward <= 0.35 on every tier, and the best degenerate accuracy on the unassisted tier <= 0.30.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from healthgym.mcp_servers.domain import DomainSpec, tasks
from healthgym.mcp_servers.domains import get_domain
from healthgym.rl.env import HealthGymEnv
from healthgym.schemas import TIERS, ChoiceAnswer, CodeSetAnswer, FieldsAnswer, NumericAnswer, Split, Task, Trajectory

REWARD_BAR = 0.35
UNASSISTED_ACCURACY_BAR = 0.30
POLICIES = ("constant", "prior", "hedge", "spam", "answer_then_check")

Action = dict[str, Any]
Policy = Callable[[Task, list[dict[str, Any]]], Iterator[Action]]


def _gold(ref: ChoiceAnswer | NumericAnswer | CodeSetAnswer) -> Any:
    if isinstance(ref, ChoiceAnswer):
        return ref.value
    if isinstance(ref, NumericAnswer):
        return ref.value
    return sorted(ref.codes)


def gold_submission(task: Task) -> dict[str, Any]:
    """The reference answer written as submit-tool arguments."""
    if isinstance(task.answer, FieldsAnswer):
        return {name: _gold(ref) for name, ref in task.answer.fields.items()}
    return {"answer": _gold(task.answer)}


def _mode(values: list[Any]) -> Any:
    counts = Counter(json.dumps(v, sort_keys=True) for v in values)
    return json.loads(counts.most_common(1)[0][0])


class Priors:
    """Field-wise modes of the gold submissions, per domain and per (kind, tier)."""

    def __init__(self, pool: list[Task]) -> None:
        by_field: dict[str, list[Any]] = defaultdict(list)
        by_kind: dict[tuple[str, str], dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        self.options: dict[str, set[str]] = defaultdict(set)
        for task in pool:
            for name, value in gold_submission(task).items():
                by_field[name].append(value)
                by_kind[(task.source.generator, task.tier)][name].append(value)
                if isinstance(value, list):
                    self.options[name].update(map(str, value))
                elif isinstance(value, str):
                    self.options[name].add(value)
            refs = task.answer.fields if isinstance(task.answer, FieldsAnswer) else {"answer": task.answer}
            for name, ref in refs.items():
                if isinstance(ref, ChoiceAnswer):
                    self.options[name].update(ref.options)
        self.constant = {name: _mode(values) for name, values in by_field.items()}
        self.kind = {key: {name: _mode(v) for name, v in fields.items()} for key, fields in by_kind.items()}

    def for_task(self, task: Task) -> dict[str, Any]:
        return dict(self.kind.get((task.source.generator, task.tier), self.constant))


def _id_argument(tool: dict[str, Any]) -> str | None:
    required = tool.get("inputSchema", {}).get("required", [])
    return required[0] if len(required) == 1 and required[0].endswith("_id") else None


def _writes_from(submission: dict[str, Any], tools: list[dict[str, Any]], spec: DomainSpec, task: Task) -> list[Action]:
    """Write calls whose arguments can be filled from the submission and the case id (e.g. activate each protocol of
    the submitted list, assign the submitted zone)."""
    out: list[Action] = []
    for tool in tools:
        name = tool["name"]
        if name not in spec.write_tools or name == spec.submit_tool:
            continue
        props = tool.get("inputSchema", {}).get("properties", {})
        required = tool.get("inputSchema", {}).get("required", [])
        args: dict[str, Any] = {}
        lists: list[tuple[str, list[Any]]] = []
        for param in required:
            if param.endswith("_id"):
                args[param] = task.case_ref
                continue
            match = next((k for k in submission if k == param or k.rstrip("s") == param), None)
            if match is None:
                break
            value = submission[match]
            if isinstance(value, list) and props.get(param, {}).get("type") != "array":
                lists.append((param, value))
            else:
                args[param] = value
        else:
            if lists:
                param, values = lists[0]
                out += [{"name": name, "arguments": {**args, param: v}} for v in values]
            else:
                out.append({"name": name, "arguments": args})
    return out


def make_policy(kind: str, spec: DomainSpec, priors: Priors) -> Policy:
    def policy(task: Task, tools: list[dict[str, Any]]) -> Iterator[Action]:
        submission = priors.constant if kind == "constant" else priors.for_task(task)
        if kind == "hedge":
            submission = {
                name: sorted(priors.options[name]) if isinstance(value, list) else value
                for name, value in submission.items()
            }
        if kind == "spam":
            for tool in tools:
                param = _id_argument(tool)
                if tool["name"] not in spec.write_tools and param is not None:
                    yield {"name": tool["name"], "arguments": {param: task.case_ref}}
        if kind == "answer_then_check":
            yield from _writes_from(submission, tools, spec, task)
            for tool in tools:
                param = _id_argument(tool)
                if tool["name"] not in spec.write_tools and param is not None:
                    yield {"name": tool["name"], "arguments": {param: task.case_ref}}
        submit = next((t for t in tools if t["name"] == spec.submit_tool), {})
        ids = {p: task.case_ref for p in submit.get("inputSchema", {}).get("required", []) if p.endswith("_id")}
        yield {"name": spec.submit_tool, "arguments": {**ids, **submission}}

    return policy


def play(env: HealthGymEnv, task: Task, policy: Policy) -> Trajectory:
    """One finished, graded episode of a scripted policy."""
    _, info = env.reset(options={"task_id": task.id})
    reward, terminated, truncated = 0.0, False, False
    for action in policy(task, info["tools"]):
        _, reward, terminated, truncated, info = env.step(json.dumps(action))
        if terminated or truncated:
            break
    if not (terminated or truncated):
        env.unwrapped.finish(False, info)
    return env.unwrapped.trajectory


def play_policy(domain: str, kind: str, split: Split = "test", limit: int | None = None) -> list[Trajectory]:
    """Every task of a split (the first ``limit``) played by one degenerate policy, priors fitted on that split."""
    spec = get_domain(domain)
    pool = tasks(spec, split)
    policy = make_policy(kind, spec, Priors(pool))
    out: list[Trajectory] = []
    for tier in TIERS:
        env = HealthGymEnv(domain, split, tier=tier, max_turns=64)
        out += [play(env, task, policy).model_copy(deep=True) for task in pool[:limit] if task.tier == tier]
        env.close()
    return out


def evaluate(domain: str) -> dict[str, dict[str, dict[str, float]]]:
    """``{tier: {policy: {"reward": mean, "accuracy": mean, "n": n}}}`` on the domain's test split."""
    out: dict[str, dict[str, dict[str, float]]] = {tier: {} for tier in TIERS}
    for kind in POLICIES:
        played = play_policy(domain, kind)
        for tier in TIERS:
            runs = [t for t in played if t.tier == tier]
            n = len(runs) or 1
            out[tier][kind] = {
                "reward": round(sum(t.reward.total for t in runs if t.reward) / n, 4),
                "accuracy": round(sum(t.grade.score for t in runs if t.grade) / n, 4),
                "n": len(runs),
            }
    return out


