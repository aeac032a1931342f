"""The gym's totals over every registered domain: unique tools and test tasks, all of them in the RL training pool.

Issue #15's target (>= 135 unique tools, >= 3,600 test tasks) holds once all ten domains are registered; until then
the test checks what each registered domain contributes (>= 12 tools of its own, >= 360 test tasks) and that the
totals add up.
"""

from __future__ import annotations

import gymnasium as gym
import pytest

import healthgym.rl  # noqa: F401  (registers the Gym ids)
from healthgym.mcp_servers.domain import tasks
from healthgym.mcp_servers.domains import domain_names, get_domain
from healthgym.mcp_servers.inprocess import InProcessSession
from healthgym.mcp_servers.server import build_server
from healthgym.rl.env import HealthGymEnv
from healthgym.rl.verl.export import rows_of

ALL_DOMAINS = frozenset(
    {
        "clinical_diagnosis",
        "cross_domain",
        "drug_interaction",
        "ehr_management",
        "medical_qa",
        "obstetrics",
        "psychiatry",
        "radiology_report",
        "triage_emergency",
        "visual_diagnosis",
    }
)
TARGET_TOOLS = 135
TARGET_TEST_TASKS = 3_600
MIN_OWN_TOOLS = 12
MIN_TEST_TASKS = 360


def _tool_names(domain: str) -> set[str]:
    return {tool.name for tool in InProcessSession(build_server(domain)).list_tools()}


@pytest.fixture(scope="module")
def totals() -> dict[str, dict[str, int] | set[str]]:
    tools = {d: _tool_names(d) for d in domain_names()}
    return {"tools": tools, "test": {d: len(tasks(get_domain(d), "test")) for d in domain_names()}}


def test_every_domain_contributes_its_share(totals) -> None:
    for domain, names in totals["tools"].items():
        assert len(names - {"search_knowledge"}) >= MIN_OWN_TOOLS, (domain, sorted(names))
        assert totals["test"][domain] >= MIN_TEST_TASKS, domain


def test_the_totals_reach_the_target_with_all_ten_domains(totals) -> None:
    unique = set().union(*totals["tools"].values())
    test_tasks = sum(totals["test"].values())
    assert test_tasks >= MIN_TEST_TASKS * len(totals["test"])
    if not set(domain_names()) >= ALL_DOMAINS:
        missing = sorted(ALL_DOMAINS - set(domain_names()))
        pytest.skip(
            f"{len(unique)} unique tools and {test_tasks} test tasks over {len(totals['test'])} domains; the "
            f"target needs all ten (missing {', '.join(missing)})"
        )
    assert len(unique) >= TARGET_TOOLS, len(unique)
    assert test_tasks >= TARGET_TEST_TASKS, test_tasks


@pytest.mark.parametrize("domain", domain_names())
def test_every_domain_is_in_the_rl_training_pool(domain: str) -> None:
    """Registered as a Gym id, its train stream plays in the env with the submit tool listed, and its tasks export as
    verl rows (what GRPO and TT-OPD train on)."""
    spec = get_domain(domain)
    assert gym.spec(spec.gym_id).kwargs["domain"] == domain
    env = HealthGymEnv(domain, "train", train_seed=7)
    _, info = env.reset(seed=0)
    assert info["task"].domain == domain and spec.submit_tool in {t["name"] for t in info["tools"]}
    env.close()
    rows = rows_of(tasks(spec, "train", 2, seed=7))
    assert len(rows) == 2 and all(spec.submit_tool in row["tools"] for row in rows)
