"""Which tasks a run sees: a domain's train stream or dev split, narrowed to some task kinds and one tier.

A small policy learns short-answer kinds first (a drug's pregnancy category is one tool call and one copied word;
a composite admission is a dozen), so warm starts and learning curves pick their kinds; the kind of a task is the
part of ``task.source.generator`` after the domain (``"drug_interaction.pair_severity"`` -> ``"pair_severity"``).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from functools import cache

from healthgym.mcp_servers.domain import tasks, train_stream
from healthgym.mcp_servers.domains import get_domain
from healthgym.schemas import Task, Tier

TRAIN_START_RANGE = 1_000_000
"""Draws from the train stream start at an index below this (the env's ``TRAIN_INDEX_RANGE``)."""


def task_kind(task: Task) -> str:
    """The kind of a task: its generator's name without the domain prefix."""
    return task.source.generator.split(".", 1)[-1]


@cache
def domain_kinds(domain: str) -> tuple[str, ...]:
    """The task kinds of a domain, as its dev split holds them (every kind appears there)."""
    return tuple(sorted({task_kind(t) for t in tasks(get_domain(domain), "dev")}))


@cache
def tier_kinds(domain: str, tier: Tier) -> tuple[str, ...]:
    """The task kinds a domain generates in ``tier`` (some kinds exist in one tier only)."""
    return tuple(sorted({task_kind(t) for t in tasks(get_domain(domain), "dev") if t.tier == tier}))


def check_kinds(domain: str, kinds: Sequence[str] | None, tier: Tier | None = None) -> None:
    """Refuse kinds the domain does not generate (in ``tier``, when given), naming the allowed ones: a stream
    filtered on a kind it never yields would search forever."""
    unknown = sorted(set(kinds or ()) - set(domain_kinds(domain)))
    if unknown:
        raise ValueError(f"{domain} has no task kind {unknown}; its kinds: {', '.join(domain_kinds(domain))}")
    if tier is not None:
        allowed = tier_kinds(domain, tier)
        absent = sorted(set(kinds or allowed) - set(allowed))
        if absent or not allowed:
            raise ValueError(f"{domain} has no {tier} task of kind {absent}; its {tier} kinds: {', '.join(allowed)}")


def kinds_by_domain(domains: Sequence[str], kinds: Sequence[str] | None) -> dict[str, list[str] | None]:
    """Each domain's share of ``kinds`` (None: all its kinds, when ``kinds`` is empty); refuses kinds no domain has
    and domains left without any."""
    if not kinds:
        return {d: None for d in domains}
    owned = {d: [k for k in kinds if k in domain_kinds(d)] for d in domains}
    stray = sorted(set(kinds) - {k for ks in owned.values() for k in ks})
    if stray:
        known = "; ".join(f"{d}: {', '.join(domain_kinds(d))}" for d in domains)
        raise ValueError(f"no domain has task kind {stray}; kinds are {known}")
    empty = [d for d, ks in owned.items() if not ks]
    if empty:
        raise ValueError(f"none of the kinds {list(kinds)} belongs to {empty}: drop the domain or name its kinds")
    return dict(owned)


def _keep(task: Task, kinds: Sequence[str] | None, tier: Tier | None) -> bool:
    return (not kinds or task_kind(task) in kinds) and tier in (None, task.tier)


def train_tasks(
    domain: str, seed: int, *, kinds: Sequence[str] | None = None, tier: Tier | None = None, start: int = 0
) -> Iterator[Task]:
    """The train stream of ``seed`` from index ``start``, keeping only ``kinds`` (all when empty) of ``tier``."""
    check_kinds(domain, kinds, tier)
    return (t for t in train_stream(get_domain(domain), seed, start) if _keep(t, kinds, tier))


def draw_train_task(
    domain: str, seed: int, draw: int, *, kinds: Sequence[str] | None = None, tier: Tier | None = None
) -> Task:
    """The ``draw``-th task of a run: the first matching task of the stream after a start index hashed from
    (seed, draw), so draws are reproducible and spread over the stream."""
    start = zlib.crc32(f"{seed}|{draw}".encode()) % TRAIN_START_RANGE
    return next(train_tasks(domain, seed, kinds=kinds, tier=tier, start=start))


def dev_tasks(
    domain: str, n: int | None = None, *, kinds: Sequence[str] | None = None, tier: Tier | None = None
) -> list[Task]:
    """The first ``n`` dev tasks (all when None) of ``kinds`` and ``tier``."""
    check_kinds(domain, kinds, tier)
    return [t for t in tasks(get_domain(domain), "dev") if _keep(t, kinds, tier)][:n]
