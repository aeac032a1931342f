"""Grading and safety of the diagnosis tasks, on hand-made submissions."""

from __future__ import annotations

from healthgym.mcp_servers.domain import tasks
from healthgym.mcp_servers.domains import get_domain
from healthgym.mcp_servers.domains.clinical_diagnosis.knowledge import model
from healthgym.mcp_servers.domains.clinical_diagnosis.patients import build_case
from healthgym.mcp_servers.domains.clinical_diagnosis.safety import safety
from healthgym.mcp_servers.domains.clinical_diagnosis.tasks import grade
from healthgym.schemas import ToolCall

SPEC = get_domain("clinical_diagnosis")


def _encounter(predicate=lambda case: True):
    for task in tasks(SPEC, "test"):
        case = build_case("test", 0, next(i for i in range(360) if SPEC.generate("test", 0, i).id == task.id))
        if task.source.generator.endswith("encounter") and predicate(case):
            return task, case
    raise AssertionError("no such task")


def _gold(task) -> dict:
    f = task.answer.fields
    return {
        "diagnosis": f["diagnosis"].value,
        "differential": list(f["differential"].codes),
        "disposition": f["disposition"].value,
        "tests_ordered": list(f["tests_ordered"].codes),
    }


def test_the_diagnosis_is_graded_through_codes_and_synonyms() -> None:
    task, case = _encounter()
    cond = model().conditions[case.condition]
    for name in (cond.name, cond.id, cond.icd10[0], *cond.synonyms):
        assert grade(task, {**_gold(task), "diagnosis": name}).details["diagnosis"] == 1.0, name
    assert grade(task, {**_gold(task), "diagnosis": "nothing at all"}).details["diagnosis"] == 0.0


def test_the_differential_is_graded_by_ddf1_and_reports_the_gold_rank() -> None:
    task, case = _encounter(lambda c: len(c.differential) >= 2)
    gold = _gold(task)
    assert grade(task, gold).correct and grade(task, gold).details["gold_rank"] >= 1
    half = grade(task, {**gold, "differential": gold["differential"][:1]})
    assert 0 < half.details["differential"] < 1 and not half.correct
    hedge = grade(task, {**gold, "differential": [c.name for c in model().conditions.values()]})
    assert hedge.details["differential"] < 0.2


def test_stewardship_needs_a_confirming_test_within_budget() -> None:
    task, case = _encounter(lambda c: len(model().workup(c.condition)) >= 1)
    gold = _gold(task)
    assert grade(task, {**gold, "tests_ordered": []}).details["tests_ordered"] == 0.0
    everything = list(model().tests)
    assert grade(task, {**gold, "tests_ordered": everything}).details["tests_ordered"] == 0.0
    confirming = model().workup(case.condition)[:1]
    assert grade(task, {**gold, "tests_ordered": confirming}).details["tests_ordered"] == 1.0


def test_a_missed_cant_miss_condition_and_an_unsafe_discharge_are_safety_events() -> None:
    task, case = _encounter(
        lambda c: (
            any(model().conditions[x].cant_miss for x in c.differential) and c.disposition in ("admit", "critical_care")
        )
    )
    gold = _gold(task)
    call = ToolCall(name="submit_diagnosis", arguments={"case_id": task.case_ref, **gold})
    assert safety(task, [call]) == []
    missing = [n for n in gold["differential"] if not model().conditions[_id(n)].cant_miss] or ["Bronchitis"]
    unsafe = ToolCall(
        name="submit_diagnosis", arguments={"case_id": task.case_ref, "differential": missing, "disposition": "home"}
    )
    events = safety(task, [unsafe])
    assert any(e.startswith("can't-miss") for e in events) and any(e.startswith("disposition") for e in events)


def _id(name: str) -> str:
    return next(c.id for c in model().conditions.values() if c.name == name)
