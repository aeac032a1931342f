"""Concurrent episodes never see each other's writes, in-process or over real MCP sessions."""

import anyio
from mcp.shared.memory import create_connected_server_and_client_session

from healthgym.mcp_servers.clinic.episode import EPISODE_META_KEY, SessionStates
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


def test_episodes_tagged_in_one_session_are_isolated(tiny_domain: str) -> None:
    """One session for a whole run: each episode's writes stay in that episode, untagged calls in the scratch."""
    server = build_server(tiny_domain)

    def tag(episode: str) -> dict:
        return {EPISODE_META_KEY: episode}

    async def main() -> None:
        async with create_connected_server_and_client_session(server._mcp_server) as client:
            await client.call_tool("write_note", {"text": "in e1"}, meta=tag("e1"))
            assert not (await client.call_tool("submit_answer", {"answer": 1}, meta=tag("e1"))).isError
            e1 = await client.call_tool("get_labs", {"patient_id": "TP-test-0-1"}, meta=tag("e1"))
            e2 = await client.call_tool("get_labs", {"patient_id": "TP-test-0-1"}, meta=tag("e2"))
            scratch = await client.call_tool("get_labs", {"patient_id": "TP-test-0-1"})
            assert e1.structuredContent["notes"] == ["in e1"]
            assert e2.structuredContent["notes"] == [] and scratch.structuredContent["notes"] == []
            assert not (await client.call_tool("submit_answer", {"answer": 1}, meta=tag("e2"))).isError

    anyio.run(main)


def test_session_keeps_a_bounded_number_of_episodes() -> None:
    states = SessionStates(max_episodes=3)
    session = object.__new__(type("S", (), {}))
    first = states.for_session(session, "e0")
    for i in range(1, 5):
        states.for_session(session, f"e{i}")
    assert states.for_session(session, "e0") is not first
    assert states.for_session(session, "e4").task_id == "e4"
