"""TT-OPD as a verl policy loss: ``@register_policy_loss("tt_opd")`` over the math of :mod:`healthgym.rl.losses`.

verl 0.9.1 calls a registered policy loss with ``(old_log_prob, log_prob, advantages, response_mask, loss_agg_mode,
config, rollout_is_weights)`` only: its ``ppo_loss`` cannot pass the teacher's log-probs or the turn ids. The loss
therefore takes them as keyword arguments, and :func:`tt_opd_ppo_loss` (verl's ``ppo_loss`` with those three fields
read from the micro-batch) is the actor's loss function, installed by :mod:`healthgym.rl.verl.workers`. Called by
stock ``ppo_loss`` the loss raises and says which trainer to use; nothing in verl is patched.

Shapes are verl's: (batch_size, response_length) for every tensor; ``turn_ids`` holds the distilled turn index of
each response position and -1 elsewhere (healthgym.rl.turns).
"""

from __future__ import annotations

from typing import Any

import torch
from tensordict import TensorDict
from verl.trainer.ppo.core_algos import agg_loss, register_policy_loss
from verl.utils import tensordict_utils as tu
from verl.workers.config import ActorConfig
from verl.workers.utils import losses as verl_losses

from healthgym.rl.losses import clipped_policy_loss, distillation_advantages
from healthgym.rl.turns import turn_mean, turn_means

TT_OPD = "tt_opd"
TEACHER_LOG_PROB = "teacher_log_prob"
"""Micro-batch field: log π_T(y_t | x ⊕ P, y_<t) at each response position (0 outside distilled turns)."""
DISTILL_TURN_IDS = "distill_turn_ids"
"""Micro-batch field: the distilled turn index of each response position, -1 elsewhere."""
LAMBDA = "tt_opd_lambda"
"""Non-tensor micro-batch field: λ of this step (the trainer's schedule)."""


def episode_advantages(advantages: torch.Tensor, response_mask: torch.Tensor) -> torch.Tensor:
    """(B,) the advantage of each episode from verl's (B, T) outcome advantages, which repeat it on every response
    token; raises when they vary within an episode (a token-level estimator: no episode sign to flip on)."""
    mask = response_mask.bool()
    first = torch.where(mask, advantages, advantages.new_zeros(())).sum(1) / mask.sum(1).clamp(min=1)
    if not torch.allclose(torch.where(mask, advantages, first.unsqueeze(1)), first.unsqueeze(1).expand_as(advantages)):
        raise ValueError(
            "bidirectional TT-OPD needs one advantage per episode (adv_estimator grpo/rloo/...), got "
            "advantages that vary within an episode"
        )
    return first


