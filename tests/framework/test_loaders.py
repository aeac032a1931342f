"""Tasks from a user's file: loaded, served by the domain's own tools, played and graded like generated ones."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from healthgym.agents.reference import play_reference
from healthgym.cli import app
from healthgym.mcp_servers.domains import get_domain
from healthgym.mcp_servers.loaders import domain_of_format, load_tasks, loaded_case
from healthgym.rl.env import HealthGymEnv


@pytest.fixture
def potassium_file(tmp_path):
    path = tmp_path / "patients.csv"
    path.write_text("3.1,40\n5.9,71\n4.4,18\n")
    return path


def test_a_loaded_case_is_served_by_the_domain_tools_and_graded(tiny_domain: str, potassium_file) -> None:
    tasks = load_tasks(get_domain(tiny_domain), "potassium-csv", potassium_file)
    assert [t.answer.value for t in tasks] == [3.1, 5.9, 4.4]
    assert loaded_case(tiny_domain, tasks[1].case_ref)["age_years"] == 71
    env = HealthGymEnv(tiny_domain, "test")
    for task in tasks:
        trajectory = play_reference(env, task)
        assert trajectory.task_id == task.id
        assert trajectory.grade is not None and trajectory.grade.correct


def test_the_same_row_gets_the_same_id_and_other_rows_others(tiny_domain: str, potassium_file, tmp_path) -> None:
    again = tmp_path / "again.csv"
    again.write_text("5.9,71\n")
    first = load_tasks(get_domain(tiny_domain), "potassium-csv", potassium_file)
    (second,) = load_tasks(get_domain(tiny_domain), "potassium-csv", again)
    assert second.case_ref == first[1].case_ref
    assert len({t.case_ref for t in first}) == 3


def test_bad_formats_and_files_are_named(tiny_domain: str, potassium_file, tmp_path) -> None:
    spec = get_domain(tiny_domain)
    with pytest.raises(ValueError, match=r"no loader for format 'csv'; formats: potassium-csv \(potassium,age"):
        load_tasks(spec, "csv", potassium_file)
    with pytest.raises(ValueError, match="no such file"):
        load_tasks(spec, "potassium-csv", tmp_path / "missing.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("3.1,40\nhigh,12\n")
    with pytest.raises(ValueError, match=r"bad.csv:2: expected 'potassium,age', got 'high,12'"):
        load_tasks(spec, "potassium-csv", bad)
    with pytest.raises(ValueError, match="unknown task file format 'nope'; known formats: potassium-csv \\(tiny\\)"):
        domain_of_format("nope", {"tiny": spec})


def test_tasks_command_reads_a_file(tiny_domain: str, potassium_file) -> None:
    result = CliRunner().invoke(app, ["tasks", tiny_domain, "--from", "potassium-csv", str(potassium_file)])
    assert result.exit_code == 0, result.output
    assert f"tiny potassium-csv file {potassium_file}: 3 tasks" in result.output.replace("\n", "")
    result = CliRunner().invoke(app, ["tasks", tiny_domain, "--from", "xml", str(potassium_file)])
    assert result.exit_code == 2 and "no loader for format 'xml'" in result.output


@pytest.mark.parametrize("agent", ["reference", "langgraph"])
def test_eval_plays_a_file(agent: str, tiny_domain: str, potassium_file, tmp_path) -> None:
    out = tmp_path / "run"
    args = ["eval", "--agent", agent, "--tasks-from", "potassium-csv", str(potassium_file), "--out", str(out)]
    result = CliRunner().invoke(app, [*args, *(["--model", "scripted"] if agent != "reference" else [])])
    assert result.exit_code == 0, result.output
    (score,) = json.loads((out / "scorecard.json").read_text())["domains"]
    assert score["domain"] == tiny_domain and score["episodes"] == 3 and score["accuracy"] == 1.0
    assert json.loads((out / "run.json").read_text())["tasks_from"] == ["potassium-csv", str(potassium_file)]
    again = CliRunner().invoke(app, [*args, *(["--model", "scripted"] if agent != "reference" else [])])
    assert again.exit_code == 0, again.output  # the same file resumes into the same folder
