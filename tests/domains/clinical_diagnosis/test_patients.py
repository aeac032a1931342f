"""Sampled patients: the keep rule holds, every condition is reachable, and a case is a pure function of its id."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.clinic import case_rng
from healthgym.mcp_servers.domains.clinical_diagnosis.knowledge import model
from healthgym.mcp_servers.domains.clinical_diagnosis.passages import passages
from healthgym.mcp_servers.domains.clinical_diagnosis.patients import (
    ATTEMPTS,
    MAX_WORKUP,
    PRE_TEST_KINDS,
    _keep,
    _sample,
    build_case,
    disposition,
    rank,
)
from healthgym.mcp_servers.domains.clinical_diagnosis.posterior import DIAGNOSIS_MARGIN, DIFFERENTIAL_THRESHOLD


@pytest.mark.parametrize("index", range(0, 120, 11))
def test_the_keep_rule_holds_for_generated_cases(index: int) -> None:
    case = build_case("dev", 0, index)
    pre = rank(case.patient, PRE_TEST_KINDS)
    assert [c for c, p in pre if p >= DIFFERENTIAL_THRESHOLD] == list(case.differential)
    assert case.condition in case.differential and len(case.workup) <= MAX_WORKUP
    post = rank(case.patient, PRE_TEST_KINDS, case.workup)
    assert post[0][0] == case.condition and post[0][1] >= DIAGNOSIS_MARGIN * post[1][1]
    assert build_case.__wrapped__("dev", 0, index) == case


def test_every_condition_yields_well_posed_patients() -> None:
    m = model()
    rng = case_rng("clinical_diagnosis", "test-reachability", 0, 0)
    unreachable = [
        cid for cid in m.conditions if not any(_keep(_sample(m, rng, cid, "DX-X"), cid) for _ in range(ATTEMPTS))
    ]
    assert not unreachable


def test_patients_follow_age_and_sex_of_their_condition() -> None:
    m = model()
    for index in range(0, 360, 5):
        case = build_case("test", 0, index)
        cond = m.conditions[case.condition]
        assert cond.eligible(case.patient.age, case.patient.sex)
        assert case.patient.complaint in case.patient.findings and case.patient.findings[case.patient.complaint]


def test_the_disposition_rule() -> None:
    assert disposition(1, {}) == "critical_care"
    assert disposition(3, {"VS_HYPOTENSION": True}) == "critical_care"
    assert disposition(4, {"VS_HYPOXAEMIA": True}) == "admit"
    assert disposition(3, {}) == "outpatient_follow_up" and disposition(5, {}) == "home"


def test_passages_cover_every_condition_and_test_with_a_source() -> None:
    out = list(passages())
    titles = {p.title for p in out}
    assert all(f"Condition card: {c.name}" in titles for c in model().conditions.values())
    assert all(p.source and p.domains == ["clinical_diagnosis"] for p in out)
