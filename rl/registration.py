"""Register one Gymnasium id per domain: ``healthgym/DrugInteraction-v0``, ``healthgym/TriageEmergency-v0`` ..."""

from __future__ import annotations

from gymnasium.envs.registration import register, registry

from healthgym.mcp_servers.domain import gym_id
from healthgym.mcp_servers.domains import DOMAINS


def register_envs() -> list[str]:
    """Register every domain's env (idempotent); returns the ids."""
    ids = []
    for name in DOMAINS:
        env_id = gym_id(name)
        if env_id not in registry:
            register(id=env_id, entry_point="healthgym.rl.env:HealthGymEnv", kwargs={"domain": name})
        ids.append(env_id)
    return ids
