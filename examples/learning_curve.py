"""Learning you can see: a supervised warm start, then GRPO and TT-OPD from it, seed against seed, on dev.

1. ``healthgym sft`` in code: a small Qwen2 built here (byte-level BPE trained on the chosen tasks' own text, words
   tokenized alike in prose and in calls) first learns to copy (``--copy-warmup-steps`` of the induction task), then
   imitates the reference clinician on train-stream episodes of the chosen task kinds (``--sft-tier``, student and
   casefile views), with a greedy dev check every ``--sft-eval-every`` steps; it stops at the first check reaching
   the valid tool-call rate and each domain's band of the reference's dev accuracy (a *partial* policy: RL needs
   headroom). ``--sft-from DIR`` skips this step and starts RL from a ``healthgym sft`` checkpoint instead.
2. From that checkpoint, GRPO and TT-OPD (casefile teacher, λ 0.5, EMA α 0.9 every step; ``--ttopd-config``
   changes any of its TrainConfig fields), each with every seed of ``--seeds`` (same seeds for both), on the
   unassisted tier of the same kinds, with the greedy dev check every ``--eval-every`` steps.
3. ``summary.json``: per run the dev accuracy before and after; per algorithm the mean gain and the seed-to-seed
   spread of the final dev accuracy (issue 19: GRPO should gain more than that spread). ``learning_curve.png``:
   dev accuracy against step for every run; ``diagnostics.png``: every logged diagnostic (``healthgym plot``).

Every run directory is resumable: rerun the same command and finished parts are skipped, unfinished RL runs continue
from their last checkpoint. ``--device cuda`` runs the same recipe on one GPU (raise ``--hidden-size``,
``--layers``, ``--tasks-per-step`` there).

Run (CPU): ``python examples/learning_curve.py --out runs/learning_curve``. Measured on the 2-core machine
(2026-12-05), at one thread beside another warm start: the copy warm-up (7,000 steps), the tokenizer and 2,048
reference episodes a domain took 22-24 minutes before the first warm-start step; then 50 steps of 8 episodes
(hidden 128, 2 layers, 1.05M parameters) with their dev check took 190-240 s, so the 800 steps about 55 minutes.
With a GRPO and a TT-OPD run side by side at one thread each, an RL step of the defaults (2 tasks x 8 episodes) took
7-10 s on average, and a 50-step run with its six checks took 6.3-8.7 minutes. docs/rl.md ("What learning looks
like") has each round's commands and what they showed: the warm-start defaults here are the fifth round's, the RL
defaults the third round's.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from pathlib import Path

from healthgym.extras import missing_extra_message

try:
    import torch  # noqa: F401  (the rl extra's presence, reported in one line when absent)
except ModuleNotFoundError as err:
    raise SystemExit(f"error: {missing_extra_message(err) or err}") from None

from healthgym.rl.config import TrainConfig
from healthgym.rl.diagnostics import plot, read_metrics
from healthgym.rl.trainer import Trainer
from healthgym.rl.warmstart import SFT_FILE, SFTConfig, run_sft

TTOPD_DEFAULTS = {"privileged_mode": "casefile", "lam": 0.5, "ema_alpha": 0.9, "ema_every": 1}
"""The third round's TT-OPD settings (docs/rl.md): a casefile teacher, λ 0.5, EMA α 0.9 every step."""


def _csv(text: str) -> list[str]:
    return [x.strip() for x in text.split(",") if x.strip()]


