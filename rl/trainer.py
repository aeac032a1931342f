"""The local trainer: GRPO and TT-OPD over the Gym env, with a transformers causal LM on CPU or one GPU.

One step: sample ``tasks_per_step`` groups of ``group_size`` episodes (all of a group on one task), grade them with
the composite reward, compute group-normalised advantages, score the responses under the frozen reference (β > 0)
and, for TT-OPD, under the EMA teacher with the privileged context, then take ``mini_batches`` optimizer steps on
the loss of [`healthgym.rl.losses`], move the teacher, log a line of metrics and checkpoint.
"""

from __future__ import annotations

import dataclasses
import json
import math
import random
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch

from healthgym.rl.config import TrainConfig
from healthgym.rl.curriculum import dev_tasks, draw_train_task, kinds_by_domain
from healthgym.rl.diagnostics import step_metrics
from healthgym.rl.env import HealthGymEnv
from healthgym.rl.evaluate import evaluate
from healthgym.rl.losses import group_advantages, grpo_loss, per_turn_kl, tt_opd_loss
from healthgym.rl.privileged import teacher_prompt_ids
from healthgym.rl.rollout import ChatCodec, Episode, pack, response_logprobs, run_episodes, shared_prefix_logprobs
from healthgym.rl.teacher import EmaTeacher, ShadowPolicy
from healthgym.rl.turns import truncate_spans, turn_ids

ProgressHook = Callable[[str, int, int, int], None]
"""``hook(phase, done, total, tokens)``; see :class:`Trainer`."""
METRICS_FILE = "metrics.jsonl"
STATE_FILE = "trainer_state.pt"


def load_policy(config: TrainConfig, device: torch.device) -> tuple[torch.nn.Module, Any]:
    """The model and tokenizer named by ``config.model`` (a directory, or ``"tiny"``), with LoRA adapters when
    ``config.lora_rank`` > 0."""
    if config.model == "tiny":
        from healthgym.rl.tiny import tiny_policy

        model, tokenizer = tiny_policy(config.domains, seed=config.seed)
    else:
        from transformers import AutoModelForCausalLM

        from healthgym.rl.tiny import load_tokenizer

        path = Path(config.model)
        if not path.is_dir():
            raise FileNotFoundError(f"model {config.model!r} is neither 'tiny' nor a directory holding a model")
        tokenizer = load_tokenizer(path)
        model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32)
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    if config.lora_rank > 0:
        try:
            from peft import LoraConfig, get_peft_model
        except ImportError as err:
            raise ImportError("lora_rank > 0 needs PEFT: pip install 'healthgym[rl]'") from err
        model = get_peft_model(
            model,
            LoraConfig(
                r=config.lora_rank, lora_alpha=2 * config.lora_rank, target_modules="all-linear", lora_dropout=0.0
            ),
        )
    return model.to(device), tokenizer


