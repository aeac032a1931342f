"""``healthgym train`` / ``healthgym plot`` as typer commands."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from healthgym.rl.cli import app, build_config


def test_build_config_layers_file_options_and_set(tmp_path):
    file = tmp_path / "cfg.json"
    file.write_text(json.dumps({"algo": "tt-opd", "steps": 7, "lam": 0.3}))
    cfg = build_config(file, {"steps": 9, "model": None}, ["lam=0.7", "distill-turns=2", "privileged_mode=gold"])
    assert (cfg.algo, cfg.steps, cfg.lam, cfg.distill_turns, cfg.privileged_mode) == ("tt-opd", 9, 0.7, 2, "gold")
    with pytest.raises(typer.BadParameter, match="unknown config fields"):
        build_config(None, {}, ["nope=1"])
    with pytest.raises(typer.BadParameter, match="group_size"):
        build_config(None, {}, ["group_size=1"])


def test_train_then_plot(tmp_path, tiny_domain):
    runner = CliRunner()
    run = tmp_path / "run"
    result = runner.invoke(
        app,
        [
            "train",
            "--algo",
            "tt-opd",
            "--model",
            "tiny",
            "--domains",
            tiny_domain,
            "--steps",
            "1",
            "--output-dir",
            str(run),
            "--set",
            "split=dev",
            "--set",
            "tasks_per_step=1",
            "--set",
            "group_size=2",
            "--set",
            "max_new_tokens=8",
            "--set",
            "max_response_tokens=48",
            "--set",
            "max_turns=2",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads((run / "metrics.jsonl").read_text())["step"] == 1
    result = runner.invoke(app, ["plot", str(run), "--out", str(tmp_path / "p.png")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "p.png").stat().st_size > 1000
    assert runner.invoke(app, ["plot", str(tmp_path / "missing")]).exit_code != 0
