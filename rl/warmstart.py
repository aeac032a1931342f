"""``healthgym sft``: supervised warm start of a policy on the reference clinician's train-stream episodes, stopped at a
stated dev criterion, saved where ``healthgym train --model DIR`` starts from.

RL needs a policy that already acts: a random one never writes a valid tool call, every group scores alike and GRPO
has no signal (docs/rl.md). The warm start imitates the reference clinician (each domain's rule-based solver, which
sees only the tools) on train tasks, optionally also as the TT-OPD teacher reads them (the casefile view, so the
teacher learns to use a case file), and checks the greedy policy on dev tasks every ``eval_every`` steps with the
env's own grader. It stops at the first check where the valid tool-call rate reaches ``stop_tool_call_rate`` and
every domain's dev accuracy lies between ``stop_accuracy`` and ``stop_accuracy_max`` of the reference clinician's on
the same tasks: issue 19's bar for a policy worth training (>= 90% valid tool calls; 20-80% of the reference in each
domain, so that RL has headroom).
"""

from __future__ import annotations

import dataclasses
import json
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any

import torch

from healthgym.rl.curriculum import dev_tasks, kinds_by_domain, train_tasks
from healthgym.rl.env import HealthGymEnv
from healthgym.rl.evaluate import evaluate
from healthgym.rl.rollout import ChatCodec, Episode
from healthgym.rl.sft import corpus, privileged_view, reference_chat, reference_episodes, sft_loss
from healthgym.schemas import Task, Tier

SFT_FILE = "sft.json"
METRICS_FILE = "metrics.jsonl"


