"""Privileged context: what each mode holds, and teacher log-probs aligned to the student's response positions."""

from __future__ import annotations

import json

import pytest
import torch
from torch.testing import assert_close

from healthgym.rl.privileged import MODES, privileged_block, reference_arguments, with_privileged
from healthgym.rl.rollout import ChatCodec, pack, response_logprobs
from healthgym.rl.teacher import EmaTeacher
from healthgym.schemas import CodeSetAnswer, FieldsAnswer, Grade, NumericAnswer

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "submit_answer",
            "description": "Submit.",
            "parameters": {"type": "object", "properties": {"answer": {}}},
        },
    }
]


def test_modes_hold_what_they_promise(task):
    right = Grade(score=1.0, correct=True, submitted={"answer": "major"})
    wrong = Grade(score=0.0, correct=False, submitted={"answer": "minor"})
    assert "correct." in privileged_block(task, "hint", grade=right)
    assert "incorrect" in privileged_block(task, "hint", grade=wrong)
    assert "no answer" in privileged_block(task, "hint", grade=None)
    assert "major" not in privileged_block(task, "hint", grade=wrong)  # hint never leaks the answer
    gold = privileged_block(task, "gold")
    assert json.loads(gold.split("Reference answer: ")[1]) == {
        "name": "submit_answer",
        "arguments": {"answer": "major"},
    }
    assert "INR 2.8" not in gold
    casefile = privileged_block(task, "casefile")
    for text in [*task.privileged.key_evidence, *task.privileged.reference_path, task.privileged.rationale]:
        assert text in casefile
    with pytest.raises(ValueError, match="hint"):
        privileged_block(task, "answer")  # type: ignore[arg-type]


def test_reference_arguments_of_each_answer_kind():
    assert reference_arguments(NumericAnswer(value=42.0, unit="mL/min", tolerance=1)) == {"answer": 42.0}
    assert reference_arguments(CodeSetAnswer(codes=["a", "b"])) == {"answer": ["a", "b"]}
    fields = FieldsAnswer(
        fields={"esi": NumericAnswer(value=2, unit="level", tolerance=0), "protocols": CodeSetAnswer(codes=["sepsis"])}
    )
    assert reference_arguments(fields) == {"esi": 2, "protocols": ["sepsis"]}


@pytest.mark.parametrize("mode", MODES)
def test_teacher_logprobs_align_to_response_positions(mode, task, tokenizer, model):
    codec = ChatCodec(tokenizer)
    messages = [
        {"role": "system", "content": "You are a careful clinical pharmacist."},
        {"role": "user", "content": task.prompt},
    ]
    grade = Grade(score=0.0, correct=False, submitted={"answer": "minor"})
    block = privileged_block(task, mode, grade=grade)
    student_prompt = codec.prompt_ids(messages, TOOLS)
    teacher_prompt = codec.prompt_ids(with_privileged(messages, block), TOOLS)
    # x ⊕ P: the teacher's prompt is the student's with P inserted before the end of the user turn
    cut = len(codec.prompt_ids(messages, TOOLS)) - len(codec.encode("<|im_end|>\n<|im_start|>assistant\n"))
    assert teacher_prompt[:cut] == student_prompt[:cut]
    assert teacher_prompt[len(teacher_prompt) - (len(student_prompt) - cut) :] == student_prompt[cut:]
    assert block in tokenizer.decode(teacher_prompt)

    responses = [
        codec.encode('<tool_call>{"name": "submit_answer", "arguments": {"answer": "major"}}</tool_call>'),
        codec.encode("Check the interaction.<|im_end|>\n<|im_start|>user\n<tool_response>\nok"),
    ]
    short_prompt = codec.prompt_ids(with_privileged(messages[1:], block), None)  # another length: padding differs
    model.double()
    teacher = EmaTeacher(model, alpha=0.5, every=1)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(0.05)  # the student moves; the teacher must be the one scoring
    batch = pack([teacher_prompt, short_prompt], responses, tokenizer.pad_token_id, torch.device("cpu"))
    got = response_logprobs(lambda **kw: teacher.forward(model, **kw), batch, temperature=0.7)
    for row, (prompt, response) in enumerate(zip([teacher_prompt, short_prompt], responses, strict=True)):
        full = torch.tensor([prompt + response])
        logits = teacher.forward(model, input_ids=full).logits[0].double() / 0.7
        logp = torch.log_softmax(logits, dim=-1)
        expected = torch.stack([logp[len(prompt) + j - 1, tok] for j, tok in enumerate(response)])
        assert_close(got[row, : len(response)], expected, atol=1e-6, rtol=1e-6)
        assert got[row, len(response) :].eq(0).all()


def test_with_privileged_needs_a_user_turn():
    with pytest.raises(ValueError, match="user message"):
        with_privileged([{"role": "system", "content": "x"}], "P")
