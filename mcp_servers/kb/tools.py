"""The knowledge base on every domain's MCP server: the ``search_knowledge`` tool and ``kb://`` passage resources.

Registration touches no database: the store is opened on the first call (servers are built in tests and by clients
that never search). Until a corpus is loaded, the tool answers with an error telling the user to run
``healthgym kb build``.
"""

from __future__ import annotations

from functools import cache, partial
from typing import Annotated, Literal

import anyio.to_thread
from mcp.server.fastmcp import FastMCP
from mcp.server.fastmcp.exceptions import ResourceError, ToolError
from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field

from healthgym.mcp_servers.kb.errors import KBError
from healthgym.mcp_servers.kb.search import MAX_QUERY_CHARS
from healthgym.mcp_servers.kb.store import KnowledgeBase

__all__ = ["KnowledgeHit", "KnowledgeResults", "register_knowledge", "shared_knowledge_base"]

URI_TEMPLATE = "kb://{corpus}/{passage_id}"


class KnowledgeHit(BaseModel):
    """One passage found by ``search_knowledge``; open the whole passage at ``uri``."""

    id: str = Field(description="Passage id (a content hash); cite it, or read the passage at `uri`.")
    corpus: str = Field(description="Corpus the passage belongs to.")
    title: str = Field(description="Title of the document the passage comes from.")
    snippet: str = Field(description="The best-matching words of the passage; query terms are in **bold**.")
    score: float = Field(
        description="Relevance, higher is better: reciprocal-rank fusion (hybrid), cosine similarity (dense) or "
        "BM25 (lexical)."
    )
    uri: str = Field(description="Resource URI of the whole passage: kb://{corpus}/{id}.")
    source: str = Field(description="Where the passage comes from, with its licence.")
    domains: list[str] = Field(description="Clinical domains the passage is tagged with.")


class KnowledgeResults(BaseModel):
    """Passages for a query, best first."""

    query: str = Field(description="The query as searched (whitespace collapsed).")
    mode: str = Field(description="Search mode used.")
    hits: list[KnowledgeHit] = Field(description="Best passages first; empty when nothing matched.")


@cache
def shared_knowledge_base() -> KnowledgeBase:
    """One store handle per process (settings from the environment), shared by every server built in it."""
    return KnowledgeBase()


def register_knowledge(server: FastMCP, *, domain: str | None, kb: KnowledgeBase | None = None) -> None:
    """Add ``search_knowledge`` and the ``kb://{corpus}/{passage_id}`` resource template to ``server``.

    Args:
        server: Any FastMCP server.
        domain: The server's clinical domain (named in the tool description), or ``None``.
        kb: The store to search; the process-wide ``shared_knowledge_base()`` by default.
    """
    store = kb or shared_knowledge_base()
    scope = f" Passages written for the {domain} domain are tagged `{domain}`." if domain else ""

    async def search_knowledge(
        query: Annotated[
            str,
            Field(
                description=f"A medical question or key terms, e.g. 'warfarin amiodarone interaction' "
                f"(at most {MAX_QUERY_CHARS} characters)."
            ),
        ],
        k: Annotated[int, Field(ge=1, le=20, description="How many passages to return.")] = 5,
        corpus: Annotated[
            str, Field(description="Search only this corpus, e.g. 'clinic'; empty searches every corpus.")
        ] = "",
        mode: Annotated[
            Literal["hybrid", "dense", "lexical"],
            Field(
                description="'hybrid' (default, best): meaning and words fused; 'dense': meaning only "
                "(embeddings); 'lexical': exact words only (full text, BM25)."
            ),
        ] = "hybrid",
    ) -> KnowledgeResults:
        try:
            passages = await anyio.to_thread.run_sync(
                partial(store.search, query, k=k, corpus=corpus or None, mode=mode)
            )
        except KBError as err:
            raise ToolError(str(err)) from None
        return KnowledgeResults(
            query=" ".join(query.split()),
            mode=mode,
            hits=[
                KnowledgeHit(
                    id=p.id,
                    corpus=p.corpus,
                    title=p.title,
                    snippet=p.snippet or "",
                    score=p.score or 0.0,
                    uri=f"kb://{p.corpus}/{p.id}",
                    source=p.source,
                    domains=p.domains,
                )
                for p in passages
            ],
        )

    search_knowledge.__doc__ = (
        "Search the medical knowledge base (drug monographs, interaction notes, condition cards, protocols, score "
        "explanations, and any corpus the user loaded) and return the best passages with ids, titles, snippets and "
        f"scores.{scope} Open a passage in full with its `uri` (resource kb://{{corpus}}/{{passage_id}}) and cite "
        "its id."
    )
    server.add_tool(
        search_knowledge,
        annotations=ToolAnnotations(
            title="Search knowledge", readOnlyHint=True, destructiveHint=False, idempotentHint=True, openWorldHint=False
        ),
        structured_output=True,
    )

    @server.resource(
        URI_TEMPLATE,
        name="knowledge_passage",
        mime_type="text/markdown",
        description="One knowledge-base passage in full: title, text, source and domain tags.",
    )
    async def read_passage(corpus: str, passage_id: str) -> str:
        try:
            passage = await anyio.to_thread.run_sync(store.get, corpus, passage_id)
        except (KBError, KeyError) as err:
            raise ResourceError(str(err.args[0] if err.args else err)) from None
        tags = f"\n\nDomains: {', '.join(passage.domains)}" if passage.domains else ""
        return f"# {passage.title}\n\n{passage.text}\n\nSource: {passage.source or 'unknown'}{tags}\n\nid: {passage.id}"
