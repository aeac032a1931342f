"""Streamable HTTP on a real server bound to 127.0.0.1: bearer-token auth, Host checks, session limits, malformed
bodies, slow headers, and 100 concurrent sessions x 20 calls with no errors and no leakage."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
import uvicorn
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client
from typer.testing import CliRunner

from healthgym.cli import app
from healthgym.mcp_servers.http_transport import SESSION_IDLE_TIMEOUT, http_app, http_config
from healthgym.mcp_servers.server import create_server

TOKEN = "test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
INITIALIZE = {
    "jsonrpc": "2.0", "id": 1, "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}},
}
HEADERS = {**AUTH, "Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(domain: str, *, server_host: str = "127.0.0.1", header_timeout: float = 10.0,
            **app_options: Any) -> Iterator[str]:
    """Serve ``domain`` on 127.0.0.1 as ``healthgym serve`` does; ``server_host`` is the address the server believes
    it is bound to (its Host checks follow it)."""
    port = _free_port()
    server = create_server(domain, host=server_host, port=port)
    app = http_app(server, app_options.pop("token", TOKEN), **app_options)
    config = http_config(app, "127.0.0.1", port, header_timeout=header_timeout)
    runner = uvicorn.Server(config)
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not runner.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        runner.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def http_url(tiny_domain: str) -> Iterator[str]:
    with serving(tiny_domain) as url:
        yield url


def test_requests_without_the_token_get_401(http_url: str) -> None:
    body = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}}
    assert httpx.post(http_url, json=body).status_code == 401
    assert httpx.post(http_url, json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_concurrent_sessions_do_not_leak(http_url: str) -> None:
    n_sessions, n_calls = 100, 20
    errors: list[str] = []
    calls_done = 0

    async def one_session(i: int) -> None:
        nonlocal calls_done
        async with (
            httpx.AsyncClient(headers=AUTH, timeout=60) as http,
            streamable_http_client(http_url, http_client=http) as (read, write, _),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            result = await session.call_tool("write_note", {"text": f"session {i}"})
            calls_done += 1
            if result.isError:
                errors.append(result.content[0].text)
            for _ in range(n_calls - 1):
                result = await session.call_tool("get_labs", {"patient_id": f"TP-test-0-{i}"})
                calls_done += 1
                if result.isError:
                    errors.append(result.content[0].text)
                elif result.structuredContent["notes"] != [f"session {i}"]:
                    errors.append(f"session {i} saw {result.structuredContent['notes']}")

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            for i in range(n_sessions):
                tg.start_soon(one_session, i)

    anyio.run(main)
    assert errors == []
    assert calls_done == n_sessions * n_calls


def _open_session(url: str, **headers: str) -> httpx.Response:
    return httpx.post(url, json=INITIALIZE, headers={**HEADERS, **headers})


def test_one_client_cannot_take_every_session(tiny_domain: str) -> None:
    """One client used to open the SDK's 10,000 sessions and leave everyone else with 503 for 30 minutes."""
    with serving(tiny_domain, max_sessions_per_client=3) as url:
        opened = [_open_session(url) for _ in range(3)]
        assert [r.status_code for r in opened] == [200, 200, 200]
        refused = _open_session(url)
        assert refused.status_code == 429 and "Too many open sessions from this client" in refused.text
        session_id = opened[0].headers["mcp-session-id"]
        assert httpx.delete(url, headers={**HEADERS, "mcp-session-id": session_id}).status_code == 200
        assert _open_session(url).status_code == 200  # room again once a session is closed


def test_sessions_idle_out_sooner_than_the_sdk_default(tiny_domain: str) -> None:
    server = create_server(tiny_domain)
    http_app(server, TOKEN)
    assert server.settings.session_idle_timeout == SESSION_IDLE_TIMEOUT <= 300
    assert server.settings.max_sessions == 1000


