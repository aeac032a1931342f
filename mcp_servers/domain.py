"""The contract every clinical domain fulfils, and the splits built from it.

A domain package exposes ``SPEC: DomainSpec``: its tools (plain typed functions, the signature is the MCP schema),
a generator that builds task ``index`` of ``(split, seed)`` deterministically, a grader, and a reference clinician
that solves tasks using only the tools.

Splits: ``test`` is tasks ``0..test_size-1`` of seed 0 and is pinned by a committed checksum; ``dev`` is tasks of
seed 0 on the dev stream; ``train`` is an unbounded stream over any seed. Each split draws from its own random
stream, and ``dev``/``train`` skip any task whose content hash is in the test split, so the splits are disjoint.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pydantic_core

from healthgym.schemas import Grade, Split, Task, ToolCall

Solver = Generator[ToolCall, dict[str, Any], None]
"""The reference clinician: yields tool calls and receives each call's structured result (``{"error": text}``
when the call failed). It must end with a call of the domain's submit tool."""


@dataclass(frozen=True)
class TaskView:
    """What an agent may see of a task: never the answer, the rubric or the hidden case file."""

    id: str
    domain: str
    prompt: str
    case_ref: str

    @classmethod
    def of(cls, task: Task) -> TaskView:
        return cls(id=task.id, domain=task.domain, prompt=task.prompt, case_ref=task.case_ref)


@dataclass(frozen=True, eq=False)
class DomainSpec:
    # eq=False: specs compare and hash by identity, so per-spec caches key on the object itself.
    """One clinical domain: tools, tasks, grader, reference clinician and policy."""

    name: str
    """Snake-case id, e.g. ``drug_interaction``; the MCP server is ``healthgym-<name>``."""
    title: str
    """Human title, e.g. ``Drug interactions``; the Gym id is its CamelCase form plus ``-v0``."""
    version: str
    """Bumped whenever generated tasks change; part of the test split checksum file."""
    policy: str
    """Role and principles, used as the MCP server instructions and in agent system prompts."""
    tools: Sequence[Callable[..., Any]]
    """Tool functions, registered in this order; the submit tool is one of them."""
    write_tools: frozenset[str]
    """Names of tools that change episode state; every other tool is annotated read-only."""
    generate: Callable[[Split, int, int], Task]
    """``generate(split, seed, index)``: the task, a pure function of its arguments."""
    solve: Callable[[TaskView], Solver]
    """The reference clinician for one task."""
    grade: Callable[[Task, dict[str, Any] | None], Grade]
    """Grade the arguments of the accepted submit call (``None`` when nothing was submitted)."""
    case_record: Callable[[str], Any]
    """The clinic record behind a ``case_ref`` (pydantic model or dataclass), rebuilt from the id alone; the test
    split checksum covers these records as well as the tasks, so a change to generated patients cannot go unseen."""
    package_dir: Path
    """Folder holding the domain's data and ``test_split.sha256``."""
    submit_tool: str = "submit_answer"
    test_size: int = 360
    dev_size: int = 120

    @property
    def gym_id(self) -> str:
        return gym_id(self.name)


def gym_id(domain: str) -> str:
    """The Gymnasium id of a domain: ``drug_interaction`` -> ``healthgym/DrugInteraction-v0``."""
    return "healthgym/" + "".join(part.capitalize() for part in domain.split("_")) + "-v0"


@cache
def _test_tasks(spec: DomainSpec) -> tuple[Task, ...]:
    return tuple(spec.generate("test", 0, i) for i in range(spec.test_size))


@cache
def _test_hashes(spec: DomainSpec) -> frozenset[str]:
    return frozenset(t.content_hash() for t in _test_tasks(spec))


def train_stream(spec: DomainSpec, seed: int, start: int = 0) -> Iterator[Task]:
    """Unbounded training tasks of ``seed``, skipping any that duplicate a test task."""
    index = start
    while True:
        task = spec.generate("train", seed, index)
        if task.content_hash() not in _test_hashes(spec):
            yield task
        index += 1


@cache
def _dev_tasks(spec: DomainSpec) -> tuple[Task, ...]:
    out: list[Task] = []
    index = 0
    while len(out) < spec.dev_size:
        task = spec.generate("dev", 0, index)
        if task.content_hash() not in _test_hashes(spec):
            out.append(task)
        index += 1
    return tuple(out)


def tasks(spec: DomainSpec, split: Split, n: int | None = None, seed: int = 0) -> list[Task]:
    """The first ``n`` tasks of a split (all of test/dev when ``n`` is None; ``train`` needs ``n``)."""
    if split == "test":
        return list(_test_tasks(spec)[:n])
    if split == "dev":
        return list(_dev_tasks(spec)[:n])
    if split == "train":
        if n is None:
            raise ValueError("the train split is unbounded: pass n")
        stream = train_stream(spec, seed)
        return [next(stream) for _ in range(n)]
    raise ValueError(f"unknown split {split!r}; expected one of 'train', 'dev', 'test'")


def split_checksum(spec: DomainSpec) -> str:
    """SHA-256 over the canonical JSON of every test task and the clinic record it refers to, in order."""
    digest = hashlib.sha256()
    for task in _test_tasks(spec):
        digest.update(json.dumps(task.model_dump(mode="json"), sort_keys=True).encode())
        digest.update(b"\n")
        digest.update(pydantic_core.to_json(spec.case_record(task.case_ref)))
        digest.update(b"\n")
    return digest.hexdigest()


def committed_checksum(spec: DomainSpec) -> str | None:
    path = spec.package_dir / "test_split.sha256"
    return path.read_text().split()[0] if path.exists() else None
