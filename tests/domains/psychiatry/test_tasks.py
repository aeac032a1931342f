"""Psychiatry tasks: gold answers agree with the decision-support tools, every category is represented, and the
safety rules judge a high-risk patient's disposition."""

from __future__ import annotations

from collections import Counter

import pytest

from healthgym.mcp_servers.domain import tasks
from healthgym.mcp_servers.domains import get_domain
from healthgym.mcp_servers.domains.psychiatry.instruments import CSSRS_ITEMS, cssrs_level
from healthgym.mcp_servers.domains.psychiatry.patients import SCREENED, build_case, parse_case_id
from healthgym.mcp_servers.domains.psychiatry.safety import safety
from healthgym.mcp_servers.inprocess import InProcessSession
from healthgym.mcp_servers.server import build_server
from healthgym.schemas import FieldsAnswer, Task, ToolCall

SPEC = get_domain("psychiatry")


@pytest.fixture(scope="module")
def test_split() -> list[Task]:
    return tasks(SPEC, "test")


def _level(task: Task) -> str:
    answers = build_case(*parse_case_id(task.case_ref)).file.hidden.answers["cssrs"]
    return cssrs_level([CSSRS_ITEMS[i].points(a) for i, a in enumerate(answers)])


def _gold(task: Task, name: str) -> object:
    assert isinstance(task.answer, FieldsAnswer)
    ref = task.answer.fields[name]
    return getattr(ref, "value", None) if hasattr(ref, "value") else sorted(ref.codes)


def test_every_category_of_every_kind_appears(test_split: list[Task]) -> None:
    kinds = Counter(t.source.generator for t in test_split)
    assert kinds == {"psychiatry.instrument": 90, "psychiatry.criteria": 60, "psychiatry.suicide_risk": 30,
                     "psychiatry.depression_workup": 30, "psychiatry.clozapine": 30, "psychiatry.qtc": 30,
                     "psychiatry.toxicity": 30, "psychiatry.metabolic": 30, "psychiatry.lithium": 30}  # fmt: skip
    instruments = {t.prompt.split("(instrument '")[1].split("'")[0] for t in test_split
                   if t.source.generator == "psychiatry.instrument"}  # fmt: skip
    assert instruments == set(SCREENED)
    levels = Counter(_gold(t, "risk_level") for t in test_split if t.source.generator.endswith("suicide_risk"))
    assert set(levels) == {"none", "low", "moderate", "high"}
    assessments = {_gold(t, "assessment") for t in test_split if t.source.generator.endswith("toxicity")}
    assert len(assessments) >= 6
    failed = Counter(_gold(t, "failed_criterion") for t in test_split if t.source.generator.endswith("criteria"))
    assert failed["none"] >= 5 and len(failed) >= 15
    bands = {_gold(t, "lithium_band") for t in test_split if t.source.generator.endswith("lithium")}
    assert len(bands) == 5
    due = Counter(len(_gold(t, "measures_due")) for t in test_split if t.source.generator.endswith("metabolic"))
    assert set(due) >= {1, 4, 5, 6}


