"""The CLI as a user runs it: ``python -m healthgym`` in a subprocess, stdout and stderr captured, 80 columns."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WIDTH = 80


def healthgym(
    *args: str, cwd: Path, python: str = sys.executable, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run ``healthgym ARGS`` with a terminal width of 80 columns (rich reads COLUMNS) and no colour."""
    environment = {**os.environ, "COLUMNS": str(WIDTH), "NO_COLOR": "1", "TERM": "dumb", **(env or {})}
    environment.pop("FORCE_COLOR", None)
    return subprocess.run(
        [python, "-m", "healthgym", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The error a failed command printed: no traceback, and what it says (typer's box or our one line)."""
    assert result.returncode != 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr
    return " ".join(line.strip(" │╭╮╰╯─") for line in result.stderr.splitlines() if line.strip(" │╭╮╰╯─"))


def assert_fits(text: str, width: int = WIDTH) -> None:
    """Every line within ``width`` columns and no cell cut short with an ellipsis."""
    for line in text.splitlines():
        assert len(line) <= width, f"{len(line)} columns: {line!r}"
    assert "…" not in text, text


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """An empty folder to run commands in, so that nothing is written into the repository."""
    return tmp_path
