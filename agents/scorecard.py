"""Scorecards from finished trajectories, one row per domain and task tier: accuracy, reward, safety events, errors;
the compact table fits 80 columns, the wide one adds every reward component, effort and time; charts.

Safety is reported as what it is, a penalty: the count of unsafe acts the reward found (each one named in the
trajectory's ``reward.safety_events``), not a mean of a term that is 0 when nothing went wrong.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from statistics import fmean

from pydantic import BaseModel, Field
from rich import box
from rich.console import Console
from rich.table import Table

from healthgym.schemas import Trajectory

ALL_TIERS = "all"
"""The tier shown for episodes whose trajectories carry none."""


class DomainScore(BaseModel):
    """Aggregates over the episodes of one domain and tier."""

    domain: str
    tier: str = Field(default=ALL_TIERS, description="Task tier of these episodes, or 'all' when the data has none.")
    episodes: int
    accuracy: float = Field(description="Fraction of episodes graded fully correct.")
    mean_score: float = Field(description="Mean grader score (partial credit included).")
    reward: dict[str, float] = Field(description="Mean of each reward component and the total.")
    safety_events: int = Field(default=0, description="Unsafe acts found over all episodes (each one penalised).")
    turns: float
    tool_calls: float
    invalid_calls: float
    truncated: float = Field(description="Fraction of episodes cut at max_turns.")
    errors: int = Field(description="Episodes ended by a model or tool failure.")
    tokens: float = Field(default=0.0, description="Mean model tokens (prompt + completion) per episode.")
    wall_s: float = Field(default=0.0, description="Wall time of these episodes, seconds (summed per episode).")


def trajectory_tier(trajectory: Trajectory) -> str:
    """The task tier a trajectory records, or ``all`` for trajectories written before tiers existed."""
    return getattr(trajectory, "tier", None) or ALL_TIERS


def score_domains(trajectories: Iterable[Trajectory]) -> list[DomainScore]:
    """Aggregate per domain and tier; wall time is the sum of each episode's ``metrics["wall_s"]``."""
    groups: dict[tuple[str, str], list[Trajectory]] = defaultdict(list)
    for traj in trajectories:
        groups[traj.domain, trajectory_tier(traj)].append(traj)
    scores = []
    for (domain, tier), trajs in sorted(groups.items()):
        rewards = [t.reward for t in trajs if t.reward is not None]
        components = ("accuracy", "format", "process", "safety", "efficiency", "total")
        scores.append(
            DomainScore(
                domain=domain,
                tier=tier,
                episodes=len(trajs),
                accuracy=fmean(1.0 if t.grade and t.grade.correct else 0.0 for t in trajs),
                mean_score=fmean(t.grade.score if t.grade else 0.0 for t in trajs),
                reward={c: fmean(getattr(r, c) for r in rewards) if rewards else 0.0 for c in components},
                safety_events=sum(len(r.safety_events) for r in rewards),
                turns=fmean(t.metrics.get("turns", len(t.turns)) for t in trajs),
                tool_calls=fmean(t.metrics.get("tool_calls", 0.0) for t in trajs),
                invalid_calls=fmean(t.metrics.get("invalid_calls", 0.0) for t in trajs),
                truncated=fmean(1.0 if t.truncated else 0.0 for t in trajs),
                errors=sum(t.error is not None for t in trajs),
                tokens=fmean(t.metrics.get("tokens", 0.0) for t in trajs),
                wall_s=sum(t.metrics.get("wall_s", 0.0) for t in trajs),
            )
        )
    return scores


def wide_console() -> Console:
    """A stdout console for the wide tables: 200 columns, whatever the terminal (pipe it to ``less -S``)."""
    return Console(width=200)


COMPACT = ("n", "accuracy", "reward", "safety\nevents", "errors")
"""The columns of the default table, after domain and tier: it fits 80 columns."""
WIDE = (
    "n",
    "accuracy",
    "score",
    "reward",
    "format",
    "process",
    "safety",
    "safety\nevents",
    "efficiency",
    "turns",
    "tool calls",
    "invalid",
    "tokens",
    "errors",
    "wall s",
)
"""Every column, for ``--wide``."""
LEGEND = (
    "accuracy: fully correct; reward: mean total in [-1, 1]; safety events: unsafe acts, each penalised; "
    "errors: episodes ended by a failure"
)


def _cells(s: DomainScore, wide: bool) -> list[str]:
    """One row's values, in the order of ``WIDE`` or ``COMPACT``."""
    if not wide:
        return [str(s.episodes), f"{s.accuracy:.1%}", f"{s.reward['total']:.3f}", str(s.safety_events), str(s.errors)]
    rewards = [f"{s.reward[c]:.3f}" for c in ("total", "format", "process", "safety")]
    return [
        str(s.episodes),
        f"{s.accuracy:.1%}",
        f"{s.mean_score:.3f}",
        *rewards,
        str(s.safety_events),
        f"{s.reward['efficiency']:.3f}",
        f"{s.turns:.1f}",
        f"{s.tool_calls:.1f}",
        f"{s.invalid_calls:.2f}",
        f"{s.tokens:.0f}",
        str(s.errors),
        f"{s.wall_s:.1f}",
    ]