@register_policy_loss(TT_OPD)  # type: ignore[arg-type]
def compute_policy_loss_tt_opd(
    old_log_prob: torch.Tensor,
    log_prob: torch.Tensor,
    advantages: torch.Tensor,
    response_mask: torch.Tensor,
    loss_agg_mode: str = "token-mean",
    config: ActorConfig | None = None,
    rollout_is_weights: torch.Tensor | None = None,
    *,
    teacher_log_prob: torch.Tensor | None = None,
    turn_ids: torch.Tensor | None = None,
    lam: float | None = None,
) -> tuple[torch.Tensor, dict[str, Any]]:
    """L = agg(L_clip(A)) + λ·turn_mean(L_clip(A^D)), A^D = -(log π_θ - log π_T) detached (healthgym.rl.losses
    ``tt_opd_loss``; TT-OPD, DESIGN §8).

    The task term is aggregated by verl's ``agg_loss`` with the global batch info, as verl's ``vanilla`` loss is.
    The distillation term is the mean over this micro-batch's distilled turns of each turn's mean per-token loss,
    weighted by the micro-batch's share of the global batch's episodes (exact when a mini-batch is one micro-batch
    on one rank; otherwise micro-batches weigh by episodes rather than by turns). The KL to the reference is verl's
    ``use_kl_loss``, added by ``ppo_loss`` outside this function.
    """
    if config is None or teacher_log_prob is None or turn_ids is None or lam is None:
        raise ValueError(
            "tt_opd needs config, teacher_log_prob, turn_ids and lam; verl's ppo_loss passes none of the last three: "
            "run the trainer with trainer.v1.trainer_mode=healthgym_sync (healthgym/rl/verl/config/*.yaml)"
        )
    pl = config.policy_loss
    mask = response_mask.to(log_prob.dtype)
    per_token, clipped = clipped_policy_loss(
        log_prob, old_log_prob, advantages, clip_low=config.clip_ratio_low, clip_high=config.clip_ratio_high
    )
    if rollout_is_weights is not None:
        per_token = per_token * rollout_is_weights
    loss = agg_loss(loss_mat=per_token, loss_mask=mask, loss_agg_mode=loss_agg_mode, **config.global_batch_info)

    flip = episode_advantages(advantages, response_mask) < 0 if pl.get("bidirectional", False) else None
    turn_ids = torch.where(response_mask.bool(), turn_ids, torch.full_like(turn_ids, -1))
    adv_d, _ = distillation_advantages(
        log_prob, teacher_log_prob, turn_ids, granularity=pl.get("distill_granularity", "token"), flip=flip
    )
    per_token_d, clipped_d = clipped_policy_loss(
        log_prob, old_log_prob, adv_d, clip_low=config.clip_ratio_low, clip_high=config.clip_ratio_high
    )
    loss_d = turn_mean(per_token_d, turn_ids) * _micro_batch_share(log_prob.shape[0], config.global_batch_info)
    _, turn_kl = turn_means((log_prob - teacher_log_prob).detach(), turn_ids)
    metrics = {
        "actor/pg_clipfrac": (clipped.float() * mask).sum().item() / max(mask.sum().item(), 1.0),
        "actor/tt_opd/loss_distill": loss_d.item(),
        "actor/tt_opd/kl": turn_kl.mean().item() if turn_kl.numel() else 0.0,
        "actor/tt_opd/clip_ratio": turn_mean(clipped_d.float(), turn_ids).item(),
        "actor/tt_opd/tokens": float((turn_ids >= 0).sum().item()),
        "actor/tt_opd/lambda": float(lam),
    }
    return loss + lam * loss_d, metrics


def _micro_batch_share(rows: int, global_batch_info: dict[str, Any]) -> float:
    """This micro-batch's share of the global mini-batch's episodes, times the data-parallel size (verl's gradient
    is the mean over ranks); 1 when verl gives no global batch size (one micro-batch, one rank)."""
    global_rows = global_batch_info.get("global_batch_size")
    return rows * global_batch_info.get("dp_size", 1) / global_rows if global_rows else 1.0


def tt_opd_ppo_loss(config: ActorConfig, model_output: dict[str, Any], data: TensorDict, dp_group: Any = None) -> Any:
    """verl's ``ppo_loss`` with TT-OPD's extra fields: the actor's loss function when ``loss_mode`` is ``tt_opd``.

    ``ppo_loss`` is run unchanged for everything it does (entropy, KL to the reference, metrics), with the policy
    loss bound to this micro-batch's teacher log-probs, turn ids and λ."""
    padded = data.select(TEACHER_LOG_PROB, DISTILL_TURN_IDS, "response_mask").to_padded_tensor()
    lam = float(tu.get(data, key=LAMBDA))
    extra = {"teacher_log_prob": padded[TEACHER_LOG_PROB], "turn_ids": padded[DISTILL_TURN_IDS].long(), "lam": lam}
    original = verl_losses.get_policy_loss_fn
    verl_losses.get_policy_loss_fn = lambda name: lambda **kw: compute_policy_loss_tt_opd(**kw, **extra)
    try:
        return verl_losses.ppo_loss(config, model_output, data, dp_group)
    finally:
        verl_losses.get_policy_loss_fn = original
