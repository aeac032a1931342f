"""TT-OPD's update step time and peak memory relative to GRPO's, on the same batch.

    python -m bench.rl_step [--domain drug_interaction] [--model tiny|DIR] [--episodes 16] [--repeats 5]

The batch is the reference clinician's episodes of the first dev tasks, laid out token by token as rollouts lay
them out (multi-turn, tool results masked), with their log-probs under the initial policy. Both algorithms share the
model and run their full update on that batch (GRPO: policy forward and backward; TT-OPD: the same plus building the
privileged prompts, the teacher's forward on them, and the EMA step), interleaved, ``--repeats`` times each; the
median time is reported. Rollouts are the same for both algorithms and are not timed: the whole-step ratio lies
between 1 and the update ratio.

Memory: on CUDA the peak allocated during the update (weights, optimizer, teacher and activations); on CPU the same
sum, as the bytes of the persistent tensors (weights, optimizer moments, reference and teacher copies) plus the peak
resident set during the update above the resident set before it (Linux ``/proc/self/clear_refs``).
"""

from __future__ import annotations

import argparse
import copy
import statistics
import tempfile
import time
from pathlib import Path

import torch

from bench._report import write_report
from healthgym.mcp_servers.domain import tasks
from healthgym.mcp_servers.domains import get_domain
from healthgym.rl.config import TrainConfig
from healthgym.rl.env import HealthGymEnv
from healthgym.rl.rollout import pack, response_logprobs
from healthgym.rl.sft import reference_episodes
from healthgym.rl.trainer import Trainer, load_policy, resolve_device


def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def _state_mib(trainer: Trainer) -> float:
    """Persistent training state: weights, optimizer moments, and the reference's and teacher's weight copies."""
    tensors = [*trainer.model.parameters()]
    tensors += [t for state in trainer.optimizer.state.values() for t in state.values() if torch.is_tensor(t)]
    for shadow in (trainer.reference, trainer.teacher):
        tensors += [*shadow.weights.values()] if shadow is not None else []
    return sum(t.numel() * t.element_size() for t in tensors) / 2**20


def _update(trainer: Trainer, batch: list) -> tuple[float, float]:
    """Seconds of one update and its memory (MiB): on CUDA the peak allocated; on CPU the persistent state plus the
    peak resident set above the resident set before the update."""
    if trainer.device.type == "cuda":
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    else:
        Path("/proc/self/clear_refs").write_text("5")  # reset the peak RSS to the current RSS
        before = _rss_kib("VmRSS")
    start = time.perf_counter()
    trainer.update(batch)
    if trainer.device.type == "cuda":
        torch.cuda.synchronize()
        return time.perf_counter() - start, torch.cuda.max_memory_allocated() / 2**20
    seconds = time.perf_counter() - start
    return seconds, _state_mib(trainer) + (_rss_kib("VmHWM") - before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--domain", default="drug_interaction")
    parser.add_argument("--model", default="tiny")
    parser.add_argument("--episodes", type=int, default=16)
    parser.add_argument("--group-size", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--device", default="auto")
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="healthgym-bench-rl-"))
    base = {
        "model": args.model,
        "domains": [args.domain],
        "split": "dev",
        "tasks_per_step": args.episodes // args.group_size,
        "group_size": args.group_size,
        "device": args.device,
        "steps": 1,
        "max_turns": 8,
        "max_new_tokens": 96,
        "max_response_tokens": 2048,
    }
    grpo_cfg = TrainConfig(algo="grpo", output_dir=str(out / "grpo"), **base)
    device = resolve_device(args.device)
    model, tokenizer = load_policy(grpo_cfg, device)

    grpo = Trainer(grpo_cfg, model=model, tokenizer=tokenizer)
    spec = get_domain(args.domain)
    resets = [{"options": {"task_id": t.id}} for t in tasks(spec, "dev", args.episodes // args.group_size)]
    env = HealthGymEnv(args.domain, "dev", max_turns=40)
    batch = [copy.deepcopy(ep) for ep in reference_episodes(grpo.codec, env, resets) for _ in range(args.group_size)]
    for group, start in enumerate(range(0, len(batch), args.group_size)):
        for ep in batch[start : start + args.group_size]:
            ep.group = group
    packed = pack([e.prompt_ids for e in batch], [e.response_ids for e in batch], tokenizer.pad_token_id, device)
    with torch.no_grad():
        scored = response_logprobs(model, packed, 1.0).cpu()
    for row, ep in enumerate(batch):
        ep.logprobs = [
            lp * m for lp, m in zip(scored[row, : len(ep.response_ids)].tolist(), ep.response_mask, strict=True)
        ]
    ttopd = Trainer(
        TrainConfig(algo="tt-opd", output_dir=str(out / "tt-opd"), ema_every=1, **base),
        model=model,
        tokenizer=tokenizer,
    )
    trainers = {"grpo": grpo, "tt-opd": ttopd}
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in trainers}
    for trainer in trainers.values():
        trainer.update(batch)  # warm-up (allocator, kernels)
    for _ in range(args.repeats):  # interleaved, so that load on the machine hits both alike
        for name, trainer in trainers.items():
            samples[name].append(_update(trainer, batch))
    rows = [
        {
            "algo": name,
            "update_s": statistics.median(t for t, _ in runs),
            "memory_mib": max(m for _, m in runs),
            "state_mib": _state_mib(trainers[name]) if device.type == "cpu" else 0.0,
        }
        for name, runs in samples.items()
    ]
    grpo_row, ttopd_row = rows
    ratios = {
        "update_time_ratio": ttopd_row["update_s"] / grpo_row["update_s"],
        "memory_ratio": ttopd_row["memory_mib"] / grpo_row["memory_mib"],
    }
    tokens = sum(len(e.prompt_ids) + len(e.response_ids) for e in batch)
    params = sum(p.numel() for p in model.parameters())
    payload = {
        "domain": args.domain,
        "model": args.model,
        "device": str(device),
        "episodes": len(batch),
        "tokens_in_batch": tokens,
        "parameters": params,
        **ratios,
    }
    write_report(
        "rl_step",
        payload,
        rows,
        f"TT-OPD vs GRPO update on one batch ({len(batch)} episodes, {tokens} "
        f"tokens, {device}): time x{ratios['update_time_ratio']:.2f}, memory x{ratios['memory_ratio']:.2f}",
    )


if __name__ == "__main__":
    main()
