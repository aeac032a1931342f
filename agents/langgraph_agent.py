"""LangGraph clinical agents over the domain servers' MCP tools (loaded with langchain-mcp-adapters).

The run holds one MCP session per server (:func:`open_langgraph_servers`) and every episode calls the tools through
it, each call tagged with its episode (the adapter opens a new session per tool call when it is given no session).
Two shapes:

- ``loop``: the plain tool-calling loop. The model answers, its tool calls run, repeat until the submit tool
  accepts an answer or ``max_turns`` model turns have passed. A reply with no tool call is an invalid turn (as in
  the Gym env) and the agent is reminded to call a tool.
- ``workflow``: a clinical workflow, gather -> assess -> decide -> safety check -> act (submit). *gather* offers the
  read-only tools; *assess* asks for an assessment with no tools; *decide* offers the tools that write (orders,
  prescriptions, the submit tool); the *safety* node re-checks every such call with the domain's own tools
  (:mod:`healthgym.agents.safety`) and sends a blocked call back to *decide* with the reasons, before anything is
  written; *act* runs the approved calls.

Tool results reach the model as the adapter renders them; the episode log is written by the run's sessions
(:class:`~healthgym.agents.episode.RecordingSession`), never from the model's messages.

A run converts the servers' tools to LangChain tools once and compiles each shape's graph once
(:class:`LangGraphServers`); an episode brings only what is its own (:class:`EpisodeContext`: its log, its tier's
tools, its model bound to them, its safety check), passed to the graph in the run config. Rebuilding both per
episode was about 30% of an episode's profiled time (issue 16). Every node and routing function is async: LangGraph
runs a sync one in a worker thread, a hand-off per step.
"""

from __future__ import annotations

import operator
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import AsyncExitStack, ExitStack, asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Annotated, Any, Literal, TextIO, TypedDict

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.runnables import RunnableConfig
from langchain_core.tools import BaseTool, ToolException
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.graph.state import CompiledStateGraph
from mcp.types import CallToolResult, Tool
from pydantic import ValidationError

from healthgym.agents.connections import Connection, Transport, domain_connections, open_session
from healthgym.agents.episode import EpisodeLog, EpisodeSession, RecordingSession, calling, trusted_schemas
from healthgym.agents.safety import CallTool, SafetyCheck, safety_check
from healthgym.mcp_servers.domain import TaskView
from healthgym.mcp_servers.domains import get_domain
from healthgym.mcp_servers.toolset import episode_tools
from healthgym.schemas import ToolCall

Shape = Literal["loop", "workflow"]
SHAPES: tuple[Shape, ...] = ("loop", "workflow")

NO_TOOL_CALL = "the reply called no tool"
REMINDER = "No tool call found. Call one of the tools; finish by calling {submit}."
PHASES = {
    "gather": "Gather: call the read-only tools for the facts this case needs. When you have them, reply with a "
    "short summary and no tool call.",
    "assess": "Assess: state your clinical assessment of the findings, citing them. Do not call tools.",
    "decide": "Decide: make the orders or prescriptions the case needs and submit your answer with {submit}. If you "
    "still need facts, reply with what you need and no tool call.",
}
SYSTEM = (
    "{policy}\n\nYou are working on one case. Use the tools; every answer must come from their results. "
    "Finish by calling {submit}, once."
)


class AgentState(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]
    steps: Annotated[int, operator.add]
    """Model turns so far."""
    max_turns: int
    """Model turns before the episode is cut."""
    done: bool
    """Whether the submit tool has accepted an answer."""
    phase: str
    blocked: list[str]
    """Ids of the last decision's calls that the safety check blocked."""


@dataclass
class EpisodeContext:
    """What a compiled graph needs of one episode, passed in the run config (:func:`episode_config`).

    Attributes:
        log: the episode's log.
        tools: the episode's tools by name (the run's converted tools less those its tier withholds).
        models: the episode's model bound to each step's tools: ``agent`` for the loop; ``gather``, ``assess`` and
            ``decide`` for the workflow.
        check: the domain's safety check of a proposed write call (workflow only).
        call_tool: how the check calls the domain's tools (through the episode's session, so the checks are part of
            the episode's log).
    """

    log: EpisodeLog
    tools: dict[str, BaseTool]
    models: dict[str, Any]
    check: SafetyCheck | None = None
    call_tool: CallTool | None = None


