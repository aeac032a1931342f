"""Per-episode state: the writes (orders, prescriptions, notes) and the submission of one episode.

Reads go to shared, immutable knowledge and to cases regenerated from their ids; only writes live here, so two
concurrent episodes never see each other's writes. An MCP session (stdio, HTTP) gets its own scratch state on its
first write; the in-process transport hands each episode's state to the tools directly.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any

from mcp.server.fastmcp import Context


@dataclass
class EpisodeState:
    """What one episode (or one MCP session) has written."""

    task_id: str | None = None
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Writes by kind, e.g. ``records["prescriptions"]``; each domain names its own kinds."""
    submitted: dict[str, Any] | None = None
    """Arguments of the accepted submit call; set once."""

    def add(self, kind: str, record: dict[str, Any]) -> dict[str, Any]:
        self.records.setdefault(kind, []).append(record)
        return record

    def get(self, kind: str) -> list[dict[str, Any]]:
        return self.records.get(kind, [])


class SessionStates:
    """Scratch states for MCP sessions, dropped with the session object."""

    def __init__(self) -> None:
        self._states: weakref.WeakKeyDictionary[object, EpisodeState] = weakref.WeakKeyDictionary()

    def for_session(self, session: object) -> EpisodeState:
        state = self._states.get(session)
        if state is None:
            state = self._states[session] = EpisodeState()
        return state


def episode_state(ctx: Context) -> EpisodeState:
    """The state of the episode a tool call belongs to.

    The in-process transport passes the episode's :class:`EpisodeState` as the request's session; a real MCP session
    is mapped to its own scratch state kept in the server's lifespan context.
    """
    request = ctx.request_context
    if isinstance(request.session, EpisodeState):
        return request.session
    return request.lifespan_context.sessions.for_session(request.session)
