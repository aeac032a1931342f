"""The contract every clinical domain fulfils, and the splits built from it.

A domain package exposes ``SPEC: DomainSpec``: its tools (plain typed functions, the signature is the MCP schema),
a generator that builds task ``index`` of ``(split, seed)`` deterministically, a grader, and a reference clinician
that solves tasks using only the tools.

Splits: ``test`` is tasks ``0..test_size-1`` of seed 0 and is pinned by a committed checksum; ``dev`` is tasks of
seed 0 on the dev stream; ``train`` is an unbounded stream over any seed. Each split draws from its own random
stream, and ``dev``/``train`` skip any task that collides with a test task on any of three content hashes
(:func:`content_hashes`): the prompt with ids masked, the case record without its id, and the question's
parameters. Case ids are opaque (``clinic.ids``), so a prompt cannot tell its split and the masked prompt is what
the agent really sees.

Tool kinds (``ToolKind``) decide the tiers: an ``unassisted`` task withholds the ``decision_support`` tools.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import pydantic_core

from healthgym.mcp_servers.loaders import TaskLoader
from healthgym.schemas import Grade, Split, Task, Tier, ToolCall

ToolKind = Literal["record", "reference", "decision_support", "write"]
"""What a tool gives the agent.

- ``record``: raw data of the case (the chart, vital signs, the medication list, the bed board).
- ``reference``: a fact, table row or guideline text that does not depend on the case (a drug monograph, an ESI
  decision point, a protocol's criteria).
- ``decision_support``: computes (part of) a task's answer from the case (an interaction check, an ESI level, a
  score). Withheld in the ``unassisted`` tier.
- ``write``: changes the episode's state (orders, prescriptions, notes, the submission).
"""

SafetyCheck = Callable[[Task, Sequence[ToolCall]], list[str]]
"""``safety(task, calls)``: the unsafe acts in an episode, one line each naming the rule broken. ``calls`` are the
calls the server accepted, in order, harness calls included (a write is a write whoever made it)."""


def no_safety_rules(task: Task, calls: Sequence[ToolCall]) -> list[str]:
    """For domains whose only safety criteria are the rubric's."""
    return []

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
    tier: Tier = "assisted"
    """Which tools the task allows; a solver of an ``unassisted`` task must not call decision-support tools."""

    @classmethod
    def of(cls, task: Task) -> TaskView:
        return cls(id=task.id, domain=task.domain, prompt=task.prompt, case_ref=task.case_ref, tier=task.tier)


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
    tool_kinds: Mapping[str, ToolKind]
    """The kind of every tool, by name (see :data:`ToolKind`); ``write`` tools are the only ones not read-only."""
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
    safety: SafetyCheck = no_safety_rules
    """Domain safety rules judged from the patient and the episode's writes (not only the task's rubric)."""
    loaders: Mapping[str, TaskLoader] = field(default_factory=dict)
    """Files of users' own cases this domain reads, by format name (``healthgym.mcp_servers.loaders``)."""
    submit_tool: str = "submit_answer"
    test_size: int = 360
    dev_size: int = 120

    def __post_init__(self) -> None:
        names = [fn.__name__ for fn in self.tools]
        untagged = sorted(set(names) - set(self.tool_kinds))
        unknown = sorted(set(self.tool_kinds) - set(names))
        if untagged or unknown:
            raise ValueError(f"{self.name}: tool_kinds must tag every tool exactly; untagged {untagged}, "
                             f"not a tool {unknown}")
        if self.tool_kinds.get(self.submit_tool) != "write":
            raise ValueError(f"{self.name}: the submit tool {self.submit_tool!r} must be tagged 'write'")

    @property
    def gym_id(self) -> str:
        return gym_id(self.name)

    @property
    def write_tools(self) -> frozenset[str]:
        """Tools that change episode state; every other tool is annotated read-only."""
        return frozenset(name for name, kind in self.tool_kinds.items() if kind == "write")

    def withheld(self, tier: Tier) -> frozenset[str]:
        """Tools a task of ``tier`` may not call: the decision-support tools in the unassisted tier."""
        if tier == "assisted":
            return frozenset()
        return frozenset(name for name, kind in self.tool_kinds.items() if kind == "decision_support")