_CONTEXT_KEY = "healthgym_episode"


def episode_config(context: EpisodeContext, max_turns: int) -> RunnableConfig:
    """The run config that plays ``context``'s episode on a compiled graph."""
    # Each model turn is at most 4 graph steps (model, safety, tools, back), plus the reminders.
    return {"configurable": {_CONTEXT_KEY: context}, "recursion_limit": 5 * max_turns + 10}


def _context(config: RunnableConfig) -> EpisodeContext:
    return config["configurable"][_CONTEXT_KEY]


_EPISODE: ContextVar[EpisodeLog | None] = ContextVar("healthgym_langgraph_episode", default=None)
"""The episode whose tool call is running; the run's converted tools send their calls tagged with it."""


@contextmanager
def _in_episode(log: EpisodeLog) -> Iterator[None]:
    token = _EPISODE.set(log)
    try:
        yield
    finally:
        _EPISODE.reset(token)


@dataclass(frozen=True)
class _CurrentEpisodeSession:
    """The session the run's converted tools call: it tags each call with the episode running it, so tools
    converted once serve every episode of the run."""

    session: RecordingSession

    async def call_tool(
        self,
        name: str,
        arguments: dict[str, Any] | None = None,
        read_timeout_seconds: timedelta | None = None,
        progress_callback: Any = None,
        *,
        meta: dict[str, Any] | None = None,
    ) -> CallToolResult:
        log = _EPISODE.get()
        if log is None:
            raise RuntimeError(f"{name} was called outside an episode; play it through LangGraphAgent.run")
        tagged = {**(meta or {}), **log.meta}
        return await self.session.call_tool(name, arguments, read_timeout_seconds, progress_callback, meta=tagged)


def _text(message: AIMessage) -> str:
    content = message.content
    if isinstance(content, str):
        return content
    return "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)


def _calls(message: AIMessage) -> list[ToolCall]:
    return [ToolCall(name=c["name"], arguments=dict(c["args"]), id=c["id"]) for c in message.tool_calls]


async def _invoke(model: Any, messages: list[AnyMessage], log: EpisodeLog) -> AIMessage:
    with log.timing_model():
        reply = await model.ainvoke(messages)
    usage = reply.usage_metadata or {}
    log.add_usage(usage.get("input_tokens"), usage.get("output_tokens"))
    return reply


async def execute_tool_calls(
    calls: Sequence[dict[str, Any]], tools: dict[str, BaseTool], log: EpisodeLog, *, read_only: bool = False
) -> list[ToolMessage]:
    """Run the model's tool calls in order through their MCP tools, stopping after an accepted submit (as the env
    does). Unknown tools, arguments the tool refuses and (with ``read_only``) tools that write are answered with an
    error the model sees."""
    replies: list[ToolMessage] = []
    for call in calls:
        if log.done:
            break
        tool = tools.get(call["name"])
        if tool is None:
            error = f"Unknown tool: {call['name']!r}. Available tools: {', '.join(sorted(tools))}"
        elif read_only and not _is_read_only(tool):
            error = f"{call['name']} writes: it runs in the decide step, after the safety check, not while gathering"
        else:
            try:
                with calling(call["id"]), _in_episode(log):
                    reply = await tool.ainvoke({**call, "type": "tool_call"})
            except (ToolException, ValidationError) as err:
                error = f"Error executing tool {call['name']}: {err}"
            else:
                replies.append(reply)
                continue
        log.reject(call["id"], error)
        replies.append(ToolMessage(content=error, tool_call_id=call["id"], name=call["name"], status="error"))
    return replies


def _is_read_only(tool: BaseTool) -> bool:
    return bool((tool.metadata or {}).get("readOnlyHint"))


