"""The EMA teacher: exact update, applied every N steps, never a gradient; full weights or LoRA adapters only."""

from __future__ import annotations

import pytest
import torch
from torch.testing import assert_close

from healthgym.rl.losses import tt_opd_loss
from healthgym.rl.rollout import pack, response_logprobs
from healthgym.rl.teacher import EmaTeacher, ShadowPolicy
from healthgym.rl.turns import turn_ids


def _perturb(model: torch.nn.Module, seed: int = 1) -> None:
    """Stand-in for an optimizer step."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            if p.requires_grad:
                p.add_(torch.randn(p.shape, generator=gen, dtype=p.dtype) * 0.1)


def test_ema_step_moves_teacher_by_exactly_one_minus_alpha_of_the_gap(model):
    model.double()
    teacher = EmaTeacher(model, alpha=0.9, every=3)
    _perturb(model)
    before = {k: v.clone() for k, v in teacher.weights.items()}
    assert not teacher.step(model) and not teacher.step(model)  # steps 1 and 2 of every=3: no change
    for name, value in teacher.weights.items():
        assert torch.equal(value, before[name])
    assert teacher.step(model) and teacher.updates == 1
    student = dict(model.named_parameters())
    for name, value in teacher.weights.items():
        assert_close(value - before[name], (1 - 0.9) * (student[name].detach() - before[name]), rtol=0, atol=1e-12)
    assert any(not torch.equal(v, before[k]) for k, v in teacher.weights.items())


def test_teacher_gets_no_gradient_and_is_not_the_student(model, tokenizer):
    teacher = EmaTeacher(model, alpha=0.5, every=1)
    for name, p in model.named_parameters():
        assert teacher.weights[name].data_ptr() != p.data_ptr()
    batch = pack([[1, 5, 6, 7]], [[8, 9, 10]], tokenizer.pad_token_id, torch.device("cpu"))
    log_prob = response_logprobs(model, batch, temperature=1.0)
    teacher_lp = response_logprobs(lambda **kw: teacher.forward(model, **kw), batch, temperature=1.0)
    assert not teacher_lp.requires_grad
    before = {k: v.clone() for k, v in teacher.weights.items()}
    loss, _ = tt_opd_loss(
        log_prob,
        log_prob.detach(),
        torch.tensor([1.0]),
        torch.ones(1, 3),
        teacher_lp,
        turn_ids([[(0, 3)]], 3),
        lam=1.0,
        clip_low=0.2,
        clip_high=0.2,
    )
    loss.backward()
    assert all(v.grad is None and not v.requires_grad for v in teacher.weights.values())
    assert all(torch.equal(v, before[k]) for k, v in teacher.weights.items())
    assert any(p.grad is not None and p.grad.abs().sum() > 0 for p in model.parameters())


def test_shadow_forward_uses_its_own_weights(model):
    ref = ShadowPolicy(model)
    ids = torch.tensor([[3, 4, 5, 6]])
    same = model(input_ids=ids).logits
    _perturb(model)
    assert_close(ref.forward(model, input_ids=ids).logits, same)
    assert not torch.allclose(model(input_ids=ids).logits, same)


def test_lora_teacher_keeps_adapters_only(model):
    peft = pytest.importorskip("peft")
    lora = peft.get_peft_model(model, peft.LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"]))
    teacher = EmaTeacher(lora, alpha=0.5, every=1)
    assert teacher.weights and all("lora_" in name for name in teacher.weights)
    frozen = {n: p.clone() for n, p in lora.named_parameters() if not p.requires_grad}
    _perturb(lora)
    before = {k: v.clone() for k, v in teacher.weights.items()}
    teacher.step(lora)
    student = dict(lora.named_parameters())
    for name, value in teacher.weights.items():
        assert_close(value - before[name], 0.5 * (student[name].detach() - before[name]))
    ids = torch.tensor([[3, 4, 5, 6]])
    assert not torch.allclose(teacher.forward(lora, input_ids=ids).logits, lora(input_ids=ids).logits)
    for name, p in lora.named_parameters():
        if name in frozen:
            assert torch.equal(p, frozen[name])


def test_teacher_state_round_trips(model):
    teacher = EmaTeacher(model, alpha=0.9, every=2)
    _perturb(model)
    teacher.step(model), teacher.step(model)
    state = teacher.state_dict()
    other = EmaTeacher(model, alpha=0.9, every=2)
    other.load_state_dict(state)
    assert other.updates == 1 and other.calls == 2
    assert all(torch.equal(other.weights[k], v) for k, v in teacher.weights.items())


def test_ema_distance_is_the_relative_gap_and_shrinks_as_the_teacher_follows(model):
    model.double()
    teacher = EmaTeacher(model, alpha=0.5, every=1)
    assert teacher.distance(model) == 0.0
    _perturb(model)
    student = dict(model.named_parameters())
    gap = sum(float((student[n].detach() - w).pow(2).sum()) for n, w in teacher.weights.items())
    norm = sum(float(student[n].detach().pow(2).sum()) for n in teacher.weights)
    before = teacher.distance(model)
    assert before == pytest.approx((gap / norm) ** 0.5)
    teacher.step(model)
    assert teacher.distance(model) == pytest.approx(before / 2)  # α = 0.5 halves the gap
