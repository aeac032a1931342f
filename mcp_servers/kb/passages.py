"""Documents, their passages, and the content-hash ids that make re-ingesting idempotent."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from healthgym.mcp_servers.kb.chunking import Chunker
from healthgym.schemas import Passage

__all__ = ["Document", "chunk_documents", "embedding_text", "passage_id"]


def passage_id(title: str, text: str) -> str:
    """Content hash of a passage (96 bits of SHA-256 over title and text): the same passage always gets the same id,
    so loading a corpus twice, or resuming a killed load, adds nothing twice."""
    return hashlib.sha256(f"{title}\x1f{text}".encode()).hexdigest()[:24]


def embedding_text(title: str, text: str) -> str:
    """What the embedder reads: the title first, so a chunk from the middle of a document keeps its topic."""
    return f"{title}\n{text}" if title else text


@dataclass
class Document:
    """A whole source document (an answer, an abstract, a file) before chunking."""

    title: str
    text: str
    source: str = ""
    """Where it comes from, with its licence."""
    metadata: dict[str, Any] = field(default_factory=dict)
    domains: tuple[str, ...] = ()


def chunk_documents(documents: Iterable[Document], corpus: str, chunker: Chunker) -> Iterator[Passage]:
    """The passages of each document in order; a document split in ``n`` chunks tags each with ``chunk``/``chunks``."""
    for doc in documents:
        chunks = list(chunker.split(doc.text))
        for i, chunk in enumerate(chunks):
            metadata = {**doc.metadata, "chunk": i, "chunks": len(chunks)} if len(chunks) > 1 else doc.metadata
            yield Passage(
                id=passage_id(doc.title, chunk),
                corpus=corpus,
                title=doc.title,
                text=chunk,
                domains=list(doc.domains),
                source=doc.source,
                metadata=metadata,
            )
