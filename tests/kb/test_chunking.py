"""Token-window chunking with overlap, sentence-end cuts and titles kept."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.kb import Chunker, Document, chunk_documents, passage_id
from healthgym.mcp_servers.kb.embedders import minilm_dir

SENTENCES = [f"Sentence number {i} says that drug {i} lowers blood pressure by {i} mmHg." for i in range(60)]
TEXT = " ".join(SENTENCES)


def test_short_text_is_one_passage_and_blank_text_none() -> None:
    chunker = Chunker(max_tokens=64, overlap=16)
    assert list(chunker.split("  Aspirin inhibits COX-1.  ")) == ["Aspirin inhibits COX-1."]
    assert list(chunker.split(" \n\t ")) == []


def test_word_windows_respect_the_limit_overlap_and_cover_the_text() -> None:
    chunker = Chunker(max_tokens=40, overlap=10)
    chunks = list(chunker.split(TEXT))
    assert len(chunks) > 5
    assert all(len(c.split()) <= 40 for c in chunks)
    assert all(c.endswith(".") for c in chunks)  # cut after a sentence end, never mid-sentence
    for a, b in zip(chunks, chunks[1:], strict=False):
        assert a.split()[-10:] == b.split()[:10]  # exactly `overlap` words repeated
    assert chunks[0].startswith("Sentence number 0") and chunks[-1].endswith("by 59 mmHg.")
    words = set(TEXT.split())
    assert set().union(*(c.split() for c in chunks)) == words


def test_model_tokens_bound_each_chunk() -> None:
    pytest.importorskip("tokenizers")
    from tokenizers import Tokenizer

    path = minilm_dir() / "tokenizer.json"
    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_padding()  # the packaged tokenizer.json pads to 128
    tokenizer.no_truncation()
    chunks = list(Chunker(max_tokens=64, overlap=16, tokenizer_file=path).split(TEXT))
    lengths = [len(tokenizer.encode(c, add_special_tokens=False).ids) for c in chunks]
    assert max(lengths) <= 64 and min(lengths[:-1]) >= 32  # cut in the window's second half


def test_documents_keep_their_title_and_get_content_ids() -> None:
    doc = Document("Hypertension", TEXT, source="test", metadata={"doc_id": "h1"}, domains=("cardio",))
    passages = list(chunk_documents([doc], "c", Chunker(max_tokens=40, overlap=10)))
    assert all(p.title == "Hypertension" and p.domains == ["cardio"] and p.corpus == "c" for p in passages)
    assert [p.metadata["chunk"] for p in passages] == list(range(len(passages)))
    assert {p.metadata["chunks"] for p in passages} == {len(passages)} and passages[0].metadata["doc_id"] == "h1"
    assert passages[0].id == passage_id("Hypertension", passages[0].text)
    assert len({p.id for p in passages}) == len(passages)
    assert passage_id("A", "b") != passage_id("A ", "b") and len(passage_id("A", "b")) == 24


@pytest.mark.parametrize(("max_tokens", "overlap"), [(8, 2), (64, 40), (64, -1)])
def test_bad_windows_are_refused(max_tokens: int, overlap: int) -> None:
    with pytest.raises(ValueError, match="max_tokens|overlap"):
        Chunker(max_tokens=max_tokens, overlap=overlap)


def test_batch_tokenising_cuts_exactly_like_one_at_a_time() -> None:
    chunker = Chunker(max_tokens=32, overlap=8, tokenizer_file=minilm_dir() / "tokenizer.json")
    texts = [
        " ".join(f"Sentence {i} of text {n} mentions warfarin and the INR." for i in range(n)) for n in range(0, 30, 3)
    ]
    texts += ["   ", "Short one."]
    assert chunker.split_many(texts) == [list(chunker.split(t)) for t in texts]
