"""verl's synchronous v1 trainer with TT-OPD's teacher step, registered as ``trainer.v1.trainer_mode:
healthgym_sync``.

For ``actor.policy_loss.loss_mode: tt_opd`` it runs the actor role on
:class:`healthgym.rl.verl.workers.HealthGymActorRolloutRefWorker` and, after verl's old-log-prob pass, scores each
episode under the EMA teacher: the teacher's prompt (``extra_fields["teacher_prompt_ids"]``, from the agent loop)
followed by the episode's response, sliced back to the response. It writes ``teacher_log_prob``, the distilled turn
ids (from ``extra_fields["turn_spans"]``, cut to the first K turns / M tokens) and this step's λ next to the batch,
where the actor's loss reads them. With any other loss mode it is verl's ``PPOTrainerSync``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import ray
import transfer_queue as tq
from tensordict import TensorDict
from verl.trainer.ppo.utils import Role
from verl.trainer.ppo.v1.trainer_base import register_trainer
from verl.trainer.ppo.v1.trainer_sync import PPOTrainerSync
from verl.utils import tensordict_utils as tu

from healthgym.rl.trainer import lambda_at
from healthgym.rl.verl.core_algos import DISTILL_TURN_IDS, LAMBDA, TEACHER_LOG_PROB, TT_OPD
from healthgym.rl.verl.teacher import distill_turn_ids, teacher_batch, teacher_response_log_probs

TRAINER_MODE = "healthgym_sync"
ZERO_STD_DECAY = 0.9
"""Running mean of the zero-std group fraction for the adaptive λ, with the local trainer's decay."""


def zero_std_fraction(uids: list[Any], rewards: list[float]) -> float:
    """Fraction of groups (episodes sharing a uid) whose rewards are all equal: no GRPO signal there."""
    groups: dict[Any, list[float]] = {}
    for uid, reward in zip(uids, rewards, strict=True):
        groups.setdefault(uid, []).append(reward)
    return float(np.mean([float(np.ptp(g) == 0) for g in groups.values()])) if groups else 0.0


def teacher_fields(
    data: TensorDict,
    score: Callable[[TensorDict], TensorDict],
    *,
    temperature: float,
    turns: int,
    tokens: int,
) -> TensorDict:
    """The loss's TT-OPD fields for a batch of episodes (``responses`` and ``extra_fields`` as the agent loop wrote
    them): the teacher's log-probs at the response positions (``score`` runs the teacher over x ⊕ P ⊕ y and returns
    the engine's jagged ``log_probs``) and the distilled turn ids, both jagged like ``responses``."""
    extra = list(data["extra_fields"])
    responses = list(data["responses"].unbind())
    inputs = teacher_batch([e["teacher_prompt_ids"] for e in extra], responses)
    tu.assign_non_tensor(inputs, temperature=temperature)
    teacher = teacher_response_log_probs(score(inputs)["log_probs"], inputs)
    ids = distill_turn_ids([e["turn_spans"] for e in extra], [len(r) for r in responses], turns=turns, tokens=tokens)
    return tu.get_tensordict({TEACHER_LOG_PROB: teacher, DISTILL_TURN_IDS: ids})


@register_trainer(TRAINER_MODE)
class HealthGymTrainer(PPOTrainerSync):
    """``PPOTrainerSync`` plus the EMA teacher's scoring step and the λ schedule when the loss is ``tt_opd``."""

    zero_std_ema = 1.0

    @property
    def tt_opd(self) -> bool:
        return self.config.actor_rollout_ref.actor.policy_loss.loss_mode == TT_OPD

    def _init_resource_pool_mgr(self) -> None:
        super()._init_resource_pool_mgr()
        from healthgym.rl.verl.workers import HealthGymActorRolloutRefWorker

        for role in (Role.ActorRollout, Role.ActorRolloutRef, Role.Actor):
            if role in self.role_worker_mapping:
                self.role_worker_mapping[role] = ray.remote(HealthGymActorRolloutRefWorker)

    def _compute_old_log_prob(self, batch: Any, metrics: dict) -> Any:
        batch = super()._compute_old_log_prob(batch, metrics)
        if self.tt_opd:
            self._compute_teacher_log_prob(batch, metrics)
        return batch

    def _compute_teacher_log_prob(self, batch: Any, metrics: dict) -> None:
        policy_loss = self.config.actor_rollout_ref.actor.policy_loss
        data = tq.kv_batch_get(
            keys=batch.keys,
            partition_id=batch.partition_id,
            select_fields=["responses", "extra_fields", "uid", "rm_scores"],
        )
        fields = teacher_fields(
            data,
            self.actor_rollout_wg.compute_teacher_log_prob,
            temperature=self.config.actor_rollout_ref.rollout.temperature,
            turns=policy_loss.distill_turns,
            tokens=policy_loss.distill_tokens,
        )
        tq.kv_batch_put(keys=batch.keys, partition_id=batch.partition_id, fields=fields)
        rewards = [float(r.sum()) for r in data["rm_scores"].unbind()]
        fraction = zero_std_fraction(list(data["uid"]), rewards)
        lam = lambda_at(self._train_config(self.total_training_steps), max(0, self.global_steps - 1), self.zero_std_ema)
        self.zero_std_ema = ZERO_STD_DECAY * self.zero_std_ema + (1 - ZERO_STD_DECAY) * fraction
        batch.extra_info[LAMBDA] = lam
        metrics |= {"tt_opd/lambda": lam, "tt_opd/zero_std_frac": fraction}

    def _train_config(self, steps: int) -> Any:
        from verl.utils.config import omega_conf_to_dataclass

        return omega_conf_to_dataclass(self.config.actor_rollout_ref.actor.policy_loss).train_config(steps)