def test_host_checks_hold_on_any_bind_address(tiny_domain: str) -> None:
    """Bound to 0.0.0.0 the SDK switched DNS-rebinding protection off; it stays on, widened by allowed hosts."""
    with serving(tiny_domain, server_host="0.0.0.0", allowed_hosts=["mcp.example.org"]) as url:
        port = url.split(":")[2].split("/")[0]
        assert _open_session(url, Host="rebind.attacker.example").status_code == 421
        assert _open_session(url, Host=f"mcp.example.org:{port}").status_code == 200
        assert _open_session(url, Origin="http://rebind.attacker.example").status_code == 403
        assert _open_session(url).status_code == 200  # 127.0.0.1:port


def test_empty_token_is_refused(tiny_domain: str) -> None:
    with pytest.raises(ValueError, match="empty"):
        http_app(create_server(tiny_domain), "  ")


@pytest.mark.parametrize(
    "body",
    [json.dumps(INITIALIZE).encode().replace(b'"t"', b'"\xff"'), b"[" * 100_000 + b"]" * 100_000,
     json.dumps({**INITIALIZE, "params": {"deep": json.loads("[" * 200 + "]" * 200)}}).encode()],
    ids=["invalid UTF-8", "nested 100,000 deep", "nested 200 deep"],
)
def test_malformed_bodies_get_400_with_a_jsonrpc_error(http_url: str, body: bytes) -> None:
    """Invalid UTF-8 and deep nesting used to be answered 500."""
    response = httpx.post(http_url, content=body, headers=HEADERS)
    assert response.status_code == 400
    assert response.json()["error"]["code"] in (-32700, -32600)


def test_partial_headers_are_cut_off(tiny_domain: str) -> None:
    """A connection that sends half its headers and waits (slowloris) used to be held open for ever."""
    with serving(tiny_domain, header_timeout=0.5) as url:
        port = int(url.split(":")[2].split("/")[0])
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.settimeout(10)
            sock.sendall(b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1")
            assert sock.recv(1024) == b""  # closed by the server, not timed out here
        assert _open_session(url).status_code == 200


def test_nan_in_a_body_is_refused_naming_the_argument(http_url: str) -> None:
    body = (b'{"jsonrpc": "2.0", "id": 9, "method": "tools/call", "params": {"name": "submit_answer", '
            b'"arguments": {"answer": NaN}}}')
    response = httpx.post(http_url, content=body, headers=HEADERS)
    assert response.status_code == 400
    assert response.json()["id"] == 9 and "'answer' is not a finite number" in response.json()["error"]["message"]


@contextmanager
def serve_command(*flags: str, env: dict[str, str] | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """``healthgym serve calculators --transport http`` in a subprocess on a free loopback port."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "healthgym", "serve", "calculators", "--transport", "http", "--port", str(port), *flags],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **(env or {})},
    )
    url = f"http://127.0.0.1:{port}/mcp"
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "server did not start"
        try:
            httpx.get(url, timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.2)
    try:
        yield url, proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_reads_the_token_from_a_file(tmp_path: Path) -> None:
    """A token on the command line shows in ``ps``; --token-file and HEALTHGYM_MCP_TOKEN keep it out."""
    token_file = tmp_path / "token"
    token_file.write_text(f"{TOKEN}\n")
    with serve_command("--token-file", str(token_file)) as (url, proc):
        assert httpx.post(url, json=INITIALIZE, headers={**HEADERS, "Authorization": ""}).status_code == 401
        assert _open_session(url).status_code == 200
        assert TOKEN not in " ".join(proc.args)
    assert "can call its tools" not in " ".join(proc.stderr.read().decode().split())


def test_serve_warns_when_serving_without_a_token() -> None:
    with serve_command() as (url, proc):
        assert _open_session(url).status_code == 200
    warning = " ".join(proc.stderr.read().decode().split())  # rich wraps lines
    assert "WARNING" in warning and "over HTTP without" in warning and "can call its tools" in warning


@pytest.mark.parametrize("flags", [("--token", ""), ("--token", "   ")])
def test_serve_refuses_an_empty_token(flags: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, ["serve", "calculators", "--transport", "http", *flags])
    assert result.exit_code != 0 and "empty" in result.output
