"""Shared fixtures of the RL tests: a tokenizer and a model built in code, and a task with a hidden case file."""

from __future__ import annotations

import copy

import pytest
import torch

from healthgym.rl.tiny import build_model, build_tokenizer
from healthgym.schemas import ChoiceAnswer, Privileged, Rubric, Source, Task

CORPUS = [
    "Check the interaction between warfarin and aspirin before prescribing.",
    '<tool_call>{"name": "check_interaction", "arguments": {"drug_a": "warfarin", "drug_b": "aspirin"}}</tool_call>',
    '{"severity": "major", "mechanism": "additive bleeding risk"}',
    '<tool_call>{"name": "submit_answer", "arguments": {"answer": "major"}}</tool_call>',
    "You are a careful clinical pharmacist. Use the tools; never guess.",
]


@pytest.fixture(scope="session")
def tokenizer():
    return build_tokenizer(CORPUS * 20, vocab_size=400)


@pytest.fixture
def model(tokenizer):
    torch.manual_seed(0)
    return build_model(tokenizer, hidden_size=32, layers=2, heads=2, seed=0)


@pytest.fixture(scope="session")
def task() -> Task:
    return Task(
        id="drug_interaction-dev-0000000000",
        domain="drug_interaction",
        split="dev",
        prompt="Patient P-1 takes warfarin; aspirin is proposed. How severe is the interaction?",
        case_ref="P-1",
        answer=ChoiceAnswer(value="major", options=["none", "minor", "moderate", "major"]),
        privileged=Privileged(
            rationale="Warfarin plus aspirin adds antiplatelet to anticoagulant effect (label: warfarin, 5.1).",
            key_evidence=["INR 2.8 on warfarin", "aspirin 325 mg proposed"],
            reference_path=["check_interaction(drug_a=warfarin, drug_b=aspirin)", "submit_answer(answer=major)"],
        ),
        rubric=Rubric(),
        source=Source(generator="test.fixture", version="1"),
    )


@pytest.fixture(scope="module")
def tiny_domain():
    """Register the framework's tiny test domain (get_labs, write_note, submit_answer) for one test module."""
    from healthgym.mcp_servers import domains, server

    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(domains.DOMAINS, "tiny", "tests.framework.tiny_domain")
        domains.get_domain.cache_clear()
        server.build_server.cache_clear()
        yield "tiny"
    domains.get_domain.cache_clear()
    server.build_server.cache_clear()


def build_tiny(domain: str):
    from healthgym.rl.tiny import tiny_policy

    return tiny_policy([domain], corpus_tasks=8, vocab_size=512, hidden_size=64)


@pytest.fixture
def tiny_policy(tiny_domain):
    """A tiny model (random weights) and a tokenizer trained on the tiny domain's own text."""
    return build_tiny(tiny_domain)


@pytest.fixture(scope="module")
def warm_policy(tiny_domain):
    """A factory of copies of one tiny model warm-started on the reference clinician's episode of one dev task, as
    the student sees it and as the casefile teacher sees it; sampled at T=1 it solves the task some of the time."""
    from healthgym.mcp_servers.domain import tasks
    from healthgym.mcp_servers.domains import get_domain
    from healthgym.rl.env import HealthGymEnv
    from healthgym.rl.rollout import ChatCodec
    from healthgym.rl.sft import privileged_view, reference_episodes, supervised_warm_start

    model, tokenizer = build_tiny(tiny_domain)
    task = tasks(get_domain(tiny_domain), "dev", 1)[0]
    codec = ChatCodec(tokenizer)
    ref = reference_episodes(codec, HealthGymEnv(tiny_domain, "dev"), [{"options": {"task_id": task.id}}])
    data = ref + [privileged_view(codec, ep, "casefile") for ep in ref]
    supervised_warm_start(model, codec, data * 30, batch_size=1, learning_rate=5e-3, seed=0)
    state = copy.deepcopy(model.state_dict())

    def make():
        fresh = copy.deepcopy(model)
        fresh.load_state_dict(state)
        return fresh, tokenizer, task

    return make
