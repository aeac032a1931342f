"""Grading a submitted answer against a task's typed reference answer.

Partial credit only where it is clinically meaningful, and always declared in the task itself (``ChoiceAnswer.partial``,
F1 over code sets, weighted fields), so a grader can fail and the reason is visible.
"""

from __future__ import annotations

import math
import re
from typing import Any

from healthgym.schemas import Answer, ChoiceAnswer, CodeSetAnswer, FieldsAnswer, Grade, NumericAnswer


def _norm(text: Any) -> str:
    return re.sub(r"[\s_\-]+", " ", str(text)).strip().lower()


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [p for p in (s.strip() for s in re.split(r"[,;\n]", value)) if p]
    if isinstance(value, list | tuple | set):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value)]


def _score_choice(ref: ChoiceAnswer, value: Any) -> float:
    got = _norm(value)
    if got == _norm(ref.value):
        return 1.0
    return next((credit for label, credit in ref.partial.items() if _norm(label) == got), 0.0)


def _score_number(ref: NumericAnswer, value: Any) -> float:
    try:
        got = float(re.sub(r"[^0-9eE+\-.]", "", value) if isinstance(value, str) else value)
    except (TypeError, ValueError):
        return 0.0
    return 1.0 if math.isfinite(got) and abs(got - ref.value) <= ref.tolerance + 1e-9 else 0.0


def _score_codes(ref: CodeSetAnswer, value: Any) -> float:
    """F1 between the submitted and reference sets; two empty sets agree fully."""
    want = {_norm(c) for c in ref.codes}
    got = {_norm(c) for c in _as_list(value)} - {"none", ""}
    if not want and not got:
        return 1.0
    hits = len(want & got)
    if hits == 0:
        return 0.0
    precision, recall = hits / len(got), hits / len(want)
    return 2 * precision * recall / (precision + recall)


def _score(ref: ChoiceAnswer | NumericAnswer | CodeSetAnswer, value: Any) -> float:
    if isinstance(ref, ChoiceAnswer):
        return _score_choice(ref, value)
    if isinstance(ref, NumericAnswer):
        return _score_number(ref, value)
    return _score_codes(ref, value)


def grade_answer(answer: Answer, submitted: dict[str, Any] | None) -> Grade:
    """Grade the arguments of a submit call. Single answers are read from the ``answer`` argument; a
    :class:`FieldsAnswer` reads one argument per field and averages the field scores with their weights."""
    if submitted is None:
        return Grade(score=0.0, correct=False, submitted=None, why="no answer submitted")
    if isinstance(answer, FieldsAnswer):
        details = {name: _score(ref, submitted.get(name)) for name, ref in answer.fields.items()}
        weights = {name: answer.weights.get(name, 1.0) for name in answer.fields}
        score = sum(details[n] * weights[n] for n in details) / sum(weights.values())
    else:
        score = _score(answer, submitted.get("answer"))
        details = {"answer": score}
    score = round(min(max(score, 0.0), 1.0), 6)
    missed = [name for name, credit in details.items() if credit < 1.0]
    why = "all fields correct" if not missed else "partial or no credit on: " + ", ".join(missed)
    return Grade(score=score, correct=score >= 1.0 - 1e-9, submitted=submitted, details=details, why=why)
