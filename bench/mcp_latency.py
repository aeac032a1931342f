"""Per-call latency of a domain tool over every transport: in-process, in-memory session, stdio, streamable HTTP.

    python -m bench.mcp_latency [--domain drug_interaction] [--calls 500]

Each transport calls the same read-only tool with the same arguments (the first call of the reference solver on
the first test task) over one persistent session; p50/p95 in milliseconds and calls/s go to
bench/results/mcp_latency.json.
"""

from __future__ import annotations

import argparse
import socket
import sys
import threading
import time

import anyio
import httpx
import uvicorn
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.memory import create_connected_server_and_client_session

from bench._report import percentile, write_report
from healthgym.mcp_servers.domain import TaskView, tasks
from healthgym.mcp_servers.domains import get_domain
from healthgym.mcp_servers.inprocess import InProcessSession
from healthgym.mcp_servers.server import build_server, http_app


def first_read_call(domain: str) -> tuple[str, dict]:
    spec = get_domain(domain)
    call = next(spec.solve(TaskView.of(tasks(spec, "test")[0])))
    return call.name, call.arguments


def row(transport: str, samples: list[float]) -> dict:
    return {"transport": transport, "calls": len(samples), "p50_ms": percentile(samples, 0.5),
            "p95_ms": percentile(samples, 0.95), "calls_per_s": len(samples) / (sum(samples) / 1000)}


async def time_session(session: ClientSession, name: str, args: dict, n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        result = await session.call_tool(name, args)
        out.append((time.perf_counter() - start) * 1000)
        assert not result.isError, result.content
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--domain", default="drug_interaction")
    parser.add_argument("--calls", type=int, default=500)
    opts = parser.parse_args()
    name, args = first_read_call(opts.domain)
    server = build_server(opts.domain)
    rows = []

    session = InProcessSession(server)
    samples = []
    for _ in range(opts.calls):
        start = time.perf_counter()
        assert not session.call_tool(name, args).is_error
        samples.append((time.perf_counter() - start) * 1000)
    rows.append(row("in-process (env hot path)", samples))

    async def memory() -> list[float]:
        async with create_connected_server_and_client_session(server._mcp_server) as client:
            return await time_session(client, name, args, opts.calls)

    rows.append(row("in-memory MCP session", anyio.run(memory)))

    async def stdio() -> list[float]:
        params = StdioServerParameters(command=sys.executable, args=["-m", "healthgym", "serve", opts.domain])
        async with stdio_client(params) as (read, write), ClientSession(read, write) as client:
            await client.initialize()
            return await time_session(client, name, args, opts.calls)

    rows.append(row("stdio, one session", anyio.run(stdio)))

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    runner = uvicorn.Server(uvicorn.Config(http_app(server), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    while not runner.started:
        time.sleep(0.05)

    async def http() -> list[float]:
        async with (
            httpx.AsyncClient(timeout=60) as client,
            streamable_http_client(f"http://127.0.0.1:{port}/mcp", http_client=client) as (read, write, _),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            return await time_session(session, name, args, opts.calls)

    rows.append(row("streamable HTTP, one session (server in a thread)", anyio.run(http)))
    runner.should_exit = True
    thread.join(timeout=10)
    write_report("mcp_latency", {"domain": opts.domain, "tool": name}, rows,
                 f"MCP call latency, {opts.domain}.{name}")


if __name__ == "__main__":
    main()