def _table(title: str, keys: tuple[str, ...], wide: bool) -> Table:
    table = Table(
        title=title, caption=LEGEND, box=box.SIMPLE_HEAD, caption_justify="left", pad_edge=False, collapse_padding=True
    )
    for column in (*keys, *(WIDE if wide else COMPACT)):
        left = column in keys
        table.add_column(column, justify="left" if left else "right", no_wrap=True)
    return table


def scorecard_table(scores: list[DomainScore], title: str = "healthgym scorecard", *, wide: bool = False) -> Table:
    """One run: a row per domain and tier."""
    table = _table(title, ("domain", "tier"), wide)
    for s in scores:
        table.add_row(s.domain, s.tier, *_cells(s, wide))
    return table


def run_letters(labels: Iterable[str]) -> dict[str, str]:
    """Short names (A, B, ...) for the runs of a comparison, so that its table keeps to 80 columns."""
    return {label: chr(ord("A") + i) if i < 26 else str(i + 1) for i, label in enumerate(labels)}


def compare_table(
    runs: dict[str, list[DomainScore]], title: str = "healthgym runs compared", *, wide: bool = False
) -> Table:
    """Several runs side by side: a row per domain, tier and run (runs named by :func:`run_letters`)."""
    table = _table(title, ("domain", "tier", "run"), wide)
    letters = run_letters(runs)
    for domain, tier in sorted({(s.domain, s.tier) for scores in runs.values() for s in scores}):
        for label, scores in runs.items():
            s = next((x for x in scores if (x.domain, x.tier) == (domain, tier)), None)
            width = len(WIDE if wide else COMPACT)
            table.add_row(domain, tier, letters[label], *(_cells(s, wide) if s is not None else ["-"] * width))
        table.add_section()
    return table


def _group(s: DomainScore) -> str:
    """A chart's label of one row: the domain, and its tier when the data has tiers."""
    return s.domain if s.tier == ALL_TIERS else f"{s.domain}\n{s.tier}"


_COMPONENTS = ("accuracy", "format", "process", "efficiency", "safety", "total")


def _bars(ax, groups: list[str], series: dict[str, list[float]], ylabel: str) -> None:
    import numpy as np

    width = 0.8 / max(len(series), 1)
    x = np.arange(len(groups))
    for i, (label, values) in enumerate(series.items()):
        bars = ax.bar(x + (i - (len(series) - 1) / 2) * width, values, width, label=label)
        ax.bar_label(bars, fmt="%.2f", fontsize=7, padding=1)
    ax.set_xticks(x, groups)
    ax.set_ylabel(ylabel)
    ax.axhline(0, color="black", linewidth=0.6)
    ax.legend(fontsize=8, ncols=min(len(series), 6), loc="upper center", bbox_to_anchor=(0.5, -0.12))


def plot_scorecard(scores: list[DomainScore], path: Path, title: str = "healthgym scorecard") -> Path:
    """A PNG of one run: accuracy and each mean reward component per domain, and the effort per episode."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    domains = [_group(s) for s in scores]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(max(7.0, 2.6 * len(domains) + 3), 8.5))
    quality = {c: [s.accuracy if c == "accuracy" else s.reward[c] for s in scores] for c in _COMPONENTS}
    _bars(top, domains, quality, "mean per episode")
    top.set_ylim(min(-0.05, *quality["safety"]) - 0.1, 1.15)
    top.set_title("accuracy (fraction fully correct) and reward components")
    effort = {
        "turns": [s.turns for s in scores],
        "tool calls": [s.tool_calls for s in scores],
        "invalid calls": [s.invalid_calls for s in scores],
    }
    _bars(bottom, domains, effort, "mean per episode")
    bottom.set_title("effort")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_compare(runs: dict[str, list[DomainScore]], path: Path, title: str = "healthgym runs compared") -> Path:
    """A PNG of several runs side by side: accuracy and mean total reward per domain, one bar per run."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    domains = sorted({_group(s) for scores in runs.values() for s in scores})

    def values(scores: list[DomainScore], metric: str) -> list[float]:
        by_domain = {_group(s): s for s in scores}
        return [
            (by_domain[d].accuracy if metric == "accuracy" else by_domain[d].reward["total"]) if d in by_domain else 0.0
            for d in domains
        ]

    fig, axes = plt.subplots(2, 1, figsize=(max(7.0, 1.2 * len(domains) * len(runs) + 3), 8.5))
    for ax, metric in zip(axes, ("accuracy", "mean total reward"), strict=True):
        _bars(ax, domains, {label: values(scores, metric) for label, scores in runs.items()}, metric)
        ax.set_title(metric)
        ax.set_ylim(min(0.0, *(v for s in runs.values() for v in values(s, metric))) - 0.05, 1.15)
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
