"""``healthgym kb`` commands, run in-process against the session's store."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from healthgym.mcp_servers.kb import Chunker, Document, KnowledgeBase, chunk_documents, progress
from healthgym.mcp_servers.kb.cli import kb_app
from healthgym.schemas import Passage

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


def test_piped_progress_prints_plain_lines_with_totals_and_eta(
    env_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress, "PLAIN_EVERY", 0.0)
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        "".join(json.dumps({"title": f"Row {i}", "text": f"Drug {i} and condition {i}."}) + "\n" for i in range(300))
    )
    result = runner.invoke(
        kb_app, ["ingest", "folder", str(rows), "--corpus", "piped", "--embedder", "lexical", "--batch-size", "50"]
    )
    try:
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        assert "piped: 50 passages read, 50 added, 0 already stored" in lines[0] and "ETA" in lines[0]
        assert any(line.startswith("piped: 300 passages read") and "100%" in line for line in lines)
        assert any("building fulltext_gin" in line for line in lines) and "\x1b[" not in result.output
        assert "300 passages added" in lines[-1]
    finally:
        runner.invoke(kb_app, ["drop", "piped", "--yes"])


def test_terminal_progress_is_a_bar_with_counts_and_eta() -> None:
    from rich.console import Console

    from healthgym.mcp_servers.kb.ingest import IngestReport
    from healthgym.mcp_servers.kb.progress import LoadProgress

    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=160)
    with LoadProgress(console, "big", total=1000) as bar:
        assert bar._bar is not None
        report = IngestReport("big", seen=250, added=250, load_seconds=5.0)
        line = bar.describe(report)
        bar.update(report)
    assert line.startswith("big: 250 of 1,000 passages read, 250 added, 0 already stored, 50/s, 25%, ETA ")


@pytest.mark.parametrize(
    ("fmt", "name", "content", "message"),
    [
        ("medquad", "answers.csv", "a,b\n1,2\n", "answers.csv: this format reads .xml, .jsonl files"),
        ("pubmed", "broken.xml", "<PubmedArticleSet><PubmedArticle>", "broken.xml is not readable as pubmed"),
        ("pubmed", "fake.xml.gz", "not gzip at all", "fake.xml.gz is not readable as pubmed"),
        ("medrag", "latin1.jsonl", b'{"title": "caf\xe9"}\n', "latin1.jsonl is not readable as medrag"),
        ("medrag", "questions.jsonl", '{"question": "q", "answer": "a"}\n', "no passages to load into 'medrag'"),
    ],
)
def test_a_file_in_the_wrong_format_is_one_line_and_leaves_no_corpus(
    kb: KnowledgeBase, env_data_dir: Path, tmp_path: Path, fmt: str, name: str, content: str | bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = runner.invoke(kb_app, ["ingest", fmt, str(path), "--embedder", "lexical"])
    assert result.exit_code == 1
    assert message in result.output and len(result.output.strip().splitlines()) == 1, result.output
    assert fmt not in [c.name for c in kb.corpora()]


def test_a_failure_before_the_first_batch_drops_the_corpus_it_created(kb: KnowledgeBase) -> None:
    def failing() -> Iterator[Passage]:
        yield from chunk_documents([Document("One", "A first passage.")], "half", Chunker())
        raise ValueError("the source broke")

    with pytest.raises(ValueError, match="the source broke"):
        kb.ingest(failing(), "half", embedder="lexical", batch_size=10)
    assert "half" not in [c.name for c in kb.corpora()]


def test_ingest_lexical_first_then_embeds(env_data_dir: Path, tmp_path: Path) -> None:
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        "".join(json.dumps({"title": f"Drug {i}", "text": f"Drug {i} treats condition {i}."}) + "\n" for i in range(40))
    )
    result = runner.invoke(kb_app, ["ingest", "folder", str(rows), "--corpus", "early", "--lexical-first"])
    try:
        assert result.exit_code == 0, result.output
        assert "early is searchable now" in result.output and "40 passages embedded (0 had vectors)" in result.output
        found = runner.invoke(kb_app, ["search", "drug 7 condition", "--corpus", "early", "--mode", "dense", "--json"])
        assert found.exit_code == 0 and json.loads(found.stdout)
        assert "0 passages embedded (40 had vectors)" in runner.invoke(kb_app, ["embed", "early"]).output
    finally:
        runner.invoke(kb_app, ["drop", "early", "--yes"])
