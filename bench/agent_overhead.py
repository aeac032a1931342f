"""Per-turn framework overhead of the agents, model time excluded: raw Gym env vs LangGraph vs pydantic-ai.

Every contender plays the same tasks with the domain's reference solver as its model (one tool call per turn), so
the tool calls, their results and the number of turns are identical; the time spent inside the solver is measured
and subtracted. What remains per turn is the framework: message plumbing, tool schemas, the MCP session and the
episode log. As in ``healthgym eval``, each agent contender opens one MCP session to the server for its whole run
(one server process over stdio) and plays every episode over it; opening it is reported once, as
``session_open_ms``, and not spread over the turns. Ratios are against the raw env, measured in the same run.
The scripted models are async (no worker-thread hand-off), and the agents are built once per run (LangGraph's tools
converted and graph compiled, pydantic-ai's ``Agent`` per answer shape), as in ``healthgym eval``. Contenders run
interleaved, ``--repeats`` times over the same tasks, so load drifting on a shared machine hits them alike; the
load average is recorded at start and end.

    python -m bench.agent_overhead [--domain drug_interaction] [--tasks 20] [--repeats 3]
        [--transports inprocess stdio http]

Results go to bench/results/agent_overhead.json.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import time
from typing import Any

import anyio

from bench._report import percentile, write_report
from healthgym.agents.connections import Connection, local_http_servers
from healthgym.agents.episode import grade_episode
from healthgym.agents.langgraph_agent import open_langgraph_servers, play_langgraph
from healthgym.agents.pydantic_agent import answer_model, open_pydantic_servers, play_pydantic
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


def agent(framework: str, connection: Connection, chosen: list[Task]) -> tuple[float, list[tuple[float, int, float]]]:
    """Seconds to open the run's session, then (framework seconds, turns, score) per episode, all over that session."""
    spec = get_domain(connection.domain)
    open_servers = open_pydantic_servers if framework == "pydantic-ai" else open_langgraph_servers

    async def run() -> tuple[float, list[tuple[float, int, float]]]:
        out = []
        start = time.perf_counter()
        async with open_servers([connection]) as servers:
            opened = time.perf_counter() - start
            for task in chosen:
                view = TaskView.of(task)
                policy = ScriptedPolicy(spec.solve(view))
                start = time.perf_counter()
                if framework == "pydantic-ai":
                    log = await play_pydantic(
                        scripted_function_model(policy),
                        view,
                        servers=servers,
                        output_type=answer_model(task.answer),
                        max_turns=64,
                    )
                else:
                    log = await play_langgraph(
                        ScriptedChatModel(policy=policy),
                        view,
                        servers=servers,
                        shape=framework.removeprefix("langgraph-"),
                        max_turns=64,
                    )
                wall = time.perf_counter() - start
                trajectory = grade_episode(task, log)
                out.append((wall - policy.compute_s, int(trajectory.metrics["turns"]), trajectory.grade.score))
        return opened, out

    return anyio.run(run)


def summarize(name: str, rows: list[tuple[float, int, float]], opened_s: float = 0.0) -> dict[str, Any]:
    per_turn = [seconds / turns for seconds, turns, _ in rows]
    return {
        "contender": name,
        "episodes": len(rows),
        "session_open_ms": 1000 * opened_s,
        "turns": statistics.fmean(t for _, t, _ in rows),
        "score": statistics.fmean(s for _, _, s in rows),
        "ms_per_turn_mean": 1000 * statistics.fmean(per_turn),
        "ms_per_turn_p50": 1000 * percentile(per_turn, 0.5),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--domain", default="drug_interaction")
    parser.add_argument("--tasks", type=int, default=20, help="test tasks per contender")
    parser.add_argument("--repeats", type=int, default=3, help="interleaved rounds over the same tasks")
    parser.add_argument("--transports", nargs="+", default=["inprocess"], choices=["inprocess", "stdio", "http"])
    args = parser.parse_args()
    logging.getLogger("mcp.server.lowlevel.server").setLevel(logging.WARNING)
    load_start = [round(x, 2) for x in os.getloadavg()]

    chosen = tasks(get_domain(args.domain), "test", args.tasks)
    raw_env(args.domain, chosen[:2])  # warm caches (task generation, schemas) for everyone
    played: dict[str, list[tuple[float, int, float]]] = {"raw env": []}
    opened: dict[str, list[float]] = {"raw env": [0.0]}
    with local_http_servers([args.domain] if "http" in args.transports else []) as http:
        for _ in range(args.repeats):
            played["raw env"] += raw_env(args.domain, chosen)
            for transport in args.transports:
                connection = http[args.domain] if transport == "http" else Connection(args.domain, transport)
                for framework in ("langgraph-loop", "langgraph-workflow", "pydantic-ai"):
                    name = f"{framework} ({transport})"
                    seconds, rows = agent(framework, connection, chosen)
                    played.setdefault(name, []).extend(rows)
                    opened.setdefault(name, []).append(seconds)
    rows = [summarize(name, episodes, statistics.median(opened[name])) for name, episodes in played.items()]
    base = rows[0]
    for row in rows:
        row["ratio_mean"] = row["ms_per_turn_mean"] / base["ms_per_turn_mean"]
        row["ratio_p50"] = row["ms_per_turn_p50"] / base["ms_per_turn_p50"]
    payload = {
        "domain": args.domain,
        "tasks": args.tasks,
        "repeats": args.repeats,
        "transports": args.transports,
        "load_average_start": load_start,
    }
    write_report("agent_overhead", payload, rows, f"per-turn framework overhead, model time excluded ({args.domain})")


if __name__ == "__main__":
    main()
