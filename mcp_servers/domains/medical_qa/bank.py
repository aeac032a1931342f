"""The question bank: facts of the clinic's own knowledge tables, each with the passages of the default corpus that
state it, from which the multiple-choice items are drawn.

Three pools, all read from the drug-interaction domain's tables (``drug_interaction.knowledge``; not copied) and its
passages (``drug_interaction.passages``, the ``clinic`` corpus):

- ``drug_class``: a drug and its class (the monograph's overview passage: "X is a <class>"); distractors are classes
  of other drugs of the same therapeutic group, then of any group.
- ``renal_threshold``: a drug and the highest creatinine-clearance bound of its label's renal dose bands (the renal
  dosing passage, Cockcroft-Gault CrCl); distractors are the drug's own lower bounds and bounds of other labels.
- ``interaction_multihop``: a condition, one of its clinic treatments and a drug that has a curated interaction
  with that treatment (the condition passage + the interaction note); distractors are other treatments of the
  condition without such an interaction and other interaction partners of the drug that do not treat the condition.

A fact enters a pool only when its supporting passages are short enough never to be split into chunks
(``MAX_SUPPORT_CHARS``), so their ids are the same under every chunker and backend, and when exactly one option is
stated by its passages (``stated``), so the gold is the unique answer the retrieved text supports.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from healthgym.mcp_servers.domains.drug_interaction.knowledge import Drug, knowledge
from healthgym.mcp_servers.domains.drug_interaction.passages import passages as drug_passages
from healthgym.schemas import Passage

MAX_SUPPORT_CHARS = 300
"""Longest supporting passage: the shortest clinic passage over the chunker's 128 MiniLM tokens has 333 characters
(measured over every drug-interaction passage), and 300 characters are far below 128 words."""
OPTIONS = 6
"""Options per item: a guess scores 1/6."""
_CRCL = re.compile(r"CrCl ([^:;()]*?) mL/min")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def crcl_thresholds(text: str) -> list[float]:
    """Every creatinine-clearance bound written in ``text`` ("CrCl < 30 mL/min", "CrCl 30 to <= 50 mL/min")."""
    return [float(n) for span in _CRCL.findall(text) for n in _NUMBER.findall(span)]


def stated(option: str, text: str) -> bool:
    """Whether ``text`` states ``option`` as a whole phrase (case-insensitive)."""
    return re.search(rf"(?<![\w-]){re.escape(option.lower())}(?![\w-])", text.lower()) is not None


def listed_drugs(text: str) -> list[str]:
    """The drugs a condition passage lists after "treated in this clinic with:"."""
    _, _, tail = text.partition("with:")
    return [d.strip() for d in tail.rstrip(".").split(",") if d.strip()]


def fmt_crcl(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True, eq=False)  # hashed by identity: facts are the bank's own, built once
class ClassFact:
    drug: str
    drug_class: str
    group: str
    passage: Passage


@dataclass(frozen=True)
class RenalFact:
    drug: str
    threshold: float
    bounds: tuple[float, ...]
    passage: Passage


@dataclass(frozen=True)
class MultiHopFact:
    condition: str
    """Condition code."""
    condition_name: str
    drug: str
    """The drug named in the question."""
    treatment: str
    """The gold: the condition's treatment that interacts with ``drug``."""
    severity: str
    condition_passage: Passage
    interaction_passage: Passage


@dataclass(frozen=True)
class Bank:
    classes: tuple[ClassFact, ...]
    renal: tuple[RenalFact, ...]
    multihop: tuple[MultiHopFact, ...]
    all_classes: tuple[str, ...]
    all_bounds: tuple[float, ...]


def _short(p: Passage | None) -> bool:
    return p is not None and len(p.text) <= MAX_SUPPORT_CHARS


@cache
def partners(drug: str) -> Mapping[str, str]:
    """The curated interaction partners of ``drug`` with their severity (read-only, cached)."""
    out: dict[str, str] = {}
    for it in knowledge().interactions.values():
        if drug in it.drugs:
            out[it.drugs[1] if it.drugs[0] == drug else it.drugs[0]] = it.severity
    return MappingProxyType(out)


@cache
def bank() -> Bank:
    """The pools, built once per process in a stable order."""
    k = knowledge()
    by_section: dict[tuple[str, str], Passage] = {}
    by_pair: dict[frozenset[str], Passage] = {}
    by_condition: dict[str, Passage] = {}
    for p in drug_passages():
        if "section" in p.metadata:
            by_section[(p.metadata["drug"], p.metadata["section"])] = p
        elif "drugs" in p.metadata:
            by_pair[frozenset(p.metadata["drugs"].split("+"))] = p
        elif "condition" in p.metadata:
            by_condition[p.metadata["condition"]] = p
    classes = [
        ClassFact(d.name, d.drug_class, d.group, p)
        for d in k.drugs.values()
        if _short(p := by_section.get((d.name, "overview"))) and stated(d.drug_class, p.text)
    ]
    renal = [fact for d in k.drugs.values() if (fact := _renal(d, by_section.get((d.name, "renal dosing"))))]
    multihop: list[MultiHopFact] = []
    for code, condition in sorted(k.conditions.items()):
        cp = by_condition.get(code)
        if not _short(cp):
            continue
        treats = set(condition.treatments)
        for drug in sorted(k.drugs):
            if drug in treats:
                continue
            theirs = set(partners(drug))
            hits = sorted(theirs & treats)
            if len(hits) != 1 or min(2, len(theirs - treats)) + len(treats) - 1 < OPTIONS - 1:
                continue
            ip = by_pair.get(frozenset((drug, hits[0])))
            if _short(ip):
                multihop.append(MultiHopFact(code, condition.name, drug, hits[0], partners(drug)[hits[0]], cp, ip))
    return Bank(
        classes=tuple(classes),
        renal=tuple(renal),
        multihop=tuple(multihop),
        all_classes=tuple(sorted({d.drug_class for d in k.drugs.values()})),
        all_bounds=tuple(sorted({b.below for d in k.drugs.values() for b in d.renal})),
    )


def _renal(d: Drug, p: Passage | None) -> RenalFact | None:
    if not d.renal or d.renal_criteria is not None or not _short(p):
        return None
    bounds = tuple(sorted({b.below for b in d.renal}))
    if sorted(set(crcl_thresholds(p.text))) != list(bounds):  # the passage states exactly the label's bounds
        return None
    return RenalFact(d.name, bounds[-1], bounds, p)
