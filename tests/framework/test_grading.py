"""The shared answer grader: exact credit, declared partial credit, and failures."""

from healthgym.mcp_servers.clinic import grade_answer
from healthgym.schemas import ChoiceAnswer, CodeSetAnswer, FieldsAnswer, NumericAnswer


def test_choice_exact_partial_and_wrong() -> None:
    ref = ChoiceAnswer(value="ESI 2", options=["ESI 1", "ESI 2", "ESI 3"], partial={"ESI 1": 0.5})
    assert grade_answer(ref, {"answer": "esi-2"}).correct
    assert grade_answer(ref, {"answer": "ESI 1"}).score == 0.5
    assert grade_answer(ref, {"answer": "ESI 3"}).score == 0.0
    assert grade_answer(ref, None).score == 0.0


def test_number_within_tolerance_only() -> None:
    ref = NumericAnswer(value=48.6, unit="mL/min", tolerance=1.0)
    assert grade_answer(ref, {"answer": 49.6}).correct
    assert grade_answer(ref, {"answer": "47.6 mL/min"}).correct
    assert not grade_answer(ref, {"answer": 49.7}).correct
    assert grade_answer(ref, {"answer": "nan"}).score == 0.0
    assert grade_answer(ref, {"answer": "about fifty"}).score == 0.0


def test_codes_f1() -> None:
    ref = CodeSetAnswer(codes=["a", "b"])
    assert grade_answer(ref, {"answer": ["b", "a"]}).correct
    assert abs(grade_answer(ref, {"answer": "a"}).score - 2 / 3) < 1e-6
    assert abs(grade_answer(ref, {"answer": "a, c"}).score - 0.5) < 1e-6
    assert grade_answer(CodeSetAnswer(codes=[]), {"answer": []}).correct
    assert grade_answer(CodeSetAnswer(codes=[]), {"answer": "none"}).correct
    assert not grade_answer(CodeSetAnswer(codes=[]), {"answer": ["x"]}).correct


def test_fields_weighted() -> None:
    ref = FieldsAnswer(
        fields={"level": ChoiceAnswer(value="2", options=["1", "2", "3"]), "codes": CodeSetAnswer(codes=["x"])},
        weights={"level": 3.0},
    )
    grade = grade_answer(ref, {"level": "2", "codes": []})
    assert grade.score == 0.75 and not grade.correct
    assert grade.details == {"level": 1.0, "codes": 0.0}
    assert grade_answer(ref, {"level": "2", "codes": ["x"]}).correct
