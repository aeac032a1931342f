"""Env steps per second: the seed system's workload shape side by side with the seed, then reference replays.

    python -m bench.env_throughput [--domain drug_interaction] [--episodes 360] [--seed-repo PATH]
        [--seed-episodes 60] [--repeats 3] [--policy-ms 5]

**Seed shape** (like for like with the seed's ``BioAgent-v0``): each episode resets on the train split (a random
train task), then steps the same fixed call (``check_interaction`` warfarin + aspirin, a tool both envs have) until
the 20-turn limit truncates it; resets, grading and reward included. Contenders run interleaved ``--repeats``
times: healthgym with each train case built on its reset (``train_prefetch=0``), healthgym with cases built ahead
(``train_prefetch=16``), and the seed's env from a checkout of github.com/minstar/Healthcare_GYM (``--seed-repo``;
it needs ``loguru``, whose sinks are removed so neither env logs). Then the same with a ``--policy-ms`` pause
before every step and reset (a policy's generation time, not counted), which is when cases built ahead come off
the reset: ``reset_ms_p50`` is the median time inside ``reset``.

**Reference replays**: each episode replays a recorded reference-clinician action sequence (real tool work), with 1
episode at a time and 64 concurrent as a gymnasium SyncVectorEnv (one process) and an AsyncVectorEnv (one worker
process per env, sharing both cores), each sub-env replaying its episode with the vector env's own autoreset.

The load average is recorded at start and end: on a shared machine the ratios, measured in one run, are what to
quote.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

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


FIXED_CALL = json.dumps({"name": "check_interaction", "arguments": {"drug_a": "warfarin", "drug_b": "aspirin"}})
TURNS = 20


def seed_env_factory(repo: Path, domain: str) -> Callable[[], Any]:
    """The seed's ``BioAgentGymEnv`` on the train split with 20 turns, from a checkout at ``repo``."""
    sys.path.insert(0, str(repo))
    from bioagents.gym.agent_env import BioAgentGymEnv
    from loguru import logger

    logger.remove()
    return lambda: BioAgentGymEnv(domain=domain, task_split="train", max_turns=TURNS)


def fixed_call_run(env: Any, episodes: int, seed: int | None, policy_s: float) -> dict[str, Any]:
    """``episodes`` episodes of reset (the first with ``seed``) + the fixed call until truncation; seconds exclude
    the policy pauses."""
    steps, resets, paused = 0, [], 0.0
    start = time.perf_counter()
    for episode in range(episodes):
        if policy_s:
            time.sleep(policy_s)
            paused += policy_s
        begin = time.perf_counter()
        env.reset(seed=seed if episode == 0 else None)
        resets.append(time.perf_counter() - begin)
        for _ in range(TURNS):
            if policy_s:
                time.sleep(policy_s)
                paused += policy_s
            _, _, terminated, truncated, _ = env.step(FIXED_CALL)
            steps += 1
            if terminated or truncated:
                break
    return {"steps": steps, "seconds": time.perf_counter() - start - paused, "resets": resets}


def seed_shape(domain: str, seed_repo: Path | None, episodes: int, repeats: int, policy_ms: float) -> list[dict]:
    makers: dict[str, Callable[[], Any]] = {
        "healthgym, case built on reset": partial(HealthGymEnv, domain, "train", max_turns=TURNS, train_prefetch=0),
        "healthgym, cases built ahead": partial(HealthGymEnv, domain, "train", max_turns=TURNS, train_prefetch=16),
    }
    if seed_repo is not None:
        makers["seed BioAgent-v0"] = seed_env_factory(seed_repo, domain)
    rows = []
    for run, pause in enumerate((0.0, policy_ms / 1000)):
        envs = {name: make() for name, make in makers.items()}
        for env in envs.values():  # load tables, build the first cases, start buffers
            fixed_call_run(env, 2, 1000 * run + 500, 0.0)
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in envs}
        for repeat in range(repeats):
            for name, env in envs.items():
                # seeded once per pass, each pass its own seed: no case is reused from another pass's cache
                seed = 1000 * (run + 1) if repeat == 0 else None
                runs[name].append(fixed_call_run(env, episodes, seed, pause))
        for name, env in envs.items():
            steps = sum(r["steps"] for r in runs[name])
            seconds = sum(r["seconds"] for r in runs[name])
            resets = [x for r in runs[name] for x in r["resets"]]
            rows.append({
                "workload": f"seed shape, policy pause {1000 * pause:g} ms",
                "setup": name,
                "steps": steps,
                "steps_per_s": steps / seconds,
                "reset_ms_p50": 1000 * statistics.median(resets),
                "reset_ms_mean": 1000 * statistics.fmean(resets),
            })
            env.close()
        base = next((r for r in rows[-len(envs):] if r["setup"] == "seed BioAgent-v0"), None)
        for row in rows[-len(envs):]:
            row["ratio_to_seed"] = row["steps_per_s"] / base["steps_per_s"] if base else float("nan")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--domain", default="drug_interaction")
    parser.add_argument("--episodes", type=int, default=360, help="reference replays")
    parser.add_argument("--seed-repo", type=Path, help="a checkout of minstar/Healthcare_GYM (needs loguru)")
    parser.add_argument("--seed-episodes", type=int, default=60, help="seed-shape episodes per contender per repeat")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--policy-ms", type=float, default=5.0, help="pause before each step and reset, not counted")
    opts = parser.parse_args()
    load_start = [round(x, 2) for x in os.getloadavg()]
    rows = seed_shape(opts.domain, opts.seed_repo, opts.seed_episodes, opts.repeats, opts.policy_ms)
    plays = scripts(opts.domain, opts.episodes)
    steps, elapsed = single(opts.domain, plays)
    replays = [{"setup": "1 episode at a time", "steps": steps, "steps_per_s": steps / elapsed}]
    for mode in ("sync", "async"):
        steps, elapsed = vector(opts.domain, plays, 64, mode, n_steps=max(1, steps // 64))
        replays.append({"setup": f"64 concurrent ({mode} vector env)", "steps": steps, "steps_per_s": steps / elapsed})
    for row in replays:
        rows.append({"workload": "reference replays (test split)", **row, "reset_ms_p50": float("nan"),
                     "reset_ms_mean": float("nan"), "ratio_to_seed": float("nan")})
    payload = {
        "domain": opts.domain,
        "fixed_call": json.loads(FIXED_CALL),
        "turns": TURNS,
        "seed_repo": str(opts.seed_repo) if opts.seed_repo else None,
        "seed_episodes": opts.seed_episodes,
        "repeats": opts.repeats,
        "policy_ms": opts.policy_ms,
        "load_average_start": load_start,
    }
    write_report("env_throughput", payload, rows, f"env throughput, {opts.domain}")


if __name__ == "__main__":
    main()
