"""``healthgym kb`` commands, run in-process against the session's store."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from healthgym.mcp_servers.kb import KnowledgeBase
from healthgym.mcp_servers.kb.cli import kb_app

runner = CliRunner()


def test_ingest_search_stats_drop(env_data_dir: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "gout.md").write_text("# Gout flare\nColchicine within 12 hours of onset; avoid in severe CKD.\n")
    (notes / "rows.jsonl").write_text(json.dumps({"title": "Lithium", "text": "Thiazides raise lithium levels."}))

    first = runner.invoke(
        kb_app,
        ["ingest", "folder", str(notes), "--corpus", "notes", "--embedder", "lexical", "--domain", "rheumatology"],
    )
    assert first.exit_code == 0, first.output
    assert "2 passages added, 0 already stored" in first.output
    again = runner.invoke(kb_app, ["ingest", "folder", str(notes), "--corpus", "notes", "--embedder", "lexical"])
    assert "0 passages added, 2 already stored" in again.output

    found = runner.invoke(kb_app, ["search", "colchicine gout", "--corpus", "notes", "--json"])
    hits = json.loads(found.stdout)
    assert hits[0]["title"] == "Gout flare" and hits[0]["domains"] == ["rheumatology"] and "text" not in hits[0]
    table = runner.invoke(kb_app, ["search", "thiazide lithium", "--corpus", "notes", "-k", "1"])
    assert "1. Lithium" in table.stdout and "kb://notes/" in table.stdout

    stats = json.loads(runner.invoke(kb_app, ["stats", "--json"]).stdout)
    notes_stats = next(c for c in stats["corpora"] if c["name"] == "notes")
    assert (notes_stats["passages"], notes_stats["embedder"], notes_stats["status"]) == (2, "lexical", "ready")
    assert "notes" in runner.invoke(kb_app, ["stats"]).stdout

    dropped = runner.invoke(kb_app, ["drop", "notes", "--yes"])
    assert dropped.exit_code == 0 and "dropped notes: 2 passages" in dropped.output
    assert "notes" not in [c["name"] for c in json.loads(runner.invoke(kb_app, ["stats", "--json"]).stdout)["corpora"]]


def test_errors_exit_nonzero_with_a_message(kb: KnowledgeBase, env_data_dir: Path, tmp_path: Path) -> None:
    bad_format = runner.invoke(kb_app, ["ingest", "pdf", str(tmp_path)])
    assert bad_format.exit_code == 1 and "use one of: folder, medquad" in bad_format.output
    missing = runner.invoke(kb_app, ["ingest", "folder", str(tmp_path / "nope"), "--embedder", "lexical"])
    assert missing.exit_code == 1 and "does not exist" in missing.output
    empty = runner.invoke(kb_app, ["search", " "])
    assert empty.exit_code == 1 and "empty" in empty.output
    unknown = runner.invoke(kb_app, ["drop", "nosuch", "--yes"])
    assert unknown.exit_code == 1 and "unknown corpus 'nosuch'" in unknown.output


def test_build_loads_the_default_corpus(env_data_dir: Path) -> None:
    result = runner.invoke(kb_app, ["build", "--embedder", "lexical"])
    try:
        assert result.exit_code == 0, result.output
        assert "calculators:" in result.output
        found = runner.invoke(
            kb_app,
            [
                "search",
                "Cockcroft-Gault creatinine clearance",
                "--corpus",
                "clinic",
                "--mode",
                "lexical",
                "-k",
                "5",
                "--json",
            ],
        )
        assert "cockcroft_gault" in [h["metadata"].get("calculator") for h in json.loads(found.stdout)]
    finally:
        runner.invoke(kb_app, ["drop", "clinic", "--yes"])
