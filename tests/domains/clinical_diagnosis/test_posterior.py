"""The Bayesian rule, by hand and against the vectorised version the generator uses."""

from __future__ import annotations

import math

import pytest

from healthgym.mcp_servers.domains.clinical_diagnosis.knowledge import model
from healthgym.mcp_servers.domains.clinical_diagnosis.patients import PRE_TEST_KINDS, build_case, rank
from healthgym.mcp_servers.domains.clinical_diagnosis.posterior import Card, decisive, differential, posterior


def test_two_condition_posterior_worked_by_hand() -> None:
    """Priors 1 and 0.3; fever seen (0.9 vs background 0.05), cough absent (0.2 vs 0.6):
    A: 1 * 0.9 * 0.8 = 0.72; B: 0.3 * 0.05 * 0.4 = 0.006; P(A) = 0.72 / 0.726."""
    cards = [Card("a", 1.0, "any", 0, 120, {"fever": 0.9, "cough": 0.2}), Card("b", 0.3, "any", 0, 120, {"cough": 0.6})]
    ranking = posterior(cards, {"fever": 0.05, "cough": 0.05}, {"fever": True, "cough": False}, 40, "M")
    assert ranking[0][0] == "a" and math.isclose(ranking[0][1], 0.72 / 0.726, rel_tol=1e-9)
    assert differential(ranking) == ["a"] and decisive(ranking)


def test_ineligible_conditions_are_left_out() -> None:
    cards = [Card("adult", 1.0, "any", 16, 90, {}), Card("child", 1.0, "any", 0, 6, {}), Card("f", 1.0, "F", 0, 90, {})]
    assert [c for c, _ in posterior(cards, {}, {}, 40, "M")] == ["adult"]


@pytest.mark.parametrize("index", range(0, 40, 7))
def test_the_rule_and_the_vectorised_ranking_agree(index: int) -> None:
    m = model()
    patient = build_case("test", 0, index).patient
    cards = [Card(c.id, c.prior, c.sex, c.ages[0], c.ages[1], c.likelihoods) for c in m.conditions.values()]
    observed = {k: v for k, v in patient.findings.items() if m.findings[k].kind in PRE_TEST_KINDS}
    by_rule = posterior(cards, {k: m.findings[k].background for k in observed}, observed, patient.age, patient.sex)
    fast = rank(patient, PRE_TEST_KINDS)
    assert [c for c, _ in by_rule[:5]] == [c for c, _ in fast[:5]]
    assert all(math.isclose(a[1], b[1], rel_tol=1e-6, abs_tol=1e-12) for a, b in zip(by_rule, fast, strict=True))


def _vignette(present: set[str], age: int = 30, sex: str = "M") -> list[tuple[str, float]]:
    m = model()
    cards = [Card(c.id, c.prior, c.sex, c.ages[0], c.ages[1], c.likelihoods) for c in m.conditions.values()]
    observed = {code: code in present for code, f in m.findings.items() if f.sex == "any" or sex == "F"}
    return posterior(cards, {k: m.findings[k].background for k in observed}, observed, age, sex)


def test_classic_vignettes_are_diagnosed() -> None:
    """Textbook presentations: Alvarado's appendicitis (migration to the RLQ, anorexia, nausea, RLQ tenderness,
    rebound, fever, leukocytosis; Alvarado 1986), Kitabchi's DKA (polyuria, Kussmaul breathing, glucose, ketones,
    acidosis; Diabetes Care 2009) and a primary spontaneous pneumothorax (pleuritic pain, dyspnoea, absent breath
    sounds, CXR; BTS 2010)."""
    appendicitis = {
        "E_53",
        "H_RLQ_PAIN",
        "H_MIGRATED",
        "E_161",
        "E_148",
        "X_RLQ_TENDER",
        "X_PERITONISM",
        "VS_FEVER",
        "T_WBC_HIGH",
        "T_CRP_HIGH",
        "T_CT_APPENDIX",
    }
    dka = {
        "H_POLYURIA",
        "E_69",
        "E_211",
        "X_KUSSMAUL",
        "X_DRY",
        "VS_TACHYCARDIA",
        "VS_TACHYPNOEA",
        "T_GLUCOSE_HIGH",
        "T_KETONES_HIGH",
        "T_ACIDOSIS",
        "T_URINE_KETONES",
    }
    pneumothorax = {"E_53", "E_220", "E_66", "E_14", "X_ABSENT_BS", "VS_TACHYCARDIA", "T_CXR_PNEUMOTHORAX"}
    for present, gold in ((appendicitis, "appendicitis"), (dka, "dka"), (pneumothorax, "spontaneous_pneumothorax")):
        ranking = _vignette(present)
        assert ranking[0][0] == gold and decisive(ranking), ranking[:3]


def test_pleuritic_chest_pain_with_dyspnoea_keeps_both_cant_miss_causes_in_the_differential() -> None:
    """Pleuritic chest pain, breathlessness and tachycardia after immobilisation: pulmonary embolism (ESC 2019) and
    pneumothorax (BTS 2010) both stay in the differential, with pericarditis and rib fracture, before any test."""
    ranking = _vignette({"E_53", "E_220", "E_66", "VS_TACHYCARDIA", "E_110"}, age=45)
    diff = differential(ranking)
    assert {"pulmonary_embolism", "spontaneous_pneumothorax", "pericarditis"} <= set(diff)
    assert not decisive(ranking)
