"""The reference clinician: each domain's rule-based solver, playing episodes through the Gym env.

It sees what any agent sees (the task's public view and tool results) and nothing of the hidden case file; it
exists to prove that every task is solvable with the tools, and as the baseline on every scorecard.
"""

from __future__ import annotations

import json
from typing import Any

from healthgym.mcp_servers.domain import TaskView
from healthgym.rl.env import HealthGymEnv, reset_options
from healthgym.schemas import Task, Trajectory


def play_reference(env: HealthGymEnv, task: Task | str | None = None, seed: int | None = None) -> Trajectory:
    """Play one episode with the domain's reference solver (``task``: a Task, a task id, or drawn); returns the
    finished trajectory."""
    _, info = env.reset(seed=seed, options=reset_options(task))
    view: TaskView = info["task"]
    solver = env.unwrapped.domain.solve(view)
    result: dict[str, Any] | None = None
    while True:
        try:
            call = solver.send(result) if result is not None else next(solver)
        except StopIteration:
            break
        action = json.dumps({"name": call.name, "arguments": call.arguments})
        _, _, terminated, truncated, info = env.step(action)
        tool_result = info["tool_results"][-1]
        result = {"error": tool_result.text} if tool_result.is_error else (tool_result.structured or {})
        if terminated or truncated:
            break
    trajectory = env.unwrapped.trajectory
    assert trajectory is not None
    return trajectory
