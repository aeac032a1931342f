"""Streamable HTTP for a domain server, hardened: bearer token, Host/Origin checks on any bind address, session limits
per client and in all, a short idle timeout, malformed bodies answered 400, partial headers timed out.

What each layer promises, and the test that holds it, is in docs/security.md. From the outside in:

1. :class:`BearerTokenMiddleware` (when a token is set): 401 before anything else runs.
2. :class:`MessageCheckMiddleware`: a POST body that is not UTF-8 JSON nested at most ``MAX_DEPTH`` deep gets a 400
   with a JSON-RPC error (the SDK answered 500).
3. :class:`SessionsPerClient`: one client address may hold ``max_sessions_per_client`` sessions; more gets 429, so
   one client cannot take every one of the server's ``max_sessions`` and lock the others out with 503s.
4. The SDK's app, with DNS-rebinding protection on whatever the bind address (the SDK turns it on for loopback
   binds only): Host must be a loopback name, the bind address or an ``allowed_hosts`` entry.

:func:`http_config` adds the connection layer: uvicorn's h11 protocol with a deadline for a request's headers, so
a client that sends half a request line and waits (slowloris) is disconnected after ``header_timeout`` seconds.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections import Counter
from collections.abc import Sequence
from typing import Any

import h11
import uvicorn
from mcp.server.fastmcp import FastMCP
from mcp.server.transport_security import TransportSecuritySettings
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from healthgym.mcp_servers.messages import check_message

MAX_SESSIONS = 1000
"""Default cap on open sessions (the SDK's is 10,000: about 70 KB each, 700 MB at the cap)."""
MAX_SESSIONS_PER_CLIENT = 128
"""Default cap on open sessions of one client address."""
SESSION_IDLE_TIMEOUT = 300.0
"""Seconds without a request after which a session is closed (the SDK's default is 30 minutes)."""
HEADER_TIMEOUT = 10.0
"""Seconds a connection may take to send a request's headers."""
MAX_BODY_BYTES = 4 * 1024 * 1024
"""Largest request body read (the SDK's own limit answers 413 beyond it)."""
_LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
_WILDCARD_BINDS = ("0.0.0.0", "::", "")


async def _send_json(send: Send, status: int, body: bytes, headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), *headers]})
    await send({"type": "http.response.body", "body": body})


class BearerTokenMiddleware:
    """Reject HTTP requests without ``Authorization: Bearer <token>`` (401), compared in constant time."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        if not token.strip():
            raise ValueError("the bearer token is empty; pass a non-empty token or none")
        self.app = app
        self.expected = f"Bearer {token}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            given = dict(scope.get("headers") or []).get(b"authorization", b"")
            if not hmac.compare_digest(given, self.expected):
                client = scope.get("client") or ("?", 0)
                _log.warning(
                    "401: %s %s from %s without a valid bearer token (%s)",
                    scope.get("method", "?"),
                    scope.get("path", "?"),
                    client[0],
                    "no Authorization header" if not given else "wrong token",
                )
                await _send_json(send, 401, b'{"error": "missing or invalid bearer token"}',
                                 [(b"www-authenticate", b"Bearer")])
                return
        await self.app(scope, receive, send)


class MessageCheckMiddleware:
    """Answer a POST body that is not UTF-8, not JSON or nested too deep with 400 and a JSON-RPC error."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more and size <= MAX_BODY_BYTES:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if not more:
            bad = check_message(body)
            if bad is not None:
                await _send_json(send, 400, bad.reply_bytes())
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": more}
            return await receive()

        await self.app(scope, replay, send)


class SessionsPerClient:
    """Refuse a new session (429) to a client address that already holds ``limit`` open ones.

    Sessions are counted from the ``mcp-session-id`` of each successful opening response and forgotten when the
    session manager no longer holds them (closed by the client, expired, crashed).
    """

    def __init__(self, app: ASGIApp, server: FastMCP, limit: int) -> None:
        if limit <= 0:
            raise ValueError(f"max sessions per client must be positive, got {limit}")
        self.app = app
        self.server = server
        self.limit = limit
        self._owner: dict[str, str] = {}
        self._opening: Counter[str] = Counter()

    def open_sessions(self, client: str) -> int:
        live: dict[str, Any] = self.server.session_manager._server_instances
        for sid in [sid for sid in self._owner if sid not in live]:
            del self._owner[sid]
        return sum(owner == client for owner in self._owner.values()) + self._opening[client]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or []) if scope["type"] == "http" else {}
        if scope["type"] != "http" or scope["method"] != "POST" or b"mcp-session-id" in headers:
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        if self.open_sessions(client) >= self.limit:
            reason = (f"Too many open sessions from this client ({self.limit}); close one (HTTP DELETE) or let one "
                      f"idle out ({self.server.settings.session_idle_timeout:g} s)")
            body = json.dumps({"jsonrpc": "2.0", "id": None, "error": {"code": -32000, "message": reason}}).encode()
            await _send_json(send, 429, body)
            return

        async def record(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] < 400:
                sid = dict(message.get("headers") or []).get(b"mcp-session-id")
                if sid:
                    self._owner[sid.decode()] = client
            await send(message)

        self._opening[client] += 1
        try:
            await self.app(scope, receive, record)
        finally:
            self._opening[client] -= 1
            if not self._opening[client]:
                del self._opening[client]


