"""The reference clinician: answers from what the tools return, never from the task's key.

Open book: it reads the question, searches the knowledge base, opens the hits that are about the question's subject
(a monograph section, a condition card, an interaction note), and picks the option the opened text states. For a
multi-hop item it first reads the condition card, keeps the options the card lists, then searches an interaction note
for each and answers the one that has one. For a loaded question (MedQA, PubMedQA, MedQuAD) it searches the
question's corpus and opens the hits with their neighbours in turn: a passage that holds exactly one option decides
it; else, for sentence-long options (MedQuAD excerpts), it searches each option for the passage it comes from and
answers the one whose source is about what the question asks, and for short options the one the opened passages
share most words with (``overlap``). It records a citation (``record_citation``) of exactly the passages it decided
by, then submits. Closed book: it looks the fact up in the clinic's reference tables (``lookup_drug``; for a
multi-hop item ``lookup_condition``, then ``lookup_interaction`` for each option the condition lists), or, for a
loaded question, falls back to the option that shares most words with the question (the closed-book baseline of
``bench/medical_qa.py``).
"""

from __future__ import annotations

import re
from statistics import mean
from typing import Any

from healthgym.mcp_servers.domain import Solver, TaskView
from healthgym.mcp_servers.domains.medical_qa.bank import crcl_thresholds, fmt_crcl, listed_drugs, stated
from healthgym.mcp_servers.domains.medical_qa.items import TOPICS
from healthgym.mcp_servers.domains.medical_qa.loaders import holds
from healthgym.mcp_servers.kb.builtin import tokens
from healthgym.schemas import ToolCall

SENTENCE_WORDS = 6
"""Options this long on average are passages' sentences (MedQuAD excerpts): search for where each comes from."""
READ_HITS = 5
NEIGHBOURS = 3
"""A loaded question's search opens up to ``READ_HITS`` hits, each with ``NEIGHBOURS`` passages on either side (the
other answers about the same topic, or the chunks around it): with six source searches, 14 calls at most, the open
book's budget."""
_CLASS = re.compile(r"does (.+?) belong to")
_RENAL = re.compile(r"among (.+?)'s renal dose bands")
_MULTI = re.compile(r"to treat (.+?) and has a curated interaction with (.+?)\?")


def _call(name: str, **arguments: Any) -> ToolCall:
    return ToolCall(name=name, arguments=arguments)


def overlap(option: str, text: str) -> float:
    """Share of the option's distinct terms found in ``text`` (Harman-stemmed, stopwords dropped)."""
    want = set(tokens(option))
    return len(want & set(tokens(text))) / len(want) if want else 0.0


def _titled(hits: list[dict[str, Any]], *titles: str) -> dict[str, Any] | None:
    wanted = {t.lower() for t in titles}
    return next((h for h in hits if h["title"].lower() in wanted), None)


def solve(view: TaskView) -> Solver:
    qid = view.case_ref
    q = yield _call("get_question", question_id=qid)
    options: list[str] = q["options"]
    text: str = q["question"]
    cites: list[str] = []
    if view.tier == "assisted":
        answer, cites = yield from _open_book(q["topic"], text, options, q["corpus"])
    else:
        answer = yield from _closed_book(q["topic"], text, options)
    for passage in cites:
        yield _call("record_citation", question_id=qid, passage_id=passage, claim=f"states: {answer}"[:500])
    yield _call("submit_answer", question_id=qid, answer=answer)


