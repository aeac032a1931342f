"""``healthgym sft`` -> ``healthgym train --model DIR``, task kinds, greedy dev checks, and a short run logging every
diagnostic of issue 19."""

from __future__ import annotations

import json

import pytest
import torch
from typer.testing import CliRunner

from healthgym.rl.cli import app
from healthgym.rl.config import TrainConfig
from healthgym.rl.curriculum import dev_tasks, draw_train_task, kinds_by_domain, task_kind, train_tasks
from healthgym.rl.warmstart import (
    SFTConfig,
    copy_batch,
    copy_warmup,
    identifier_alphabet,
    in_band,
    lr_factor,
    reference_accuracy,
    run_sft,
)

TINY_SFT = [
    "--set",
    "train_tasks=4",
    "--set",
    "steps=4",
    "--set",
    "eval_every=2",
    "--set",
    "eval_tasks=2",
    "--set",
    "vocab_size=400",
    "--set",
    "hidden_size=32",
    "--set",
    "layers=1",
    "--set",
    "heads=2",
    "--set",
    "max_turns=2",
    "--set",
    "max_new_tokens=12",
    "--set",
    "max_response_tokens=96",
    "--set",
    "copy_warmup_steps=3",
]


@pytest.fixture(scope="module")
def sft_dir(tmp_path_factory, tiny_domain):
    out = tmp_path_factory.mktemp("sft")
    result = CliRunner().invoke(
        app, ["sft", "--output-dir", str(out), "--domains", tiny_domain, "--device", "cpu", *TINY_SFT]
    )
    assert result.exit_code == 0, result.output
    return out


def test_sft_saves_a_checkpoint_with_its_checks(sft_dir, tiny_domain):
    summary = json.loads((sft_dir / "sft.json").read_text())
    lines = [json.loads(line) for line in (sft_dir / "metrics.jsonl").read_text().splitlines()]
    assert [line["step"] for line in lines] == [2, 4]  # a check every eval_every steps, and at the last step
    for key in ("sft/loss", "dev/accuracy", "dev/tool_call_rate", "dev/toolless_turn_rate", "dev/reward"):
        assert all(key in line for line in lines), key
    assert summary["reference_accuracy"] == {tiny_domain: 1.0}  # the tiny domain's reference solves its dev tasks
    assert summary["criterion_met"] is False and summary["steps_run"] == 4  # 4 steps of a 1-layer model: not met
    assert (sft_dir / "config.json").exists() and (sft_dir / "tokenizer.json").exists()


def test_sft_stops_at_the_criterion(tmp_path, tiny_domain):
    """A zero bar is met at the first check: the run stops there instead of running all its steps."""
    cfg = SFTConfig(
        domains=[tiny_domain],
        output_dir=str(tmp_path),
        device="cpu",
        train_tasks=2,
        steps=50,
        eval_every=1,
        eval_tasks=1,
        stop_tool_call_rate=0.0,
        stop_accuracy=0.0,
        copy_warmup_steps=0,
        vocab_size=400,
        hidden_size=32,
        layers=1,
        heads=2,
        max_turns=1,
        max_new_tokens=4,
        max_response_tokens=32,
    )
    summary = run_sft(cfg)
    assert summary["criterion_met"] and summary["steps_run"] == 1


