"""Knowledge base on PostgreSQL + pgvector: ingestion, embedders, dense/lexical/hybrid search, corpus loaders.

```python
from healthgym.mcp_servers.kb import KnowledgeBase

kb = KnowledgeBase()                      # embedded Postgres, or $HEALTHGYM_DATABASE_URL
kb.search("warfarin amiodarone", k=5)     # hybrid by default; mode="dense" | "lexical"
```

Servers get it through ``register_knowledge`` (tool ``search_knowledge`` and resources ``kb://{corpus}/{id}``), which
answers from the built-in BM25 index of the default corpus (``builtin.py``) when no database is configured; people
through ``healthgym kb`` (``build | ingest FORMAT PATH | embed CORPUS | search QUERY | stats | status | stop | drop
CORPUS``). The embedded server's lifecycle is in ``embedded.py``. See ``docs/knowledge_base.md`` and
``docs/security.md``.
"""

from healthgym.mcp_servers.kb.chunking import Chunker
from healthgym.mcp_servers.kb.embedders import Embedder, get_embedder
from healthgym.mcp_servers.kb.errors import (
    CorpusNotFoundError,
    EmbedderMismatchError,
    KBError,
    KBNotBuiltError,
    KBUnavailableError,
    QueryError,
    SettingsError,
)
from healthgym.mcp_servers.kb.ingest import IngestReport
from healthgym.mcp_servers.kb.loaders import FORMATS, load_documents
from healthgym.mcp_servers.kb.passages import Document, chunk_documents, passage_id
from healthgym.mcp_servers.kb.settings import KBSettings
from healthgym.mcp_servers.kb.store import CorpusInfo, KnowledgeBase, SearchMode
from healthgym.mcp_servers.kb.tools import register_knowledge

__all__ = [
    "FORMATS",
    "Chunker",
    "CorpusInfo",
    "CorpusNotFoundError",
    "Document",
    "Embedder",
    "EmbedderMismatchError",
    "IngestReport",
    "KBError",
    "KBNotBuiltError",
    "KBSettings",
    "KBUnavailableError",
    "KnowledgeBase",
    "QueryError",
    "SearchMode",
    "SettingsError",
    "chunk_documents",
    "get_embedder",
    "load_documents",
    "passage_id",
    "register_knowledge",
]
