"""Reinforcement learning over the healthgym servers: Gymnasium env, rewards, rollouts, GRPO and TT-OPD.

Importing this package registers ``healthgym/<Domain>-v0`` for every domain.
"""

from healthgym.rl.registration import register_envs

ENV_IDS = register_envs()

__all__ = ["ENV_IDS", "register_envs"]
