"""Per-call latency of a domain tool over every transport and client, and a second session's latency under a slow call.

    python -m bench.mcp_latency [--domain triage_emergency] [--calls 300] [--slow-calls 4]

Rows, each over one persistent session calling the same read-only tool with the same arguments (the first call of
the reference solver on the first test task):

- in-process: the env's hot path (``InProcessSession``);
- in-memory, stdio, streamable HTTP, each with three clients: the plain SDK ``mcp.ClientSession`` (re-checks the
  output schema against its metaschema on every call), ``healthgym.client.ClientSession`` (validators compiled once,
  jsonschema) and the same with ``trusted_schemas=True`` (fastjsonschema);
- server output checks: ``ToolCalls.finish`` alone on that tool's result (NaN scan + compiled draft-07 validator);
- a second session's p50/p99 over HTTP and in memory, idle and while another session runs a slow sync tool
  (``check_all_interactions`` over every drug of the formulary, about 0.5 s a call): sync tools run in worker
  threads, so the slow call no longer holds the event loop; one in-memory row runs the tool on the loop, as the
  SDK does, for comparison.

Results, with the machine's load average, go to bench/results/mcp_latency.json.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio
import httpx
import mcp
import uvicorn
from mcp import StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.server.fastmcp import FastMCP
from mcp.shared.memory import create_client_server_memory_streams

from bench._report import percentile, write_report
from healthgym.client import ClientSession
from healthgym.mcp_servers.calls import run_to_completion, tool_calls
from healthgym.mcp_servers.domain import TaskView, tasks
from healthgym.mcp_servers.domains import get_domain
from healthgym.mcp_servers.domains.drug_interaction.knowledge import knowledge
from healthgym.mcp_servers.http_transport import http_app, http_config
from healthgym.mcp_servers.inprocess import InProcessSession
from healthgym.mcp_servers.server import build_server, create_server, use_checked_tool_calls

SessionFactory = Callable[[Any, Any], mcp.ClientSession]
CLIENTS: dict[str, SessionFactory] = {
    "plain SDK": lambda read, write: mcp.ClientSession(read, write),
    "cached validators": lambda read, write: ClientSession(read, write),
    "cached, fastjsonschema": lambda read, write: ClientSession(read, write, trusted_schemas=True),
}


def first_read_call(domain: str) -> tuple[str, dict]:
    spec = get_domain(domain)
    call = next(spec.solve(TaskView.of(tasks(spec, "test")[0])))
    return call.name, call.arguments


def row(transport: str, client: str, samples: list[float]) -> dict:
    return {"transport": transport, "client": client, "calls": len(samples), "p50_ms": percentile(samples, 0.5),
            "p95_ms": percentile(samples, 0.95), "p99_ms": percentile(samples, 0.99),
            "calls_per_s": len(samples) / (sum(samples) / 1000)}


async def time_session(session: mcp.ClientSession, name: str, args: dict, n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        result = await session.call_tool(name, args)
        out.append((time.perf_counter() - start) * 1000)
        assert not result.isError, result.content
    return out


@asynccontextmanager
async def in_memory(server: FastMCP, factory: SessionFactory) -> AsyncIterator[mcp.ClientSession]:
    lowlevel = server._mcp_server
    async with (
        create_client_server_memory_streams() as ((client_read, client_write), (server_read, server_write)),
        anyio.create_task_group() as tg,
    ):
        tg.start_soon(lambda: lowlevel.run(server_read, server_write, lowlevel.create_initialization_options()))
        async with factory(client_read, client_write) as session:
            await session.initialize()
            yield session
        tg.cancel_scope.cancel()


@asynccontextmanager
async def over_stdio(domain: str, factory: SessionFactory) -> AsyncIterator[mcp.ClientSession]:
    params = StdioServerParameters(command=sys.executable, args=["-m", "healthgym", "serve", domain])
    async with stdio_client(params) as (read, write), factory(read, write) as session:
        await session.initialize()
        yield session


@asynccontextmanager
async def over_http(url: str, factory: SessionFactory) -> AsyncIterator[mcp.ClientSession]:
    async with (
        httpx.AsyncClient(timeout=60) as client,
        streamable_http_client(url, http_client=client) as (read, write, _),
        factory(read, write) as session,
    ):
        await session.initialize()
        yield session


class HttpServer:
    """A domain served over streamable HTTP on a free loopback port, in a thread, as ``healthgym serve`` runs it."""

    def __init__(self, domain: str) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        app = http_app(create_server(domain, port=self.port))
        self.runner = uvicorn.Server(http_config(app, "127.0.0.1", self.port))
        self.thread = threading.Thread(target=self.runner.run, daemon=True)
        self.url = f"http://127.0.0.1:{self.port}/mcp"

    def __enter__(self) -> str:
        self.thread.start()
        while not self.runner.started:
            time.sleep(0.05)
        return self.url

    def __exit__(self, *exc: object) -> None:
        self.runner.should_exit = True
        self.thread.join(timeout=10)


def second_session_under_slow_call(
    connect: Callable[[], Any], slow_calls: int, n_fast: int
) -> tuple[list[float], list[float]]:
    """p-samples of a read call in one session, idle and while another session repeats a ~0.5 s sync tool."""
    patient = tasks(get_domain("drug_interaction"), "test")[0].case_ref
    name, args = first_read_call("drug_interaction")
    drugs = sorted(knowledge().drugs)

    async def main() -> tuple[list[float], list[float]]:
        async with connect() as slow, connect() as fast:
            for drug in drugs:  # every drug of the formulary on one patient: ~25,000 pairs to check
                await slow.call_tool("prescribe", {"patient_id": patient, "drug": drug, "dose": "1 mg"})
            idle = await time_session(fast, name, args, n_fast)
            busy: list[float] = []
            done = anyio.Event()

            async def slow_loop() -> None:
                for _ in range(slow_calls):
                    result = await slow.call_tool("check_all_interactions",
                                                  {"patient_id": patient, "min_severity": "contraindicated"})
                    assert not result.isError, result.content
                done.set()

            async def fast_loop() -> None:
                while not done.is_set():
                    busy.extend(await time_session(fast, name, args, 1))

            async with anyio.create_task_group() as tg:
                tg.start_soon(slow_loop)
                tg.start_soon(fast_loop)
            return idle, busy

    return anyio.run(main)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--domain", default="triage_emergency")
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--slow-calls", type=int, default=4, help="slow tool calls during the second-session rows")
    opts = parser.parse_args()
    load_start = os.getloadavg()
    name, args = first_read_call(opts.domain)
    server = build_server(opts.domain)
    rows = []

    session = InProcessSession(server)
    samples = []
    for _ in range(opts.calls):
        start = time.perf_counter()
        result = session.call_tool(name, args)
        samples.append((time.perf_counter() - start) * 1000)
        assert not result.is_error, result.text
    rows.append(row("in-process (env hot path)", "-", samples))

    checks = tool_calls(server)
    converted = run_to_completion(checks.tools[name].run(args, context=session._context, convert_result=True))
    checks.finish(name, converted)  # compiles the validator
    samples = []
    for _ in range(opts.calls):
        start = time.perf_counter()
        checks.finish(name, converted)
        samples.append((time.perf_counter() - start) * 1000)
    rows.append(row("server output checks only", "-", samples))

    def measure(transport: str, connect: Callable[[SessionFactory], Any]) -> None:
        for client, factory in CLIENTS.items():
            async def run(factory: SessionFactory = factory) -> list[float]:
                async with connect(factory) as session:
                    await time_session(session, name, args, 5)  # warm-up: tools/list, compiled validators
                    return await time_session(session, name, args, opts.calls)

            rows.append(row(transport, client, anyio.run(run)))

    measure("in-memory", lambda factory: in_memory(server, factory))
    measure("stdio", lambda factory: over_stdio(opts.domain, factory))
    with HttpServer(opts.domain) as url:
        measure("streamable HTTP", lambda factory: over_http(url, factory))

    cached = CLIENTS["cached, fastjsonschema"]
    drug_server = build_server("drug_interaction")
    idle, busy = second_session_under_slow_call(lambda: in_memory(drug_server, cached), opts.slow_calls, 100)
    rows.append(row("in-memory, 2nd session, idle", "cached, fastjsonschema", idle))
    rows.append(row("in-memory, 2nd session, other runs slow tool", "cached, fastjsonschema", busy))
    on_loop = create_server("drug_interaction")
    use_checked_tool_calls(on_loop, sync_tools_in_threads=False)  # the SDK's way: the baseline
    _, busy = second_session_under_slow_call(lambda: in_memory(on_loop, cached), opts.slow_calls, 100)
    rows.append(row("in-memory, 2nd session, slow tool on the loop (SDK)", "cached, fastjsonschema", busy))
    with HttpServer("drug_interaction") as url:
        idle, busy = second_session_under_slow_call(lambda: over_http(url, cached), opts.slow_calls, 100)
    rows.append(row("HTTP, 2nd session, idle", "cached, fastjsonschema", idle))
    rows.append(row("HTTP, 2nd session, other runs slow tool", "cached, fastjsonschema", busy))

    load = {"load_avg_1m_start": load_start[0], "load_avg_1m_end": os.getloadavg()[0]}
    write_report("mcp_latency", {"domain": opts.domain, "tool": name, **load}, rows,
                 f"MCP call latency, {opts.domain}.{name} (load {load_start[0]:.2f} -> {load['load_avg_1m_end']:.2f})")


if __name__ == "__main__":
    main()
