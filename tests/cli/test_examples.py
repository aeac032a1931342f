"""The example scripts stop with one line, not a traceback, when no model server runs."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest

from tests.cli.conftest import ROOT
from tests.cli.test_eval_errors import _closed_port


@pytest.mark.skipif(importlib.util.find_spec("langchain_openai") is None, reason="needs the agents and openai extras")
@pytest.mark.parametrize("script", ["langgraph_app.py", "pydantic_ai_app.py"])
def test_an_agent_example_without_a_model_server(script: str, tmp_path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / script), "--model", "openai:qwen", "--base-url", url],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "OPENAI_API_KEY": "local"},
    )
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line == f"error: model 'openai:qwen': cannot reach {url} (Connection error.); is the server running " + (
        "and --base-url right?"
    )
