"""`healthgym serve DOMAIN` answers a real MCP stdio client: tools listed with schemas, each one callable."""

from __future__ import annotations

import sys
from collections import defaultdict

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from healthgym.mcp_servers.domain import tasks
from healthgym.mcp_servers.domains import domain_names, get_domain
from tests.domains.test_contract import solver_calls


def _example_arguments(domain: str) -> dict[str, dict]:
    """One valid argument set per tool: from the reference solver's calls, and the case id for id-only tools."""
    spec = get_domain(domain)
    examples: dict[str, dict] = defaultdict(dict)
    for task in tasks(spec, "test")[:40]:
        for call in solver_calls(spec, task):
            examples.setdefault(call.name, call.arguments)
    return examples


@pytest.mark.parametrize("domain", domain_names())
def test_stdio_server(domain: str) -> None:
    spec = get_domain(domain)
    examples = _example_arguments(domain)
    case_ref = tasks(spec, "test")[0].case_ref
    params = StdioServerParameters(command=sys.executable, args=["-m", "healthgym", "serve", domain])

    async def main() -> None:
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            init = await session.initialize()
            assert init.serverInfo.name == f"healthgym-{domain}"
            tools = (await session.list_tools()).tools
            assert len([t for t in tools if t.name != "search_knowledge"]) >= 14
            called = 0
            for tool in tools:
                assert tool.inputSchema["type"] == "object" and tool.outputSchema
                required = tool.inputSchema.get("required", [])
                args = examples.get(tool.name)
                if args is None and len(required) == 1 and required[0].endswith("_id"):
                    args = {required[0]: case_ref}
                if args is None:
                    continue
                result = await session.call_tool(tool.name, args)
                assert not result.isError, (tool.name, args, result.content)
                called += 1
            bad = await session.call_tool(tools[0].name, {"__bogus__": 1, **{p: 12345 for p in
                                                                            tools[0].inputSchema.get("required", [])}})
            assert bad.isError
            again = await session.list_tools()  # the server keeps serving after bad input
            assert len(again.tools) == len(tools)
            assert called >= len(tools) // 2

    anyio.run(main)
