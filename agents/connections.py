"""How an agent reaches a domain server: in-process, stdio or streamable HTTP, chosen by one option.

Every transport ends in the same place: an initialized MCP client session over the domain server's own tool
registry. ``inprocess`` runs the server in the agent's event loop over memory streams (the full MCP protocol, no
serialization); ``stdio`` spawns ``python -m healthgym serve DOMAIN`` (what Claude Desktop runs); ``http`` connects
to a streamable-HTTP endpoint, started locally by :func:`local_http_servers` when no URL is given.

An agent opens one session per server for a whole run and shares it among the run's episodes, concurrent ones too:
each tool call carries its episode's tag in the request ``_meta`` (``io.healthgym/episode``), and the server keeps
each tagged episode's writes (orders, prescriptions, the submitted answer) in that episode's own state. Over stdio
that is one server process per run.
"""

from __future__ import annotations

import secrets
import socket
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal, TextIO

import anyio
import httpx
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import get_default_environment, stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.memory import create_client_server_memory_streams

Transport = Literal["inprocess", "stdio", "http"]
TRANSPORTS: tuple[Transport, ...] = ("inprocess", "stdio", "http")


@dataclass(frozen=True)
class Connection:
    """How to reach one domain server.

    Args:
        domain: the domain served, e.g. ``drug_interaction``.
        transport: ``inprocess``, ``stdio`` or ``http``.
        url: the streamable-HTTP endpoint (``http`` only), e.g. ``http://127.0.0.1:8765/mcp``.
        token: bearer token sent to the HTTP endpoint, if it needs one.
        command: the server command line for ``stdio``; default ``python -m healthgym serve DOMAIN`` in this
            interpreter. Override it to run a server from another environment.
        env: extra environment variables for the ``stdio`` server process.
    """

    domain: str
    transport: Transport = "inprocess"
    url: str | None = None
    token: str | None = None
    command: tuple[str, ...] | None = None
    env: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.transport not in TRANSPORTS:
            raise ValueError(f"transport must be one of {', '.join(TRANSPORTS)}, got {self.transport!r}")
        if self.transport == "http" and not self.url:
            raise ValueError(f"the http transport needs a url for {self.domain} (see local_http_servers)")
        if self.transport != "http" and (self.url or self.token):
            raise ValueError(f"url and token apply to the http transport only, not {self.transport!r}")
        if self.command is not None and self.transport != "stdio":
            raise ValueError(f"command applies to the stdio transport only, not {self.transport!r}")

    @property
    def stdio_command(self) -> tuple[str, ...]:
        return self.command or (sys.executable, "-m", "healthgym", "serve", self.domain)


def domain_connections(domain: str, transport: Transport = "inprocess") -> list[Connection]:
    """Connections to every server an episode of ``domain`` uses: its own, then the others its spec names
    (``DomainSpec.servers``, e.g. cross_domain's calculators and drug_interaction servers), one session each."""
    from healthgym.mcp_servers.domains import get_domain
    from healthgym.mcp_servers.toolset import episode_servers

    return [Connection(server, transport) for server in episode_servers(get_domain(domain))]


@asynccontextmanager
async def open_streams(connection: Connection, *, errlog: TextIO | None = None) -> AsyncIterator[tuple[Any, Any]]:
    """The (read, write) message streams of a new connection to the server; closed on exit.

    Args:
        connection: which server, over which transport.
        errlog: where a stdio server's stderr goes (default: this process's stderr).
    """
    if connection.transport == "inprocess":
        from healthgym.mcp_servers.server import build_server

        lowlevel = build_server(connection.domain)._mcp_server
        async with (
            create_client_server_memory_streams() as (client_streams, server_streams),
            anyio.create_task_group() as tg,
        ):
            tg.start_soon(lambda: lowlevel.run(*server_streams, lowlevel.create_initialization_options()))
            try:
                yield client_streams
            finally:
                tg.cancel_scope.cancel()
    elif connection.transport == "stdio":
        command, *args = connection.stdio_command
        params = StdioServerParameters(command=command, args=args, env={**get_default_environment(), **connection.env})
        async with stdio_client(params, errlog=errlog or sys.stderr) as streams:
            yield streams
    else:
        assert connection.url is not None
        headers = {"Authorization": f"Bearer {connection.token}"} if connection.token else {}
        async with (
            httpx.AsyncClient(headers=headers, timeout=httpx.Timeout(30, read=300)) as http,
            streamable_http_client(connection.url, http_client=http) as (read, write, _),
        ):
            yield read, write


@asynccontextmanager
async def open_session(
    connection: Connection,
    session_cls: type[ClientSession] = ClientSession,
    *,
    errlog: TextIO | None = None,
    **session_kwargs: Any,
) -> AsyncIterator[ClientSession]:
    """An initialized client session to the server, held until the block exits."""
    async with (
        open_streams(connection, errlog=errlog) as (read, write),
        session_cls(read, write, **session_kwargs) as session,
    ):
        await session.initialize()
        yield session


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def local_http_servers(domains: Sequence[str], *, token: str | None = None) -> Iterator[dict[str, Connection]]:
    """Serve each domain over streamable HTTP on a free loopback port, behind a bearer token, until exit.

    Yields the ``http`` connection of each domain. The servers run in this process, one uvicorn thread each.
    """
    import uvicorn

    from healthgym.mcp_servers.server import create_server, http_app

    token = token or secrets.token_urlsafe(16)
    runners: list[tuple[uvicorn.Server, threading.Thread]] = []
    connections: dict[str, Connection] = {}
    try:
        for domain in domains:
            port = _free_port()
            # A fresh server, not the cached one: a FastMCP session manager can serve HTTP only once per instance.
            app = http_app(create_server(domain, port=port), token)
            runner = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
            thread = threading.Thread(target=runner.run, name=f"healthgym-http-{domain}", daemon=True)
            thread.start()
            runners.append((runner, thread))
            deadline = time.monotonic() + 30
            while not runner.started:
                if not thread.is_alive() or time.monotonic() > deadline:
                    raise RuntimeError(f"the HTTP server for {domain} did not start on port {port}")
                time.sleep(0.02)
            connections[domain] = Connection(domain, "http", url=f"http://127.0.0.1:{port}/mcp", token=token)
        yield connections
    finally:
        for runner, _ in runners:
            runner.should_exit = True
        for _, thread in runners:
            thread.join(timeout=10)
