"""Ingestion and search against the session's real embedded PostgreSQL + pgvector."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from healthgym.mcp_servers.kb import (
    Chunker,
    CorpusNotFoundError,
    Document,
    EmbedderMismatchError,
    KBNotBuiltError,
    KBSettings,
    KBUnavailableError,
    KnowledgeBase,
    QueryError,
    chunk_documents,
)
from healthgym.mcp_servers.kb.embedders import Embedder
from healthgym.schemas import Passage
from tests.kb.conftest import FACTS, filler


def titles(hits: list[Passage]) -> list[str]:
    return [h.title for h in hits]


@pytest.mark.parametrize("mode", ["lexical", "dense", "hybrid"])
def test_each_mode_finds_the_fact_asked_about(kb: KnowledgeBase, mode: str) -> None:
    hits = kb.search("warfarin and amiodarone interaction", k=3, corpus="facts", mode=mode)
    assert hits[0].title == "Warfarin"
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == len(scores)
    assert hits[0].id and hits[0].corpus == "facts" and hits[0].text.startswith("Warfarin is")


def test_dense_finds_a_paraphrase_that_shares_no_word(kb: KnowledgeBase) -> None:
    query = "what to do when the sugar level drops too low"
    assert kb.search(query, k=1, corpus="facts", mode="dense")[0].title == "Hypoglycaemia"
    assert "Hypoglycaemia" not in titles(kb.search(query, k=3, corpus="facts", mode="lexical"))
    assert "Hypoglycaemia" in titles(kb.search(query, k=3, corpus="facts", mode="hybrid"))


def test_lexical_ranks_by_idf_and_marks_the_match_in_the_snippet(kb: KnowledgeBase) -> None:
    # "rhabdomyolysis" occurs once; "follow" and "weeks" are in every filler note
    hits = kb.search("rhabdomyolysis follow weeks", k=3, corpus="facts-lexical", mode="lexical")
    assert hits[0].title == "Simvastatin"
    assert "**rhabdomyolysis**" in (hits[0].snippet or "")


def test_corpus_and_domain_filters(kb: KnowledgeBase) -> None:
    hits = kb.search("antibiotics infection", k=5, corpus="facts", domains=["drug_interaction"])
    assert hits and all("drug_interaction" in h.domains for h in hits)
    both = kb.search("sepsis antibiotics", k=10, corpus=["facts", "facts-lexical"], mode="lexical")
    assert {h.corpus for h in both} == {"facts", "facts-lexical"}
    everywhere = kb.search("sepsis antibiotics", k=10, mode="hybrid")
    assert {"facts", "facts-lexical"} <= {h.corpus for h in everywhere}
    assert kb.search("sepsis", k=2, corpus="facts", domains=["no_such_domain"]) == []


def test_hybrid_over_a_lexical_only_corpus_answers_lexically(kb: KnowledgeBase) -> None:
    assert kb.search("preeclampsia magnesium", k=1, corpus="facts-lexical")[0].title == "Preeclampsia"
    with pytest.raises(QueryError, match="no vectors"):
        kb.search("preeclampsia", corpus="facts-lexical", mode="dense")


def test_ef_search_is_applied_and_bounded(kb: KnowledgeBase) -> None:
    for ef in (40, 400):  # (ef_search=1 is greedy: on this small graph it can miss, which is what ef is for)
        assert kb.search("stroke thrombolysis", k=1, corpus="facts", mode="dense", ef_search=ef)[0].title == "Stroke"
    with pytest.raises(ValueError, match="ef_search"):
        kb.search("stroke", corpus="facts", ef_search=0)


def test_hnsw_matches_exact_search(kb: KnowledgeBase) -> None:
    info = kb.corpus("facts")
    assert info.status == "ready" and info.dim == 384
    vector = kb.embedder().embed(["potassium and the ECG"])[0]

    def top(conn: Any, exact: bool) -> list[str]:
        with conn.transaction():
            conn.execute("SET LOCAL enable_indexscan = off" if exact else "SET LOCAL enable_seqscan = off")
            plan = conn.execute(
                f'EXPLAIN SELECT id FROM "{info.part}" ORDER BY embedding::vector(384) <=> %s LIMIT 10', (vector,)
            ).fetchall()
            rows = conn.execute(
                f'SELECT id FROM "{info.part}" ORDER BY embedding::vector(384) <=> %s LIMIT 10', (vector,)
            ).fetchall()
        assert ("_hnsw" in str(plan)) is not exact
        return [r[0] for r in rows]

    assert kb._run(lambda c: top(c, exact=False)) == kb._run(lambda c: top(c, exact=True))


def test_ingest_is_idempotent(kb: KnowledgeBase) -> None:
    before = kb.corpus("facts").n_passages
    report = kb.ingest(chunk_documents(FACTS + filler(200), "facts", Chunker()), "facts", batch_size=50)
    assert (report.added, report.skipped, report.seen) == (0, before, before)
    assert report.embed_seconds == 0  # nothing stored twice, nothing embedded twice
    assert kb.corpus("facts").n_passages == before == 208


def test_get_returns_the_whole_passage_and_names_unknown_ids(kb: KnowledgeBase) -> None:
    hit = kb.search("preeclampsia", k=1, corpus="facts")[0]
    assert kb.get("facts", hit.id).text == hit.text
    with pytest.raises(KeyError, match="no passage 'nope'"):
        kb.get("facts", "nope")
    with pytest.raises(CorpusNotFoundError, match=r"unknown corpus 'nosuch'; available: .*facts, facts-lexical"):
        kb.get("nosuch", hit.id)


class EightDims(Embedder):
    """A deterministic 8-d embedder (character histogram), to test what another model would do."""

    spec = "test-eight-dims"
    model = "test/eight-dims"

    @property
    def dim(self) -> int:
        return 8

    def _embed(self, texts: list[str]) -> np.ndarray:
        return np.array([[t.count(c) + 1 for c in "aeiourst"] for t in texts], dtype=np.float32)


def test_a_corpus_refuses_vectors_of_another_model_or_dimension(kb: KnowledgeBase) -> None:
    more = list(chunk_documents([Document("New", "A new passage about gout and colchicine.")], "facts", Chunker()))
    with pytest.raises(EmbedderMismatchError, match=r"all-MiniLM-L6-v2 \(384-d\).*test/eight-dims \(8-d\)"):
        kb.ingest(more, "facts", embedder=EightDims())
    with pytest.raises(EmbedderMismatchError, match="no vectors"):
        kb.ingest(more, "facts", embedder="lexical")
    with pytest.raises(EmbedderMismatchError, match="no vectors .lexical.; this load uses"):
        kb.ingest(more, "facts-lexical")
    assert kb.corpus("facts").n_passages == 208


def test_a_corpus_is_searched_with_the_configured_embedder_only(kb: KnowledgeBase) -> None:
    docs = [Document("Vowels", "aaaa eeee aaaa"), Document("Consonants", "rrrr ssss tttt")]
    kb.ingest(chunk_documents(docs, "eight", Chunker()), "eight", embedder=EightDims())
    try:
        hits = kb.search("stst rrr", k=1, corpus="eight", mode="dense", embedder=EightDims.spec)
        assert hits[0].title == "Consonants"
        # the configured embedder (minilm) is not the one "eight" was built with: a clear error, not another model
        with pytest.raises(EmbedderMismatchError, match=r"'eight' was embedded with test/eight-dims \(8-d\).*'minilm'"):
            kb.search("warfarin amiodarone", k=5, mode="hybrid")
        assert kb.search("warfarin amiodarone", k=5, mode="lexical")[0].title == "Warfarin"
    finally:
        assert kb.drop("eight") == 2
    assert "eight" not in [c.name for c in kb.corpora()]


@pytest.mark.parametrize(
    "query",
    [
        "'; DROP TABLE kb_passage; --",
        "warfarin' OR '1'='1",
        "warfarin & | ! :* <-> ( ) \\ '' \"",
        "o'brien \\\\ back\\slash",
        "%s %(n)s {} $1",
        "the of and a",
        "café ünïcödé 中文 🫀",
        "\x00warfarin\x00",
    ],
)
def test_hostile_queries_are_searched_as_text(kb: KnowledgeBase, query: str) -> None:
    for mode in ("lexical", "hybrid"):
        hits = kb.search(query, k=3, corpus="facts", mode=mode)
        assert isinstance(hits, list)
    assert kb.corpus("facts").n_passages == 208  # nothing was dropped
    assert kb.search("warfarin", k=1, corpus="facts")[0].title == "Warfarin"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty"),
        ("  \n\t ", "empty"),
        ("x" * 100_000, "100,000 characters; the limit is 2,000"),
        ("warfarin \udcff", "not valid UTF-8"),
        (b"warfarin \xff\xfe", "not valid UTF-8"),
        (42, "must be text"),
    ],
)
def test_unusable_queries_get_a_clear_error(kb: KnowledgeBase, query: object, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        kb.search(query, corpus="facts")  # type: ignore[arg-type]


def test_stopword_query_finds_nothing_lexically_but_dense_still_answers(kb: KnowledgeBase) -> None:
    assert kb.search("the of and", corpus="facts", mode="lexical") == []
    assert len(kb.search("the of and", k=2, corpus="facts", mode="hybrid")) == 2


def test_stats_report_counts_indexes_and_disk(kb: KnowledgeBase) -> None:
    stats = kb.stats()
    facts = next(c for c in stats["corpora"] if c["name"] == "facts")
    assert facts["passages"] == 208 and facts["dim"] == 384 and facts["status"] == "ready"
    assert {"fulltext_gin", "domains_gin", "hnsw", "lexeme_stats"} <= set(facts["index_seconds"])
    assert facts["index_bytes"] > 0 and stats["disk_bytes"] > facts["disk_bytes"]
    assert stats["schema_version"] == 1


def test_search_before_any_build_says_how_to_build(tmp_path: Path) -> None:
    empty = KnowledgeBase(KBSettings(data_dir=tmp_path, embedder="lexical"))
    with pytest.raises(KBNotBuiltError, match="healthgym kb build"):
        empty.search("warfarin")
    assert not (tmp_path / "postgres").exists()  # searching does not create a database


def test_unreachable_external_database_is_reported(tmp_path: Path) -> None:
    url = f"postgresql://nobody@/nodb?host={tmp_path}"
    with pytest.raises(KBUnavailableError, match="HEALTHGYM_DATABASE_URL"):
        KnowledgeBase(KBSettings(database_url=url, data_dir=tmp_path)).search("warfarin")
    with pytest.raises(ValueError, match="postgresql:// URL"):
        KBSettings(database_url="mysql://x")


def test_hybrid_skips_the_lexical_list_when_every_term_is_common(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    from healthgym.mcp_servers.kb import search

    query = "follow weeks"  # in every one of the 200 filler notes
    before = [h.id for h in kb.search(query, k=5, corpus="facts", mode="hybrid")]
    monkeypatch.setattr(search, "HYBRID_SKIP_DF", 50)
    dense = [h.id for h in kb.search(query, k=5, corpus="facts", mode="dense")]
    assert [h.id for h in kb.search(query, k=5, corpus="facts", mode="hybrid")] == dense != before
    rare = "rhabdomyolysis follow weeks"  # one distinctive word: the lexical list is used
    rare_dense = [h.id for h in kb.search(rare, k=5, corpus="facts", mode="dense")]
    assert [h.id for h in kb.search(rare, k=5, corpus="facts", mode="hybrid")] != rare_dense
    lexical_only = kb.search(query, k=3, corpus="facts-lexical", mode="hybrid")  # no vectors: never skipped
    assert len(lexical_only) == 3


def test_the_embedded_server_sizes_and_prewarms_its_cache(kb: KnowledgeBase) -> None:
    from healthgym.mcp_servers.kb.embedded import MIN_SHARED_BUFFERS_MB

    libraries, buffers = kb._run(
        lambda c: (
            c.execute("SHOW shared_preload_libraries").fetchone()[0],
            c.execute("SELECT setting::bigint * 8192 / 2^20 FROM pg_settings WHERE name = 'shared_buffers'").fetchone()[
                0
            ],
        )
    )
    assert "pg_prewarm" in libraries and buffers >= MIN_SHARED_BUFFERS_MB
    prewarm = kb._run(lambda c: c.execute("SELECT count(*) FROM pg_extension WHERE extname = 'pg_prewarm'").fetchone())
    assert prewarm[0] == 1  # created by the index build, which prewarmed the new indexes


def test_lexical_first_load_is_searchable_before_its_vectors_and_resumes_embedding(kb: KnowledgeBase) -> None:
    docs = FACTS + filler(40)
    report = kb.ingest(chunk_documents(docs, "later", Chunker()), "later", defer_vectors=True, batch_size=16)
    try:
        assert report.added == 48 and report.embed_seconds == 0 and "hnsw" not in report.index_seconds
        assert kb.corpus("later").metadata["vectors_pending"] is True
        assert kb.search("warfarin amiodarone", k=1, corpus="later", mode="hybrid")[0].title == "Warfarin"
        with pytest.raises(QueryError, match="still being computed"):
            kb.search("warfarin", corpus="later", mode="dense")

        class Interrupted(Exception):
            pass

        def stop_after_first(r: Any) -> None:
            if r.phase == "embed":
                raise Interrupted

        with pytest.raises(Interrupted):
            kb.embed_pending("later", batch_size=10, on_batch=stop_after_first)
        resumed = kb.embed_pending("later", batch_size=10)
        assert (resumed.skipped, resumed.added) == (10, 38) and "hnsw" in resumed.index_seconds
        assert not kb.corpus("later").metadata["vectors_pending"]
        query = "what to do when the sugar level drops too low"
        assert kb.search(query, k=1, corpus="later", mode="dense")[0].title == "Hypoglycaemia"
        assert kb.embed_pending("later").added == 0
    finally:
        kb.drop("later")


@pytest.mark.parametrize("title", ["ibuprofen overdose", "salicylate overdose"])
@pytest.mark.parametrize("occurrences", [1, 2, 3, 5, 12, 40, 200])
def test_term_counts_are_read_back_exactly_from_ts_rank(kb: KnowledgeBase, title: str, occurrences: int) -> None:
    """BM25's tf is the term's real count (a title occurrence weighs TITLE_WEIGHT), not ts_rank's saturating value:
    ts_rank alone gives 1.0 for one occurrence and under 1.65 for two hundred."""
    from healthgym.mcp_servers.kb.search import TF_SCALE, TITLE_WEIGHT, term_count_sql

    text = " ".join(["ibuprofen was taken"] * occurrences)
    rank = "(ts_rank(setweight(to_tsvector('english', %(title)s), 'A') || setweight(to_tsvector('english', "
    rank += f"%(text)s), 'B'), 'ibuprofen'::tsquery, 0) * {TF_SCALE})"
    count = kb._run(lambda c: c.execute(f"SELECT {term_count_sql(rank)}", {"title": title, "text": text}).fetchone())
    in_title = TITLE_WEIGHT if title.startswith("ibuprofen") else 0
    assert float(count[0]) == pytest.approx(occurrences + in_title)
    absent = kb._run(lambda c: c.execute(f"SELECT {term_count_sql(rank)}", {"title": "x", "text": "y"}).fetchone())
    assert float(absent[0]) == 0
