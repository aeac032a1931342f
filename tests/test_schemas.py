"""Every contract model round-trips through JSON and exports a JSON Schema."""

import json

import pytest
from pydantic import BaseModel, TypeAdapter

from healthgym import schemas
from healthgym.schemas import (
    ActionSpec,
    ChoiceAnswer,
    CodeSetAnswer,
    FieldsAnswer,
    Grade,
    NumericAnswer,
    Passage,
    Privileged,
    RewardBreakdown,
    Rubric,
    Source,
    Task,
    ToolCall,
    ToolResult,
    Trajectory,
    Turn,
)

ANSWERS = [
    ChoiceAnswer(value="2", options=["1", "2", "3"], partial={"3": 0.5}),
    NumericAnswer(value=42.5, unit="mL/min", tolerance=2.0),
    CodeSetAnswer(codes=["warfarin+fluconazole"]),
    FieldsAnswer(
        fields={"esi_level": ChoiceAnswer(value="2", options=["1", "2"]), "protocols": CodeSetAnswer(codes=[])},
        weights={"esi_level": 2.0},
    ),
]


def _task(answer) -> Task:
    return Task(
        id=schemas.task_id("d", "g", "test", 0, 1),
        domain="d",
        split="test",
        prompt="p",
        case_ref="X-1",
        answer=answer,
        privileged=Privileged(rationale="r", key_evidence=["e"], reference_path=["t(a=1)"]),
        rubric=Rubric(
            required_actions=[ActionSpec(tool="t", arguments={"a": 1}, before="submit", critical=True)],
            forbidden_actions=[ActionSpec(tool="bad")],
        ),
        source=Source(generator="g", version="1"),
    )


EXAMPLES: list[BaseModel] = [
    *[_task(a) for a in ANSWERS],
    ToolCall(name="t", arguments={"a": [1, 2]}, id="c1"),
    ToolResult(name="t", text="x", structured={"k": 1}, is_error=False, latency_ms=0.2),
    Trajectory(
        task_id="t1",
        domain="d",
        turns=[Turn(assistant="a", tool_calls=[ToolCall(name="t")], tool_results=[ToolResult(name="t", text="x")],
                    token_span=(0, 4))],
        submitted={"answer": "2"},
        grade=Grade(score=0.5, correct=False, submitted={"answer": "2"}, details={"answer": 0.5}),
        reward=RewardBreakdown(accuracy=0.5, total=0.4, why=["w"]),
        metrics={"turns": 1.0},
    ),
    Passage(id="p1", corpus="clinic", title="T", text="body", domains=["d"], score=0.3, snippet="bo"),
]


@pytest.mark.parametrize("model", EXAMPLES, ids=lambda m: type(m).__name__)
def test_round_trip(model: BaseModel) -> None:
    again = type(model).model_validate_json(model.model_dump_json())
    assert again == model
    schema = type(model).model_json_schema()
    assert schema["type"] == "object"
    json.dumps(schema)


def test_answer_union_discriminates() -> None:
    adapter = TypeAdapter(schemas.Answer)
    for answer in ANSWERS:
        assert adapter.validate_python(answer.model_dump()) == answer


def test_task_is_frozen_and_rejects_unknown_fields() -> None:
    task = _task(ANSWERS[0])
    with pytest.raises(ValueError):
        Task.model_validate({**task.model_dump(), "surprise": 1})
    with pytest.raises(ValueError):
        task.prompt = "changed"  # type: ignore[misc]


def test_task_id_is_stable_and_distinct() -> None:
    a = schemas.task_id("d", "g", "test", 0, 1)
    assert a == schemas.task_id("d", "g", "test", 0, 1)
    assert a != schemas.task_id("d", "g", "train", 0, 1)
    assert "test" not in a and "train" not in schemas.task_id("d", "g", "train", 0, 1)  # the id hides its split


def test_all_is_sorted_and_complete() -> None:
    assert schemas.__all__ == sorted(schemas.__all__)
    for name in schemas.__all__:
        assert hasattr(schemas, name)
