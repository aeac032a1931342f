"""The composite reward, as the trainer receives it from the env, cannot be gamed by verbosity, by echoing tool output
or by calling tools at random: none of them earns what a correct, concise episode earns."""

from __future__ import annotations

import json
import random

import pytest

from healthgym.rl.env import HealthGymEnv


def _call(name: str, **arguments) -> str:
    return f"<tool_call>{json.dumps({'name': name, 'arguments': arguments})}</tool_call>"


def _play(env: HealthGymEnv, seed: int, policy) -> float:
    """Run ``policy(observation, info, turn, task) -> action`` until the episode ends; return the total reward."""
    observation, info = env.reset(seed=seed)
    task = info["task"]
    for turn in range(env.max_turns):
        observation, reward, terminated, truncated, info = env.step(policy(observation, info, turn, task))
        if terminated or truncated:
            return reward
    raise AssertionError("episode did not end")


def _reference(padding: str = "", echo: bool = False, answer_offset: float = 0.0):
    """get_labs then submit; optionally with prose before each call, the last tool output echoed, a wrong answer."""

    def policy(observation, info, turn, task):
        if turn == 0:
            return padding + _call("get_labs", patient_id=task.case_ref)
        k = info["tool_results"][-1].structured["potassium_mmol_l"]
        echoed = f"The tool said: {observation}\n" if echo else ""
        return padding + echoed + _call("submit_answer", answer=round(k + answer_offset, 1))

    return policy


VERBOSE = "Let me think carefully about this patient's electrolytes and the relevant guideline. " * 60


@pytest.fixture
def env(tiny_domain):
    return HealthGymEnv(tiny_domain, "dev", max_turns=12)


def test_verbosity_earns_nothing(env):
    for seed in range(5):
        concise = _play(env, seed, _reference())
        verbose = _play(env, seed, _reference(padding=VERBOSE))
        assert concise == pytest.approx(1.0)
        assert verbose <= concise
        assert _play(env, seed, _reference(padding=VERBOSE, answer_offset=1.0)) < 0.5  # wrong stays wrong


def test_echoing_tool_output_earns_nothing(env):
    for seed in range(5):
        plain_wrong = _play(env, seed, _reference(answer_offset=1.0))
        echo_wrong = _play(env, seed, _reference(echo=True, answer_offset=1.0))
        assert echo_wrong <= plain_wrong < 0.5
        assert _play(env, seed, _reference(echo=True)) <= _play(env, seed, _reference())


def test_random_tool_calls_earn_less_than_a_correct_answer(env):
    rng = random.Random(0)
    correct = min(_play(env, seed, _reference()) for seed in range(3))

    def random_policy(observation, info, turn, task):
        if turn == env.max_turns - 1 or rng.random() < 0.15:
            return _call("submit_answer", answer=round(rng.uniform(2.5, 6.5), 1))
        if rng.random() < 0.5:
            return _call("get_labs", patient_id=rng.choice([task.case_ref, "TP-dev-0-99", "nobody"]))
        return _call("write_note", text=rng.choice(["potassium", "hyperkalaemia", "ok"]) * rng.randint(1, 30))

    random_rewards = [_play(env, seed, random_policy) for seed in range(40)]
    lucky = [r for r in random_rewards if r >= 0.99]  # a random number can hit the tolerance, rarely
    assert len(lucky) <= 2
    assert sum(random_rewards) / len(random_rewards) < 0.5 * correct
    # calling extra tools around a correct answer never beats the concise episode either
    for seed in range(3):

        def noisy(observation, info, turn, task):
            if turn < 4:
                return _call("write_note", text=f"note {turn}")
            return _reference()(observation, info, turn - 4, task)

        assert _play(env, seed, noisy) <= correct