def test_train_starts_from_the_sft_checkpoint(sft_dir, tmp_path, tiny_domain):
    """`healthgym train --model DIR` loads the warm start's weights (its first dev check equals the SFT's last)."""
    run = tmp_path / "run"
    result = CliRunner().invoke(
        app,
        [
            "train",
            "--algo",
            "tt-opd",
            "--model",
            str(sft_dir),
            "--domains",
            tiny_domain,
            "--steps",
            "2",
            "--output-dir",
            str(run),
            "--device",
            "cpu",
            *("--set", "tasks_per_step=1", "--set", "group_size=2", "--set", "max_turns=2"),
            *("--set", "max_new_tokens=12", "--set", "max_response_tokens=96"),
            *("--set", "eval_every=1", "--set", "eval_tasks=2", "--set", "ema_every=1"),
        ],
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
    sft_last = json.loads((sft_dir / "metrics.jsonl").read_text().splitlines()[-1])
    assert lines[0]["step"] == 0 and lines[0]["dev/accuracy"] == sft_last["dev/accuracy"]
    assert lines[0]["dev/length"] == sft_last["dev/length"]  # greedy: the same weights play the same tokens
    every = [
        "reward/mean",
        "reward/accuracy",
        "reward/format",
        "reward/process",
        "reward/safety",
        "reward/efficiency",
        "dev/accuracy",
        "turns/tool_call_rate",
        "turns/toolless_turn_rate",
        "length/mean",
        "policy/entropy",
        "group/reward_std",
        "distill/kl",
        "distill/kl_turn1",
        "teacher/ema_distance",
    ]
    for line in lines[1:]:
        missing = [k for k in every if k not in line]
        assert not missing, f"step {line['step']} lacks {missing}"
    assert lines[-1]["teacher/ema_distance"] > 0  # the student moved, the EMA teacher (α < 1) lags it
    plot = tmp_path / "p.png"
    result = CliRunner().invoke(app, ["plot", str(run), str(sft_dir), "--out", str(plot)])
    assert result.exit_code == 0, result.output
    assert "left out" not in result.output or "dev accuracy" not in result.output.split("left out")[1]


def test_kinds_select_tasks_and_bad_kinds_are_named():
    assert kinds_by_domain(["drug_interaction"], None) == {"drug_interaction": None}
    task = draw_train_task("drug_interaction", 0, 3, kinds=["pair_severity"], tier="unassisted")
    assert task_kind(task) == "pair_severity" and task.tier == "unassisted" and task.split == "train"
    assert {task_kind(t) for t in dev_tasks("drug_interaction", 5, kinds=["pregnancy_lactation"])} == {
        "pregnancy_lactation"
    }
    with pytest.raises(ValueError, match="pair_severity"):  # the message lists the allowed kinds
        kinds_by_domain(["drug_interaction"], ["no_such_kind"])
    with pytest.raises(ValueError, match="drop the domain"):
        kinds_by_domain(["drug_interaction", "psychiatry"], ["pair_severity"])
    with pytest.raises(ValueError, match="kinds narrow the train stream"):
        TrainConfig(split="dev", kinds=["pair_severity"])


def test_a_kind_absent_from_a_tier_is_refused_not_searched_for():
    # triage_emergency scores are assisted-only: a stream filtered on unassisted scores would never yield.
    with pytest.raises(ValueError, match="no unassisted task of kind \\['score'\\]"):
        next(train_tasks("triage_emergency", 0, kinds=["score"], tier="unassisted"))
    assert task_kind(next(train_tasks("triage_emergency", 0, kinds=["score"], tier="assisted"))) == "score"


def test_reference_accuracy_is_the_graders():
    tasks = {
        "drug_interaction": dev_tasks("drug_interaction", 3, kinds=["pair_severity"]),
        "ehr_management": dev_tasks("ehr_management", 3, kinds=["patient_lookup"]),
    }
    assert reference_accuracy(tasks) == {"drug_interaction": 1.0, "ehr_management": 1.0}


@pytest.mark.parametrize(
    ("tool_call_rate", "accuracies", "met"),
    [
        (0.95, {"a": 0.5, "b": 0.2}, True),  # both domains inside the band, bounds included
        (0.95, {"a": 0.5, "b": 0.8}, True),
        (0.89, {"a": 0.5, "b": 0.5}, False),  # too few valid calls
        (0.95, {"a": 0.5, "b": 0.1}, False),  # one domain below the band: the pooled mean would have passed
        (0.95, {"a": 0.5, "b": 0.9}, False),  # one domain above it: no headroom left there
    ],
)
def test_the_stopping_band_holds_in_every_domain(tool_call_rate, accuracies, met):
    cfg = SFTConfig(domains=["drug_interaction"])
    scores = {"tool_call_rate": tool_call_rate} | {f"{d}/accuracy": a for d, a in accuracies.items()}
    assert in_band(scores, {"a": 1.0, "b": 1.0}, cfg) is met
    assert in_band({**scores, "a/accuracy": 0.25}, {"a": 0.5, "b": 1.0}, cfg) is met  # relative to each reference


def test_the_learning_rate_warms_up_then_holds_or_decays():
    constant = SFTConfig(warmup_steps=10, steps=110)
    cosine = SFTConfig(warmup_steps=10, steps=110, lr_scheduler_type="cosine")
    for cfg in (constant, cosine):
        assert lr_factor(cfg, 0) == pytest.approx(0.1) and lr_factor(cfg, 4) == pytest.approx(0.5)
        assert lr_factor(cfg, 10) == pytest.approx(1.0)
    assert [lr_factor(constant, i) for i in (60, 110, 500)] == [1.0, 1.0, 1.0]
    assert lr_factor(cosine, 60) == pytest.approx(0.5)  # halfway from the warm-up's end to `steps`
    assert lr_factor(cosine, 35) == pytest.approx(0.5 * (1 + 2**-0.5))
    assert lr_factor(cosine, 110) == pytest.approx(0.0) and lr_factor(cosine, 200) == pytest.approx(0.0)
    with pytest.raises(ValueError, match="lr_scheduler_type"):
        SFTConfig(lr_scheduler_type="linear")
    with pytest.raises(ValueError, match="copy_alphabet_after must be >= 0, got -1"):
        SFTConfig(copy_alphabet_after=-1)


def test_identifiers_split_into_the_copy_alphabet(tokenizer):
    alphabet = identifier_alphabet(tokenizer)
    assert all(tokenizer.decode([i]).isalnum() and len(tokenizer.decode([i])) <= 2 for i in alphabet)
    assert not set(alphabet) & set(tokenizer.all_special_ids)
    for identifier in ("EHR-151HKHW9DRBRB", "S3678831"):  # unseen ids fall apart into one- and two-character tokens
        pieces = [i for i in tokenizer(identifier)["input_ids"] if tokenizer.decode([i]) != "-"]
        assert set(pieces) <= set(alphabet), [tokenizer.decode([i]) for i in pieces]


@pytest.mark.parametrize("with_alphabet", [False, True])
def test_copy_batches_repeat_a_span_and_mask_its_predictable_tokens(with_alphabet):
    pool, alphabet = torch.arange(100, 4100), torch.arange(10, 20) if with_alphabet else torch.tensor([])
    ids, mask = copy_batch(pool, alphabet, 8, 64, torch.Generator().manual_seed(0))
    assert ids.shape == mask.shape == (8, 64)
    for row in range(8):
        masked = mask[row].nonzero().flatten()
        span = len(masked) + 1
        assert 2 <= span <= 16 and masked[0] >= 33 and masked.diff().eq(1).all()  # one run, in the second half
        copy = int(masked[0]) - 1
        source = ids[row, copy : copy + span]
        assert any(ids[row, s : s + span].equal(source) for s in range(0, 32 - span))  # a copy of the first half
        from_alphabet = bool(((source >= 10) & (source < 20)).all())
        assert from_alphabet is (with_alphabet and row % 2 == 1)


def test_the_copy_alphabet_joins_after_its_step(tokenizer):
    """Up to ``alphabet_after`` the warm-up is the distinct-span task, batch for batch; from it on, it is not."""
    from healthgym.rl.tiny import build_model

    vocab, alphabet = list(range(7, len(tokenizer))), identifier_alphabet(tokenizer)

    def losses(**kw):
        return copy_warmup(build_model(tokenizer, hidden_size=32, layers=1, heads=2), vocab, 3, length=40, **kw)

    distinct = losses()
    assert losses(alphabet=alphabet, alphabet_after=3) == distinct
    mixed_late = losses(alphabet=alphabet, alphabet_after=2)
    assert mixed_late[:2] == distinct[:2] and mixed_late[2] != distinct[2]


def test_greedy_sampling_is_deterministic(model, tokenizer):
    from healthgym.rl.rollout import ChatCodec, sample_turns

    codec = ChatCodec(tokenizer)
    prompt = [codec.encode("Check the interaction between warfarin and aspirin")]
    runs = [
        sample_turns(
            model,
            prompt,
            max_new_tokens=[6],
            temperature=0.0,
            codec=codec,
            generator=torch.Generator().manual_seed(seed),
        )
        for seed in (1, 2)
    ]
    assert runs[0][0][0] == runs[1][0][0]
    with torch.no_grad():
        first = model(input_ids=torch.tensor(prompt)).logits[0, -1].argmax().item()
    assert runs[0][0][0][0] == first


def test_turn_rates_count_valid_calls_and_toolless_turns():
    from healthgym.rl.diagnostics import turn_rates
    from healthgym.schemas import ToolCall, ToolResult, Trajectory, Turn

    ok = Turn(
        assistant="a", tool_calls=[ToolCall(name="x", arguments={})], tool_results=[ToolResult(name="x", text="{}")]
    )
    bad = Turn(
        assistant="b",
        tool_calls=[ToolCall(name="y", arguments={})],
        tool_results=[ToolResult(name="y", is_error=True, text="unknown tool")],
    )
    prose = Turn(assistant="I think it is fine.", parse_error="No tool call found.")
    traj = Trajectory(task_id="t", domain="d", turns=[ok, bad, prose, ok])
    assert turn_rates([traj]) == {"tool_call_rate": 0.5, "toolless_turn_rate": 0.25}
    assert turn_rates([]) == {"tool_call_rate": 0.0, "toolless_turn_rate": 0.0}


def test_sft_starts_from_a_model_directory(sft_dir, tmp_path, tiny_domain):
    """Any local transformers model directory warm-starts too (here: the tiny checkpoint saved above)."""
    first = json.loads((sft_dir / "sft.json").read_text())
    cfg = SFTConfig(
        model=str(sft_dir),
        domains=[tiny_domain],
        output_dir=str(tmp_path),
        device="cpu",
        train_tasks=2,
        steps=1,
        eval_every=1,
        eval_tasks=1,
        max_turns=1,
        max_new_tokens=4,
        max_response_tokens=32,
    )
    summary = run_sft(cfg)
    assert summary["parameters"] == first["parameters"] and summary["steps_run"] == 1
    assert first["copy_warmup_loss"] is not None and summary["copy_warmup_loss"] is None  # never on a directory


def test_sft_refuses_unknown_kinds_and_domains_in_one_line(tmp_path):
    result = CliRunner().invoke(app, ["sft", "--output-dir", str(tmp_path), "--kinds", "nope"])
    assert result.exit_code == 2 and "pregnancy_lactation" in result.output
    result = CliRunner().invoke(app, ["sft", "--output-dir", str(tmp_path), "--domains", "nowhere"])
    assert result.exit_code == 2 and "drug_interaction" in result.output
    assert not any(tmp_path.iterdir())  # refused before anything is written