def _open_book(topic: str, text: str, options: list[str], corpus: str) -> Solver:
    if topic == TOPICS["drug_class"] and (m := _CLASS.search(text)):
        drug = m.group(1)
        hit = _titled((yield _call("search_knowledge", query=f"{drug} overview", k=5))["hits"],
                      f"{drug}: overview")  # fmt: skip
        if hit:
            body = (yield _call("read_passage", passage=hit["id"], neighbours=0))["text"]
            said = [o for o in options if stated(o, body)]
            if len(said) == 1:
                return said[0], [hit["id"]]
    if topic == TOPICS["renal_threshold"] and (m := _RENAL.search(text)):
        drug = m.group(1)
        query = f"{drug} renal dosing creatinine clearance"
        hit = _titled((yield _call("search_knowledge", query=query, k=5))["hits"], f"{drug}: renal dosing")
        if hit:
            body = (yield _call("read_passage", passage=hit["id"], neighbours=0))["text"]
            bounds = set(crcl_thresholds(body))
            said = [o for o in options if float(o) in bounds]
            if said:
                return fmt_crcl(max(float(o) for o in said)), [hit["id"]]
    if topic == TOPICS["interaction_multihop"] and (m := _MULTI.search(text)):
        condition, drug = m.group(1), m.group(2)
        query = f"Condition: {condition} treated in this clinic with"
        card = _titled((yield _call("search_knowledge", query=query, k=5))["hits"], f"Condition: {condition}")
        if card:
            listed = set(listed_drugs((yield _call("read_passage", passage=card["id"], neighbours=0))["text"]))
            for option in (o for o in options if o in listed):
                hits = (yield _call("search_knowledge", query=f"Interaction: {drug} and {option}", k=10))["hits"]
                note = _titled(hits, f"Interaction: {drug} and {option}", f"Interaction: {option} and {drug}")
                if note:
                    return option, [card["id"], note["id"]]
    return (yield from _loaded(text, options, corpus))


def _loaded(text: str, options: list[str], corpus: str) -> Solver:
    """Search the question in its corpus and open the hits with their neighbours in turn: the first passage that holds
    exactly one option (compared with the passage's topic masked as the loader masks excerpts) decides, and is cited.
    Else sentence-long options are traced to their sources (``_by_source``), and short ones go to the option the
    opened passages share most words with, citing the passage that shares most with it."""
    hits = (yield _call("search_knowledge", query=text[:1000], k=READ_HITS, corpus=corpus))["hits"]
    bodies: list[tuple[str, str]] = []
    for h in hits:
        opened = yield _call("read_passage", passage=h["id"], neighbours=NEIGHBOURS, corpus=h["corpus"])
        for p in [opened, *opened["neighbours"]]:
            held = [o for o in options if holds(p["text"], o, p["title"])]
            if len(held) == 1:
                return held[0], [p["id"]]
            bodies.append((p["id"], p["text"]))
    if mean(len(o.split()) for o in options) >= SENTENCE_WORDS:
        return (yield from _by_source(text, options, corpus))
    if not bodies:
        return max(options, key=lambda o: overlap(o, text)), []
    best = max(options, key=lambda o: max(overlap(o, body) for _, body in bodies))
    return best, [max(bodies, key=lambda b: overlap(best, b[1]))[0]]


def _by_source(text: str, options: list[str], corpus: str) -> Solver:
    """Sentence-long options (MedQuAD excerpts): search each option for the passage it comes from, and answer the
    option whose source passage is about what the question asks (the most of its title's terms in the question);
    cite that passage."""
    found: list[tuple[str, dict[str, Any]]] = []
    for option in options:
        hits = (yield _call("search_knowledge", query=option[:1000], k=1, corpus=corpus))["hits"]
        if hits:
            found.append((option, hits[0]))
    if not found:
        return max(options, key=lambda o: overlap(o, text)), []
    asked = set(tokens(text))

    def about(pair: tuple[str, dict[str, Any]]) -> tuple[float, int, float]:
        title = set(tokens(pair[1]["title"]))
        return (len(title & asked) / len(title) if title else 0.0, len(title & asked), pair[1]["score"])

    option, hit = max(found, key=about)
    return option, [hit["id"]]


def _closed_book(topic: str, text: str, options: list[str]) -> Solver:
    if topic == TOPICS["drug_class"] and (m := _CLASS.search(text)):
        card = yield _call("lookup_drug", drug=m.group(1))
        return next((o for o in options if o.lower() == card["drug_class"].lower()), options[0])
    if topic == TOPICS["renal_threshold"] and (m := _RENAL.search(text)):
        card = yield _call("lookup_drug", drug=m.group(1))
        bounds = [b["below_ml_min"] for b in card["renal_bands"]]
        return fmt_crcl(max(bounds)) if bounds else options[0]
    if topic == TOPICS["interaction_multihop"] and (m := _MULTI.search(text)):
        treats = set((yield _call("lookup_condition", condition=m.group(1)))["treatments"])
        for option in (o for o in options if o in treats):
            if (yield _call("lookup_interaction", drug_a=m.group(2), drug_b=option))["curated"]:
                return option
        return options[0]
    return max(options, key=lambda o: overlap(o, text))
