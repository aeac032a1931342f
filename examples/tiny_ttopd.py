"""GRPO and TT-OPD on CPU with a tiny model, from the same supervised warm start, on one domain.

1. Build a tokenizer (byte-level BPE on the domain's own text) and a tiny Qwen2 in code; nothing is downloaded.
2. Warm-start it by supervised training on the reference clinician's episodes of the first ``--sft-tasks`` dev tasks,
   as the student sees them and as the TT-OPD teacher sees them (``casefile`` context), so that the teacher can read
   a case file: a tiny model was never pretrained to.
3. Train two copies for ``--steps`` steps each, one with GRPO and one with TT-OPD, on the dev split.
4. Score the warm start and both results on held-out test tasks (sampled at T=1), plot both runs' dynamics into one
   PNG and write ``summary.json``.

Run: ``nice -n 10 python examples/tiny_ttopd.py --out runs/tiny_ttopd`` (``--reuse-warm`` skips step 2 when an
earlier run saved ``OUT/warm``). Every RL step prints its time. On this project's 2-core machine, shared with other
jobs, an RL step of 8 episodes takes from tens of seconds to about two minutes depending on the load, so the default
20 + 20 steps take tens of minutes; the run reported in docs/rl.md (12 + 12 steps, 8 held-out tasks) took 1,102 s
in all. Needs the ``rl`` extra (``pip install torch==2.13.0 && pip install "healthgym[rl]"``).
"""

from __future__ import annotations

import argparse
import copy
import json
import time
from pathlib import Path

from healthgym.extras import missing_extra_message

try:
    import torch
    from transformers import AutoModelForCausalLM
except ModuleNotFoundError as err:  # the rl extra is not installed: say which, in one line
    raise SystemExit(f"error: {missing_extra_message(err) or err}") from None

from healthgym.mcp_servers.domain import tasks
from healthgym.mcp_servers.domains import get_domain
from healthgym.rl.config import TrainConfig
from healthgym.rl.diagnostics import plot
from healthgym.rl.env import HealthGymEnv
from healthgym.rl.rollout import ChatCodec, run_episodes
from healthgym.rl.sft import privileged_view, reference_episodes, supervised_warm_start
from healthgym.rl.tiny import load_tokenizer, tiny_policy
from healthgym.rl.trainer import Trainer


