"""The pydantic-ai clinical agent over the domain servers (``pydantic_ai.mcp.MCPToolset``), with a typed answer.

The agent's final output is a pydantic model derived from the task's answer type in :mod:`healthgym.schemas`
(:func:`answer_model`): a choice becomes a ``Literal`` of its options, a number a ``float`` in its unit, a code set a
``list[str]``, a multi-field answer one field of each. The domain's submit tool is hidden from the model; an output
validator submits the typed answer through the same MCP session, and a refusal from the server goes back to the
model as a retry.

The run holds one toolset per server (:func:`open_pydantic_servers`: a :class:`RunToolset`), each with one MCP
session, entered once and shared by every episode. The run builds one ``Agent`` per domain and answer shape
(:meth:`PydanticServers.agent`; answer models are cached by shape) and each episode runs it with its own model and
its :class:`~healthgym.agents.episode.EpisodeLog` as ``deps``: the toolsets' ``process_tool_call`` hook tags every
call with that episode, and the domain toolset's filter hides what the episode's tier withholds.
"""

from __future__ import annotations

import contextlib
import dataclasses
import inspect
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Annotated, Any, Literal, TextIO, get_type_hints

from fastmcp import Client
from fastmcp.client.client import CallToolResult
from fastmcp.client.transports import ClientTransport
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model
from pydantic_ai import Agent, ModelRetry, RunContext, ToolOutput
from pydantic_ai.exceptions import ToolFailed, UsageLimitExceeded
from pydantic_ai.mcp import CallToolFunc, MCPToolset
from pydantic_ai.messages import RetryPromptPart, TextPart, ToolCallPart, ToolReturnPart
from pydantic_ai.tools import ToolDefinition
from pydantic_ai.toolsets import ToolsetTool
from pydantic_ai.usage import UsageLimits

from healthgym.agents.connections import Connection, Transport, domain_connections, open_streams
from healthgym.agents.episode import EpisodeLog, RecordingSession, calling, trusted_schemas
from healthgym.mcp_servers.domain import DomainSpec, TaskView, tasks
from healthgym.mcp_servers.domains import get_domain
from healthgym.schemas import Answer, ChoiceAnswer, CodeSetAnswer, FieldsAnswer, NumericAnswer, Tier, ToolCall

NO_TOOL_CALL = "the reply called no tool"
INSTRUCTIONS = (
    "{policy}\n\nYou are working on one case. Use the tools; every answer must come from their results. "
    "Give your final answer as the structured output."
)


def _choice(options: Sequence[str]) -> Any:
    """A ``Literal`` of the options (integers when every option is one, as ESI levels are), accepting any spelling
    the grader accepts (``"3"`` for 3, ``"Acute"`` for ``"acute"``)."""
    values: list[Any] = [int(o) for o in options] if all(o.lstrip("-").isdigit() for o in options) else list(options)
    canonical = {str(v).strip().lower(): v for v in values}
    return Annotated[Literal[tuple(values)], BeforeValidator(lambda x: canonical.get(str(x).strip().lower(), x))]


ShapeKey = tuple[str, ...]
"""One answer field's shape, never its value: ``("choice", *options)``, ``("number", unit)`` or ``("codes",)``."""


def _shape_key(ref: ChoiceAnswer | NumericAnswer | CodeSetAnswer) -> ShapeKey:
    if isinstance(ref, ChoiceAnswer):
        return ("choice", *ref.options)
    if isinstance(ref, NumericAnswer):
        return ("number", ref.unit)
    return ("codes",)


def _answer_type(keys: Sequence[ShapeKey]) -> tuple[Any, str]:
    """The type and description of one answer field, from its shapes in one or more tasks."""
    kind = keys[0][0]
    if kind == "choice":
        options = list(dict.fromkeys(o for k in keys if k[0] == "choice" for o in k[1:]))
        return _choice(options), f"One of: {', '.join(options)}."
    if kind == "number":
        return float, f"The value in {keys[0][1]}."
    return list[str], "Every item that applies, by name; an empty list when none does."


