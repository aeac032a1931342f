"""TT-OPD's update step time and peak memory relative to GRPO's, on the same batch.

    python -m bench.rl_step [--domain drug_interaction] [--model tiny|DIR] [--episodes 16] [--repeats 5]

The batch is the reference clinician's episodes of the first dev tasks, laid out token by token as rollouts lay
them out (multi-turn, tool results masked), with their log-probs under the initial policy. Each algorithm starts from
the same weights and runs its full update on that batch (GRPO: policy forward and backward; TT-OPD: the same plus
building the privileged prompts, the teacher's forward on them, and the EMA step) ``--repeats`` times; the median is
reported. Rollout time is the same for both algorithms and is measured once, for the whole-step ratio.

Memory: on CUDA the peak allocated during the update; on CPU the peak resident set during the update above the
resident set before it (Linux ``/proc/self/clear_refs``), plus the teacher's persistent weight copy.
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
from healthgym.rl.trainer import Trainer, load_policy


def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def _measure(trainer: Trainer, batch: list, repeats: int) -> tuple[float, float]:
    """Median update seconds and peak memory (MiB) over ``repeats`` updates."""
    times, peaks = [], []
    for _ in range(repeats):
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
            peaks.append(torch.cuda.max_memory_allocated() / 2**20)
        else:
            peaks.append((_rss_kib("VmHWM") - before) / 1024)
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(peaks)


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
    device = torch.device(
        "cuda"
        if args.device == "auto" and torch.cuda.is_available()
        else "cpu"
        if args.device == "auto"
        else args.device
    )
    model, tokenizer = load_policy(grpo_cfg, device)
    initial = copy.deepcopy(model.state_dict())

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
    start = time.perf_counter()
    grpo.rollout()
    rollout_s = time.perf_counter() - start

    rows = []
    for algo in ("grpo", "tt-opd"):
        model.load_state_dict(initial)
        cfg = (
            grpo_cfg if algo == "grpo" else TrainConfig(algo="tt-opd", output_dir=str(out / algo), ema_every=1, **base)
        )
        trainer = grpo if algo == "grpo" else Trainer(cfg, model=model, tokenizer=tokenizer)
        trainer.update(batch)  # warm-up (allocator, kernels)
        seconds, peak = _measure(trainer, batch, args.repeats)
        teacher_mib = (
            sum(w.numel() * w.element_size() for w in trainer.teacher.weights.values()) / 2**20
            if trainer.teacher is not None
            else 0.0
        )
        rows.append({"algo": algo, "update_s": seconds, "peak_mib": peak, "teacher_weights_mib": teacher_mib})
    grpo_row, ttopd_row = rows
    ratios = {
        "update_time_ratio": ttopd_row["update_s"] / grpo_row["update_s"],
        "step_time_ratio": (rollout_s + ttopd_row["update_s"]) / (rollout_s + grpo_row["update_s"]),
        "peak_memory_ratio": (ttopd_row["peak_mib"] + ttopd_row["teacher_weights_mib"])
        / max(grpo_row["peak_mib"], 1e-9),
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
        "rollout_s": rollout_s,
        **ratios,
    }
    write_report(
        "rl_step",
        payload,
        rows,
        f"TT-OPD vs GRPO update on one batch ({len(batch)} episodes, {tokens} "
        f"tokens, {device}): time x{ratios['update_time_ratio']:.2f}, memory x{ratios['peak_memory_ratio']:.2f}",
    )


if __name__ == "__main__":
    main()
