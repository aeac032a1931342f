"""Dense, lexical and hybrid search over the passage partitions.

- **Dense**: cosine k-NN with pgvector's HNSW index (``hnsw.ef_search`` per query; with a domain filter, pgvector 0.8
  iterative scans keep returning rows until ``k`` pass the filter).
- **Lexical**: Postgres full text scored with BM25 (Robertson & Zaragoza 2009, "The Probabilistic Relevance
  Framework: BM25 and Beyond", Found. Trends IR 3(4)). Postgres's own ``ts_rank`` has no inverse document frequency,
  so the score here is computed from the corpus's lexeme document frequencies (``kb_lexeme``, built with the
  indexes): each query term adds ``idf * tf (k1 + 1) / (tf + k1 (1 - b + b len / avglen))``, with ``tf`` the
  term's number of occurrences (a title occurrence counts ``TITLE_WEIGHT``) recovered exactly from ``ts_rank`` (see
  ``term_count_sql``) and ``len`` the passage's number of distinct lexemes. On the 828K bench corpus (300 questions)
  exact counts raised lexical recall@10 from 0.543 to 0.710 and MRR@10 from 0.277 to 0.400, against ``ts_rank``'s
  own saturating value (at most 1.64 for any number of occurrences).
  Candidates are the passages matching the query's rarest terms (up to ``ANCHOR_BUDGET`` postings; the rarest term
  always counts), so a question full of common words does not rank half the corpus; common terms still add to the
  score of every candidate. In **hybrid** mode the lexical list is skipped when even the rarest query term is in
  more than ``HYBRID_SKIP_DF`` passages: such a question has no distinctive word for BM25 to find, and ranking
  thousands of candidates was the whole of hybrid's p95 (``bench/kb.py``); the dense list answers alone.
- **Hybrid**: reciprocal rank fusion of both lists, ``sum 1 / (60 + rank)`` (Cormack, Clarke & Buettcher 2009,
  "Reciprocal Rank Fusion outperforms Condorcet and individual Rank Learning Methods", SIGIR).

Every value reaches SQL as a bound parameter; table names come from ``kb_corpus`` (hashes), never from the query.
"""

from __future__ import annotations

import math
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from healthgym.mcp_servers.kb.errors import EmbedderMismatchError, QueryError

if TYPE_CHECKING:
    from healthgym.mcp_servers.kb.embedders import Embedder
    from healthgym.mcp_servers.kb.store import CorpusInfo
from healthgym.schemas import Passage

__all__ = [
    "ANCHOR_BUDGET",
    "HYBRID_SKIP_DF",
    "MAX_QUERY_CHARS",
    "RRF_K",
    "SearchPlan",
    "clean_query",
    "dense_corpora",
    "fetch",
]

MAX_QUERY_CHARS = 2000
"""Longer queries are refused: a search query is a question or a few terms, not a document."""
MAX_TERMS = 32
"""Only the rarest 32 terms of a long query are scored."""
ANCHOR_BUDGET = 2000
"""Candidate postings fetched for lexical ranking (see the module docstring)."""
HYBRID_SKIP_DF = ANCHOR_BUDGET
"""Hybrid search drops the lexical list when the query's rarest term is in more passages than this."""
RRF_K = 60
BM25_K1 = 1.2
BM25_B = 0.75
TF_SCALE = 1.64493406685 / 0.4
"""Scales ``ts_rank`` of a one-lexeme query so that one occurrence in the text reads 1 (see ``term_count_sql``)."""
TITLE_WEIGHT = 2.5
"""A title occurrence counts as 2.5 text occurrences: the ratio of ``ts_rank``'s default weights for A and B."""