def _model(name: str, shapes: Sequence[dict[str, ShapeKey]]) -> type[BaseModel]:
    """A model with a field per answer field in ``shapes`` (one dict of field -> shape per task); a field that
    not every task has is optional."""
    keys: dict[str, list[ShapeKey]] = {}
    for shape in shapes:
        for field, key in shape.items():
            keys.setdefault(field, []).append(key)
    fields: dict[str, Any] = {}
    for field, found in keys.items():
        kind, description = _answer_type(found)
        if len(found) == len(shapes):
            fields[field] = (kind, Field(description=description))
        else:
            fields[field] = (kind | None, Field(default=None, description=f"{description} Only when the case asks."))
    return create_model(name, __config__=ConfigDict(extra="forbid"), **fields)


def _shape(answer: Answer) -> dict[str, ShapeKey]:
    refs = dict(answer.fields) if isinstance(answer, FieldsAnswer) else {"answer": answer}
    return {field: _shape_key(ref) for field, ref in refs.items()}


@lru_cache(maxsize=1024)
def _shaped_model(name: str, shape: tuple[tuple[str, ShapeKey], ...]) -> type[BaseModel]:
    return _model(name, [dict(shape)])


def answer_model(answer: Answer, name: str = "Answer") -> type[BaseModel]:
    """The typed final answer of a task: its shape only (kinds, options, units, field names), never its value. Tasks
    of the same shape share one model (and so one agent per run, :meth:`PydanticServers.agent`)."""
    return _shaped_model(name, tuple(_shape(answer).items()))


@cache
def domain_answer_model(domain: str) -> type[BaseModel]:
    """The typed final answer of any task of a domain: the union of the answer shapes of its test split, with the
    fields only some tasks ask for optional."""
    title = "".join(part.capitalize() for part in domain.split("_"))
    return _model(f"{title}Answer", [_shape(t.answer) for t in tasks(get_domain(domain), "test")])


class SessionTransport(ClientTransport):
    """A FastMCP client transport over :func:`~healthgym.agents.connections.open_streams` whose session records
    each episode's tool calls."""

    def __init__(self, connection: Connection, errlog: TextIO | None = None) -> None:
        self.connection = connection
        self.errlog = errlog

    @contextlib.asynccontextmanager
    async def connect_session(self, **session_kwargs: Any) -> AsyncIterator[RecordingSession]:
        trusted = trusted_schemas(self.connection)
        async with (
            open_streams(self.connection, errlog=self.errlog) as (read, write),
            RecordingSession(read, write, trusted_schemas=trusted, **session_kwargs) as session,
        ):
            yield session

    def __repr__(self) -> str:
        return f"<SessionTransport {self.connection.domain} over {self.connection.transport}>"


class RawResultClient(Client):
    """A FastMCP client that hands tool results over as the server sent them.

    FastMCP's client turns every structured result into ``.data`` through a pydantic ``TypeAdapter`` it builds
    afresh from the tool's output schema on each call (about 5% of a turn, bench/agent_overhead.py). pydantic-ai's
    toolset reads only the result's structured content and content blocks, and :class:`RecordingSession` has
    already checked them against the schema with a validator compiled once, so ``.data`` is the structured content
    unparsed."""

    async def _parse_call_tool_result(
        self, name: str, result: Any, raise_on_error: bool = False
    ) -> CallToolResult:
        if result.isError and raise_on_error:
            return await super()._parse_call_tool_result(name, result, raise_on_error)
        return CallToolResult(
            content=result.content,
            structured_content=result.structuredContent,
            meta=result.meta,
            data=result.structuredContent,
            is_error=result.isError,
        )