_log = logging.getLogger("healthgym.http")
"""Rejected requests are logged at WARNING, which ``healthgym serve`` shows by default."""

def transport_security(host: str, allowed_hosts: Sequence[str] = ()) -> TransportSecuritySettings:
    """DNS-rebinding protection for a server bound to ``host``: loopback names, the bind address and
    ``allowed_hosts`` (names or ``name:port``; a bare name allows any port) are the accepted Host values."""
    names = list(_LOOPBACK)
    if host not in _WILDCARD_BINDS and host not in ("::1", *_LOOPBACK):
        names.append(f"[{host}]" if ":" in host else host)
    hosts: list[str] = []
    origins: list[str] = []
    for name in [*names, *allowed_hosts]:
        if not name.strip():
            raise ValueError("an allowed host is empty")
        with_port = name.rsplit(":", 1)[-1].isdigit() and not name.endswith("]")
        hosts += [name] if with_port else [name, f"{name}:*"]
        for scheme in ("http", "https"):
            origins += [f"{scheme}://{name}"] if with_port else [f"{scheme}://{name}", f"{scheme}://{name}:*"]
    return TransportSecuritySettings(enable_dns_rebinding_protection=True, allowed_hosts=hosts,
                                     allowed_origins=origins)


def http_app(
    server: FastMCP,
    token: str | None = None,
    *,
    allowed_hosts: Sequence[str] = (),
    max_sessions: int = MAX_SESSIONS,
    max_sessions_per_client: int = MAX_SESSIONS_PER_CLIENT,
    session_idle_timeout: float = SESSION_IDLE_TIMEOUT,
) -> ASGIApp:
    """The streamable-HTTP ASGI app of a server, with the layers listed in the module docstring.

    A server serves HTTP once (the SDK's session manager runs once): build a new one with ``create_server`` for
    each app.
    """
    if token is not None and not token.strip():
        raise ValueError("the bearer token is empty; pass a non-empty token or none")
    if max_sessions <= 0:
        raise ValueError(f"max_sessions must be positive, got {max_sessions}")
    server.settings.transport_security = transport_security(server.settings.host, allowed_hosts)
    server.settings.max_sessions = max_sessions
    server.settings.session_idle_timeout = session_idle_timeout
    app: ASGIApp = server.streamable_http_app()
    app = SessionsPerClient(app, server, max_sessions_per_client)
    app = MessageCheckMiddleware(app)
    return BearerTokenMiddleware(app, token) if token else app


def header_timeout_protocol(seconds: float = HEADER_TIMEOUT) -> type[H11Protocol]:
    """uvicorn's h11 protocol with a deadline for each request's headers, counted from when the connection starts
    waiting for them (so trickling a byte at a time does not extend it)."""

    class HeaderTimeoutProtocol(H11Protocol):
        _header_timer: Any = None

        def _watch_headers(self) -> None:
            waiting = self.conn.their_state is h11.IDLE and not self.transport.is_closing()
            if waiting and self._header_timer is None:
                self._header_timer = self.loop.call_later(seconds, self._headers_timed_out)
            elif not waiting and self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _headers_timed_out(self) -> None:
            self._header_timer = None
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                self.transport.close()

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._watch_headers()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            self._watch_headers()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._watch_headers()

        def connection_lost(self, exc: Exception | None) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None
            super().connection_lost(exc)

    return HeaderTimeoutProtocol


def http_config(app: ASGIApp, host: str, port: int, *, header_timeout: float = HEADER_TIMEOUT,
                log_level: str = "warning") -> uvicorn.Config:
    """The uvicorn configuration ``healthgym serve --transport http`` runs ``app`` with."""
    return uvicorn.Config(app, host=host, port=port, log_level=log_level.lower(),
                          http=header_timeout_protocol(header_timeout))
