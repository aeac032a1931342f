"""verl's ``custom_reward_function`` for healthgym episodes: the composite reward the agent loop graded.

The agent loop already sets ``reward_score`` (the Gym env's composite reward), so verl does not call a reward
function for its episodes. This one is for runs that route scoring through verl's reward loop anyway
(``reward.custom_reward_function.path=<this file>``, ``name=compute_score``): it reads the grade the agent loop put in
``extra_fields`` (verl merges them into ``extra_info``) and never re-grades text.
"""

from __future__ import annotations

from typing import Any


def compute_score(
    data_source: str, solution_str: str, ground_truth: Any, extra_info: dict[str, Any] | None = None, **_: Any
) -> dict[str, float]:
    """``score``: the composite reward (healthgym.rl.reward.composite_reward); also ``accuracy`` (grader credit),
    ``correct`` and each reward part, which verl logs as reward extra info."""
    info = extra_info or {}
    if "reward" not in info or "grade" not in info:
        raise ValueError(
            f"{data_source}: extra_info has no 'reward'/'grade' (keys: {sorted(info)}); healthgym episodes are "
            "scored by the healthgym_agent agent loop "
            "(actor_rollout_ref.rollout.agent.default_agent_loop=healthgym_agent)"
        )
    reward, grade = info["reward"], info["grade"]
    parts = {f"reward_{name}": float(reward[name]) for name in ("format", "process", "safety", "efficiency")}
    outcome = {"accuracy": float(grade["score"]), "correct": float(grade["correct"])}
    return {"score": float(reward["total"])} | outcome | parts