class RunToolset(MCPToolset):
    """An ``MCPToolset`` that builds its tool definitions once per listing, not once per model request.

    ``MCPToolset.get_tools`` re-validates and re-wraps every listed tool before each request (about 7% of a turn
    with one server of 20 tools); here the result is kept while the cached listing and the run's retry budget stay
    the same. The toolset lists its tools once (``cache_tools``) and healthgym's servers never change them."""

    _built: tuple[tuple[int, int], dict[str, ToolsetTool[Any]]] | None = None

    async def get_tools(self, ctx: RunContext[Any]) -> dict[str, ToolsetTool[Any]]:
        listing = await self.list_tools()
        key = (id(listing), ctx.max_retries)
        if self._built is None or self._built[0] != key:
            self._built = (key, await super().get_tools(ctx))
        return self._built[1]


@dataclass
class PydanticServers:
    """A run's MCP toolsets, one per server, each entered once (one MCP session) and shared by all its episodes,
    with the run's agents; valid inside :func:`open_pydantic_servers`."""

    toolsets: dict[str, MCPToolset]
    agents: dict[tuple[str, type[BaseModel], int], Agent[EpisodeLog, Any]] = dataclasses.field(default_factory=dict)
    """The run's agents by (domain, answer model, max turns), each built on its first episode; the model is chosen
    per episode (``Agent.iter(model=...)``)."""

    def session(self, name: str) -> RecordingSession:
        """The run's session to server ``name``, opened by its toolset over :class:`SessionTransport`."""
        session = self.toolsets[name].client.session
        assert isinstance(session, RecordingSession), session
        return session

    def agent(self, domain: str, output_type: type[BaseModel], max_turns: int) -> Agent[EpisodeLog, Any]:
        """The run's agent for ``domain``'s tasks answered as ``output_type``."""
        key = (domain, output_type, max_turns)
        if key not in self.agents:
            self.agents[key] = _build_agent(self, domain, output_type, max_turns)
        return self.agents[key]


def _submittable(output_type: type[BaseModel], submit: Callable[..., Any]) -> type[BaseModel]:
    """The answer model as the submit tool takes it: less the fields it takes no argument for (those are graded on
    what the episode wrote: drug_interaction's ``prescribed`` is the prescriptions made, and the server would refuse
    them as unknown arguments), plus its required arguments that are no answer field (obstetrics' ``case_id``),
    typed and described as the tool declares them."""
    accepted = {name: p for name, p in inspect.signature(submit).parameters.items() if name != "ctx"}
    hints = get_type_hints(submit, include_extras=True)
    fields: dict[str, Any] = {
        name: (info.annotation, info) for name, info in output_type.model_fields.items() if name in accepted
    }
    missing = [n for n, p in accepted.items() if p.default is inspect.Parameter.empty and n not in fields]
    if len(fields) == len(output_type.model_fields) and not missing:
        return output_type
    for name in missing:
        fields[name] = (hints[name], ...)
    return create_model(output_type.__name__, __config__=ConfigDict(extra="forbid"), **fields)


