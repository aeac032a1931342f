"""Build the MCP server of a domain and serve it over stdio or streamable HTTP.

One server per domain, built once per process: its tool registry, argument validation and output schemas are the
single tool code path for every client (Claude Desktop over stdio, remote agents over HTTP, the Gym env in-process).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import Annotated, Literal

import anyio
import anyio.to_thread
import uvicorn
from mcp import types
from mcp.server.fastmcp import FastMCP
from mcp.server.fastmcp.prompts import Prompt
from mcp.types import ToolAnnotations
from pydantic import Field

from healthgym import __version__
from healthgym.mcp_servers.calls import bounded_error, run_to_completion, tool_calls
from healthgym.mcp_servers.clinic.episode import SessionStates
from healthgym.mcp_servers.domain import DomainSpec, tasks
from healthgym.mcp_servers.domains import get_domain
from healthgym.mcp_servers.http_transport import MAX_SESSIONS, MAX_SESSIONS_PER_CLIENT, http_app, http_config
from healthgym.mcp_servers.stdio_transport import run_stdio

Transport = Literal["stdio", "http"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


@dataclass
class ServerContext:
    """Per-server resources, yielded by the lifespan: the scratch state of each connected session."""

    domain: str
    sessions: SessionStates = field(default_factory=SessionStates)


def _lifespan(domain: str):
    @asynccontextmanager
    async def lifespan(_server: FastMCP) -> AsyncIterator[ServerContext]:
        yield ServerContext(domain=domain)

    return lifespan


@cache
def build_server(domain: str, *, host: str = "127.0.0.1", port: int = 8000) -> FastMCP:
    """The process-wide server of ``domain`` (cached: a server is immutable once built and holds no episode state).

    Use :func:`create_server` for a separate instance, e.g. one more HTTP app (an SDK server serves HTTP once).
    """
    return create_server(domain, host=host, port=port)


def create_server(domain: str, *, host: str = "127.0.0.1", port: int = 8000) -> FastMCP:
    """A new MCP server for ``domain``: its tools (read-only ones annotated so), plus the knowledge base.

    The SDK's loggers are set to WARNING (:func:`configure_logging`); ``healthgym serve --log-level`` changes that.
    """
    configure_logging()
    if domain == "calculators":
        from healthgym.mcp_servers.calculators.server import build_calculators_server

        server = build_calculators_server(host=host, port=port)
        use_checked_tool_calls(server)
        return server
    spec = get_domain(domain)
    server = FastMCP(
        name=f"healthgym-{spec.name}",
        instructions=spec.policy,
        lifespan=_lifespan(spec.name),
        host=host,
        port=port,
    )
    for fn in spec.tools:
        read_only = fn.__name__ not in spec.write_tools
        server.add_tool(
            fn,
            description=inspect.cleandoc(fn.__doc__ or ""),
            annotations=ToolAnnotations(
                title=fn.__name__.replace("_", " ").capitalize(),
                readOnlyHint=read_only,
                destructiveHint=False,
                idempotentHint=read_only,
                openWorldHint=False,
            ),
            structured_output=True,
        )
    _register_knowledge(server, spec.name, search_tool="search_knowledge" not in {fn.__name__ for fn in spec.tools})
    _register_prompts(server, spec)
    server._mcp_server.version = __version__  # serverInfo names healthgym's version, not the SDK's
    use_checked_tool_calls(server)
    return server


def _register_prompts(server: FastMCP, spec: DomainSpec) -> None:
    """Two MCP prompts per domain: the clinician's policy, and a test or dev task by index (a ready case to try)."""

    def policy() -> str:
        return spec.policy

    def task(
        index: Annotated[int, Field(ge=0, description="Task index within the split, from 0.")] = 0,
        split: Annotated[Literal["dev", "test"], Field(description="Which fixed split.")] = "dev",
    ) -> str:
        pool = tasks(spec, split)
        if index >= len(pool):
            raise ValueError(f"index must be below {len(pool)} for the {split} split of {spec.name}, got {index}")
        chosen = pool[index]
        withheld = sorted(spec.withheld(chosen.tier))
        note = f"\n\n(Unassisted tier: do not use {', '.join(withheld)}.)" if withheld else ""
        return f"{chosen.prompt}\n\nFinish by calling {spec.submit_tool}.{note}"

    server.add_prompt(Prompt.from_function(policy, name="policy", description=f"The {spec.title} policy: role, "
                                           "principles and the rules the tools apply, with their sources."))
    server.add_prompt(Prompt.from_function(task, name="task", description=f"A {spec.title} task from the fixed "
                                           "dev or test split, as an agent sees it."))


