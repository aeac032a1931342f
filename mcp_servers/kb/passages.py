"""Documents, their passages, and the content-hash ids that make re-ingesting idempotent."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from healthgym.mcp_servers.kb.chunking import Chunker
from healthgym.schemas import Passage

__all__ = ["Document", "chunk_documents", "document_id", "embedding_text", "licence_of", "passage_id"]

UNSTATED_LICENCE = "not stated by the source"


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
    licence: str = ""
    """The licence its text is under, when the source states one."""

    @property
    def id(self) -> str:
        """The source's own id for the document when it has one (MedQuAD question id, PMID, MedRAG id), else the
        content hash of the whole document, so every chunk of a document names the same document."""
        for key in ("doc_id", "id", "pmid"):
            if self.metadata.get(key):
                return str(self.metadata[key])
        return passage_id(self.title, self.text)


def document_id(passage: Passage) -> str:
    """The document a passage was cut from (``metadata["document"]``; the passage's own id for older corpora)."""
    return str(passage.metadata.get("document") or passage.id)


def licence_of(passage: Passage) -> str:
    """The licence recorded for a passage at load time (``metadata["licence"]``), or that none was stated."""
    return str(passage.metadata.get("licence") or UNSTATED_LICENCE)


def chunk_documents(documents: Iterable[Document], corpus: str, chunker: Chunker) -> Iterator[Passage]:
    """The passages of each document in order, each tagged with its ``document`` id and ``licence``; a document split
    in ``n`` chunks also tags each with ``chunk``/``chunks``. Documents are tokenised 64 at a time (one batch)."""
    iterator = iter(documents)
    for group in iter(lambda: list(itertools.islice(iterator, 64)), []):
        for doc, chunks in zip(group, chunker.split_many([d.text for d in group]), strict=True):
            yield from _passages(doc, chunks, corpus)


def _passages(doc: Document, chunks: list[str], corpus: str) -> Iterator[Passage]:
    tags = {"document": doc.id, **({"licence": doc.licence} if doc.licence else {})}
    for i, chunk in enumerate(chunks):
        metadata = {**doc.metadata, **tags, **({"chunk": i, "chunks": len(chunks)} if len(chunks) > 1 else {})}
        yield Passage(
            id=passage_id(doc.title, chunk),
            corpus=corpus,
            title=doc.title,
            text=chunk,
            domains=list(doc.domains),
            source=doc.source,
            metadata=metadata,
        )
