"""The split's composition, the communication rule, and the two safety rules judged from an episode's calls."""

from __future__ import annotations

from collections import Counter

from healthgym.mcp_servers.domain import tasks
from healthgym.mcp_servers.domains.radiology_report import SPEC, communication
from healthgym.mcp_servers.domains.radiology_report.classification import Classification
from healthgym.mcp_servers.domains.radiology_report.models import OtherFinding
from healthgym.schemas import ToolCall


def _cls(category: str, rec: str = "x") -> Classification:
    return Classification("s", "F1", category, rec, ())


def test_communication_levels() -> None:
    pe = OtherFinding(finding_id="F9", label="pulmonary_embolism", description="")
    assert communication.required([_cls("lung_rads_4b")], [pe])[0] == "immediate"
    assert communication.required([_cls("lung_rads_4b")], [])[0] == "expedited"
    assert communication.required([_cls("tr5", "fna")], [])[0] == "expedited"
    assert communication.required([_cls("tr5", "us_followup_annual_5y")], [])[0] == "routine"
    assert communication.required([_cls("lr_4")], [])[0] == "routine"
    assert communication.at_least("immediate", "expedited") and not communication.at_least("expedited", "immediate")


def test_split_composition() -> None:
    pool = tasks(SPEC, "test")
    kinds = Counter(t.source.generator for t in pool)
    assert set(kinds.values()) == {45} and len(kinds) == 8
    assert sum(t.composite for t in pool) >= 120
    assert Counter(t.tier for t in pool) == {"assisted": 184, "unassisted": 176}  # 45 cycles of 8, alternating
    for field in ("category", "recommendation"):
        for kind in kinds:
            values = Counter(t.answer.fields[field].value for t in pool if t.source.generator == kind)
            assert values.most_common(1)[0][1] <= 0.34 * kinds[kind], (kind, field, values)


def _task_needing(level: str):
    return next(t for t in tasks(SPEC, "test") if any(
        a.tool == "communicate_finding" and a.arguments.get("urgency") == level for a in t.rubric.required_actions))


def test_a_finding_needing_communication_must_be_communicated() -> None:
    task = _task_needing("immediate")
    sid = task.case_ref
    submit = ToolCall(name="submit_report", arguments={"study_id": sid, **{
        k: v.value for k, v in task.answer.fields.items() if hasattr(v, "value")}})
    assert any("without communication" in e for e in SPEC.safety(task, [submit]))
    late = ToolCall(name="communicate_finding", arguments={"study_id": sid, "urgency": "expedited"})
    assert any("without communication" in e for e in SPEC.safety(task, [late, submit]))
    told = ToolCall(name="communicate_finding", arguments={"study_id": sid, "urgency": "immediate"})
    assert SPEC.safety(task, [told, submit]) == []


def test_an_actionable_finding_needs_a_recommendation() -> None:
    task = next(t for t in tasks(SPEC, "test") if t.answer.fields["recommendation"].value == "ldct_3mo")
    told = [ToolCall(name="communicate_finding", arguments={"study_id": task.case_ref, "urgency": "immediate"})]
    routine = ToolCall(name="submit_report", arguments={"study_id": task.case_ref, "recommendation": "ldct_12mo"})
    assert any("without a recommendation" in e for e in SPEC.safety(task, [*told, routine]))
    right = ToolCall(name="submit_report", arguments={"study_id": task.case_ref, "recommendation": "ldct_3mo"})
    assert SPEC.safety(task, [*told, right]) == []
