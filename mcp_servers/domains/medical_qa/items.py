"""Items: a question and its key, a pure function of ``(split, seed, index)`` or a loaded file's row.

Layout of the generated stream, by index modulo 12 (``c`` = index // 12):

- 0-4: ``drug_class`` (open book when index + c is even, else closed book);
- 5: ``renal_threshold`` (open book when c is even);
- 6-11: ``interaction_multihop`` (open book at even positions), the composite kind.

So 360 test items hold 150 drug-class (75 + 75), 30 renal-threshold (15 + 15) and 180 multi-hop (90 + 90) items.
Test items walk a seeded permutation of each pool, so no fact is asked twice in the test split; renal items walk the
thresholds round-robin (one drug per threshold value in turn) because 42 of the 77 labels start adjusting at 30
mL/min, which a constant answer would otherwise exploit. Dev and train items draw facts at random (the split module
skips those colliding with the test split).

Loaded items (``loaders.py``) are registered in this process by ``healthgym.mcp_servers.loaders.load_tasks`` under
ids ``QA-F<digest>`` and resolve from that registry instead of the generator.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import zip_longest
from typing import Literal

import numpy as np

from healthgym.mcp_servers.clinic.ids import decode_case_id, encode_case_id
from healthgym.mcp_servers.clinic.seeding import case_rng
from healthgym.mcp_servers.domains.drug_interaction.knowledge import knowledge
from healthgym.mcp_servers.domains.medical_qa.bank import (
    OPTIONS,
    ClassFact,
    MultiHopFact,
    RenalFact,
    bank,
    fmt_crcl,
    partners,
    stated,
)
from healthgym.mcp_servers.domains.medical_qa.models import Book, Key, Question
from healthgym.mcp_servers.kb.default_corpus import CLINIC_LICENCE, DEFAULT_CORPUS
from healthgym.mcp_servers.loaders import loaded_case
from healthgym.schemas import Split, Tier

DOMAIN = "medical_qa"
PREFIX = "QA"
Kind = Literal["drug_class", "renal_threshold", "interaction_multihop"]
TOPICS: dict[str, str] = {
    "drug_class": "drug class",
    "renal_threshold": "renal dose threshold",
    "interaction_multihop": "treatment interaction (two passages)",
}
TABLES = "healthgym clinic tables (drug_interaction monographs, conditions and curated interactions)"
BOOK_TIER: dict[Book, Tier] = {"open": "assisted", "closed": "unassisted"}


@dataclass(frozen=True)
class Item:
    question: Question
    key: Key
    kind: str
    parameters: dict[str, str]
    composite: bool


def plan(index: int) -> tuple[Kind, Book, int]:
    """``(kind, book, n)``: the kind and book of stream position ``index`` and how many earlier items (in the whole
    stream) share its kind and book, which picks its fact in the test split."""
    cycle, pos = divmod(index, 12)
    if pos < 5:
        book: Book = "open" if (pos + cycle) % 2 == 0 else "closed"
        before = sum(1 for c in range(cycle) for p in range(5) if ((p + c) % 2 == 0) == (book == "open"))
        return "drug_class", book, before + sum(1 for p in range(pos) if ((p + cycle) % 2 == 0) == (book == "open"))
    if pos == 5:
        return "renal_threshold", "open" if cycle % 2 == 0 else "closed", cycle // 2
    return "interaction_multihop", "open" if pos % 2 == 0 else "closed", cycle * 3 + (pos - 6) // 2


@cache
def _test_order(kind: Kind) -> tuple[int, ...]:
    """The order in which the test split visits the pool of ``kind`` (open and closed books interleaved)."""
    rng = case_rng(DOMAIN, "test-order", 0, ("drug_class", "renal_threshold", "interaction_multihop").index(kind))
    b = bank()
    if kind == "renal_threshold":
        by_value: dict[float, list[int]] = {}
        for i in rng.permutation(len(b.renal)):
            by_value.setdefault(b.renal[i].threshold, []).append(int(i))
        values = sorted(by_value, key=lambda v: (-len(by_value[v]), v))
        return tuple(i for group in zip_longest(*(by_value[v] for v in values)) for i in group if i is not None)
    size = len(b.classes) if kind == "drug_class" else len(b.multihop)
    return tuple(int(i) for i in rng.permutation(size))


def _pick(kind: Kind, split: Split, book: Book, n: int, rng: np.random.Generator) -> int:
    b = bank()
    size = {"drug_class": len(b.classes), "renal_threshold": len(b.renal), "interaction_multihop": len(b.multihop)}
    if split == "test":
        order = _test_order(kind)
        return order[(2 * n + (book == "closed")) % len(order)]
    return int(rng.integers(size[kind]))


def generated(split: Split, seed: int, index: int) -> Item:
    """Item ``index`` of ``(split, seed)``."""
    kind, book, n = plan(index)
    rng = case_rng(DOMAIN, split, seed, index)
    qid = encode_case_id(PREFIX, DOMAIN, split, seed, index)
    i = _pick(kind, split, book, n, rng)
    b = bank()
    if kind == "drug_class":
        return _class_item(qid, book, b.classes[i], rng)
    if kind == "renal_threshold":
        return _renal_item(qid, book, b.renal[i], rng)
    return _multihop_item(qid, book, b.multihop[i], rng)


def _question(qid: str, kind: str, book: Book, text: str, options: list[str]) -> Question:
    return Question(question_id=qid, topic=TOPICS[kind], book=book, question=text, options=options,
                    corpus=DEFAULT_CORPUS, source=TABLES, licence=CLINIC_LICENCE)  # fmt: skip


def _shuffled(gold: str, distractors: list[str], rng: np.random.Generator) -> list[str]:
    options = [gold, *distractors[: OPTIONS - 1]]
    return [options[i] for i in rng.permutation(len(options))]


@cache
def _class_distractors(fact: ClassFact) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(same group, other)``: the classes that may stand against ``fact``'s, none that its passage also states."""
    k = knowledge()
    fine = lambda c: c.lower() != fact.drug_class.lower() and not stated(c, fact.passage.text)  # noqa: E731
    same = sorted({d.drug_class for d in k.drugs.values() if d.group == fact.group and fine(d.drug_class)})
    return tuple(same), tuple(sorted(c for c in bank().all_classes if c not in same and fine(c)))


