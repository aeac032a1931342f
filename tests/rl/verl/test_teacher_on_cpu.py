"""The teacher hook: x ⊕ P ⊕ y batches whose sliced log-probs align token for token with the student's response,
the privileged block kept out of the student's ids, the in-place EMA teacher (exact update, cadence, restore), the
distilled turn ids and the λ schedule."""

from __future__ import annotations

import pytest
import torch
from torch.testing import assert_close

from healthgym.rl.privileged import HEADER, privileged_block, with_privileged
from healthgym.rl.rollout import ChatCodec, pack, response_logprobs
from healthgym.rl.teacher import EmaTeacher
from healthgym.rl.trainer import lambda_at
from healthgym.rl.turns import truncate_spans, turn_ids

pytest.importorskip("healthgym.rl.verl", exc_type=ImportError)
from healthgym.rl.verl.config import TTOPDPolicyLossConfig  # noqa: E402
from healthgym.rl.verl.teacher import (  # noqa: E402
    InPlaceEmaTeacher,
    distill_turn_ids,
    teacher_batch,
    teacher_response_log_probs,
)
from healthgym.rl.verl.trainer import zero_std_fraction  # noqa: E402


def engine_log_probs(model: torch.nn.Module, batch) -> torch.Tensor:
    """What verl's engine returns for a jagged batch: per sequence, position i holds log p(token i+1 | tokens ≤ i)
    (the last position scores nothing: 0)."""
    rows = []
    for ids in batch["input_ids"].unbind():
        with torch.no_grad():
            logp = torch.log_softmax(model(input_ids=ids[None]).logits[0].double(), -1)
        scored = logp[:-1].gather(1, ids[1:, None])[:, 0]
        rows.append(torch.cat([scored, scored.new_zeros(1)]))
    return torch.nested.as_nested_tensor(rows, layout=torch.jagged)


def episodes(tokenizer, task):
    codec = ChatCodec(tokenizer)
    messages = [
        {"role": "system", "content": "You are a careful clinical pharmacist."},
        {"role": "user", "content": task.prompt},
    ]
    student = codec.prompt_ids(messages, None)
    teacher = codec.prompt_ids(with_privileged(messages, privileged_block(task, "casefile")), None)
    texts = [
        '<tool_call>{"name": "check_interaction"}</tool_call>',
        '<tool_call>{"name": "submit_answer", "arguments": {"answer": "major"}}</tool_call>',
    ]
    return student, teacher, [torch.tensor(tokenizer(text)["input_ids"]) for text in texts]


def test_teacher_log_probs_align_token_for_token_with_the_student_response(model, tokenizer, task):
    model.double().eval()
    student, teacher, responses = episodes(tokenizer, task)
    batch = teacher_batch([teacher, teacher[:-3]], responses)
    sliced = teacher_response_log_probs(engine_log_probs(model, batch), batch)
    local = pack([teacher, teacher[:-3]], [r.tolist() for r in responses], tokenizer.pad_token_id, torch.device("cpu"))
    expected = response_logprobs(model, local, temperature=1.0)  # the local trainer's teacher scoring
    for row, response in enumerate(responses):
        assert batch["responses"][row].tolist() == response.tolist()  # the student's tokens, unchanged
        assert sliced[row].shape == response.shape
        assert_close(sliced[row], expected[row, : len(response)], atol=1e-9, rtol=0)
    # a different prompt changes the log-probs: the slice really reads the teacher's context
    plain = teacher_batch([student, student], responses)
    assert not torch.allclose(teacher_response_log_probs(engine_log_probs(model, plain), plain)[0], sliced[0])


def test_privileged_block_never_in_the_student_ids(tokenizer, task):
    student, teacher, responses = episodes(tokenizer, task)
    header = tokenizer(HEADER, add_special_tokens=False)["input_ids"]
    contains = lambda ids, sub: any(ids[i : i + len(sub)] == sub for i in range(len(ids) - len(sub) + 1))  # noqa: E731
    batch = teacher_batch([teacher], responses[:1])
    assert contains(batch["input_ids"][0].tolist(), header)
    assert not contains(student + responses[0].tolist(), header)
    assert HEADER not in tokenizer.decode(student)


def _perturb(model: torch.nn.Module, seed: int) -> None:
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn(p.shape, generator=gen, dtype=p.dtype) * 0.1)


