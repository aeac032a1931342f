"""The checks around every tool call (mcp_servers/calls.py), over a real in-memory MCP session and in-process."""

from __future__ import annotations

import logging
import threading
from typing import Annotated, Any

import anyio
import pytest
from mcp.server.fastmcp import FastMCP
from mcp.shared.memory import create_connected_server_and_client_session
from pydantic import Field

from healthgym.client import connect_in_memory
from healthgym.mcp_servers import calls
from healthgym.mcp_servers.calls import DRAFT_07, MAX_ERROR_CHARS
from healthgym.mcp_servers.domains import domain_names
from healthgym.mcp_servers.inprocess import InProcessSession
from healthgym.mcp_servers.server import build_server, use_checked_tool_calls


async def _call(server: FastMCP, name: str, arguments: dict[str, Any]) -> tuple[bool, str, Any]:
    async with create_connected_server_and_client_session(server._mcp_server) as client:
        result = await client.call_tool(name, arguments)
        return bool(result.isError), result.content[0].text, result.structuredContent


def _both(server: FastMCP, name: str, arguments: dict[str, Any]) -> tuple[bool, str]:
    """The call over a real session and in-process: they must agree."""
    over_mcp = anyio.run(_call, server, name, arguments)
    local = InProcessSession(server).call_tool(name, arguments)
    assert (local.is_error, local.text) == over_mcp[:2]
    return over_mcp[0], over_mcp[1]


@pytest.mark.parametrize("domain", [*domain_names(), "calculators"])
def test_every_output_schema_declares_draft_07(domain: str) -> None:
    """mcp 1.x clients re-check each output schema against its metaschema per call; draft-07's is 8-12x cheaper."""

    async def main() -> list:
        async with create_connected_server_and_client_session(build_server(domain)._mcp_server) as client:
            return (await client.list_tools()).tools

    tools = anyio.run(main)
    assert tools and all(tool.outputSchema["$schema"] == DRAFT_07 for tool in tools)


def test_sdk_request_log_is_off_by_default() -> None:
    build_server("calculators")  # FastMCP puts an INFO handler on the root logger; we quiet the SDK's loggers
    assert not logging.getLogger("mcp.server.lowlevel.server").isEnabledFor(logging.INFO)


def test_unknown_arguments_are_refused_naming_the_allowed_ones(tiny_domain: str) -> None:
    """``submit_answer({"severity": ...})`` used to be accepted as an empty answer and end the episode."""
    server = build_server(tiny_domain)
    is_error, text = _both(server, "submit_answer", {"severity": "major"})
    assert is_error and "'severity'" in text and "allowed: answer" in text
    session = InProcessSession(server)
    session.call_tool("submit_answer", {"answer": 4.2, "answr": 1})
    assert session.state.submitted is None and not session.call_tool("submit_answer", {"answer": 4.2}).is_error


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_arguments_are_refused_by_name(tiny_domain: str, value: float) -> None:
    """In-process a NaN reached the tool; over the wire the SDK client sent it as null (``input_value=None``)."""
    result = InProcessSession(build_server(tiny_domain)).call_tool("submit_answer", {"answer": value})
    assert result.is_error and "'answer' is not a finite number" in result.text

    async def main() -> None:
        async with connect_in_memory(build_server(tiny_domain)) as client:
            with pytest.raises(ValueError, match="'answer' of submit_answer is not a finite number"):
                await client.call_tool("submit_answer", {"answer": value})

    anyio.run(main)


def test_non_ascii_digits_are_not_numbers() -> None:
    """Python's int() reads Arabic-Indic digits; numeric tool arguments must not (one number, one spelling)."""
    for digits in ("\u0664\u0662", "\uff14\uff12"):  # 42 in Arabic-Indic and full-width digits
        is_error, text = _both(build_server("calculators"), "convert_units",
                               {"value": digits, "from_unit": "kg", "to_unit": "g"})
        assert is_error and "value" in text


def test_an_infinite_result_is_an_error_not_a_schema_breaking_null() -> None:
    """1e308 kg in grams overflows: the result used to be ``null`` against ``number``, which the client rejects."""
    is_error, text = _both(build_server("calculators"), "convert_units",
                           {"value": 1e308, "from_unit": "kg", "to_unit": "g"})
    assert is_error and "'result' is not a finite number" in text


def test_error_texts_are_bounded() -> None:
    """``convert_units`` echoed a 1 MB unit back in its error."""
    is_error, text = _both(build_server("calculators"), "convert_units",
                           {"value": 1, "from_unit": "x" * 1_000_000, "to_unit": "g"})
    assert is_error and len(text) < MAX_ERROR_CHARS + 100 and "characters cut" in text


def test_results_are_bounded(tiny_domain: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(calls, "MAX_RESULT_CHARS", 50)
    is_error, text = _both(build_server(tiny_domain), "get_labs", {"patient_id": "TP-test-0-1"})
    assert is_error and "over the 50 limit" in text


def _blocking_server(release: threading.Event) -> FastMCP:
    server = FastMCP("blocking")

    def wait_for_release(seconds: Annotated[float, Field(description="Longest wait.")]) -> dict[str, bool]:
        """Block this call until the test releases it (a stand-in for a slow sync tool)."""
        return {"released": release.wait(seconds)}

    def ping() -> dict[str, bool]:
        """Answer at once."""
        return {"ok": True}

    server.add_tool(wait_for_release, structured_output=True)
    server.add_tool(ping, structured_output=True)
    use_checked_tool_calls(server)
    return server


def test_a_slow_sync_tool_does_not_stall_other_sessions() -> None:
    """Sync tools ran on the event loop: one 1.8 s call held every other session for 1.8 s. Now they run in a
    worker thread, so a second session is answered while the first call is still blocked."""
    release = threading.Event()
    server = _blocking_server(release)
    results: dict[str, Any] = {}

    async def slow() -> None:
        async with create_connected_server_and_client_session(server._mcp_server) as client:
            results["slow"] = (await client.call_tool("wait_for_release", {"seconds": 10})).structuredContent

    async def fast() -> None:
        async with create_connected_server_and_client_session(server._mcp_server) as client:
            await anyio.sleep(0.2)  # let the slow call start first
            results["fast"] = (await client.call_tool("ping", {})).structuredContent
            release.set()  # only reachable while the slow call is still waiting if the loop was free

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            tg.start_soon(slow)
            tg.start_soon(fast)

    anyio.run(main)
    assert results == {"fast": {"ok": True}, "slow": {"released": True}}
