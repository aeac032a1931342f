"""`healthgym eval` stops on a configuration error with one line, exits 1 when every episode failed, and retries
failed episodes on a rerun."""

from __future__ import annotations

import importlib.util
import json
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.cli.conftest import healthgym, one_line_error

agents_installed = pytest.mark.skipif(
    importlib.util.find_spec("langchain_core") is None or importlib.util.find_spec("langchain_openai") is None,
    reason="needs the agents and openai extras",
)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens here once the socket is closed


@pytest.fixture
def endpoint_with_key():
    """The offline OpenAI-compatible fake of tests/agents, requiring the key ``right-key``."""
    import uvicorn

    from healthgym.agents.connections import _free_port
    from tests.agents.fake_openai import fake_openai_app

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(fake_openai_app([], api_key="right-key"), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}/v1"
    server.should_exit = True
    thread.join(timeout=10)


def _eval(workdir: Path, *args: str, env: dict[str, str] | None = None):
    return healthgym("eval", "-d", "drug_interaction", "--limit", "1", "--out", "run", *args, cwd=workdir, env=env)


@agents_installed
@pytest.mark.parametrize("agent", ["langgraph", "pydantic-ai"])
def test_the_model_check_explains_each_configuration_error(
    agent: str, endpoint_with_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from healthgym.agents.preflight import ModelUnavailable, check_model

    with pytest.raises(ModelUnavailable, match="did you mean 'openai:gpt-4.1'"):
        check_model(agent, "gpt-4.1")
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    with pytest.raises(ModelUnavailable, match=f"cannot reach {url}"):
        check_model(agent, "openai:qwen", url)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ModelUnavailable, match="the openai API has no valid API key .*; set OPENAI_API_KEY$"):
        check_model(agent, "openai:gpt-4.1")
    monkeypatch.setenv("OPENAI_API_KEY", "wrong-key")
    with pytest.raises(ModelUnavailable, match=f"{endpoint_with_key} has no valid API key .*; set OPENAI_API_KEY$"):
        check_model(agent, "openai:m", endpoint_with_key)
    monkeypatch.setenv("OPENAI_API_KEY", "right-key")
    check_model(agent, "openai:m", endpoint_with_key)  # a working endpoint passes


@agents_installed
def test_an_unreachable_endpoint_stops_the_run_in_one_line(workdir: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    result = _eval(workdir, "--agent", "langgraph", "--model", "openai:qwen", "--base-url", url)
    message = one_line_error(result)
    assert result.returncode == 2 and message.startswith("error: model 'openai:qwen': cannot reach")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (workdir / "run").exists()  # no episode played, nothing written


@agents_installed
def test_a_model_string_without_provider_is_refused(workdir: Path) -> None:
    message = one_line_error(_eval(workdir, "--agent", "pydantic-ai", "--model", "gpt-4.1"))
    assert "'openai:gpt-4.1'" in message
    assert not (workdir / "run").exists()  # nothing left behind


@agents_installed
def test_a_missing_provider_package_is_named(workdir: Path) -> None:
    if importlib.util.find_spec("langchain_anthropic") is not None:
        pytest.skip("langchain-anthropic is installed here")
    message = one_line_error(_eval(workdir, "--agent", "langgraph", "--model", "anthropic:claude-sonnet-4-5"))
    assert "langchain-anthropic" in message


@agents_installed
def test_a_run_whose_episodes_all_fail_exits_1(workdir: Path) -> None:
    result = _eval(workdir, "--agent", "langgraph", "--model", "scripted", "--episode-timeout", "0.0001")
    assert result.returncode == 1, result.stderr
    assert "every episode ended in an error" in result.stderr and "TimeoutError" in result.stderr
    assert "Traceback" not in result.stderr


def _fail_recorded_episode(run: Path) -> str:
    """Turn the recorded episode into a failed one, as a model error would have left it."""
    path = run / "trajectories.jsonl"
    episode = json.loads(path.read_text())
    episode["error"] = "APIConnectionError: Connection error."
    path.write_text(json.dumps(episode) + "\n")
    return episode["task_id"]


def test_a_rerun_retries_failed_episodes_unless_told_not_to(workdir: Path) -> None:
    first = healthgym("eval", "-d", "triage_emergency", "--limit", "1", "--out", "run", cwd=workdir)
    assert first.returncode == 0, first.stderr
    task_id = _fail_recorded_episode(workdir / "run")

    kept = healthgym("eval", "-d", "triage_emergency", "--limit", "1", "--out", "run", "--no-retry-failed", cwd=workdir)
    assert kept.returncode == 1 and "every episode ended in an error" in kept.stderr
    assert "rerun the same command to retry it" in kept.stderr

    retried = healthgym("eval", "-d", "triage_emergency", "--limit", "1", "--out", "run", cwd=workdir)
    assert retried.returncode == 0, retried.stderr
    (episode,) = [json.loads(line) for line in (workdir / "run" / "trajectories.jsonl").read_text().splitlines()]
    assert episode["task_id"] == task_id and episode["error"] is None and episode["grade"]["correct"]
    (failed,) = [json.loads(line) for line in (workdir / "run" / "failed.jsonl").read_text().splitlines()]
    assert failed["task_id"] == task_id and failed["error"].startswith("APIConnectionError")  # kept, not lost