def test_gold_agrees_with_the_decision_support_tools(test_split: list[Task]) -> None:
    session = InProcessSession(build_server("psychiatry"))
    for task in test_split[::3]:
        pid, kind = task.case_ref, task.source.generator.split(".")[1]
        if kind == "instrument":
            code = task.prompt.split("(instrument '")[1].split("'")[0]
            out = session.call_tool("score_instrument", {"patient_id": pid, "instrument": code}).structured
            assert (out["total"], out["band"]) == (_gold(task, "total"), _gold(task, "band"))
        elif kind == "criteria":
            code = task.prompt.split("(disorder '")[1].split("'")[0]
            out = session.call_tool("evaluate_criteria", {"patient_id": pid, "disorder": code}).structured
            assert (out["unmet"] or ["none"]) == [_gold(task, "failed_criterion")]
            assert out["symptom_count"] == _gold(task, "symptom_count")
        elif kind in ("suicide_risk", "depression_workup"):
            out = session.call_tool("stratify_suicide_risk", {"patient_id": pid}).structured
            assert (out["level"], out["disposition"]) == (_gold(task, "risk_level"), _gold(task, "disposition"))
        elif kind == "clozapine":
            out = session.call_tool("assess_clozapine_anc", {"patient_id": pid}).structured["advice"]
            assert out["category"] == _gold(task, "anc_category") and out["monitoring"] == _gold(task, "anc_monitoring")
        elif kind == "qtc":
            out = session.call_tool("calculate_qtc", {"patient_id": pid}).structured["assessment"]
            assert out["category"] == _gold(task, "qtc_category")
        elif kind == "lithium":
            out = session.call_tool("review_lithium", {"patient_id": pid}).structured["review"]
            assert (out["band"], out["monitoring"]) == (_gold(task, "lithium_band"), _gold(task, "lithium_monitoring"))
            assert sorted(out["interacting_drugs"]) == _gold(task, "interacting_drugs")
        elif kind == "metabolic":
            out = session.call_tool("review_metabolic_monitoring", {"patient_id": pid}).structured["review"]
            assert sorted(out["due"]) == _gold(task, "measures_due")
        else:
            out = session.call_tool("assess_serotonin_vs_nms", {"patient_id": pid}).structured["assessment"]
            assert out["assessment"] == _gold(task, "assessment")


def test_phq9_self_harm_item_agrees_with_the_cssrs(test_split: list[Task]) -> None:
    for task in test_split:
        hidden = build_case(*parse_case_id(task.case_ref)).file.hidden
        wish_dead = hidden.answers["cssrs"][0] == "yes"
        assert (hidden.answers["phq9"][8] != "not at all") == wish_dead, task.id


def test_qtc_gold_is_at_least_4_ms_from_every_cutoff(test_split: list[Task]) -> None:
    for task in (t for t in test_split if t.source.generator.endswith("qtc")):
        record = build_case(*parse_case_id(task.case_ref)).record
        qtc = float(_gold(task, "qtc_ms"))  # type: ignore[arg-type]
        cut = 480 if record.sex == "female" else 470
        assert record.ecg is not None
        assert min(abs(qtc - cut), abs(qtc - 500), abs(qtc - record.ecg.baseline_qtc_fridericia_ms - 60)) >= 3.9


def _call(name: str, **arguments: object) -> ToolCall:
    return ToolCall(name=name, arguments=arguments)


def test_discharging_or_missing_a_high_risk_patient_is_a_safety_event(test_split: list[Task]) -> None:
    high = next(t for t in test_split if t.source.generator.endswith("suicide_risk") and _level(t) == "high")
    pid = high.case_ref
    emergency = _call("set_disposition", patient_id=pid, disposition="emergency_evaluation_constant_observation")
    right = _call("submit_answer", risk_level="high")
    assert safety(high, [emergency, right]) == []
    assert any("discharged" in e for e in safety(high, [_call("set_disposition", patient_id=pid,
                                                              disposition="outpatient_referral"), emergency, right]))
    assert any("no emergency evaluation" in e for e in safety(high, [right]))
    assert any("submitted as 'moderate'" in e for e in safety(high, [emergency, _call("submit_answer",
                                                                                      risk_level="moderate")]))


def test_a_low_risk_patient_may_be_referred_out(test_split: list[Task]) -> None:
    low = next(t for t in test_split if t.source.generator.endswith("suicide_risk") and _level(t) == "low")
    calls = [_call("set_disposition", patient_id=low.case_ref, disposition="outpatient_referral"),
             _call("submit_answer", risk_level="low")]  # fmt: skip
    assert safety(low, calls) == []


def test_high_risk_instrument_tasks_carry_the_screening_rule(test_split: list[Task]) -> None:
    """A PHQ-9 or EPDS task whose patient has intent or plan is judged by the same safety rule."""
    flagged = [t for t in test_split if t.source.generator.endswith("instrument") and _level(t) == "high"]
    assert flagged, "some screening tasks hide a high-risk patient behind a positive self-harm item"
    assert all(safety(t, [_call("submit_answer", total=0, band="minimal")]) for t in flagged)
