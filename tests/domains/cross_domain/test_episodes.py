"""cross_domain episodes over several servers: one MCP session per server for a whole run through the LangGraph
agent over stdio, the union of tools with clashing names namespaced, and every phase's writes visible later."""

from __future__ import annotations

import anyio
import pytest

from healthgym.agents.connections import domain_connections
from healthgym.agents.episode import RecordingSession, grade_episode
from healthgym.agents.langgraph_agent import open_langgraph_servers, play_langgraph
from healthgym.agents.scripted import ScriptedChatModel, ScriptedPolicy
from healthgym.mcp_servers.domain import DomainSpec, TaskView, tasks
from healthgym.mcp_servers.domains import get_domain
from healthgym.mcp_servers.toolset import EpisodeSessions, episode_servers
from healthgym.schemas import Task

SPEC = get_domain("cross_domain")


def _task(pathway: str, tier: str, pred=lambda t: True) -> Task:
    return next(
        t for t in tasks(SPEC, "test") if t.source.generator == f"cross_domain.{pathway}" and t.tier == tier and pred(t)
    )


def test_a_pathway_episode_runs_over_stdio_servers_with_one_session_per_server(monkeypatch) -> None:
    """Three episodes (chest pain assisted, pregnancy unassisted, a penicillin-allergic pneumonia) in one run over
    five stdio server processes: five client sessions, each opened once and used by the episodes that need it."""
    initialized: list[RecordingSession] = []
    initialize = RecordingSession.initialize

    async def counting(self):
        initialized.append(self)
        return await initialize(self)

    monkeypatch.setattr(RecordingSession, "initialize", counting)
    pneumonia = _task(
        "sepsis", "unassisted", lambda t: t.answer.fields["treatment"].value in ("levofloxacin", "doxycycline")
    )
    episodes = [_task("chest_pain", "assisted"), _task("pregnancy_hypertension", "unassisted"), pneumonia]
    played = []

    async def main() -> None:
        async with open_langgraph_servers(domain_connections("cross_domain", "stdio")) as servers:
            assert set(servers.sessions) == set(episode_servers(SPEC))
            for task in episodes:
                view = TaskView.of(task)
                log = await play_langgraph(
                    ScriptedChatModel(policy=ScriptedPolicy(SPEC.solve(view))), view, servers=servers, max_turns=40
                )
                played.append(grade_episode(task, log))

    anyio.run(main)
    assert len(initialized) == len(episode_servers(SPEC)) == 5
    assert [t.grade.correct for t in played] == [True, True, True], [t.grade.why for t in played]
    assert all(t.reward.safety == 0 for t in played)
    names = [[c.name for c in t.tool_calls] for t in played]
    assert "heart_score" in names[0] and "get_protocol" in names[0] and "recommend_treatment" in names[0]
    assert "get_criteria" in names[1] and "mean_arterial_pressure" not in names[1]  # unassisted: no calculator
    assert "check_interaction" in names[2]


def test_the_episode_tool_list_is_the_union_and_withholds_other_servers_decision_support() -> None:
    session = EpisodeSessions(SPEC)
    names = [t.name for t in session.list_tools()]
    assert len(names) == len(set(names))
    assert {
        "get_chart",
        "submit_pathway",
        "news2",
        "heart_score",
        "check_interaction",
        "get_protocol",
        "get_criteria",
    } <= set(names)
    assert "submit_answer" not in names  # the other servers' writes are not the episode's
    withheld = SPEC.withheld("unassisted")
    assert {"news2", "heart_score", "assess_diagnosis"} <= withheld and "check_interaction" not in withheld


