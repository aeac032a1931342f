"""An in-process MCP session on the medical_qa server, and the fixture files (made by us) of each loader format."""

from __future__ import annotations

from pathlib import Path

import pytest

from healthgym.mcp_servers.inprocess import InProcessSession
from healthgym.mcp_servers.server import build_server

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def session() -> InProcessSession:
    return InProcessSession(build_server("medical_qa"))


@pytest.fixture(autouse=True)
def no_loaded_corpora(monkeypatch):
    """Corpora a test loads (PubMedQA contexts, MedQuAD) are served for that test only, not the rest of the run."""
    from healthgym.mcp_servers.domains.medical_qa import library

    monkeypatch.setattr(library, "_loaded", {})