@dataclass
class SFTConfig:
    r"""Configuration of [`run_sft`].

    model (`str`, defaults to `"tiny"`): a directory holding a transformers causal LM and tokenizer with a chat
        template, or `"tiny"`: a Qwen2 of `hidden_size` x `layers` built in code over a byte-level BPE of
        `vocab_size` trained on the chosen tasks' own text (tool schemas, prompts, tool results, reference calls).
    domains (`list[str]`), kinds (`list[str]`, optional): the tasks; each domain keeps the listed kinds it has
        (all its kinds when `kinds` is empty), and a domain with none of them is refused.
    tier (`str`, optional): train on one tier only (default both).
    train_tasks (`int`, defaults to 256): reference episodes per domain, from the train stream of `seed`.
    teacher_view (`bool`, defaults to True): also train on each episode as the TT-OPD teacher reads it (casefile).
    steps (`int`, defaults to 3000): the most optimizer steps; batch_size (8), learning_rate (2e-3 for tiny),
        reached by a linear warm-up over `warmup_steps` (50) so a model built from scratch does not diverge early,
        then held (`lr_scheduler_type="constant"`) or decayed to 0 at `steps` (`"cosine"`; see [`lr_factor`]).
    copy_warmup_steps (`int`, defaults to 7000): steps of [`copy_warmup`] (induction heads) before the first
        episode of a `tiny` model, 10-13 minutes on 2 cores; 0 skips it. A model directory never gets it.
    copy_alphabet_after (`int`, defaults to 3000): the copy warm-up's step from which half its spans are
        identifier-like (see [`copy_warmup`]); at or past `copy_warmup_steps`, never.
    eval_every (`int`, defaults to 100), eval_tasks (`int`, defaults to 32): greedy dev check every N steps on the
        first `eval_tasks` dev tasks of each domain (of `kinds`, in `tier` or both).
    stop_tool_call_rate (`float`, 0.9), stop_accuracy (`float`, 0.2), stop_accuracy_max (`float`, 0.8): stop at the
        first check where the valid tool-call rate reaches `stop_tool_call_rate` and each domain's accuracy, as a
        fraction of the reference clinician's on the same tasks, lies in [`stop_accuracy`, `stop_accuracy_max`]
        (1.0: up to the reference's own score). A policy past the band leaves RL little headroom, so training goes
        on to `steps` without stopping there; the summary says the criterion was not met.
    max_turns (6), max_new_tokens (96), max_response_tokens (2048): episode limits of the checks (set the same in
        `healthgym train`).
    tokenizer_id_samples (`int`, defaults to 20000): random case-id-like strings added to the tiny BPE's corpus so
        that it learns the id alphabet's pairs and unseen ids copy with less ambiguity (`rl.tiny.id_samples`).
    prompt_layout (`str`, defaults to `"task-only"`): the tiny model's chat template (`rl.tiny.PROMPT_LAYOUTS`):
        `"task-only"` leaves out the system policy and tool list the first observation already summarises, so a CPU
        step costs about a third; `"signatures"` keeps them. A model directory keeps its own template.
    """

    model: str = "tiny"
    domains: list[str] = field(default_factory=lambda: ["drug_interaction"])
    kinds: list[str] | None = None
    tier: Tier | None = None
    output_dir: str = "runs/sft"
    seed: int = 0
    device: str = "auto"

    vocab_size: int = 2048
    hidden_size: int = 128
    layers: int = 4
    heads: int = 4
    prompt_layout: str = "task-only"
    tokenizer_id_samples: int = 20000

    train_tasks: int = 256
    teacher_view: bool = True
    steps: int = 3000
    batch_size: int = 8
    learning_rate: float = 2e-3
    warmup_steps: int = 50
    lr_scheduler_type: str = "constant"
    copy_warmup_steps: int = 7000
    copy_alphabet_after: int = 3000

    eval_every: int = 100
    eval_tasks: int = 32
    stop_tool_call_rate: float = 0.9
    stop_accuracy: float = 0.2
    stop_accuracy_max: float = 0.8

    max_turns: int = 6
    max_new_tokens: int = 96
    max_response_tokens: int = 2048

    def __post_init__(self) -> None:
        if not self.domains:
            raise ValueError("domains must name at least one domain")
        if self.tier not in (None, "assisted", "unassisted"):
            raise ValueError(f"tier must be 'assisted', 'unassisted' or None, got {self.tier!r}")
        for name in ("train_tasks", "steps", "batch_size", "eval_every", "eval_tasks", "max_turns", "max_new_tokens"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")
        for name in ("warmup_steps", "copy_warmup_steps", "copy_alphabet_after", "tokenizer_id_samples"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0, got {getattr(self, name)}")
        for name in ("stop_tool_call_rate", "stop_accuracy", "stop_accuracy_max"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"{name} must be in [0, 1], got {getattr(self, name)}")
        if self.lr_scheduler_type not in ("constant", "cosine"):
            raise ValueError(f"lr_scheduler_type must be 'constant' or 'cosine', got {self.lr_scheduler_type!r}")
        if self.stop_accuracy > self.stop_accuracy_max:
            raise ValueError(f"stop_accuracy {self.stop_accuracy} is above stop_accuracy_max {self.stop_accuracy_max}")
        kinds_by_domain(self.domains, self.kinds)


def lr_factor(cfg: SFTConfig, step: int) -> float:
    """The learning rate at optimizer step ``step`` (from 0) as a fraction of ``cfg.learning_rate``: a linear warm-up
    over ``warmup_steps``, then constant, or under ``"cosine"`` a half cosine down to 0 at ``steps`` (the schedule of
    transformers' ``get_cosine_schedule_with_warmup``). A constant rate high enough to learn fast leaves the checks
    noisy at the end (docs/rl.md, third round); a decay settles the weights without a second run."""
    if step < cfg.warmup_steps:
        return (step + 1) / cfg.warmup_steps
    if cfg.lr_scheduler_type == "constant":
        return 1.0
    progress = (step - cfg.warmup_steps) / max(1, cfg.steps - cfg.warmup_steps)
    return 0.5 * (1.0 + math.cos(math.pi * min(1.0, progress)))


def reference_accuracy(tasks: dict[str, Sequence[Task]]) -> dict[str, float]:
    """The reference clinician's mean grader score on each domain's ``tasks``: the bar a policy's dev accuracy in that
    domain is measured against."""
    bars = {}
    for domain, domain_tasks in tasks.items():
        env = HealthGymEnv(domain, "dev")
        scores = []
        for task in domain_tasks:
            reference_chat(env, {"options": {"task": task}})
            assert env.trajectory is not None and env.trajectory.grade is not None
            scores.append(env.trajectory.grade.score)
        bars[domain] = sum(scores) / max(1, len(scores))
    return bars


def in_band(scores: dict[str, float], bars: dict[str, float], cfg: SFTConfig) -> bool:
    """Whether a dev check meets ``cfg``'s stopping criterion: valid tool-call rate over all dev turns, and each
    domain's accuracy within [stop_accuracy, stop_accuracy_max] of its reference score."""
    if scores["tool_call_rate"] < cfg.stop_tool_call_rate:
        return False
    return all(
        cfg.stop_accuracy * bar <= scores[f"{domain}/accuracy"] <= cfg.stop_accuracy_max * bar
        for domain, bar in bars.items()
    )


def initial_policy(cfg: SFTConfig, train: dict[str, list[Task]], device: torch.device) -> tuple[torch.nn.Module, Any]:
    """The model and tokenizer a warm start begins from: the directory ``cfg.model``, or for ``"tiny"`` a Qwen2 built
    from ``cfg.seed`` over a BPE of the first 64 ``train`` episodes of each domain."""
    if cfg.model != "tiny":
        from transformers import AutoModelForCausalLM

        from healthgym.rl.tiny import load_tokenizer

        path = Path(cfg.model)
        if not path.is_dir():
            raise FileNotFoundError(f"model {cfg.model!r} is neither 'tiny' nor a directory holding a model")
        tokenizer = load_tokenizer(path)
        if tokenizer.pad_token_id is None:
            tokenizer.pad_token = tokenizer.eos_token
        return AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32).to(device), tokenizer
    from healthgym.rl.tiny import build_model, build_tokenizer

    texts: list[str] = []
    for domain, domain_tasks in train.items():
        texts += corpus([HealthGymEnv(domain, "train")], [{"options": {"task": t}} for t in domain_tasks[:64]])
    tokenizer = build_tokenizer(
        texts, vocab_size=cfg.vocab_size, prompt_layout=cfg.prompt_layout, id_sample_count=cfg.tokenizer_id_samples
    )
    model = build_model(tokenizer, hidden_size=cfg.hidden_size, layers=cfg.layers, heads=cfg.heads, seed=cfg.seed)
    return model.to(device), tokenizer


def identifier_alphabet(tokenizer: Any) -> list[int]:
    """The tokens of one or two letters or digits: what a BPE of our text splits an unseen identifier into
    (``EHR-151HKHW9DRBRB`` -> ``15 1 H K H W9 DR BR B``, ``S3678831`` -> ``S3 6 78 8 31``)."""
    special = set(tokenizer.all_special_ids)
    return [
        i
        for i in range(len(tokenizer))
        if i not in special and (text := tokenizer.decode([i])).isascii() and text.isalnum() and len(text) <= 2
    ]


def copy_batch(
    pool: torch.Tensor, alphabet: torch.Tensor, batch_size: int, length: int, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """One batch of [`copy_warmup`]: rows of tokens from ``pool`` in which a span of 2-16 tokens from the first half
    recurs in the second (drawn from ``alphabet`` in every other row when it is not empty), and the mask of the
    recurrence's tokens after its first, the ones a copying model can predict."""
    ids = pool[torch.randint(len(pool), (batch_size, length), generator=generator)]
    mask = torch.zeros(batch_size, length)
    for row in range(batch_size):
        span = int(torch.randint(2, 17, (1,), generator=generator))
        start = int(torch.randint(0, length // 2 - span, (1,), generator=generator))
        copy = int(torch.randint(length // 2, length - span + 1, (1,), generator=generator))
        if len(alphabet) and row % 2:
            ids[row, start : start + span] = alphabet[torch.randint(len(alphabet), (span,), generator=generator)]
        ids[row, copy : copy + span] = ids[row, start : start + span]
        mask[row, copy + 1 : copy + span] = 1.0
    return ids, mask


def copy_warmup(
    model: torch.nn.Module,
    vocab: Sequence[int],
    steps: int,
    *,
    alphabet: Sequence[int] = (),
    alphabet_after: int = 0,
    learning_rate: float = 1e-3,
    batch_size: int = 16,
    length: int = 64,
    seed: int = 0,
) -> list[float]:
    """Train induction heads before the warm start: sequences of random tokens from ``vocab`` in which a span of
    2-16 tokens recurs, the loss on the recurrence after its first token. Every argument of a tool call (a drug name,
    a case id) is a copy of prompt tokens, and a model trained from scratch on a few hundred episodes memorises the
    frequent ones before it learns to copy. Induction heads form in a sudden phase change (Olsson et al. 2022,
    "In-context learning and induction heads"); for hidden 128 x 2 layers over a 4,096-token BPE, with spans of 2-12
    tokens, the loss sat at ln(vocab) for ~2,300 steps of 16 x 64 tokens at 1e-3, then fell from 7.9 to 0.1 by step
    3,000 (0.1 s a step on 2 cores).

    Spans of distinct tokens teach a head that continues from the previous match of the current token alone. An
    identifier repeats its tokens (``H`` twice in ``151HKHW9DRBRB``), and such a head jumps to the wrong ``H`` and
    cuts the copy short. So from step ``alphabet_after`` on, every other row draws its span from ``alphabet`` (see
    [`identifier_alphabet`]), where tokens repeat and only a longer match continues the copy. Before the heads have
    formed, those rows stall the phase change. ``python -m bench.copy_warmup`` (7,000 steps, 200 unseen case ids and
    MRNs, greedy): exact copies 26% with distinct spans only, 0% with alphabet rows from the first step (loss still
    1.27), 48.5% with them from step 3,000. Returns the loss of each step."""
    device = next(model.parameters()).device
    generator = torch.Generator().manual_seed(seed)
    pool, short = torch.tensor(list(vocab)), torch.tensor(list(alphabet), dtype=torch.long)
    losses: list[float] = []
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=learning_rate)
    model.train()
    for step in range(steps):
        ids, mask = copy_batch(pool, short if step >= alphabet_after else short[:0], batch_size, length, generator)
        ids, mask = ids.to(device), mask.to(device)
        logits = model(input_ids=ids).logits[:, :-1]
        nll = torch.nn.functional.cross_entropy(logits.transpose(1, 2), ids[:, 1:], reduction="none")
        loss = (nll * mask[:, 1:]).sum() / mask[:, 1:].sum()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        losses.append(loss.item())
    return losses


def run_sft(cfg: SFTConfig, log: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """Warm-start a policy as ``cfg`` says and save it (model, tokenizer, ``sft.json``, ``metrics.jsonl``) in
    ``cfg.output_dir``; returns the summary written to ``sft.json``. ``log`` gets each check's line."""
    from healthgym.rl.trainer import resolve_device

    started = time.perf_counter()
    device = resolve_device(cfg.device)
    torch.manual_seed(cfg.seed)
    out = Path(cfg.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    kinds = kinds_by_domain(cfg.domains, cfg.kinds)
    train = {
        d: list(islice(train_tasks(d, cfg.seed, kinds=kinds[d], tier=cfg.tier), cfg.train_tasks)) for d in cfg.domains
    }
    dev = {d: dev_tasks(d, cfg.eval_tasks, kinds=kinds[d], tier=cfg.tier) for d in cfg.domains}
    bars = reference_accuracy(dev)
    model, tokenizer = initial_policy(cfg, train, device)
    codec = ChatCodec(tokenizer)
    special = set(tokenizer.all_special_ids)
    copy_losses = (
        copy_warmup(
            model,
            [i for i in range(len(tokenizer)) if i not in special],
            cfg.copy_warmup_steps,
            alphabet=identifier_alphabet(tokenizer),
            alphabet_after=cfg.copy_alphabet_after,
            seed=cfg.seed,
        )
        if cfg.model == "tiny"
        else []
    )
    data: list[Episode] = []
    for domain, domain_tasks in train.items():
        resets = [{"options": {"task": t}} for t in domain_tasks]
        episodes = reference_episodes(codec, HealthGymEnv(domain, "train"), resets)
        data += episodes + ([privileged_view(codec, e, "casefile") for e in episodes] if cfg.teacher_view else [])
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=cfg.learning_rate)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, partial(lr_factor, cfg))
    rng = random.Random(cfg.seed)
    summary: dict[str, Any] = {
        "config": dataclasses.asdict(cfg),
        "parameters": sum(p.numel() for p in model.parameters()),
        "train_episodes": len(data),
        "reference_accuracy": bars,
        "copy_warmup_loss": {"first": copy_losses[0], "last": copy_losses[-1]} if copy_losses else None,
        "criterion": f"greedy dev tool_call_rate >= {cfg.stop_tool_call_rate} and each domain's accuracy in "
        f"[{cfg.stop_accuracy}, {cfg.stop_accuracy_max}] x its reference score",
        "criterion_met": False,
    }
    losses: list[float] = []
    order: list[int] = []
    model.train()
    with (out / METRICS_FILE).open("w") as sink:
        for step in range(1, cfg.steps + 1):
            if len(order) < cfg.batch_size:
                order += rng.sample(range(len(data)), len(data))
            chunk, order = [data[i] for i in order[: cfg.batch_size]], order[cfg.batch_size :]
            loss = sft_loss(model, codec, chunk)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            schedule.step()
            losses.append(loss.item())
            if step % cfg.eval_every and step != cfg.steps:
                continue
            scores = evaluate(
                model,
                tokenizer,
                dev,
                max_turns=cfg.max_turns,
                max_new_tokens=cfg.max_new_tokens,
                max_response_tokens=cfg.max_response_tokens,
            )
            line = {
                "step": step,
                "sft/loss": sum(losses) / len(losses),
                "time/elapsed_s": time.perf_counter() - started,
            } | {f"dev/{k}": v for k, v in scores.items()}
            losses = []
            sink.write(json.dumps(line) + "\n")
            sink.flush()
            model.save_pretrained(out)
            tokenizer.save_pretrained(out)
            if log is not None:
                log(line)
            met = in_band(scores, bars, cfg)
            summary |= {"steps_run": step, "final": line, "criterion_met": met}
            (out / SFT_FILE).write_text(json.dumps(summary | {"seconds": time.perf_counter() - started}, indent=2))
            if met:
                break
    summary["seconds"] = time.perf_counter() - started
    (out / SFT_FILE).write_text(json.dumps(summary, indent=2))
    return summary
