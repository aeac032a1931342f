"""The episode's own log of tool calls, recorded at the MCP session, and its grading.

Agents built on any framework reach each server through one :class:`RecordingSession` held for a whole run and
shared by its episodes, concurrent ones included. Every ``tools/call`` of an episode carries the episode's tag in its
request ``_meta`` (:attr:`EpisodeLog.meta`): the server keeps each tagged episode's writes apart, and the session
writes the call and its result to the log of the episode it is tagged with. The framework tells the log where its
assistant turns begin (:meth:`EpisodeLog.open_turn`) and which calls it refused before they reached a server
(:meth:`EpisodeLog.reject`); results are matched to the model's calls by call id through :data:`CALL_ID`.
:func:`grade_episode` turns the log into a :class:`~healthgym.schemas.Trajectory` graded by the domain's own
grader and :func:`~healthgym.rl.reward.composite_reward`, exactly as the Gym env grades training episodes.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from mcp.shared.exceptions import McpError
from mcp.types import CallToolResult

from healthgym.agents.connections import Connection
from healthgym.client import ClientSession
from healthgym.mcp_servers.clinic.episode import EPISODE_META_KEY
from healthgym.mcp_servers.domain import TaskView
from healthgym.mcp_servers.domains import get_domain
from healthgym.mcp_servers.inprocess import result_text
from healthgym.rl.reward import RewardWeights, accepted_calls, composite_reward
from healthgym.schemas import Task, ToolCall, ToolResult, Trajectory, Turn

CALL_ID: ContextVar[str | None] = ContextVar("healthgym_call_id", default=None)
"""Id of the model's tool call being executed; set by the agent around each call so results find their call."""


@contextmanager
def calling(call_id: str | None) -> Iterator[None]:
    """Mark the tool calls made inside the block as the execution of the model's call ``call_id``."""
    token = CALL_ID.set(call_id)
    try:
        yield
    finally:
        CALL_ID.reset(token)


@dataclass
class _TurnRecord:
    assistant: str
    calls: list[ToolCall]
    parse_error: str | None = None
    by_agent: bool = True
    """False for a turn opened by calls no model turn asked for (e.g. the workflow's safety checks)."""
    results: dict[int, ToolResult] = field(default_factory=dict)
    rejected: dict[int, str] = field(default_factory=dict)


class EpisodeLog:
    """What an agent did in one episode, turn by turn, as its MCP sessions saw it.

    Each log is one episode: :attr:`episode_id` is unique even when a run plays the same task twice.

    Args:
        view: the task as the agent sees it.
        submit_tool: the domain's submit tool; the first call of it that the server accepts ends the episode.
    """

    def __init__(self, view: TaskView, submit_tool: str = "submit_answer") -> None:
        self.view = view
        self.submit_tool = submit_tool
        self.episode_id = f"{view.id}#{uuid.uuid4().hex[:12]}"
        self.submitted: dict[str, Any] | None = None
        self.input_tokens = 0
        self.output_tokens = 0
        self.model_s = 0.0
        """Seconds spent inside the model (generation), excluded from framework overhead."""
        self.truncated = False
        """Set by the agent when it stopped at its turn limit."""
        self.started = time.perf_counter()
        self._turns: list[_TurnRecord] = []
        self._notes: list[str] = []

    @property
    def done(self) -> bool:
        return self.submitted is not None

    @property
    def meta(self) -> dict[str, str]:
        """The request ``_meta`` every tool call of the episode carries: the server keeps the episode's writes by it."""
        return {EPISODE_META_KEY: self.episode_id}

    @property
    def model_turns(self) -> int:
        return sum(t.by_agent for t in self._turns)

    def note(self, text: str) -> None:
        """Assistant text of a step that calls no tool by design (a workflow's assessment); it is kept with the
        next turn's text, as that turn's reasoning."""
        if text.strip():
            self._notes.append(text)

    def open_turn(self, assistant: str, calls: Sequence[ToolCall], *, parse_error: str | None = None) -> None:
        """Start an assistant turn: its text and the tool calls the model asked for, in order."""
        text = "\n\n".join([*self._notes, assistant]) if self._notes else assistant
        self._notes.clear()
        self._turns.append(_TurnRecord(assistant=text, calls=list(calls), parse_error=parse_error))

    def _find(self, call_id: str | None) -> tuple[_TurnRecord, int] | None:
        if call_id is None:
            return None
        for turn in reversed(self._turns):
            for i, call in enumerate(turn.calls):
                if call.id == call_id and i not in turn.results:
                    return turn, i
        return None

    def record(self, name: str, arguments: dict[str, Any], result: ToolResult) -> None:
        """A call that reached a server, with its result (called by :class:`RecordingSession`)."""
        found = self._find(CALL_ID.get())
        if found is None:  # a call no model turn asked for: it gets a turn of its own
            last = self._turns[-1] if self._turns else None
            if last is None or last.by_agent:
                last = _TurnRecord(assistant="", calls=[], by_agent=False)
                self._turns.append(last)
            last.calls.append(ToolCall(name=name, arguments=dict(arguments), origin="harness"))
            found = last, len(last.calls) - 1
        turn, index = found
        turn.results[index] = result
        if name == self.submit_tool and not result.is_error and self.submitted is None:
            # grade what the server validated and stored, not the raw arguments (e.g. esi_level "1.0" -> 1)
            self.submitted = dict(result.structured) if result.structured else dict(arguments)

    def reject(self, call_id: str | None, reason: str) -> None:
        """A call of the model that the agent refused before it reached a server (unknown tool, bad arguments,
        blocked by a safety check): it stays in the log as an invalid call with ``reason`` as its error."""
        found = self._find(call_id)
        if found is not None:
            turn, index = found
            turn.rejected[index] = reason

    def add_usage(self, input_tokens: int | None, output_tokens: int | None) -> None:
        self.input_tokens += int(input_tokens or 0)
        self.output_tokens += int(output_tokens or 0)

    @contextmanager
    def timing_model(self) -> Iterator[None]:
        """Count the block's time as model time."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.model_s += time.perf_counter() - start

    def turns(self) -> list[Turn]:
        """The turns up to the accepted submit call (later calls are not part of the episode, as in the env)."""
        out: list[Turn] = []
        records = [*self._turns]
        if self._notes:
            records.append(_TurnRecord(assistant="\n\n".join(self._notes), calls=[]))
        for record in records:
            turn = Turn(assistant=record.assistant, parse_error=record.parse_error)
            for i, call in enumerate(record.calls):
                result = record.results.get(i) or ToolResult(
                    name=call.name, text=record.rejected.get(i, "the agent did not execute this call"), is_error=True
                )
                turn.tool_calls.append(call)
                turn.tool_results.append(result)
                if call.name == self.submit_tool and not result.is_error:
                    out.append(turn)
                    return out
            out.append(turn)
        return out


class RecordingSession(ClientSession):
    """An MCP client session held for a whole run: it writes each ``tools/call`` and its result to the log of the
    episode the call is tagged with.

    A call must be tagged with an episode open on the session (:meth:`episode`): an untagged call would write into
    the session's scratch state on the server, which every other untagged call shares, so it is refused here.
    Output schemas are checked by validators compiled once per run (:class:`healthgym.client.ClientSession`).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._logs: dict[str, EpisodeLog] = {}

    @contextmanager
    def episode(self, log: EpisodeLog) -> Iterator[EpisodeSession]:
        """Open the episode of ``log`` on this session until the block exits; yields the episode's tagged view."""
        if log.episode_id in self._logs:
            raise ValueError(f"episode {log.episode_id} is already open on this session")
        self._logs[log.episode_id] = log
        try:
            yield EpisodeSession(self, log)
        finally:
            del self._logs[log.episode_id]

    async def call_tool(
        self,
        name: str,
        arguments: dict[str, Any] | None = None,
        read_timeout_seconds: timedelta | None = None,
        progress_callback: Any = None,
        *,
        meta: dict[str, Any] | None = None,
    ) -> CallToolResult:
        episode = (meta or {}).get(EPISODE_META_KEY)
        log = self._logs.get(episode)
        if log is None:
            raise RuntimeError(f"the call of {name} is tagged with no open episode ({EPISODE_META_KEY}={episode!r})")
        start = time.perf_counter()
        try:
            result = await super().call_tool(name, arguments, read_timeout_seconds, progress_callback, meta=meta)
        except McpError as err:  # a protocol failure: logged as the call's error, then it ends the episode
            failure = ToolResult(name=name, text=str(err), is_error=True, latency_ms=_ms(start))
            log.record(name, arguments or {}, failure)
            raise
        log.record(
            name,
            arguments or {},
            ToolResult(
                name=name,
                text=result_text(result.content),
                structured=result.structuredContent,
                is_error=bool(result.isError),
                latency_ms=_ms(start),
            ),
        )
        return result


