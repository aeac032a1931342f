"""The Gym env over the tiny domain: checker, seeding, termination, truncation, vector env."""

import json

import gymnasium as gym
import pytest
from gymnasium.utils.env_checker import check_env

from healthgym.rl.env import HealthGymEnv, to_observation_text


def _call(name: str, **arguments) -> str:
    return json.dumps({"name": name, "arguments": arguments})


def test_check_env(tiny_domain: str) -> None:
    check_env(HealthGymEnv(tiny_domain), skip_render_check=True)


def test_reset_is_seeded(tiny_domain: str) -> None:
    env = HealthGymEnv(tiny_domain)
    first = env.reset(seed=3)[0]
    assert env.reset(seed=3)[0] == first
    assert {env.reset(seed=s)[0] for s in range(10)} != {first}


def test_solved_episode_terminates_with_full_reward(tiny_domain: str) -> None:
    env = HealthGymEnv(tiny_domain)
    _, info = env.reset(seed=0)
    _, reward, terminated, _, info = env.step(_call("get_labs", patient_id=info["task"].case_ref))
    assert reward == 0.0 and not terminated
    k = info["tool_results"][0].structured["potassium_mmol_l"]
    _, reward, terminated, truncated, info = env.step(_call("submit_answer", answer=k))
    assert terminated and not truncated
    assert info["grade"].correct and reward == pytest.approx(1.0)
    assert info["trajectory"].submitted == {"answer": k}


def test_wrong_answer_without_reading_scores_low(tiny_domain: str) -> None:
    env = HealthGymEnv(tiny_domain)
    env.reset(seed=0)
    _, reward, terminated, _, info = env.step(_call("submit_answer", answer=-1))
    assert terminated and not info["grade"].correct
    assert info["reward_breakdown"].process == 0.0
    assert reward < 0.2


def test_truncation_after_max_turns(tiny_domain: str) -> None:
    env = HealthGymEnv(tiny_domain, max_turns=3)
    env.reset(seed=0)
    results = [env.step("thinking out loud") for _ in range(3)]
    assert [r[3] for r in results] == [False, False, True]
    assert results[-1][4]["grade"].score == 0.0
    assert "No tool call found" in results[0][0]
    assert env.step("again")[2] is True  # after the end: no raise


def test_task_id_option_and_bad_task_id(tiny_domain: str) -> None:
    env = HealthGymEnv(tiny_domain, split="dev")
    task = env._pool[2]
    assert env.reset(options={"task_id": task.id})[1]["task"].id == task.id
    with pytest.raises(ValueError, match="not in the dev split"):
        env.reset(options={"task_id": "nope"})


def test_train_stream_is_seeded(tiny_domain: str) -> None:
    env = HealthGymEnv(tiny_domain, split="train", train_seed=5)
    assert env.reset(seed=1)[0] == env.reset(seed=1)[0]


def test_vector_env(tiny_domain: str) -> None:
    envs = gym.vector.SyncVectorEnv([lambda: HealthGymEnv(tiny_domain) for _ in range(4)])
    observations, infos = envs.reset(seed=0)
    assert len(observations) == 4
    actions = tuple(_call("submit_answer", answer=1) for _ in range(4))
    _, rewards, terminated, _, _ = envs.step(actions)
    assert terminated.all() and rewards.shape == (4,)
    envs.close()


def test_observation_text_is_in_space() -> None:
    space = gym.spaces.Text(max_length=50, min_length=0, charset=__import__("string").printable)
    text = to_observation_text("K ≥ 5.5 µmol — 38 °C \x00\x07 " + "x" * 100, 50)
    assert space.contains(text) and len(text) == 50


def test_reset_closes_the_previous_session(tiny_domain: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from healthgym.mcp_servers.inprocess import InProcessSession

    closed: list[InProcessSession] = []
    monkeypatch.setattr(InProcessSession, "close", lambda self: closed.append(self))
    env = HealthGymEnv(tiny_domain)
    env.reset(seed=0)
    first = env._session
    env.reset(seed=1)
    assert first in closed and env._session not in closed
