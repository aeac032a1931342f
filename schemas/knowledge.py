"""A passage of the knowledge base, as search returns it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Passage(BaseModel):
    """One retrievable passage; `id` is a content hash, so re-ingesting is idempotent."""

    model_config = ConfigDict(extra="forbid")
    id: str
    corpus: str
    title: str
    text: str
    domains: list[str] = Field(default_factory=list)
    source: str = Field(default="", description="Where the text comes from, with its licence.")
    metadata: dict[str, Any] = Field(default_factory=dict)
    score: float | None = Field(default=None, description="Retrieval score, when returned by a search.")
    snippet: str | None = Field(default=None, description="The matching span, when returned by a search.")
