"""Concurrent episodes never see each other's writes, in-process or over real MCP sessions."""

import anyio
import pytest
from mcp.server.fastmcp.exceptions import ToolError
from mcp.shared.memory import create_connected_server_and_client_session

from healthgym.mcp_servers.clinic import episode
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
    with pytest.raises(ToolError, match="'e0' was evicted"):
        states.for_session(session, "e0")
    assert states.for_session(session, "e4").task_id == "e4"
    assert states.for_session(session, None) is states.for_session(session, None)  # scratch: never evicted
    assert first.task_id == "e0"


def test_session_evicts_by_characters_written() -> None:
    states = SessionStates(max_chars=1_000)
    session = object.__new__(type("S", (), {}))
    states.for_session(session, "big").add("notes", {"text": "x" * 990})
    states.for_session(session, "next")
    with pytest.raises(ToolError, match="evicted"):
        states.for_session(session, "big")


def test_evicted_episode_answers_an_error_over_mcp(tiny_domain: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """An episode pushed out of its session is an error, never a silently fresh episode (writes, submit-once)."""
    monkeypatch.setattr(episode, "MAX_EPISODES_PER_SESSION", 3)
    server = build_server(tiny_domain)
    tag = {EPISODE_META_KEY: "e0"}

    async def main() -> None:
        async with create_connected_server_and_client_session(server._mcp_server) as client:
            await client.call_tool("write_note", {"text": "kept"}, meta=tag)
            assert not (await client.call_tool("submit_answer", {"answer": 1}, meta=tag)).isError
            for i in range(1, 4):
                await client.call_tool("get_labs", {"patient_id": "TP-test-0-1"}, meta={EPISODE_META_KEY: f"e{i}"})
            again = await client.call_tool("submit_answer", {"answer": 2}, meta=tag)
            labs = await client.call_tool("get_labs", {"patient_id": "TP-test-0-1"}, meta=tag)
            assert again.isError and labs.isError
            assert "evicted" in labs.content[0].text

    anyio.run(main)


def test_episode_writes_are_limited(tiny_domain: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unbounded writes grew memory and responses (20,000 notes: an 80 MB get_labs); now an error says the limit."""
    monkeypatch.setattr(episode, "MAX_WRITES", 5)
    session = InProcessSession(build_server(tiny_domain))
    for i in range(5):
        assert not session.call_tool("write_note", {"text": f"note {i}"}).is_error
    refused = session.call_tool("write_note", {"text": "one too many"})
    assert refused.is_error and "write limit" in refused.text and "notes: 5" in refused.text
    assert len(session.call_tool("get_labs", {"patient_id": "TP-test-0-1"}).structured["notes"]) == 5


def test_episode_write_characters_are_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(episode, "MAX_WRITE_CHARS", 100)
    state = episode.EpisodeState()
    state.add("notes", {"text": "x" * 50})
    with pytest.raises(ToolError, match="100 characters"):
        state.add("notes", {"text": "x" * 50})
