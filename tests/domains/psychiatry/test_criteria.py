"""DSM-5-TR criteria counting at its boundaries: symptom counts, required core symptoms, durations, the irritable-only
mania rule, exclusions (DSM-5-TR, APA 2022; criteria paraphrased)."""

from __future__ import annotations

import numpy as np
import pytest

from healthgym.mcp_servers.domains.psychiatry.criteria import (
    ADHD_HYPERACTIVITY,
    ADHD_INATTENTION,
    DISORDERS,
    MANIA_B,
    MDD_SYMPTOMS,
    PANIC_SYMPTOMS,
    evaluate,
    sample_findings,
)

MDD_BASE = {"depressive_episode_days": 21, "distress_or_impairment": True}


def mdd(symptoms: tuple[str, ...], **extra: bool | float) -> list[str]:
    return evaluate("major_depressive_disorder", {**MDD_BASE, **dict.fromkeys(symptoms, True), **extra}).unmet


def test_mdd_needs_five_symptoms_with_a_core_one() -> None:
    assert mdd(MDD_SYMPTOMS[:5]) == []
    assert mdd(MDD_SYMPTOMS[:4]) == ["A_symptoms"]
    assert mdd(MDD_SYMPTOMS[2:7]) == ["A_symptoms"], "five symptoms but neither depressed mood nor anhedonia"
    assert mdd(("anhedonia", *MDD_SYMPTOMS[2:6])) == []


def test_mdd_duration_exclusions_and_mania() -> None:
    assert mdd(MDD_SYMPTOMS[:5], depressive_episode_days=14) == []
    assert mdd(MDD_SYMPTOMS[:5], depressive_episode_days=13) == ["A_two_weeks"]
    assert mdd(MDD_SYMPTOMS[:5], substance_or_medical_cause=True) == ["not_substance_or_medical"]
    assert mdd(MDD_SYMPTOMS[:5], history_of_mania=True) == ["no_mania_history"]
    assert mdd(MDD_SYMPTOMS[:5], distress_or_impairment=False) == ["distress_or_impairment"]


def gad(months: float, symptoms: int) -> list[str]:
    findings = {"excessive_worry": True, "worry_hard_to_control": True, "distress_or_impairment": True,
                "worry_months": months, **dict.fromkeys(DISORDERS["generalized_anxiety_disorder"].symptoms[:symptoms],
                                                        True)}  # fmt: skip
    return evaluate("generalized_anxiety_disorder", findings).unmet


def test_gad_six_months_and_three_symptoms() -> None:
    assert gad(6, 3) == []
    assert gad(5, 3) == ["A_six_months"]
    assert gad(6, 2) == ["C_symptoms"]


def test_panic_four_symptoms_and_one_month() -> None:
    base = {"unexpected_panic_attacks": True, "post_attack_concern_months": 1}
    assert evaluate("panic_disorder", {**base, **dict.fromkeys(PANIC_SYMPTOMS[:4], True)}).unmet == []
    assert evaluate("panic_disorder", {**base, **dict.fromkeys(PANIC_SYMPTOMS[:3], True)}).unmet == [
        "A_attack_symptoms"
    ]
    short = {**base, "post_attack_concern_months": 0.5, **dict.fromkeys(PANIC_SYMPTOMS[:4], True)}
    assert evaluate("panic_disorder", short).unmet == ["B_one_month_concern"]


PTSD_MET = {
    "trauma_exposure": True, "intrusive_memories": True, "avoid_reminders": True, "negative_beliefs": True,
    "detachment": True, "hypervigilance": True, "exaggerated_startle": True, "trauma_symptom_months": 2,
    "distress_or_impairment": True,
}  # fmt: skip


def test_ptsd_cluster_counts_and_more_than_one_month() -> None:
    result = evaluate("ptsd", PTSD_MET)
    assert result.unmet == [] and result.symptom_count == 6
    assert evaluate("ptsd", {**PTSD_MET, "detachment": False}).unmet == ["D_cognition_mood"]
    assert evaluate("ptsd", {**PTSD_MET, "exaggerated_startle": False}).unmet == ["E_arousal"]
    one_month = {**PTSD_MET, "trauma_symptom_months": 1}
    assert evaluate("ptsd", one_month).unmet == ["F_over_one_month"], "1 month is not more than 1 month"
    assert evaluate("ptsd", {**PTSD_MET, "trauma_exposure": False}).unmet == ["A_exposure"]


def mania(code: str, mood: str, symptoms: int, days: float, **extra: bool) -> list[str]:
    findings = {f"{mood}_mood": True, "increased_energy": True, "mood_episode_days": days,
                **dict.fromkeys(MANIA_B[:symptoms], True), **extra}  # fmt: skip
    return evaluate(code, findings).unmet


def test_bipolar_i_irritable_mood_needs_four_symptoms() -> None:
    assert mania("bipolar_i", "elevated", 3, 7, marked_impairment=True) == []
    assert mania("bipolar_i", "irritable", 3, 7, marked_impairment=True) == ["B_symptoms"]
    assert mania("bipolar_i", "irritable", 4, 7, marked_impairment=True) == []


def test_bipolar_i_one_week_unless_hospitalised() -> None:
    assert mania("bipolar_i", "elevated", 3, 6, marked_impairment=True) == ["A_one_week"]
    assert mania("bipolar_i", "elevated", 3, 3, hospitalized_for_episode=True) == []


def test_bipolar_ii_four_days_not_severe_and_a_depressive_episode() -> None:
    assert mania("bipolar_ii", "elevated", 3, 4, past_major_depressive_episode=True) == []
    assert mania("bipolar_ii", "elevated", 3, 3, past_major_depressive_episode=True) == ["A_four_days"]
    assert mania("bipolar_ii", "elevated", 3, 4, past_major_depressive_episode=True, psychotic_features=True) == [
        "not_manic_severity"
    ]
    assert mania("bipolar_ii", "elevated", 3, 4) == ["past_major_depression"]


def adhd(inattentive: int, hyperactive: int) -> list[str]:
    findings = {"adhd_symptom_months": 12, "symptoms_before_12": True, "two_or_more_settings": True,
                "distress_or_impairment": True, **dict.fromkeys(ADHD_INATTENTION[:inattentive], True),
                **dict.fromkeys(ADHD_HYPERACTIVITY[:hyperactive], True)}  # fmt: skip
    return evaluate("adhd_adult", findings).unmet


def test_adult_adhd_five_in_either_domain() -> None:
    assert adhd(5, 0) == [] and adhd(0, 5) == []
    assert adhd(4, 4) == ["A_symptoms"], "eight symptoms split 4 + 4 do not meet the adult threshold"


@pytest.mark.parametrize("code", sorted(DISORDERS))
def test_sampled_findings_fail_exactly_the_planned_criterion(code: str) -> None:
    for failing in [None, *(c.code for c in DISORDERS[code].criteria)]:
        for seed in range(25):
            findings = sample_findings(code, failing, np.random.default_rng(seed))
            assert evaluate(code, findings).unmet == ([] if failing is None else [failing])
