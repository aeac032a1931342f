"""Split hygiene on the tiny domain: a planted duplicate is removed from train and counted by the leakage report;
tiers filter the pools and withhold decision support in the env (issue #9)."""

from __future__ import annotations

import dataclasses
import json
from itertools import islice

import pytest

from healthgym.mcp_servers.domain import content_hashes, leakage_report, tasks, train_stream
from healthgym.mcp_servers.domains import get_domain
from healthgym.rl.env import HealthGymEnv
from healthgym.schemas import Task

PLANTED_ID = "TP-train-9-9"


def _planted_spec(tiny_domain: str):
    """The tiny domain whose train stream of seed 9 hands out, at index 5, test task 2 under a new case id."""
    base = get_domain(tiny_domain)
    victim = tasks(base, "test")[2]

    def generate(split, seed, index) -> Task:
        if (split, seed, index) == ("train", 9, 5):
            return victim.model_copy(
                update={
                    "id": "planted",
                    "split": "train",
                    "case_ref": PLANTED_ID,
                    "prompt": victim.prompt.replace(victim.case_ref, PLANTED_ID),
                }
            )
        return base.generate(split, seed, index)

    def case_record(ref: str) -> dict:
        return {**base.case_record(victim.case_ref if ref == PLANTED_ID else ref), "patient_id": ref}

    return dataclasses.replace(base, generate=generate, case_record=case_record), victim


def test_a_planted_duplicate_is_removed_from_train_and_reported(tiny_domain) -> None:
    spec, victim = _planted_spec(tiny_domain)
    planted = spec.generate("train", 9, 5)
    assert content_hashes(spec, planted)["prompt"] == content_hashes(spec, victim)["prompt"]
    assert leakage_report(spec, {"train": [planted]}) == {"train": {"prompt": 1, "record": 1, "parameters": 0}}
    stream = list(islice(train_stream(spec, 9), 8))
    assert "planted" not in {t.id for t in stream}
    assert leakage_report(spec, {"train": stream})["train"] == {"prompt": 0, "record": 0, "parameters": 0}


def test_parameters_collide_across_patients(tiny_domain) -> None:
    """Two record-independent questions with the same parameters are the same question, whoever the patient."""
    spec = get_domain(tiny_domain)
    a, b = tasks(spec, "test")[:2]
    a = a.model_copy(update={"parameters": {"drug_a": "warfarin", "drug_b": "amiodarone"}})
    b = b.model_copy(update={"parameters": {"drug_b": "amiodarone", "drug_a": "warfarin"}})
    assert content_hashes(spec, a)["parameters"] == content_hashes(spec, b)["parameters"]
    assert content_hashes(spec, a)["record"] != content_hashes(spec, b)["record"]


@pytest.fixture
def tiered_domain(monkeypatch):
    from healthgym.mcp_servers import domains

    monkeypatch.setitem(domains.DOMAINS, "tiered", "tests.framework.tiered_domain")
    return "tiered"


def test_tier_filters_the_pool_and_the_env_withholds_decision_support(tiered_domain) -> None:
    spec = get_domain(tiered_domain)
    assert {t.tier for t in tasks(spec, "test", tier="unassisted")} == {"unassisted"}
    env = HealthGymEnv(tiered_domain, "test", tier="unassisted")
    observation, info = env.reset(seed=0)
    assert info["tier"] == "unassisted"
    assert "potassium_band" not in {t["name"] for t in info["tools"]} and "potassium_band" not in observation
    _, _, _, _, info = env.step(
        json.dumps({"name": "potassium_band", "arguments": {"patient_id": info["task"].case_ref}})
    )
    result = info["tool_results"][0]
    assert result.is_error and "not available in the unassisted tier" in result.text
    assisted = HealthGymEnv(tiered_domain, "test", tier="assisted")
    _, info = assisted.reset(seed=0)
    assert "potassium_band" in {t["name"] for t in info["tools"]}
    with pytest.raises(ValueError, match="tier"):
        HealthGymEnv(tiered_domain, "test", tier="partly")  # type: ignore[arg-type]


def test_the_grader_reads_the_validated_submission(tiny_domain) -> None:
    """The submit tool validated "4.2" into 4.2; the grade is of what the server accepted."""
    env = HealthGymEnv(tiny_domain, "test")
    _, info = env.reset(seed=1)
    task = env.unwrapped.task
    value = task.answer.value
    _, reward, terminated, _, info = env.step(
        json.dumps({"name": "submit_answer", "arguments": {"answer": str(value)}})
    )
    assert terminated and info["grade"].correct
    assert info["trajectory"].submitted == {"answer": value}
