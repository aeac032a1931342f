"""An in-process MCP session on the triage server."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.inprocess import InProcessSession
from healthgym.mcp_servers.server import build_server


@pytest.fixture
def session() -> InProcessSession:
    return InProcessSession(build_server("triage_emergency"))
