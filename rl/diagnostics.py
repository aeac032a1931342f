"""Training diagnostics: the metrics of one step's episodes, and the plot of one or several runs' dynamics.

Collapse shows up here before it shows in the reward: response length running to the budget (``length/clipped_ratio``)
or to nothing, entropy falling to zero (``policy/entropy``), groups whose episodes all score alike
(``group/zero_std_frac``: no GRPO signal), tool calls per episode dropping to the submit call alone.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # plotting needs matplotlib only, not torch
    from healthgym.rl.rollout import Episode
    from healthgym.schemas import Trajectory

COMPONENTS = ("accuracy", "format", "process", "safety", "efficiency")

PANELS: list[tuple[str, list[str]]] = [
    ("reward", ["reward/mean"]),
    ("reward components", [f"reward/{c}" for c in COMPONENTS]),
    ("accuracy (grader score)", ["accuracy"]),
    ("dev accuracy (greedy, env grader)", ["dev/accuracy", "dev/correct"]),
    ("turns: valid tool call / none", ["turns/tool_call_rate", "turns/toolless_turn_rate"]),
    ("dev turns: valid tool call / none", ["dev/tool_call_rate", "dev/toolless_turn_rate"]),
    ("response tokens (generated)", ["length/mean", "length/p95"]),
    ("clipping", ["clip_ratio", "length/clipped_ratio", "distill/clip_ratio"]),
    ("per episode", ["episode/turns", "episode/tool_calls"]),
    ("invalid tool rate", ["episode/invalid_tool_rate"]),
    ("per-group reward std", ["group/reward_std", "group/zero_std_frac"]),
    ("policy entropy (sampled NLL)", ["policy/entropy"]),
    ("distillation KL, λ", ["distill/kl", "lambda"]),
    ("teacher-student KL per turn", [f"distill/kl_turn{k}" for k in range(1, 5)]),
    ("EMA teacher distance (relative L2)", ["teacher/ema_distance"]),
    ("SFT loss", ["sft/loss"]),
    ("grad norm", ["grad_norm"]),
    ("step time (s)", ["time/rollout_s", "time/update_s"]),
]
"""What `plot` draws: one panel per entry, each with the listed metric keys."""


def turn_rates(trajectories: Sequence[Trajectory]) -> dict[str, float]:
    """Share of turns with a valid tool call (at least one call, every call accepted), and of turns with none parsed
    (prose, or a call too malformed to read: the tool-less turns whose spread is the multi-turn collapse TT-OPD is
    meant to prevent)."""
    turns = [t for traj in trajectories for t in traj.turns]
    if not turns:
        return {"tool_call_rate": 0.0, "toolless_turn_rate": 0.0}
    valid = [bool(t.tool_calls) and not any(r.is_error for r in t.tool_results) for t in turns]
    return {
        "tool_call_rate": float(np.mean(valid)),
        "toolless_turn_rate": float(np.mean([not t.tool_calls for t in turns])),
    }


def step_metrics(episodes: Sequence[Episode], group_size: int) -> dict[str, float]:
    """Rewards and their components, accuracy, response length (mean, p95, share clipped at the budget), turns,
    tool calls and invalid tool rate per episode, valid tool-call and tool-less turn rates, per-group reward std,
    and the sampled-token entropy estimate."""
    rewards = np.array([e.reward for e in episodes])
    generated = np.array([sum(e.response_mask) for e in episodes])
    out = {
        "reward/mean": float(rewards.mean()),
        "reward/std": float(rewards.std()),
        "length/mean": float(generated.mean()),
        "length/p95": float(np.percentile(generated, 95)),
        "length/response_mean": float(np.mean([len(e.response_ids) for e in episodes])),
        "length/clipped_ratio": float(np.mean([e.budget_truncated for e in episodes])),
        "episode/truncated": float(np.mean([e.trajectory.truncated for e in episodes])),
    }
    for name in COMPONENTS:
        out[f"reward/{name}"] = float(
            np.mean([getattr(e.trajectory.reward, name) if e.trajectory.reward else 0.0 for e in episodes])
        )
    grades = [e.trajectory.grade for e in episodes]
    out["accuracy"] = float(np.mean([g.score if g else 0.0 for g in grades]))
    out["correct"] = float(np.mean([bool(g and g.correct) for g in grades]))
    effort = [e.trajectory.effort() for e in episodes]
    parse_errors = [sum(t.parse_error is not None for t in e.trajectory.turns) for e in episodes]
    out["episode/turns"] = float(np.mean([f["turns"] for f in effort]))
    out["episode/tool_calls"] = float(np.mean([f["tool_calls"] for f in effort]))
    attempts = sum(f["tool_calls"] for f in effort) + sum(parse_errors)
    out["episode/invalid_tool_rate"] = float(sum(f["invalid_calls"] for f in effort) / max(1, attempts))
    out |= {f"turns/{k}": v for k, v in turn_rates([e.trajectory for e in episodes]).items()}
    groups = rewards.reshape(-1, group_size)
    stds = groups.std(axis=1, ddof=1)
    out["group/reward_std"] = float(stds.mean())
    out["group/zero_std_frac"] = float(np.mean(stds < 1e-6))
    nll = [-lp for e in episodes for lp, m in zip(e.logprobs, e.response_mask, strict=True) if m]
    out["policy/entropy"] = float(np.mean(nll)) if nll else 0.0
    return out


def read_metrics(run: Path) -> list[dict[str, float]]:
    """The metric lines of a run directory (or of a metrics.jsonl file)."""
    path = run / "metrics.jsonl" if run.is_dir() else run
    if not path.exists():
        raise FileNotFoundError(f"no metrics at {path}; pass a run directory written by `healthgym train`")
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _points(lines: list[dict[str, float]], key: str) -> list[tuple[float, float]]:
    return [(m["step"], m[key]) for m in lines if m.get(key) is not None]


def _read_runs(runs: Sequence[Path | str]) -> dict[str, list[dict[str, float]]]:
    return {Path(r).name or str(r): read_metrics(Path(r)) for r in runs}


def gaps(runs: Sequence[Path | str]) -> list[str]:
    """What a plot of ``runs`` lacks, one sentence each: runs too short to draw a curve, panels no run has data for
    (TT-OPD's KL and λ in a GRPO run, for instance)."""
    data = _read_runs(runs)
    notes = [
        f"{name} has {len(lines)} step{'s' if len(lines) != 1 else ''}: its panels show points, a curve needs 2 or "
        "more steps"
        for name, lines in data.items()
        if len(lines) < 2
    ]
    empty = [title for title, keys in PANELS if not any(_points(lines, k) for lines in data.values() for k in keys)]
    if empty:
        notes.append(f"left out, no run logged them: {'; '.join(empty)}")
    return notes


def plot(runs: Sequence[Path | str], out: Path | str, *, smooth: int = 1, panels: Sequence[str] | None = None) -> Path:
    """Draw the training dynamics of one or several runs into one PNG (one panel per diagnostic that some run
    logged, one colour per run); ``smooth`` > 1 overlays a trailing moving average; ``panels`` keeps only the
    panels of these titles (see ``PANELS``). See :func:`gaps` for what is left out."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    data = _read_runs(runs)
    unknown = sorted(set(panels or ()) - {t for t, _ in PANELS})
    if unknown:
        raise ValueError(f"no panel titled {unknown}; panels: {'; '.join(t for t, _ in PANELS)}")
    drawn = [
        (t, keys)
        for t, keys in PANELS
        if (not panels or t in panels) and any(_points(lines, k) for lines in data.values() for k in keys)
    ]
    if not drawn:
        raise ValueError(f"no metrics to plot in {', '.join(map(str, runs))}: the runs have no finished step")
    cols = min(4, len(drawn))
    rows = -(-len(drawn) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.0 * rows), squeeze=False)
    styles = ["-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1))]
    for ax, (title, keys) in zip(axes.flat, drawn, strict=False):
        for colour, (name, lines) in enumerate(data.items()):
            for style, key in zip(styles, keys, strict=False):
                points = _points(lines, key)
                if not points:
                    continue
                x, y = np.array(points).T
                label = f"{name}: {key}" if len(keys) > 1 else name
                if smooth > 1 and len(y) >= smooth:
                    ax.plot(x, y, linestyle=style, color=f"C{colour}", alpha=0.3)
                    y = np.convolve(y, np.ones(smooth) / smooth, mode="full")[: len(y)] * (
                        smooth / np.minimum(np.arange(1, len(y) + 1), smooth)
                    )
                ax.plot(x, y, linestyle=style, color=f"C{colour}", label=label, marker="o" if len(y) < 2 else None)
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("step", fontsize=8)
        ax.tick_params(labelsize=7)
        if ax.lines:
            ax.legend(fontsize=6)
    for ax in axes.flat[len(drawn) :]:
        ax.axis("off")
    fig.tight_layout()
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(target, dpi=110)
    plt.close(fig)
    return target
