"""MedCalc-Bench runner: our calculators on the benchmark's extracted inputs, scored against its answer ranges.

Each CSV row carries ``Relevant Entities``, a Python-literal dict of the inputs the benchmark extracted from the note
(bare values, ``[value, unit]`` pairs, or ``[value, unit, value, unit]`` for feet-and-inches and years-and-months;
dates as ``MM/DD/YYYY``). An adapter per benchmark calculator maps those entities onto one of our calculators
(``medcalc_adapters``), and the answer is correct when it lies in ``[Lower Limit, Upper Limit]``.

Answers are normalised before comparison: dates to days, gestational ages given as ``(22 weeks, 2 days)``,
``('22 weeks', '2 days')`` or a number of days (``156``) to days. A label of ``N/A`` or an empty one is an
abstention: the row is not scored, only counted.

With a relabelled file (corrected labels joined on ``Row Number`` = ``Unique ID``) each scored row falls in one
partition: *input error* (the row's entities cannot be computed), *consistent* (the corrected answer lies in the v1.0
answer's ``[Lower Limit, Upper Limit]``, so the extracted entities, from which the v1.0 answer was computed, still
describe the case; accuracy there is the calculators' accuracy) or *changed* (the corrected answer is outside that
range: a re-reading of the note the extracted entities cannot express).
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import json
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from pydantic import BaseModel, Field, computed_field

from healthgym.mcp_servers.calculators.medcalc_adapters import BENCH_ADAPTERS, BENCH_NAMES, Adapter, bench_key
from healthgym.mcp_servers.calculators.registry import get_calculator
from healthgym.mcp_servers.calculators.result import CalcResult

__all__ = ["CONSISTENCY", "MedCalcReport", "RowResult", "Tally", "medcalc_app", "run_medcalc", "score_row"]

CONSISTENCY = "corrected answer inside the v1.0 answer's [Lower Limit, Upper Limit]"
"""When a corrected label counts as consistent with the extracted entities (the benchmark's own tolerance)."""
ABSTENTIONS = {"", "n/a", "na"}
"""Labels meaning 'the note does not allow an answer' (the corrected file writes ``N/A``)."""
LABEL_COLUMNS = ("Ground Truth Answer", "Lower Limit", "Upper Limit")

Status = Literal["consistent", "changed", "input_error", "abstention"]


class RowResult(BaseModel):
    """One row: our answer, the label it is scored against, and the partition it falls in."""

    row: str = Field(description="Row Number (the join key with the relabelled file's Unique ID).")
    calculator_id: int | None
    calculator_name: str
    status: Status
    ours: str = Field(description="Our answer as compared; empty on an input error.")
    ground_truth: str
    lower: str
    upper: str
    v1_answer: str = Field(description="The v1.0 answer (the ground truth itself without a relabelled file).")
    correct: bool
    label_changed: bool | None = Field(
        default=None, description="Corrected answer outside the v1.0 range; None without a relabelled file."
    )
    error: str = Field(default="", description="Why no answer was computed (missing entity, out of bounds...).")
    defaulted: list[str] = Field(default_factory=list, description="Criteria set to absent by the adapter's rule.")
    unread: list[str] = Field(default_factory=list, description="Entity keys of the row the adapter did not use.")


class Tally(BaseModel):
    """Rows of one calculator (or of all) by partition."""

    calculator_id: int | None
    calculator_name: str
    ours: str = Field(description="Our calculator's registry name.")
    absent_rule: str = Field(description="The adapter's absent-unless-mentioned source; empty if none.")
    rows: int = 0
    abstentions: int = 0
    input_errors: int = 0
    consistent: int = 0
    consistent_correct: int = 0
    changed: int = 0
    changed_correct: int = 0
    rows_with_defaults: int = 0

    @computed_field
    @property
    def answered(self) -> int:
        return self.rows - self.abstentions

    @computed_field
    @property
    def correct(self) -> int:
        return self.consistent_correct + self.changed_correct

    @computed_field
    @property
    def accuracy(self) -> float:
        """Correct over answered rows, input errors counted as misses."""
        return self.correct / self.answered if self.answered else 0.0

    @computed_field
    @property
    def consistent_accuracy(self) -> float:
        """The calculators' accuracy: correct over rows whose label the extracted entities still support."""
        return self.consistent_correct / self.consistent if self.consistent else 0.0

    def add(self, result: RowResult) -> None:
        self.rows += 1
        self.rows_with_defaults += bool(result.defaulted)
        if result.status == "abstention":
            self.abstentions += 1
        elif result.status == "input_error":
            self.input_errors += 1
        elif result.status == "consistent":
            self.consistent += 1
            self.consistent_correct += result.correct
        else:
            self.changed += 1
            self.changed_correct += result.correct


_ROW = "{:>3} {:<31.31} {:>3} {:>3} {:>9} {:>6} {:>7} {:>6}"


class MedCalcReport(BaseModel):
    """Accuracy per calculator and overall, split by partition, with every row."""

    csv: str
    relabelled_csv: str | None
    consistency: str = Field(description="Definition of a consistent row (with a relabelled file).")
    unmatched_labels: int = Field(description="Relabelled rows whose Unique ID is not in the CSV.")
    overall: Tally
    per_calculator: list[Tally]
    rows: list[RowResult]

    @property
    def misses(self) -> list[RowResult]:
        return [row for row in self.rows if row.status != "abstention" and not row.correct]

    def table(self) -> str:
        """Per-calculator partitions as fixed-width text (80 columns), then the overall line and the definitions."""
        lines = [
            _ROW.format("", "", "", "", "consistent", "", "changed", "all"),
            _ROW.format("ID", "calculator", "N/A", "err", "ok/rows", "acc", "ok/rows", "acc"),
        ]
        for tally in [*self.per_calculator, self.overall]:
            lines.append(
                _ROW.format(
                    tally.calculator_id or "",
                    tally.ours or tally.calculator_name,
                    tally.abstentions,
                    tally.input_errors,
                    f"{tally.consistent_correct}/{tally.consistent}",
                    f"{tally.consistent_accuracy:.1%}" if tally.consistent else "-",
                    f"{tally.changed_correct}/{tally.changed}",
                    f"{tally.accuracy:.1%}" if tally.answered else "-",
                )
            )
        if self.relabelled_csv:
            notes = [
                f"labels: {Path(self.relabelled_csv).name}, joined on Unique ID",
                f"consistent: {self.consistency}",
            ]
        else:
            notes = [f"labels: {Path(self.csv).name} (v1.0; every computed row is consistent)"]
        notes.append("N/A: abstention labels, not scored; err: input errors, misses in 'all'")
        return "\n".join([*(line.rstrip() for line in lines), "", *notes])


def score_row(row: dict[str, str], label: dict[str, str] | None = None) -> RowResult:
    """Compute one benchmark row with our calculator and score it against ``label`` (the row's own by default)."""
    number = _calculator_id(row)
    scored_against = label or row
    result = RowResult(
        row=_row_id(row),
        calculator_id=number,
        calculator_name=row.get("Calculator Name", ""),
        status="input_error",
        ours="",
        ground_truth=scored_against.get("Ground Truth Answer", "").strip(),
        lower=scored_against.get("Lower Limit", "").strip(),
        upper=scored_against.get("Upper Limit", "").strip(),
        v1_answer=row.get("Ground Truth Answer", "").strip(),
        correct=False,
    )
    adapter = BENCH_ADAPTERS.get(number) if number is not None else None
    kind = adapter.answer if adapter else "number"
    abstains = result.ground_truth.lower() in ABSTENTIONS
    if label is not None and not abstains:
        corrected = _range(result.ground_truth, "", "", kind, result.row)[0]
        v1_lower, v1_upper = _range(
            result.v1_answer, row.get("Lower Limit", ""), row.get("Upper Limit", ""), kind, result.row
        )
        result.label_changed = not _within(corrected, v1_lower, v1_upper)
    ours = _compute(adapter, row, result)
    if abstains:
        result.status = "abstention"
    elif ours is not None:
        lower, upper = _range(result.ground_truth, result.lower, result.upper, kind, result.row)
        result.correct = _within(ours, lower, upper)
        result.status = "changed" if result.label_changed else "consistent"
    return result


def _compute(adapter: Adapter | None, row: dict[str, str], result: RowResult) -> float | None:
    """Our answer as a comparable number (days for dates and gestational ages); None, with ``error``, if none."""
    if adapter is None:
        result.error = f"no adapter for calculator {result.calculator_id} {result.calculator_name!r}"
        return None
    try:
        entities = adapter.entities(ast.literal_eval(row["Relevant Entities"]))
    except (KeyError, SyntaxError, ValueError) as exc:
        result.error = f"unreadable Relevant Entities: {type(exc).__name__}: {exc}"
        return None
    try:
        inputs = adapter.build(entities)
        answer = get_calculator(adapter.calculator)(**inputs)
    except (KeyError, TypeError, ValueError) as exc:  # a row our calculator cannot compute is a miss, not a crash
        result.error = f"{type(exc).__name__}: {exc}"
        return None
    result.defaulted, result.unread = entities.defaulted, entities.unread()
    result.ours, value = _answer(adapter, answer, inputs)
    return value


def _answer(adapter: Adapter, answer: CalcResult, inputs: dict[str, Any]) -> tuple[str, float]:
    if adapter.answer == "date":
        date = inputs["lmp_date"] + dt.timedelta(days=int(answer.value))
        return date.strftime("%m/%d/%Y"), float(date.toordinal())
    if adapter.answer == "weeks_days":
        weeks, days = divmod(int(answer.value), 7)
        return f"({weeks} weeks, {days} days)", float(int(answer.value))
    return f"{answer.value:g}", float(answer.value)


def _within(value: float, lower: float, upper: float) -> bool:
    return lower - 1e-9 <= value <= upper + 1e-9


def _range(answer: str, lower: str, upper: str, kind: str, row: str = "") -> tuple[float, float]:
    """The label's accepted range in comparable units; an answer alone (or unreadable limits) is an exact range."""
    low, high = _value(lower, kind), _value(upper, kind)
    if low is not None and high is not None:
        return low, high
    exact = _value(answer, kind)
    if exact is None:
        expected = {"date": "a date MM/DD/YYYY", "weeks_days": "weeks and days or a number of days"}
        raise ValueError(
            f"row {row}: answer {answer!r} is not {expected.get(kind, 'a number')} or one of N/A, empty (abstention)"
        )
    return exact, exact


_WEEKS_DAYS = re.compile(r"(\d+(?:\.\d+)?)\s*weeks?\W+(\d+(?:\.\d+)?)\s*days?", re.IGNORECASE)
_WEEKS = re.compile(r"(\d+(?:\.\d+)?)\s*weeks?", re.IGNORECASE)


def _value(text: str, kind: str) -> float | None:
    """A label as days (dates as day numbers, gestational ages as days) or as a number; None when unreadable."""
    text = str(text).strip().strip("'\"")
    if kind == "date":
        try:
            return float(dt.datetime.strptime(text, "%m/%d/%Y").date().toordinal())
        except ValueError:
            return None
    if kind == "weeks_days":
        if match := _WEEKS_DAYS.search(text):
            return 7 * float(match[1]) + float(match[2])
        if match := _WEEKS.fullmatch(text):
            return 7 * float(match[1])
    try:
        return float(text)
    except ValueError:
        return None


def _row_id(row: dict[str, str]) -> str:
    """v1.0 files call the id ``Row Number``; the corrected file and its copy of v1.0 call it ``Unique ID``."""
    return str(row.get("Row Number") or row.get("Unique ID") or "").strip()


def _calculator_id(row: dict[str, str]) -> int | None:
    text = str(row.get("Calculator ID", "")).strip()
    if text.isdigit():
        return int(text)
    return BENCH_NAMES.get(bench_key(row.get("Calculator Name", "")))


def _read_csv(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    header = set(rows[0]) if rows else set()
    missing = [column for column in columns if column not in header]
    if missing or not header & {"Row Number", "Unique ID"}:
        raise ValueError(f"{path}: missing columns {missing or ['Row Number or Unique ID']}; found {sorted(header)}")
    return rows


def run_medcalc(
    csv_path: str | Path, relabelled_csv: str | Path | None = None, out_dir: str | Path | None = None
) -> MedCalcReport:
    """Score our calculators on a MedCalc-Bench CSV; with ``relabelled_csv``, against its corrected answers.

    With a relabelled file only rows present in both files are scored. Writes ``medcalc_report.json`` (every row)
    and ``medcalc_report.md`` (the table and every miss) into ``out_dir`` when given.
    """
    rows = _read_csv(Path(csv_path), ("Relevant Entities", *LABEL_COLUMNS))
    labels: dict[str, dict[str, str]] | None = None
    if relabelled_csv is not None:
        labels = {_row_id(label): label for label in _read_csv(Path(relabelled_csv), LABEL_COLUMNS)}
    results = [
        score_row(row, None if labels is None else labels[_row_id(row)])
        for row in rows
        if labels is None or _row_id(row) in labels
    ]
    tallies: dict[tuple[int | None, str], Tally] = {}
    overall = Tally(calculator_id=None, calculator_name="all", ours="all", absent_rule="")
    for result in results:
        adapter = BENCH_ADAPTERS.get(result.calculator_id) if result.calculator_id is not None else None
        tally = tallies.setdefault(
            (result.calculator_id, result.calculator_name),
            Tally(
                calculator_id=result.calculator_id,
                calculator_name=result.calculator_name,
                ours=adapter.calculator if adapter else "",
                absent_rule=adapter.absent_rule if adapter else "",
            ),
        )
        tally.add(result)
        overall.add(result)
    report = MedCalcReport(
        csv=str(csv_path),
        relabelled_csv=None if relabelled_csv is None else str(relabelled_csv),
        consistency=CONSISTENCY if labels is not None else "v1.0 labels: every computed row",
        unmatched_labels=0 if labels is None else len(labels.keys() - {_row_id(row) for row in rows}),
        overall=overall,
        per_calculator=sorted(tallies.values(), key=lambda t: (t.calculator_id or 0, t.calculator_name)),
        rows=results,
    )
    if out_dir is not None:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        (out / "medcalc_report.json").write_text(report.model_dump_json(indent=2) + "\n")
        (out / "medcalc_report.md").write_text(_markdown(report))
    return report


def _markdown(report: MedCalcReport) -> str:
    misses = []
    for miss in report.misses:
        detail = f"error: {miss.error}" if miss.error else f"ours {miss.ours}, label {miss.ground_truth}"
        if not miss.error and miss.lower:
            detail += f" [{miss.lower}, {miss.upper}]"
        if miss.label_changed is not None:
            detail += f" (v1.0: {miss.v1_answer})"
        if miss.defaulted:
            detail += f"; defaulted: {', '.join(miss.defaulted)}"
        misses.append(f"- row {miss.row}, {miss.calculator_name}, {miss.status}: {detail}")
    return f"# MedCalc-Bench\n\n```\n{report.table()}\n```\n\n## Misses ({len(misses)})\n\n" + "\n".join(misses) + "\n"


medcalc_app = typer.Typer(help="Score the calculators on MedCalc-Bench.", no_args_is_help=True)


@medcalc_app.callback(invoke_without_command=True)
def medcalc(
    csv_path: Annotated[
        Path, typer.Option("--csv", exists=True, dir_okay=False, help="MedCalc-Bench test CSV (v1.0 format).")
    ],
    relabelled: Annotated[
        Path | None,
        typer.Option(exists=True, dir_okay=False, help="Corrected labels (Unique ID, Ground Truth Answer, limits)."),
    ] = None,
    out: Annotated[Path, typer.Option(help="Folder for medcalc_report.json and .md.")] = Path("medcalc_results"),
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON instead of the table.")] = False,
) -> None:
    """Compute every row with our calculators; print accuracy per calculator and partition."""
    report = run_medcalc(csv_path, relabelled, out)
    if as_json:
        summary = report.model_dump(exclude={"rows"})
        typer.echo(json.dumps(summary, indent=2))
        return
    typer.echo(report.table())
    typer.echo(f"\n{len(report.misses)} misses listed in {out / 'medcalc_report.md'}")