def gym_id(domain: str) -> str:
    """The Gymnasium id of a domain: ``drug_interaction`` -> ``healthgym/DrugInteraction-v0``."""
    return "healthgym/" + "".join(part.capitalize() for part in domain.split("_")) + "-v0"


HASH_KINDS = ("prompt", "record", "parameters")
"""The three content hashes a task is compared on across splits."""

_MASK = "<id>"


def _masked(text: str, case_ref: str) -> str:
    return text.replace(case_ref, _MASK) if case_ref else text


def content_hashes(spec: DomainSpec, task: Task) -> dict[str, str]:
    """What makes a task distinct, hashed three ways, with the case id masked everywhere.

    - ``prompt``: the kind of question, the prompt and the case record, ids masked: what the agent reads and can
      look up. Two tasks equal here are the same task under two ids.
    - ``record``: the kind of question and the case record without its id: the same patient asked the same kind of
      question (the prompt may differ only in wording).
    - ``parameters``: the kind and the question's own parameters (e.g. the drug pair of a record-independent
      question); absent when the task has none. Equal here means the same question whatever the patient.
    """
    kind = task.source.generator
    record = _masked(pydantic_core.to_json(spec.case_record(task.case_ref)).decode(), task.case_ref)
    prompt = _masked(task.prompt, task.case_ref)
    out = {
        "prompt": _sha(kind, prompt, record),
        "record": _sha(kind, record),
    }
    if task.parameters:
        out["parameters"] = _sha(kind, json.dumps(task.parameters, sort_keys=True))
    return out


def _sha(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@cache
def _test_tasks(spec: DomainSpec) -> tuple[Task, ...]:
    return tuple(spec.generate("test", 0, i) for i in range(spec.test_size))


@cache
def _test_hashes(spec: DomainSpec) -> dict[str, frozenset[str]]:
    hashes = [content_hashes(spec, t) for t in _test_tasks(spec)]
    return {kind: frozenset(h[kind] for h in hashes if kind in h) for kind in HASH_KINDS}


def collisions(spec: DomainSpec, task: Task) -> list[str]:
    """The hash kinds on which ``task`` duplicates a test task (empty for a clean task)."""
    test = _test_hashes(spec)
    return [kind for kind, digest in content_hashes(spec, task).items() if digest in test[kind]]


def train_stream(spec: DomainSpec, seed: int, start: int = 0) -> Iterator[Task]:
    """Unbounded training tasks of ``seed``, skipping any that collides with a test task."""
    index = start
    while True:
        task = spec.generate("train", seed, index)
        if not collisions(spec, task):
            yield task
        index += 1


@cache
def _dev_tasks(spec: DomainSpec) -> tuple[Task, ...]:
    out: list[Task] = []
    index = 0
    while len(out) < spec.dev_size:
        task = spec.generate("dev", 0, index)
        if not collisions(spec, task):
            out.append(task)
        index += 1
    return tuple(out)


def tasks(spec: DomainSpec, split: Split, n: int | None = None, seed: int = 0, tier: Tier | None = None) -> list[Task]:
    """The first ``n`` tasks of a split (all of test/dev when ``n`` is None; ``train`` needs ``n``), optionally
    only those of one tier."""
    keep = (lambda t: True) if tier is None else (lambda t: t.tier == tier)
    if split in ("test", "dev"):
        pool = [t for t in (_test_tasks(spec) if split == "test" else _dev_tasks(spec)) if keep(t)]
        return pool[:n]
    if split == "train":
        if n is None:
            raise ValueError("the train split is unbounded: pass n")
        out: list[Task] = []
        for task in train_stream(spec, seed):
            if keep(task):
                out.append(task)
                if len(out) == n:
                    return out
    raise ValueError(f"unknown split {split!r}; expected one of 'train', 'dev', 'test'")


def leakage_report(spec: DomainSpec, others: dict[str, Sequence[Task]]) -> dict[str, dict[str, int]]:
    """How many tasks of each other split collide with the test split, per hash kind: ``{split: {kind: n}}``."""
    report: dict[str, dict[str, int]] = {}
    for split, pool in others.items():
        counts = dict.fromkeys(HASH_KINDS, 0)
        for task in pool:
            for kind in collisions(spec, task):
                counts[kind] += 1
        report[split] = counts
    return report


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
