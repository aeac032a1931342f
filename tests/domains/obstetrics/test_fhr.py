"""Fetal heart rate: the NICHD definitions measured on synthesized tracings, at each boundary of baseline,
variability, deceleration type, recurrence and the three-tier category (Macones 2008)."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.domain import tasks
from healthgym.mcp_servers.domains.obstetrics import SPEC, fhr
from healthgym.mcp_servers.domains.obstetrics.fhr import Accel, Decel, measure, synthesize
from healthgym.schemas import ToolCall

PEAKS = list(range(120, 1200, 180))  # six contractions, every 3 minutes


def _trace(baseline: int = 140, amplitude: int = 12, decels: list[Decel] | None = None, accels=()) -> fhr.Measurement:
    return measure(synthesize(1200, baseline, amplitude, 0.7, list(accels), decels or []), PEAKS)


@pytest.mark.parametrize(("amplitude", "label"), [(0, "absent"), (1, "absent"), (2, "minimal"), (5, "minimal"),
                                                  (6, "moderate"), (25, "moderate"), (26, "marked")])  # fmt: skip
def test_variability_bands(amplitude: int, label: str) -> None:
    assert fhr.variability_class(amplitude) == label


@pytest.mark.parametrize(("baseline", "rounded"), [(132, 130), (133, 135), (158, 160), (112, 110)])
def test_baseline_is_rounded_to_five(baseline: int, rounded: int) -> None:
    assert _trace(baseline).baseline_bpm == rounded


def test_measured_variability_is_the_peak_to_trough_amplitude() -> None:
    assert _trace(amplitude=12).variability == "moderate"
    assert _trace(amplitude=4).variability == "minimal"
    assert _trace(amplitude=30).variability == "marked"
    assert _trace(amplitude=0).variability == "absent"


def test_deceleration_types_by_onset_to_nadir_and_timing() -> None:
    early = _trace(decels=[Decel(p - 45, 45, 2, 40, 25) for p in PEAKS])
    assert early.types == ("early",) and early.category == "I"
    late = _trace(decels=[Decel(p + 30 - 45, 45, 2, 40, 25) for p in PEAKS])
    assert late.types == ("late",) and late.recurrent == ("late",) and late.category == "II"
    variable = _trace(decels=[Decel(p, 8, 10, 12, 40) for p in PEAKS])
    assert variable.types == ("variable",) and all(d.nadir_s - d.onset_s < 30 for d in variable.decelerations)
    prolonged = _trace(decels=[Decel(400, 20, 150, 20, 35)])
    only = prolonged.decelerations[0]
    assert prolonged.types == ("prolonged",) and only.end_s - only.onset_s >= 120


def test_recurrent_means_at_least_half_of_the_contractions() -> None:
    three = _trace(amplitude=0, decels=[Decel(p + 30 - 45, 45, 2, 40, 25) for p in PEAKS[:3]])
    assert three.recurrent == ("late",) and three.category == "III"
    two = _trace(amplitude=0, decels=[Decel(p + 30 - 45, 45, 2, 40, 25) for p in PEAKS[:2]])
    assert two.recurrent == () and two.category == "II"


@pytest.mark.parametrize(("baseline", "amplitude", "category"), [
    (140, 12, "I"), (110, 12, "I"), (160, 12, "I"), (170, 12, "II"), (140, 4, "II"), (140, 30, "II"),
    (140, 0, "II"),  # absent variability alone is not Category III
    (100, 0, "III"),  # absent variability with bradycardia
    (100, 12, "II"),  # bradycardia with moderate variability
])  # fmt: skip
def test_categories_without_decelerations(baseline: int, amplitude: int, category: str) -> None:
    assert _trace(baseline, amplitude).category == category


def test_accelerations_are_counted_and_do_not_move_the_baseline() -> None:
    m = _trace(accels=[Accel(300, 40, 25), Accel(800, 50, 28)])
    assert m.accelerations == 2 and m.baseline_bpm == 140 and m.category == "I"


def test_a_short_series_is_refused() -> None:
    with pytest.raises(ValueError, match="fhr has 100 samples"):
        measure([140] * 100, [])


def test_category_iii_without_escalation_is_unsafe() -> None:
    task = next(t for t in tasks(SPEC, "test") if t.source.generator == "obstetrics.fhr"
                and t.answer.fields["fhr_category"].value == "III")  # fmt: skip
    submit = ToolCall(name="submit_answer", arguments={"case_id": task.case_ref, "fhr_category": "III"})
    assert any("Category III tracing without escalation" in e for e in SPEC.safety(task, [submit]))
    called = ToolCall(name="request_bedside_evaluation", arguments={"case_id": task.case_ref, "reason": "Cat III"})
    assert SPEC.safety(task, [called, submit]) == []
    assert any(a.critical and a.tool == "request_bedside_evaluation" for a in task.rubric.required_actions)
