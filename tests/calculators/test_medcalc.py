"""The MedCalc-Bench runner on small CSVs in the benchmark's formats (hand-labelled rows, see fixtures/).

``medcalc_sample.csv`` is in the v1.0 test-file format; ``medcalc_corrected.csv`` is in the physician-corrected
format (``Unique ID`` ... ``Upper Limit``) with ``N/A`` and empty labels, a gestational age in days, a label the
extracted entities cannot express (row 4: the note adds diabetes) and one the v1.0 reference code got wrong (row 6).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from healthgym.mcp_servers.calculators.medcalc import CONSISTENCY, medcalc_app, run_medcalc, score_row
from healthgym.mcp_servers.calculators.medcalc_adapters import BENCH_ADAPTERS, BENCH_NAMES, Entities, MissingEntity
from healthgym.mcp_servers.calculators.result import CalculatorInputError

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "medcalc_sample.csv"
CORRECTED = FIXTURES / "medcalc_corrected.csv"


def test_every_benchmark_calculator_has_an_adapter_and_a_name() -> None:
    assert len(BENCH_ADAPTERS) == 55
    assert sorted(BENCH_NAMES.values()) == sorted(BENCH_ADAPTERS)


def test_runner_scores_each_row_and_lists_every_miss(tmp_path: Path) -> None:
    report = run_medcalc(SAMPLE, out_dir=tmp_path)
    overall = report.overall
    assert (overall.rows, overall.correct, overall.input_errors, overall.abstentions) == (13, 11, 1, 0)
    assert overall.accuracy == 11 / 13 and overall.consistent_accuracy == 11 / 12
    by_id = {tally.calculator_id: tally for tally in report.per_calculator}
    assert by_id[2].ours == "cockcroft_gault" and by_id[2].correct == 1
    assert (by_id[17].correct, by_id[17].input_errors) == (0, 1)
    misses = {miss.row: miss for miss in report.misses}
    assert misses.keys() == {"6", "10"}
    # row 6 carries the reference implementation's SIRS count (it counts a heart rate of 80): both values listed
    assert (misses["6"].ours, misses["6"].ground_truth, misses["6"].status) == ("3", "4", "consistent")
    assert misses["10"].status == "input_error" and "pre_operative_creatinine" in misses["10"].error
    saved = json.loads((tmp_path / "medcalc_report.json").read_text())
    assert saved["overall"]["correct"] == 11 and len(saved["rows"]) == 13
    assert saved["rows"][3]["defaulted"] == ["chf", "tia", "thromboembolism", "vascular_disease", "diabetes"]
    markdown = (tmp_path / "medcalc_report.md").read_text()
    assert "  2 cockcroft_gault                   0   0       1/1 100.0%     0/0 100.0%" in markdown
    assert "- row 6, SIRS Criteria, consistent: ours 3, label 4 [4, 4]" in markdown


def test_corrected_labels_split_rows_into_abstentions_errors_consistent_and_changed(tmp_path: Path) -> None:
    report = run_medcalc(SAMPLE, relabelled_csv=CORRECTED, out_dir=tmp_path)
    rows = {row.row: row for row in report.rows}
    assert rows.keys() == {"1", "4", "6", "7", "8", "9", "10", "12", "13"}
    assert report.unmatched_labels == 1  # row 99 has no v1.0 row
    assert {row: result.status for row, result in rows.items()} == {
        "1": "consistent",
        "4": "changed",
        "6": "changed",
        "7": "consistent",
        "8": "consistent",
        "9": "abstention",
        "10": "input_error",
        "12": "abstention",
        "13": "consistent",
    }
    overall = report.overall
    assert (overall.abstentions, overall.input_errors, overall.consistent, overall.changed) == (2, 1, 4, 2)
    assert (overall.consistent_correct, overall.changed_correct) == (4, 1)
    assert overall.consistent_accuracy == 1.0 and overall.accuracy == 5 / 7
    # a label the entities cannot express is a miss; one correcting the v1.0 reference code is a hit
    assert (rows["4"].ours, rows["4"].v1_answer, rows["4"].correct) == ("5", "5", False)
    assert (rows["6"].ours, rows["6"].v1_answer, rows["6"].correct) == ("3", "4", True)
    assert (rows["7"].ours, rows["7"].ground_truth, rows["7"].correct) == ("(16 weeks, 1 days)", "113", True)
    assert rows["10"].label_changed is False and rows["9"].label_changed is None
    assert report.consistency == CONSISTENCY
    saved = json.loads((tmp_path / "medcalc_report.json").read_text())
    assert saved["overall"]["consistent_accuracy"] == 1.0 and saved["unmatched_labels"] == 1


@pytest.mark.parametrize(
    ("answer", "lower", "upper", "correct"),
    [
        ("(16 weeks, 1 days)", "(16 weeks, 1 days)", "(16 weeks, 1 days)", True),
        ("('16 weeks', '1 days')", "('16 weeks', '1 days')", "('16 weeks', '1 days')", True),
        ("16 weeks 1 day", "", "", True),
        ("113", "107.35", "118.65", True),
        ("113", "", "", True),
        ("114", "114", "114", False),
        ("16 weeks", "", "", False),
    ],
)
def test_gestational_age_answers_in_days_or_weeks_and_days_are_compared_as_days(
    answer: str, lower: str, upper: str, correct: bool
) -> None:
    row = _row(69, "{'menstrual_date': '01/06/2022', 'current_date': '04/29/2022'}", "('16 weeks', '1 days')")
    label = {"Ground Truth Answer": answer, "Lower Limit": lower, "Upper Limit": upper}
    assert score_row(row, label).correct is correct


def test_dates_compare_as_days_whatever_the_zero_padding() -> None:
    row = _row(13, "{'menstrual_date': '12/03/2023', 'cycle_length': 28}", "09/08/2024")
    assert score_row(row, {"Ground Truth Answer": "9/8/2024", "Lower Limit": "", "Upper Limit": ""}).correct
    assert not score_row(row, {"Ground Truth Answer": "09/09/2024", "Lower Limit": "", "Upper Limit": ""}).correct


@pytest.mark.parametrize("abstention", ["N/A", "n/a", "", "  "])
def test_abstention_labels_are_counted_not_scored(abstention: str) -> None:
    row = _row(5, "{'sys_bp': [120.0, 'mm hg'], 'dia_bp': [80.0, 'mm hg']}", "93.333")
    result = score_row(row, {"Ground Truth Answer": abstention, "Lower Limit": "N/A", "Upper Limit": "N/A"})
    assert (result.status, result.correct, result.ours) == ("abstention", False, "93.33")


def test_an_unreadable_label_names_the_row_and_the_value() -> None:
    row = _row(5, "{'sys_bp': [120.0, 'mm hg'], 'dia_bp': [80.0, 'mm hg']}", "93.333")
    with pytest.raises(ValueError, match=r"row 1: answer 'about 93' is not a number"):
        score_row(row, {"Ground Truth Answer": "about 93", "Lower Limit": "", "Upper Limit": ""})


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
    assert unknown.status == "input_error" and unknown.error.startswith("no adapter")


def test_a_relabelled_file_without_the_label_columns_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "labels.csv"
    broken.write_text("Unique ID,Answer\n1,5\n")
    with pytest.raises(ValueError, match=r"missing columns \['Ground Truth Answer', 'Lower Limit', 'Upper Limit'\]"):
        run_medcalc(SAMPLE, relabelled_csv=broken)


def test_entities_convert_units_and_record_criteria_set_absent() -> None:
    entities = Entities(
        {
            "Heart Rate or Pulse": [80, "beats per minute"],
            "height": [5, "ft", 10, "in"],
            "age": [2, "years", 6, "months"],
            "temperature": [100.4, "degrees fahrenheit"],
            "White blood cell count": [9400.0, "m^3"],  # v1.0 rows 589-606: the notes give 9400/mm3
        },
        absent_if_unmentioned=True,
    )
    assert entities.number("heart_rate") == 80
    assert entities.height_cm() == 177.8
    assert entities.age_years() == 2.5
    assert round(entities.temperature_c(), 6) == 38.0
    assert entities.number("wbc", unit="10^9/L") == pytest.approx(9.4)
    assert entities.flag("hemoptysis") is False and entities.defaulted == ["hemoptysis"]
    assert entities.unread() == []


def test_without_a_stated_rule_nothing_is_set_absent() -> None:
    entities = BENCH_ADAPTERS[51].entities({"temperature": [38.5, "degrees celsius"]})
    with pytest.raises(MissingEntity, match="'hemoptysis' .*no absent-unless-mentioned rule"):
        entities.flag("hemoptysis")
    assert entities.defaulted == []


def test_yes_no_criteria_read_the_v1_spellings_and_refuse_other_words() -> None:
    entities = Entities(
        {"ckd": "Severe", "crf": "Not mentinoed", "tumour": "Metastatic", "dm": "yes"}, absent_if_unmentioned=True
    )
    assert entities.flag("ckd", present=("moderate", "severe")) is True
    assert entities.flag("crf") is False and entities.defaulted == ["crf"]
    assert entities.flag("dm") is True
    with pytest.raises(CalculatorInputError, match="'tumour'='Metastatic' is not yes/no"):
        entities.flag("tumour")


def test_charlson_reads_yes_no_tumours_and_single_word_liver_severity() -> None:
    """Row 432 of the v1.0 file: a tumour given as True is Charlson's 2-point 'any tumor' (not metastatic)."""
    raw = {
        "Congestive Heart Faliure": True,
        "Moderate to severe Chronic Kidney Disease": "Severe",
        "Diabetes mellitus criteria for CCI rule": "End-organ damage",
        "Liver disease severity": "Severe",
        "Solid tumor": True,
        "age": [72.0, "years"],
    }
    adapter = BENCH_ADAPTERS[32]
    entities = adapter.entities(raw)
    inputs = adapter.build(entities)
    assert inputs["heart_failure"] and inputs["moderate_to_severe_ckd"]
    assert (inputs["solid_tumor"], inputs["liver_disease"], inputs["diabetes"]) == (
        "localized",
        "moderate_to_severe",
        "end_organ_damage",
    )
    assert entities.unread() == []


