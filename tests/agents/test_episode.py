"""The episode log: results matched to the model's calls, refusals kept as invalid calls, grading as in the env."""

import json

import pytest

from healthgym.agents.episode import EpisodeLog, calling, grade_episode
from healthgym.agents.reference import play_reference
from healthgym.mcp_servers.domain import TaskView, tasks
from healthgym.mcp_servers.domains import get_domain
from healthgym.rl.env import HealthGymEnv
from healthgym.schemas import ToolCall, ToolResult


def _ok(name: str, **structured) -> ToolResult:
    return ToolResult(name=name, text=json.dumps(structured), structured=structured)


def test_results_find_their_call_and_refusals_stay_invalid(tiny_domain: str) -> None:
    task = tasks(get_domain(tiny_domain), "test")[0]
    log = EpisodeLog(TaskView.of(task))
    log.open_turn(
        "two calls",
        [
            ToolCall(name="get_labs", arguments={"patient_id": task.case_ref}, id="a"),
            ToolCall(name="nope", arguments={}, id="b"),
        ],
    )
    log.reject("b", "Unknown tool: 'nope'")
    with calling("a"):
        log.record("get_labs", {"patient_id": task.case_ref}, _ok("get_labs", potassium_mmol_l=4.0))
    log.record("get_labs", {"patient_id": "x"}, _ok("get_labs"))  # no model call asked for it: a turn of its own
    log.note("assessment")
    log.open_turn(
        "submit",
        [
            ToolCall(name="submit_answer", arguments={"answer": 4.0}, id="c"),
            ToolCall(name="get_labs", arguments={}, id="d"),
        ],
    )
    with calling("c"):
        log.record("submit_answer", {"answer": 4.0}, _ok("submit_answer", answer=4.0))
    turns = log.turns()
    assert [[c.name for c in t.tool_calls] for t in turns] == [["get_labs", "nope"], ["get_labs"], ["submit_answer"]]
    assert [r.is_error for r in turns[0].tool_results] == [False, True]
    assert turns[0].tool_results[1].text == "Unknown tool: 'nope'"
    assert turns[2].assistant == "assessment\n\nsubmit"  # the note is the next turn's reasoning
    assert log.submitted == {"answer": 4.0}


def test_grading_matches_the_env(tiny_domain: str) -> None:
    """The same calls graded from the log and by the env give the same trajectory scores."""
    env = HealthGymEnv(tiny_domain)
    for task in tasks(get_domain(tiny_domain), "test")[:3]:
        reference = play_reference(env, task.id).model_copy(deep=True)
        log = EpisodeLog(TaskView.of(task))
        for i, turn in enumerate(reference.turns):
            call = turn.tool_calls[0].model_copy(update={"id": str(i)})
            log.open_turn(turn.assistant, [call])
            with calling(str(i)):
                log.record(call.name, call.arguments, turn.tool_results[0])
        graded = grade_episode(task, log)
        assert graded.grade == reference.grade
        assert graded.reward == reference.reward
        assert {k: graded.metrics[k] for k in reference.metrics} == reference.metrics


def test_a_log_grades_only_its_own_task(tiny_domain: str) -> None:
    first, second = tasks(get_domain(tiny_domain), "test")[:2]
    with pytest.raises(ValueError, match="the log is of task"):
        grade_episode(second, EpisodeLog(TaskView.of(first)))


def test_structured_content_is_still_checked_against_the_output_schema() -> None:
    """RecordingSession compiles each output schema once; a result that does not match it is still refused."""
    import anyio
    from mcp.shared.memory import create_client_server_memory_streams
    from mcp.types import CallToolResult, TextContent

    from healthgym.agents.episode import RecordingSession

    schema = {"type": "object", "properties": {"k": {"type": "number"}}, "required": ["k"]}

    async def check(structured: dict) -> None:
        async with create_client_server_memory_streams() as ((read, write), _):
            session = RecordingSession(read, write)
            session._tool_output_schemas["labs"] = schema
            result = CallToolResult(content=[TextContent(type="text", text="")], structuredContent=structured)
            await session._validate_tool_result("labs", result)

    anyio.run(check, {"k": 4.2})
    anyio.run(check, {"k": 5})
    with pytest.raises(RuntimeError, match="Invalid structured content returned by tool labs"):
        anyio.run(check, {"k": "high"})


def test_a_session_refuses_calls_of_no_open_episode(tiny_domain: str) -> None:
    """A run's session carries only calls tagged with an episode open on it: an untagged call would write into the
    server's scratch state, which every untagged call shares, and a closed episode's log is final."""
    import anyio

    from healthgym.agents.connections import Connection, open_session
    from healthgym.agents.episode import RecordingSession

    task = tasks(get_domain(tiny_domain), "test")[0]
    log = EpisodeLog(TaskView.of(task))

    async def main() -> None:
        async with open_session(Connection(tiny_domain), RecordingSession) as session:
            with pytest.raises(RuntimeError, match="tagged with no open episode"):
                await session.call_tool("get_labs", {"patient_id": task.case_ref})
            with session.episode(log) as episode:
                assert not (await episode.call_tool("get_labs", {"patient_id": task.case_ref})).isError
                with pytest.raises(ValueError, match="already open"), session.episode(log):
                    pass
            with pytest.raises(RuntimeError, match="tagged with no open episode"):
                await session.call_tool("get_labs", {"patient_id": task.case_ref}, meta=log.meta)

    anyio.run(main)
    assert [c.name for c in grade_episode(task, log).tool_calls] == ["get_labs"]
    assert EpisodeLog(TaskView.of(task)).episode_id != log.episode_id  # the same task played again: a new episode
