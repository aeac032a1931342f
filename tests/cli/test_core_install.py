"""After `pip install healthgym` (the core dependencies only), every command's `--help` works, the core paths run
(demo, eval of the reference clinician, tasks, mcp-config), and each command that needs an extra says which one in
one line instead of a traceback.

The venv is built once per session from the core dependencies listed in pyproject.toml, without system site
packages, and the project is installed from a copy of the source tree (so that no build folder lands in the
repository)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import click
import pytest
import typer

from tests.cli.conftest import ROOT, assert_fits, healthgym, one_line_error

pytestmark = pytest.mark.slow

SOURCE_IGNORE = shutil.ignore_patterns(
    ".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", "runs", ".pytest_cache", ".ruff_cache", ".hypothesis"
)


@pytest.fixture(scope="session")
def core_python(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A venv holding healthgym and its core dependencies only."""
    root = tmp_path_factory.mktemp("core")
    venv, source = root / "venv", root / "src"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    core = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pip = [python, "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "setuptools>=77", "wheel", *core], check=True, capture_output=True)
    shutil.copytree(ROOT, source, ignore=SOURCE_IGNORE)
    subprocess.run([*pip, "--no-deps", "--no-build-isolation", str(source)], check=True, capture_output=True)
    return python


def _command_paths() -> list[list[str]]:
    """Every command and subcommand of the CLI, as argument lists."""
    from healthgym.cli import app

    def walk(command: click.Command, path: list[str]) -> list[list[str]]:
        paths = [path]
        if isinstance(command, click.Group):
            for name, sub in sorted(command.commands.items()):
                paths += walk(sub, [*path, name])
        return paths

    return walk(typer.main.get_command(app), [])


def test_the_extras_are_really_absent(core_python: str) -> None:
    extras = ("torch", "langchain_core", "psycopg")  # matplotlib is core: neurokit2 (visual_diagnosis) requires it
    probe = f"import importlib.util as u; print([m for m in {extras} if u.find_spec(m)])"
    assert subprocess.run([core_python, "-c", probe], capture_output=True, text=True).stdout.strip() == "[]"


def test_every_help(core_python: str, tmp_path: Path) -> None:
    for path in _command_paths():
        result = healthgym(*path, "--help", cwd=tmp_path, python=core_python)
        assert result.returncode == 0, (path, result.stderr)
        assert "Usage:" in result.stdout, path


def test_the_core_paths_run(core_python: str, tmp_path: Path) -> None:
    version = healthgym("--version", cwd=tmp_path, python=core_python)
    assert version.returncode == 0 and version.stdout.startswith("healthgym ")
    demo = healthgym("demo", "--limit", "1", cwd=tmp_path, python=core_python)
    assert demo.returncode == 0, demo.stderr
    assert_fits(demo.stdout)
    run = healthgym("eval", "--agent", "reference", "--limit", "1", "--out", "r", cwd=tmp_path, python=core_python)
    assert run.returncode == 0, run.stderr
    # scorecard.png too: matplotlib is core since neurokit2 (visual_diagnosis) requires it
    assert sorted(p.name for p in (tmp_path / "r").glob("scorecard.*")) == ["scorecard.json", "scorecard.png",
                                                                           "scorecard.txt"]
    tasks = healthgym("tasks", "triage_emergency", "--split", "test", cwd=tmp_path, python=core_python)
    assert tasks.returncode == 0 and "triage_emergency test: 360 tasks" in tasks.stdout
    config = healthgym("mcp-config", cwd=tmp_path, python=core_python)
    assert "healthgym-calculators" in json.loads(config.stdout)["mcpServers"]


@pytest.mark.parametrize(  # no `plot` case: matplotlib is core since neurokit2 (visual_diagnosis) requires it
    ("args", "extra"),
    [
        (["train", "--model", "tiny", "--steps", "1"], "rl"),
        (["eval", "--agent", "langgraph", "--model", "scripted", "--limit", "1"], "agents"),
        (["kb", "stats"], "kb"),
    ],
)
def test_a_command_needing_an_extra_names_it(core_python: str, tmp_path: Path, args: list[str], extra: str) -> None:
    (tmp_path / "metrics").mkdir()
    (tmp_path / "metrics" / "metrics.jsonl").write_text(json.dumps({"step": 1, "reward/mean": 0.0}) + "\n")
    result = healthgym(*args, cwd=tmp_path, python=core_python)
    assert f"pip install 'healthgym[{extra}]'" in one_line_error(result)


@pytest.mark.parametrize(("script", "extra"), [("langgraph_app.py", "agents"), ("tiny_ttopd.py", "rl")])
def test_an_example_needing_an_extra_names_it(core_python: str, tmp_path: Path, script: str, extra: str) -> None:
    result = subprocess.run(
        [core_python, str(ROOT / "examples" / script)], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"pip install 'healthgym[{extra}]'" in result.stderr
