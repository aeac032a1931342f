"""Task generation: determinism, the committed checksum, disjoint splits, the mix of task kinds, gradeability,
partial credit, the reference clinician, and the knowledge passages."""

from __future__ import annotations

from collections import Counter

import pytest

from healthgym.agents.reference import play_reference
from healthgym.mcp_servers.domain import committed_checksum, split_checksum, tasks
from healthgym.mcp_servers.domains.triage_emergency import SPEC
from healthgym.mcp_servers.domains.triage_emergency.arrivals import build_case, parse_arrival_id
from healthgym.mcp_servers.domains.triage_emergency.cards import SCENARIOS
from healthgym.mcp_servers.domains.triage_emergency.esi import INTERVENTIONS, RESOURCE_TYPE, assess
from healthgym.mcp_servers.domains.triage_emergency.passages import passages
from healthgym.rl.env import HealthGymEnv
from healthgym.schemas import Task


@pytest.fixture(scope="module")
def test_split() -> list[Task]:
    return tasks(SPEC, "test")


def test_generation_is_deterministic_and_matches_the_committed_checksum(test_split: list[Task]) -> None:
    build_case.cache_clear()
    again = [SPEC.generate("test", 0, i) for i in range(SPEC.test_size)]
    assert [t.model_dump_json() for t in again] == [t.model_dump_json() for t in test_split]
    assert committed_checksum(SPEC) == split_checksum(SPEC)


def test_splits_are_disjoint(test_split: list[Task]) -> None:
    test_hashes = {t.content_hash() for t in test_split}
    assert len(test_hashes) == len(test_split)
    assert not test_hashes & {t.content_hash() for t in tasks(SPEC, "dev")}
    assert not test_hashes & {t.content_hash() for t in tasks(SPEC, "train", 300, seed=3)}
    assert {parse_arrival_id(t.case_ref)[0] for t in test_split} == {"test"}


def test_task_mix(test_split: list[Task]) -> None:
    kinds = Counter(t.source.generator.split(".")[1] for t in test_split)
    assert kinds == {"esi": 150, "score": 90, "protocols": 30, "esi_protocols": 30, "placement": 30, "resources": 30}
    levels = Counter(t.answer.fields["esi_level"].value for t in test_split if t.source.generator.endswith(".esi"))
    assert levels == {str(level): 30 for level in range(1, 6)}
    scored = Counter(
        t.prompt.split("Calculate the patient's ")[1].split(" from")[0]
        for t in test_split
        if "score_value" in t.answer.fields
    )
    assert len(scored) == 7 and min(scored.values()) >= 12
    protocols = Counter(
        code for t in test_split if "protocols" in t.answer.fields for code in t.answer.fields["protocols"].codes
    )
    assert set(protocols) == {"stemi", "stroke", "sepsis", "anaphylaxis", "major_trauma"}
    assert sum(1 for t in test_split if "protocols" in t.answer.fields and not t.answer.fields["protocols"].codes) > 10


def test_every_task_is_gradeable_and_over_triage_earns_half(test_split: list[Task]) -> None:
    for task in test_split:
        reference = {
            name: getattr(ref, "value", None) if ref.kind != "codes" else ref.codes
            for name, ref in task.answer.fields.items()
        }
        assert SPEC.grade(task, reference).correct, task.id
    esi_task = next(
        t for t in test_split if t.source.generator.endswith(".esi") and t.answer.fields["esi_level"].value == "3"
    )
    assert SPEC.grade(esi_task, {"esi_level": 2}).score == 0.5  # over-triage by one
    assert SPEC.grade(esi_task, {"esi_level": 4}).score == 0.0  # under-triage
    assert SPEC.grade(esi_task, {"esi_level": 1}).score == 0.0


def test_time_critical_protocols_are_critical_required_actions(test_split: list[Task]) -> None:
    for task in test_split:
        if "protocols" not in task.answer.fields:
            continue
        required = {a.arguments["protocol"] for a in task.rubric.required_actions if a.tool == "activate_protocol"}
        assert required == set(task.answer.fields["protocols"].codes)
        assert all(a.critical for a in task.rubric.required_actions if a.tool == "activate_protocol")


def test_every_scenario_reaches_its_levels_and_is_robust_to_the_resource_table_reading() -> None:
    """Each presentation produces only the ESI levels it is built for, and merging the table rows 'ECG, X-rays' and
    'CT-MRI-ultrasound' (an alternative reading of the handbook table) never moves a level between 3, 4 and 5."""
    merged = {"ecg": "ecg_xray", "xray": "ecg_xray", "ct": "imaging", "mri": "imaging", "ultrasound": "imaging"}
    seen: dict[str, set[int]] = {}
    for index in range(1500):
        case = build_case("train", 11, index)
        seen.setdefault(case.plan.scenario.code, set()).add(assess(case.arrival).esi_level)
    for scenario in SCENARIOS:
        assert seen.get(scenario.code, set()) <= set(scenario.levels), scenario.code
        types = {INTERVENTIONS[i] for i in scenario.workup if RESOURCE_TYPE[INTERVENTIONS[i]].weight}
        counts = [
            sum(2 if t == "complex_procedure" else 1 for t in kinds)
            for kinds in (types, {merged.get(t, t) for t in types})
        ]
        assert min(counts[0], 2) == min(counts[1], 2), scenario.code


def test_reference_clinician_scores_at_least_99_percent_with_a_clean_rubric(test_split: list[Task]) -> None:
    env = HealthGymEnv("triage_emergency", "test", max_turns=40)
    results = [play_reference(env, task.id) for task in test_split]
    accuracy = sum(t.grade.correct for t in results) / len(results)
    assert accuracy >= 0.99, [t.grade.why for t in results if not t.grade.correct][:5]
    assert all(t.reward.process == 1.0 and t.reward.safety == 0.0 for t in results), [
        t.reward.why for t in results if t.reward.process < 1.0 or t.reward.safety < 0
    ][:3]


def test_passages() -> None:
    out = list(passages())
    assert len(out) >= 500 and len({p.id for p in out}) == len(out)
    assert all(p.corpus == "clinic" and p.domains == ["triage_emergency"] and p.source and p.text for p in out)
    kinds = Counter(p.metadata["kind"] for p in out)
    assert {"esi", "esi_resources", "danger_zone", "protocol", "complaint_card", "score", "worked_example"} <= set(
        kinds
    )
    test_ids = {t.case_ref for t in tasks(SPEC, "test")} | {t.case_ref for t in tasks(SPEC, "dev")}
    assert not any(aid in p.text for p in out for aid in test_ids)
