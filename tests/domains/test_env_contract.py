"""Every domain's Gym env passes Gymnasium's checker and survives garbage actions."""

from __future__ import annotations

import json

import gymnasium as gym
from gymnasium.utils.env_checker import check_env
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import healthgym.rl  # noqa: F401  (registers the ids)
from healthgym.mcp_servers.domain import DomainSpec

GARBAGE = st.one_of(
    st.text(max_size=300),
    st.binary(max_size=300),
    st.builds(lambda s: "{" + s, st.text(max_size=100)),  # malformed JSON
    st.builds(lambda n, a: json.dumps({"name": n, "arguments": a}), st.text(max_size=30),
              st.dictionaries(st.text(max_size=10), st.integers() | st.text(max_size=10) | st.none(), max_size=3)),
    st.builds(lambda a: json.dumps({"name": "submit_answer", "arguments": a}),
              st.dictionaries(st.text(max_size=10), st.floats() | st.lists(st.integers(), max_size=3), max_size=3)),
    st.builds(lambda s: f"<tool_call>{s}</tool_call>", st.text(max_size=100)),
    st.builds(lambda n, p, v: f"<tool_call><function={n}><parameter={p}>{v}</parameter></function></tool_call>",
              st.text(max_size=20), st.text(max_size=20), st.text(max_size=50)),
    st.sampled_from(["x" * 1_000_000, "<tool_call>" * 10_000, "[" * 100_000, '{"tool_calls": 5}', "null", "[]"]),
    st.integers(), st.none(), st.lists(st.integers(), max_size=3),
)


def test_check_env(spec: DomainSpec) -> None:
    env = gym.make(spec.gym_id, disable_env_checker=True)
    check_env(env.unwrapped, skip_render_check=True)


def test_garbage_actions_never_raise(spec: DomainSpec) -> None:
    env = gym.make(spec.gym_id, max_turns=8, disable_env_checker=True).unwrapped
    env.reset(seed=0)
    observation_space = env.observation_space

    @settings(max_examples=1000, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
    @given(action=GARBAGE)
    def step(action) -> None:
        observation, reward, terminated, truncated, _ = env.step(action)
        assert observation_space.contains(observation)
        assert -1.0 <= reward <= 1.0
        if terminated or truncated:
            env.reset()

    step()
