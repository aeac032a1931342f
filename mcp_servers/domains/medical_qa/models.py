"""The question record an agent reads, and the hidden key a grader holds."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Book = Literal["open", "closed"]
"""``open``: the knowledge base may be searched and its passages cited; ``closed``: it may not (the clinic's
reference tables remain)."""


class Question(BaseModel):
    """One question as ``get_question`` shows it: never the answer or the supporting passages."""

    model_config = ConfigDict(frozen=True)

    question_id: str = Field(description="Opaque question id, e.g. 'QA-5W1Q3ZK8M0RTA'.")
    topic: str = Field(description="What the question is about, e.g. 'drug class' or 'PubMedQA'.")
    book: Book = Field(description="'open': search and cite the knowledge base; 'closed': answer without it.")
    question: str = Field(description="The question.")
    options: list[str] = Field(description="The answers to choose from; submit one exactly as written.")
    corpus: str = Field(description="The corpus that holds the question's evidence (search it with corpus=...).")
    source: str = Field(description="Where the question comes from.")
    licence: str = Field(description="The licence the question's text is under.")


class Key(BaseModel):
    """The gold of a question: the right option and the passages that state it (grader and teacher only)."""

    model_config = ConfigDict(frozen=True)

    answer: str
    support: list[str] = Field(description="Ids of the passages that together state the answer.")
    rationale: str
    evidence: list[str] = Field(default_factory=list, description="What the supporting passages say.")
