"""Env steps per second with 1 and 64 concurrent episodes, resets included.

    python -m bench.env_throughput [--domain drug_interaction] [--episodes 400]

Each episode replays a recorded reference-clinician action sequence, so the measured time is the env (parsing,
MCP tool dispatch through the server's registry, grading, reward) and not a policy. 64 concurrent episodes run as a
gymnasium SyncVectorEnv (one process) and an AsyncVectorEnv (one worker process per env, sharing both cores), each
sub-env replaying its episode with the vector env's own autoreset.
"""

from __future__ import annotations

import argparse
import time
from functools import partial

import gymnasium as gym

from bench._report import write_report
from healthgym.agents.reference import play_reference
from healthgym.mcp_servers.domain import tasks
from healthgym.mcp_servers.domains import get_domain
from healthgym.rl.env import HealthGymEnv


def scripts(domain: str, n: int) -> list[tuple[str, list[str]]]:
    """(task id, actions) of the reference clinician on the first n test tasks."""
    env = HealthGymEnv(domain, max_turns=40)
    out = []
    for task in tasks(get_domain(domain), "test")[:n]:
        trajectory = play_reference(env, task.id)
        out.append((task.id, [t.assistant for t in trajectory.turns]))
    return out


def single(domain: str, plays: list[tuple[str, list[str]]]) -> tuple[int, float]:
    env = HealthGymEnv(domain, max_turns=40)
    steps, start = 0, time.perf_counter()
    for task_id, actions in plays:
        env.reset(options={"task_id": task_id})
        for action in actions:
            env.step(action)
            steps += 1
    return steps, time.perf_counter() - start


def vector(domain: str, plays: list[tuple[str, list[str]]], n_envs: int, mode: str, n_steps: int) -> tuple[int, float]:
    """n_envs concurrent episodes; sub-env i replays episode i over and over (the vector env resets it itself)."""
    chosen = plays[:n_envs]
    make = [partial(HealthGymEnv, domain, max_turns=40, task_ids=[task_id]) for task_id, _ in chosen]
    envs = gym.vector.SyncVectorEnv(make) if mode == "sync" else gym.vector.AsyncVectorEnv(make, shared_memory=False)
    cycles = [[*actions, "(autoreset step: action ignored)"] for _, actions in chosen]
    envs.reset(seed=0)
    start = time.perf_counter()
    for t in range(n_steps):
        envs.step(tuple(cycle[t % len(cycle)] for cycle in cycles))
    elapsed = time.perf_counter() - start
    envs.close()
    return n_steps * n_envs, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--domain", default="drug_interaction")
    parser.add_argument("--episodes", type=int, default=360)
    opts = parser.parse_args()
    plays = scripts(opts.domain, opts.episodes)
    rows = []
    steps, elapsed = single(opts.domain, plays)
    rows.append({"setup": "1 episode at a time", "steps": steps, "steps_per_s": steps / elapsed})
    for mode in ("sync", "async"):
        steps, elapsed = vector(opts.domain, plays, 64, mode, n_steps=max(1, steps // 64))
        rows.append({"setup": f"64 concurrent ({mode} vector env)", "steps": steps, "steps_per_s": steps / elapsed})
    write_report("env_throughput", {"domain": opts.domain}, rows, f"env throughput, {opts.domain}")


if __name__ == "__main__":
    main()
