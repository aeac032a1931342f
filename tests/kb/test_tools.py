"""``search_knowledge`` and ``kb://`` resources as an MCP client sees them, over an in-memory session."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
from mcp import ClientSession
from mcp.server.fastmcp import FastMCP
from mcp.shared.exceptions import McpError
from mcp.shared.memory import create_connected_server_and_client_session
from pydantic import AnyUrl

from healthgym.mcp_servers.kb import KBSettings, KnowledgeBase, register_knowledge


def server_with(kb: KnowledgeBase, domain: str | None = "drug_interaction") -> FastMCP:
    server = FastMCP("kb-test")
    register_knowledge(server, domain=domain, kb=kb)
    return server


def run(server: FastMCP, steps: Any) -> Any:
    async def main() -> Any:
        async with create_connected_server_and_client_session(server._mcp_server) as client:
            return await steps(client)

    return anyio.run(main)


def test_schema_is_flat_described_and_read_only(tmp_path: Path) -> None:
    server = server_with(KnowledgeBase(KBSettings(data_dir=tmp_path)))  # no database anywhere: registration is lazy

    async def steps(client: ClientSession) -> Any:
        return (await client.list_tools()).tools, (await client.list_resource_templates()).resourceTemplates

    tools, templates = run(server, steps)
    (tool,) = tools
    assert tool.name == "search_knowledge" and "drug_interaction" in (tool.description or "")
    assert tool.annotations.readOnlyHint is True and tool.annotations.destructiveHint is False
    props = tool.inputSchema["properties"]
    assert list(props) == ["query", "k", "corpus", "mode"] and tool.inputSchema["required"] == ["query"]
    assert all(p.get("description") for p in props.values())
    assert all("anyOf" not in p and p["type"] in ("string", "integer") for p in props.values())  # flat for verl
    assert props["mode"]["enum"] == ["hybrid", "dense", "lexical"] and (
        props["k"]["minimum"],
        props["k"]["maximum"],
    ) == (1, 20)
    assert "hits" in tool.outputSchema["properties"]
    assert [t.uriTemplate for t in templates] == ["kb://{corpus}/{passage_id}"]


def test_unbuilt_knowledge_base_answers_from_the_builtin_index(tmp_path: Path) -> None:
    server = server_with(KnowledgeBase(KBSettings(data_dir=tmp_path)))

    async def steps(client: ClientSession) -> Any:
        found = await client.call_tool("search_knowledge", {"query": "warfarin amiodarone interaction", "k": 3})
        page = await client.read_resource(AnyUrl(found.structuredContent["hits"][0]["uri"]))
        dense = await client.call_tool("search_knowledge", {"query": "warfarin", "mode": "dense"})
        other = await client.call_tool("search_knowledge", {"query": "warfarin", "corpus": "facts"})
        return found, page, dense, other

    found, page, dense, other = run(server, steps)
    assert not found.isError, found.content[0].text
    result = found.structuredContent
    assert (result["backend"], result["mode"], result["notice"]) == ("builtin", "lexical", "")
    top = result["hits"][0]
    assert top["title"] == "Interaction: warfarin and amiodarone" and top["corpus"] == "clinic"
    assert top["licence"].startswith("Apache-2.0") and top["document"] and top["source"]
    assert "**warfarin**" in top["snippet"].lower()
    assert page.contents[0].text.startswith("# Interaction: warfarin and amiodarone\n")
    assert dense.isError and "healthgym kb build" in dense.content[0].text
    assert other.isError and "unknown corpus 'facts'; available: clinic" in other.content[0].text
    assert not (tmp_path / "postgres").exists()  # searching created no database


def test_search_returns_cited_passages_that_open_as_resources(kb: KnowledgeBase) -> None:
    server = server_with(kb)

    async def steps(client: ClientSession) -> Any:
        found = await client.call_tool(
            "search_knowledge", {"query": "simvastatin clarithromycin", "k": 3, "corpus": "facts"}
        )
        hit = found.structuredContent["hits"][0]
        page = await client.read_resource(AnyUrl(hit["uri"]))
        return found, hit, page

    found, hit, page = run(server, steps)
    assert not found.isError and found.structuredContent["mode"] == "hybrid"
    assert len(found.structuredContent["hits"]) == 3
    assert hit["title"] == "Simvastatin" and hit["uri"] == f"kb://facts/{hit['id']}" and "**" in hit["snippet"]
    assert hit["domains"] == ["drug_interaction"] and hit["score"] > 0
    text = page.contents[0].text
    assert text.startswith("# Simvastatin\n") and "rhabdomyolysis" in text and hit["id"] in text


def test_bad_calls_are_tool_errors_not_crashes(kb: KnowledgeBase) -> None:
    server = server_with(kb, domain=None)

    async def steps(client: ClientSession) -> Any:
        return [
            await client.call_tool("search_knowledge", {"query": "   "}),
            await client.call_tool("search_knowledge", {"query": "x" * 100_000}),
            await client.call_tool("search_knowledge", {"query": "sepsis", "corpus": "nosuch"}),
            await client.call_tool("search_knowledge", {"query": "sepsis", "k": 500}),
            await client.call_tool("search_knowledge", {"query": "'; DROP TABLE kb_corpus; --", "corpus": "facts"}),
        ]

    empty, huge, unknown, too_many, injection = run(server, steps)
    assert empty.isError and "empty" in empty.content[0].text
    assert huge.isError and "limit is 2,000" in huge.content[0].text
    assert unknown.isError and "unknown corpus 'nosuch'; available:" in unknown.content[0].text
    assert too_many.isError and "20" in too_many.content[0].text
    assert not injection.isError
    assert kb.corpus("facts").n_passages == 208


def test_unknown_passage_resource_is_an_error(kb: KnowledgeBase) -> None:
    server = server_with(kb)

    async def steps(client: ClientSession) -> Any:
        try:
            await client.read_resource(AnyUrl("kb://facts/nope"))
        except McpError as err:
            return str(err)
        return "no error"

    assert "no passage 'nope' in corpus 'facts'" in run(server, steps)
