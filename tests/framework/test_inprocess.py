"""The in-process session answers exactly what a real MCP client session receives."""

import anyio
import pytest
from mcp.shared.memory import create_connected_server_and_client_session

from healthgym.mcp_servers.clinic import EpisodeState
from healthgym.mcp_servers.inprocess import InProcessSession, result_text
from healthgym.mcp_servers.server import build_server

CALLS = [
    ("get_labs", {"patient_id": "TP-test-0-3"}),
    ("get_labs", {"patient_id": "nonsense"}),
    ("get_labs", {"patient_id": 7}),
    ("get_labs", {}),
    ("write_note", {"text": "x" * 501}),
    ("write_note", {"text": "checked"}),
    ("get_labs", {"patient_id": "TP-test-0-3"}),
    ("no_such_tool", {}),
    ("submit_answer", {"answer": "4.2"}),
    ("submit_answer", {"answer": 4.2}),
]


async def _via_session(server):
    out = []
    async with create_connected_server_and_client_session(server._mcp_server) as client:
        for name, args in CALLS:
            result = await client.call_tool(name, args)
            out.append((result.isError, result_text(result.content), result.structuredContent))
        tools = (await client.list_tools()).tools
    return out, tools


def test_same_results_as_a_real_session(tiny_domain: str) -> None:
    server = build_server(tiny_domain)
    expected, tools = anyio.run(_via_session, server)
    session = InProcessSession(server, EpisodeState())
    got = [(r.is_error, r.text, r.structured) for r in (session.call_tool(n, a) for n, a in CALLS)]
    assert [g[0] for g in got] == [e[0] for e in expected]
    for (_, g_text, g_struct), (e_err, e_text, e_struct) in zip(got, expected, strict=True):
        assert g_struct == e_struct
        if e_err:  # the same message, modulo the SDK's unknown-tool wording
            assert ("Unknown tool" in g_text) == ("Unknown tool" in e_text)
            if "Unknown tool" not in e_text:
                assert g_text == e_text
        else:
            assert g_text == e_text
    assert [t.model_dump() for t in session.list_tools()] == [t.model_dump() for t in tools]


def test_errors_name_the_parameter(tiny_domain: str) -> None:
    session = InProcessSession(build_server(tiny_domain))
    result = session.call_tool("get_labs", {"patient_id": 7})
    assert result.is_error and "patient_id" in result.text
    result = session.call_tool("write_note", {"text": "x" * 501})
    assert result.is_error and "text" in result.text and "500" in result.text


def test_read_only_annotations(tiny_domain: str) -> None:
    tools = {t.name: t for t in InProcessSession(build_server(tiny_domain)).list_tools()}
    assert tools["get_labs"].annotations.readOnlyHint is True
    assert tools["write_note"].annotations.readOnlyHint is False
    assert tools["get_labs"].outputSchema is not None


@pytest.mark.parametrize("arguments", [None, [], "text", 3])
def test_non_object_arguments_are_errors(tiny_domain: str, arguments) -> None:
    result = InProcessSession(build_server(tiny_domain)).call_tool("get_labs", arguments)
    assert result.is_error and "JSON object" in result.text
