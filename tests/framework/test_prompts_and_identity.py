"""What an MCP client learns about a healthgym server besides its tools: its own version, its prompts, and a log line
for every request refused without the bearer token (issue #18, item 7)."""

from __future__ import annotations

import logging

import anyio
import pytest
from mcp.shared.memory import create_connected_server_and_client_session

from healthgym import __version__
from healthgym.mcp_servers.domain import tasks
from healthgym.mcp_servers.domains import get_domain
from healthgym.mcp_servers.http_transport import BearerTokenMiddleware
from healthgym.mcp_servers.server import create_server


def test_server_reports_healthgym_version_and_serves_policy_and_task_prompts() -> None:
    spec = get_domain("triage_emergency")
    task = tasks(spec, "test")[3]

    async def main():
        server = create_server("triage_emergency")
        async with create_connected_server_and_client_session(server._mcp_server) as session:
            listed = {p.name: p for p in (await session.list_prompts()).prompts}
            policy = await session.get_prompt("policy")
            chosen = await session.get_prompt("task", {"index": "3", "split": "test"})
            return server._mcp_server.create_initialization_options(), listed, policy, chosen

    options, listed, policy, chosen = anyio.run(main)
    assert options.server_version == __version__
    assert set(listed) == {"policy", "task"} and {a.name for a in listed["task"].arguments} == {"index", "split"}
    assert policy.messages[0].content.text == spec.policy
    assert chosen.messages[0].content.text.startswith(task.prompt)


def test_a_refused_request_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    async def app(scope, receive, send):  # pragma: no cover - never reached without the token
        raise AssertionError("the request went through")

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/mcp", "headers": [], "client": ("127.0.0.1", 5000)}
    with caplog.at_level(logging.WARNING, logger="healthgym.http"):
        anyio.run(BearerTokenMiddleware(app, "s3cret"), scope, None, send)
    assert sent[0]["status"] == 401
    assert "401" in caplog.text and "127.0.0.1" in caplog.text and "no Authorization header" in caplog.text
