"""Serve the tiny test domain over stdio: ``python -m tests.agents.tiny_stdio`` from the repository root."""

from healthgym.mcp_servers import domains
from healthgym.mcp_servers.server import serve

if __name__ == "__main__":
    domains.DOMAINS["tiny"] = "tests.framework.tiny_domain"
    serve("tiny")
