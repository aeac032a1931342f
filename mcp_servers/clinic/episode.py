"""Per-episode state: the writes (orders, prescriptions, notes) and the submission of one episode.

Reads go to shared, immutable knowledge and to cases regenerated from their ids; only writes live here, so two
concurrent episodes never see each other's writes. Over MCP transports a state belongs to a session and, when the
client tags its requests with ``_meta["io.healthgym/episode"]``, to that episode within the session: an agent holds
one session per server for a whole evaluation run and still starts every episode clean. A client that sends no tag
(Claude Desktop) gets one scratch state per session. The in-process transport hands each episode's state to the
tools directly.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
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


EPISODE_META_KEY = "io.healthgym/episode"
"""Request ``_meta`` key naming the episode a tool call belongs to."""


class SessionStates:
    """Episode states of MCP sessions, dropped with the session object.

    Each session keeps at most ``max_episodes`` tagged episodes; the least recently used is forgotten first, so a
    long evaluation run over one session holds bounded memory.
    """

    def __init__(self, max_episodes: int = 256) -> None:
        self.max_episodes = max_episodes
        self._states: weakref.WeakKeyDictionary[object, OrderedDict[str | None, EpisodeState]] = (
            weakref.WeakKeyDictionary()
        )

    def for_session(self, session: object, episode: str | None = None) -> EpisodeState:
        episodes = self._states.get(session)
        if episodes is None:
            episodes = self._states[session] = OrderedDict()
        state = episodes.get(episode)
        if state is None:
            state = episodes[episode] = EpisodeState(task_id=episode)
            if len(episodes) > self.max_episodes:
                episodes.popitem(last=False)
        episodes.move_to_end(episode)
        return state


def episode_state(ctx: Context) -> EpisodeState:
    """The state of the episode a tool call belongs to.

    The in-process transport passes the episode's :class:`EpisodeState` as the request's session; a real MCP session
    is mapped to its own scratch state kept in the server's lifespan context.
    """
    request = ctx.request_context
    if isinstance(request.session, EpisodeState):
        return request.session
    tags = (request.meta.model_extra or {}) if request.meta is not None else {}
    episode = tags.get(EPISODE_META_KEY)
    return request.lifespan_context.sessions.for_session(request.session, None if episode is None else str(episode))
