"""The exporter's parquet loads with verl's RLHFDataset, its rows drive the agent loop, and it holds no test task."""

from __future__ import annotations

import json

import pytest
from omegaconf import OmegaConf
from typer.testing import CliRunner

from healthgym.cli import app
from healthgym.mcp_servers.domain import tasks
from healthgym.mcp_servers.domains import domain_names, get_domain
from healthgym.schemas import Task

pytest.importorskip("healthgym.rl.verl", exc_type=ImportError)
import pyarrow.parquet as pq  # noqa: E402
from verl.utils.dataset.rl_dataset import RLHFDataset  # noqa: E402

from healthgym.rl.verl.agent_loop import AGENT_NAME  # noqa: E402
from healthgym.rl.verl.export import export, rows_of, task_rows, write_parquet  # noqa: E402
from tests.rl.verl.scripted import ScriptedServer, gym_reward, reference_actions, run_loop  # noqa: E402


def test_parquet_loads_with_rlhf_dataset_and_its_rows_drive_the_agent_loop(tmp_path, model, tokenizer):
    rows = [row for d in domain_names() for row in rows_of(tasks(get_domain(d), "test", 2))]
    path = write_parquet(rows, tmp_path / "rows.parquet")
    dataset = RLHFDataset(str(path), tokenizer, OmegaConf.create({"max_prompt_length": 60_000}))
    assert len(dataset) == len(rows)
    item = dataset[1]
    assert item["agent_name"] == AGENT_NAME and item["data_source"] == f"healthgym/{rows[1]['extra_info']['domain']}"
    assert item["index"] == 1 and [m["role"] for m in item["raw_prompt"]] == ["system", "user"]
    info = item["extra_info"]
    assert set(info) >= {"task_id", "domain", "tier", "task", "privileged"} and info["tier"] in (
        "assisted",
        "unassisted",
    )
    assert "Reference answer" in info["privileged"]["gold"] and "Reference answer" not in str(item["raw_prompt"])
    assert [t["function"]["name"] for t in json.loads(item["tools"])]

    task = tasks(get_domain(info["domain"]), "test", 2)[1]
    assert info["task_id"] == task.id
    actions = reference_actions(task)
    out = run_loop(ScriptedServer(model, tokenizer, actions), tokenizer, item)
    assert out.reward_score == pytest.approx(gym_reward(task, actions)[0], abs=1e-12)


def test_test_split_is_refused():
    with pytest.raises(ValueError, match="test is the benchmark"):
        task_rows("drug_interaction", "test", 3)


def test_cli_exports_train_tasks_and_no_test_task(tmp_path):
    result = CliRunner().invoke(
        app,
        ["export-verl", "--domains", ",".join(domain_names()), "--split", "train", "-n", "3", "--out", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    table = pq.read_table(tmp_path / "train.parquet").to_pylist()
    assert len(table) == 3 * len(domain_names())
    assert [r["extra_info"]["domain"] for r in table[:2]] == domain_names()[:2]  # interleaved
    test_tasks = [t for d in domain_names() for t in tasks(get_domain(d), "test")]
    test_ids, test_questions = {t.id for t in test_tasks}, {(t.prompt, t.case_ref) for t in test_tasks}
    exported = [Task.model_validate_json(r["extra_info"]["task"]) for r in table]
    assert all(t.split == "train" and t.id not in test_ids for t in exported)
    assert not {(t.prompt, t.case_ref) for t in exported} & test_questions
    assert all(t.prompt in r["prompt"][1]["content"] for t, r in zip(exported, table, strict=True))
    assert [r["extra_info"]["index"] for r in table] == list(range(len(table)))


def test_unknown_domain_is_named():
    with pytest.raises(ValueError, match="unknown domains \\['nope'\\]"):
        export(["nope"], "train", 1, None)  # type: ignore[arg-type]
