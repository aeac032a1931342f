"""`healthgym train` refuses ordinary mistakes in one line, leaving nothing behind, shows progress within a step and
checkpoints by default; `healthgym plot` says what a plot lacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from healthgym.mcp_servers.domains import domain_names
from tests.cli.conftest import healthgym, one_line_error
from tests.rl.conftest import tiny_domain  # noqa: F401  (the fixture)

torch = pytest.importorskip("torch")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--domains", "foo"], f"unknown domain 'foo'; choose from: {', '.join(domain_names())}"),
        (["--model", "no/such/dir"], "'no/such/dir' is neither 'tiny' nor a directory"),
        (["--config", "missing.json"], "missing.json"),
        (["--set", "steps=0"], "steps must be >= 1, got 0"),
        (["--set", "nope=1"], "unknown config fields ['nope']"),
        (["--device", "tpu"], "'tpu' is not a device"),
    ],
)
def test_mistakes_are_one_line_and_leave_nothing(args: list[str], expected: str, workdir: Path) -> None:
    result = healthgym("train", "--model", "tiny", "--output-dir", "run", *args, cwd=workdir)
    assert expected in one_line_error(result)
    assert result.returncode == 2
    assert not (workdir / "run").exists()


def test_a_config_file_that_is_not_json(workdir: Path) -> None:
    (workdir / "bad.json").write_text("steps: 3\n")
    assert "bad.json is not JSON" in one_line_error(healthgym("train", "--config", "bad.json", cwd=workdir))


@pytest.mark.skipif(torch.cuda.is_available(), reason="a CUDA device is usable here")
def test_cuda_on_a_cpu_torch(workdir: Path) -> None:
    message = one_line_error(healthgym("train", "--model", "tiny", "--device", "cuda", cwd=workdir))
    assert "'cuda': no CUDA device is usable" in message and "use cpu or auto" in message


def test_a_bare_train_shows_help_and_the_defaults(workdir: Path) -> None:
    result = healthgym("train", cwd=workdir)
    assert "Usage: python -m healthgym train" in result.stdout
    assert "[default: 20]" in result.stdout and "[default: tiny]" in result.stdout  # steps, model
    assert not (workdir / "runs").exists()  # no run started


def test_progress_within_a_step_and_checkpoints_by_default(tiny_domain, tmp_path, monkeypatch) -> None:  # noqa: F811
    from healthgym.rl import cli
    from healthgym.rl.config import TrainConfig

    assert TrainConfig().save_every > 0
    monkeypatch.setattr(cli, "PLAIN_PROGRESS_EVERY_S", 0.0)  # a log line at every progress event
    app = typer.Typer()
    app.command("train")(cli.train_command)
    app.command("plot")(cli.plot_command)
    run = tmp_path / "run"
    small = ["tasks_per_step=1", "group_size=2", "max_new_tokens=8", "max_response_tokens=48", "max_turns=2"]
    args = ["train", "--model", "tiny", "--domains", tiny_domain, "--steps", "2", "--output-dir", str(run),
            "--save-every", "1", *[x for s in small for x in ("--set", s)]]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "2 steps of 2 episodes" in result.output and "checkpoints every 1 steps" in result.output
    assert "step 1/2 rollout (episodes): 2/2, " in result.output and "tokens sampled" in result.output
    assert "step 1/2 update (optimizer steps): 1/1" in result.output
    assert "about" in result.output and "left" in result.output  # the time the remaining step will take
    assert {p.name for p in run.glob("checkpoint-*")} == {"checkpoint-1", "checkpoint-2"}

    out = tmp_path / "curves.png"
    plotted = CliRunner().invoke(app, ["plot", str(run), "--out", str(out)])
    assert plotted.exit_code == 0, plotted.output
    left_out = " ".join(plotted.output.split("left out, no run logged them:")[1].split())  # unwrap the console
    assert "distillation KL, λ" in left_out and "dev accuracy" in left_out  # a GRPO run without dev checks
    assert out.stat().st_size > 1000


def _metrics(path: Path, steps: int) -> Path:
    path.mkdir(parents=True)
    lines = [{"step": s, "reward/mean": 0.1 * s, "accuracy": 0.0, "grad_norm": 1.0} for s in range(1, steps + 1)]
    (path / "metrics.jsonl").write_text("".join(json.dumps(m) + "\n" for m in lines))
    return path


def test_plot_of_a_one_step_run_says_what_it_lacks(workdir: Path) -> None:
    _metrics(workdir / "short", 1)
    result = healthgym("plot", "short", "--out", "p.png", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert "short has 1 step: its panels show points, a curve needs 2 or more steps" in result.stderr
    assert "left out, no run logged them: reward components;" in result.stderr
    assert (workdir / "p.png").stat().st_size > 1000


def test_plot_of_nothing_is_refused(workdir: Path) -> None:
    assert "no metrics at" in one_line_error(healthgym("plot", "missing", cwd=workdir))
    (workdir / "empty").mkdir()
    (workdir / "empty" / "metrics.jsonl").write_text("")
    assert "have no finished step" in one_line_error(healthgym("plot", "empty", cwd=workdir))