def term_count_sql(rank: str) -> str:
    """SQL for a term's occurrences in a passage, from ``rank``: the SQL of ``ts_rank(tsv, term, 0) * TF_SCALE``.

    PostgreSQL ranks a one-lexeme query as ``(w_max + sum over the other positions j of w_j / j^2) / (pi^2 / 6)``
    (``calc_rank_or`` in src/backend/utils/adt/tsrank.c; weights D 0.1, C 0.2, B 0.4, A 1.0). The passage's text is
    weight B and its title weight A, listed first, so ``rank`` is ``H(n) = sum_{j<=n} 1/j^2`` for n occurrences in
    the text, and ``TITLE_WEIGHT - 1 + H(n)`` for one in the title among n. ``H`` inverts in closed form,
    ``n = round(1 / (pi^2/6 - H) - 1/2)`` (the tail of the series is 1/n - 1/(2n^2) + ...), exact up to about 250
    occurrences (a tsvector keeps 256 positions). A term twice in the title is read at that ceiling, where BM25's
    term weight has already saturated."""
    harmonic = f"(CASE WHEN {rank} >= {TITLE_WEIGHT - 0.1} THEN {rank} - {TITLE_WEIGHT - 1} ELSE {rank} END)"
    count = f"round(1 / (1.64493406685 - least({harmonic}, 1.6410)) - 0.5)"
    return (
        f"CASE WHEN {rank} < 0.5 THEN 0 WHEN {rank} >= {TITLE_WEIGHT - 0.1} THEN {TITLE_WEIGHT} + {count} - 1 "
        f"ELSE {count} END"
    )


_HEADLINE = "MaxFragments=2, MaxWords=28, MinWords=10, StartSel=**, StopSel=**, FragmentDelimiter=' … '"


def clean_query(query: object) -> str:
    """The query as searchable text, or a ``QueryError`` that says what is wrong with it."""
    if isinstance(query, bytes):
        try:
            query = query.decode("utf-8")
        except UnicodeDecodeError as err:
            raise QueryError(f"the query is not valid UTF-8 (byte {err.start}); send text") from None
    if not isinstance(query, str):
        raise QueryError(f"the query must be text, got {type(query).__name__}")
    try:
        query.encode("utf-8")
    except UnicodeEncodeError as err:
        raise QueryError(f"the query is not valid UTF-8 (character {err.start}); send text") from None
    text = " ".join(query.replace("\x00", " ").split())
    if not text:
        raise QueryError("the query is empty; ask a question or give a few key terms")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is {len(text):,} characters; the limit is {MAX_QUERY_CHARS:,}: send the question or key terms"
        )
    return text


def dense_corpora(infos: list[CorpusInfo], *, required: bool, embedder: Embedder | None) -> list[CorpusInfo]:
    """The corpora searched by vector: every corpus with vectors (not still being embedded after a lexical-first
    load), which must all come from ``embedder``'s model and dimension (``EmbedderMismatchError`` otherwise). With no
    embedder configured (``lexical``), none."""
    vector = [i for i in infos if i.embedder_model is not None and not i.metadata.get("vectors_pending")]
    if embedder is None or not vector:
        if required:
            pending = [i.name for i in infos if i.metadata.get("vectors_pending")]
            if pending:
                why = "its vectors are still being computed (`healthgym kb embed`)"
            elif any(i.embedder_model for i in infos):
                why = "no embedder is configured (HEALTHGYM_EMBEDDER=lexical)"
            else:
                why = "it has no vectors"
            names = ", ".join(i.name for i in infos)
            raise QueryError(f"corpus {names} cannot be searched by meaning: {why}; use mode 'lexical' or 'hybrid'")
        return []
    for info in vector:
        if info.embedder_model != embedder.model or info.dim != embedder.dim:
            raise EmbedderMismatchError(
                f"corpus {info.name!r} was embedded with {info.embedder_model} ({info.dim}-d), but the configured "
                f"embedder is {embedder.spec!r} ({embedder.model}, {embedder.dim}-d). Set HEALTHGYM_EMBEDDER (or "
                "--embedder) to that model, search with mode 'lexical', or name a corpus built with this embedder"
            )
    return vector


def _tsquery_literal(lexeme: str, weight: str = "") -> str:
    """A single-lexeme tsquery in tsquery input syntax (quotes doubled, backslashes escaped)."""
    escaped = lexeme.replace("\\", "\\\\").replace("'", "''")
    return f"'{escaped}'" + (f":{weight}" if weight else "")


@dataclass
class _Terms:
    """Query lexemes with their BM25 idf, the anchor tsquery that selects candidates, and an OR of all terms."""

    idf: list[tuple[str, float]]
    anchors: str
    any_term: str
    rarest_df: int