def test_a_fentanyl_patch_given_as_a_mass_is_an_input_error() -> None:
    raw = "{'FentANYL patch Dose': [60, 'mg'], 'FentANYL patch Dose Per Day': [1, 'per day']}"
    result = score_row(_row(49, raw, "144"))
    assert result.status == "input_error" and "a patch strength is micrograms per hour" in result.error


class _AllMeasured(Entities):
    """Every measurement and required choice present; only criteria and treatments are looked up."""

    def number(self, *names: str, unit: str | None = None, analyte: str | None = None) -> float:
        return 1.0

    def optional(self, *names: str, unit: str | None = None, analyte: str | None = None) -> float | None:
        return 1.0

    def age_years(self) -> float:
        return 50.0

    def height_cm(self) -> float:
        return 170.0

    def weight_kg(self) -> float:
        return 70.0

    def temperature_c(self) -> float:
        return 37.0

    def date(self, *names: str) -> dt.date:
        return dt.date(2024, 1, 1)

    def sex(self) -> str:
        return "female"

    def choice(self, name: str, mapping: dict[str, Any]) -> Any:
        return next(iter(mapping.values()))


@pytest.mark.parametrize("calculator_id", sorted(BENCH_ADAPTERS))
def test_criteria_are_set_absent_only_by_adapters_that_state_a_source(calculator_id: int) -> None:
    adapter = BENCH_ADAPTERS[calculator_id]
    entities = _AllMeasured({}, absent_if_unmentioned=True)
    with contextlib.suppress(MissingEntity, TypeError):  # GCS components and steroid names are read directly
        adapter.build(entities)
    assert bool(entities.defaulted) == bool(adapter.absent_rule), (entities.defaulted, adapter.absent_rule)


