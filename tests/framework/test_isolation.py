"""Concurrent episodes never see each other's writes, in-process or over real MCP sessions."""

import anyio
from mcp.shared.memory import create_connected_server_and_client_session

from healthgym.mcp_servers.inprocess import InProcessSession
from healthgym.mcp_servers.server import build_server


def test_in_process_episodes_are_isolated(tiny_domain: str) -> None:
    server = build_server(tiny_domain)
    a, b = InProcessSession(server), InProcessSession(server)
    a.call_tool("write_note", {"text": "only in A"})
    assert a.call_tool("get_labs", {"patient_id": "TP-test-0-1"}).structured["notes"] == ["only in A"]
    assert b.call_tool("get_labs", {"patient_id": "TP-test-0-1"}).structured["notes"] == []
    assert not a.call_tool("submit_answer", {"answer": 1}).is_error
    assert not b.call_tool("submit_answer", {"answer": 1}).is_error  # B's first submission


def test_mcp_sessions_are_isolated(tiny_domain: str) -> None:
    server = build_server(tiny_domain)

    async def main() -> None:
        async with (
            create_connected_server_and_client_session(server._mcp_server) as a,
            create_connected_server_and_client_session(server._mcp_server) as b,
        ):
            await a.call_tool("write_note", {"text": "note of A"})
            seen_a = await a.call_tool("get_labs", {"patient_id": "TP-test-0-1"})
            seen_b = await b.call_tool("get_labs", {"patient_id": "TP-test-0-1"})
            assert seen_a.structuredContent["notes"] == ["note of A"]
            assert seen_b.structuredContent["notes"] == []

    anyio.run(main)
