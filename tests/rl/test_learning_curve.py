"""examples/learning_curve.py end to end on a two-tier test domain, cut down: the warm start, GRPO and TT-OPD from
it with the same seeds, every issue-19 diagnostic logged, the summary and both figures written."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from healthgym.rl.diagnostics import read_metrics

RECIPE = Path(__file__).parents[2] / "examples" / "learning_curve.py"
DIAGNOSTICS = [
    "reward/mean",
    *(f"reward/{c}" for c in ("accuracy", "format", "process", "safety", "efficiency")),
    "turns/tool_call_rate",
    "turns/toolless_turn_rate",
    "length/mean",
    "policy/entropy",
    "group/reward_std",
    "group/zero_std_frac",
    "grad_norm",
]
TT_OPD_ONLY = ["distill/kl", "distill/kl_turn1", "teacher/ema_distance"]
CUT_DOWN = [
    *("--domains", "tiered", "--kinds", "", "--seeds", "0,1", "--hidden-size", "32", "--layers", "1"),
    *("--vocab-size", "400", "--sft-tasks", "4", "--sft-steps", "2", "--sft-eval-every", "2"),
    *("--copy-warmup-steps", "0", "--steps", "2", "--eval-every", "1", "--eval-tasks", "2"),
    *("--tasks-per-step", "1", "--group-size", "2", "--max-turns", "2", "--max-new-tokens", "12"),
]


@pytest.fixture
def recipe(monkeypatch):
    from healthgym.mcp_servers import domains, server

    monkeypatch.setitem(domains.DOMAINS, "tiered", "tests.framework.tiered_domain")
    domains.get_domain.cache_clear()
    server.build_server.cache_clear()
    spec = importlib.util.spec_from_file_location("learning_curve", RECIPE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def run(*argv: str) -> None:
        monkeypatch.setattr(sys, "argv", ["learning_curve.py", *argv])
        module.main()

    yield run
    domains.get_domain.cache_clear()
    server.build_server.cache_clear()


def test_the_recipe_runs_both_algorithms_from_one_checkpoint_and_logs_every_diagnostic(recipe, tmp_path):
    out = tmp_path / "lc"
    recipe("--out", str(out), *CUT_DOWN)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["sft"]["steps_run"] == 2 and (out / "sft" / "config.json").exists()
    sft_last = read_metrics(out / "sft")[-1]
    for algo in ("grpo", "tt-opd"):
        runs = summary[algo]["dev_accuracy"]
        assert sorted(runs) == [f"{algo}-seed0", f"{algo}-seed1"]
        assert {"mean_gain", "seed_spread", "gain_exceeds_spread"} <= set(summary[algo])
        for name in runs:
            lines = read_metrics(out / name)
            assert [m["step"] for m in lines if "dev/accuracy" in m] == [0, 1, 2]  # before the first update, every step
            # greedy: every run starts from the warm start's weights and plays its tokens
            assert (lines[0]["dev/accuracy"], lines[0]["dev/length"]) == (
                sft_last["dev/accuracy"],
                sft_last["dev/length"],
            )
            wanted = DIAGNOSTICS + (TT_OPD_ONLY if algo == "tt-opd" else [])
            for line in lines[1:]:
                assert not [k for k in wanted if k not in line], line["step"]
    assert (out / "learning_curve.png").stat().st_size > 0 and (out / "diagnostics.png").stat().st_size > 0


def test_rl_can_start_from_a_given_checkpoint_and_refuses_a_directory_without_one(recipe, tmp_path):
    first = tmp_path / "first"
    recipe("--out", str(first), *CUT_DOWN, "--algos", "grpo", "--seeds", "0")
    second = tmp_path / "second"
    recipe("--out", str(second), *CUT_DOWN, "--algos", "grpo", "--seeds", "0", "--sft-from", str(first / "sft"))
    assert not (second / "sft").exists()  # no second warm start
    assert read_metrics(second / "grpo-seed0")[0] == read_metrics(first / "grpo-seed0")[0]
    with pytest.raises(SystemExit, match="holds no sft.json"):
        recipe("--out", str(tmp_path / "third"), *CUT_DOWN, "--sft-from", str(tmp_path))


def test_ttopd_config_is_laid_over_the_recipe_defaults_and_unknown_fields_stop_it_first(recipe, tmp_path):
    first = tmp_path / "first"
    recipe("--out", str(first), *CUT_DOWN, "--algos", "grpo", "--seeds", "0")
    out = tmp_path / "slow"
    slower = '{"ema_alpha": 0.995, "ema_every": 5}'
    recipe("--out", str(out), *CUT_DOWN, "--algos", "tt-opd", "--seeds", "0", "--sft-from", str(first / "sft"),
           "--ttopd-config", slower)  # fmt: skip
    cfg = json.loads((out / "tt-opd-seed0" / "config.json").read_text())
    assert (cfg["ema_alpha"], cfg["ema_every"], cfg["lam"], cfg["privileged_mode"]) == (0.995, 5, 0.5, "casefile")
    with pytest.raises(SystemExit):
        recipe("--out", str(tmp_path / "bad"), *CUT_DOWN, "--ttopd-config", '{"ema_alfa": 0.9}')
    assert not (tmp_path / "bad").exists()