def test_cli_prints_an_80_column_table_and_json(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["--csv", str(SAMPLE), "--relabelled", str(CORRECTED), "--out", str(tmp_path)]
    result = runner.invoke(medcalc_app, args)
    assert result.exit_code == 0, result.output
    *report, misses = result.output.strip().split("\n\n")
    table = report[0].splitlines()
    assert max(len(line) for line in "\n".join(report).splitlines()) <= 80
    assert misses == f"2 misses listed in {tmp_path / 'medcalc_report.md'}"
    assert "    all                               2   1       4/4 100.0%     1/2  71.4%" in table
    assert f"consistent: {CONSISTENCY}" in result.output
    assert (tmp_path / "medcalc_report.json").exists()
    as_json = runner.invoke(medcalc_app, [*args, "--json"])
    summary = json.loads(as_json.output)
    assert "rows" not in summary and summary["overall"]["changed"] == 2


def _row(calculator_id: int, entities: str, answer: str) -> dict[str, str]:
    return {
        "Row Number": "1",
        "Calculator ID": str(calculator_id),
        "Calculator Name": "",
        "Relevant Entities": entities,
        "Ground Truth Answer": answer,
        "Lower Limit": answer,
        "Upper Limit": answer,
    }


def test_healthgym_bench_medcalc_runs_the_runner(tmp_path: Path) -> None:
    from healthgym.cli import app

    result = CliRunner().invoke(app, ["bench", "medcalc", "--csv", str(SAMPLE), "--out", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["overall"]["correct"] == 11
