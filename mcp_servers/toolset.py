"""The tools of one episode when a domain's pathway spans several servers.

A domain whose ``DomainSpec.servers`` is empty plays over its own server alone. One that names other servers (e.g.
cross_domain: the calculators, drug_interaction, triage_emergency, obstetrics) holds one session per server for
the whole episode, and the episode's tool list is the union: the domain's own tools and the declared tools of the
others, renamed ``<server>__<tool>`` where names clash (``DomainSpec.foreign_tools``). Writes go to the domain's
own server, whose episode state every later phase reads; the other servers are only read.

:class:`EpisodeSessions` is the in-process form used by the Gym env and the contract tests; the agents open one MCP
session per server over any transport (``agents.connections``) and bind the same union with
:func:`episode_tools`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from mcp.types import Tool as MCPTool

from healthgym.mcp_servers.clinic.episode import EpisodeState
from healthgym.mcp_servers.domain import DomainSpec
from healthgym.mcp_servers.inprocess import InProcessSession
from healthgym.schemas import ToolResult

T = TypeVar("T")


def episode_servers(spec: DomainSpec) -> list[str]:
    """Every server an episode of ``spec`` holds a session to: the domain's own first, then :attr:`servers`."""
    return [spec.name, *spec.servers]


def episode_tools(spec: DomainSpec, listed: Mapping[str, Sequence[T]]) -> list[tuple[str, str, T]]:
    """The episode's tools as ``(episode name, server, listed tool)``, from each server's ``tools/list``.

    For a single-server domain: every tool of every listed server under its own name (the caller's servers must not
    share names). For a multi-server one: all of the domain's own tools and the declared tools of the others;
    ``ValueError`` when a declared tool is not served, naming the server and what it serves.
    """
    if not spec.servers:
        names = [tool.name for tools in listed.values() for tool in tools]  # type: ignore[attr-defined]
        if len(set(names)) != len(names):
            clashing = sorted({n for n in names if names.count(n) > 1})
            raise ValueError(f"servers {sorted(listed)} share tool names {clashing}")
        return [(tool.name, server, tool) for server, tools in listed.items() for tool in tools]  # type: ignore[attr-defined]
    out = [(tool.name, spec.name, tool) for tool in listed[spec.name]]  # type: ignore[attr-defined]
    served = {server: {tool.name: tool for tool in listed[server]} for server in spec.servers}  # type: ignore[attr-defined]
    for name, (server, tool) in spec.foreign_tools.items():
        if tool not in served[server]:
            raise ValueError(
                f"{spec.name} declares {server}.{tool}, which the {server} server does not serve; it "
                f"serves {', '.join(sorted(served[server]))}"
            )
        out.append((name, server, served[server][tool]))
    return out


class EpisodeSessions:
    """One in-process session per server of an episode, called through one tool list (the union).

    Same interface as :class:`~healthgym.mcp_servers.inprocess.InProcessSession`: ``list_tools``, ``call_tool``,
    ``state`` (the domain server's episode state: the episode's writes and submission), ``close``.
    """

    def __init__(self, spec: DomainSpec, state: EpisodeState | None = None) -> None:
        from healthgym.mcp_servers.server import build_server

        self.spec = spec
        self.state = state or EpisodeState()
        self.sessions = {spec.name: InProcessSession(build_server(spec.name), self.state)}
        for server in spec.servers:  # read-only servers: a scratch state each, never read back
            self.sessions[server] = InProcessSession(build_server(server), EpisodeState(task_id=self.state.task_id))
        listed = {server: session.list_tools() for server, session in self.sessions.items()}
        self._tools = episode_tools(spec, listed)
        self._routes = {name: (server, tool.name) for name, server, tool in self._tools}

    def list_tools(self) -> list[MCPTool]:
        """The union, each tool as its server lists it, under its episode name."""
        return [tool if tool.name == name else tool.model_copy(update={"name": name}) for name, _, tool in self._tools]

    def call_tool(self, name: str, arguments: Any) -> ToolResult:
        route = self._routes.get(name) if isinstance(name, str) else None
        if route is None:
            return ToolResult(
                name=str(name)[:200],
                is_error=True,
                text=f"Unknown tool: {str(name)[:200]!r}. Available tools: {', '.join(self._routes)}",
            )
        server, tool = route
        result = self.sessions[server].call_tool(tool, arguments)
        return result if tool == name else result.model_copy(update={"name": name})

    def close(self) -> None:
        for session in self.sessions.values():
            session.close()


def episode_session(spec: DomainSpec, state: EpisodeState | None = None) -> InProcessSession | EpisodeSessions:
    """The in-process session of an episode of ``spec``: the domain server alone, or one per server."""
    if spec.servers:
        return EpisodeSessions(spec, state)
    from healthgym.mcp_servers.server import build_server

    return InProcessSession(build_server(spec.name), state)


__all__ = ["EpisodeSessions", "episode_servers", "episode_session", "episode_tools"]