def _class_item(qid: str, book: Book, fact: ClassFact, rng: np.random.Generator) -> Item:
    """Distractors: classes of other drugs of the same group first (same type), then any class; none that the
    overview passage also states."""
    same, other = _class_distractors(fact)
    picks = [same[i] for i in rng.permutation(len(same))] + [other[i] for i in rng.permutation(len(other))]
    options = _shuffled(fact.drug_class, picks, rng)
    text = f"Which drug class does {fact.drug} belong to, according to its monograph?"
    key = Key(
        answer=fact.drug_class,
        support=[fact.passage.id],
        rationale=f"The {fact.drug} monograph overview states that it is a {fact.drug_class.lower()}.",
        evidence=[fact.passage.text],
    )
    return Item(_question(qid, "drug_class", book, text, options), key, "drug_class", {"drug": fact.drug}, False)


def _renal_item(qid: str, book: Book, fact: RenalFact, rng: np.random.Generator) -> Item:
    """Distractors: the label's own lower bounds (same score, same drug), then bounds of other labels."""
    gold = fmt_crcl(fact.threshold)
    own = [fmt_crcl(v) for v in fact.bounds[:-1]]
    other = [fmt_crcl(v) for v in bank().all_bounds if v not in fact.bounds]
    options = _shuffled(gold, own + [other[i] for i in rng.permutation(len(other))], rng)
    text = (
        f"What is the highest creatinine clearance bound (Cockcroft-Gault CrCl, mL/min) among {fact.drug}'s "
        "renal dose bands, i.e. the clearance below which its label first changes the dose?"
    )
    key = Key(
        answer=gold,
        support=[fact.passage.id],
        rationale=f"{fact.drug}'s label bands end at CrCl {gold} mL/min "
        f"(bounds {', '.join(map(fmt_crcl, fact.bounds))}).",
        evidence=[fact.passage.text],
    )
    return Item(_question(qid, "renal_threshold", book, text, options), key, "renal_threshold",
                {"drug": fact.drug}, False)  # fmt: skip


def _multihop_item(qid: str, book: Book, fact: MultiHopFact, rng: np.random.Generator) -> Item:
    """Distractors: up to two interaction partners of the drug that do not treat the condition, then treatments of
    the condition without a curated interaction with the drug; exactly one option does both."""
    treats = set(knowledge().conditions[fact.condition].treatments)
    theirs = sorted(p for p in partners(fact.drug) if p not in treats)
    plain = sorted(t for t in treats if t != fact.treatment and t not in partners(fact.drug))
    wrong = [theirs[i] for i in rng.permutation(len(theirs))][:2]
    wrong += [plain[i] for i in rng.permutation(len(plain))]
    options = _shuffled(fact.treatment, wrong, rng)
    text = (
        f"Which of these drugs is both used in this clinic to treat {fact.condition_name.lower()} and has a curated "
        f"interaction with {fact.drug}?"
    )
    key = Key(
        answer=fact.treatment,
        support=[fact.condition_passage.id, fact.interaction_passage.id],
        rationale=f"{fact.treatment} is among the clinic's treatments for {fact.condition_name} (condition card) and "
        f"has a {fact.severity} curated interaction with {fact.drug} (interaction note); no other option does both.",
        evidence=[fact.condition_passage.text, fact.interaction_passage.text],
    )
    return Item(_question(qid, "interaction_multihop", book, text, options), key, "interaction_multihop",
                {"condition": fact.condition, "drug": fact.drug}, True)  # fmt: skip


def resolve(question_id: str) -> Item:
    """The item behind an id: a loaded file's (``loaders.py``), else the generated one; ``ValueError`` naming the id
    when there is none."""
    item = loaded_case(DOMAIN, str(question_id))
    if item is not None:
        return item
    split, seed, index = decode_case_id(PREFIX, DOMAIN, question_id)
    return generated(split, seed, index)