def trusted_schemas(connection: Connection) -> bool:
    """Whether a run may compile the server's output schemas to Python code (fastjsonschema, several times faster
    than jsonschema per call): only for a healthgym server this process starts itself, in process or as
    ``healthgym serve`` over stdio; never for an HTTP endpoint or a custom stdio command."""
    return connection.transport == "inprocess" or (connection.transport == "stdio" and not connection.command)


@dataclass(frozen=True)
class EpisodeSession:
    """One episode's view of a run's :class:`RecordingSession`: every tool call made through it carries the
    episode's tag. LangGraph's MCP tools and the workflow's safety checks call the server through it."""

    session: RecordingSession
    log: EpisodeLog

    async def call_tool(
        self,
        name: str,
        arguments: dict[str, Any] | None = None,
        read_timeout_seconds: timedelta | None = None,
        progress_callback: Any = None,
        *,
        meta: dict[str, Any] | None = None,
    ) -> CallToolResult:
        tagged = {**(meta or {}), **self.log.meta}
        return await self.session.call_tool(name, arguments, read_timeout_seconds, progress_callback, meta=tagged)


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000.0


def grade_episode(
    task: Task,
    log: EpisodeLog,
    *,
    error: str | None = None,
    weights: RewardWeights | None = None,
) -> Trajectory:
    """The graded trajectory of an episode: the domain's grader on the accepted submit call, then the composite
    reward over the logged tool calls, as :class:`~healthgym.rl.env.HealthGymEnv` does at episode end."""
    if task.id != log.view.id:
        raise ValueError(f"the log is of task {log.view.id}, not {task.id}")
    spec = get_domain(task.domain)
    trajectory = Trajectory(
        task_id=task.id,
        domain=task.domain,
        tier=task.tier,
        turns=log.turns(),
        submitted=log.submitted,
        truncated=log.truncated and log.submitted is None,
        error=error,
    )
    trajectory.grade = spec.grade(task, trajectory.submitted)
    events = spec.safety(task, accepted_calls(trajectory))
    trajectory.reward = composite_reward(task, trajectory, trajectory.grade, weights, events)
    trajectory.metrics = {
        **trajectory.effort(),
        "input_tokens": float(log.input_tokens),
        "output_tokens": float(log.output_tokens),
        "tokens": float(log.input_tokens + log.output_tokens),
        "model_s": log.model_s,
        "wall_s": time.perf_counter() - log.started,
    }
    return trajectory
