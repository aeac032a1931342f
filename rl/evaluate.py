"""A policy's score on fixed tasks: greedy episodes through the env, graded by the env's own grader.

Greedy decoding makes the score a deterministic function of the weights, so a change between two evaluations is
the policy's and not the sampler's. Besides accuracy and reward it reports how the policy acts: the share of turns
holding a valid tool call (parsed, naming an available tool, accepted by it) and of turns holding no tool call at
all (the "tool-less monologue" turns TT-OPD is meant to prevent).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from healthgym.rl.diagnostics import turn_rates
from healthgym.rl.env import HealthGymEnv
from healthgym.rl.rollout import ChatCodec, Episode, run_episodes
from healthgym.schemas import Task


def episode_scores(episodes: Sequence[Episode]) -> dict[str, float]:
    """Accuracy (grader score), full-credit rate, reward, turn rates and generated tokens of graded episodes."""
    grades = [e.trajectory.grade for e in episodes]
    return {
        "accuracy": float(np.mean([g.score if g else 0.0 for g in grades])),
        "correct": float(np.mean([bool(g and g.correct) for g in grades])),
        "reward": float(np.mean([e.reward for e in episodes])),
        "length": float(np.mean([sum(e.response_mask) for e in episodes])),
        **turn_rates([e.trajectory for e in episodes]),
    }


def evaluate(
    model: torch.nn.Module,
    tokenizer: Any,
    tasks: dict[str, Sequence[Task]],
    *,
    max_turns: int,
    max_new_tokens: int,
    max_response_tokens: int,
    batch_size: int = 16,
) -> dict[str, float]:
    """Play each task once, greedily; returns the scores over all tasks and, per domain, ``<domain>/<score>``."""
    codec = ChatCodec(tokenizer)
    was_training = model.training
    model.eval()
    out: dict[str, float] = {}
    every: list[Episode] = []
    try:
        for domain, domain_tasks in tasks.items():
            episodes: list[Episode] = []
            for start in range(0, len(domain_tasks), batch_size):
                chunk = domain_tasks[start : start + batch_size]
                envs = [HealthGymEnv(domain, "dev", max_turns=max_turns) for _ in chunk]
                episodes += run_episodes(
                    model,
                    codec,
                    envs,
                    [{"options": {"task": t}} for t in chunk],
                    groups=list(range(len(chunk))),
                    max_new_tokens=max_new_tokens,
                    max_response_tokens=max_response_tokens,
                    temperature=0.0,
                    generator=torch.Generator(device=next(model.parameters()).device),
                )
            out |= {f"{domain}/{k}": v for k, v in episode_scores(episodes).items()}
            every += episodes
    finally:
        model.train(was_training)
    return episode_scores(every) | out
