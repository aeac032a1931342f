"""Bulk loading: stream passages with binary COPY, then build indexes once.

Loading into an indexed table is ~100x slower than loading then indexing, so a corpus is loaded bare (only its primary
key) and its GIN (full text, domains) and HNSW (vectors) indexes are built afterwards; pgvector builds HNSW fastest
when the graph fits in ``maintenance_work_mem``.

Resuming: each batch looks up which of its content-hash ids are already stored and embeds and copies only the others,
in one transaction. Killing a load loses at most the batch in flight; running it again skips everything stored and
ends with the exact count. An advisory lock per corpus keeps two loaders of one corpus from interleaving.

Lexical first (``defer_vectors``): embedding is ~50-100x slower than the rest of a load on a CPU (``embedders.py``),
so a load can store the passages without vectors, build the full-text indexes and be searchable (lexical, and hybrid
answered lexically) at COPY speed; ``embed_pending`` then fills the vectors batch by batch and builds the HNSW index.
Until then the corpus's ``metadata.vectors_pending`` is set and dense search skips it (``search.dense_corpora``).
Killing the embedding loses at most one batch; ``embed_pending`` (``healthgym kb embed``) resumes it.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from healthgym.mcp_servers.kb.embedders import Embedder
from healthgym.mcp_servers.kb.errors import EmbedderMismatchError
from healthgym.mcp_servers.kb.passages import embedding_text
from healthgym.schemas import Passage

__all__ = ["HNSW_EF_CONSTRUCTION", "HNSW_M", "IngestReport", "build_indexes", "embed_pending", "ingest"]

HNSW_M = 16
"""HNSW graph degree (pgvector's default)."""
HNSW_EF_CONSTRUCTION = 64
"""HNSW build-time candidate list (pgvector's default)."""
_COLUMNS = ("corpus", "id", "domains", "title", "text", "source", "metadata", "embedding")
_TYPES = ("text", "text", "text[]", "text", "text", "text", "jsonb", "vector")


@dataclass
class IngestReport:
    """Running totals of one load."""

    corpus: str
    seen: int = 0
    """Passages read from the source."""
    added: int = 0
    """Passages stored by this run."""
    skipped: int = 0
    """Passages already stored (earlier run, or a duplicate in the source)."""
    load_seconds: float = 0.0
    embed_seconds: float = 0.0
    """Part of ``load_seconds`` spent embedding."""
    index_seconds: dict[str, float] = field(default_factory=dict)
    phase: str = "load"
    """``load``, then ``index <step>`` while each index is built (``INDEX_STEPS``)."""


def _lock_key(corpus: str) -> str:
    return f"healthgym-kb-ingest:{corpus}"


def _ensure_corpus(conn: Any, corpus: str, part: str, embedder: Embedder | None) -> bool:
    """Create the corpus and its partition (returns ``True``), or check that it was built with the same embedder."""
    from psycopg import sql
    from psycopg.types.json import Jsonb

    model, dim, spec = (embedder.model, embedder.dim, embedder.spec) if embedder else (None, None, None)
    row = conn.execute("SELECT embedder_model, dim FROM kb_corpus WHERE name = %s", (corpus,)).fetchone()
    if row is None:
        with conn.transaction():
            conn.execute(
                "INSERT INTO kb_corpus (name, part, embedder_spec, embedder_model, dim, metadata) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                (corpus, part, spec, model, dim, Jsonb({})),
            )
            conn.execute(
                sql.SQL("CREATE TABLE {} PARTITION OF kb_passage FOR VALUES IN ({})").format(
                    sql.Identifier(part), sql.Literal(corpus)
                )
            )
        return True
    if tuple(row) != (model, dim):

        def describe(m: str | None, d: int | None) -> str:
            return f"{m} ({d}-d)" if m else "no vectors (lexical)"

        raise EmbedderMismatchError(
            f"corpus {corpus!r} was built with {describe(*row)}; this load uses {describe(model, dim)}. "
            f"Load it with the same embedder, or `healthgym kb drop {corpus}` and rebuild"
        )
    return False


def _drop_if_empty(conn: Any, corpus: str, part: str) -> None:
    """Remove a corpus this load created but put nothing in (the source failed before its first batch)."""
    from psycopg import sql

    with conn.transaction():
        if conn.execute(sql.SQL("SELECT NOT EXISTS (SELECT 1 FROM {})").format(sql.Identifier(part))).fetchone()[0]:
            conn.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(part)))
            conn.execute("DELETE FROM kb_corpus WHERE name = %s", (corpus,))