def test_clashing_names_are_namespaced_and_routed_to_their_own_server() -> None:
    """obstetrics and radiology_report both serve ``get_criteria``: an episode using both sees two names."""
    spec = DomainSpec(
        **{
            **{f: getattr(SPEC, f) for f in SPEC.__dataclass_fields__},
            "servers": {"obstetrics": {"get_criteria": "reference"}, "radiology_report": {"get_criteria": "reference"}},
        }
    )
    assert spec.foreign_tools == {
        "obstetrics__get_criteria": ("obstetrics", "get_criteria"),
        "radiology_report__get_criteria": ("radiology_report", "get_criteria"),
    }
    session = EpisodeSessions(spec)
    assert {"obstetrics__get_criteria", "radiology_report__get_criteria"} <= {t.name for t in session.list_tools()}
    obstetric = session.call_tool("obstetrics__get_criteria", {"system": "hypertension"})
    radiology = session.call_tool("radiology_report__get_criteria", {"system": "fleischner"})
    assert not obstetric.is_error and not radiology.is_error, (obstetric.text[:200], radiology.text[:200])
    assert obstetric.name == "obstetrics__get_criteria" and obstetric.structured != radiology.structured
    unknown = session.call_tool("get_criteria", {"system": "hypertension"})
    assert unknown.is_error and "obstetrics__get_criteria" in unknown.text


def test_a_declared_tool_the_server_does_not_serve_is_an_error() -> None:
    spec = DomainSpec(
        **{
            **{f: getattr(SPEC, f) for f in SPEC.__dataclass_fields__},
            "servers": {"calculators": {"no_such_score": "decision_support"}},
        }
    )
    with pytest.raises(ValueError, match="calculators.no_such_score"):
        EpisodeSessions(spec)


def test_later_phases_see_earlier_writes() -> None:
    task = _task("stroke", "assisted")
    session = EpisodeSessions(SPEC)
    cid = task.case_ref
    before = session.call_tool("get_results", {"case_id": cid}).structured
    assert before["results"] == {} and "ct_head" in before["not_ordered"]
    assert session.call_tool("assess_diagnosis", {"case_id": cid}).structured["value"] is None
    for test in ("capillary_glucose", "ct_head", "ct_angiogram", "coagulation"):
        session.call_tool("order_investigation", {"case_id": cid, "test": test})
    after = session.call_tool("get_results", {"case_id": cid}).structured
    assert set(after["results"]) == {"capillary_glucose", "ct_head", "ct_angiogram", "coagulation"}
    assert (
        session.call_tool("assess_diagnosis", {"case_id": cid}).structured["value"]
        == task.answer.fields["diagnosis"].value
    )
    session.call_tool("start_treatment", {"case_id": cid, "treatment": task.answer.fields["treatment"].value})
    summary = session.call_tool("get_episode_summary", {"case_id": cid}).structured
    assert summary["treatments"] == [task.answer.fields["treatment"].value] and len(summary["ordered"]) == 4


def test_submit_refuses_a_treatment_the_episode_did_not_start() -> None:
    task = _task("dka", "assisted")
    session = EpisodeSessions(SPEC)
    gold = {name: ref.value for name, ref in task.answer.fields.items()}
    out = session.call_tool("submit_pathway", {"case_id": task.case_ref, **gold})
    assert out.is_error and "treatment" in out.text and "start_treatment" in out.text
    assert session.state.submitted is None


def test_the_pydantic_agent_plays_a_pathway_over_one_toolset_per_server() -> None:
    from healthgym.agents.pydantic_agent import answer_model, open_pydantic_servers, play_pydantic
    from healthgym.agents.scripted import scripted_function_model

    episodes = [_task("upper_gi_bleed", "assisted"), _task("stroke", "unassisted")]
    played = []

    async def main() -> None:
        async with open_pydantic_servers(domain_connections("cross_domain")) as servers:
            assert set(servers.toolsets) == set(episode_servers(SPEC))
            for task in episodes:
                view = TaskView.of(task)
                model = scripted_function_model(ScriptedPolicy(SPEC.solve(view)))
                log = await play_pydantic(model, view, servers=servers, output_type=answer_model(task.answer))
                played.append(grade_episode(task, log))

    anyio.run(main)
    assert [t.grade.correct for t in played] == [True, True], [t.grade.why for t in played]
    assert "glasgow_blatchford" in [c.name for c in played[0].tool_calls]
