"""Pure loss functions of GRPO and TT-OPD, on (batch, response_length) tensors of per-token log-probs.

Shapes: ``log_prob``, ``old_log_prob``, ``ref_log_prob``, ``teacher_log_prob``, ``mask`` are (B, T); ``mask`` is 1 on
the tokens the policy generated and 0 on prompt, tool, user and padding tokens; ``turn_ids`` is (B, T) with the index
of the assistant turn of each distilled position and -1 elsewhere (healthgym.rl.turns). Advantages of a whole episode
are (B,). Every function here is differentiable in ``log_prob`` only; the others are treated as constants.
"""

from __future__ import annotations

from typing import Literal

import torch

from healthgym.rl.turns import turn_mean, turn_means


def token_mean(values: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean over every unmasked token of the batch (DAPO's token-level aggregation, arXiv:2503.14476)."""
    return (values * mask).sum() / mask.sum().clamp(min=1.0)


def group_advantages(rewards: torch.Tensor, group_size: int, *, scale: bool = True, eps: float = 1e-6) -> torch.Tensor:
    """GRPO advantages (arXiv:2402.03300 §4.1.2): each reward minus its group's mean, over the group's (unbiased) std
    when ``scale``. ``rewards`` (B,) holds consecutive groups of ``group_size`` episodes of one task."""
    if rewards.numel() % group_size:
        raise ValueError(f"{rewards.numel()} rewards do not split into groups of {group_size}")
    groups = rewards.view(-1, group_size)  # (G, n)
    centred = groups - groups.mean(dim=1, keepdim=True)
    if scale:
        centred = centred / (groups.std(dim=1, keepdim=True) + eps)
    return centred.reshape(-1)  # (B,)


def k3_kl(log_prob: torch.Tensor, ref_log_prob: torch.Tensor) -> torch.Tensor:
    """Per-token k3 estimate of KL(π_θ ‖ π_ref) on tokens sampled from π_θ: exp(r) - r - 1 with r = log π_ref - log π_θ
    (Schulman, "Approximating KL divergence", 2020); unbiased, always >= 0."""
    r = ref_log_prob - log_prob
    return torch.exp(r) - r - 1.0


def clipped_policy_loss(
    log_prob: torch.Tensor,
    old_log_prob: torch.Tensor,
    advantages: torch.Tensor,
    *,
    clip_low: float,
    clip_high: float,
) -> tuple[torch.Tensor, torch.Tensor]:
    """PPO's clipped surrogate per token (arXiv:1707.06347): max(-A·ρ, -A·clip(ρ, 1-ε_low, 1+ε_high)) with
    ρ = π_θ / π_old. ``advantages`` is (B, T) or (B,). Returns the loss (B, T) and where the clip was binding."""
    if advantages.dim() == 1:
        advantages = advantages.unsqueeze(1)  # (B, 1), the same for every token of an episode
    ratio = torch.exp(log_prob - old_log_prob)  # (B, T)
    unclipped = -advantages * ratio
    clipped = -advantages * ratio.clamp(1.0 - clip_low, 1.0 + clip_high)
    return torch.maximum(unclipped, clipped), clipped > unclipped


def grpo_loss(
    log_prob: torch.Tensor,
    old_log_prob: torch.Tensor,
    advantages: torch.Tensor,
    mask: torch.Tensor,
    *,
    clip_low: float,
    clip_high: float,
    beta: float = 0.0,
    ref_log_prob: torch.Tensor | None = None,
) -> tuple[torch.Tensor, dict[str, float]]:
    """L = token_mean(L_clip(A)) + β·token_mean(k3 KL to the reference)."""
    per_token, clipped = clipped_policy_loss(log_prob, old_log_prob, advantages, clip_low=clip_low, clip_high=clip_high)
    loss = token_mean(per_token, mask)
    metrics = {"loss/policy": loss.item(), "clip_ratio": token_mean(clipped.float(), mask).item()}
    if beta > 0:
        if ref_log_prob is None:
            raise ValueError(f"beta={beta} needs ref_log_prob")
        kl = token_mean(k3_kl(log_prob, ref_log_prob), mask)
        loss = loss + beta * kl
        metrics["kl/ref"] = kl.item()
    return loss, metrics


def distillation_advantages(
    log_prob: torch.Tensor,
    teacher_log_prob: torch.Tensor,
    turn_ids: torch.Tensor,
    *,
    granularity: Literal["token", "turn"] = "token",
    flip: torch.Tensor | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """TT-OPD's distillation advantage A^D = -d, d = log π_θ(y) - log π_T(y | privileged), detached.

    ``granularity="turn"`` replaces d by its turn mean; ``flip`` (B,) bool negates d on those episodes (the
    bidirectional option). Positions with ``turn_ids == -1`` (not distilled) get 0. Returns (A^D, d) as (B, T)."""
    d = (log_prob - teacher_log_prob).detach()
    distilled = turn_ids >= 0
    if flip is not None:
        d = torch.where(flip.unsqueeze(1), -d, d)
    if granularity == "turn":
        d, _ = turn_means(d, turn_ids)
    elif granularity != "token":
        raise ValueError(f"granularity must be 'token' or 'turn', got {granularity!r}")
    return torch.where(distilled, -d, torch.zeros_like(d)), d


def tt_opd_loss(
    log_prob: torch.Tensor,
    old_log_prob: torch.Tensor,
    advantages: torch.Tensor,
    mask: torch.Tensor,
    teacher_log_prob: torch.Tensor,
    turn_ids: torch.Tensor,
    *,
    lam: float,
    clip_low: float,
    clip_high: float,
    beta: float = 0.0,
    ref_log_prob: torch.Tensor | None = None,
    granularity: Literal["token", "turn"] = "token",
    bidirectional: bool = False,
) -> tuple[torch.Tensor, dict[str, float]]:
    """L = L_GRPO + λ·turn_mean(L_clip(A^D)): the distillation advantage goes through the same clipped loss, and its
    per-token losses are averaged within each distilled turn, then over turns, so a long turn weighs as one turn."""
    loss, metrics = grpo_loss(
        log_prob,
        old_log_prob,
        advantages,
        mask,
        clip_low=clip_low,
        clip_high=clip_high,
        beta=beta,
        ref_log_prob=ref_log_prob,
    )
    flip = advantages < 0 if bidirectional else None
    adv_d, _ = distillation_advantages(log_prob, teacher_log_prob, turn_ids, granularity=granularity, flip=flip)
    per_token, clipped = clipped_policy_loss(log_prob, old_log_prob, adv_d, clip_low=clip_low, clip_high=clip_high)
    loss_d = turn_mean(per_token, turn_ids)
    metrics |= {
        "loss/distill": loss_d.item(),
        "distill/kl": turn_mean((log_prob - teacher_log_prob).detach(), turn_ids).item(),
        "distill/clip_ratio": turn_mean(clipped.float(), turn_ids).item(),
        "distill/tokens": float((turn_ids >= 0).sum().item()),
    }
    return loss + lam * loss_d, metrics


def per_turn_kl(log_prob: torch.Tensor, teacher_log_prob: torch.Tensor, turn_ids: torch.Tensor, turns: int = 4) -> dict:
    """Mean d = log π_θ - log π_T over the tokens of the k-th assistant turn, k = 1..``turns``, as
    ``distill/kl_turn<k>`` (turns with no token are left out): where in an episode student and teacher disagree."""
    d = (log_prob - teacher_log_prob).detach()
    return {f"distill/kl_turn{k + 1}": d[turn_ids == k].mean().item() for k in range(turns) if (turn_ids == k).any()}
