"""MedCalc-Bench runner: our calculators on the benchmark's extracted inputs, scored against its answer ranges.

Each CSV row carries ``Relevant Entities``, a Python-literal dict of the inputs the benchmark extracted from the note
(bare values, ``[value, unit]`` pairs, or ``[value, unit, value, unit]`` for feet-and-inches and years-and-months;
dates as ``MM/DD/YYYY``). An adapter per benchmark calculator maps those entities onto one of our calculators,
converting units with ``units.convert``, and the answer is correct when it lies in ``[Lower Limit, Upper Limit]``
(dates and gestational ages must match exactly).

The entity mapping and the benchmark's "unmentioned criterion is absent" convention live in ``medcalc_adapters``;
each row records the criteria it filled that way.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel, Field

from healthgym.mcp_servers.calculators.medcalc_adapters import BENCH_ADAPTERS, BENCH_NAMES, Adapter, Entities, bench_key
from healthgym.mcp_servers.calculators.registry import get_calculator
from healthgym.mcp_servers.calculators.result import CalcResult

__all__ = ["MedCalcReport", "medcalc_app", "run_medcalc", "score_row"]


class RowResult(BaseModel):
    """One scored row."""

    row: str = Field(description="Row Number (the join key with the relabelled file's Unique ID).")
    calculator_id: int | None
    calculator_name: str
    ours: str = Field(description="Our answer as compared; empty on an input error.")
    ground_truth: str
    lower: str
    upper: str
    correct: bool
    error: str = Field(default="", description="Why no answer was computed (missing entity, out of bounds...).")
    defaulted: list[str] = Field(default_factory=list, description="Criteria set to absent by benchmark convention.")


class CalculatorScore(BaseModel):
    """Accuracy on one benchmark calculator."""

    calculator_id: int | None
    calculator_name: str
    ours: str = Field(description="Our calculator's registry name.")
    total: int
    correct: int
    input_errors: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


class MedCalcReport(BaseModel):
    """Accuracy per calculator and overall, with every miss."""

    csv: str
    relabelled_csv: str | None
    total: int
    correct: int
    accuracy: float
    per_calculator: list[CalculatorScore]
    misses: list[RowResult]

    def table(self) -> str:
        """Markdown table of per-calculator accuracy, then the overall line."""
        lines = [
            "| ID | Calculator | ours | correct | total | accuracy | input errors |",
            "|---:|---|---|---:|---:|---:|---:|",
        ]
        for score in self.per_calculator:
            lines.append(
                f"| {score.calculator_id or ''} | {score.calculator_name} | {score.ours} | {score.correct} | "
                f"{score.total} | {score.accuracy:.1%} | {score.input_errors} |"
            )
        lines.append(f"| | **overall** | | {self.correct} | {self.total} | {self.accuracy:.1%} | |")
        return "\n".join(lines)


def score_row(row: dict[str, str]) -> RowResult:
    """Compute one benchmark row with our calculator and compare it with the answer range."""
    number = _calculator_id(row)
    name = row.get("Calculator Name", "")
    result = RowResult(
        row=str(row.get("Row Number", "")).strip(),
        calculator_id=number,
        calculator_name=name,
        ours="",
        ground_truth=row.get("Ground Truth Answer", ""),
        lower=row.get("Lower Limit", ""),
        upper=row.get("Upper Limit", ""),
        correct=False,
    )
    adapter = BENCH_ADAPTERS.get(number) if number is not None else None
    if adapter is None:
        result.error = f"no adapter for calculator {number} {name!r}"
        return result
    entities = Entities({})
    try:
        entities = Entities(ast.literal_eval(row["Relevant Entities"]))
        inputs = adapter.build(entities)
        answer = get_calculator(adapter.calculator)(**inputs)
    except (KeyError, SyntaxError, TypeError, ValueError) as exc:  # a malformed row is a miss, not a crash
        result.error = f"{type(exc).__name__}: {exc}"
    else:
        result.ours, result.correct = _compare(adapter, answer, inputs, result)
    result.defaulted = entities.defaulted
    return result


def _calculator_id(row: dict[str, str]) -> int | None:
    text = str(row.get("Calculator ID", "")).strip()
    if text.isdigit():
        return int(text)
    return BENCH_NAMES.get(bench_key(row.get("Calculator Name", "")))


def _compare(adapter: Adapter, answer: CalcResult, inputs: dict[str, Any], row: RowResult) -> tuple[str, bool]:
    if adapter.answer == "date":
        ours = (inputs["lmp_date"] + dt.timedelta(days=int(answer.value))).strftime("%m/%d/%Y")
        return ours, _parse_date(row.ground_truth) == _parse_date(ours)
    if adapter.answer == "weeks_days":
        weeks, days = divmod(int(answer.value), 7)
        return f"({weeks} weeks, {days} days)", _weeks_days(row.ground_truth) == (weeks, days)
    value = answer.value
    try:
        lower, upper = float(row.lower), float(row.upper)
    except ValueError:
        lower = upper = float(row.ground_truth)
    return f"{value:g}", lower - 1e-9 <= value <= upper + 1e-9


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text.strip().strip("'\""), "%m/%d/%Y").date()
    except ValueError:
        return None


def _weeks_days(text: str) -> tuple[int, int] | None:
    numbers = re.findall(r"\d+", text)
    return (int(numbers[0]), int(numbers[1])) if len(numbers) >= 2 else None


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _relabel(rows: Iterable[dict[str, str]], relabelled: list[dict[str, str]]) -> list[dict[str, str]]:
    """Rows of the original file with answers and limits from the relabelled file, joined on the row id."""
    labels = {str(label["Unique ID"]).strip(): label for label in relabelled}
    joined = []
    for row in rows:
        label = labels.get(str(row["Row Number"]).strip())
        if label is None:
            continue
        joined.append({**row, **{k: label[k] for k in ("Ground Truth Answer", "Lower Limit", "Upper Limit")}})
    return joined


def run_medcalc(
    csv_path: str | Path, relabelled_csv: str | Path | None = None, out_dir: str | Path | None = None
) -> MedCalcReport:
    """Score our calculators on a MedCalc-Bench CSV; with ``relabelled_csv``, against its corrected answers.

    Writes ``medcalc_report.json`` and ``medcalc_report.md`` into ``out_dir`` when given.
    """
    rows = _read_csv(Path(csv_path))
    if relabelled_csv is not None:
        rows = _relabel(rows, _read_csv(Path(relabelled_csv)))
    results = [score_row(row) for row in rows]
    scores: dict[tuple[int | None, str], CalculatorScore] = {}
    for result in results:
        adapter = BENCH_ADAPTERS.get(result.calculator_id) if result.calculator_id is not None else None
        key = (result.calculator_id, result.calculator_name)
        score = scores.setdefault(
            key,
            CalculatorScore(
                calculator_id=result.calculator_id,
                calculator_name=result.calculator_name,
                ours=adapter.calculator if adapter else "",
                total=0,
                correct=0,
                input_errors=0,
            ),
        )
        score.total += 1
        score.correct += result.correct
        score.input_errors += bool(result.error)
    correct = sum(result.correct for result in results)
    report = MedCalcReport(
        csv=str(csv_path),
        relabelled_csv=None if relabelled_csv is None else str(relabelled_csv),
        total=len(results),
        correct=correct,
        accuracy=correct / len(results) if results else 0.0,
        per_calculator=sorted(scores.values(), key=lambda s: (s.calculator_id or 0, s.calculator_name)),
        misses=[result for result in results if not result.correct],
    )
    if out_dir is not None:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        (out / "medcalc_report.json").write_text(json.dumps(report.model_dump(), indent=2) + "\n")
        (out / "medcalc_report.md").write_text(_markdown(report))
    return report


def _markdown(report: MedCalcReport) -> str:
    misses = ["| row | calculator | ours | ground truth | range | error |", "|---|---|---|---|---|---|"]
    for miss in report.misses:
        misses.append(
            f"| {miss.row} | {miss.calculator_name} | {miss.ours} | {miss.ground_truth} | "
            f"[{miss.lower}, {miss.upper}] | {miss.error} |"
        )
    return f"# MedCalc-Bench\n\n{report.table()}\n\n## Misses ({len(report.misses)})\n\n" + "\n".join(misses) + "\n"


medcalc_app = typer.Typer(help="Score the calculators on MedCalc-Bench.", no_args_is_help=True)


@medcalc_app.callback(invoke_without_command=True)
def medcalc(
    csv_path: Annotated[Path, typer.Option("--csv", exists=True, dir_okay=False, help="MedCalc-Bench test CSV.")],
    relabelled: Annotated[
        Path | None, typer.Option(exists=True, dir_okay=False, help="Relabelled CSV (Unique ID, ... Upper Limit).")
    ] = None,
    out: Annotated[Path, typer.Option(help="Folder for medcalc_report.json and .md.")] = Path("medcalc_results"),
) -> None:
    """Compute every row with our calculators; print accuracy per calculator and overall."""
    report = run_medcalc(csv_path, relabelled, out)
    typer.echo(report.table())
    typer.echo(f"\n{len(report.misses)} misses listed in {out / 'medcalc_report.md'}")
