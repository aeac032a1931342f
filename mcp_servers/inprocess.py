"""A synchronous in-process MCP session that dispatches through the server's own tool registry.

This is the env's hot path. It skips the JSON-RPC framing and the transport, not the tool code path: the tool is
looked up in the server's registry, its arguments are validated by the same pydantic model that produces the
``inputSchema``, its result is converted by the same function that produces ``structuredContent``, and failures
become the same ``isError`` text a real session receives (``tests/mcp_servers/test_inprocess.py`` holds the two
paths equal). Sync tools complete without an event loop; async tools run on a private loop thread.
"""

from __future__ import annotations

import time
from collections.abc import Coroutine
from typing import Any

from mcp.server.fastmcp import Context, FastMCP
from mcp.server.fastmcp.exceptions import ToolError
from mcp.shared.context import RequestContext
from mcp.types import TextContent
from mcp.types import Tool as MCPTool

from healthgym.mcp_servers.clinic.episode import EpisodeState
from healthgym.schemas import ToolResult


def _run_to_completion(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine that never suspends (a sync tool behind an async wrapper) without an event loop."""
    try:
        coro.send(None)
    except StopIteration as stop:
        return stop.value
    coro.close()
    raise RuntimeError("coroutine suspended; it needs an event loop")


def result_text(content: list[Any]) -> str:
    return "\n".join(block.text for block in content if isinstance(block, TextContent))


class InProcessSession:
    """One episode's connection to a server, without a transport.

    Args:
        server: the domain server (``build_server(domain)``).
        state: the episode's state; tools that write see it as their session's state.
    """

    def __init__(self, server: FastMCP, state: EpisodeState | None = None) -> None:
        self.server = server
        self.state = state or EpisodeState()
        self._tools = {tool.name: tool for tool in server._tool_manager.list_tools()}
        self._context = Context(
            request_context=RequestContext(request_id=0, meta=None, session=self.state, lifespan_context=None),
            fastmcp=server,
        )
        self._portal_cm: Any = None
        self._portal: Any = None

    def list_tools(self) -> list[MCPTool]:
        """The tools exactly as ``tools/list`` returns them to a client."""
        return _run_to_completion(self.server.list_tools())

    def call_tool(self, name: str, arguments: Any) -> ToolResult:
        start = time.perf_counter()
        tool = self._tools.get(name)
        try:
            if tool is None:
                raise ToolError(f"Unknown tool: {name!r}. Available tools: {', '.join(sorted(self._tools))}")
            if not isinstance(arguments, dict):
                raise ToolError(f"Arguments of {name} must be a JSON object, got {type(arguments).__name__}")
            coro = tool.run(arguments, context=self._context, convert_result=True)
            out = self._call_async(coro) if tool.is_async else _run_to_completion(coro)
        except ToolError as err:
            return ToolResult(name=name, text=str(err), is_error=True, latency_ms=_ms(start))
        if isinstance(out, tuple):
            content, structured = out
            return ToolResult(name=name, text=result_text(list(content)), structured=structured, latency_ms=_ms(start))
        return ToolResult(name=name, text=result_text(list(out)), latency_ms=_ms(start))

    def _call_async(self, coro: Coroutine[Any, Any, Any]) -> Any:
        if self._portal is None:
            from anyio.from_thread import start_blocking_portal

            self._portal_cm = start_blocking_portal()
            self._portal = self._portal_cm.__enter__()

        async def run() -> Any:
            return await coro

        return self._portal.call(run)

    def close(self) -> None:
        if self._portal_cm is not None:
            self._portal_cm.__exit__(None, None, None)
            self._portal_cm = self._portal = None


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000.0
