"""What can go wrong in the knowledge base, named by what the caller should do about it.

```
KBError
├── KBNotBuiltError        run `healthgym kb build` (or ingest a corpus) first
├── KBUnavailableError     the database cannot be reached or the `kb` extra is missing
├── CorpusNotFoundError    the corpus name is wrong: the message lists the known ones
├── EmbedderMismatchError  the corpus was embedded with another model or dimension
├── QueryError             the query itself is unusable (empty, too long, not UTF-8)
└── SettingsError          a HEALTHGYM_* setting is malformed: the message names it and its allowed values
```
"""

from __future__ import annotations

__all__ = [
    "CorpusNotFoundError",
    "EmbedderMismatchError",
    "KBError",
    "KBNotBuiltError",
    "KBUnavailableError",
    "QueryError",
    "SettingsError",
]


class KBError(Exception):
    """Base of every knowledge-base error; the message is written for the person or agent who hits it."""


class KBNotBuiltError(KBError):
    """No corpus has been loaded yet: run `healthgym kb build` (default corpus) or `healthgym kb ingest`."""


class KBUnavailableError(KBError):
    """The store cannot be used: the `kb` extra is not installed or the database refused the connection."""


class CorpusNotFoundError(KBError):
    """The requested corpus does not exist."""


class EmbedderMismatchError(KBError):
    """A corpus is tied to the embedder that built it; vectors of another model or dimension are refused."""


class QueryError(KBError, ValueError):
    """A query that cannot be searched: empty, too long, or not valid UTF-8."""


class SettingsError(KBError, ValueError):
    """A knowledge-base setting is malformed; raised on first use, so servers still start and the tool reports it."""
