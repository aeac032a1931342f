"""`healthgym serve DOMAIN` answers a real MCP stdio client: tools listed with schemas, each one callable."""

from __future__ import annotations

import json
import select
import subprocess
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


class RawStdio:
    """``healthgym serve DOMAIN`` over stdio driven line by line, to send what no well-behaved client sends."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "healthgym", "serve", *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        self.send(json.dumps({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}}))
        assert self.reply()["id"] == 0
        self.send(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}))

    def send(self, line: str | bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((line.encode() if isinstance(line, str) else line) + b"\n")
        self.proc.stdin.flush()

    def reply(self, timeout: float = 30) -> dict:
        """The next line the server writes; fails if it writes none within ``timeout`` (the client would hang)."""
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        assert ready, "no reply from the server"
        return json.loads(self.proc.stdout.readline())

    def call(self, request_id: int, name: str, arguments: str) -> str:
        params = f'{{"name": "{name}", "arguments": {arguments}}}'
        return f'{{"jsonrpc": "2.0", "id": {request_id}, "method": "tools/call", "params": {params}}}'

    def close(self) -> str:
        """Stop the server; its stderr."""
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        return self.proc.stderr.read().decode()


@pytest.fixture(scope="module")
def raw_stdio():
    server = RawStdio("calculators")
    yield server
    server.close()


def test_stdio_answers_a_garbage_line(raw_stdio: RawStdio) -> None:
    """A line that is not JSON used to get no reply at all."""
    raw_stdio.send(b"this is not json \xff")
    assert raw_stdio.reply()["error"]["code"] == -32700
    raw_stdio.send('{"jsonrpc": "2.0", "id": 2, "method": "tools/list"}')  # and the server keeps serving
    assert raw_stdio.reply()["id"] == 2


@pytest.mark.parametrize("depth", [200, 100_000])
def test_stdio_answers_deeply_nested_arguments_with_the_request_id(raw_stdio: RawStdio, depth: int) -> None:
    """Too deep for the parser: no reply, so the client waited for its timeout. Now an error carrying its id."""
    raw_stdio.send(raw_stdio.call(3, "convert_units", "[" * depth + "]" * depth))
    reply = raw_stdio.reply()
    assert reply["id"] == 3 and reply["error"]["code"] == -32600 and "nested" in reply["error"]["message"]


def test_stdio_nan_argument_is_named(raw_stdio: RawStdio) -> None:
    """Python's json writes NaN; the SDK read it as null and the tool reported ``input_value=None``."""
    raw_stdio.send(raw_stdio.call(4, "convert_units", '{"value": NaN, "from_unit": "kg", "to_unit": "g"}'))
    reply = raw_stdio.reply()
    assert reply["id"] == 4 and reply["error"]["code"] == -32602
    assert "'value' is not a finite number" in reply["error"]["message"]


@pytest.mark.parametrize(("flags", "logged"), [((), False), (("--log-level", "INFO"), True)])
def test_request_log_is_at_warning_unless_asked(flags: tuple[str, ...], logged: bool) -> None:
    """The SDK's INFO line for every request (~4 ms each through rich) is off by default."""
    server = RawStdio("calculators", *flags)
    server.send('{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}')
    assert server.reply()["id"] == 1
    assert ("Processing request" in server.close()) is logged