def use_checked_tool_calls(server: FastMCP, *, sync_tools_in_threads: bool = True) -> None:
    """Serve ``tools/call`` through :class:`~healthgym.mcp_servers.calls.ToolCalls`, with sync tools off the loop.

    The SDK's handler validates structured output with ``jsonschema.validate`` on every call (the schema re-checked
    against its metaschema: about 40 ms for a 10 KB output schema) and runs sync tools on the event loop, so one slow
    call (a 1.8 s ``check_all_interactions``) stalls every other session. Here the checks of ``ToolCalls`` run
    (unknown or non-finite arguments, draft-07 output schema validated by a compiled validator, bounded result) and
    a sync tool runs in a worker thread (``sync_tools_in_threads=False`` runs it on the loop, as the SDK does: the
    bench's baseline). Call it after the last tool is added.
    """
    calls = tool_calls(server)
    lowlevel = server._mcp_server

    async def call_tool(request: types.CallToolRequest) -> types.ServerResult:
        name = request.params.name
        try:
            arguments = request.params.arguments or {}
            tool = calls.prepare(name, arguments)
            coro = tool.run(arguments, context=server.get_context(), convert_result=True)
            if tool.is_async:
                out = await coro
            elif sync_tools_in_threads:
                out = await anyio.to_thread.run_sync(run_to_completion, coro)
            else:
                out = run_to_completion(coro)
            content, structured = calls.finish(name, out)
        except Exception as err:  # a ToolError (or the SDK's wrapping of any tool exception): isError, as the SDK
            return lowlevel._make_error_result(bounded_error(str(err)))
        return types.ServerResult(types.CallToolResult(content=content, structuredContent=structured, isError=False))

    lowlevel.request_handlers[types.CallToolRequest] = call_tool


def _register_knowledge(server: FastMCP, domain: str, *, search_tool: bool = True) -> None:
    try:
        from healthgym.mcp_servers.kb.tools import register_knowledge
    except ImportError:  # the KB package is optional at import time; its tool needs the `kb` extra to run
        return
    register_knowledge(server, domain=domain, search_tool=search_tool)


def configure_logging(level: LogLevel = "WARNING") -> None:
    """Log at WARNING unless asked otherwise.

    FastMCP configures the root logger at INFO with rich's handler when nothing configured logging first, so the
    SDK logged every request (about 4 ms each under a profiler) and httpx every HTTP request of a client in the same
    process. Here, when logging is unconfigured, the root logger gets the same handler at WARNING first, and the
    SDK's loggers (``mcp.*``) get ``level``.
    """
    if not logging.getLogger().handlers:
        from rich.console import Console
        from rich.logging import RichHandler

        logging.basicConfig(level="WARNING", format="%(message)s", handlers=[RichHandler(console=Console(stderr=True))])
    logging.getLogger("mcp").setLevel(level)


def serve(
    domain: str,
    transport: Transport = "stdio",
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    allowed_hosts: Sequence[str] = (),
    max_sessions: int = MAX_SESSIONS,
    max_sessions_per_client: int = MAX_SESSIONS_PER_CLIENT,
    log_level: LogLevel = "WARNING",
) -> None:
    """Run a domain server until interrupted (HTTP options: see :mod:`healthgym.mcp_servers.http_transport`)."""
    if token is not None and not token.strip():
        raise ValueError("the bearer token is empty; pass a non-empty token or none")
    server = build_server(domain, host=host, port=port)
    configure_logging(log_level)
    if transport == "stdio":
        anyio.run(run_stdio, server)
        return
    if token is None:
        logging.getLogger(__name__).warning(
            "serving %s over HTTP without a bearer token: anyone who can reach %s:%d can call its tools",
            domain, host, port,
        )
    app = http_app(server, token, allowed_hosts=allowed_hosts, max_sessions=max_sessions,
                   max_sessions_per_client=max_sessions_per_client)
    uvicorn.Server(http_config(app, host, port, log_level=log_level)).run()
