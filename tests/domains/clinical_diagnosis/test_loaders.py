"""The DDXPlus CSV and AgentClinic OSCE loaders, on fixture files made by us in each release format."""

from __future__ import annotations

import ast
import csv
from pathlib import Path

import pytest

from bench.ddxplus import evaluate
from healthgym.agents.reference import play_reference
from healthgym.mcp_servers.domains import get_domain
from healthgym.mcp_servers.inprocess import InProcessSession
from healthgym.mcp_servers.loaders import load_tasks, loaded_case
from healthgym.mcp_servers.server import build_server
from healthgym.rl.env import HealthGymEnv

FIXTURES = Path(__file__).parent / "fixtures"
DDXPLUS = FIXTURES / "ddxplus_patients.csv"
OSCE = FIXTURES / "agentclinic_osce.jsonl"
SPEC = get_domain("clinical_diagnosis")


def _ok(session: InProcessSession, name: str, **args) -> dict:
    out = session.call_tool(name, args)
    assert not out.is_error, out.text
    return out.structured


def test_each_ddxplus_row_is_a_history_encounter_answering_from_the_row() -> None:
    tasks = load_tasks(SPEC, "ddxplus", DDXPLUS)
    rows = list(csv.DictReader(DDXPLUS.open()))
    assert len(tasks) == len(rows) == 12
    session = InProcessSession(build_server("clinical_diagnosis"))
    for task, row in zip(tasks, rows, strict=True):
        listed = ast.literal_eval(row["EVIDENCES"])
        case = loaded_case("clinical_diagnosis", task.case_ref)
        assert case.condition and task.answer.fields["diagnosis"].value
        enc = _ok(session, "get_encounter", case_id=task.case_ref)
        assert enc["complaint_code"] == row["INITIAL_EVIDENCE"]
        fever = _ok(session, "ask_patient", case_id=task.case_ref, question="E_91")["answers"][0]
        assert fever["present"] == ("E_91" in listed)
        assert _ok(session, "examine", case_id=task.case_ref, system="abdomen")["findings"] == []
    pain_row = next(i for i, r in enumerate(rows) if "E_54_@_V_161" in r["EVIDENCES"])
    pain = _ok(session, "ask_patient", case_id=tasks[pain_row].case_ref, question="E_54")["answers"][0]
    assert pain["kind"] == "detail" and "sensitive" in pain["answer"]


def test_ddxplus_rows_grade_their_pathology_and_a_french_differential_resolves() -> None:
    tasks = load_tasks(SPEC, "ddxplus", DDXPLUS)
    rows = list(csv.DictReader(DDXPLUS.open()))
    for task, row in zip(tasks, rows, strict=True):
        gold = {"diagnosis": row["PATHOLOGY"], "differential": list(task.answer.fields["differential"].codes)}
        assert SPEC.grade(task, gold).correct
        assert task.answer.fields["differential"].codes, row["DIFFERENTIAL_DIAGNOSIS"]


def test_bad_ddxplus_files_name_the_line_and_field(tmp_path) -> None:
    header, first = DDXPLUS.read_text().splitlines()[:2]
    bad = tmp_path / "bad.csv"
    bad.write_text(header + "\n" + first.replace("['E_", "['X_", 1) + "\n")
    with pytest.raises(ValueError, match=r"bad.csv:2: EVIDENCES holds 'X_"):
        load_tasks(SPEC, "ddxplus", bad)
    bad.write_text("AGE,SEX\n40,M\n")
    with pytest.raises(ValueError, match="DDXPlus columns missing: DIFFERENTIAL_DIAGNOSIS"):
        load_tasks(SPEC, "ddxplus", bad)


def test_the_osce_patient_never_reveals_a_section_not_asked_for() -> None:
    (task, _) = load_tasks(SPEC, "agentclinic", OSCE)
    session = InProcessSession(build_server("clinical_diagnosis"))
    cid = task.case_ref
    secret = ["accountant", "Ice pack", "Decremental", "8.2 nmol/L", "No thymoma", "No fever, weight loss"]
    enc = _ok(session, "get_encounter", case_id=cid)
    assert enc["presenting_complaint"] == "Double vision"
    history = _ok(session, "ask_patient", case_id=cid, question="general")
    text = str(history)
    assert "drooping eyelids for two months" in text and not any(s in text for s in secret)
    social = str(_ok(session, "ask_patient", case_id=cid, question="social_history"))
    assert "accountant" in social and not any(s in social for s in secret if s != "accountant")
    neuro = str(_ok(session, "examine", case_id=cid, system="neurological"))
    assert "Fatigable proximal weakness" in neuro and "Ice pack" not in neuro and "8.2" not in neuro
    test = _ok(session, "order_test", case_id=cid, test="acetylcholine receptor antibodies")
    assert "8.2 nmol/L" in test["report"] and "thymoma" not in test["report"]
    answer = _ok(session, "submit_diagnosis", case_id=cid, diagnosis="myasthenia gravis")
    assert SPEC.grade(task, answer).correct
    assert not SPEC.grade(task, {"diagnosis": "Lambert-Eaton syndrome"}).correct


def test_osce_and_ddxplus_cases_play_end_to_end_through_the_env() -> None:
    tasks = load_tasks(SPEC, "agentclinic", OSCE) + load_tasks(SPEC, "ddxplus", DDXPLUS)[:3]
    env = HealthGymEnv("clinical_diagnosis", "test", max_turns=64)
    for task in tasks:
        trajectory = play_reference(env, task)
        assert trajectory.error is None and trajectory.grade is not None, task.id
        assert trajectory.tool_calls[-1].name == "submit_diagnosis"


def test_the_bayesian_reference_on_the_fixture() -> None:
    """bench/ddxplus.py's numbers on our fixture (rows sampled from the model, so high by construction)."""
    result = evaluate(DDXPLUS)
    assert result["patients"] == 12 and result["top5"] == 1.0 and result["top1"] >= 0.9


def test_eval_plays_the_osce_file_through_mcp_with_the_scripted_agent(tmp_path) -> None:
    """The langgraph agent driven by the scripted model, over the domain's real MCP server (the servers it starts
    load the same file); the rule-based script cannot read the OSCE's free text, so only completion is asserted."""
    import json

    from typer.testing import CliRunner

    from healthgym.cli import app

    out = tmp_path / "run"
    args = ["eval", "--agent", "langgraph", "--model", "scripted", "--tasks-from", "agentclinic", str(OSCE)]
    result = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    (score,) = json.loads((out / "scorecard.json").read_text())["domains"]
    assert score["domain"] == "clinical_diagnosis" and score["episodes"] == 2 and score.get("errors", 0) == 0