def _build_agent(
    servers: PydanticServers, domain: str, output_type: type[BaseModel], max_turns: int
) -> Agent[EpisodeLog, Any]:
    """An agent over every server's tools, less (on ``domain``'s server) its submit tool, which becomes the typed
    output tool, and the decision support that the running episode's tier withholds (read from its ``deps``)."""
    spec = get_domain(domain)
    submit = spec.submit_tool
    domain_tools = servers.toolsets[domain]

    hidden: dict[Tier, frozenset[str]] = {t: spec.withheld(t) | {submit} for t in ("assisted", "unassisted")}

    def visible(ctx: RunContext[EpisodeLog], tool: ToolDefinition) -> bool:
        return tool.name not in hidden[ctx.deps.view.tier]

    toolsets = [
        toolset.filtered(visible) if name == domain else toolset
        for name, toolset in servers.toolsets.items()
        if name == domain or not spec.servers
    ]
    for server, names in _foreign_names(spec, {submit}).items():  # a multi-server domain: the tools its spec declares
        wanted = set(names.values())
        toolset = servers.toolsets[server].filtered(lambda ctx, tool, wanted=wanted: tool.name in wanted)
        renames = {name: tool for name, tool in names.items() if name != tool}  # namespaced where names clash
        toolsets.append((toolset.renamed(renames) if renames else toolset).filtered(visible))
    output = ToolOutput(
        _submittable(output_type, next(f for f in spec.tools if f.__name__ == submit)),
        name=submit,
        description="Submit your final answer; the episode ends when the server accepts it.",
    )
    agent: Agent[EpisodeLog, Any] = Agent(
        deps_type=EpisodeLog,
        toolsets=toolsets,
        output_type=output,
        retries=max_turns,
        instructions=INSTRUCTIONS.format(policy=spec.policy),
    )

    @agent.output_validator
    async def submit_through_mcp(ctx: RunContext[EpisodeLog], answer: BaseModel) -> BaseModel:
        try:
            with calling(ctx.tool_call_id):
                await domain_tools.direct_call_tool(
                    submit, answer.model_dump(mode="json", exclude_none=True), metadata=ctx.deps.meta
                )
        except ToolFailed as refusal:
            raise ModelRetry(str(refusal)) from refusal
        return answer

    return agent


def _foreign_names(spec: DomainSpec, hidden: set[str]) -> dict[str, dict[str, str]]:
    """``{server: {episode name: tool}}`` of the other servers' tools an episode of ``spec`` may call."""
    out: dict[str, dict[str, str]] = {}
    for name, (server, tool) in spec.foreign_tools.items():
        if name not in hidden:
            out.setdefault(server, {})[name] = tool
    return out


async def _episode_call(
    ctx: RunContext[EpisodeLog], call_tool: CallToolFunc, name: str, arguments: dict[str, Any]
) -> Any:
    """Run a tool call tagged with the agent's episode (its ``deps``), as the execution of the model's call, so the
    server keeps the episode's writes apart and the session logs the result against the model's call."""
    with calling(ctx.tool_call_id):
        return await call_tool(name, arguments, metadata=ctx.deps.meta)


@contextlib.asynccontextmanager
async def open_pydantic_servers(
    connections: Sequence[Connection], *, errlog: TextIO | None = None
) -> AsyncIterator[PydanticServers]:
    """One ``MCPToolset`` per server, entered (one MCP session each) until exit, for every episode of a run.

    Args:
        connections: the servers; every episode gets the tools of all of them.
        errlog: where stdio servers' stderr goes.
    """
    toolsets = {
        c.domain: RunToolset(
            RawResultClient(SessionTransport(c, errlog), init_timeout=60, timeout=300),
            id=c.domain,
            tool_error_behavior="failed",
            process_tool_call=_episode_call,
        )
        for c in connections
    }
    async with contextlib.AsyncExitStack() as stack:
        for toolset in toolsets.values():
            await stack.enter_async_context(toolset)
        yield PydanticServers(toolsets)


@dataclass
class PydanticAgent:
    """The run's pydantic-ai agent with one episode's model and log; valid inside :func:`open_pydantic_agent`."""

    agent: Agent[EpisodeLog, Any]
    model: Any
    log: EpisodeLog
    max_turns: int

    async def run(self, prompt: str) -> BaseModel | None:
        """Play the case ``prompt`` to the end, logging each turn; the typed answer, or None if cut."""
        log = self.log
        try:
            limits = UsageLimits(request_limit=self.max_turns)
            async with self.agent.iter(prompt, model=self.model, deps=log, usage_limits=limits) as run:
                node = run.next_node
                while not Agent.is_end_node(node):
                    if Agent.is_call_tools_node(node):
                        response = node.model_response
                        log.add_usage(response.usage.input_tokens, response.usage.output_tokens)
                        _log_response(log, response.parts)
                        node = await run.next(node)
                    else:
                        if Agent.is_model_request_node(node):
                            _log_refusals(log, node.request.parts)
                        with log.timing_model():
                            node = await run.next(node)
        except UsageLimitExceeded:
            log.truncated = not log.done
            return None
        return run.result.output if run.result is not None else None


