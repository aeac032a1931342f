"""Knowledge base at scale: ingest, embedding, index builds, query latency, HNSW recall, disk, and retrieval quality
against the paper's approach (BM25 alone, SQLite FTS5) on the same passages and queries.

    python -m bench.kb --size 20000                        # development scale, ~10 minutes on 2 cores
    nice -n 19 python -m bench.kb --size 828000            # the paper's scale (see docs/knowledge_base.md)

Corpus: every MedQuAD answer (``../shared/data/medquad``, CC BY 4.0) chunked like ``healthgym kb ingest medquad``
(128 MiniLM tokens, 32 overlap) and embedded for real; when ``--size`` is larger, the rest is generated: each
generated passage joins 1-3 consecutive sentences from each of three random MedQuAD passages (seeded), titled like the
first, so it shares the real vocabulary and topics. Its vector is, by default, the normalised mean of the three source
passages' real vectors plus Gaussian noise (``--generated-vectors mix``): embedding ~800K passages for real would take
hours on 2 cores, and the embedding rate is measured on the real passages anyway; ``--generated-vectors model`` embeds
them for real.

Queries: MedQuAD questions whose answer is in the corpus; an answer's chunks are its relevant passages (generated
passages that borrowed its sentences are not). Reported per system: recall@10, MRR@10, latency p50/p95. Latency of our
modes is end to end through ``KnowledgeBase.search`` (query embedding, SQL, snippets); FTS5 runs ``MATCH`` with the
question's words OR-ed (the raw question is an FTS5 syntax error, which is how the paper's tool failed) ranked by
``bm25()``, with ``snippet()``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from bench._report import percentile, write_report
from healthgym.mcp_servers.kb import Chunker, KBSettings, KnowledgeBase, chunk_documents, load_documents, passage_id
from healthgym.mcp_servers.kb import search as search_module
from healthgym.mcp_servers.kb.embedders import MINILM_MODEL, Embedder, get_embedder, tokenizer_for
from healthgym.mcp_servers.kb.passages import embedding_text
from healthgym.schemas import Passage

ROOT = Path(__file__).resolve().parents[1]
MEDQUAD = ROOT.parent / "shared" / "data" / "medquad" / "medquad_answered.jsonl"
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"\w+")
PHASES = ("embedding_variants", "lexical_ingest", "embedding")
"""Report keys saved as they are measured, so a resumed run (same ``--data-dir``) does not repeat them."""


class MixEmbedder(Embedder):
    """Vectors for generated passages, computed when they were generated (see the module docstring)."""

    spec = "bench-mix"
    model = MINILM_MODEL

    def __init__(self) -> None:
        self.pending: dict[str, np.ndarray] = {}

    @property
    def dim(self) -> int:
        return 384

    def _embed(self, texts: list[str]) -> np.ndarray:
        return np.stack([self.pending.pop(t) for t in texts])


def medquad_passages(path: Path, chunker: Chunker) -> tuple[list[Passage], dict[str, set[str]]]:
    """Every MedQuAD answer's chunks, and for each question the ids of its answer's chunks."""
    passages: dict[str, Passage] = {}
    relevant: dict[str, set[str]] = {}
    for doc in load_documents("medquad", path):
        chunks = list(chunk_documents([doc], "bench", chunker))
        relevant.setdefault(doc.metadata["question"], set()).update(p.id for p in chunks)
        passages.update((p.id, p) for p in chunks)
    return list(passages.values()), relevant


def generated(
    real: list[Passage], vectors: np.ndarray, n: int, seed: int, mix: MixEmbedder | None
) -> Iterator[Passage]:
    """``n`` distinct generated passages mixing sentences of three real ones; vectors go to ``mix.pending``."""
    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    sentences = [_SENTENCE.split(p.text) for p in real]
    seen = {p.id for p in real}  # a repeated mix would collapse to one passage and leave the corpus short
    i = 0
    while i < n:
        sources = [rng.randrange(len(real)) for _ in range(3)]
        parts = []
        for s in sources:
            start = rng.randrange(len(sentences[s]))
            parts += sentences[s][start : start + rng.randint(1, 3)]
        title, text = real[sources[0]].title, " ".join(parts)
        pid = passage_id(title, text)
        if pid in seen:
            continue
        seen.add(pid)
        i += 1
        if mix is not None:
            v = vectors[sources].mean(axis=0) + noise.normal(0, 0.0128, vectors.shape[1])
            mix.pending[embedding_text(title, text)] = (v / np.linalg.norm(v)).astype(np.float32)
        yield Passage(
            id=pid,
            corpus="bench",
            title=title,
            text=text,
            source="generated from MedQuAD sentences",
            metadata={"generated": i},
        )


def embed_variants(texts: list[str], data_dir: Path) -> list[dict[str, Any]]:
    """Passages/s of each MiniLM path on the same texts, and cosine to the sentence-transformers vectors."""
    rows, reference = [], None
    for spec in ("minilm-torch", "minilm-fp32", "minilm"):
        embedder = get_embedder(spec, cache_dir=data_dir / "models")
        embedder.embed(texts[:8])  # load, export, warm up
        start = time.perf_counter()
        vectors = embedder.embed(texts)
        seconds = time.perf_counter() - start
        reference = vectors if reference is None else reference
        cosine = (vectors * reference).sum(axis=1)
        rows.append(
            {
                "embedder": spec,
                "passages_per_s": round(len(texts) / seconds, 1),
                "cosine_to_torch_min": round(float(cosine.min()), 4),
                "cosine_to_torch_mean": round(float(cosine.mean()), 4),
            }
        )
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(tokenizer_for(None)))
    start = time.perf_counter()
    tokenizer.encode_batch(texts)
    rows.append({"embedder": "tokenisation only", "passages_per_s": round(len(texts) / (time.perf_counter() - start))})
    return rows


def quality(ranked: list[list[str]], relevant: list[set[str]]) -> dict[str, float]:
    recall = mrr = 0.0
    for ids, rel in zip(ranked, relevant, strict=True):
        for rank, pid in enumerate(ids[:10], start=1):
            if pid in rel:
                recall += 1
                mrr += 1 / rank
                break
    return {"recall@10": round(recall / len(ranked), 4), "mrr@10": round(mrr / len(ranked), 4)}


def latency(samples: list[float]) -> dict[str, float]:
    return {"p50_ms": round(percentile(samples, 0.5), 2), "p95_ms": round(percentile(samples, 0.95), 2)}


def run_ours(kb: KnowledgeBase, questions: list[str], corpus: str) -> dict[str, dict[str, Any]]:
    """Our three modes, plus hybrid that always runs its lexical list (``HYBRID_SKIP_DF`` off: the old behaviour)."""
    out = {}
    default_skip = search_module.HYBRID_SKIP_DF
    for name, mode, skip in [
        ("lexical", "lexical", default_skip),
        ("dense", "dense", default_skip),
        ("hybrid, lexical list always", "hybrid", 10**12),
        ("hybrid", "hybrid", default_skip),
    ]:
        search_module.HYBRID_SKIP_DF = skip
        for q in questions[:20]:  # warm caches and plans
            kb.search(q, k=10, corpus=corpus, mode=mode)
        ranked, samples = [], []
        for q in questions:
            start = time.perf_counter()
            hits = kb.search(q, k=10, corpus=corpus, mode=mode)
            samples.append((time.perf_counter() - start) * 1000)
            ranked.append([h.id for h in hits])
        out[name] = {"ranked": ranked, **latency(samples)}
    search_module.HYBRID_SKIP_DF = default_skip
    embedder = kb.embedder()
    samples = []
    for q in questions[:200]:
        start = time.perf_counter()
        embedder.embed([q])
        samples.append((time.perf_counter() - start) * 1000)
    out["query_embedding"] = latency(samples)
    return out


def fts5_build(path: Path, passages: Iterator[Passage]) -> tuple[sqlite3.Connection, list[str], float]:
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE passages USING fts5(title, text, tokenize='porter unicode61')")
    ids: list[str] = []
    start = time.perf_counter()
    with db:
        for batch in iter(lambda: list(itertools.islice(passages, 5000)), []):
            db.executemany(
                "INSERT INTO passages (rowid, title, text) VALUES (?, ?, ?)",
                [(len(ids) + i + 1, p.title, p.text) for i, p in enumerate(batch)],
            )
            ids += [p.id for p in batch]
    return db, ids, time.perf_counter() - start


def run_fts5(db: sqlite3.Connection, ids: list[str], questions: list[str]) -> dict[str, Any]:
    sql = (
        "SELECT rowid, title, snippet(passages, 1, '**', '**', '…', 28) FROM passages WHERE passages MATCH ? "
        "ORDER BY bm25(passages) LIMIT 10"
    )

    def search(q: str) -> list[str]:
        terms = " OR ".join(f'"{w}"' for w in _WORD.findall(q.lower()))
        return [ids[row[0] - 1] for row in db.execute(sql, (terms,))] if terms else []

    for q in questions[:20]:
        search(q)
    ranked, samples = [], []
    for q in questions:
        start = time.perf_counter()
        ranked.append(search(q))
        samples.append((time.perf_counter() - start) * 1000)
    return {"ranked": ranked, **latency(samples)}


def hnsw_recall(kb: KnowledgeBase, corpus: str, vectors: np.ndarray, efs: list[int]) -> dict[str, float]:
    """Recall@10 of the HNSW index against exact (sequential) search for each query vector, per ``ef_search``."""
    info = kb.corpus(corpus)
    query = f'SELECT id FROM "{info.part}" ORDER BY embedding::vector({info.dim}) <=> %s LIMIT 10'

    def top(conn: Any, v: np.ndarray, ef: int | None) -> set[str]:
        with conn.transaction():
            if ef is None:
                conn.execute("SET LOCAL enable_indexscan = off")
            else:
                conn.execute("SELECT set_config('hnsw.ef_search', %s, true)", (str(ef),))
            return {r[0] for r in conn.execute(query, (v,))}

    exact = [kb._run(lambda c, v=v: top(c, v, None)) for v in vectors]
    recall = {}
    for ef in efs:
        found = [kb._run(lambda c, v=v, ef=ef: top(c, v, ef)) for v in vectors]
        recall[str(ef)] = round(float(np.mean([len(f & e) / 10 for f, e in zip(found, exact, strict=True)])), 4)
    return recall


def corpus_points(kb: KnowledgeBase, corpus: str, n: int, seed: int) -> np.ndarray:
    """``n`` stored vectors drawn at random, each nudged off its point: queries from inside the corpus's own
    distribution (generated passages included), the harder case for HNSW than questions near the real passages."""
    part = kb.corpus(corpus).part
    sample = f'SELECT embedding FROM "{part}" ORDER BY md5(id || %s) LIMIT %s'
    rows = kb._run(lambda c: c.execute(sample, (str(seed), n)).fetchall())
    noise = np.random.default_rng(seed).normal(0, 0.02, (len(rows), 384))
    vectors = np.stack([r[0].to_numpy() for r in rows]) + noise
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=20_000, help="Passages in the corpus (828000: the paper's).")
    parser.add_argument("--medquad", type=Path, default=MEDQUAD)
    parser.add_argument("--queries", type=int, default=1000, help="MedQuAD questions used as queries.")
    parser.add_argument("--recall-queries", type=int, default=100, help="Queries for HNSW recall vs exact search.")
    parser.add_argument("--ef", type=int, nargs=3, default=[40, 100, 200], help="ef_search values for recall.")
    parser.add_argument("--lexical-sample", type=int, default=200_000, help="Passages for the lexical ingest rate.")
    parser.add_argument("--real", type=int, help="Cap on real (embedded) MedQuAD passages; default: all (~59K).")
    parser.add_argument("--generated-vectors", choices=["mix", "model"], default="mix")
    parser.add_argument("--data-dir", type=Path, help="Store folder (default: a new temporary one, deleted).")
    parser.add_argument("--seed", type=int, default=0)
    opts = parser.parse_args()
    if not opts.medquad.exists():
        raise SystemExit(f"MedQuAD not found at {opts.medquad}; pass --medquad")

    data_dir = opts.data_dir or Path(tempfile.mkdtemp(prefix="healthgym-kb-bench-"))
    kb = KnowledgeBase(KBSettings(data_dir=data_dir, embedder="minilm"))
    report: dict[str, Any] = {
        "size": opts.size,
        "generated_vectors": opts.generated_vectors,
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
    }
    rng = random.Random(opts.seed)
    try:
        chunker = Chunker(tokenizer_file=tokenizer_for(kb.embedder()))
        every, relevant = medquad_passages(opts.medquad, chunker)
        limit = min(opts.size, opts.real or opts.size)
        rng.shuffle(every)
        kept = {p.id for p in every[:limit]}
        questions = [q for q, ids in relevant.items() if ids <= kept]
        rng.shuffle(questions)
        questions = questions[: opts.queries]
        real = every[:limit]
        n_generated = opts.size - len(real)
        report["corpus"] = {"medquad_passages": len(real), "generated_passages": n_generated, "queries": len(questions)}
        print(f"corpus: {len(real):,} MedQuAD + {n_generated:,} generated passages; {len(questions):,} queries")

        # Phases already measured by an interrupted run on the same --data-dir are kept, not repeated.
        partial = data_dir / "bench-partial.json"
        done = json.loads(partial.read_text()) if partial.exists() else {}

        def keep(key: str, value: Any) -> None:
            report[key] = value
            partial.write_text(json.dumps({k: v for k, v in report.items() if k in PHASES}))
            print(key, value)

        if "embedding_variants" in done:
            report["embedding_variants"] = done["embedding_variants"]
        else:
            keep("embedding_variants", embed_variants([embedding_text(p.title, p.text) for p in real[:256]], data_dir))

        # 1. lexical-only ingest rate (no vectors), then drop
        if "lexical_ingest" in done:
            report["lexical_ingest"] = done["lexical_ingest"]
        else:
            stream = itertools.chain(real, generated(real, np.zeros((len(real), 1)), n_generated, opts.seed, None))
            lex = kb.ingest(
                itertools.islice(stream, opts.lexical_sample), "bench-lexical", embedder="lexical", batch_size=2000
            )
            kb.drop("bench-lexical")
            keep(
                "lexical_ingest",
                {
                    "passages": lex.added,
                    "passages_per_s": round(lex.added / lex.load_seconds),
                    "index_seconds": lex.index_seconds,
                },
            )

        # 2. the real passages, embedded for real inside ingestion (a resumed run embeds only what is missing)
        dense = kb.ingest(real, "bench", batch_size=256, build_indexes=False)
        if dense.added or "embedding" not in done:
            keep(
                "embedding",
                {
                    "passages": dense.added,
                    "passages_per_s": round(dense.added / max(dense.embed_seconds, 1e-9), 1),
                    "ingest_passages_per_s": round(dense.added / max(dense.load_seconds, 1e-9), 1),
                },
            )
        else:
            report["embedding"] = done["embedding"]

        # 3. the generated rest, with mixed or real vectors; then indexes
        if n_generated:
            part = kb.corpus("bench").part
            stored = dict(kb._run(lambda c: c.execute(f'SELECT id, embedding FROM "{part}"').fetchall()))
            vectors = np.stack([stored[p.id].to_numpy() for p in real])
            mix = MixEmbedder() if opts.generated_vectors == "mix" else None
            gen = kb.ingest(
                generated(real, vectors, n_generated, opts.seed, mix),
                "bench",
                embedder=mix or "minilm",
                batch_size=2000,
                build_indexes=False,
            )
            report["generated_ingest"] = {
                "passages": gen.added,
                "seconds": round(gen.load_seconds, 1),
                "passages_per_s": round(gen.added / max(gen.load_seconds, 1e-9)),
            }
            print(report["generated_ingest"])
        report["index_seconds"] = kb.build_indexes("bench")
        print(report["index_seconds"])
        # serve as after a restart: the next start sizes shared_buffers to the loaded database (embedded.py)
        kb.close()
        _stop(kb.settings)
        buffers = "SELECT setting::int / 128 FROM pg_settings WHERE name = 'shared_buffers'"  # 8 KiB pages
        report["shared_buffers_mib"] = kb._run(lambda c: c.execute(buffers).fetchone()[0])
        stats = next(c for c in kb.stats()["corpora"] if c["name"] == "bench")
        report["disk"] = {
            "postgres_corpus_mib": round(stats["disk_bytes"] / 2**20, 1),
            "postgres_index_mib": round(stats["index_bytes"] / 2**20, 1),
        }

        # 4. queries: our three modes, HNSW recall, then the FTS5 baseline
        ours = run_ours(kb, questions, "bench")
        report["query_embedding_ms"] = ours.pop("query_embedding")
        print("latency p50/p95 ms:", {m: (r["p50_ms"], r["p95_ms"]) for m, r in ours.items()}, flush=True)
        question_vectors = kb.embedder().embed(questions[: opts.recall_queries])
        report["hnsw_recall@10"] = {
            "questions": hnsw_recall(kb, "bench", question_vectors, opts.ef),
            "corpus_points": hnsw_recall(
                kb, "bench", corpus_points(kb, "bench", opts.recall_queries, opts.seed), opts.ef
            ),
        }
        print(report["hnsw_recall@10"])

        fts_path = data_dir / "fts5.sqlite"
        fts_path.unlink(missing_ok=True)  # a resumed run rebuilds it
        stream = itertools.chain(real, generated(real, np.zeros((len(real), 1)), n_generated, opts.seed, None))
        db, ids, fts_seconds = fts5_build(fts_path, stream)
        fts = run_fts5(db, ids, questions)
        report["fts5"] = {
            "build_seconds": round(fts_seconds, 1),
            "passages_per_s": round(len(ids) / fts_seconds),
            "disk_mib": round(fts_path.stat().st_size / 2**20, 1),
        }

        rel = [relevant[q] for q in questions]
        rows = []
        for name, result in [("SQLite FTS5 BM25 (paper)", fts), *[(f"healthgym {m}", ours[m]) for m in ours]]:
            rows.append(
                {
                    "system": name,
                    **quality(result["ranked"], rel),
                    "p50_ms": result["p50_ms"],
                    "p95_ms": result["p95_ms"],
                }
            )
        hybrid, bm25 = rows[-1], rows[0]
        report["hybrid_vs_fts5"] = {
            "mrr_gain": round(hybrid["mrr@10"] - bm25["mrr@10"], 4),
            "latency_ratio_p50": round(hybrid["p50_ms"] / bm25["p50_ms"], 2),
        }
        report["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
        label = f"{opts.size // 1000}k" if opts.size >= 1000 else str(opts.size)
        write_report(f"kb-{label}", report, rows, title=f"knowledge base, {opts.size:,} passages")
    finally:
        kb.close()
        if opts.data_dir is None:
            _stop(kb.settings)
            shutil.rmtree(data_dir, ignore_errors=True)


def _stop(settings: KBSettings) -> None:
    from healthgym.mcp_servers.kb.embedded import server

    server(settings.pgdata).stop(force=True)


if __name__ == "__main__":
    main()
