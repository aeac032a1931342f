"""Per-episode state: the writes (orders, prescriptions, notes) and the submission of one episode.

Reads go to shared, immutable knowledge and to cases regenerated from their ids; only writes live here, so two
concurrent episodes never see each other's writes. Over MCP transports a state belongs to a session and, when the
client tags its requests with ``_meta["io.healthgym/episode"]``, to that episode within the session: an agent holds
one session per server for a whole evaluation run and still starts every episode clean. A client that sends no tag
(Claude Desktop) gets one scratch state per session. The in-process transport hands each episode's state to the
tools directly.
"""

from __future__ import annotations

import json
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from mcp.server.fastmcp import Context
from mcp.server.fastmcp.exceptions import ToolError

MAX_WRITES = 500
"""Most records (orders, prescriptions, notes, ...) one episode may write; a case needs a few dozen at most."""
MAX_WRITE_CHARS = 1_000_000
"""Most characters of JSON one episode may write in all, so no tool that lists the writes returns more."""


@dataclass
class EpisodeState:
    """What one episode (or one MCP session) has written, within :data:`MAX_WRITES` and :data:`MAX_WRITE_CHARS`."""

    task_id: str | None = None
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Writes by kind, e.g. ``records["prescriptions"]``; each domain names its own kinds."""
    submitted: dict[str, Any] | None = None
    """Arguments of the accepted submit call; set once."""
    writes: int = 0
    """Records written so far."""
    chars: int = 0
    """Characters of JSON written so far."""

    def add(self, kind: str, record: dict[str, Any]) -> dict[str, Any]:
        """Append ``record`` to ``kind``; ``ToolError`` once the episode's write limits are reached."""
        cost = len(json.dumps(record, default=str))
        if self.writes >= MAX_WRITES or self.chars + cost > MAX_WRITE_CHARS:
            counts = ", ".join(f"{k}: {len(v)}" for k, v in sorted(self.records.items()))
            raise ToolError(
                f"episode write limit reached ({self.writes} records, {self.chars:,} characters; {counts}): an "
                f"episode may write at most {MAX_WRITES} records of {MAX_WRITE_CHARS:,} characters in all. "
                "Submit the answer or start a new episode."
            )
        self.records.setdefault(kind, []).append(record)
        self.writes += 1
        self.chars += cost
        return record

    def get(self, kind: str) -> list[dict[str, Any]]:
        return self.records.get(kind, [])


EPISODE_META_KEY = "io.healthgym/episode"
"""Request ``_meta`` key naming the episode a tool call belongs to."""
MAX_EPISODES_PER_SESSION = 4096
"""Most tagged episodes one MCP session keeps (an empty state is about 1 KB)."""
MAX_SESSION_WRITE_CHARS = 16_000_000
"""Most characters of writes one MCP session keeps over all its episodes."""
MAX_TAG_CHARS = 200
"""Longest episode tag."""
REMEMBERED_EVICTIONS = 65_536
"""How many evicted episode tags a session remembers, to answer their calls with an error."""


@dataclass
class _Session:
    episodes: OrderedDict[str | None, EpisodeState] = field(default_factory=OrderedDict)
    evicted: OrderedDict[str, None] = field(default_factory=OrderedDict)


class SessionStates:
    """Episode states of MCP sessions, dropped with the session object.

    Each session keeps at most ``max_episodes`` tagged episodes and ``max_chars`` characters of writes; past
    either, the least recently used episode is evicted. A later call tagged with an evicted episode is an error
    saying so (its writes and its submission are gone), never a silently fresh episode; the last
    ``remembered_evictions`` evicted tags of a session are remembered for that. The untagged scratch state is never
    evicted. Safe to call from tool worker threads.
    """

    def __init__(
        self,
        max_episodes: int | None = None,
        max_chars: int | None = None,
        remembered_evictions: int | None = None,
    ) -> None:
        self.max_episodes = max_episodes or MAX_EPISODES_PER_SESSION
        self.max_chars = max_chars or MAX_SESSION_WRITE_CHARS
        self.remembered_evictions = remembered_evictions or REMEMBERED_EVICTIONS
        self._lock = threading.Lock()
        self._sessions: weakref.WeakKeyDictionary[object, _Session] = weakref.WeakKeyDictionary()

    def for_session(self, session: object, episode: str | None = None) -> EpisodeState:
        with self._lock:
            book = self._sessions.get(session)
            if book is None:
                book = self._sessions[session] = _Session()
            if episode is not None and episode in book.evicted:
                raise ToolError(
                    f"episode {episode[:100]!r} was evicted from this session (a session keeps at most "
                    f"{self.max_episodes} episodes and {self.max_chars:,} characters of writes, least recently used "
                    "first): its writes and submission are gone. Start the episode again under a new tag."
                )
            state = book.episodes.get(episode)
            if state is None:
                state = book.episodes[episode] = EpisodeState(task_id=episode)
                self._evict(book, keep=episode)
            book.episodes.move_to_end(episode)
            return state

    def _evict(self, book: _Session, keep: str | None) -> None:
        total = sum(state.chars for state in book.episodes.values())
        while len(book.episodes) > self.max_episodes or total > self.max_chars:
            victim = next((tag for tag in book.episodes if tag is not None and tag != keep), None)
            if victim is None:
                return
            total -= book.episodes.pop(victim).chars
            book.evicted[victim] = None
            if len(book.evicted) > self.remembered_evictions:
                book.evicted.popitem(last=False)


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
    if episode is not None and (not isinstance(episode, str | int) or len(str(episode)) > MAX_TAG_CHARS):
        raise ToolError(f"the {EPISODE_META_KEY} tag must be a string of at most {MAX_TAG_CHARS} characters")
    return request.lifespan_context.sessions.for_session(request.session, None if episode is None else str(episode))
