"""How soon a real corpus is searchable with a lexical-first load, and how fast its vectors follow.

    nice -n 19 python -m bench.kb_lexical_first --medquad ../shared/data/medquad/medquad_answered.jsonl

Loads every MedQuAD answer (CC BY 4.0), chunked like ``healthgym kb ingest medquad``, with ``defer_vectors``: the
passages are stored and full-text indexed without vectors. Reports the seconds until the corpus answers a search
(reading, chunking, COPY, GIN and lexeme statistics), then embeds for ``--embed-seconds`` to measure the rate of the
second phase and the time it would need for the whole corpus (it resumes where it stopped; ``healthgym kb embed``).
The embedder's one-time preparation (the ONNX export and int8 quantization, cached under the data folder's
``models/``; this bench's data folder is new each run) is timed on its own, before the window.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._report import write_report
from healthgym.mcp_servers.kb import Chunker, KBSettings, KnowledgeBase, chunk_documents, load_documents
from healthgym.mcp_servers.kb.embedded import server
from healthgym.mcp_servers.kb.embedders import tokenizer_for
from healthgym.mcp_servers.kb.ingest import IngestReport

ROOT = Path(__file__).resolve().parents[1]
MEDQUAD = ROOT.parent / "shared" / "data" / "medquad" / "medquad_answered.jsonl"


class Enough(Exception):
    """Stops the embedding phase after the measured window."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--medquad", type=Path, default=MEDQUAD)
    parser.add_argument("--embed-seconds", type=float, default=60.0, help="How long to measure the embedding phase.")
    opts = parser.parse_args()
    if not opts.medquad.exists():
        raise SystemExit(f"MedQuAD not found at {opts.medquad}; pass --medquad")
    data_dir = Path(tempfile.mkdtemp(prefix="healthgym-kb-lexfirst-"))
    data_dir.chmod(0o755)
    kb = KnowledgeBase(KBSettings(data_dir=data_dir, embedder="minilm"))
    report: dict[str, Any] = {"load_average_start": [round(x, 2) for x in os.getloadavg()]}
    try:
        chunker = Chunker(tokenizer_file=tokenizer_for(kb.embedder()))
        started = time.perf_counter()
        passages = chunk_documents(load_documents("medquad", opts.medquad), "medquad", chunker)
        load = kb.ingest(passages, "medquad", defer_vectors=True, batch_size=2000)
        hits = kb.search("What are the symptoms of Fabry disease?", k=5, corpus="medquad", mode="hybrid")
        searchable = time.perf_counter() - started
        assert hits, "the lexical-first corpus found nothing"
        report["searchable"] = {
            "passages": load.added,
            "seconds": round(searchable, 1),
            "load_seconds": round(load.load_seconds, 1),
            "index_seconds": load.index_seconds,
        }
        print(report["searchable"], flush=True)

        prepare = time.perf_counter()
        kb.embedder().embed(["warm-up"])  # export + quantize once; a kept data folder reuses the cached model
        report["embedder_prepare_seconds"] = round(time.perf_counter() - prepare, 1)
        t0 = time.perf_counter()
        done: list[IngestReport] = []

        def window(r: IngestReport) -> None:
            if r.phase == "embed":
                done[:] = [r]
                if time.perf_counter() - t0 > opts.embed_seconds:
                    raise Enough

        with contextlib.suppress(Enough):
            kb.embed_pending("medquad", on_batch=window)
        r = done[-1]
        rate = r.added / r.load_seconds
        report["embedding"] = {
            "passages": r.added,
            "passages_per_s": round(rate, 1),
            "embed_only_passages_per_s": round(r.added / r.embed_seconds, 1),
            "projected_minutes_for_all": round(load.added / rate / 60, 1),
        }
        print(report["embedding"], flush=True)
        report["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
        rows = [
            {"phase": "searchable (lexical, hybrid answered lexically)", "seconds": report["searchable"]["seconds"]},
            {"phase": "vectors, projected", "seconds": round(load.added / rate, 1)},
        ]
        write_report("kb-lexical-first", report, rows, title=f"lexical-first load of MedQuAD, {load.added:,} passages")
    finally:
        kb.close()
        server(kb.settings.pgdata).stop(force=True)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
