"""The condition knowledge model: DDXPlus coverage, ICD-10-CM validity, sources, and the name resolver."""

from __future__ import annotations

from pathlib import Path

import pytest
import simple_icd_10_cm as icd

from healthgym.mcp_servers.domains.clinical_diagnosis import ddxplus
from healthgym.mcp_servers.domains.clinical_diagnosis.knowledge import EXAM_SYSTEMS, HISTORY_TOPICS, model, resolve

RELEASE = Path(__file__).resolve().parents[4] / "shared" / "data" / "ddxplus"


def test_every_icd10_code_is_valid_icd10_cm() -> None:
    bad = [(c.id, code) for c in model().conditions.values() for code in c.icd10 if not icd.is_valid_item(code)]
    assert not bad


def test_the_model_covers_the_49_ddxplus_pathologies_and_35_more() -> None:
    conditions = model().conditions.values()
    covered = {c.ddxplus for c in conditions if c.ddxplus}
    assert covered == set(ddxplus.pathologies()) and len(covered) == 49
    ours = [c for c in conditions if not c.ddxplus]
    assert len(ours) >= 30
    for name in (
        "appendicitis",
        "cholecystitis",
        "pyelonephritis",
        "dka",
        "ischaemic_stroke",
        "meningitis",
        "sepsis",
        "heart_failure",
        "cellulitis",
        "dvt",
    ):
        assert name in model().conditions


def test_ddxplus_membership_is_carried_into_the_likelihoods() -> None:
    m = model()
    for c in m.conditions.values():
        if c.ddxplus:
            p = ddxplus.pathologies()[c.ddxplus]
            members = [e for e in p.symptoms + p.antecedents if e in m.findings]
            assert all(e in c.likelihoods for e in members), c.id


def test_every_condition_has_sources_likelihoods_in_range_and_a_workup_or_clinical_diagnosis() -> None:
    m = model()
    for c in m.conditions.values():
        assert c.sources, c.id
        assert all(0 < p < 1 for p in c.likelihoods.values()), c.id
        assert 1 <= c.severity <= 5
    assert m.workup("appendicitis") == ["cbc", "crp", "ct_abdomen"]
    assert "ctpa" in m.workup("pulmonary_embolism") and "d_dimer" in m.workup("pulmonary_embolism")


def test_hand_checked_cards_follow_their_sources() -> None:
    """Spot checks against the cited sources: DKA's triad (Kitabchi 2009: glucose, ketones, acidosis), Murphy's sign
    in cholecystitis (TG18), D-dimer sensitivity in PE (ESC 2019: > 95%), ectopic pregnancy in women only."""
    c = model().conditions
    assert all(c["dka"].likelihoods[k] >= 0.9 for k in ("T_GLUCOSE_HIGH", "T_KETONES_HIGH", "T_ACIDOSIS"))
    assert c["cholecystitis"].likelihoods["X_MURPHY"] >= 0.6
    assert c["pulmonary_embolism"].likelihoods["T_DDIMER_HIGH"] >= 0.95
    assert c["ectopic_pregnancy"].sex == "F" and c["croup"].ages == (0, 6)
    assert c["acute_mi"].cant_miss and not c["urti"].cant_miss


def test_every_history_finding_belongs_to_a_topic_and_every_sign_to_a_system() -> None:
    for f in model().findings.values():
        if f.kind in ("symptom", "antecedent"):
            assert f.group in HISTORY_TOPICS, f
        if f.kind == "exam":
            assert f.group in EXAM_SYSTEMS, f


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("appendicitis", "appendicitis"), ("Acute appendicitis", "appendicitis"), ("K35.80", "appendicitis"),
        ("K35", "appendicitis"), ("k35.89", "appendicitis"), ("heart attack", "acute_mi"), ("I21.4", "acute_mi"),
        ("Guillain-Barré syndrome", "guillain_barre"), ("Possible NSTEMI / STEMI", "acute_mi"),
        ("I20", None), ("I20.0", "unstable_angina"), ("J05.1", "epiglottitis"), ("banana", None), ("", None),
    ],
)  # fmt: skip
def test_resolve_names_synonyms_and_icd10_families(text: str, expected: str | None) -> None:
    assert resolve(text) == expected


def test_the_shipped_ddxplus_table_is_what_the_release_gives() -> None:
    if not (RELEASE / "release_conditions.json").exists():
        pytest.skip("../shared/data/ddxplus is absent")
    import json

    shipped = json.loads(ddxplus.SHIPPED.read_text(encoding="utf-8"))
    assert ddxplus.read_release(RELEASE) == shipped
