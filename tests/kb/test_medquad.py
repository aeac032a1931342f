"""Retrieval quality on real MedQuAD questions (skipped when ../shared/data/medquad is absent)."""

from __future__ import annotations

import itertools

import pytest

from healthgym.mcp_servers.kb import Chunker, KnowledgeBase, chunk_documents, load_documents
from healthgym.mcp_servers.kb.embedders import tokenizer_for
from tests.kb.conftest import SHARED_DATA

MEDQUAD = SHARED_DATA / "medquad" / "medquad_answered.jsonl"
pytestmark = pytest.mark.skipif(not MEDQUAD.exists(), reason="../shared/data/medquad is absent")


def test_embeddings_find_the_answer_among_sibling_answers_better_than_words_alone(kb: KnowledgeBase) -> None:
    # 200 consecutive Genetics Home Reference answers: ~30 conditions with several questions each (what is it, how
    # common, which genes, how inherited, treatment), so the right answer competes with its siblings.
    docs = list(itertools.islice(load_documents("medquad", MEDQUAD), 6118, 6318))
    chunker = Chunker(tokenizer_file=tokenizer_for(kb.embedder()))
    relevant: dict[str, set[str]] = {}
    passages = []
    for doc in docs:
        chunks = list(chunk_documents([doc], "medquad-test", chunker))
        relevant.setdefault(doc.metadata["question"], set()).update(p.id for p in chunks)
        passages += chunks
    kb.ingest(passages, "medquad-test", batch_size=128)
    try:
        top1 = {}
        for mode in ("lexical", "dense", "hybrid"):
            hits = [kb.search(q, k=1, corpus="medquad-test", mode=mode)[0].id in relevant[q] for q in relevant]
            top1[mode] = sum(hits) / len(hits)
        # measured: lexical 0.32, dense 0.60, hybrid 0.47 (siblings share every title word; see docs/knowledge_base.md)
        assert top1["dense"] >= 0.5 and top1["hybrid"] >= top1["lexical"] + 0.1, top1
    finally:
        kb.drop("medquad-test")
