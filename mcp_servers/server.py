"""Build the MCP server of a domain and serve it over stdio or streamable HTTP.

One server per domain, built once per process: its tool registry, argument validation and output schemas are the
single tool code path for every client (Claude Desktop over stdio, remote agents over HTTP, the Gym env in-process).
"""

from __future__ import annotations

import hmac
import inspect
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from mcp.server.fastmcp import FastMCP
from mcp.types import ToolAnnotations
from starlette.types import ASGIApp, Receive, Scope, Send

from healthgym.mcp_servers.clinic.episode import SessionStates
from healthgym.mcp_servers.domains import get_domain

Transport = Literal["stdio", "http"]


@dataclass
class ServerContext:
    """Per-server resources, yielded by the lifespan: the scratch state of each connected session."""

    domain: str
    sessions: SessionStates = field(default_factory=SessionStates)


def _lifespan(domain: str):
    @asynccontextmanager
    async def lifespan(_server: FastMCP) -> AsyncIterator[ServerContext]:
        yield ServerContext(domain=domain)

    return lifespan


@cache
def build_server(domain: str, *, host: str = "127.0.0.1", port: int = 8000) -> FastMCP:
    """The MCP server of ``domain``: its tools (read-only ones annotated so), plus the knowledge base.

    Cached per process: the server is immutable after construction, and episode state never lives on it.
    """
    if domain == "calculators":
        from healthgym.mcp_servers.calculators.server import build_calculators_server

        return build_calculators_server(host=host, port=port)
    spec = get_domain(domain)
    server = FastMCP(
        name=f"healthgym-{spec.name}",
        instructions=spec.policy,
        lifespan=_lifespan(spec.name),
        host=host,
        port=port,
    )
    for fn in spec.tools:
        read_only = fn.__name__ not in spec.write_tools
        server.add_tool(
            fn,
            description=inspect.cleandoc(fn.__doc__ or ""),
            annotations=ToolAnnotations(
                title=fn.__name__.replace("_", " ").capitalize(),
                readOnlyHint=read_only,
                destructiveHint=False,
                idempotentHint=read_only,
                openWorldHint=False,
            ),
            structured_output=True,
        )
    _register_knowledge(server, spec.name)
    return server


def _register_knowledge(server: FastMCP, domain: str) -> None:
    try:
        from healthgym.mcp_servers.kb.tools import register_knowledge
    except ImportError:  # the KB package is optional at import time; its tool needs the `kb` extra to run
        return
    register_knowledge(server, domain=domain)


class BearerTokenMiddleware:
    """Reject HTTP requests without ``Authorization: Bearer <token>`` (401), compared in constant time."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.expected = f"Bearer {token}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            given = dict(scope.get("headers") or []).get(b"authorization", b"")
            if not hmac.compare_digest(given, self.expected):
                await send(
                    {
                        "type": "http.response.start",
                        "status": 401,
                        "headers": [(b"content-type", b"application/json"), (b"www-authenticate", b"Bearer")],
                    }
                )
                await send({"type": "http.response.body", "body": b'{"error": "missing or invalid bearer token"}'})
                return
        await self.app(scope, receive, send)


def http_app(server: FastMCP, token: str | None = None) -> ASGIApp:
    """The streamable-HTTP ASGI app of a server, behind a bearer token when one is given."""
    app = server.streamable_http_app()
    return BearerTokenMiddleware(app, token) if token else app


def serve(domain: str, transport: Transport = "stdio", *, host: str = "127.0.0.1", port: int = 8000,
          token: str | None = None) -> None:
    """Run a domain server until interrupted."""
    server = build_server(domain, host=host, port=port)
    if transport == "stdio":
        server.run("stdio")
        return
    import uvicorn

    uvicorn.run(http_app(server, token), host=host, port=port, log_level="warning")