def ingest(
    conn: Any,
    passages: Iterable[Passage],
    corpus: str,
    part: str,
    embedder: Embedder | None,
    *,
    batch_size: int = 256,
    build_indexes: bool = True,
    on_batch: Callable[[IngestReport], None] | None = None,
    defer_vectors: bool = False,
) -> IngestReport:
    """Load ``passages`` into ``corpus`` (see the module docstring); the connection must be in autocommit mode."""
    from psycopg import sql
    from psycopg.types.json import Jsonb

    if batch_size < 1:
        raise ValueError(f"batch_size must be positive, got {batch_size}")
    iterator = iter(passages)
    first = list(itertools.islice(iterator, 1))  # a source in the wrong format fails here, before anything is created
    if not first:
        raise ValueError(f"no passages to load into {corpus!r}: the source is empty or not in the format given")
    iterator = itertools.chain(first, iterator)
    created = _ensure_corpus(conn, corpus, part, embedder)
    report = IngestReport(corpus=corpus)
    table = sql.Identifier(part)
    existing_sql = sql.SQL("SELECT id FROM {} WHERE id = ANY(%s)").format(table)
    copy_sql = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
        table, sql.SQL(", ").join(map(sql.Identifier, _COLUMNS))
    )
    conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (_lock_key(corpus),))
    try:
        started = time.perf_counter()
        while batch := list(itertools.islice(iterator, batch_size)):
            report.seen += len(batch)
            unique = {p.id: p for p in batch}
            stored = {r[0] for r in conn.execute(existing_sql, (list(unique),))}
            new = [p for pid, p in unique.items() if pid not in stored]
            report.skipped += len(batch) - len(new)
            if new:
                vectors: Any = itertools.repeat(None)
                if embedder is not None and not defer_vectors:
                    t = time.perf_counter()
                    vectors = embedder.embed([embedding_text(p.title, p.text) for p in new])
                    report.embed_seconds += time.perf_counter() - t
                with conn.transaction():
                    with conn.cursor().copy(copy_sql) as copy:
                        copy.set_types(list(_TYPES))
                        for p, vector in zip(new, vectors, strict=False):
                            row = (corpus, p.id, p.domains, p.title, p.text, p.source, Jsonb(p.metadata), vector)
                            copy.write_row(row)
                    if not report.added:  # the corpus now needs (re)indexing
                        conn.execute(
                            "UPDATE kb_corpus SET status = 'loading', updated_at = now() WHERE name = %s", (corpus,)
                        )
                report.added += len(new)
            report.load_seconds = time.perf_counter() - started
            if on_batch is not None:
                on_batch(report)
        if defer_vectors and embedder is not None and report.added:
            _set_pending(conn, corpus, True)
        status = conn.execute("SELECT status FROM kb_corpus WHERE name = %s", (corpus,)).fetchone()[0]
        if build_indexes and (report.added or status != "ready"):
            dim = embedder.dim if embedder is not None and not defer_vectors else None
            report.index_seconds = _build(conn, corpus, part, dim, report, on_batch)
    except BaseException:
        if created and not report.added and not conn.closed:
            _drop_if_empty(conn, corpus, part)
        raise
    finally:
        conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (_lock_key(corpus),))
    return report


def _set_pending(conn: Any, corpus: str, pending: bool) -> None:
    from psycopg.types.json import Jsonb

    conn.execute(
        "UPDATE kb_corpus SET metadata = metadata || %s, updated_at = now() WHERE name = %s",
        (Jsonb({"vectors_pending": pending}), corpus),
    )