def dev_accuracy(run: Path) -> tuple[float, float]:
    """(dev accuracy before the first update, at the last check) of a finished RL run."""
    checks = [m["dev/accuracy"] for m in read_metrics(run) if m.get("dev/accuracy") is not None]
    return checks[0], checks[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("runs/learning_curve"))
    parser.add_argument("--domains", default="drug_interaction,ehr_management")
    parser.add_argument(
        "--kinds",
        default="pregnancy_lactation,patient_lookup,age",
        help="short kinds: two or three tool calls whose arguments are copied from the task or a tool result",
    )
    parser.add_argument("--device", default="cpu", help="cpu, or cuda for one GPU")
    parser.add_argument("--seeds", default="0,1,2", help="RL seeds (tasks drawn, sampling); the same for both")
    parser.add_argument("--hidden-size", type=int, default=128)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--vocab-size", type=int, default=4096, help="the BPE's most tokens")
    parser.add_argument(
        "--sft-from", type=Path, help="start RL from this `healthgym sft` checkpoint instead of warm-starting here"
    )
    parser.add_argument("--sft-tasks", type=int, default=2048, help="reference episodes per domain")
    parser.add_argument("--sft-steps", type=int, default=800)
    parser.add_argument("--sft-batch-size", type=int, default=8)
    parser.add_argument("--sft-learning-rate", type=float, default=3e-3)
    parser.add_argument(
        "--sft-lr-scheduler", default="cosine", help="cosine: down to 0 at --sft-steps; or constant (SFTConfig)"
    )
    parser.add_argument(
        "--copy-warmup-steps", type=int, default=7000, help="induction-head steps before the warm start (0: none)"
    )
    parser.add_argument(
        "--sft-tier", default="unassisted", help="warm start and check on this tier ('both' for both), as RL trains"
    )
    parser.add_argument("--sft-eval-every", type=int, default=50)
    parser.add_argument("--sft-stop-tool-call-rate", type=float, default=0.9)
    parser.add_argument("--sft-stop-accuracy", type=float, default=0.2, help="fraction of the reference's")
    parser.add_argument("--sft-stop-accuracy-max", type=float, default=0.8, help="fraction of the reference's")
    parser.add_argument("--steps", type=int, default=50, help="RL steps per run")
    parser.add_argument("--eval-every", type=int, default=10)
    parser.add_argument("--eval-tasks", type=int, default=16, help="dev tasks per domain in each check")
    parser.add_argument("--tasks-per-step", type=int, default=2)
    parser.add_argument("--group-size", type=int, default=8)
    parser.add_argument("--max-turns", type=int, default=4)
    parser.add_argument("--max-new-tokens", type=int, default=64)
    parser.add_argument(
        "--learning-rate", type=float, default=2e-4, help="RL; at 1e-3 GRPO undid the warm start (docs/rl.md)"
    )
    parser.add_argument("--algos", default="grpo,tt-opd")
    parser.add_argument(
        "--ttopd-config",
        type=json.loads,
        default={},
        help=f"TrainConfig fields for TT-OPD, a JSON object laid over {json.dumps(TTOPD_DEFAULTS)}",
    )
    args = parser.parse_args()
    if not isinstance(args.ttopd_config, dict):
        parser.error("--ttopd-config takes a JSON object of TrainConfig fields")
    unknown = sorted(set(args.ttopd_config) - {f.name for f in dataclasses.fields(TrainConfig)})
    if unknown:
        parser.error(f"--ttopd-config: unknown TrainConfig fields {unknown}")
    ttopd = TTOPD_DEFAULTS | args.ttopd_config
    started = time.perf_counter()
    domains, kinds = _csv(args.domains), _csv(args.kinds) or None
    limits = {"max_turns": args.max_turns, "max_new_tokens": args.max_new_tokens, "max_response_tokens": 4096}

    sft_dir = args.sft_from or args.out / "sft"
    sft_file = sft_dir / SFT_FILE
    if args.sft_from and not sft_file.exists():
        raise SystemExit(f"error: --sft-from {sft_dir} holds no {SFT_FILE}: give a `healthgym sft` output directory")
    sft = json.loads(sft_file.read_text()) if sft_file.exists() else {}
    if args.sft_from or sft.get("seconds"):  # a given checkpoint is never trained further; ours is reused once done
        print(f"warm start: reusing {sft_dir}")
    else:
        sft = run_sft(
            SFTConfig(
                domains=domains,
                kinds=kinds,
                output_dir=str(sft_dir),
                device=args.device,
                hidden_size=args.hidden_size,
                layers=args.layers,
                vocab_size=args.vocab_size,
                tier=None if args.sft_tier == "both" else args.sft_tier,
                train_tasks=args.sft_tasks,
                steps=args.sft_steps,
                batch_size=args.sft_batch_size,
                learning_rate=args.sft_learning_rate,
                lr_scheduler_type=args.sft_lr_scheduler,
                copy_warmup_steps=args.copy_warmup_steps,
                eval_every=args.sft_eval_every,
                eval_tasks=args.eval_tasks,
                stop_tool_call_rate=args.sft_stop_tool_call_rate,
                stop_accuracy=args.sft_stop_accuracy,
                stop_accuracy_max=args.sft_stop_accuracy_max,
                **limits,
            ),
            log=lambda m: print(
                f"sft step {m['step']}: loss {m['sft/loss']:.3f} dev acc {m['dev/accuracy']:.3f} "
                f"tool-call rate {m['dev/tool_call_rate']:.3f} ({m['time/elapsed_s']:.0f}s)",
                flush=True,
            ),
        )
    print(f"warm start: {sft['criterion']}: {'met' if sft['criterion_met'] else 'NOT met'}", flush=True)

    runs: dict[str, list[Path]] = {}
    for seed in map(int, _csv(args.seeds)):  # seed-major: a cut-short run still has both algorithms side by side
        for algo in _csv(args.algos):
            run = args.out / f"{algo}-seed{seed}"
            runs.setdefault(algo, []).append(run)
            if (run / "final").exists():
                continue
            cfg = TrainConfig(
                algo=algo,
                model=str(sft_dir),
                domains=domains,
                kinds=kinds,
                tier="unassisted",
                steps=args.steps,
                output_dir=str(run),
                seed=seed,
                device=args.device,
                tasks_per_step=args.tasks_per_step,
                group_size=args.group_size,
                learning_rate=args.learning_rate,
                eval_every=args.eval_every,
                eval_tasks=args.eval_tasks,
                save_every=args.eval_every,
                resume=True,
                **(ttopd if algo == "tt-opd" else {}),
                **limits,
            )
            Trainer(
                cfg,
                log=lambda m, name=run.name: print(
                    f"{name} step {int(m['step'])}: "
                    + (f"reward {m['reward/mean']:.3f} " if "reward/mean" in m else "")
                    + (f"dev acc {m['dev/accuracy']:.3f}" if "dev/accuracy" in m else ""),
                    flush=True,
                ),
            ).train()

    summary: dict[str, object] = {"args": {k: str(v) for k, v in vars(args).items()}, "sft": sft}
    for algo, algo_runs in runs.items():
        pairs = [dev_accuracy(run) for run in algo_runs]
        finals = [after for _, after in pairs]
        gains = [after - before for before, after in pairs]
        summary[algo] = {
            "dev_accuracy": {run.name: {"before": b, "after": a} for run, (b, a) in zip(algo_runs, pairs, strict=True)},
            "mean_gain": sum(gains) / len(gains),
            "seed_spread": max(finals) - min(finals),
            "gain_exceeds_spread": sum(gains) / len(gains) > max(finals) - min(finals),
        }
        print(algo, json.dumps(summary[algo]))
    every = [run for algo_runs in runs.values() for run in algo_runs]
    plot(every, args.out / "learning_curve.png", panels=["dev accuracy (greedy, env grader)"])
    plot(every, args.out / "diagnostics.png", smooth=3)
    summary["seconds"] = time.perf_counter() - started
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2))
    print(f"wrote {args.out / 'summary.json'}, learning_curve.png, diagnostics.png in {summary['seconds']:.0f}s")


if __name__ == "__main__":
    main()
