"""The Gymnasium registration: one id per domain, the turn limit as ``max_episode_steps``."""

from __future__ import annotations

import gymnasium as gym
from gymnasium.wrappers import TimeLimit

from healthgym.mcp_servers.domains import DOMAINS, get_domain
from healthgym.rl import ENV_IDS
from healthgym.rl.env import DEFAULT_MAX_TURNS, HealthGymEnv


def test_every_domain_is_registered_with_the_env_turn_limit() -> None:
    assert sorted(ENV_IDS) == sorted(get_domain(name).gym_id for name in DOMAINS)
    for env_id in ENV_IDS:
        spec = gym.spec(env_id)
        assert spec.max_episode_steps == HealthGymEnv(spec.kwargs["domain"], "test").max_turns == DEFAULT_MAX_TURNS


def test_the_time_limit_and_the_env_end_an_episode_on_the_same_step_and_it_is_graded() -> None:
    env = gym.make("healthgym/TriageEmergency-v0", split="test", disable_env_checker=True)
    assert isinstance(env, TimeLimit)
    env.reset(seed=0)
    steps, truncated = 0, False
    while not truncated and steps < DEFAULT_MAX_TURNS + 4:
        _, reward, terminated, truncated, info = env.step("I will think about it.")  # no tool call: no progress
        steps += 1
        assert not terminated
    assert steps == DEFAULT_MAX_TURNS and truncated
    assert info["grade"] is not None and info["grade"].score == 0.0  # graded on the truncating step, not dropped
    assert reward == info["reward_breakdown"].total