def embed_pending(
    conn: Any,
    corpus: str,
    part: str,
    embedder: Embedder,
    *,
    batch_size: int = 256,
    on_batch: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Embed the corpus's passages that have no vector yet (a lexical-first load), then build its HNSW index.

    ``report.added`` counts the passages embedded; ``report.skipped`` those that already had a vector."""
    from psycopg import sql

    row = conn.execute("SELECT embedder_model, dim FROM kb_corpus WHERE name = %s", (corpus,)).fetchone()
    if tuple(row) != (embedder.model, embedder.dim):
        raise EmbedderMismatchError(
            f"corpus {corpus!r} was created for {row[0]} ({row[1]}-d); this embedder is {embedder.model} "
            f"({embedder.dim}-d)"
        )
    table = sql.Identifier(part)
    report = IngestReport(corpus=corpus, phase="embed")
    conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (_lock_key(corpus),))
    try:
        counts = conn.execute(sql.SQL("SELECT count(*), count(embedding) FROM {}").format(table)).fetchone()
        report.skipped = counts[1]
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS kb_vectors (id text, embedding vector) ON COMMIT DELETE ROWS")
        pending = sql.SQL("SELECT id, title, text FROM {} WHERE embedding IS NULL LIMIT %s").format(table)
        update = sql.SQL("UPDATE {} p SET embedding = v.embedding FROM kb_vectors v WHERE p.id = v.id").format(table)
        started = time.perf_counter()
        while rows := conn.execute(pending, (batch_size,)).fetchall():
            t = time.perf_counter()
            vectors = embedder.embed([embedding_text(title, text) for _, title, text in rows])
            report.embed_seconds += time.perf_counter() - t
            with conn.transaction():
                with conn.cursor().copy("COPY kb_vectors (id, embedding) FROM STDIN (FORMAT BINARY)") as copy:
                    copy.set_types(["text", "vector"])
                    for (pid, _, _), vector in zip(rows, vectors, strict=True):
                        copy.write_row((pid, vector))
                conn.execute(update)
            report.seen += len(rows)
            report.added += len(rows)
            report.load_seconds = time.perf_counter() - started
            if on_batch is not None:
                on_batch(report)
        report.index_seconds = _build(conn, corpus, part, embedder.dim, report, on_batch)
        _set_pending(conn, corpus, False)
    finally:
        conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (_lock_key(corpus),))
    return report


def build_indexes(conn: Any, corpus: str, part: str, dim: int | None) -> dict[str, float]:
    """Build the corpus's indexes and lexeme statistics (under the corpus's load lock); seconds per step."""
    conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (_lock_key(corpus),))
    try:
        return _build(conn, corpus, part, dim)
    finally:
        conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (_lock_key(corpus),))


def _build(
    conn: Any,
    corpus: str,
    part: str,
    dim: int | None,
    report: IngestReport | None = None,
    on_step: Callable[[IngestReport], None] | None = None,
) -> dict[str, float]:
    from psycopg import sql
    from psycopg.types.json import Jsonb

    table = sql.Identifier(part)
    steps: list[tuple[str, sql.Composable]] = [
        (
            "fulltext_gin",
            sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} USING gin (tsv)").format(sql.Identifier(f"{part}_tsv"), table),
        ),
        (
            "domains_gin",
            sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} USING gin (domains)").format(
                sql.Identifier(f"{part}_domains"), table
            ),
        ),
    ]
    if dim is not None:
        steps.append(
            (
                "hnsw",
                sql.SQL(
                    "CREATE INDEX IF NOT EXISTS {} ON {} USING hnsw ((embedding::vector({})) vector_cosine_ops) "
                    "WITH (m = {}, ef_construction = {})"
                ).format(
                    sql.Identifier(f"{part}_hnsw"),
                    table,
                    sql.Literal(dim),
                    sql.Literal(HNSW_M),
                    sql.Literal(HNSW_EF_CONSTRUCTION),
                ),
            )
        )
    steps.append(
        (
            "lexeme_stats",
            sql.SQL("INSERT INTO kb_lexeme (corpus, lexeme, ndoc) SELECT {}, word, ndoc FROM ts_stat({})").format(
                sql.Literal(corpus), sql.Literal(f'SELECT tsv FROM "{part}"')
            ),
        )
    )
    steps.append(("analyze", sql.SQL("ANALYZE {}").format(table)))
    seconds: dict[str, float] = {}
    conn.execute("SET maintenance_work_mem = '2GB'")
    try:
        for name, statement in steps:
            if report is not None and on_step is not None:
                report.phase = f"index {name}"
                on_step(report)
            t = time.perf_counter()
            with conn.transaction():
                if name == "lexeme_stats":
                    conn.execute("DELETE FROM kb_lexeme WHERE corpus = %s", (corpus,))
                conn.execute(statement)
            seconds[name] = round(time.perf_counter() - t, 3)
    finally:
        conn.execute("RESET maintenance_work_mem")
    _prewarm(conn, part)
    n, avg = conn.execute(sql.SQL("SELECT count(*), coalesce(avg(length(tsv)), 1) FROM {}").format(table)).fetchone()
    conn.execute(
        "UPDATE kb_corpus SET status = 'ready', n_passages = %s, avg_length = %s, updated_at = now(), "
        "metadata = metadata || %s WHERE name = %s",
        (n, float(avg), Jsonb({"index_seconds": seconds}), corpus),
    )
    return seconds


def _prewarm(conn: Any, part: str) -> None:
    """Load the corpus's new indexes into ``shared_buffers`` (``pg_prewarm``), so the first queries after a build do
    not read them from disk; skipped where the server does not offer the extension (some managed services)."""
    import psycopg

    try:
        with conn.transaction():
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            conn.execute("SELECT pg_prewarm(indexrelid) FROM pg_index WHERE indrelid = %s::regclass", (part,))
    except psycopg.Error:
        pass
