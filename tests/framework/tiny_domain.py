"""A three-tool domain that exercises the framework without any clinical content of its own.

The task: report a patient's potassium, which is a pure function of the patient id, so the answer is checkable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from mcp.server.fastmcp import Context
from mcp.server.fastmcp.exceptions import ToolError
from pydantic import BaseModel, Field

from healthgym.mcp_servers.clinic import case_rng, episode_state, grade_answer
from healthgym.mcp_servers.domain import DomainSpec, Solver, TaskView
from healthgym.mcp_servers.loaders import LoadedTasks, TaskLoader, loaded_case, loaded_case_id
from healthgym.schemas import ActionSpec, NumericAnswer, Privileged, Rubric, Source, Split, Task, ToolCall, task_id


class Labs(BaseModel):
    patient_id: str
    potassium_mmol_l: float = Field(description="Serum potassium, mmol/L.")
    notes: list[str] = Field(description="Notes written in this session.")


def _labs(patient_id: str) -> tuple[float, int]:
    """Potassium and age of a patient, pure functions of the id (the age is on the record, not in the labs), or the
    values of a patient loaded from a file."""
    loaded = loaded_case("tiny", patient_id)
    if loaded is not None:
        return loaded["potassium_mmol_l"], loaded["age_years"]
    try:
        _, split, seed, index = patient_id.split("-")
        rng = case_rng("tiny", split, int(seed), int(index))
    except ValueError:
        raise ToolError(f"patient_id {patient_id!r} not found; ids look like 'TP-test-0-7'") from None
    return round(float(rng.uniform(2.5, 6.5)), 1), int(rng.integers(18, 90))


def _potassium(patient_id: str) -> float:
    return _labs(patient_id)[0]


def get_labs(patient_id: Annotated[str, Field(description="Patient id, such as 'TP-test-0-7'.")], ctx: Context) -> Labs:
    """Latest labs of a patient, with the notes written in this session."""
    notes = [n["text"] for n in episode_state(ctx).get("notes")]
    return Labs(patient_id=patient_id, potassium_mmol_l=_potassium(patient_id), notes=notes)


def write_note(text: Annotated[str, Field(description="Note text.", max_length=500)], ctx: Context) -> dict[str, str]:
    """Record a note in this session."""
    return episode_state(ctx).add("notes", {"text": text})


def submit_answer(
    answer: Annotated[float, Field(description="Potassium in mmol/L.")], ctx: Context
) -> dict[str, float]:
    """Submit the final answer."""
    state = episode_state(ctx)
    if state.submitted is not None:
        raise ToolError("an answer was already submitted")
    state.submitted = {"answer": answer}
    return state.submitted


def generate(split: Split, seed: int, index: int) -> Task:
    pid = f"TP-{split}-{seed}-{index}"
    value = _potassium(pid)
    return Task(
        id=task_id("tiny", "potassium", split, seed, index),
        domain="tiny",
        split=split,
        prompt=f"What is the serum potassium of patient {pid}?",
        case_ref=pid,
        answer=NumericAnswer(value=value, unit="mmol/L", tolerance=0.05),
        privileged=Privileged(rationale=f"get_labs reports {value}", key_evidence=[f"K {value}"]),
        rubric=Rubric(
            required_actions=[ActionSpec(tool="get_labs", before="submit_answer", why="read before answering")]
        ),
        source=Source(generator="tiny.potassium", version="1"),
    )


def solve(view: TaskView) -> Solver:
    labs = yield ToolCall(name="get_labs", arguments={"patient_id": view.case_ref})
    yield ToolCall(name="submit_answer", arguments={"answer": labs["potassium_mmol_l"]})


def read_potassium_csv(path: Path) -> LoadedTasks:
    """``potassium,age`` per line: one task per patient."""
    tasks: list[Task] = []
    cases: dict[str, dict[str, float | int | str]] = {}
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        try:
            potassium, age = float(line.split(",")[0]), int(line.split(",")[1])
        except (ValueError, IndexError):
            raise ValueError(f"{path}:{number}: expected 'potassium,age', got {line!r}") from None
        pid = loaded_case_id("TP", line)
        cases[pid] = {"patient_id": pid, "potassium_mmol_l": potassium, "age_years": age}
        task = generate("test", 0, 0)
        tasks.append(task.model_copy(update={
            "id": f"tiny-{pid}",
            "prompt": f"What is the serum potassium of patient {pid}?",
            "case_ref": pid,
            "answer": NumericAnswer(value=potassium, unit="mmol/L", tolerance=0.05),
        }))
    return LoadedTasks(tasks=tasks, cases=cases)


SPEC = DomainSpec(
    name="tiny",
    title="Tiny",
    version="1",
    policy="You report lab values.",
    tools=[get_labs, write_note, submit_answer],
    tool_kinds={"get_labs": "record", "write_note": "write", "submit_answer": "write"},
    generate=generate,
    solve=solve,
    grade=lambda task, submitted: grade_answer(task.answer, submitted),
    case_record=lambda ref: dict(
        zip(("patient_id", "potassium_mmol_l", "age_years"), (ref, *_labs(ref)), strict=True)
    ),
    package_dir=Path(__file__).parent,
    loaders={"potassium-csv": TaskLoader("potassium,age per line", read_potassium_csv)},
    test_size=20,
    dev_size=5,
)
