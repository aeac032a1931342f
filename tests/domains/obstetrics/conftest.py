"""An in-process MCP session on the obstetrics server."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.inprocess import InProcessSession
from healthgym.mcp_servers.server import build_server


@pytest.fixture
def session() -> InProcessSession:
    return InProcessSession(build_server("obstetrics"))
