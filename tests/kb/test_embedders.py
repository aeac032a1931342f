"""Embedders: the packaged MiniLM through ONNX (int8 and float32) against sentence-transformers, and an
OpenAI-compatible endpoint served in memory."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import numpy as np
import pytest

from healthgym.mcp_servers.kb import KBSettings, get_embedder
from healthgym.mcp_servers.kb.embedders import MINILM_MODEL, OpenAIEmbedder
from healthgym.mcp_servers.kb.errors import KBUnavailableError

TEXTS = [
    "Warfarin is a vitamin K antagonist; amiodarone raises the INR.",
    "Sepsis",
    "Give 15 g of fast-acting carbohydrate for hypoglycaemia, then recheck glucose after fifteen minutes. " * 3,
    "Asthma controller: inhaled corticosteroid.",
]


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    pytest.importorskip("sentence_transformers")
    return get_embedder("minilm-torch", cache_dir=Path("unused")).embed(TEXTS)


@pytest.mark.parametrize(("spec", "min_cos"), [("minilm-fp32", 0.9999), ("minilm", 0.98)])
def test_onnx_minilm_matches_sentence_transformers(
    kb_settings: KBSettings, reference: np.ndarray, spec: str, min_cos: float
) -> None:
    embedder = get_embedder(spec, cache_dir=kb_settings.data_dir / "models")
    assert (embedder.model, embedder.dim, embedder.spec) == (MINILM_MODEL, 384, spec)
    vectors = embedder.embed(TEXTS)
    assert vectors.shape == (4, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    cosine = (vectors * reference).sum(axis=1)  # row i against row i: batching by length must keep the order
    assert cosine.min() >= min_cos, cosine
    assert embedder.embed([]).shape == (0, 384)


def test_lexical_is_no_embedder_and_unknown_specs_list_the_valid_ones(tmp_path: Path) -> None:
    assert get_embedder("lexical", cache_dir=tmp_path) is None
    with pytest.raises(ValueError, match="minilm, minilm-fp32, minilm-torch, st:PATH"):
        get_embedder("word2vec", cache_dir=tmp_path)
    with pytest.raises(ValueError, match="not a sentence-transformers model folder"):
        get_embedder(f"st:{tmp_path}", cache_dir=tmp_path)


def fake_endpoint(dim: int, calls: list[dict]) -> httpx.MockTransport:
    """An OpenAI-style /embeddings endpoint answering in reverse order (clients must sort by index)."""

    def handle(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        calls.append({"path": request.url.path, "auth": request.headers.get("authorization"), **body})
        data = [{"index": i, "embedding": [float(len(t) + j) for j in range(dim)]} for i, t in enumerate(body["input"])]
        return httpx.Response(200, json={"data": data[::-1], "model": body["model"]})

    return httpx.MockTransport(handle)


def test_openai_compatible_endpoint_batches_orders_and_normalises() -> None:
    calls: list[dict] = []
    embedder = OpenAIEmbedder(
        "text-embed-x", base_url="http://embed.local/v1", api_key="k", batch_size=2, transport=fake_endpoint(3, calls)
    )
    vectors = embedder.embed(["a", "bbb", "cc"])
    expected = np.array([[1, 2, 3], [3, 4, 5], [2, 3, 4]], dtype=np.float32)
    np.testing.assert_allclose(vectors, expected / np.linalg.norm(expected, axis=1, keepdims=True), rtol=1e-6)
    assert [c["input"] for c in calls] == [["a", "bbb"], ["cc"]]
    assert calls[0]["path"] == "/v1/embeddings" and calls[0]["auth"] == "Bearer k"
    assert calls[0]["model"] == "text-embed-x"
    assert (embedder.dim, embedder.model) == (3, "openai:text-embed-x")


def test_openai_endpoint_failure_is_a_clear_error() -> None:
    broken = httpx.MockTransport(lambda request: httpx.Response(500, json={"error": "down"}))
    embedder = OpenAIEmbedder("m", base_url="http://embed.local/v1", transport=broken)
    with pytest.raises(KBUnavailableError, match="embeddings endpoint http://embed.local/v1 failed"):
        embedder.embed(["x"])
