"""Scorecards of `demo`, `eval` and `eval --compare` at 80 columns; `--wide`, `--json`; `--version`; `mcp-config`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from healthgym import __version__
from healthgym.mcp_servers.domains import domain_names
from tests.cli.conftest import assert_fits, healthgym

COMPACT_HEADER = ("domain", "tier", "n", "accuracy", "reward", "events", "errors")


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory) -> Path:
    """Two finished reference runs of two tasks per domain."""
    root = tmp_path_factory.mktemp("runs")
    for name in ("first", "second"):
        result = healthgym("eval", "--agent", "reference", "--limit", "2", "--out", str(root / name), cwd=root)
        assert result.returncode == 0, result.stderr
    return root


def test_version(workdir: Path) -> None:
    result = healthgym("--version", cwd=workdir)
    assert result.returncode == 0 and result.stdout.startswith(f"healthgym {__version__} (mcp 1.")


def test_demo_fits_80_columns_and_counts_safety_events(workdir: Path) -> None:
    """The demo shows the reference (run A) beside a degenerate baseline (run B), per domain and tier."""
    result = healthgym("demo", "drug_interaction", "triage_emergency", "--limit", "2", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert_fits(result.stdout)
    header = next(line for line in result.stdout.splitlines() if line.lstrip().startswith("domain"))
    assert header.split()[:3] == ["domain", "tier", "run"]
    rows = [line.split() for line in result.stdout.splitlines() if line.lstrip().startswith(("drug_", "triage_"))]
    reference = [r for r in rows if r[2] == "A"]
    assert sorted({r[0] for r in reference}) == ["drug_interaction", "triage_emergency"]
    assert all(r[1] in ("assisted", "unassisted") for r in rows)
    for row in reference:  # the reference clinician: fully correct, no unsafe act, no error; events are counts
        assert row[4:] == ["100.0%", "1.000", "0", "0"]
    assert {r[2] for r in rows} == {"A", "B"}


def test_demo_json_and_wide(workdir: Path) -> None:
    card = json.loads(
        healthgym("demo", "triage_emergency", "--limit", "1", "--json", "--no-baseline", cwd=workdir).stdout
    )
    (row,) = card["domains"]
    assert (row["domain"], row["episodes"], row["safety_events"]) == ("triage_emergency", 1, 0)
    assert row["tier"] in ("assisted", "unassisted")
    wide = healthgym("demo", "triage_emergency", "--limit", "1", "--wide", cwd=workdir).stdout
    assert "efficiency" in wide and "tool calls" in wide and "…" not in wide


def test_eval_scorecard_fits_and_files_hold_every_column(two_runs: Path) -> None:
    run = two_runs / "first"
    again = healthgym("eval", "--agent", "reference", "--limit", "2", "--out", str(run), cwd=two_runs)
    assert again.returncode == 0, again.stderr  # a finished run, rerun: nothing to play, the scorecard again
    assert_fits(again.stdout)
    assert "drug_interaction" in again.stdout and "triage_emergency" in again.stdout
    text = (run / "scorecard.txt").read_text()
    assert "efficiency" in text and "wall s" in text and "…" not in text
    card = json.loads((run / "scorecard.json").read_text())
    assert {d["domain"] for d in card["domains"]} == set(domain_names())


def test_compare_fits_80_columns(two_runs: Path) -> None:
    out = two_runs / "cmp"
    result = healthgym("eval", "--compare", "first", "second", "--out", str(out), cwd=two_runs)
    assert result.returncode == 0, result.stderr
    assert_fits(result.stdout)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("A first:") and lines[1].startswith("B second:")
    rows = [line.split() for line in lines if line.lstrip().startswith(tuple(domain_names()))]
    assert rows and [r[2] for r in rows] == ["A", "B"] * (len(rows) // 2)
    assert json.loads((out / "compare.json").read_text()).keys() == {"first", "second"}
    as_json = json.loads(healthgym("eval", "--compare", "first", "second", "--json", cwd=two_runs).stdout)
    assert as_json["first"]["domains"][0]["episodes"] == 2


def test_mcp_config_carries_the_knowledge_base_settings(workdir: Path) -> None:
    env = {"HEALTHGYM_DATA_DIR": str(workdir / "kb-data"), "HEALTHGYM_EMBEDDER": "hash", "HEALTHGYM_MCP_TOKEN": "t"}
    result = healthgym("mcp-config", "calculators", "drug_interaction", cwd=workdir, env=env)
    assert result.returncode == 0, result.stderr
    servers = json.loads(result.stdout)["mcpServers"]
    assert list(servers) == ["healthgym-calculators", "healthgym-drug_interaction"]
    for entry in servers.values():
        assert entry["args"][-2:] == ["serve", entry["args"][-1]]
        # the folder as this shell resolves it, the embedder set here; the HTTP token is not a stdio server's
        data_dir = str((workdir / "kb-data").resolve())
        assert entry["env"] == {"HEALTHGYM_DATA_DIR": data_dir, "HEALTHGYM_EMBEDDER": "hash"}


def test_example_claude_desktop_config_lists_every_server() -> None:
    from healthgym.cli import _domain_names
    from tests.cli.conftest import ROOT

    config = json.loads((ROOT / "examples" / "claude_desktop_config.json").read_text())
    names = _domain_names(include_calculators=True)
    assert sorted(config["mcpServers"]) == sorted(f"healthgym-{n}" for n in names)
    for name in names:
        assert config["mcpServers"][f"healthgym-{name}"]["args"] == ["-m", "healthgym", "serve", name]