def resolve_device(name: str) -> torch.device:
    """``"auto"``: CUDA when available, else CPU; any other name as given."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def lambda_at(config: TrainConfig, step: int, zero_std_ema: float) -> float:
    """λ of the distillation term at ``step`` (0-based): constant, annealed linearly to the floor, or adaptive to the
    running fraction of groups whose rewards are all equal."""
    if config.lambda_schedule == "constant":
        return config.lam
    if config.lambda_schedule == "anneal":
        horizon = config.anneal_steps or config.steps
        frac = min(1.0, step / max(1, horizon - 1))
        return config.lam + (config.lam_floor - config.lam) * frac
    return max(config.lam_floor, config.lam * zero_std_ema)


class Trainer:
    """GRPO or TT-OPD training of one policy (see [`TrainConfig`]).

    Args:
        config: the run's configuration.
        model, tokenizer: an already built policy (tests, the tiny example); by default ``config.model`` is loaded.
        log: called with each step's metrics (progress display); the metrics also go to ``metrics.jsonl``.
        progress: called during a step, ``progress(phase, done, total, tokens)``: in the ``"rollout"`` phase after
            each batched turn (episodes finished of the step's batch, tokens sampled in that turn), in the
            ``"update"`` phase after each optimizer step (mini-batches done of ``mini_batches``, 0).
    """

    def __init__(
        self,
        config: TrainConfig,
        *,
        model: torch.nn.Module | None = None,
        tokenizer: Any = None,
        log: Callable[[dict[str, float]], None] | None = None,
        progress: ProgressHook | None = None,
    ) -> None:
        self.config = config
        self.progress = progress
        self.out = Path(config.output_dir)
        self.out.mkdir(parents=True, exist_ok=True)
        self.device = resolve_device(config.device)
        torch.manual_seed(config.seed)
        if model is None:
            model, tokenizer = load_policy(config, self.device)
        self.model, self.tokenizer = model.to(self.device), tokenizer
        self.codec = ChatCodec(tokenizer)
        self.params = [p for p in self.model.parameters() if p.requires_grad]
        self.optimizer = torch.optim.AdamW(self.params, lr=config.learning_rate, weight_decay=config.weight_decay)
        self.reference = ShadowPolicy(self.model) if config.beta > 0 else None
        self.teacher = (
            EmaTeacher(self.model, alpha=config.ema_alpha, every=config.ema_every) if config.algo == "tt-opd" else None
        )
        self.generator = torch.Generator(device=self.device).manual_seed(config.seed)
        self.envs = {
            name: [
                HealthGymEnv(
                    name,
                    config.split,
                    tier=config.tier,
                    max_turns=config.max_turns,
                    train_seed=config.seed,
                    task_ids=config.task_ids,
                    reward_weights=config.reward,
                )
                for _ in range(config.batch_size)
            ]
            for name in config.domains
        }
        kinds = kinds_by_domain(config.domains, config.kinds)
        self.kinds = kinds
        self.dev = (
            {d: dev_tasks(d, config.eval_tasks, kinds=kinds[d], tier=config.tier) for d in config.domains}
            if config.eval_every
            else {}
        )
        empty = [d for d, found in self.dev.items() if not found]
        if empty:
            raise ValueError(f"no dev tasks of kinds {config.kinds} and tier {config.tier} in {empty} to evaluate on")
        self.step_index = 0
        self.zero_std_ema = 1.0
        self.log = log
        if config.resume:
            self._resume()

    # -- rollouts ---------------------------------------------------------------------------------------------------

    def _group_reset(self, group: int) -> tuple[str, dict[str, Any]]:
        """The domain and reset arguments of one group: every episode of the group gets the same task."""
        cfg = self.config
        index = self.step_index * cfg.tasks_per_step + group
        domain = cfg.domains[index % len(cfg.domains)]
        if cfg.task_ids:
            return domain, {"options": {"task_id": cfg.task_ids[index % len(cfg.task_ids)]}}
        if cfg.split == "train" and (cfg.kinds or cfg.tier):
            task = draw_train_task(domain, cfg.seed, index, kinds=self.kinds[domain], tier=cfg.tier)
            return domain, {"options": {"task": task}}
        return domain, {"seed": zlib.crc32(f"{cfg.seed}|{index}".encode())}

    def rollout(self) -> list[Episode]:
        """This step's episodes, grouped (consecutive ``group_size`` episodes share a task); the episodes of each
        domain are generated together, one batched turn at a time."""
        cfg = self.config
        plan = [self._group_reset(group) for group in range(cfg.tasks_per_step)]
        episodes: list[Episode] = []
        self.model.eval()
        for domain in cfg.domains:
            groups = [g for g in range(cfg.tasks_per_step) for _ in range(cfg.group_size) if plan[g][0] == domain]
            if not groups:
                continue
            before = len(episodes)

            def on_turn(done: int, total: int, tokens: int, before: int = before) -> None:
                if self.progress is not None:
                    self.progress("rollout", before + done, cfg.batch_size, tokens)

            episodes += run_episodes(
                self.model,
                self.codec,
                self.envs[domain][: len(groups)],
                [plan[g][1] for g in groups],
                groups=groups,
                max_new_tokens=cfg.max_new_tokens,
                max_response_tokens=cfg.max_response_tokens,
                temperature=cfg.temperature,
                generator=self.generator,
                on_turn=on_turn,
            )
        return sorted(episodes, key=lambda e: e.group)

    # -- scoring ----------------------------------------------------------------------------------------------------

    def _logprobs(
        self,
        forward: Callable[..., Any],
        prompts: list[list[int]],
        episodes: list[Episode],
        width: int,
        needed: torch.Tensor,
    ) -> torch.Tensor:
        batch = pack(prompts, [e.response_ids for e in episodes], self.tokenizer.pad_token_id, self.device, width)
        return response_logprobs(forward, batch, self.config.temperature, needed)

    def distill_turn_ids(self, episodes: list[Episode], length: int) -> torch.Tensor:
        spans = [
            truncate_spans(e.turn_spans, first_turns=self.config.distill_turns, first_tokens=self.config.distill_tokens)
            for e in episodes
        ]
        return turn_ids(spans, length).to(self.device)

    # -- one step ---------------------------------------------------------------------------------------------------

    def step(self) -> dict[str, float]:
        """One rollout batch and its update; returns the step's metrics."""
        started = time.perf_counter()
        episodes = self.rollout()
        rolled = time.perf_counter()
        out = self.update(episodes)
        now = time.perf_counter()
        self.step_index += 1
        return out | {
            "step": float(self.step_index),
            "time/rollout_s": rolled - started,
            "time/update_s": now - rolled,
            "time/step_s": now - started,
        }

    def update(self, episodes: list[Episode]) -> dict[str, float]:
        """Advantages, reference and teacher scoring, ``mini_batches`` optimizer steps and the EMA step on one batch
        of grouped episodes; returns the batch's metrics."""
        cfg = self.config
        rewards = torch.tensor([e.reward for e in episodes], dtype=torch.float32)
        advantages = group_advantages(rewards, cfg.group_size, scale=cfg.scale_rewards).to(self.device)
        width = max(max(len(e.response_ids) for e in episodes), 1)
        mask = torch.zeros((len(episodes), width), device=self.device)
        old = torch.zeros_like(mask)
        for row, ep in enumerate(episodes):
            mask[row, : len(ep.response_mask)] = torch.tensor(ep.response_mask, dtype=torch.float32)
            old[row, : len(ep.logprobs)] = torch.tensor(ep.logprobs, dtype=torch.float32)
        prompts = [e.prompt_ids for e in episodes]
        ref = teacher = ids = None
        responses = [e.response_ids for e in episodes]
        # The no-gradient scorers run once per distinct prompt (a group shares its task) and stop at the last token
        # they score: the teacher after the last distilled turn.
        if self.reference is not None:
            ref = shared_prefix_logprobs(
                lambda **kw: self.reference.forward(self.model, **kw), prompts, responses, cfg.temperature, mask.bool()
            )
        lam = lambda_at(cfg, self.step_index, self.zero_std_ema)
        if self.teacher is not None:
            ids = self.distill_turn_ids(episodes, width)
            teacher = shared_prefix_logprobs(
                lambda **kw: self.teacher.forward(self.model, **kw),
                [teacher_prompt_ids(self.codec, e, cfg.privileged_mode) for e in episodes],
                responses,
                cfg.temperature,
                ids >= 0,
            )

        self.model.train()
        losses: list[dict[str, float]] = []
        grad_norms: list[float] = []
        size = len(episodes) // cfg.mini_batches
        for start in range(0, len(episodes), size):
            rows = slice(start, start + size)
            log_prob = self._logprobs(self.model, prompts[rows], episodes[rows], width, mask[rows].bool())
            common = {
                "clip_low": cfg.clip_low,
                "clip_high": cfg.clip_high,
                "beta": cfg.beta,
                "ref_log_prob": None if ref is None else ref[rows],
            }
            if teacher is None:
                loss, metrics = grpo_loss(log_prob, old[rows], advantages[rows], mask[rows], **common)
            else:
                metrics_turns = per_turn_kl(log_prob, teacher[rows], ids[rows])
                loss, metrics = tt_opd_loss(
                    log_prob,
                    old[rows],
                    advantages[rows],
                    mask[rows],
                    teacher[rows],
                    ids[rows],
                    lam=lam,
                    granularity=cfg.distill_granularity,
                    bidirectional=cfg.bidirectional,
                    **common,
                )
                metrics |= metrics_turns
            self.optimizer.zero_grad(set_to_none=True)
            loss.backward()
            grad_norms.append(float(torch.nn.utils.clip_grad_norm_(self.params, cfg.max_grad_norm)))
            self.optimizer.step()
            losses.append(metrics | {"loss": loss.item()})
            if self.progress is not None:
                self.progress("update", len(losses), cfg.mini_batches, 0)
        teacher_moved = self.teacher.step(self.model) if self.teacher is not None else False

        out = step_metrics(episodes, cfg.group_size)
        keys = dict.fromkeys(k for m in losses for k in m)  # a turn index can be absent from a mini-batch
        out |= {k: float(np.mean([m[k] for m in losses if k in m])) for k in keys}
        out["grad_norm"] = float(np.mean(grad_norms))
        self.zero_std_ema = 0.9 * self.zero_std_ema + 0.1 * out["group/zero_std_frac"]
        if self.teacher is not None:
            out |= {
                "lambda": lam,
                "teacher/updates": float(self.teacher.updates),
                "teacher/moved": float(teacher_moved),
                "teacher/ema_distance": self.teacher.distance(self.model),
            }
        if self.device.type == "cuda":
            out["memory/peak_gb"] = torch.cuda.max_memory_allocated(self.device) / 2**30
        return out

    # -- the loop, checkpoints --------------------------------------------------------------------------------------

    def evaluate_dev(self) -> dict[str, float]:
        """The greedy policy's scores on the run's dev tasks, as ``dev/<score>`` (empty when ``eval_every`` is 0)."""
        if not self.dev:
            return {}
        cfg = self.config
        scores = evaluate(
            self.model,
            self.tokenizer,
            self.dev,
            max_turns=cfg.max_turns,
            max_new_tokens=cfg.max_new_tokens,
            max_response_tokens=cfg.max_response_tokens,
        )
        return {f"dev/{k}": v for k, v in scores.items()}

    def train(self) -> list[dict[str, float]]:
        """Run to ``config.steps``, appending each step's metrics to ``metrics.jsonl`` (with the dev check every
        ``eval_every`` steps, and a step-0 line holding the check before any update); returns this call's lines."""
        cfg = self.config
        (self.out / "config.json").write_text(json.dumps(dataclasses.asdict(cfg), indent=2, default=str))
        history = []
        with (self.out / METRICS_FILE).open("a") as sink:
            if self.step_index == 0 and cfg.eval_every:
                start = {"step": 0.0} | self.evaluate_dev()
                sink.write(json.dumps(start) + "\n")
                history.append(start)
                if self.log is not None:
                    self.log(start)
            while self.step_index < cfg.steps:
                metrics = self.step()
                if cfg.eval_every and self.step_index % cfg.eval_every == 0:
                    metrics |= self.evaluate_dev()
                sink.write(json.dumps({k: _finite(v) for k, v in metrics.items()}) + "\n")
                sink.flush()
                history.append(metrics)
                if self.log is not None:
                    self.log(metrics)
                if cfg.save_every and self.step_index % cfg.save_every == 0:
                    self.save_checkpoint()
        self.save_checkpoint()
        final = self.out / "final"
        self.model.save_pretrained(final)
        self.tokenizer.save_pretrained(final)
        return history

    def save_checkpoint(self) -> Path:
        """Trainable weights, optimizer, teacher, reference, step and RNG states: everything resumption needs."""
        path = self.out / f"checkpoint-{self.step_index}"
        path.mkdir(parents=True, exist_ok=True)
        state = {
            "step": self.step_index,
            "zero_std_ema": self.zero_std_ema,
            "policy": {n: p.detach().cpu() for n, p in self.model.named_parameters() if p.requires_grad},
            "optimizer": self.optimizer.state_dict(),
            "teacher": self.teacher.state_dict() if self.teacher is not None else None,
            "reference": self.reference.state_dict() if self.reference is not None else None,
            "generator": self.generator.get_state(),
            "torch_rng": torch.get_rng_state(),
            "python_rng": random.getstate(),
        }
        torch.save(state, path / STATE_FILE)
        return path

    def _resume(self) -> None:
        checkpoints = sorted(
            self.out.glob(f"checkpoint-*/{STATE_FILE}"), key=lambda p: int(p.parent.name.split("-")[1])
        )
        if not checkpoints:  # nothing to resume: lines of an earlier attempt will be run again
            (self.out / METRICS_FILE).unlink(missing_ok=True)
            return
        state = torch.load(checkpoints[-1], map_location=self.device, weights_only=False)
        params = dict(self.model.named_parameters())
        with torch.no_grad():
            for name, value in state["policy"].items():
                params[name].copy_(value)
        self.optimizer.load_state_dict(state["optimizer"])
        if self.teacher is not None:
            self.teacher.load_state_dict(state["teacher"])
        if self.reference is not None:
            self.reference.load_state_dict(state["reference"])
        self.generator.set_state(state["generator"])
        torch.set_rng_state(state["torch_rng"])
        random.setstate(state["python_rng"])
        self.step_index, self.zero_std_ema = state["step"], state["zero_std_ema"]
        metrics = self.out / METRICS_FILE
        if metrics.exists():  # drop lines of steps after the checkpoint: they will be run again
            kept = [line for line in metrics.read_text().splitlines() if json.loads(line)["step"] <= self.step_index]
            metrics.write_text("".join(line + "\n" for line in kept))


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def train(
    config: TrainConfig,
    log: Callable[[dict[str, float]], None] | None = None,
    progress: ProgressHook | None = None,
) -> list[dict[str, float]]:
    """Train a policy as ``config`` says; returns the metrics of each step run."""
    return Trainer(config, log=log, progress=progress).train()