def test_ema_moves_teacher_by_exactly_one_minus_alpha_of_the_gap_every_n_steps(model):
    model.double()
    teacher = InPlaceEmaTeacher(model, alpha=0.8, every=3)
    _perturb(model, 1)
    before = {k: v.clone() for k, v in teacher.weights.items()}
    assert not teacher.step(model) and not teacher.step(model)
    assert all(torch.equal(before[k], v) for k, v in teacher.weights.items())
    assert teacher.step(model) and teacher.updates == 1
    student = dict(model.named_parameters())
    for name, value in teacher.weights.items():
        assert_close(value - before[name], (1 - 0.8) * (student[name].detach() - before[name]), atol=1e-12, rtol=0)


def test_loaded_teacher_is_the_teacher_forward_and_the_student_is_restored(model, tokenizer, task):
    model.double().eval()
    teacher = InPlaceEmaTeacher(model, alpha=0.5, every=1)
    _perturb(model, 2)
    teacher.step(model)  # now teacher != student
    student_before = {k: v.detach().clone() for k, v in model.named_parameters()}
    ids = torch.tensor([tokenizer(task.prompt)["input_ids"][:40]])
    reference = EmaTeacher.forward(teacher, model, input_ids=ids).logits
    with teacher.loaded(model):
        loaded = model(input_ids=ids).logits
    assert_close(loaded, reference, atol=1e-12, rtol=0)
    assert all(torch.equal(v.detach(), student_before[k]) for k, v in model.named_parameters())
    with pytest.raises(RuntimeError, match="boom"), teacher.loaded(model):
        raise RuntimeError("boom")
    assert all(torch.equal(v.detach(), student_before[k]) for k, v in model.named_parameters())


def test_distill_turn_ids_are_the_first_k_turns_and_m_tokens():
    spans = [[(0, 5), (9, 14)], [(0, 7)], [(2, 4), (6, 10), (15, 20)]]
    lengths = [16, 9, 22]
    got = distill_turn_ids(spans, lengths, turns=2, tokens=3)
    for row, (row_spans, length) in enumerate(zip(spans, lengths, strict=True)):
        expected = turn_ids([truncate_spans(row_spans, first_turns=2, first_tokens=3)], length)[0]
        assert got[row].tolist() == expected.tolist()
    assert got[2].tolist()[15:20] == [-1] * 5  # the third turn is past K = 2


def test_lambda_schedule_and_zero_std_fraction():
    config = TTOPDPolicyLossConfig(loss_mode="tt_opd", lambda_schedule="anneal", lam=1.0, lam_floor=0.2)
    train = config.train_config(steps=5)
    assert [lambda_at(train, s, 1.0) for s in range(5)] == pytest.approx([1.0, 0.8, 0.6, 0.4, 0.2])
    assert zero_std_fraction(["a", "a", "b", "b", "c", "c"], [1, 1, 0, 1, 0.5, 0.5]) == pytest.approx(2 / 3)


def test_trainer_teacher_fields_from_agent_loop_episodes(model, tokenizer):
    """The trainer's data path: agent-loop episodes (teacher prompt, spans) → teacher batch → the engine's jagged
    log-probs → the loss's fields, aligned with each episode's response."""
    from verl.utils import tensordict_utils as tu

    from healthgym.mcp_servers.domain import tasks
    from healthgym.mcp_servers.domains import get_domain
    from healthgym.rl.verl.trainer import teacher_fields
    from tests.rl.verl.scripted import ScriptedServer, reference_actions, row, run_loop

    model.double().eval()
    outs = [
        run_loop(ScriptedServer(model, tokenizer, reference_actions(task)), tokenizer, row(task))
        for task in tasks(get_domain("drug_interaction"), "test", 2)
    ]
    data = tu.get_tensordict(
        {
            "responses": torch.nested.as_nested_tensor(
                [torch.tensor(o.response_ids) for o in outs], layout=torch.jagged
            ),
            "extra_fields": [o.extra_fields for o in outs],
        }
    )
    fields = teacher_fields(
        data, lambda inputs: {"log_probs": engine_log_probs(model, inputs)}, temperature=1.0, turns=1, tokens=4
    )
    for i, out in enumerate(outs):
        prompt = out.extra_fields["teacher_prompt_ids"]
        local = pack([prompt], [out.response_ids], tokenizer.pad_token_id, torch.device("cpu"))
        expected = response_logprobs(model, local, temperature=1.0)[0]
        assert_close(fields["teacher_log_prob"][i], expected, atol=1e-9, rtol=0)
        (start, _), *_ = out.extra_fields["turn_spans"]
        ids = fields["distill_turn_ids"][i]
        assert len(ids) == len(out.response_ids) and ids.tolist().count(0) == 4 and ids[start : start + 4].eq(0).all()
        assert (ids >= 0).sum() == 4
