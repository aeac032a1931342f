"""Degenerate policies against every domain's grader and reward: a gym that they can satisfy measures the harness.

Five policies play the test split of each domain through the Gym env, per tier, and the mean reward and accuracy
of each is written to ``bench/results/degenerate.json`` with a table. Each policy is given more than a real
degenerate agent would have: the per-kind priors are fitted on the test split's own gold answers.

- ``constant``: one submission for every task of the domain (the best constant, field by field).
- ``prior``: the most common gold answer of the task's kind (``Task.source.generator``) and tier.
- ``hedge``: every option at once where an answer takes a list or a free string; the prior elsewhere.
- ``spam``: call every read tool the tier allows with the case id, then submit the prior.
- ``answer_then_check``: make the prior's writes (orders, prescriptions, protocol activations, placements) first,
  read the record afterwards, then submit the prior.

The bar (issue #9): every policy's mean reward ≤ 0.35 on every tier, and the best degenerate accuracy on the
unassisted tier ≤ 0.30.

    python -m bench.degenerate [--domains ...]
"""

from __future__ import annotations

import argparse
import json
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from healthgym.mcp_servers.domain import DomainSpec, tasks
from healthgym.mcp_servers.domains import domain_names, get_domain
from healthgym.rl.env import HealthGymEnv
from healthgym.schemas import TIERS, ChoiceAnswer, CodeSetAnswer, FieldsAnswer, NumericAnswer, Task

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


def play(env: HealthGymEnv, task: Task, policy: Policy) -> tuple[float, float]:
    """One episode of a scripted policy; returns (reward, accuracy)."""
    _, info = env.reset(options={"task_id": task.id})
    reward, terminated, truncated = 0.0, False, False
    for action in policy(task, info["tools"]):
        _, reward, terminated, truncated, info = env.step(json.dumps(action))
        if terminated or truncated:
            break
    if not (terminated or truncated):
        reward = env.unwrapped.finish(False, info)
    traj = env.unwrapped.trajectory
    return reward, traj.grade.score if traj.grade else 0.0


def evaluate(domain: str) -> dict[str, dict[str, dict[str, float]]]:
    """``{tier: {policy: {"reward": mean, "accuracy": mean, "n": n}}}`` on the domain's test split."""
    spec = get_domain(domain)
    pool = tasks(spec, "test")
    priors = Priors(pool)
    out: dict[str, dict[str, dict[str, float]]] = {}
    for tier in TIERS:
        env = HealthGymEnv(domain, "test", tier=tier, max_turns=64)
        tier_tasks = [t for t in pool if t.tier == tier]
        out[tier] = {}
        for kind in POLICIES:
            policy = make_policy(kind, spec, priors)
            scores = [play(env, task, policy) for task in tier_tasks]
            n = len(scores) or 1
            out[tier][kind] = {
                "reward": round(sum(r for r, _ in scores) / n, 4),
                "accuracy": round(sum(a for _, a in scores) / n, 4),
                "n": len(scores),
            }
        env.close()
    return out


def main(argv: list[str] | None = None) -> None:
    from bench._report import write_report

    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--domains", nargs="*", default=domain_names(), help="domains to play (default: all)")
    args = parser.parse_args(argv)
    results = {domain: evaluate(domain) for domain in args.domains}
    rows = [
        {"domain": domain, "tier": tier, "policy": kind, "reward": v["reward"], "accuracy": v["accuracy"], "n": v["n"]}
        for domain, tiers in results.items()
        for tier, policies in tiers.items()
        for kind, v in policies.items()
    ]
    worst = max(r["reward"] for r in rows)
    worst_unassisted = max((r["accuracy"] for r in rows if r["tier"] == "unassisted"), default=0.0)
    payload = {
        "bars": {"reward": REWARD_BAR, "unassisted_accuracy": UNASSISTED_ACCURACY_BAR},
        "worst_reward": worst,
        "worst_unassisted_accuracy": worst_unassisted,
        "load_average": list(os.getloadavg()),
    }
    write_report("degenerate", payload, rows, "Degenerate policies on the test split (mean per tier)")


if __name__ == "__main__":
    main()
