"""A local transformers model playing episodes through the Gym env: text in, text out, as in RL training.

The model sees the env's observations as chat messages (the task, then each step's tool results in a ``tool``
turn) and the domain's tools rendered by its chat template; its text is the env's action, parsed by the env.
"""

from __future__ import annotations

import time
from typing import Any

from healthgym.agents.models import TransformersChat, openai_tool
from healthgym.rl.env import HealthGymEnv, reset_options
from healthgym.schemas import Task, Trajectory


def play_transformers(
    env: HealthGymEnv, chat: TransformersChat, task: Task | str | None = None, seed: int | None = None
) -> Trajectory:
    """Play one episode (``task``: a Task, a task id, or drawn); the finished trajectory, with token counts and
    generation time in its metrics."""
    observation, _ = env.reset(seed=seed, options=reset_options(task))
    tools = [openai_tool(t["name"], t.get("description"), t["inputSchema"]) for t in env.tool_schemas]
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": env.domain.policy},
        {"role": "user", "content": observation},
    ]
    prompt_tokens = completion_tokens = 0
    model_s = 0.0
    done = False
    while not done:
        start = time.perf_counter()
        text, n_prompt, n_completion = chat.generate(messages, tools)
        model_s += time.perf_counter() - start
        prompt_tokens, completion_tokens = prompt_tokens + n_prompt, completion_tokens + n_completion
        observation, _, terminated, truncated, info = env.step(text)
        done = terminated or truncated
        messages += [
            {"role": "assistant", "content": text},
            {"role": "tool" if info["tool_results"] else "user", "content": observation},
        ]
    trajectory = env.trajectory
    assert trajectory is not None
    trajectory.metrics.update(
        input_tokens=float(prompt_tokens),
        output_tokens=float(completion_tokens),
        tokens=float(prompt_tokens + completion_tokens),
        model_s=model_s,
    )
    return trajectory