def build_tool_loop() -> CompiledStateGraph:
    """The plain tool-calling loop, compiled once per run; each episode runs it with its
    :func:`episode_config`."""

    async def agent(state: AgentState, config: RunnableConfig) -> dict[str, Any]:
        episode = _context(config)
        reply = await _invoke(episode.models["agent"], state["messages"], episode.log)
        episode.log.open_turn(_text(reply), _calls(reply), parse_error=None if reply.tool_calls else NO_TOOL_CALL)
        return {"messages": [reply], "steps": 1}

    async def run_tools(state: AgentState, config: RunnableConfig) -> dict[str, Any]:
        episode = _context(config)
        replies = await execute_tool_calls(state["messages"][-1].tool_calls, episode.tools, episode.log)
        return {"messages": replies, "done": episode.log.done}

    async def remind(state: AgentState, config: RunnableConfig) -> dict[str, Any]:
        return {"messages": [HumanMessage(REMINDER.format(submit=_context(config).log.submit_tool))]}

    async def after_agent(state: AgentState) -> str:
        if state["messages"][-1].tool_calls:
            return "tools"
        return END if state["steps"] >= state["max_turns"] else "remind"

    async def after_tools(state: AgentState) -> str:
        return END if state["done"] or state["steps"] >= state["max_turns"] else "agent"

    graph = StateGraph(AgentState)
    graph.add_node("agent", agent)
    graph.add_node("tools", run_tools)
    graph.add_node("remind", remind)
    graph.add_edge(START, "agent")
    graph.add_conditional_edges("agent", after_agent, ["tools", "remind", END])
    graph.add_conditional_edges("tools", after_tools, ["agent", END])
    graph.add_edge("remind", "agent")
    return graph.compile()


def build_clinical_workflow() -> CompiledStateGraph:
    """The gather -> assess -> decide -> safety -> act workflow, compiled once per run; each episode runs it with
    its :func:`episode_config` (whose context carries the safety check and how it calls the tools)."""

    def phase_node(phase: str):
        async def node(state: AgentState, config: RunnableConfig) -> dict[str, Any]:
            episode = _context(config)
            log = episode.log
            intro = [] if state.get("phase") == phase else [HumanMessage(PHASES[phase].format(submit=log.submit_tool))]
            reply = await _invoke(episode.models[phase], [*state["messages"], *intro], log)
            if reply.tool_calls:
                log.open_turn(_text(reply), _calls(reply))
            else:
                log.note(_text(reply))
            return {"messages": [*intro, reply], "steps": 1, "phase": phase, "blocked": []}

        return node

    async def gather_tools(state: AgentState, config: RunnableConfig) -> dict[str, Any]:
        episode = _context(config)
        calls = state["messages"][-1].tool_calls
        return {"messages": await execute_tool_calls(calls, episode.tools, episode.log, read_only=True)}

    async def safety(state: AgentState, config: RunnableConfig) -> dict[str, Any]:
        episode = _context(config)
        assert episode.check is not None and episode.call_tool is not None, "the workflow needs a safety check"
        replies, blocked = [], []
        for call in state["messages"][-1].tool_calls:
            reasons = await episode.check(
                ToolCall(name=call["name"], arguments=dict(call["args"]), id=call["id"]),
                episode.log.view,
                episode.call_tool,
            )
            if reasons:
                why = "Blocked by the safety check before anything was written: " + "; ".join(reasons)
                episode.log.reject(call["id"], why)
                replies.append(ToolMessage(content=why, tool_call_id=call["id"], name=call["name"], status="error"))
                blocked.append(call["id"])
        return {"messages": replies, "blocked": blocked}

    async def act(state: AgentState, config: RunnableConfig) -> dict[str, Any]:
        episode = _context(config)
        decision = next(m for m in reversed(state["messages"]) if isinstance(m, AIMessage))
        approved = [c for c in decision.tool_calls if c["id"] not in state["blocked"]]
        replies = await execute_tool_calls(approved, episode.tools, episode.log)
        return {"messages": replies, "done": episode.log.done}

    def out_of_turns(state: AgentState) -> bool:
        return state["steps"] >= state["max_turns"]

    async def after_gather_tools(state: AgentState) -> str:
        return END if out_of_turns(state) else "gather"

    async def after_assess(state: AgentState) -> str:
        return END if out_of_turns(state) else "decide"

    async def after_gather(state: AgentState) -> str:
        if state["messages"][-1].tool_calls:
            return "gather_tools"
        return END if out_of_turns(state) else "assess"

    async def after_decide(state: AgentState) -> str:
        if state["messages"][-1].tool_calls:
            return "safety"
        return END if out_of_turns(state) else "gather"

    async def after_act(state: AgentState) -> str:
        return END if state["done"] or out_of_turns(state) else "decide"

    graph = StateGraph(AgentState)
    for phase in PHASES:
        graph.add_node(phase, phase_node(phase))
    graph.add_node("gather_tools", gather_tools)
    graph.add_node("safety", safety)
    graph.add_node("act", act)
    graph.add_edge(START, "gather")
    graph.add_conditional_edges("gather", after_gather, ["gather_tools", "assess", END])
    graph.add_conditional_edges("gather_tools", after_gather_tools, ["gather", END])
    graph.add_conditional_edges("assess", after_assess, ["decide", END])
    graph.add_conditional_edges("decide", after_decide, ["safety", "gather", END])
    graph.add_edge("safety", "act")
    graph.add_conditional_edges("act", after_act, ["decide", END])
    return graph.compile()


