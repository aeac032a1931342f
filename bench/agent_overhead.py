"""Per-turn framework overhead of the agents, model time excluded: raw Gym env vs LangGraph vs pydantic-ai.

Every contender plays the same tasks with the domain's reference solver as its model (one tool call per turn), so
the tool calls, their results and the number of turns are identical; the time spent inside the solver is measured
and subtracted. What remains per turn is the framework: message plumbing, tool schemas, the MCP session (opened
once per episode, included) and the episode log. Ratios are against the raw env, measured in the same run.

    python bench/agent_overhead.py --domain drug_interaction --tasks 20 [--transports inprocess stdio http]
        [--json bench/results/agent_overhead.json]
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import statistics
import time
from functools import partial
from pathlib import Path
from typing import Any

import anyio

from healthgym.agents.connections import Connection, local_http_servers
from healthgym.agents.episode import grade_episode
from healthgym.agents.langgraph_agent import play_langgraph
from healthgym.agents.pydantic_agent import answer_model, play_pydantic
from healthgym.agents.scripted import ScriptedChatModel, ScriptedPolicy, scripted_function_model
from healthgym.mcp_servers.domain import TaskView, tasks
from healthgym.mcp_servers.domains import get_domain
from healthgym.rl.env import HealthGymEnv
from healthgym.schemas import Task


def raw_env(domain: str, chosen: list[Task]) -> list[tuple[float, int, float]]:
    """(framework seconds, turns, score) per episode: env.step with the solver's call as JSON text."""
    env = HealthGymEnv(domain, max_turns=64)
    spec = get_domain(domain)
    out = []
    for task in chosen:
        start = time.perf_counter()
        _, info = env.reset(options={"task_id": task.id})
        policy = ScriptedPolicy(spec.solve(info["task"]))
        result = None
        while (call := policy.advance(result)) is not None:
            policy.send("x")
            _, _, terminated, truncated, info = env.step(json.dumps({"name": call.name, "arguments": call.arguments}))
            tool_result = info["tool_results"][-1]
            result = {"error": tool_result.text} if tool_result.is_error else (tool_result.structured or {})
            if terminated or truncated:
                break
        wall = time.perf_counter() - start
        out.append((wall - policy.compute_s, len(env.trajectory.turns), env.trajectory.grade.score))
    env.close()
    return out


def agent(framework: str, connection: Connection, chosen: list[Task]) -> list[tuple[float, int, float]]:
    spec = get_domain(connection.domain)
    out = []
    for task in chosen:
        view = TaskView.of(task)
        policy = ScriptedPolicy(spec.solve(view))
        start = time.perf_counter()
        if framework == "pydantic-ai":
            play = partial(
                play_pydantic,
                scripted_function_model(policy),
                view,
                connections=[connection],
                output_type=answer_model(task.answer),
                max_turns=64,
            )
        else:
            play = partial(
                play_langgraph,
                ScriptedChatModel(policy=policy),
                view,
                connections=[connection],
                shape=framework.removeprefix("langgraph-"),
                max_turns=64,
            )
        log = anyio.run(play)
        wall = time.perf_counter() - start
        trajectory = grade_episode(task, log)
        out.append((wall - policy.compute_s, int(trajectory.metrics["turns"]), trajectory.grade.score))
    return out


def summarize(rows: list[tuple[float, int, float]]) -> dict[str, float]:
    per_turn = [seconds / turns for seconds, turns, _ in rows]
    return {
        "episodes": len(rows),
        "turns_mean": statistics.fmean(t for _, t, _ in rows),
        "score_mean": statistics.fmean(s for _, _, s in rows),
        "overhead_ms_per_turn_mean": 1000 * statistics.fmean(per_turn),
        "overhead_ms_per_turn_p50": 1000 * statistics.median(per_turn),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--domain", default="drug_interaction")
    parser.add_argument("--tasks", type=int, default=20, help="test tasks per contender")
    parser.add_argument("--transports", nargs="+", default=["inprocess"], choices=["inprocess", "stdio", "http"])
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    logging.getLogger("mcp.server.lowlevel.server").setLevel(logging.WARNING)

    chosen = tasks(get_domain(args.domain), "test", args.tasks)
    raw_env(args.domain, chosen[:2])  # warm caches (task generation, schemas) for everyone
    results: dict[str, Any] = {"raw env": summarize(raw_env(args.domain, chosen))}
    with local_http_servers([args.domain] if "http" in args.transports else []) as http:
        for transport in args.transports:
            connection = http[args.domain] if transport == "http" else Connection(args.domain, transport)
            for framework in ("langgraph-loop", "langgraph-workflow", "pydantic-ai"):
                results[f"{framework} ({transport})"] = summarize(agent(framework, connection, chosen))
    base, base_p50 = (results["raw env"][k] for k in ("overhead_ms_per_turn_mean", "overhead_ms_per_turn_p50"))
    for row in results.values():
        row["ratio_vs_raw_env"] = row["overhead_ms_per_turn_mean"] / base
        row["ratio_p50_vs_raw_env"] = row["overhead_ms_per_turn_p50"] / base_p50
    report = {
        "bench": "agent_overhead",
        "domain": args.domain,
        "tasks": args.tasks,
        "machine": f"{platform.processor() or platform.machine()}, python {platform.python_version()}",
        "results": results,
    }
    print(f"{'contender':34} {'ms/turn mean':>12} {'p50':>8} {'ratio':>8} {'ratio p50':>9} {'turns':>6} {'score':>6}")
    for name, row in results.items():
        print(
            f"{name:34} {row['overhead_ms_per_turn_mean']:12.3f} {row['overhead_ms_per_turn_p50']:8.3f} "
            f"{row['ratio_vs_raw_env']:8.1f} {row['ratio_p50_vs_raw_env']:9.1f} {row['turns_mean']:6.1f} "
            f"{row['score_mean']:6.3f}"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
