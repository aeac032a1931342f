"""The registered ``tt_opd`` loss is ``healthgym.rl.losses.tt_opd_loss`` on verl's tensors (value and gradient), the
actor's loss function reaches it through verl's own ``ppo_loss``, and GRPO through verl's registries works on our
batches."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
import torch
from torch.testing import assert_close

from healthgym.rl.losses import group_advantages, grpo_loss, tt_opd_loss
from healthgym.rl.turns import turn_ids

pytest.importorskip("healthgym.rl.verl", exc_type=ImportError)
from verl.trainer.ppo.core_algos import get_adv_estimator_fn, get_policy_loss_fn  # noqa: E402
from verl.utils import tensordict_utils as tu  # noqa: E402
from verl.workers.config import FSDPActorConfig  # noqa: E402
from verl.workers.utils import losses as verl_losses  # noqa: E402

from healthgym.rl.verl.config import TTOPDPolicyLossConfig  # noqa: E402
from healthgym.rl.verl.core_algos import (  # noqa: E402
    DISTILL_TURN_IDS,
    LAMBDA,
    TEACHER_LOG_PROB,
    TT_OPD,
    compute_policy_loss_tt_opd,
    tt_opd_ppo_loss,
)

CLIP_LOW, CLIP_HIGH = 0.2, 0.28


def actor_config(**policy: object) -> FSDPActorConfig:
    return FSDPActorConfig(
        strategy="fsdp",
        ppo_mini_batch_size=4,
        ppo_micro_batch_size_per_gpu=4,
        rollout_n=1,
        clip_ratio_low=CLIP_LOW,
        clip_ratio_high=CLIP_HIGH,
        policy_loss=TTOPDPolicyLossConfig(loss_mode=TT_OPD, **policy),
    )


def batch(seed: int = 0):
    """Four episodes of a batch as verl holds them: (B, T) tensors, a response mask with tool-result gaps and right
    padding, episode advantages repeated on every masked token, turn ids from recorded spans."""
    gen = torch.Generator().manual_seed(seed)
    b, t = 4, 24
    spans = [[(0, 5), (9, 14)], [(0, 7)], [(0, 3), (6, 10), (15, 20)], [(0, 4), (8, 12)]]
    lengths = [16, 9, 22, 13]
    mask = torch.zeros(b, t)
    for row, row_spans in enumerate(spans):
        for s, e in row_spans:
            mask[row, s:e] = 1
    log_prob = (torch.randn(b, t, generator=gen, dtype=torch.float64) * 0.5 - 1.5).requires_grad_()
    old = log_prob.detach() + torch.randn(b, t, generator=gen, dtype=torch.float64) * 0.15
    teacher = log_prob.detach() + torch.randn(b, t, generator=gen, dtype=torch.float64) * 0.4
    episode_adv = torch.tensor([0.9, -1.1, 0.4, -0.2], dtype=torch.float64)
    advantages = episode_adv[:, None] * mask
    return log_prob, old, teacher, advantages, episode_adv, mask.double(), spans, lengths


@pytest.mark.parametrize("granularity", ["token", "turn"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_tt_opd_equals_local_loss_value_and_gradient(granularity, bidirectional):
    log_prob, old, teacher, advantages, episode_adv, mask, spans, _ = batch()
    ids = turn_ids(spans, mask.shape[1])
    config = actor_config(distill_granularity=granularity, bidirectional=bidirectional, privileged_mode="hint")
    fn = get_policy_loss_fn(TT_OPD)
    ours, metrics = fn(
        old_log_prob=old,
        log_prob=log_prob,
        advantages=advantages,
        response_mask=mask,
        loss_agg_mode="token-mean",
        config=config,
        rollout_is_weights=None,
        teacher_log_prob=teacher,
        turn_ids=ids,
        lam=0.7,
    )
    local, local_metrics = tt_opd_loss(
        log_prob, old, episode_adv, mask, teacher, ids, lam=0.7, clip_low=CLIP_LOW, clip_high=CLIP_HIGH,
        granularity=granularity, bidirectional=bidirectional,
    )  # fmt: skip
    assert_close(ours, local, atol=1e-6, rtol=0)
    (g_ours,) = torch.autograd.grad(ours, log_prob, retain_graph=True)
    (g_local,) = torch.autograd.grad(local, log_prob)
    assert_close(g_ours, g_local, atol=1e-6, rtol=0)
    assert g_ours.abs().sum() > 0 and (g_ours[mask == 0] == 0).all()
    assert metrics["actor/tt_opd/loss_distill"] == pytest.approx(local_metrics["loss/distill"], abs=1e-9)
    assert metrics["actor/tt_opd/tokens"] == local_metrics["distill/tokens"] == mask.sum().item()


def test_first_k_turns_and_m_tokens_only():
    from healthgym.rl.turns import truncate_spans

    log_prob, old, teacher, advantages, episode_adv, mask, spans, _ = batch(1)
    ids = turn_ids([truncate_spans(s, first_turns=1, first_tokens=3) for s in spans], mask.shape[1])
    ours, metrics = compute_policy_loss_tt_opd(
        old, log_prob, advantages, mask, "token-mean", actor_config(), teacher_log_prob=teacher, turn_ids=ids, lam=1.0
    )
    local, _ = tt_opd_loss(
        log_prob, old, episode_adv, mask, teacher, ids, lam=1.0, clip_low=CLIP_LOW, clip_high=CLIP_HIGH
    )
    assert_close(ours, local, atol=1e-6, rtol=0)
    assert metrics["actor/tt_opd/tokens"] == 4 * 3


def test_stock_ppo_loss_cannot_run_tt_opd_and_says_why():
    log_prob, old, _, advantages, _, mask, _, _ = batch()
    with pytest.raises(ValueError, match="trainer_mode=healthgym_sync"):
        get_policy_loss_fn(TT_OPD)(old, log_prob, advantages, mask, "token-mean", actor_config(), None)


def test_bidirectional_rejects_token_level_advantages():
    log_prob, old, teacher, advantages, _, mask, spans, _ = batch()
    ids = turn_ids(spans, mask.shape[1])
    varying = advantages + torch.linspace(0, 1, mask.shape[1], dtype=torch.float64) * mask
    with pytest.raises(ValueError, match="one advantage per episode"):
        compute_policy_loss_tt_opd(
            old, log_prob, varying, mask, "token-mean", actor_config(bidirectional=True, privileged_mode="hint"),
            teacher_log_prob=teacher, turn_ids=ids, lam=1.0,
        )  # fmt: skip


def test_invalid_knob_is_refused_once_with_the_allowed_values():
    with pytest.raises(ValueError, match="distill_granularity must be one of"):
        TTOPDPolicyLossConfig(loss_mode=TT_OPD, distill_granularity="sentence")
    with pytest.raises(ValueError, match="bidirectional=True needs privileged_mode='hint'"):
        TTOPDPolicyLossConfig(loss_mode=TT_OPD, bidirectional=True)


# -- the one place verl is worked around: ppo_loss's policy-loss lookup ---------------------------------------------


def test_ppo_loss_still_looks_the_policy_loss_up_by_name_at_call_time():
    """``tt_opd_ppo_loss`` binds the extra fields by swapping ``verl.workers.utils.losses.get_policy_loss_fn`` for the
    duration of one ``ppo_loss`` call. This fails when verl changes how ppo_loss finds or calls the policy loss."""
    assert "get_policy_loss_fn" in verl_losses.ppo_loss.__code__.co_names
    assert list(inspect.signature(verl_losses.ppo_loss).parameters) == ["config", "model_output", "data", "dp_group"]
    source = inspect.getsource(verl_losses.ppo_loss)
    for keyword in ("old_log_prob=", "log_prob=", "advantages=", "response_mask=", "loss_agg_mode=", "config=",
                    "rollout_is_weights="):  # fmt: skip
        assert keyword in source


def _nested(rows):
    return torch.nested.as_nested_tensor(list(rows), layout=torch.jagged)


def test_actor_loss_function_through_verl_ppo_loss_equals_the_local_loss():
    log_prob, old, teacher, advantages, episode_adv, mask, spans, lengths = batch(2)
    ids = turn_ids(spans, mask.shape[1])
    prompt_lens = [5, 7, 3, 6]
    full = []  # the engine's output: position i scores token i+1 over prompt + response
    for row, (p, r) in enumerate(zip(prompt_lens, lengths, strict=True)):
        values = torch.zeros(p + r, dtype=torch.float64)
        values = torch.cat([values[: p - 1], log_prob[row, :r], values[p - 1 + r :]])
        full.append(values)
    data = tu.get_tensordict(
        {
            "prompts": _nested([torch.ones(p, dtype=torch.long) for p in prompt_lens]),
            "responses": _nested([torch.ones(r, dtype=torch.long) for r in lengths]),
            "response_mask": _nested([mask[i, :r] for i, r in enumerate(lengths)]),
            "old_log_probs": _nested([old[i, :r] for i, r in enumerate(lengths)]),
            "advantages": _nested([advantages[i, :r] for i, r in enumerate(lengths)]),
            TEACHER_LOG_PROB: _nested([teacher[i, :r] for i, r in enumerate(lengths)]),
            DISTILL_TURN_IDS: _nested([ids[i, :r] for i, r in enumerate(lengths)]),
        }
    )
    tu.assign_non_tensor(data, dp_size=1, batch_num_tokens=None, global_batch_size=None, **{LAMBDA: 0.5})
    loss, metrics = tt_opd_ppo_loss(actor_config(), {"log_probs": _nested(full)}, data)
    width = max(lengths)
    local, _ = tt_opd_loss(
        log_prob[:, :width], old[:, :width], episode_adv, mask[:, :width], teacher[:, :width], ids[:, :width],
        lam=0.5, clip_low=CLIP_LOW, clip_high=CLIP_HIGH,
    )  # fmt: skip
    assert_close(loss, local, atol=1e-6, rtol=0)
    assert verl_losses.get_policy_loss_fn is get_policy_loss_fn  # restored
    assert "actor/pg_loss" in metrics


# -- GRPO through verl's own registries on our batches ----------------------------------------------------------------


def test_grpo_with_verl_advantage_estimator_and_vanilla_loss_equals_local_grpo():
    log_prob, old, _, _, _, mask, _, lengths = batch(3)
    rewards = torch.tensor([1.0, 0.2, -0.5, 0.7], dtype=torch.float64)
    scores = torch.zeros_like(mask)
    for row, r in enumerate(lengths):
        scores[row, r - 1] = rewards[row]  # rm_scores: the agent loop's reward_score on the last response token
    adv, _ = get_adv_estimator_fn("grpo")(
        token_level_rewards=scores, response_mask=mask, index=np.array(["a", "a", "b", "b"], dtype=object)
    )
    expected = group_advantages(rewards, 2)
    assert_close(adv, expected[:, None] * mask, atol=1e-6, rtol=0)

    config = actor_config()
    loss, metrics = get_policy_loss_fn("vanilla")(old, log_prob, adv, mask, "token-mean", config, None)
    local, local_metrics = grpo_loss(log_prob, old, expected, mask, clip_low=CLIP_LOW, clip_high=CLIP_HIGH)
    assert_close(loss, local, atol=1e-6, rtol=0)
    assert metrics["actor/pg_clipfrac"] == pytest.approx(local_metrics["clip_ratio"], abs=1e-9)
