"""The MedCalc-Bench runner on a small CSV in the benchmark's format (hand-labelled rows, see fixtures/)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from healthgym.mcp_servers.calculators.medcalc import medcalc_app, run_medcalc, score_row
from healthgym.mcp_servers.calculators.medcalc_adapters import BENCH_ADAPTERS, BENCH_NAMES, Entities

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "medcalc_sample.csv"
RELABELLED = FIXTURES / "medcalc_relabelled.csv"


def test_every_benchmark_calculator_has_an_adapter_and_a_name() -> None:
    assert len(BENCH_ADAPTERS) == 55
    assert sorted(BENCH_NAMES.values()) == sorted(BENCH_ADAPTERS)


def test_runner_scores_each_row_and_lists_every_miss(tmp_path: Path) -> None:
    report = run_medcalc(SAMPLE, out_dir=tmp_path)
    assert (report.total, report.correct) == (13, 11)
    assert report.accuracy == 11 / 13
    by_id = {score.calculator_id: score for score in report.per_calculator}
    assert by_id[2].ours == "cockcroft_gault" and by_id[2].correct == 1
    assert (by_id[17].correct, by_id[17].input_errors) == (0, 1)
    misses = {miss.row: miss for miss in report.misses}
    assert misses.keys() == {"6", "10"}
    # row 6 carries the reference implementation's SIRS count (it counts a heart rate of 80): both values listed
    assert (misses["6"].ours, misses["6"].ground_truth) == ("3", "4")
    assert "pre_operative_creatinine" in misses["10"].error
    assert "ischemetic_heart_disease" in misses["10"].defaulted
    saved = json.loads((tmp_path / "medcalc_report.json").read_text())
    assert saved["correct"] == 11 and len(saved["misses"]) == 2
    table = (tmp_path / "medcalc_report.md").read_text()
    assert "| 2 | Creatinine Clearance (Cockcroft-Gault Equation) | cockcroft_gault | 1 | 1 | 100.0% | 0 |" in table
    assert "| 6 | SIRS Criteria | 3 | 4 | [4, 4] |" in table


def test_relabelled_file_replaces_the_answers_of_the_rows_it_joins() -> None:
    report = run_medcalc(SAMPLE, relabelled_csv=RELABELLED)
    assert (report.total, report.correct) == (3, 2)
    assert [miss.row for miss in report.misses] == ["10"]


def test_rows_are_matched_by_name_when_the_id_is_absent_and_unknown_ones_are_reported() -> None:
    row = {
        "Row Number": "1",
        "Calculator Name": "Mean Arterial Pressure (MAP)",
        "Ground Truth Answer": "93.333",
        "Lower Limit": "88.0",
        "Upper Limit": "98.0",
        "Relevant Entities": "{'sys_bp': [120.0, 'mm hg'], 'dia_bp': [80.0, 'mm hg']}",
    }
    assert score_row(row).correct
    unknown = score_row({**row, "Calculator Name": "Ottawa Ankle Rule"})
    assert not unknown.correct and unknown.error.startswith("no adapter")


def test_entities_convert_units_and_record_benchmark_defaults() -> None:
    entities = Entities(
        {
            "Heart Rate or Pulse": [80, "beats per minute"],
            "height": [5, "ft", 10, "in"],
            "age": [2, "years", 6, "months"],
            "temperature": [100.4, "degrees fahrenheit"],
        }
    )
    assert entities.number("heart_rate") == 80
    assert entities.height_cm() == 177.8
    assert entities.age_years() == 2.5
    assert round(entities.temperature_c(), 6) == 38.0
    assert entities.flag("hemoptysis") is False and entities.defaulted == ["hemoptysis"]


def test_cli_prints_the_table_and_writes_the_reports(tmp_path: Path) -> None:
    result = CliRunner().invoke(medcalc_app, ["--csv", str(SAMPLE), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "| | **overall** | | 11 | 13 | 84.6% | |" in result.output
    assert (tmp_path / "medcalc_report.json").exists()