_BUILDERS = {"loop": build_tool_loop, "workflow": build_clinical_workflow}


@dataclass
class LangGraphServers:
    """A run's MCP sessions, one per server, shared by all its episodes, with the tools converted and the graphs
    compiled once for the run; valid inside :func:`open_langgraph_servers`."""

    sessions: dict[str, RecordingSession]
    tools: dict[str, list[Tool]]
    """Each server's tools, listed once for the run."""
    converted: dict[str, list[BaseTool]] = field(default_factory=dict)
    """Each server's tools as LangChain tools, converted once for the run; they call the server tagged with the
    episode that runs them."""
    graphs: dict[Shape, CompiledStateGraph] = field(default_factory=dict)
    """Each shape's graph, compiled on the run's first episode of that shape."""

    def graph(self, shape: Shape) -> CompiledStateGraph:
        """The run's compiled graph of ``shape``."""
        if shape not in self.graphs:
            self.graphs[shape] = _BUILDERS[shape]()
        return self.graphs[shape]


@asynccontextmanager
async def open_langgraph_servers(
    connections: Sequence[Connection], *, errlog: TextIO | None = None
) -> AsyncIterator[LangGraphServers]:
    """One MCP session per server, held until exit, for every episode of a run.

    Args:
        connections: the servers. An episode of a single-server domain gets the tools of all of them, so their
            tool names must differ; one of a multi-server domain (``DomainSpec.servers``) gets the union its spec
            declares (:func:`~healthgym.mcp_servers.toolset.episode_tools`), names clashing between servers
            namespaced. :func:`~healthgym.agents.connections.domain_connections` lists a domain's servers.
        errlog: where stdio servers' stderr goes.
    """
    from langchain_mcp_adapters.tools import convert_mcp_tool_to_langchain_tool

    async with AsyncExitStack() as stack:
        servers = LangGraphServers(sessions={}, tools={})
        for connection in connections:
            session = await stack.enter_async_context(
                open_session(connection, RecordingSession, errlog=errlog, trusted_schemas=trusted_schemas(connection))
            )
            servers.sessions[connection.domain] = session  # type: ignore[assignment]
            servers.tools[connection.domain] = (await session.list_tools()).tools
        for name, listed in servers.tools.items():
            router = _CurrentEpisodeSession(servers.sessions[name])
            servers.converted[name] = [
                convert_mcp_tool_to_langchain_tool(router, tool, server_name=name)  # type: ignore[arg-type]
                for tool in listed
            ]
        yield servers


@dataclass
class LangGraphAgent:
    """The run's compiled graph with one episode's context; valid inside :func:`open_langgraph_agent`."""

    graph: CompiledStateGraph
    context: EpisodeContext
    system_prompt: str
    sessions: dict[str, EpisodeSession]
    max_turns: int

    @property
    def log(self) -> EpisodeLog:
        return self.context.log

    async def run(self, prompt: str) -> dict[str, Any]:
        """Play the case ``prompt`` to the end; the log holds what happened."""
        state = {
            "messages": [SystemMessage(self.system_prompt), HumanMessage(prompt)],
            "steps": 0,
            "max_turns": self.max_turns,
            "done": False,
            "phase": "",
            "blocked": [],
        }
        final = await self.graph.ainvoke(state, episode_config(self.context, self.max_turns))
        self.log.truncated = not self.log.done
        return final


