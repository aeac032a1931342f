import pytest

from healthgym.mcp_servers import domains, server


@pytest.fixture
def tiny_domain(monkeypatch):
    """Register the tiny test domain for one test."""
    monkeypatch.setitem(domains.DOMAINS, "tiny", "tests.framework.tiny_domain")
    domains.get_domain.cache_clear()
    server.build_server.cache_clear()
    yield "tiny"
    domains.get_domain.cache_clear()
    server.build_server.cache_clear()
