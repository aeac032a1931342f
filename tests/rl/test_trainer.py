"""The local trainer: config validation, both algorithms end to end, checkpoints and resumption, λ schedules, plot."""

from __future__ import annotations

import json
import math

import pytest
import torch

from healthgym.rl.config import TrainConfig
from healthgym.rl.diagnostics import plot
from healthgym.rl.trainer import Trainer, lambda_at

KEYS = [
    "reward/mean",
    "reward/accuracy",
    "reward/format",
    "reward/process",
    "reward/safety",
    "reward/efficiency",
    "accuracy",
    "length/mean",
    "length/p95",
    "length/clipped_ratio",
    "clip_ratio",
    "episode/turns",
    "episode/tool_calls",
    "episode/invalid_tool_rate",
    "group/reward_std",
    "grad_norm",
    "policy/entropy",
]


class TestTrainConfig:
    def test_defaults(self):
        cfg = TrainConfig()
        assert (cfg.algo, cfg.ema_alpha, cfg.ema_every, cfg.privileged_mode) == ("grpo", 0.995, 5, "casefile")
        assert cfg.batch_size == 16

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"algo": "ppo"}, "algo must be one of"),
            ({"privileged_mode": "answer"}, "privileged_mode"),
            ({"group_size": 1}, "group_size"),
            ({"tasks_per_step": 3, "group_size": 2, "mini_batches": 4}, "divisible by mini_batches"),
            ({"temperature": 0.0}, "temperature"),
            ({"bidirectional": True, "privileged_mode": "gold"}, "bidirectional=True needs privileged_mode='hint'"),
            ({"task_ids": ["x"]}, "fixed split"),
            ({"lambda_schedule": "anneal", "lam": 0.1, "lam_floor": 0.5}, "lam_floor"),
        ],
    )
    def test_rejects_misconfiguration(self, kwargs, match):
        with pytest.raises(ValueError, match=match):
            TrainConfig(**kwargs)


def test_lambda_schedules():
    anneal = TrainConfig(algo="tt-opd", lambda_schedule="anneal", lam=1.0, lam_floor=0.2, steps=5)
    values = [lambda_at(anneal, s, 1.0) for s in range(5)]
    assert values[0] == 1.0 and values[-1] == pytest.approx(0.2)
    assert all(a >= b for a, b in zip(values, values[1:], strict=False))
    adaptive = TrainConfig(algo="tt-opd", lambda_schedule="adaptive", lam=2.0, lam_floor=0.1)
    assert lambda_at(adaptive, 0, 0.5) == 1.0 and lambda_at(adaptive, 0, 0.0) == 0.1
    assert lambda_at(TrainConfig(lam=0.3), 7, 0.0) == 0.3


def _config(tmp_path, algo, **kw):
    base = {
        "algo": algo,
        "domains": ["tiny"],
        "split": "dev",
        "steps": 3,
        "output_dir": str(tmp_path / algo),
        "tasks_per_step": 2,
        "group_size": 4,
        "max_new_tokens": 40,
        "max_response_tokens": 160,
        "max_turns": 3,
        "ema_every": 1,
        "ema_alpha": 0.5,
        "beta": 0.05,
        "mini_batches": 2,
        "learning_rate": 3e-4,
    }
    return TrainConfig(**(base | kw))


@pytest.mark.parametrize("algo", ["grpo", "tt-opd"])
def test_both_algorithms_run_end_to_end(tmp_path, warm_policy, algo):
    model, tokenizer, task = warm_policy()
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    trainer = Trainer(_config(tmp_path, algo, task_ids=[task.id]), model=model, tokenizer=tokenizer)
    history = trainer.train()
    lines = [json.loads(x) for x in (tmp_path / algo / "metrics.jsonl").read_text().splitlines()]
    assert [m["step"] for m in lines] == [1, 2, 3] and len(history) == 3
    for key in KEYS + (["distill/kl", "lambda", "loss/distill"] if algo == "tt-opd" else []):
        assert all(m[key] is not None and math.isfinite(m[key]) for m in lines), key
    assert any(m["group/reward_std"] > 0 for m in lines)  # the warm start gives GRPO a signal
    for name, p in model.named_parameters():
        assert not torch.equal(p, before[name]), f"Parameter {name} has not changed."
    if algo == "tt-opd":
        assert trainer.teacher.updates == 3
        assert all(m["distill/tokens"] > 0 for m in lines)
    assert (tmp_path / algo / "final" / "config.json").exists()
    assert (tmp_path / algo / "checkpoint-3" / "trainer_state.pt").exists()


