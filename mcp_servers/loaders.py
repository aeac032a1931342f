"""Tasks from files the user has (DDXPlus CSVs, MedQA JSONL, ...), played through the same servers and graders.

A domain declares its file formats in ``DomainSpec.loaders``: format name -> :class:`TaskLoader`. A loader reads a
file into tasks and the case records behind them. Generated cases are pure functions of their ids; a loaded case is
not, so :func:`load_tasks` registers the file's cases in this process, and a domain's case lookup asks
:func:`loaded_case` first for ids it did not generate. Every process that serves those tasks loads the same file:
``healthgym serve DOMAIN --tasks-from FORMAT FILE`` for a stdio or HTTP server, which ``healthgym eval --tasks-from``
passes on to the servers it starts.

Loaded case ids must not look like generated ones: a loader names its cases ``<PREFIX>-F<digest>`` (see
:func:`loaded_case_id`), a digest of the case's own content, so the same row gets the same id in every process.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from healthgym.schemas import Task

if TYPE_CHECKING:
    from healthgym.mcp_servers.domain import DomainSpec


@dataclass(frozen=True)
class LoadedTasks:
    """What a loader read: the tasks, and the case record behind each ``case_ref`` they use."""

    tasks: list[Task]
    cases: Mapping[str, Any]


@dataclass(frozen=True)
class TaskLoader:
    """One file format a domain reads."""

    description: str
    """One line for ``--help`` and error messages, e.g. 'DDXPlus patient CSV (release format)'."""
    read: Callable[[Path], LoadedTasks]
    """Reads the file; raises ``ValueError`` naming the line and field of a malformed record."""


_LOADED: dict[str, dict[str, Any]] = {}
"""domain -> case_ref -> case record, for the files loaded in this process."""


def loaded_case_id(prefix: str, content: str) -> str:
    """A loaded case's id: ``<PREFIX>-F`` and 12 hex digits of its content, stable across processes."""
    return f"{prefix}-F{hashlib.sha256(content.encode()).hexdigest()[:12].upper()}"


def loaded_case(domain: str, case_ref: str) -> Any | None:
    """The loaded case record of ``case_ref``, or ``None`` when no file loaded in this process holds it."""
    return _LOADED.get(domain, {}).get(case_ref)


def load_tasks(spec: DomainSpec, format: str, path: Path) -> list[Task]:
    """Read ``path`` with the domain's ``format`` loader and register its cases in this process."""
    loader = spec.loaders.get(format)
    if loader is None:
        known = ", ".join(f"{name} ({lo.description})" for name, lo in sorted(spec.loaders.items())) or "none"
        raise ValueError(f"{spec.name} has no loader for format {format!r}; formats: {known}")
    if not path.is_file():
        raise ValueError(f"{path}: no such file")
    loaded = loader.read(path)
    missing = sorted({t.case_ref for t in loaded.tasks} - set(loaded.cases))
    if missing:
        raise ValueError(f"{format} loader of {spec.name} returned tasks without case records: {missing[:3]}")
    if not loaded.tasks:
        raise ValueError(f"{path}: no {format} records found")
    _LOADED.setdefault(spec.name, {}).update(loaded.cases)
    return loaded.tasks


def domain_of_format(format: str, domains: Mapping[str, DomainSpec]) -> DomainSpec:
    """The one domain that reads ``format``; an unknown format is an error listing every known one."""
    owners = [spec for spec in domains.values() if format in spec.loaders]
    if len(owners) > 1:
        raise ValueError(f"format {format!r} is read by several domains: {', '.join(s.name for s in owners)}")
    if not owners:
        known = sorted(f"{name} ({spec.name})" for spec in domains.values() for name in spec.loaders)
        raise ValueError(f"unknown task file format {format!r}; known formats: {', '.join(known) or 'none'}")
    return owners[0]