def _log_response(log: EpisodeLog, parts: Sequence[Any]) -> None:
    text = "".join(p.content for p in parts if isinstance(p, TextPart))
    calls = [
        ToolCall(name=p.tool_name, arguments=p.args_as_dict(), id=p.tool_call_id)
        for p in parts
        if isinstance(p, ToolCallPart)
    ]
    log.open_turn(text, calls, parse_error=None if calls else NO_TOOL_CALL)


def _log_refusals(log: EpisodeLog, parts: Sequence[Any]) -> None:
    """Calls the framework answered without reaching a server (unknown tool, invalid arguments) stay in the log
    as invalid calls; calls that reached a server already have their result."""
    for part in parts:
        if isinstance(part, RetryPromptPart) and part.tool_name:
            log.reject(part.tool_call_id, part.model_response())
        elif isinstance(part, ToolReturnPart) and part.outcome != "success":
            log.reject(part.tool_call_id, str(part.content))


@contextlib.asynccontextmanager
async def open_pydantic_agent(
    model: Any,
    view: TaskView,
    servers: PydanticServers,
    *,
    output_type: type[BaseModel] | None = None,
    max_turns: int = 40,
    log: EpisodeLog | None = None,
) -> AsyncIterator[PydanticAgent]:
    """A pydantic-ai agent for one episode of ``view`` over the run's toolsets (the run's agent for the task's
    domain and answer shape, built on first use); the episode is open on their sessions (its calls tagged with it,
    and logged) until exit.

    Args:
        model: a pydantic-ai model or model string (``openai:gpt-4.1``, ``anthropic:claude-sonnet-4-5``, ...).
        view: the task as the agent may see it.
        servers: the run's toolsets (:func:`open_pydantic_servers`); one of them is the task's domain server, whose
            submit tool takes the answer.
        output_type: the typed answer; default :func:`domain_answer_model` of the domain.
        max_turns: model requests before the episode is cut.
        log: the episode log to write (default: a new one); pass one to keep it if the episode fails.
    """
    if view.domain not in servers.toolsets:
        raise ValueError(f"the servers {sorted(servers.toolsets)} do not include the task's domain ({view.domain})")
    log = log or EpisodeLog(view, get_domain(view.domain).submit_tool)
    agent = servers.agent(view.domain, output_type or domain_answer_model(view.domain), max_turns)
    with contextlib.ExitStack() as stack:
        for name in servers.toolsets:
            stack.enter_context(servers.session(name).episode(log))
        yield PydanticAgent(agent=agent, model=model, log=log, max_turns=max_turns)


async def play_pydantic(
    model: Any,
    view: TaskView,
    *,
    servers: PydanticServers | None = None,
    transport: Transport = "inprocess",
    connections: Sequence[Connection] | None = None,
    output_type: type[BaseModel] | None = None,
    max_turns: int = 40,
    errlog: TextIO | None = None,
    log: EpisodeLog | None = None,
) -> EpisodeLog:
    """Play one episode with the pydantic-ai agent; returns its log (grade it with
    :func:`~healthgym.agents.episode.grade_episode`).

    Args:
        servers: the run's toolsets; without them, toolsets for ``connections`` (default: the task's domain server
            over ``transport``) are opened for this episode alone.
    """
    if servers is None:
        async with open_pydantic_servers(connections or domain_connections(view.domain, transport),
                                         errlog=errlog) as servers:
            return await play_pydantic(
                model, view, servers=servers, output_type=output_type, max_turns=max_turns, log=log
            )
    if connections is not None:
        raise ValueError("pass either the run's servers or connections to open, not both")
    async with open_pydantic_agent(
        model, view, servers, output_type=output_type, max_turns=max_turns, log=log
    ) as agent:
        await agent.run(view.prompt)
    return agent.log