def test_lora_tt_opd_keeps_adapter_teacher(tmp_path, tiny_domain):
    cfg = _config(
        tmp_path,
        "tt-opd",
        model="tiny",
        lora_rank=4,
        steps=1,
        tasks_per_step=1,
        group_size=2,
        mini_batches=1,
        max_new_tokens=8,
        max_response_tokens=48,
    )
    trainer = Trainer(cfg)
    assert trainer.teacher.weights and all("lora_" in name for name in trainer.teacher.weights)
    frozen = {n: p.clone() for n, p in trainer.model.named_parameters() if not p.requires_grad}
    history = trainer.train()
    assert history[0]["teacher/updates"] == 1.0
    for name, p in trainer.model.named_parameters():
        if name in frozen:
            assert torch.equal(p, frozen[name]), f"frozen base weight {name} changed"


def test_resumption_continues_exactly(tmp_path, warm_policy):
    model, tokenizer, task = warm_policy()
    small = {"steps": 2, "tasks_per_step": 1, "task_ids": [task.id]}
    Trainer(_config(tmp_path / "a", "tt-opd", **small), model=model, tokenizer=tokenizer).train()
    expected = [json.loads(x) for x in (tmp_path / "a" / "tt-opd" / "metrics.jsonl").read_text().splitlines()]
    straight = {n: p.detach().clone() for n, p in model.named_parameters()}

    model, tokenizer, _ = warm_policy()
    first = _config(tmp_path / "b", "tt-opd", **(small | {"steps": 1}))
    Trainer(first, model=model, tokenizer=tokenizer).train()
    model, tokenizer, _ = warm_policy()  # as a new process would: the weights come from the checkpoint
    resumed = Trainer(_config(tmp_path / "b", "tt-opd", resume=True, **small), model=model, tokenizer=tokenizer)
    assert resumed.step_index == 1 and resumed.teacher.updates == 1
    resumed.train()
    got = [json.loads(x) for x in (tmp_path / "b" / "tt-opd" / "metrics.jsonl").read_text().splitlines()]
    assert [m["step"] for m in got] == [1, 2]
    for key in ("reward/mean", "length/mean", "loss", "kl/ref", "distill/kl", "grad_norm"):
        assert got[1][key] == pytest.approx(expected[1][key], rel=1e-4, abs=1e-6), key
    for name, p in model.named_parameters():
        torch.testing.assert_close(p.detach(), straight[name], rtol=1e-4, atol=1e-6)


def _mean_reward(model, tokenizer, task, n: int = 32) -> float:
    """Expected reward by sampling n episodes with a fixed generator (the same draws before and after training)."""
    from healthgym.rl.env import HealthGymEnv
    from healthgym.rl.rollout import ChatCodec, run_episodes

    envs = [HealthGymEnv("tiny", "dev", max_turns=3) for _ in range(n)]
    episodes = run_episodes(
        model,
        ChatCodec(tokenizer),
        envs,
        [{"options": {"task_id": task.id}}] * n,
        groups=[0] * n,
        max_new_tokens=40,
        max_response_tokens=160,
        temperature=1.0,
        generator=torch.Generator().manual_seed(1234),
    )
    return sum(e.reward for e in episodes) / n


@pytest.mark.parametrize(
    ("algo", "extra"), [("grpo", {"learning_rate": 5e-4}), ("tt-opd", {"lam": 0.5, "learning_rate": 1e-3})]
)
def test_reward_rises_on_a_fixed_task(tmp_path, warm_policy, algo, extra):
    """From a warm start that earns 0.13 on average, 10 steps raise it by more than 0.05: GRPO at lr 5e-4; TT-OPD
    (casefile, λ=0.5), whose distillation term pulls toward the teacher as well, at lr 1e-3."""
    model, tokenizer, task = warm_policy()
    start = _mean_reward(model, tokenizer, task)
    cfg = _config(
        tmp_path,
        algo,
        steps=10,
        tasks_per_step=1,
        group_size=8,
        mini_batches=1,
        beta=0.0,
        task_ids=[task.id],
        ema_alpha=0.9,
        **extra,
    )
    Trainer(cfg, model=model, tokenizer=tokenizer).train()
    end = _mean_reward(model, tokenizer, task)
    assert end > start + 0.05, (start, end)


def test_plot_draws_several_runs(tmp_path):
    for name, slope in (("grpo", 0.1), ("tt-opd", 0.2)):
        run = tmp_path / name
        run.mkdir()
        lines = [{"step": s, "reward/mean": slope * s, "length/mean": 10.0 + s, "lambda": 1.0} for s in range(1, 6)]
        (run / "metrics.jsonl").write_text("".join(json.dumps(m) + "\n" for m in lines))
    out = plot([tmp_path / "grpo", tmp_path / "tt-opd"], tmp_path / "curves.png", smooth=2)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(FileNotFoundError, match="healthgym train"):
        plot([tmp_path / "missing"], tmp_path / "x.png")
