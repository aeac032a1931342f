"""``healthgym eval``: schema-valid output, the PNG, resuming a killed run, failures recorded, runs compared."""

import json
import threading
import time

import jsonschema
import matplotlib.image
import pydantic_ai.models
import pytest
import typer
import uvicorn
from typer.testing import CliRunner

from healthgym.agents import evaluation, scripted
from healthgym.agents.cli import eval_command
from healthgym.agents.evaluation import EvalConfig, read_trajectories, run_eval
from healthgym.schemas import Trajectory
from tests.agents.conftest import ROOT

app = typer.Typer()
app.command("eval")(eval_command)
app.command("noop")(lambda: None)  # a second command keeps `eval` a subcommand, as on the main CLI


def _eval(*args: str) -> str:
    result = CliRunner().invoke(app, ["eval", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_output_is_schema_valid_and_charted(tiny_domain: str, tmp_path) -> None:
    out = tmp_path / "run"
    _eval(
        "--agent",
        "langgraph",
        "--model",
        "scripted",
        "--shape",
        "workflow",
        "--domains",
        tiny_domain,
        "--limit",
        "4",
        "--concurrency",
        "2",
        "--out",
        str(out),
    )
    schema = Trajectory.model_json_schema()
    lines = (out / "trajectories.jsonl").read_text().splitlines()
    assert len(lines) == 4
    for line in lines:
        jsonschema.validate(json.loads(line), schema)
    card = json.loads((out / "scorecard.json").read_text())
    (score,) = card["domains"]
    assert score["episodes"] == 4 and score["accuracy"] == 1.0 and score["errors"] == 0
    assert set(score["reward"]) == {"accuracy", "format", "process", "safety", "efficiency", "total"}
    image = matplotlib.image.imread(out / "scorecard.png")
    assert image.shape[0] > 400 and image.shape[1] > 400 and image.std() > 0  # a drawn chart, not a blank
    assert "tiny" in (out / "scorecard.txt").read_text()


@pytest.mark.parametrize("agent", ["langgraph", "pydantic-ai"])
def test_a_run_holds_one_session_per_server(agent: str, tiny_domain: str, tmp_path, monkeypatch) -> None:
    """Six episodes over two domain servers, two at a time: two MCP sessions, one per server, for the whole run."""
    from mcp.server.session import ServerSession

    from healthgym.agents.episode import RecordingSession

    client_sessions, server_sessions = [], []
    initialize, server_init = RecordingSession.initialize, ServerSession.__init__

    async def counting_initialize(self):
        client_sessions.append(self)
        return await initialize(self)

    def counting_server_init(self, *args, **kwargs):
        server_sessions.append(self)
        server_init(self, *args, **kwargs)

    monkeypatch.setattr(RecordingSession, "initialize", counting_initialize)
    monkeypatch.setattr(ServerSession, "__init__", counting_server_init)
    config = EvalConfig(agent=agent, model="scripted", domains=(tiny_domain, "drug_interaction"), limit=3)
    scores = run_eval(config, tmp_path, concurrency=2)
    assert [(s.episodes, s.accuracy, s.errors) for s in scores] == [(3, 1.0, 0), (3, 1.0, 0)]
    assert len(client_sessions) == len(server_sessions) == 2


def test_a_killed_run_resumes_without_redoing_tasks(tiny_domain: str, tmp_path, monkeypatch) -> None:
    config = EvalConfig(agent="reference", domains=(tiny_domain,), limit=5)
    played: list[str] = []
    play = evaluation._Players.play

    async def counting_play(self, task):
        played.append(task.id)
        return await play(self, task)

    monkeypatch.setattr(evaluation._Players, "play", counting_play)

    def kill_after_two(domain: str, n: int) -> None:
        if len(played) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_eval(config, tmp_path, on_done=kill_after_two)
    path = tmp_path / "trajectories.jsonl"
    with path.open("a") as fh:  # killed in the middle of writing the third
        fh.write('{"task_id": "tiny-test-')
    first_two = [t.task_id for t in read_trajectories(path)]
    assert first_two == played == [t.id for t in config.tasks()[:2]]

    scores = run_eval(config, tmp_path)
    assert played[2:] == [t.id for t in config.tasks()[2:]]  # only the unfinished ones ran
    assert [t.task_id for t in read_trajectories(path)] == [t.id for t in config.tasks()]
    assert scores[0].episodes == 5 and scores[0].accuracy == 1.0


def test_another_configuration_in_the_same_folder_is_refused(tiny_domain: str, tmp_path) -> None:
    run_eval(EvalConfig(agent="reference", domains=(tiny_domain,), limit=1), tmp_path)
    with pytest.raises(ValueError, match="another configuration"):
        run_eval(EvalConfig(agent="reference", domains=(tiny_domain,), limit=2), tmp_path)


def test_a_failing_episode_is_recorded_and_the_run_goes_on(tiny_domain: str, tmp_path, monkeypatch) -> None:
    config = EvalConfig(agent="pydantic-ai", model="scripted", domains=(tiny_domain,), limit=3)
    doomed = config.tasks()[1]
    advance = scripted.ScriptedPolicy.advance

    def failing_advance(self, result):
        if self.pending is not None and self.pending.arguments.get("patient_id") == doomed.case_ref:
            raise ConnectionError("model endpoint went away")
        return advance(self, result)

    monkeypatch.setattr(scripted.ScriptedPolicy, "advance", failing_advance)
    scores = run_eval(config, tmp_path)
    by_id = {t.task_id: t for t in read_trajectories(tmp_path / "trajectories.jsonl")}
    assert len(by_id) == 3
    failed = by_id[doomed.id]
    assert "ConnectionError: model endpoint went away" in failed.error
    assert failed.grade.score == 0.0 and failed.metrics["tool_calls"] == 1  # graded on what it did
    assert [by_id[t.id].grade.correct for t in config.tasks() if t.id != doomed.id] == [True, True]
    assert scores[0].errors == 1


def test_compare(tiny_domain: str, tmp_path) -> None:
    for name, agent in [("a", "reference"), ("b", "pydantic-ai")]:
        _eval(
            "--agent",
            agent,
            "--model",
            "scripted",
            "--domains",
            tiny_domain,
            "--limit",
            "2",
            "--out",
            str(tmp_path / name),
        )
    output = _eval("--compare", str(tmp_path / "a"), str(tmp_path / "b"), "--out", str(tmp_path / "cmp"))
    assert "healthgym runs compared" in output and "pydantic-ai scripted, test split" in output
    compared = json.loads((tmp_path / "cmp" / "compare.json").read_text())
    assert {k: v["title"] for k, v in compared.items()} == {
        "a": "reference, test split",
        "b": "pydantic-ai scripted, test split",
    }
    assert [run["domains"][0]["episodes"] for run in compared.values()] == [2, 2]
    assert matplotlib.image.imread(tmp_path / "cmp" / "compare.png").std() > 0


def test_bad_options_are_refused(tiny_domain: str, tmp_path) -> None:
    result = CliRunner().invoke(app, ["eval", "--agent", "langgraph", "--domains", tiny_domain])
    assert result.exit_code != 0 and "--model" in result.output
    result = CliRunner().invoke(app, ["eval", "--compare", str(tmp_path)])
    assert result.exit_code != 0 and "at least two" in result.output


@pytest.fixture
def openai_endpoint(tiny_domain: str, monkeypatch):
    """A local OpenAI-compatible server serving the reference solver as a model."""
    from healthgym.agents.connections import _free_port
    from tests.agents.fake_openai import fake_openai_app

    port = _free_port()
    app = fake_openai_app(EvalConfig(agent="reference", domains=(tiny_domain,)).tasks())
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    monkeypatch.setenv("OPENAI_API_KEY", "local")
    monkeypatch.setattr(pydantic_ai.models, "ALLOW_MODEL_REQUESTS", True)  # the endpoint is this local fake
    yield f"http://127.0.0.1:{port}/v1"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.mark.parametrize("agent", ["langgraph", "pydantic-ai"])
def test_eval_against_a_local_openai_compatible_server(
    agent: str, openai_endpoint: str, tiny_domain: str, tmp_path
) -> None:
    config = EvalConfig(
        agent=agent, model="openai:reference-solver", base_url=openai_endpoint, domains=(tiny_domain,), limit=3
    )
    (score,) = run_eval(config, tmp_path, concurrency=2)
    assert score.accuracy == 1.0 and score.errors == 0
    assert score.tokens > 0  # usage reported by the endpoint reaches the scorecard


def test_killing_the_process_and_rerunning_skips_finished_tasks(tmp_path) -> None:
    """A real kill (SIGKILL) of `healthgym eval` mid-run; the rerun plays only the tasks left."""
    import os
    import signal
    import subprocess
    import sys

    out = tmp_path / "run"
    command = [
        sys.executable,
        "-m",
        "tests.agents.eval_cli",
        "eval",
        "--agent",
        "pydantic-ai",
        "--model",
        "scripted",
        "--transport",
        "stdio",
        "--domains",
        "triage_emergency",
        "--limit",
        "4",
        "--out",
        str(out),
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    path = out / "trajectories.jsonl"
    deadline = time.monotonic() + 120
    while not (path.exists() and len(path.read_text().splitlines()) >= 1):
        assert process.poll() is None and time.monotonic() < deadline, "the run ended before it could be killed"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    before = path.read_text().splitlines()
    assert 1 <= len(before) < 4

    rerun = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    after = path.read_text().splitlines()
    finished = [json.loads(line) for line in before if line.endswith("}")]
    assert after[: len(finished)] == [line for line in before if line.endswith("}")]  # kept, not replayed
    ids = [json.loads(line)["task_id"] for line in after]
    assert len(ids) == len(set(ids)) == 4
    assert (out / "scorecard.png").exists()
