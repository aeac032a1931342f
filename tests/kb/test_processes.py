"""Several processes on one store: four concurrent readers, and a load killed half way then resumed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

from healthgym.mcp_servers.kb import CorpusNotFoundError, Document, KBSettings, KnowledgeBase, chunk_documents
from healthgym.mcp_servers.kb.chunking import Chunker
from healthgym.mcp_servers.kb.database import database_url

QUERIES = ["warfarin amiodarone", "low blood sugar", "sepsis antibiotics", "stroke thrombolysis", "asthma inhaler"]

READER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from healthgym.mcp_servers.kb import KBSettings, KnowledgeBase
    kb = KnowledgeBase(KBSettings(data_dir=Path(sys.argv[1]), embedder="minilm"))
    out = {}
    for round in range(4):
        for q in json.loads(sys.argv[2]):
            for mode in ("hybrid", "dense", "lexical"):
                out[f"{q}|{mode}"] = [h.id for h in kb.search(q, k=5, corpus="facts", mode=mode)]
    print(json.dumps(out))
    """
)


def test_four_processes_read_concurrently_and_agree(kb: KnowledgeBase, kb_settings: KBSettings) -> None:
    expected = {
        f"{q}|{m}": [h.id for h in kb.search(q, k=5, corpus="facts", mode=m)]
        for q in QUERIES
        for m in ("hybrid", "dense", "lexical")
    }
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", READER, str(kb_settings.data_dir), json.dumps(QUERIES)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (stdout, stderr) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, stderr[-2000:]
        assert json.loads(stdout.strip().splitlines()[-1]) == expected
    assert kb.search("sepsis", k=1, corpus="facts")[0].title == "Sepsis"  # the server outlived the readers


def corpus_documents(n: int) -> list[Document]:
    return [Document(f"Resume {i}", f"Passage {i} about drug {i % 97} and condition {i % 89}.") for i in range(n)]


LOADER = textwrap.dedent(
    """
    import sys, time
    from healthgym.mcp_servers.kb import KnowledgeBase, chunk_documents
    from healthgym.mcp_servers.kb.chunking import Chunker
    from tests.kb.test_processes import corpus_documents
    kb = KnowledgeBase()  # HEALTHGYM_DATABASE_URL: the external-database path
    passages = chunk_documents(corpus_documents(int(sys.argv[1])), "resume", Chunker())
    kb.ingest(passages, "resume", embedder="lexical", batch_size=100, on_batch=lambda r: time.sleep(0.05))
    """
)


def test_a_killed_load_resumes_to_the_exact_count(kb: KnowledgeBase, kb_settings: KBSettings) -> None:
    total = 3000
    env = {**os.environ, "HEALTHGYM_DATABASE_URL": database_url(kb_settings, create=False)}
    child = subprocess.Popen([sys.executable, "-c", LOADER, str(total)], env=env, stderr=subprocess.PIPE, text=True)

    def stored() -> int:
        try:
            part = kb.corpus("resume").part
        except CorpusNotFoundError:  # not created yet
            return 0
        return kb._run(lambda c: c.execute(f'SELECT count(*) FROM "{part}"').fetchone()[0])

    deadline = time.monotonic() + 60
    while stored() < 500 and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.05)
    during = next(c for c in kb.stats()["corpora"] if c["name"] == "resume")  # `kb stats` while the load runs
    assert child.poll() is None and during["passages"] >= 500 and during["status"] == "loading"
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL, child.stderr.read() if child.stderr else ""
    before = stored()
    assert 500 <= before < total and before % 100 == 0  # whole batches only
    assert kb.corpus("resume").status == "loading"  # indexes were never built

    report = kb.ingest(
        chunk_documents(corpus_documents(total), "resume", Chunker()), "resume", embedder="lexical", batch_size=100
    )
    assert (report.skipped, report.added) == (before, total - before)
    counts = kb._run(
        lambda c: c.execute(f'SELECT count(*), count(DISTINCT id) FROM "{kb.corpus("resume").part}"').fetchone()
    )
    assert tuple(counts) == (total, total)
    info = kb.corpus("resume")
    assert (info.n_passages, info.status) == (total, "ready")
    assert kb.search("drug 42 condition 7", k=1, corpus="resume", mode="lexical")[0].text.startswith("Passage ")
    kb.drop("resume")