def _terms(conn: Any, text: str, infos: list[CorpusInfo]) -> _Terms | None:
    """Look up the query's lexemes in the corpora's document frequencies; ``None`` when nothing can match."""
    rows = conn.execute(
        "SELECT t.lexeme, coalesce(sum(l.ndoc), 0)::bigint FROM unnest(to_tsvector('english', %s)) t "
        "LEFT JOIN kb_lexeme l ON l.lexeme = t.lexeme AND l.corpus = ANY(%s) GROUP BY t.lexeme",
        (text, [i.name for i in infos]),
    ).fetchall()
    found = sorted((df, lexeme) for lexeme, df in rows if df > 0)[:MAX_TERMS]
    if not found:
        return None
    n = sum(i.n_passages for i in infos) or 1
    idf = [(lexeme, math.log(1 + (n - df + 0.5) / (df + 0.5))) for df, lexeme in found]
    anchors, postings = [], 0
    for df, lexeme in found:
        if anchors and postings + df > ANCHOR_BUDGET:
            break
        anchors.append(lexeme)
        postings += df
    return _Terms(
        idf=idf,
        anchors=" | ".join(_tsquery_literal(t) for t in anchors),
        any_term=" | ".join(_tsquery_literal(t) for t, _ in idf),
        rarest_df=found[0][0],
    )


def _lexical(conn: Any, info: CorpusInfo, terms: _Terms, n: int, domains: list[str]) -> list[tuple[str, float]]:
    from psycopg import sql

    params: dict[str, Any] = {
        "anchors": terms.anchors,
        "n": n,
        "domains": domains,
        "norm_a": BM25_K1 * (1 - BM25_B),
        "norm_b": BM25_K1 * BM25_B / max(info.avg_length, 1),
    }
    ranks, tfs, parts = [], [], []
    for i, (lexeme, idf) in enumerate(terms.idf):
        params[f"q{i}"], params[f"w{i}"] = _tsquery_literal(lexeme), idf
        ranks.append(f"ts_rank(p.tsv, %(q{i})s::tsquery, 0) * {TF_SCALE} AS r{i}")
        tfs.append(f"{term_count_sql(f'r{i}')} AS f{i}")
        parts.append(f"CASE WHEN f{i} > 0 THEN %(w{i})s * f{i} * {BM25_K1 + 1} / (f{i} + nrm) ELSE 0 END")
    # OFFSET 0 keeps each subquery from being flattened into the next: ts_rank runs once per term and candidate,
    # not once per reference to its value
    query = sql.SQL(
        "SELECT id, " + " + ".join(parts) + " AS score FROM {part} p, "
        "LATERAL (SELECT %(norm_a)s + %(norm_b)s * length(p.tsv) AS nrm, " + ", ".join(ranks) + " OFFSET 0) AS r, "
        "LATERAL (SELECT " + ", ".join(tfs) + " OFFSET 0) AS l "
        "WHERE p.tsv @@ %(anchors)s::tsquery"
        + (" AND p.domains && %(domains)s" if domains else "")
        + " ORDER BY score DESC, id LIMIT %(n)s"
    ).format(part=sql.Identifier(info.part))
    return [(pid, float(score)) for pid, score in conn.execute(query, params)]


def _dense(conn: Any, info: CorpusInfo, vector: np.ndarray, n: int, domains: list[str]) -> list[tuple[str, float]]:
    from psycopg import sql

    distance = sql.SQL("(embedding::vector({dim})) <=> %(v)s").format(dim=sql.Literal(info.dim))
    query = sql.SQL("SELECT id, 1 - ({d}) FROM {part}{where} ORDER BY {d} LIMIT %(n)s").format(
        d=distance,
        part=sql.Identifier(info.part),
        where=sql.SQL(" WHERE domains && %(domains)s" if domains else ""),
    )
    return [(pid, float(score)) for pid, score in conn.execute(query, {"v": vector, "n": n, "domains": domains})]


