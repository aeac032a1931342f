"""``KnowledgeBase``: one handle on the store for ingestion, search, lookup, statistics and drops.

The handle connects lazily, on its first use, so MCP servers can be built (and tested) without a database. It holds
one connection, used by one operation at a time (a lock), and reconnects once if the server went away.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from healthgym.mcp_servers.kb import ingest as _ingest
from healthgym.mcp_servers.kb import search as _search
from healthgym.mcp_servers.kb.database import connect, partition_name, validate_corpus_name
from healthgym.mcp_servers.kb.embedders import Embedder, get_embedder
from healthgym.mcp_servers.kb.errors import CorpusNotFoundError, KBNotBuiltError
from healthgym.mcp_servers.kb.settings import KBSettings
from healthgym.schemas import Passage

__all__ = ["CorpusInfo", "KnowledgeBase", "SearchMode"]

SearchMode = Literal["hybrid", "dense", "lexical"]
T = TypeVar("T")


@dataclass(frozen=True)
class CorpusInfo:
    """One corpus as recorded in ``kb_corpus``."""

    name: str
    part: str
    """Its partition table."""
    embedder_spec: str | None
    """The spec that built its vectors, for display only: queries use the configured embedder (settings or command
    line), never one named by the database; ``None`` for a lexical-only corpus."""
    embedder_model: str | None
    dim: int | None
    status: str
    """``loading`` until its indexes are built, then ``ready``."""
    n_passages: int
    avg_length: float
    """Mean number of distinct lexemes per passage (BM25 length normalisation)."""
    metadata: dict[str, Any] = field(default_factory=dict)


_CORPUS_COLUMNS = "name, part, embedder_spec, embedder_model, dim, status, n_passages, avg_length, metadata"


class KnowledgeBase:
    """The knowledge store (see the package docstring for the model); safe to share between threads.

    Args:
        settings: Where the database is and which embedder to use; ``KBSettings.from_env()`` by default.
    """

    def __init__(self, settings: KBSettings | None = None) -> None:
        self.settings = settings or KBSettings.from_env()
        self._conn: Any = None
        self._lock = threading.RLock()
        self._embedders: dict[str, Embedder | None] = {}
        self._query_embedding = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kb-query-embedding")
        """Embeds a hybrid query while the database runs its lexical list (``SearchPlan.run``)."""

    def is_configured(self) -> bool:
        """Whether a database is there to use: ``HEALTHGYM_DATABASE_URL`` is set, or the embedded one was created."""
        return self.settings.database_url is not None or (self.settings.pgdata / "PG_VERSION").exists()

    # -- connection -------------------------------------------------------------------------------------------------

    def _run(self, op: Callable[[Any], T], *, create: bool = False) -> T:
        """Run ``op(conn)`` under the lock, reconnecting once if the connection was lost."""
        import psycopg

        with self._lock:
            for attempt in (1, 2):
                if self._conn is None or self._conn.closed:
                    self._conn = connect(self.settings, create=create)
                try:
                    return op(self._conn)
                except psycopg.OperationalError:
                    if attempt == 2 or not self._conn.closed:
                        raise
                    self._conn = None
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def embedder(self, spec: str | None = None) -> Embedder | None:
        """The embedder for ``spec`` (default: the settings'), loaded once per spec; ``None`` means lexical-only."""
        spec = spec or self.settings.embedder
        if spec not in self._embedders:
            self._embedders[spec] = get_embedder(spec, cache_dir=self.settings.data_dir / "models")
        return self._embedders[spec]

    # -- corpora ----------------------------------------------------------------------------------------------------

    def corpora(self) -> list[CorpusInfo]:
        """Every corpus, by name; an empty list before anything was loaded."""
        try:
            rows = self._run(lambda c: c.execute(f"SELECT {_CORPUS_COLUMNS} FROM kb_corpus ORDER BY name").fetchall())
        except KBNotBuiltError:
            return []
        return [CorpusInfo(*row) for row in rows]

    def corpus(self, name: str) -> CorpusInfo:
        """The corpus called ``name``; an unknown name fails with the list of known ones."""
        known = self.corpora()
        for info in known:
            if info.name == name:
                return info
        if not known:
            raise KBNotBuiltError("the knowledge base is empty; run `healthgym kb build` (or `healthgym kb ingest`)")
        raise CorpusNotFoundError(f"unknown corpus {name[:80]!r}; available: {', '.join(i.name for i in known)}")

    def drop(self, name: str) -> int:
        """Delete a corpus and its passages; returns how many passages it had."""
        info = self.corpus(name)

        def op(conn: Any) -> int:
            from psycopg import sql

            with conn.transaction():
                count = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(info.part))).fetchone()
                conn.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(info.part)))
                conn.execute("DELETE FROM kb_corpus WHERE name = %s", (name,))
            return count[0]

        return self._run(op)

    def stats(self) -> dict[str, Any]:
        """Per-corpus counts, embedder, status, index build times and disk size, plus the schema version.

        ``passages`` counts the rows stored now (so a load in progress shows what it has committed); ``indexed`` is the
        count when the indexes were last built.
        """

        def op(conn: Any) -> dict[str, Any]:
            from psycopg import sql

            from healthgym.mcp_servers.kb.database import schema_version

            out: dict[str, Any] = {"schema_version": schema_version(conn), "corpora": []}
            for info in (
                CorpusInfo(*r) for r in conn.execute(f"SELECT {_CORPUS_COLUMNS} FROM kb_corpus ORDER BY name")
            ):
                size = conn.execute(
                    "SELECT pg_total_relation_size(%s::regclass), pg_indexes_size(%s::regclass)", (info.part, info.part)
                ).fetchone()
                stored = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(info.part))).fetchone()
                out["corpora"].append(
                    {
                        "name": info.name,
                        "passages": stored[0],
                        "indexed": info.n_passages,
                        "status": info.status,
                        "embedder": info.embedder_model or "lexical",
                        "dim": info.dim,
                        "disk_bytes": size[0],
                        "index_bytes": size[1],
                        **{k: v for k, v in info.metadata.items() if k in ("index_seconds", "sources")},
                    }
                )
            out["disk_bytes"] = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
            return out

        return self._run(op)

    # -- ingestion --------------------------------------------------------------------------------------------------

    def ingest(
        self,
        passages: Iterable[Passage],
        corpus: str,
        *,
        embedder: str | Embedder | None = None,
        batch_size: int = 256,
        build_indexes: bool = True,
        on_batch: Callable[[_ingest.IngestReport], None] | None = None,
        defer_vectors: bool = False,
    ) -> _ingest.IngestReport:
        """Stream ``passages`` into ``corpus`` (created on first use), then build its indexes.

        Idempotent and resumable: passages already stored (same content-hash id) are skipped before they are
        embedded, and each batch is one transaction, so a killed load loses at most one batch and a rerun finishes it
        with exact counts. Only one process loads a given corpus at a time (an advisory lock).

        Args:
            passages: The passages; their ``corpus`` field is ignored in favour of ``corpus``.
            corpus: Target corpus name.
            embedder: Embedder spec (default: the settings'), or an ``Embedder`` instance (kept for this handle's
                queries under its ``spec``); ``lexical`` stores no vectors. A corpus keeps the model and dimension it
                was created with: another one raises ``EmbedderMismatchError``.
            batch_size: Passages per transaction (and per embedding call).
            build_indexes: Build the full-text, domain and HNSW indexes after loading (skip to load more first).
            on_batch: Called with the running totals after each batch (progress bars).
            defer_vectors: Lexical first: store the passages without vectors and build the full-text indexes only,
                so the corpus is searchable at COPY speed; ``embed_pending`` adds the vectors afterwards.
        """
        validate_corpus_name(corpus)
        if isinstance(embedder, Embedder):
            self._embedders[embedder.spec] = embedder
            embedder = embedder.spec
        model = self.embedder(embedder)
        return self._run(
            lambda conn: _ingest.ingest(
                conn,
                passages,
                corpus,
                partition_name(corpus),
                model,
                batch_size=batch_size,
                build_indexes=build_indexes,
                on_batch=on_batch,
                defer_vectors=defer_vectors,
            ),
            create=True,
        )

    def embed_pending(
        self,
        corpus: str,
        *,
        batch_size: int = 256,
        on_batch: Callable[[_ingest.IngestReport], None] | None = None,
    ) -> _ingest.IngestReport:
        """Embed a lexical-first corpus's passages that have no vector yet, then build its HNSW index (resumable).

        Uses the configured embedder, which must be the corpus's model and dimension."""
        info = self.corpus(corpus)
        model = self.embedder()
        if model is None or info.dim is None:
            raise ValueError(f"corpus {corpus!r} has no vectors to compute (lexical corpus or lexical embedder)")
        return self._run(
            lambda conn: _ingest.embed_pending(
                conn, info.name, info.part, model, batch_size=batch_size, on_batch=on_batch
            )
        )

    def build_indexes(self, corpus: str) -> dict[str, float]:
        """(Re)build a corpus's indexes and statistics; returns seconds per index."""
        info = self.corpus(corpus)
        return self._run(lambda conn: _ingest.build_indexes(conn, info.name, info.part, info.dim))

    # -- search -----------------------------------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        k: int = 5,
        corpus: str | Sequence[str] | None = None,
        domains: Sequence[str] = (),
        mode: SearchMode = "hybrid",
        ef_search: int | None = None,
        embedder: str | None = None,
    ) -> list[Passage]:
        """The ``k`` best passages for ``query``, with ``score`` and a ``snippet`` marking the matching words.

        Args:
            query: Free text (at most ``search.MAX_QUERY_CHARS`` characters).
            k: How many passages (1..100).
            corpus: One corpus, several, or ``None`` for all.
            domains: Keep only passages tagged with any of these domains.
            mode: ``dense`` (cosine k-NN over HNSW), ``lexical`` (Postgres full text, BM25-weighted) or ``hybrid``
                (both, fused by reciprocal rank). Corpora without vectors answer lexically in ``hybrid``.
            ef_search: HNSW candidate list size for this query (default ``settings.ef_search``).
            embedder: Embedder spec for the query (default: the settings'). A vector corpus built with another model
                or dimension raises ``EmbedderMismatchError``; the spec stored with a corpus is never used.
        """
        text = _search.clean_query(query)
        if not 1 <= k <= 100:
            raise ValueError(f"k must be in 1..100, got {k}")
        if ef_search is not None and not 1 <= ef_search <= 1000:
            raise ValueError(f"ef_search must be in 1..1000, got {ef_search}")
        if mode not in ("hybrid", "dense", "lexical"):
            raise ValueError(f"unknown search mode {mode!r}; use hybrid, dense or lexical")
        names = [corpus] if isinstance(corpus, str) else list(corpus or [])
        infos = [self.corpus(n) for n in names] if names else self.corpora()
        if not infos:
            raise KBNotBuiltError("the knowledge base is empty; run `healthgym kb build` (or `healthgym kb ingest`)")
        vector, dense = None, []
        if mode != "lexical":
            configured = self.embedder(embedder)
            dense = _search.dense_corpora(infos, required=mode == "dense", embedder=configured)
            if dense and configured is not None:
                vector = self._query_embedding.submit(lambda: configured.embed([text])[0])
        plan = _search.SearchPlan(
            text=text,
            k=k,
            infos=infos,
            domains=list(domains),
            mode=mode,
            vector=vector,
            dense=dense,
            ef_search=ef_search or self.settings.ef_search,
        )
        return self._run(plan.run)

    def get(self, corpus: str, passage_id: str) -> Passage:
        """One passage by id; an unknown id raises ``KeyError`` naming it."""
        info = self.corpus(corpus)
        found = self._run(lambda conn: _search.fetch(conn, info, [passage_id]))
        if not found:
            raise KeyError(f"no passage {passage_id[:64]!r} in corpus {corpus!r}")
        return found[0]
