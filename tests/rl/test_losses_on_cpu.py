"""GRPO and TT-OPD losses against values and gradients computed by hand."""

from __future__ import annotations

import math

import pytest
import torch
from torch.testing import assert_close

from healthgym.rl.losses import (
    clipped_policy_loss,
    distillation_advantages,
    group_advantages,
    grpo_loss,
    k3_kl,
    token_mean,
    tt_opd_loss,
)
from healthgym.rl.turns import turn_ids

CLIP = {"clip_low": 0.2, "clip_high": 0.28}


def test_group_advantages_normalise_within_each_group():
    rewards = torch.tensor([1.0, 0.0, 0.0, 1.0, 0.5, 0.5, 0.5, 0.5])
    adv = group_advantages(rewards, 4)
    std = math.sqrt(4 * 0.25 / 3)  # unbiased std of [1, 0, 0, 1]
    expected = torch.tensor([0.5, -0.5, -0.5, 0.5, 0, 0, 0, 0]) / torch.tensor([std] * 4 + [1.0] * 4)
    assert_close(adv, expected, atol=1e-5, rtol=1e-5)
    assert_close(group_advantages(rewards, 4, scale=False), torch.tensor([0.5, -0.5, -0.5, 0.5, 0, 0, 0, 0]))
    with pytest.raises(ValueError, match="groups of 3"):
        group_advantages(rewards, 3)


def _ratios_case():
    # ratios: row 0 (A=+1): 1.5 (clipped at 1.28), 0.9, masked; row 1 (A=-1): 0.5 (clipped at 0.8), 1.5, 1.0
    old = torch.zeros(2, 3)
    log_prob = torch.log(torch.tensor([[1.5, 0.9, 1.0], [0.5, 1.5, 1.0]])).requires_grad_()
    adv = torch.tensor([1.0, -1.0])
    mask = torch.tensor([[1.0, 1.0, 0.0], [1.0, 1.0, 1.0]])
    return log_prob, old, adv, mask


def test_clipped_policy_loss_value_and_gradient_by_hand():
    log_prob, old, adv, mask = _ratios_case()
    loss, metrics = grpo_loss(log_prob, old, adv, mask, **CLIP)
    # per token: -1.28, -0.9, (masked), 0.8, 1.5, 1.0 ; token mean over 5
    assert_close(loss, torch.tensor((-1.28 - 0.9 + 0.8 + 1.5 + 1.0) / 5))
    assert metrics["clip_ratio"] == pytest.approx(2 / 5)
    loss.backward()
    # d/dlogp of -A·ρ is -A·ρ where the clip does not bind, 0 where it does
    assert_close(log_prob.grad, torch.tensor([[0.0, -0.9 / 5, 0.0], [0.0, 1.5 / 5, 1.0 / 5]]))


def test_on_policy_gradient_is_minus_advantage_over_token_count():
    log_prob = torch.randn(3, 4, requires_grad=True)
    adv = torch.tensor([0.5, -1.0, 2.0])
    mask = torch.tensor([[1.0, 1, 1, 0], [1, 1, 0, 0], [1, 1, 1, 1]])
    loss, _ = grpo_loss(log_prob, log_prob.detach(), adv, mask, **CLIP)
    loss.backward()
    assert_close(log_prob.grad, -adv[:, None] * mask / mask.sum())


def test_k3_kl_value_gradient_and_weight():
    log_prob = torch.tensor([[-1.0, -2.0]], requires_grad=True)
    ref = torch.tensor([[-1.5, -1.0]])
    r = ref - log_prob.detach()
    assert_close(k3_kl(log_prob, ref), torch.exp(r) - r - 1)
    assert (k3_kl(log_prob, ref) >= 0).all()
    assert_close(k3_kl(log_prob, log_prob.detach()), torch.zeros(1, 2))
    mask = torch.ones(1, 2)
    loss, metrics = grpo_loss(log_prob, log_prob.detach(), torch.zeros(1), mask, beta=0.1, ref_log_prob=ref, **CLIP)
    assert_close(loss, 0.1 * token_mean(torch.exp(r) - r - 1, mask))
    loss.backward()
    assert_close(log_prob.grad, 0.1 * (1 - torch.exp(r)) / 2)  # d/dlogp (e^r - r - 1) = 1 - e^r
    assert metrics["kl/ref"] > 0
    with pytest.raises(ValueError, match="ref_log_prob"):
        grpo_loss(log_prob, log_prob.detach(), torch.zeros(1), mask, beta=0.1, **CLIP)


