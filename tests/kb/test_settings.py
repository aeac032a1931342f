"""Settings and the embedder come from the user, never from the database, and a bad setting is one tool error
(issue #17, items 3 and 11), on the session's real embedded PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from healthgym.mcp_servers.kb import (
    Chunker,
    Document,
    EmbedderMismatchError,
    KBSettings,
    KnowledgeBase,
    SettingsError,
    chunk_documents,
)
from healthgym.mcp_servers.kb.embedders import Embedder
from healthgym.mcp_servers.kb.tools import shared_knowledge_base
from tests.kb.test_tools import run


class Recorder(BaseHTTPRequestHandler):
    """An embeddings endpoint that only records who called it."""

    calls: list[str] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        Recorder.calls.append(self.headers.get("Authorization", ""))
        self.send_response(500)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def endpoint() -> Iterator[str]:
    httpd = HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Recorder.calls.clear()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()


def test_a_stored_embedder_spec_is_never_used_to_embed_queries(
    kb: KnowledgeBase, kb_settings: KBSettings, endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Remote(Embedder):
        """Stands in for a corpus whose row names a remote endpoint (`openai:x@URL`) with MiniLM's dimension."""

        spec = f"openai:x@{endpoint}"
        model = "openai:x"
        dim = 384

        def _embed(self, texts: list[str]) -> np.ndarray:
            return np.ones((len(texts), 384), dtype=np.float32)

    passages = chunk_documents([Document("Gout", "Colchicine early.")], "remote", Chunker())
    kb.ingest(passages, "remote", embedder=Remote())
    monkeypatch.setenv("OPENAI_API_KEY", "sk-user-secret")
    try:
        other_process = KnowledgeBase(kb_settings)  # settings say minilm; the row says openai:x@endpoint
        with pytest.raises(EmbedderMismatchError, match=r"'remote' was embedded with openai:x \(384-d\).*'minilm'"):
            other_process.search("gout", corpus="remote", mode="dense")
        with pytest.raises(EmbedderMismatchError):
            other_process.search("gout", mode="hybrid")  # every corpus, "remote" among them
        assert other_process.search("colchicine", corpus="remote", mode="lexical")[0].title == "Gout"
        assert Recorder.calls == []  # neither the query nor the key went to the stored URL
        other_process.close()
    finally:
        kb.drop("remote")


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("HEALTHGYM_KB_EF_SEARCH", "fast", "HEALTHGYM_KB_EF_SEARCH must be an integer in 1..1000, got 'fast'"),
        ("HEALTHGYM_KB_EF_SEARCH", "5000", "must be an integer in 1..1000 (pgvector's range), got 5000"),
        ("HEALTHGYM_DATABASE_URL", "mysql://u:pw@db/x", "must be a postgresql:// URL, got 'db/x'"),
    ],
)
def test_a_bad_setting_lets_every_server_start_and_the_tool_reports_it(
    kb: KnowledgeBase, env_data_dir: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    from healthgym.mcp_servers.domains import DOMAINS
    from healthgym.mcp_servers.server import build_server

    shared_knowledge_base.cache_clear()
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError):
        KBSettings.from_env()
    try:
        for domain in DOMAINS:
            server = build_server(domain)  # raised before: every `healthgym serve` exited with a traceback
            result = run(server, lambda c: c.call_tool("search_knowledge", {"query": "sepsis antibiotics"}))
            assert result.isError and message in result.content[0].text
        monkeypatch.delenv(variable)
        shared_knowledge_base.cache_clear()
        fixed = run(server, lambda c: c.call_tool("search_knowledge", {"query": "sepsis antibiotics", "k": 1}))
        assert not fixed.isError and fixed.structuredContent["backend"] == "postgres"
        assert fixed.structuredContent["hits"][0]["title"] == "Sepsis"
    finally:
        shared_knowledge_base.cache_clear()
