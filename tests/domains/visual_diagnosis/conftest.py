"""An in-process MCP session on the visual_diagnosis server, and the test split's cases."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.domains.visual_diagnosis.cases import Case, build_case
from healthgym.mcp_servers.inprocess import InProcessSession
from healthgym.mcp_servers.server import build_server


@pytest.fixture
def session() -> InProcessSession:
    return InProcessSession(build_server("visual_diagnosis"))


@pytest.fixture(scope="session")
def test_cases() -> list[Case]:
    return [build_case("test", 0, i) for i in range(360)]
