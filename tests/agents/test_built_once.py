"""A run builds its agents once: LangGraph converts the servers' tools and compiles each shape's graph on the run's
first episode, pydantic-ai builds one ``Agent`` per answer shape; every later episode, of either tier and played
concurrently, reuses them and still reaches the reference clinician's score (issue 16, target 4). Counted, not timed."""

import anyio
import langchain_mcp_adapters.tools
import pytest
from langgraph.graph import StateGraph

from healthgym.agents import pydantic_agent
from healthgym.agents.connections import Connection
from healthgym.agents.langgraph_agent import open_langgraph_servers
from healthgym.agents.pydantic_agent import answer_model, open_pydantic_servers
from healthgym.mcp_servers.domain import tasks
from healthgym.mcp_servers.domains import get_domain
from tests.agents.test_agents import play_episode

DOMAIN = "drug_interaction"


def chosen() -> list:
    """Both tiers, with answer shapes that repeat (the first test tasks of each tier)."""
    spec = get_domain(DOMAIN)
    return tasks(spec, "test", 4, tier="assisted") + tasks(spec, "test", 4, tier="unassisted")


def play_all(agent: str, open_servers) -> list:
    async def main() -> list:
        played = []

        async def one(task) -> None:
            played.append(await play_episode(agent, task, servers))

        # every episode at once, over the same built agent
        async with open_servers([Connection(DOMAIN, "inprocess")]) as servers, anyio.create_task_group() as tg:
            for task in chosen():
                tg.start_soon(one, task)
        return played

    return anyio.run(main)


@pytest.mark.parametrize("agent", ["langgraph-loop", "langgraph-workflow"])
def test_langgraph_compiles_once_and_converts_tools_once(agent, monkeypatch):
    compiled, converted = [], []
    compile_graph = StateGraph.compile
    convert = langchain_mcp_adapters.tools.convert_mcp_tool_to_langchain_tool

    def counting_compile(self, *args, **kwargs):
        compiled.append(self)
        return compile_graph(self, *args, **kwargs)

    def counting_convert(session, tool, **kwargs):
        converted.append(tool.name)
        return convert(session, tool, **kwargs)

    monkeypatch.setattr(StateGraph, "compile", counting_compile)
    monkeypatch.setattr(langchain_mcp_adapters.tools, "convert_mcp_tool_to_langchain_tool", counting_convert)
    played = play_all(agent, open_langgraph_servers)

    assert len(played) == 8
    assert [t.grade.score for t in played] == [1.0] * 8
    assert len(compiled) == 1
    assert len(converted) == len(set(converted))  # each listed tool once, for all 8 episodes
    assert {f.__name__ for f in get_domain(DOMAIN).tools} <= set(converted)


def test_pydantic_builds_one_agent_per_answer_shape(monkeypatch):
    built = []

    class CountingAgent(pydantic_agent.Agent):
        def __init__(self, *args, **kwargs):
            built.append(kwargs["output_type"])
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(pydantic_agent, "Agent", CountingAgent)
    played = play_all("pydantic-ai", open_pydantic_servers)

    shapes = {answer_model(t.answer) for t in chosen()}
    assert len(played) == 8
    assert [t.grade.score for t in played] == [1.0] * 8
    assert len(built) == len(shapes) < len(played)


def test_answer_models_are_shared_by_shape():
    by_shape: dict = {}
    for task in chosen():
        by_shape.setdefault(tuple(pydantic_agent._shape(task.answer).items()), []).append(task)
    assert any(len(group) > 1 for group in by_shape.values())
    models = [{answer_model(t.answer) for t in group} for group in by_shape.values()]
    assert all(len(m) == 1 for m in models)  # tasks of one shape share one model
    assert len(set().union(*models)) == len(by_shape)  # other shapes (options, units, fields) get their own


def test_pydantic_lists_tools_once_and_leaves_results_unparsed(monkeypatch):
    """The run's toolsets build their tool definitions once, not before every model request, and no result goes
    through a TypeAdapter built from its output schema (pydantic-ai reads the structured content as sent)."""
    import fastmcp.client.mixins.tools as fastmcp_tools
    from pydantic_ai.mcp import MCPToolset

    listings, adapters = [], []
    get_tools = MCPToolset.get_tools
    to_adapter = fastmcp_tools.json_schema_to_type_adapter

    async def counting_get_tools(self, ctx):
        listings.append(self.id)
        return await get_tools(self, ctx)

    def counting_adapter(schema, *args, **kwargs):
        adapters.append(schema)
        return to_adapter(schema, *args, **kwargs)

    monkeypatch.setattr(MCPToolset, "get_tools", counting_get_tools)
    monkeypatch.setattr(fastmcp_tools, "json_schema_to_type_adapter", counting_adapter)
    played = play_all("pydantic-ai", open_pydantic_servers)

    turns = sum(len(t.turns) for t in played)
    assert [t.grade.score for t in played] == [1.0] * 8
    assert turns > 2 * len(played)
    assert 1 <= len(listings) <= len(played)  # episodes starting together may each build them; no turn does
    assert adapters == []
