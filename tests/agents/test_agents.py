"""LangGraph and pydantic-ai agents driven by scripted models over every transport: the reference clinician's score,
one MCP session per server per run shared by its episodes (concurrent ones too) with each episode's writes its own,
refusals and turn limits logged as the env would."""

from collections.abc import Callable, Sequence

import anyio
import pytest
from mcp.server.session import ServerSession

from healthgym.agents.connections import Connection, local_http_servers
from healthgym.agents.episode import RecordingSession, grade_episode
from healthgym.agents.langgraph_agent import open_langgraph_servers, play_langgraph
from healthgym.agents.pydantic_agent import answer_model, open_pydantic_servers, play_pydantic
from healthgym.agents.reference import play_reference
from healthgym.agents.scripted import ScriptedChatModel, ScriptedPolicy, scripted_function_model
from healthgym.mcp_servers.domain import Solver, TaskView, tasks
from healthgym.mcp_servers.domains import get_domain
from healthgym.rl.env import HealthGymEnv
from healthgym.schemas import FieldsAnswer, Task, ToolCall, Trajectory
from tests.agents.conftest import tiny_stdio

AGENTS = ["langgraph-loop", "langgraph-workflow", "pydantic-ai"]
TRANSPORTS = ["inprocess", "stdio", "http"]
DOMAINS = ["tiny", "drug_interaction", "triage_emergency"]


async def play_episode(
    agent: str, task: Task, servers, solver: Solver | None = None, max_turns: int = 40
) -> Trajectory:
    """One episode over the run's servers, the script (default: the domain's reference solver) as the model."""
    view = TaskView.of(task)
    policy = ScriptedPolicy(solver or get_domain(task.domain).solve(view))
    if agent == "pydantic-ai":
        log = await play_pydantic(
            scripted_function_model(policy),
            view,
            servers=servers,
            output_type=answer_model(task.answer),
            max_turns=max_turns,
        )
    else:
        log = await play_langgraph(
            ScriptedChatModel(policy=policy),
            view,
            servers=servers,
            shape=agent.removeprefix("langgraph-"),
            max_turns=max_turns,
        )
    return grade_episode(task, log)


def play_run(
    agent: str,
    connection: Connection,
    episodes: Sequence[tuple[Task, Solver | None]],
    *,
    concurrency: int = 1,
    max_turns: int = 40,
) -> list[Trajectory]:
    """The episodes played in one run, as ``healthgym eval`` plays them: the server's session opened once and
    shared, ``concurrency`` episodes at a time."""
    open_servers = open_pydantic_servers if agent == "pydantic-ai" else open_langgraph_servers
    played: list[Trajectory | None] = [None] * len(episodes)

    async def main() -> None:
        limiter = anyio.CapacityLimiter(concurrency)

        async def one(i: int, task: Task, solver: Solver | None) -> None:
            async with limiter:
                played[i] = await play_episode(agent, task, servers, solver, max_turns)

        async with open_servers([connection]) as servers, anyio.create_task_group() as tg:
            for i, (task, solver) in enumerate(episodes):
                tg.start_soon(one, i, task, solver)

    anyio.run(main)
    return played


def play(
    agent: str, task: Task, connection: Connection, solver: Solver | None = None, max_turns: int = 40
) -> Trajectory:
    return play_run(agent, connection, [(task, solver)], max_turns=max_turns)[0]


@pytest.fixture
def sessions(monkeypatch) -> tuple[list, list]:
    """The client sessions initialized and the server sessions created (in this process) during the test."""
    client_sessions, server_sessions = [], []
    initialize = RecordingSession.initialize
    server_init = ServerSession.__init__

    async def counting_initialize(self):
        client_sessions.append(self)
        return await initialize(self)

    def counting_server_init(self, *args, **kwargs):
        server_sessions.append(self)
        server_init(self, *args, **kwargs)

    monkeypatch.setattr(RecordingSession, "initialize", counting_initialize)
    monkeypatch.setattr(ServerSession, "__init__", counting_server_init)
    return client_sessions, server_sessions


@pytest.fixture
def domain(request, tiny_domain: str) -> str:
    """The domain under test (the tiny one is registered for every test, real ones come from the registry)."""
    return request.param