def evaluate(model, tokenizer, domain: str, task_ids: list[str], *, samples: int, cfg: TrainConfig) -> dict[str, float]:
    """Mean reward, accuracy and full-credit rate over ``samples`` episodes of each held-out task (fixed draws)."""
    codec = ChatCodec(tokenizer)
    n = len(task_ids) * samples
    envs = [HealthGymEnv(domain, "test", max_turns=cfg.max_turns, task_ids=task_ids) for _ in range(n)]
    resets = [{"options": {"task_id": t}} for t in task_ids for _ in range(samples)]
    episodes = run_episodes(
        model,
        codec,
        envs,
        resets,
        groups=[0] * n,
        max_new_tokens=cfg.max_new_tokens,
        max_response_tokens=cfg.max_response_tokens,
        temperature=1.0,
        generator=torch.Generator().manual_seed(99),
    )
    grades = [e.trajectory.grade for e in episodes]
    return {
        "reward": sum(e.reward for e in episodes) / n,
        "accuracy": sum(g.score for g in grades if g) / n,
        "correct": sum(bool(g and g.correct) for g in grades) / n,
        "tool_calls": sum(len(e.trajectory.tool_calls) for e in episodes) / n,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--domain", default="drug_interaction")
    parser.add_argument("--out", type=Path, default=Path("runs/tiny_ttopd"))
    parser.add_argument("--sft-tasks", type=int, default=48)
    parser.add_argument("--sft-epochs", type=int, default=4)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--eval-tasks", type=int, default=16)
    parser.add_argument("--eval-samples", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reuse-warm", action="store_true", help="start from OUT/warm if an earlier run saved it")
    args = parser.parse_args()
    started = time.perf_counter()
    torch.manual_seed(args.seed)
    spec = get_domain(args.domain)

    warm_dir = args.out / "warm"
    if args.reuse_warm and (warm_dir / "config.json").exists():
        model, tokenizer = AutoModelForCausalLM.from_pretrained(warm_dir), load_tokenizer(warm_dir)
        losses = json.loads((warm_dir / "sft_loss.json").read_text())
    else:
        model, tokenizer = tiny_policy(
            [args.domain], seed=args.seed, corpus_tasks=64, vocab_size=2048, hidden_size=64, heads=2
        )
        codec = ChatCodec(tokenizer)
        reference = reference_episodes(
            codec,
            HealthGymEnv(args.domain, "dev"),
            [{"options": {"task_id": t.id}} for t in tasks(spec, "dev", args.sft_tasks)],
        )
        data = reference + [privileged_view(codec, ep, "casefile") for ep in reference]
        losses = supervised_warm_start(
            model, codec, data, epochs=args.sft_epochs, batch_size=8, learning_rate=3e-3, seed=args.seed
        )
        model.save_pretrained(warm_dir)
        tokenizer.save_pretrained(warm_dir)
        (warm_dir / "sft_loss.json").write_text(json.dumps(losses))
    warm = copy.deepcopy(model.state_dict())
    print(f"warm start: SFT loss {losses[0]:.2f} -> {losses[-1]:.2f}, {time.perf_counter() - started:.0f}s")

    base = {
        "domains": [args.domain],
        "split": "dev",
        "steps": args.steps,
        "seed": args.seed,
        "tasks_per_step": 2,
        "group_size": 4,
        "max_turns": 4,
        "max_new_tokens": 96,
        "max_response_tokens": 1024,
        "learning_rate": 1e-4,
        "beta": 0.01,
        "mini_batches": 2,
    }
    configs = {
        "grpo": TrainConfig(algo="grpo", output_dir=str(args.out / "grpo"), **base),
        "tt-opd": TrainConfig(
            algo="tt-opd",
            output_dir=str(args.out / "tt-opd"),
            privileged_mode="casefile",
            lam=0.5,
            ema_alpha=0.9,
            ema_every=1,
            **base,
        ),
    }
    held_out = [t.id for t in tasks(spec, "test", args.eval_tasks)]
    summary: dict[str, object] = {
        "args": {k: str(v) for k, v in vars(args).items()},
        "sft_loss": [losses[0], losses[-1]],
    }
    model.load_state_dict(warm)
    summary["warm_start"] = evaluate(
        model, tokenizer, args.domain, held_out, samples=args.eval_samples, cfg=configs["grpo"]
    )
    print("warm start held-out:", summary["warm_start"])
    for name, cfg in configs.items():
        model.load_state_dict(warm)
        t0 = time.perf_counter()
        history = Trainer(
            cfg,
            model=model,
            tokenizer=tokenizer,
            log=lambda m, n=name: print(
                f"{n} step {int(m['step'])}: reward {m['reward/mean']:.3f} "
                f"len {m['length/mean']:.0f} {m['time/step_s']:.1f}s"
            ),
        ).train()
        first, last = history[: max(1, len(history) // 5)], history[-max(1, len(history) // 5) :]
        keys = (
            "reward/mean",
            "accuracy",
            "length/mean",
            "length/p95",
            "policy/entropy",
            "group/zero_std_frac",
            "episode/tool_calls",
            "episode/invalid_tool_rate",
            "distill/kl",
        )
        summary[name] = {
            "train_seconds": time.perf_counter() - t0,
            "first_fifth": {k: sum(m.get(k, 0.0) for m in first) / len(first) for k in keys},
            "last_fifth": {k: sum(m.get(k, 0.0) for m in last) / len(last) for k in keys},
            "held_out": evaluate(model, tokenizer, args.domain, held_out, samples=args.eval_samples, cfg=cfg),
        }
        print(name, "held-out:", summary[name]["held_out"])
    plot([args.out / "grpo", args.out / "tt-opd"], args.out / "curves.png", smooth=5)
    summary["total_seconds"] = time.perf_counter() - started
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2))
    print(f"wrote {args.out / 'curves.png'} and {args.out / 'summary.json'} in {summary['total_seconds']:.0f}s")


if __name__ == "__main__":
    main()
