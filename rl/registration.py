"""Register one Gymnasium id per domain: ``healthgym/DrugInteraction-v0``, ``healthgym/TriageEmergency-v0`` ...

Each registration carries the env's turn limit as ``max_episode_steps`` (Gymnasium's convention: ``gym.make`` wraps
the env in ``TimeLimit`` and ``spec.max_episode_steps`` tells agents the horizon). One step is one assistant turn, so
the limit is the env's default ``max_turns``; both truncate on the same step, and the env grades that step.
"""

from __future__ import annotations

from gymnasium.envs.registration import register, registry

from healthgym.mcp_servers.domain import gym_id
from healthgym.mcp_servers.domains import DOMAINS


def default_max_turns() -> int:
    """The env's default turn limit, so that registration and env cannot disagree."""
    from healthgym.rl.env import DEFAULT_MAX_TURNS

    return DEFAULT_MAX_TURNS


def register_envs() -> list[str]:
    """Register every domain's env (idempotent); returns the ids."""
    ids = []
    for name in DOMAINS:
        env_id = gym_id(name)
        if env_id not in registry:
            register(
                id=env_id,
                entry_point="healthgym.rl.env:HealthGymEnv",
                kwargs={"domain": name},
                max_episode_steps=default_max_turns(),
            )
        ids.append(env_id)
    return ids
