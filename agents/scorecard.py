"""Per-domain scorecards from finished trajectories: accuracy, reward components, effort, time; tables and charts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from statistics import fmean

from pydantic import BaseModel, Field
from rich.console import Console
from rich.table import Table

from healthgym.schemas import Trajectory


class DomainScore(BaseModel):
    """Aggregates over one domain's episodes."""

    domain: str
    episodes: int
    accuracy: float = Field(description="Fraction of episodes graded fully correct.")
    mean_score: float = Field(description="Mean grader score (partial credit included).")
    reward: dict[str, float] = Field(description="Mean of each reward component and the total.")
    turns: float
    tool_calls: float
    invalid_calls: float
    truncated: float = Field(description="Fraction of episodes cut at max_turns.")
    errors: int = Field(description="Episodes ended by a model or tool failure.")
    tokens: float = Field(default=0.0, description="Mean model tokens (prompt + completion) per episode.")
    wall_s: float = Field(default=0.0, description="Wall time of the domain's episodes, seconds.")


def score_domains(trajectories: Iterable[Trajectory], wall_s: dict[str, float] | None = None) -> list[DomainScore]:
    """Aggregate per domain; wall time is taken from ``wall_s`` when given, else summed from each episode's
    ``metrics["wall_s"]``."""
    by_domain: dict[str, list[Trajectory]] = defaultdict(list)
    for traj in trajectories:
        by_domain[traj.domain].append(traj)
    scores = []
    for domain, trajs in sorted(by_domain.items()):
        rewards = [t.reward for t in trajs if t.reward is not None]
        components = ("accuracy", "format", "process", "safety", "efficiency", "total")
        scores.append(
            DomainScore(
                domain=domain,
                episodes=len(trajs),
                accuracy=fmean(1.0 if t.grade and t.grade.correct else 0.0 for t in trajs),
                mean_score=fmean(t.grade.score if t.grade else 0.0 for t in trajs),
                reward={c: fmean(getattr(r, c) for r in rewards) if rewards else 0.0 for c in components},
                turns=fmean(t.metrics.get("turns", len(t.turns)) for t in trajs),
                tool_calls=fmean(t.metrics.get("tool_calls", 0.0) for t in trajs),
                invalid_calls=fmean(t.metrics.get("invalid_calls", 0.0) for t in trajs),
                truncated=fmean(1.0 if t.truncated else 0.0 for t in trajs),
                errors=sum(t.error is not None for t in trajs),
                tokens=fmean(t.metrics.get("tokens", 0.0) for t in trajs),
                wall_s=(wall_s or {}).get(domain, sum(t.metrics.get("wall_s", 0.0) for t in trajs)),
            )
        )
    return scores


def wide_console() -> Console:
    """A stdout console for these tables: the terminal's width, or 200 columns when piped (rich would use 80)."""
    out = Console()
    return out if out.is_terminal else Console(width=200)


_COLUMNS = ("episodes", "accuracy", "score", "reward", "format", "process", "safety", "efficiency", "turns",
            "tool calls", "invalid", "tokens", "errors", "wall s")


def _cells(s: DomainScore) -> list[str]:
    """One domain's values, in the order of ``_COLUMNS``."""
    rewards = [f"{s.reward[c]:.3f}" for c in ("total", "format", "process", "safety", "efficiency")]
    return [str(s.episodes), f"{s.accuracy:.1%}", f"{s.mean_score:.3f}", *rewards, f"{s.turns:.1f}",
            f"{s.tool_calls:.1f}", f"{s.invalid_calls:.2f}", f"{s.tokens:.0f}", str(s.errors), f"{s.wall_s:.1f}"]


def _table(title: str, keys: tuple[str, ...]) -> Table:
    table = Table(title=title)
    for column in (*keys, *_COLUMNS):
        left = column in keys
        table.add_column(column, justify="left" if left else "right", no_wrap=left)
    return table


def scorecard_table(scores: list[DomainScore], title: str = "healthgym scorecard") -> Table:
    table = _table(title, ("domain",))
    for s in scores:
        table.add_row(s.domain, *_cells(s))
    return table


def compare_table(runs: dict[str, list[DomainScore]], title: str = "healthgym runs compared") -> Table:
    """Several runs side by side: one row per domain and run."""
    table = _table(title, ("domain", "run"))
    for domain in sorted({s.domain for scores in runs.values() for s in scores}):
        for label, scores in runs.items():
            s = next((x for x in scores if x.domain == domain), None)
            table.add_row(domain, label, *(_cells(s) if s is not None else ["-"] * len(_COLUMNS)))
        table.add_section()
    return table


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

    domains = [s.domain for s in scores]
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

    domains = sorted({s.domain for scores in runs.values() for s in scores})

    def values(scores: list[DomainScore], metric: str) -> list[float]:
        by_domain = {s.domain: s for s in scores}
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