def _call_tool_through(session: EpisodeSession) -> CallTool:
    async def call_tool(name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        result = await session.call_tool(name, arguments)
        if result.isError:
            return {"error": " ".join(getattr(b, "text", "") for b in result.content)}
        return result.structuredContent or {}

    return call_tool


@asynccontextmanager
async def open_langgraph_agent(
    model: BaseChatModel,
    view: TaskView,
    servers: LangGraphServers,
    *,
    shape: Shape = "loop",
    max_turns: int = 40,
    log: EpisodeLog | None = None,
) -> AsyncIterator[LangGraphAgent]:
    """A LangGraph agent for one episode of ``view`` over the run's sessions, tools and compiled graphs; the
    episode is open on the sessions (its calls tagged with it, and logged) until exit.

    Args:
        model: any LangChain chat model that supports tool calling; bound to the episode's tools here.
        view: the task as the agent may see it.
        servers: the run's sessions (:func:`open_langgraph_servers`); one of them is the task's domain server (the
            submit tool and safety checks).
        shape: ``loop`` or ``workflow`` (see the module docstring).
        max_turns: model turns before the episode is cut.
        log: the episode log to write (default: a new one); pass one to keep it if the episode fails.
    """
    if shape not in SHAPES:
        raise ValueError(f"shape must be one of {', '.join(SHAPES)}, got {shape!r}")
    if view.domain not in servers.sessions:
        raise ValueError(f"the servers {sorted(servers.sessions)} do not include the task's domain ({view.domain})")
    spec = get_domain(view.domain)
    log = log or EpisodeLog(view, spec.submit_tool)
    withheld = spec.withheld(view.tier)  # an unassisted task: decision support is neither listed nor bound
    converted = {(server, t.name): t for server, listed in servers.converted.items() for t in listed}
    tools: list[BaseTool] = []
    for name, server, tool in episode_tools(spec, servers.tools):
        if name in withheld:
            continue
        bound = converted[(server, tool.name)]
        # Namespaced on a clash between servers: the episode's name; the call keeps the server's own.
        tools.append(bound if name == tool.name else bound.model_copy(update={"name": name}))
    by_name = {t.name: t for t in tools}
    with ExitStack() as stack:
        sessions = {name: stack.enter_context(s.episode(log)) for name, s in servers.sessions.items()}
        if shape == "loop":
            context = EpisodeContext(log=log, tools=by_name, models={"agent": model.bind_tools(tools)})
        else:
            context = EpisodeContext(
                log=log,
                tools=by_name,
                models={
                    "gather": model.bind_tools([t for t in tools if _is_read_only(t)]),
                    "assess": model,
                    "decide": model.bind_tools([t for t in tools if not _is_read_only(t)]),
                },
                check=safety_check(view.domain),
                call_tool=_call_tool_through(sessions[view.domain]),
            )
        system = SYSTEM.format(policy=spec.policy, submit=spec.submit_tool)
        yield LangGraphAgent(
            graph=servers.graph(shape), context=context, system_prompt=system, sessions=sessions, max_turns=max_turns
        )


async def play_langgraph(
    model: BaseChatModel,
    view: TaskView,
    *,
    servers: LangGraphServers | None = None,
    transport: Transport = "inprocess",
    connections: Sequence[Connection] | None = None,
    shape: Shape = "loop",
    max_turns: int = 40,
    errlog: TextIO | None = None,
    log: EpisodeLog | None = None,
) -> EpisodeLog:
    """Play one episode with a LangGraph agent; returns its log (grade it with
    :func:`~healthgym.agents.episode.grade_episode`).

    Args:
        servers: the run's sessions; without them, sessions to ``connections`` (default: the task's domain server
            over ``transport``) are opened for this episode alone.
    """
    if servers is None:
        async with open_langgraph_servers(
            connections or domain_connections(view.domain, transport), errlog=errlog
        ) as servers:
            return await play_langgraph(model, view, servers=servers, shape=shape, max_turns=max_turns, log=log)
    if connections is not None:
        raise ValueError("pass either the run's servers or connections to open, not both")
    async with open_langgraph_agent(model, view, servers, shape=shape, max_turns=max_turns, log=log) as agent:
        await agent.run(view.prompt)
    return agent.log
