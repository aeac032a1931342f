"""The knowledge base on every domain's MCP server: the ``search_knowledge`` tool and ``kb://`` passage resources.

Registration touches no database and reads no setting: the store is opened on the first call (servers are built in
tests and by clients that never search), and a bad setting becomes that call's error instead of stopping the server.

Who answers (``KnowledgeSource``): the PostgreSQL store when one is configured (``HEALTHGYM_DATABASE_URL``, or an
embedded database that ``healthgym kb build``/``ingest`` created) and holds a corpus; otherwise the built-in BM25
index of the default corpus (``builtin.py``), so the tool answers in a core-only install and before any build. Each
result says which backend answered, and why when a configured database could not.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from functools import cache
from typing import Annotated, Literal, TypeVar

import anyio.to_thread
from mcp.server.fastmcp import FastMCP
from mcp.server.fastmcp.exceptions import ResourceError, ToolError
from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field

from healthgym.mcp_servers.kb.builtin import BuiltinIndex, builtin_index, check_mode
from healthgym.mcp_servers.kb.errors import KBError, KBNotBuiltError, KBUnavailableError
from healthgym.mcp_servers.kb.passages import document_id, licence_of
from healthgym.mcp_servers.kb.search import MAX_QUERY_CHARS
from healthgym.mcp_servers.kb.store import KnowledgeBase
from healthgym.schemas import Passage

__all__ = [
    "KnowledgeHit",
    "KnowledgeResults",
    "KnowledgeSource",
    "knowledge_hit",
    "register_knowledge",
    "shared_knowledge_base",
]

URI_TEMPLATE = "kb://{corpus}/{passage_id}"
RETRY_SECONDS = 60.0
"""After a configured database fails to answer, the built-in index answers for this long before it is tried again."""
Backend = Literal["postgres", "builtin"]
T = TypeVar("T")


class KnowledgeHit(BaseModel):
    """One passage found by ``search_knowledge``; open the whole passage at ``uri``."""

    id: str = Field(description="Passage id (a content hash); cite it, or read the passage at `uri`.")
    document: str = Field(description="Id of the document the passage was cut from (the source's own id if any).")
    corpus: str = Field(description="Corpus the passage belongs to.")
    title: str = Field(description="Title of the document the passage comes from.")
    snippet: str = Field(description="The best-matching words of the passage; query terms are in **bold**.")
    score: float = Field(
        description="Relevance, higher is better: reciprocal-rank fusion (hybrid), cosine similarity (dense) or "
        "BM25 (lexical)."
    )
    uri: str = Field(description="Resource URI of the whole passage: kb://{corpus}/{id}.")
    source: str = Field(description="Where the passage comes from: the reference to cite.")
    licence: str = Field(description="The licence the passage's text is under.")
    domains: list[str] = Field(description="Clinical domains the passage is tagged with.")


class KnowledgeResults(BaseModel):
    """Passages for a query, best first."""

    query: str = Field(description="The query as searched (whitespace collapsed).")
    mode: str = Field(description="Search mode used (the built-in index answers 'hybrid' lexically).")
    backend: Backend = Field(
        description="Who answered: 'postgres' (the knowledge-base database) or 'builtin' (the default corpus "
        "indexed in memory, used when no database is configured or reachable)."
    )
    notice: str = Field(description="Why a configured database did not answer; empty when nothing went wrong.")
    hits: list[KnowledgeHit] = Field(description="Best passages first; empty when nothing matched.")


@cache
def shared_knowledge_base() -> KnowledgeBase:
    """One store handle per process (settings from the environment), shared by every server built in it."""
    return KnowledgeBase()


class KnowledgeSource:
    """Runs each request on the Postgres store when it can answer, else on the built-in index (see the module).

    Args:
        kb: The store; the process-wide ``shared_knowledge_base()`` (settings read on first use) by default.
    """

    def __init__(self, kb: KnowledgeBase | None = None) -> None:
        self._kb = kb
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._down_reason = ""

    def call(
        self, on_store: Callable[[KnowledgeBase], T], on_builtin: Callable[[BuiltinIndex], T]
    ) -> tuple[Backend, str, T]:
        """``(backend, notice, result)``; a bad setting or a bad request raises ``KBError``."""
        store = self._kb or shared_knowledge_base()
        notice = ""
        if store.is_configured():
            with self._lock:
                down, notice = time.monotonic() < self._down_until, self._down_reason
            if not down:
                try:
                    return "postgres", "", on_store(store)
                except KBNotBuiltError:  # a database without any corpus yet
                    notice = ""
                except KBUnavailableError as err:
                    notice = f"the knowledge-base database did not answer ({err}); the built-in index answered"
                    with self._lock:
                        self._down_until, self._down_reason = time.monotonic() + RETRY_SECONDS, notice
        return "builtin", notice, on_builtin(builtin_index())


def knowledge_hit(p: Passage) -> KnowledgeHit:
    """The hit of one passage: its id, document, corpus, title, snippet, score, uri, source, licence and domains."""
    return KnowledgeHit(
        id=p.id,
        document=document_id(p),
        corpus=p.corpus,
        title=p.title,
        snippet=p.snippet or "",
        score=p.score or 0.0,
        uri=f"kb://{p.corpus}/{p.id}",
        source=p.source,
        licence=licence_of(p),
        domains=p.domains,
    )


def register_knowledge(
    server: FastMCP, *, domain: str | None, kb: KnowledgeBase | None = None, search_tool: bool = True
) -> None:
    """Add ``search_knowledge`` and the ``kb://{corpus}/{passage_id}`` resource template to ``server``.

    Args:
        server: Any FastMCP server.
        domain: The server's clinical domain (named in the tool description), or ``None``.
        kb: The store to search (else the built-in index, see the module); the process-wide
            ``shared_knowledge_base()`` by default.
        search_tool: Add the tool; ``False`` for a domain that defines its own ``search_knowledge`` (medical_qa,
            whose tool is tagged and withheld with its tier), which then gets only the resource template.
    """
    from healthgym.mcp_servers.kb.embedded import install_signal_handlers

    install_signal_handlers()  # a server closed by SIGTERM leaves the embedded PostgreSQL it joined
    source = KnowledgeSource(kb)
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
        def on_builtin(index: BuiltinIndex) -> list[Passage]:
            check_mode(mode)
            return index.search(query, k=k, corpus=corpus or None)

        def on_store(kb: KnowledgeBase) -> list[Passage]:
            return kb.search(query, k=k, corpus=corpus or None, mode=mode)

        try:
            backend, notice, passages = await anyio.to_thread.run_sync(source.call, on_store, on_builtin)
        except (KBError, ValueError) as err:
            raise ToolError(str(err)) from None
        return KnowledgeResults(
            query=" ".join(query.split()),
            mode=mode if backend == "postgres" else "lexical",
            backend=backend,
            notice=notice,
            hits=[knowledge_hit(p) for p in passages],
        )

    search_knowledge.__doc__ = (
        "Search the medical knowledge base (drug monographs, interaction notes, condition cards, protocols, score "
        "explanations, and any corpus the user loaded) and return the best passages with ids, titles, snippets and "
        f"scores.{scope} Open a passage in full with its `uri` (resource kb://{{corpus}}/{{passage_id}}) and cite "
        "its id."
    )
    if search_tool:
        server.add_tool(
            search_knowledge,
            annotations=ToolAnnotations(
                title="Search knowledge", readOnlyHint=True, destructiveHint=False, idempotentHint=True,
                openWorldHint=False,
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
            _, _, passage = await anyio.to_thread.run_sync(
                source.call, lambda kb: kb.get(corpus, passage_id), lambda index: index.get(corpus, passage_id)
            )
        except (KBError, KeyError) as err:
            raise ResourceError(str(err.args[0] if err.args else err)) from None
        tags = f"\n\nDomains: {', '.join(passage.domains)}" if passage.domains else ""
        return (
            f"# {passage.title}\n\n{passage.text}\n\nSource: {passage.source or 'unknown'}\n\nLicence: "
            f"{licence_of(passage)}{tags}\n\nid: {passage.id} (document {document_id(passage)})"
        )
