"""TT-OPD's knobs as verl configuration: ``PolicyLossConfig`` plus the fields of ``healthgym.rl.config.TrainConfig``'s
TT-OPD section, selected in YAML with ``policy_loss._target_: healthgym.rl.verl.config.TTOPDPolicyLossConfig``."""

from __future__ import annotations

from dataclasses import dataclass

from verl.workers.config import PolicyLossConfig

from healthgym.rl.config import TrainConfig


@dataclass
class TTOPDPolicyLossConfig(PolicyLossConfig):
    """``actor.policy_loss`` for ``loss_mode: tt_opd`` (the fields mean what they mean in
    [`healthgym.rl.config.TrainConfig`], whose defaults they share).

    Args:
        privileged_mode (str): what the teacher sees between prompt and response: ``hint``, ``gold``, ``casefile``.
        distill_turns (int): distil only the first K assistant turns (0: all).
        distill_tokens (int): distil only the first M tokens of each turn (0: all).
        distill_granularity (str): ``token`` (A^D_t = -d_t) or ``turn`` (each token gets minus its turn's mean d).
        bidirectional (bool): flip d on episodes with a negative task advantage (``hint`` only).
        lambda_schedule (str): ``constant``, ``anneal`` (lam to lam_floor over anneal_steps) or ``adaptive``
            (max(lam_floor, lam·z), z the running fraction of groups whose rewards are all equal).
        lam (float), lam_floor (float), anneal_steps (int): the schedule's values (anneal_steps 0: the run's steps).
        ema_alpha (float): θ_T ← α·θ_T + (1-α)·θ_S ...
        ema_every (int): ... every N optimizer steps of the actor.
    """

    privileged_mode: str = TrainConfig.privileged_mode
    distill_turns: int = TrainConfig.distill_turns
    distill_tokens: int = TrainConfig.distill_tokens
    distill_granularity: str = TrainConfig.distill_granularity
    bidirectional: bool = TrainConfig.bidirectional
    lambda_schedule: str = TrainConfig.lambda_schedule
    lam: float = TrainConfig.lam
    lam_floor: float = TrainConfig.lam_floor
    anneal_steps: int = TrainConfig.anneal_steps
    ema_alpha: float = TrainConfig.ema_alpha
    ema_every: int = TrainConfig.ema_every

    def __post_init__(self) -> None:
        self.train_config(steps=1)  # TrainConfig validates every field once

    def train_config(self, steps: int) -> TrainConfig:
        """The equivalent local TrainConfig (algo tt-opd): its validation, its λ schedule (``lambda_at``)."""
        return TrainConfig(
            algo="tt-opd",
            steps=steps,
            privileged_mode=self.privileged_mode,  # type: ignore[arg-type]
            distill_turns=self.distill_turns,
            distill_tokens=self.distill_tokens,
            distill_granularity=self.distill_granularity,  # type: ignore[arg-type]
            bidirectional=self.bidirectional,
            lambda_schedule=self.lambda_schedule,  # type: ignore[arg-type]
            lam=self.lam,
            lam_floor=self.lam_floor,
            anneal_steps=self.anneal_steps,
            ema_alpha=self.ema_alpha,
            ema_every=self.ema_every,
        )
