"""Streamable HTTP: bearer-token auth, and 100 concurrent sessions x 20 calls with no errors and no leakage."""

import socket
import threading
import time

import anyio
import httpx
import pytest
import uvicorn
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

from healthgym.mcp_servers.server import build_server, http_app

TOKEN = "test-token"


@pytest.fixture
def http_url(tiny_domain: str):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = build_server(tiny_domain, port=port)
    config = uvicorn.Config(http_app(server, TOKEN), host="127.0.0.1", port=port, log_level="warning")
    runner = uvicorn.Server(config)
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not runner.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/mcp"
    runner.should_exit = True
    thread.join(timeout=10)


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
        headers = {"Authorization": f"Bearer {TOKEN}"}
        async with (
            httpx.AsyncClient(headers=headers, timeout=60) as http,
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
