"""Tasks: an item (question + key) wrapped with its prompt, tier, rubric and grader.

Grading (``grade``): the answer is one option, exact. In the open book the citations are graded too, against the
item's supporting passages: precision P (cited ids that support the answer) and recall R (supporting ids cited), F1
their harmonic mean, and the score is ``0.5 + 0.5 * F1`` for a right answer, 0 for a wrong one. A right answer with no
citation or only wrong ones earns 0.5; full credit (``correct``) needs the answer and exactly the supporting set. In
the closed book, and for a loaded question without supporting passages (MedQA-style files), only the answer is
graded. The multi-hop items are composite: their answer rests on two passages,
and citing one of them gives F1 = 2/3.
"""

from __future__ import annotations

from typing import Any

from healthgym.mcp_servers.clinic import grade_answer
from healthgym.mcp_servers.domains.medical_qa.items import BOOK_TIER, DOMAIN, Item, generated
from healthgym.schemas import (
    ActionSpec,
    ChoiceAnswer,
    CodeSetAnswer,
    FieldsAnswer,
    Grade,
    Privileged,
    Rubric,
    Source,
    Split,
    Task,
    task_id,
)

VERSION = "1.0.0"
UNCITED_CREDIT = 0.5
"""What a right answer earns without a supporting citation: half, so retrieval that proves the answer is worth as
much as the answer itself."""
BUDGET = {"open": 14, "closed": 10}
"""Tool calls per task: the reference path (at most 12 calls in the open book: a multi-hop item with five listed
options, two citations; 8 in the closed book, or 14 for a loaded MedQuAD question traced option by option) plus a
few for a second look."""


def prompt_for(item: Item) -> str:
    q = item.question
    options = "; ".join(q.options)
    head = f"Question {q.question_id} ({q.book} book, {q.topic}): {q.question} Options: {options}."
    if q.book == "open":
        return (
            f"{head} Search the knowledge base (search_knowledge), read the passages that answer it, and submit the "
            "option exactly as written with the ids of the passages that state it: submit_answer(question_id=..., "
            "answer=..., citations=[...]). Cite every passage the answer rests on and no other."
        )
    return (
        f"{head} Closed book: the knowledge base is not available. Answer from the clinic's reference tables "
        "(lookup tools) and submit the option exactly as written: submit_answer(question_id=..., answer=...)."
    )


def task_for(item: Item, split: Split, seed: int, index: int, generator: str, version: str = VERSION,
             licence: str = "Apache-2.0 (synthetic)") -> Task:  # fmt: skip
    """The task of one item (generated or loaded)."""
    q, key = item.question, item.key
    fields: dict[str, Any] = {"answer": ChoiceAnswer(value=key.answer, options=list(q.options))}
    qid = q.question_id
    required = [ActionSpec(tool="get_question", arguments={"question_id": qid}, before="submit_answer",
                           why="read the question and its options before answering")]  # fmt: skip
    path = [f"get_question(question_id={qid!r})"]
    if q.book == "open" and key.support:
        fields["citations"] = CodeSetAnswer(codes=list(key.support))
        required.append(ActionSpec(tool="search_knowledge", before="submit_answer",
                                   why="an open-book answer rests on retrieved passages"))  # fmt: skip
        path += ["search_knowledge(...)", f"submit_answer(answer={key.answer!r}, citations={list(key.support)})"]
    else:
        path.append(f"submit_answer(answer={key.answer!r})")
    return Task(
        id=task_id(DOMAIN, generator, split, seed, index),
        domain=DOMAIN,
        split=split,
        prompt=prompt_for(item),
        case_ref=qid,
        tier=BOOK_TIER[q.book],
        composite=item.composite,
        parameters=item.parameters,
        answer=FieldsAnswer(fields=fields),
        privileged=Privileged(rationale=key.rationale, key_evidence=list(key.evidence), reference_path=path),
        rubric=Rubric(required_actions=required, max_tool_calls=BUDGET[q.book]),
        source=Source(generator=generator, version=version, licence=licence),
    )


def generate(split: Split, seed: int, index: int) -> Task:
    """Task ``index`` of ``(split, seed)``: a pure function of its arguments."""
    item = generated(split, seed, index)
    return task_for(item, split, seed, index, f"{DOMAIN}.{item.kind}")


def grade(task: Task, submitted: dict[str, Any] | None) -> Grade:
    """The answer, then the citations against the supporting passages (see the module docstring)."""
    assert isinstance(task.answer, FieldsAnswer)
    answer = task.answer.fields["answer"]
    right = grade_answer(answer, submitted)
    if submitted is None or "citations" not in task.answer.fields:
        return right
    support = set(task.answer.fields["citations"].codes)  # type: ignore[union-attr]
    raw = submitted.get("citations") or []
    cited = {str(c).strip() for c in (raw if isinstance(raw, list) else [raw]) if str(c).strip()}
    hits = len(cited & support)
    precision = hits / len(cited) if cited else 0.0
    recall = hits / len(support) if support else 1.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    score = round(right.score * (UNCITED_CREDIT + (1 - UNCITED_CREDIT) * f1), 6)
    details = {"answer": right.score, "citation_precision": round(precision, 6), "citation_recall": round(recall, 6)}
    if not right.correct:
        why = "wrong answer"
    elif score < 1:
        why = f"right answer, citations P={precision:.2f} R={recall:.2f}"
    else:
        why = "right answer, cited exactly the supporting passages"
    return Grade(score=score, correct=score >= 1 - 1e-9, submitted=submitted, details=details, why=why)
