"""The knowledge the open book reads: the knowledge base (Postgres store or built-in index) plus corpora loaded with
question files in this process (PubMedQA contexts, MedQuAD answers).

Who answers a search: the store when one is configured and holds a corpus, else the built-in BM25 index of the
``clinic`` corpus (``kb.tools.KnowledgeSource``, the same choice ``search_knowledge`` makes on every server); loaded
corpora are in-memory BM25 indexes (``kb.builtin.BuiltinIndex``). A search over every corpus fuses the ranked lists by
reciprocal rank (Cormack, Clarke & Buettcher, SIGIR 2009, k = 60), since BM25 scores of different indexes do not
compare. Neighbours of a passage are read from the index that holds it: the chunks before and after it in its
document, or, for one-passage documents of the clinic corpus, the passages generated next to it about the same
subject (a drug monograph's sections are generated in order).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from healthgym.mcp_servers.kb.builtin import BuiltinIndex, builtin_index
from healthgym.mcp_servers.kb.default_corpus import CLINIC_LICENCE, DEFAULT_CORPUS
from healthgym.mcp_servers.kb.errors import CorpusNotFoundError
from healthgym.mcp_servers.kb.passages import document_id
from healthgym.mcp_servers.kb.store import KnowledgeBase
from healthgym.mcp_servers.kb.tools import KnowledgeSource
from healthgym.schemas import Passage

RRF_K = 60
"""Reciprocal-rank fusion constant (Cormack et al. 2009)."""


@dataclass(frozen=True)
class CorpusSummary:
    name: str
    passages: int
    backend: str
    licence: str
    domains: tuple[str, ...]


_lock = threading.Lock()
_loaded: dict[str, tuple[BuiltinIndex, str]] = {}
_source = KnowledgeSource()


def register_corpus(name: str, passages: Iterable[Passage], licence: str) -> None:
    """Serve ``passages`` as corpus ``name`` in this process (replacing a loaded corpus of that name)."""
    if name == DEFAULT_CORPUS:
        raise ValueError(f"corpus name {name!r} is the built-in corpus; choose another")
    index = BuiltinIndex(name, [p.model_copy(update={"corpus": name}) for p in passages])
    with _lock:
        _loaded[name] = (index, licence)


def loaded_corpora() -> dict[str, tuple[BuiltinIndex, str]]:
    with _lock:
        return dict(_loaded)


def _fuse(lists: list[list[Passage]], k: int) -> list[Passage]:
    scores: dict[str, float] = {}
    first: dict[str, Passage] = {}
    for ranked in lists:
        for rank, p in enumerate(ranked, start=1):
            scores[p.id] = scores.get(p.id, 0.0) + 1.0 / (RRF_K + rank)
            first.setdefault(p.id, p)
    best = sorted(scores, key=lambda pid: (-scores[pid], pid))[:k]
    return [first[pid].model_copy(update={"score": scores[pid]}) for pid in best]


def search(query: str, *, k: int, corpus: str, domain: str) -> tuple[str, str, list[Passage]]:
    """``(backend, notice, passages)`` for ``query``: one corpus, or every corpus when ``corpus`` is empty."""
    loaded = loaded_corpora()
    domains = [domain] if domain else []
    if corpus in loaded:
        return "builtin", "", loaded[corpus][0].search(query, k=k, domains=domains)
    if corpus and corpus != DEFAULT_CORPUS and not _source_has(corpus):
        names = ", ".join(sorted({DEFAULT_CORPUS, *loaded}))
        raise CorpusNotFoundError(f"unknown corpus {corpus[:80]!r}; available: {names}")

    def on_store(kb: KnowledgeBase) -> list[Passage]:
        return kb.search(query, k=k, corpus=corpus or None, domains=domains, mode="hybrid")

    def on_builtin(index: BuiltinIndex) -> list[Passage]:
        return index.search(query, k=k, corpus=corpus or None, domains=domains)

    backend, notice, base = _source.call(on_store, on_builtin)
    if corpus or not loaded:
        return backend, notice, base
    extra = [index.search(query, k=k, domains=domains) for index, _ in loaded.values()]
    return backend, notice, _fuse([base, *extra], k)


def _source_has(corpus: str) -> bool:
    """Whether a configured store holds ``corpus`` (a store error counts as no)."""
    try:
        return _source.call(lambda kb: any(c.name == corpus for c in kb.corpora()), lambda index: False)[2]
    except Exception:  # noqa: BLE001 - an unreachable store simply does not hold it
        return False


def get(passage_id: str, corpus: str = "") -> Passage:
    """One passage by id, from a loaded corpus, the built-in index or the store; ``KeyError`` naming it otherwise."""
    for name, (index, _) in loaded_corpora().items():
        if corpus in ("", name) and passage_id in index._by_id:
            return index.get(name, passage_id)
    if corpus in ("", DEFAULT_CORPUS) and passage_id in builtin_index()._by_id:
        return builtin_index().get(DEFAULT_CORPUS, passage_id)

    def on_store(kb: KnowledgeBase) -> Passage:
        for info in kb.corpora():
            if corpus in ("", info.name):
                try:
                    return kb.get(info.name, passage_id)
                except KeyError:
                    continue
        raise KeyError(passage_id)

    def on_builtin(index: BuiltinIndex) -> Passage:
        raise KeyError(passage_id)

    try:
        return _source.call(on_store, on_builtin)[2]
    except KeyError:
        raise KeyError(f"no passage {passage_id[:64]!r} in {corpus or 'any corpus'}") from None


def _holder(passage: Passage) -> BuiltinIndex | None:
    loaded = loaded_corpora().get(passage.corpus)
    if loaded is not None:
        return loaded[0]
    index = builtin_index()
    return index if passage.corpus == DEFAULT_CORPUS and passage.id in index._by_id else None


def _subject(p: Passage) -> str:
    return p.title.split(":", 1)[0] if ":" in p.title else p.title


def neighbours(passage: Passage, n: int) -> list[Passage]:
    """Up to ``n`` passages before and ``n`` after ``passage`` in its document or about its subject (module doc)."""
    index = _holder(passage)
    if index is None or n == 0:
        return []
    at = index._by_id[passage.id]
    doc, subject = document_id(passage), _subject(passage)
    same = (
        (lambda p: document_id(p) == doc)
        if "chunks" in passage.metadata
        else (lambda p: _subject(p) == subject and p.corpus == passage.corpus)
    )
    before = [p for p in index.passages[max(0, at - n) : at] if same(p)]
    after = [p for p in index.passages[at + 1 : at + 1 + n] if same(p)]
    return before + after


def document(doc: str, corpus: str = "") -> list[Passage]:
    """Every passage of document ``doc`` in order, from the in-memory indexes (loaded corpora, then the built-in one);
    ``KeyError`` naming it when none holds it (a document only the Postgres store holds is not read whole)."""
    indexes = [index for name, (index, _) in loaded_corpora().items() if corpus in ("", name)]
    if corpus in ("", DEFAULT_CORPUS):
        indexes.append(builtin_index())
    for index in indexes:
        found = [p for p in index.passages if document_id(p) == doc]
        if found:
            return sorted(found, key=lambda p: int(p.metadata.get("chunk", 0)))
    raise KeyError(f"no document {doc[:64]!r} in {corpus or 'the in-memory corpora'}")


def corpora() -> list[CorpusSummary]:
    """Every corpus a search can reach: the built-in or stored ones, then the loaded ones."""

    def on_store(kb: KnowledgeBase) -> list[CorpusSummary]:
        return [CorpusSummary(c.name, c.n_passages, "postgres", str(c.metadata.get("licence", "")) or
                              "see each passage", ()) for c in kb.corpora()]  # fmt: skip

    def on_builtin(index: BuiltinIndex) -> list[CorpusSummary]:
        domains = sorted({d for p in index.passages for d in p.domains})
        return [CorpusSummary(index.corpus, len(index.passages), "builtin", CLINIC_LICENCE, tuple(domains))]

    out = list(_source.call(on_store, on_builtin)[2])
    for name, (index, licence) in sorted(loaded_corpora().items()):
        out.append(CorpusSummary(name, len(index.passages), "loaded", licence, ()))
    return out


__all__ = ["CorpusSummary", "corpora", "document", "get", "neighbours", "register_corpus", "search"]