def fetch(conn: Any, info: CorpusInfo, ids: list[str], any_term: str = "") -> list[Passage]:
    """Passages of one corpus by id, in the order given, with a snippet highlighting ``any_term`` (a tsquery)."""
    from psycopg import sql

    query = sql.SQL(
        "SELECT id, title, text, domains, source, metadata, "
        "CASE WHEN %(q)s = '' THEN NULL ELSE ts_headline('english', text, %(q)s::tsquery, %(opts)s) END "
        "FROM {part} WHERE id = ANY(%(ids)s)"
    ).format(part=sql.Identifier(info.part))
    rows = {r[0]: r for r in conn.execute(query, {"q": any_term, "opts": _HEADLINE, "ids": ids})}
    out = []
    for pid in ids:
        if pid in rows:
            _, title, text, domains, source, metadata, snippet = rows[pid]
            if not snippet or "**" not in snippet:
                snippet = text[:240] + ("…" if len(text) > 240 else "")
            out.append(
                Passage(
                    id=pid,
                    corpus=info.name,
                    title=title,
                    text=text,
                    domains=domains,
                    source=source,
                    metadata=metadata,
                    snippet=snippet,
                )
            )
    return out


def _ranked(lists: list[list[tuple[tuple[str, str], float]]], k: int) -> list[tuple[tuple[str, str], float]]:
    """Merge per-corpus lists of ``((corpus, id), score)`` by score, best first."""
    merged = sorted((item for lst in lists for item in lst), key=lambda x: (-x[1], x[0]))
    return merged[:k]


def _rrf(rankings: list[list[tuple[str, str]]], k: int) -> list[tuple[tuple[str, str], float]]:
    scores: dict[tuple[str, str], float] = {}
    for ranking in rankings:
        for rank, key in enumerate(ranking, start=1):
            scores[key] = scores.get(key, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:k]


@dataclass
class SearchPlan:
    """One search, ready to run on a connection (``KnowledgeBase.search`` builds it)."""

    text: str
    k: int
    infos: list[CorpusInfo]
    domains: list[str]
    mode: str
    vector: Future[np.ndarray] | None
    """The query being embedded (in a worker thread) by the model of ``dense``; ``None`` for lexical search."""
    dense: list[CorpusInfo]
    """Corpora searched by vector (see ``dense_corpora``)."""
    ef_search: int

    @property
    def depth(self) -> int:
        """Candidates taken from each list before fusion."""
        return self.k if self.mode != "hybrid" else max(4 * self.k, 40)

    def run(self, conn: Any) -> list[Passage]:
        """The lexical list first, while the query is still being embedded (the embedder releases the GIL and the
        database works in its own process, so on 2 cores the two overlap), then the dense list, then fusion."""
        terms = _terms(conn, self.text, self.infos)
        lexical: list[list[tuple[tuple[str, str], float]]] = []
        dense: list[list[tuple[tuple[str, str], float]]] = []
        common = self.mode == "hybrid" and bool(self.dense) and terms is not None and terms.rarest_df > HYBRID_SKIP_DF
        with conn.transaction():
            if self.mode != "dense" and terms is not None and not common:
                for info in self.infos:
                    hits = _lexical(conn, info, terms, self.depth, self.domains)
                    lexical.append([((info.name, pid), s) for pid, s in hits])
            if self.vector is not None:
                vector = self.vector.result()
                conn.execute("SELECT set_config('hnsw.ef_search', %s, true)", (str(max(self.ef_search, self.depth)),))
                if self.domains:
                    conn.execute("SELECT set_config('hnsw.iterative_scan', 'strict_order', true)")
                for info in self.dense:
                    hits = _dense(conn, info, vector, self.depth, self.domains)
                    dense.append([((info.name, pid), s) for pid, s in hits])
        if self.mode == "hybrid":
            ranked = _rrf([[key for key, _ in _ranked(lst, self.depth)] for lst in (dense, lexical) if lst], self.k)
        else:
            ranked = _ranked(dense if self.mode == "dense" else lexical, self.k)
        by_corpus: dict[str, list[str]] = {}
        for (corpus, pid), _ in ranked:
            by_corpus.setdefault(corpus, []).append(pid)
        infos = {i.name: i for i in self.infos}
        found = {
            (p.corpus, p.id): p
            for corpus, ids in by_corpus.items()
            for p in fetch(conn, infos[corpus], ids, terms.any_term if terms else "")
        }
        return [found[key].model_copy(update={"score": score}) for key, score in ranked if key in found]
