"""Unseeded train resets take tasks built ahead in the buffer's thread, not on the reset itself; a seeded reset builds
its own task and starts no thread (the trainer seeds every group: tasks built ahead would be thrown away); the order
is fixed by the seed whatever the thread's timing; a failure to build reaches the reset (issue 16, target 6).
Nothing is timed."""

import dataclasses
import threading

import numpy as np
import pytest

from healthgym.mcp_servers.domains import get_domain
from healthgym.rl import env as env_module
from healthgym.rl import train_buffer
from healthgym.rl.env import HealthGymEnv
from healthgym.rl.train_buffer import TrainTaskBuffer, draw_train_task


def test_the_buffer_hands_out_the_seeded_sequence(tiny_domain: str) -> None:
    spec = get_domain(tiny_domain)
    expected_rng = np.random.default_rng(7)
    expected = [draw_train_task(spec, 3, None, expected_rng).id for _ in range(6)]
    buffer = TrainTaskBuffer(spec, 3, None, np.random.default_rng(7), size=2)
    try:
        assert [buffer.take().id for _ in range(6)] == expected
    finally:
        buffer.close()


def test_train_resets_are_built_in_the_buffer_thread_and_reproducible(tiny_domain: str, monkeypatch) -> None:
    builders: list[str] = []
    draw = train_buffer.draw_train_task

    def recording_draw(*args, **kwargs):
        builders.append(threading.current_thread().name)
        return draw(*args, **kwargs)

    monkeypatch.setattr(train_buffer, "draw_train_task", recording_draw)
    monkeypatch.setattr(env_module, "draw_train_task", recording_draw)
    envs = [HealthGymEnv(tiny_domain, split="train", train_prefetch=4) for _ in range(2)]
    try:
        played = []
        for env in envs:
            builders.clear()
            ids = [env.reset(seed=11)[1]["task"].id]
            ids += [env.reset()[1]["task"].id for _ in range(9)]
            played.append(ids)
            assert builders[0] == "MainThread"  # the seeded reset built its own task
            assert set(builders[1:]) == {f"healthgym-train-{tiny_domain}"}  # the unseeded ones took built tasks
            assert len(builders) >= 10
        assert played[0] == played[1]  # same seed, same tasks, however the threads were scheduled
        assert len(set(played[0])) > 1
        assert envs[0].reset(seed=11)[1]["task"].id == played[0][0]  # a new seed restarts the sequence
        assert envs[0]._train_buffer is None
    finally:
        for env in envs:
            env.close()
    assert envs[0]._train_buffer is None


def test_seeded_resets_start_no_thread(tiny_domain: str) -> None:
    env = HealthGymEnv(tiny_domain, split="train", train_prefetch=4)
    seeded = [env.reset(seed=s)[1]["task"].id for s in range(5)]
    assert env._train_buffer is None
    assert seeded == [env.reset(seed=s)[1]["task"].id for s in range(5)]
    env.close()


def test_the_tier_is_kept_and_no_prefetch_builds_on_reset() -> None:
    for prefetch in (0, 3):
        env = HealthGymEnv("drug_interaction", split="train", tier="unassisted", train_prefetch=prefetch)
        tiers = {env.reset(seed=0)[1]["task"].tier} | {env.reset()[1]["task"].tier for _ in range(4)}
        assert tiers == {"unassisted"}
        assert (env._train_buffer is None) == (prefetch == 0)
        env.close()
    with pytest.raises(ValueError, match="train_prefetch must be >= 0, got -1"):
        HealthGymEnv("drug_interaction", split="train", train_prefetch=-1)


def test_a_build_failure_reaches_the_reset(tiny_domain: str, monkeypatch) -> None:
    spec = get_domain(tiny_domain)

    def broken(split, seed, index):
        raise RuntimeError(f"cannot build train case {index}")

    buffer = TrainTaskBuffer(dataclasses.replace(spec, generate=broken), 0, None, np.random.default_rng(0), size=2)
    for _ in range(2):  # then and on every later take
        with pytest.raises(RuntimeError, match="cannot build train case"):
            buffer.take()
    buffer.close()