def _episode():
    """One episode: turn 0 = response positions 0..2, a tool token at 3 (mask 0), turn 1 = position 4."""
    log_prob = torch.tensor([[-1.0, -0.5, -2.0, -3.0, -0.2]], requires_grad=True)
    teacher = torch.tensor([[-0.4, -0.5, -1.0, -9.0, -0.9]])
    mask = torch.tensor([[1.0, 1.0, 1.0, 0.0, 1.0]])
    ids = turn_ids([[(0, 3), (4, 5)]], 5)
    return log_prob, teacher, mask, ids


def test_tt_opd_loss_value_and_gradient_by_hand():
    log_prob, teacher, mask, ids = _episode()
    d = (log_prob - teacher).detach()[0]  # [-0.6, 0, -1, (tool), 0.7]
    lam, adv = 0.5, torch.tensor([0.0])
    loss, metrics = tt_opd_loss(log_prob, log_prob.detach(), adv, mask, teacher, ids, lam=lam, **CLIP)
    # on-policy ρ = 1, A^D = -d: per-token loss -A^D = d; mean within each turn, then over the two turns
    turn0, turn1 = (d[0] + d[1] + d[2]) / 3, d[4]
    assert_close(loss, lam * (turn0 + turn1) / 2)
    assert metrics["distill/kl"] == pytest.approx(((turn0 + turn1) / 2).item())
    loss.backward()
    expected = torch.tensor([[d[0] / 6, d[1] / 6, d[2] / 6, 0.0, d[4] / 2]]) * lam
    assert_close(log_prob.grad, expected)


def test_tt_opd_adds_the_grpo_term_and_flips_on_negative_advantage():
    log_prob, teacher, mask, ids = _episode()
    adv = torch.tensor([-2.0])
    plain, _ = tt_opd_loss(log_prob, log_prob.detach(), adv, mask, teacher, ids, lam=1.0, **CLIP)
    grpo, _ = grpo_loss(log_prob, log_prob.detach(), adv, mask, **CLIP)
    flipped, _ = tt_opd_loss(log_prob, log_prob.detach(), adv, mask, teacher, ids, lam=1.0, bidirectional=True, **CLIP)
    assert_close(plain - grpo, -(flipped - grpo))  # the distillation term changes sign, the task term does not


def test_turn_granularity_gives_each_token_its_turn_mean():
    log_prob, teacher, _, ids = _episode()
    adv, d = distillation_advantages(log_prob, teacher, ids, granularity="turn")
    raw = (log_prob - teacher).detach()[0]
    turn0 = raw[:3].mean()
    assert_close(adv, -torch.tensor([[turn0, turn0, turn0, 0.0, raw[4]]]))
    assert not adv.requires_grad and not d.requires_grad


def test_distillation_respects_truncated_turn_ids():
    log_prob, teacher, _, _ = _episode()
    ids = turn_ids([[(0, 2)]], 5)  # first turn only, first two tokens
    adv, _ = distillation_advantages(log_prob, teacher, ids)
    assert adv[0, 2:].eq(0).all() and adv[0, :2].ne(0).any()


def test_clipped_loss_accepts_per_token_advantages():
    log_prob = torch.zeros(1, 2)
    loss, clipped = clipped_policy_loss(log_prob + math.log(2.0), log_prob, torch.tensor([[1.0, -1.0]]), **CLIP)
    assert_close(loss, torch.tensor([[-1.28, 2.0]]))
    assert clipped.tolist() == [[True, False]]


def test_per_turn_kl_averages_each_turn_and_skips_absent_turns():
    from healthgym.rl.losses import per_turn_kl

    student = torch.tensor([[-1.0, -2.0, -3.0, 0.0], [-1.0, -1.0, -1.0, -1.0]])
    teacher = torch.tensor([[-2.0, -2.0, -1.0, 0.0], [-1.5, -1.0, -1.0, -1.0]])
    ids = turn_ids([[(0, 2), (2, 3)], [(0, 1)]], 4)
    kl = per_turn_kl(student, teacher, ids)
    assert kl == pytest.approx({"distill/kl_turn1": (1.0 + 0.0 + 0.5) / 3, "distill/kl_turn2": -2.0})