@pytest.fixture
def connect(domain: str, request) -> Callable[[], Connection]:
    """A factory of connections to ``domain`` over the transport in ``request.param``."""
    transport = request.param
    if transport == "http":
        with local_http_servers([domain]) as servers:
            yield lambda: servers[domain]
    elif transport == "stdio":
        yield tiny_stdio if domain == "tiny" else (lambda: Connection(domain, "stdio"))
    else:
        yield lambda: Connection(domain)


def _spread(domain: str, n: int) -> list[Task]:
    """``n`` test tasks spread over the split, so that different task kinds are played."""
    pool = tasks(get_domain(domain), "test")
    return [pool[i * len(pool) // n] for i in range(n)]


@pytest.mark.parametrize("connect", TRANSPORTS, indirect=True)
@pytest.mark.parametrize("domain", DOMAINS, indirect=True)
@pytest.mark.parametrize("agent", AGENTS)
def test_scripted_agent_reaches_the_reference_score(agent: str, domain: str, connect, sessions) -> None:
    connection = connect()
    env = HealthGymEnv(domain, max_turns=40)
    chosen = _spread(domain, {"inprocess": 12, "http": 4, "stdio": 2}[connection.transport])
    played = play_run(agent, connection, [(task, None) for task in chosen])
    for task, got in zip(chosen, played, strict=True):
        reference = play_reference(env, task.id)
        assert got.error is None and not got.truncated
        assert got.grade == reference.grade, task.id
        assert got.reward.total == pytest.approx(reference.reward.total), (task.id, got.reward.why)
    client_sessions, _ = sessions
    assert len(client_sessions) == 1  # one session for the run, however many episodes and calls it had


@pytest.mark.parametrize("domain", ["tiny"], indirect=True)
@pytest.mark.parametrize("connect", TRANSPORTS, indirect=True)
@pytest.mark.parametrize("concurrency", [1, 2])
@pytest.mark.parametrize("agent", AGENTS)
def test_one_session_per_server_per_run(agent: str, concurrency: int, connect, domain: str, sessions) -> None:
    connection = connect()

    def chatty(view: TaskView) -> Solver:  # four reads, then the answer: five calls per episode
        for _ in range(4):
            labs = yield ToolCall(name="get_labs", arguments={"patient_id": view.case_ref})
        yield ToolCall(name="submit_answer", arguments={"answer": labs["potassium_mmol_l"]})

    chosen = tasks(get_domain(domain), "test")[:3]
    played = play_run(agent, connection, [(t, chatty(TaskView.of(t))) for t in chosen], concurrency=concurrency)
    assert [(t.grade.correct, t.metrics["tool_calls"]) for t in played] == [(True, 5)] * 3
    client_sessions, server_sessions = sessions
    assert len(client_sessions) == 1
    if connection.transport != "stdio":  # a stdio server runs in its own process: one, for the one client session
        assert len(server_sessions) == 1


@pytest.mark.parametrize("domain", ["tiny"], indirect=True)
@pytest.mark.parametrize("connect", TRANSPORTS, indirect=True)
@pytest.mark.parametrize("agent", AGENTS)
def test_episodes_sharing_a_session_see_only_their_own_writes(agent: str, connect, domain: str) -> None:
    """Two concurrent episodes of the same task on one session each write a note, read it back and submit: each
    sees its own note alone, and each one's first submission is accepted."""
    task = tasks(get_domain(domain), "test")[0]
    seen: dict[str, list[list[str]]] = {"A": [], "B": []}
    steps: list[str] = []

    def noting(name: str) -> Solver:
        steps.append(name)
        yield ToolCall(name="write_note", arguments={"text": f"note of {name}"})
        for _ in range(3):
            steps.append(name)
            labs = yield ToolCall(name="get_labs", arguments={"patient_id": task.case_ref})
            seen[name].append(labs["notes"])
        steps.append(name)
        yield ToolCall(name="submit_answer", arguments={"answer": labs["potassium_mmol_l"]})

    played = play_run(agent, connect(), [(task, noting("A")), (task, noting("B"))], concurrency=2)
    assert seen == {"A": [["note of A"]] * 3, "B": [["note of B"]] * 3}
    assert all(t.grade.correct and t.metrics["invalid_calls"] == 0 for t in played)
    last = {name: len(steps) - 1 - steps[::-1].index(name) for name in seen}
    assert steps.index("A") < last["B"] and steps.index("B") < last["A"]  # the episodes overlapped


@pytest.mark.parametrize("agent", AGENTS)
def test_invalid_calls_are_logged_and_the_episode_goes_on(agent: str, tiny_domain: str) -> None:
    task = tasks(get_domain(tiny_domain), "test")[0]

    def clumsy(view: TaskView) -> Solver:
        missing = yield ToolCall(name="get_labs", arguments={"patient_id": "nobody"})
        assert "error" in missing
        bad = yield ToolCall(name="get_labs", arguments={"patient_id": 7})
        assert "error" in bad
        labs = yield ToolCall(name="get_labs", arguments={"patient_id": view.case_ref})
        yield ToolCall(name="submit_answer", arguments={"answer": labs["potassium_mmol_l"]})

    trajectory = play(agent, task, Connection(tiny_domain), clumsy(TaskView.of(task)))
    assert trajectory.grade.correct
    assert trajectory.metrics["invalid_calls"] == 2
    assert trajectory.reward.format < 1.0


@pytest.mark.parametrize("agent", AGENTS)
def test_turn_limit_truncates(agent: str, tiny_domain: str) -> None:
    task = tasks(get_domain(tiny_domain), "test")[0]

    def forever(view: TaskView) -> Solver:
        while True:
            yield ToolCall(name="get_labs", arguments={"patient_id": view.case_ref})

    trajectory = play(agent, task, Connection(tiny_domain), forever(TaskView.of(task)), max_turns=3)
    assert trajectory.truncated and trajectory.submitted is None
    assert trajectory.grade.score == 0.0
    assert 1 <= trajectory.metrics["tool_calls"] <= 3


def test_workflow_runs_no_write_while_gathering(tiny_domain: str) -> None:
    """A model that calls a writing tool in the gather step (where only reads are offered) is refused: writes
    reach the server only after the safety check."""

    class Reckless(ScriptedChatModel):
        def bind_tools(self, tools, **kwargs):
            return self.model_copy(update={"bound": ("get_labs", "write_note", "submit_answer")})

    task = tasks(get_domain(tiny_domain), "test")[0]
    view = TaskView.of(task)

    def hasty(view: TaskView) -> Solver:
        refused = yield ToolCall(name="submit_answer", arguments={"answer": 1.0})
        assert "after the safety check" in refused["error"]

    model = Reckless(policy=ScriptedPolicy(hasty(view)))
    trajectory = grade_episode(task, anyio.run(lambda: play_langgraph(model, view, shape="workflow", max_turns=4)))
    assert trajectory.submitted is None and trajectory.truncated
    assert [c.name for c in trajectory.tool_calls] == ["submit_answer"]
    assert trajectory.metrics["invalid_calls"] == 1


@pytest.mark.parametrize(
    ("domain", "field", "asked"), [("drug_interaction", "prescribed", False), ("obstetrics", "case_id", True)]
)
def test_pydantic_answers_as_the_submit_tool_takes_them(domain: str, field: str, asked: bool):
    """The typed answer follows the submit tool: drug_interaction's prescribing tasks grade ``prescribed`` on the
    prescriptions written and its submit tool takes no such argument, so the answer leaves it out; obstetrics'
    submit tool requires the ``case_id`` no answer field holds, so the answer asks for it. Either way the scripted
    submit is accepted."""
    from healthgym.agents.pydantic_agent import _submittable

    spec = get_domain(domain)
    task = (
        next(t for t in tasks(spec, "test") if isinstance(t.answer, FieldsAnswer) and field in t.answer.fields)
        if not asked
        else tasks(spec, "test", 1)[0]
    )
    submit = next(f for f in spec.tools if f.__name__ == spec.submit_tool)
    assert (field in _submittable(answer_model(task.answer), submit).model_fields) == asked
    (trajectory,) = play_run("pydantic-ai", Connection(domain, "inprocess"), [(task, None)])
    assert trajectory.submitted is not None
    assert trajectory.grade.score == 1.0
