"""Per-domain scorecards from finished trajectories: accuracy, reward components, effort, time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from statistics import fmean

from pydantic import BaseModel, Field
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
    wall_s: float = Field(default=0.0, description="Wall time of the domain's episodes, seconds.")


def score_domains(trajectories: Iterable[Trajectory], wall_s: dict[str, float] | None = None) -> list[DomainScore]:
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
                wall_s=(wall_s or {}).get(domain, 0.0),
            )
        )
    return scores


def scorecard_table(scores: list[DomainScore], title: str = "healthgym scorecard") -> Table:
    table = Table(title=title)
    for column in ("domain", "episodes", "accuracy", "score", "reward", "safety", "turns", "tool calls", "invalid",
                   "wall s"):
        table.add_column(column, justify="left" if column == "domain" else "right")
    for s in scores:
        table.add_row(
            s.domain, str(s.episodes), f"{s.accuracy:.1%}", f"{s.mean_score:.3f}", f"{s.reward['total']:.3f}",
            f"{s.reward['safety']:.3f}", f"{s.turns:.1f}", f"{s.tool_calls:.1f}", f"{s.invalid_calls:.2f}",
            f"{s.wall_s:.1f}",
        )
    return table
