"""Shared fixtures of the RL tests: a tokenizer and a model built in code, and a task with a hidden case file."""

from __future__ import annotations

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
