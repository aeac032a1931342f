"""A synchronous in-process MCP session that dispatches through the server's own tool registry.

This is the env's hot path. It skips the JSON-RPC framing and the transport, not the tool code path: the call goes
through the same :class:`~healthgym.mcp_servers.calls.ToolCalls` checks as the server's ``tools/call`` handler
(unknown and non-finite arguments refused, output schema-checked and bounded), the arguments are validated by the
same pydantic model that produces the ``inputSchema``, the result is converted by the same function that produces
``structuredContent``, and failures become the same ``isError`` text a real session receives
(``tests/framework/test_inprocess.py`` holds the two paths equal). Sync tools complete without an event loop; async
tools run on a private loop thread.
"""

from __future__ import annotations

import time
from collections.abc import Coroutine
from typing import Any

from mcp.server.fastmcp import Context, FastMCP
from mcp.shared.context import RequestContext
from mcp.types import ImageContent, TextContent
from mcp.types import Tool as MCPTool

from healthgym.mcp_servers.calls import bounded_error, run_to_completion, tool_calls
from healthgym.mcp_servers.clinic.episode import EpisodeState
from healthgym.schemas import ToolResult


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
        self._calls = tool_calls(server)
        self._context = Context(
            request_context=RequestContext(request_id=0, meta=None, session=self.state, lifespan_context=None),
            fastmcp=server,
        )
        self._portal_cm: Any = None
        self._portal: Any = None

    def list_tools(self) -> list[MCPTool]:
        """The tools exactly as ``tools/list`` returns them to a client."""
        return run_to_completion(self.server.list_tools())

    def call_tool(self, name: str, arguments: Any) -> ToolResult:
        start = time.perf_counter()
        try:
            tool = self._calls.prepare(name, arguments)
            coro = tool.run(arguments, context=self._context, convert_result=True)
            out = self._call_async(coro) if tool.is_async else run_to_completion(coro)
            content, structured = self._calls.finish(name, out)
        except Exception as err:  # the server's handler turns the same exceptions into the same isError text
            return ToolResult(name=name, text=bounded_error(str(err)), is_error=True, latency_ms=_ms(start))
        images = [{"mime_type": b.mimeType, "data": b.data} for b in content if isinstance(b, ImageContent)]
        return ToolResult(name=name, text=result_text(content), structured=structured, images=images,
                          latency_ms=_ms(start))

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
