"""verl's actor worker with TT-OPD's teacher hook: the EMA teacher's log-probs, its EMA update, and the loss function
that hands the teacher's log-probs and the turn ids to the registered ``tt_opd`` loss.

Selected by :class:`healthgym.rl.verl.trainer.HealthGymTrainer` for the actor role; with any other ``loss_mode`` it
is verl's ``ActorRolloutRefWorker`` unchanged.
"""

from __future__ import annotations

from functools import partial

from tensordict import TensorDict
from verl.single_controller.base.decorator import Dispatch, make_nd_compute_dataproto_dispatch_fn, register
from verl.utils import tensordict_utils as tu
from verl.utils.config import omega_conf_to_dataclass
from verl.workers.config import ActorConfig
from verl.workers.engine_workers import ActorRolloutRefWorker

from healthgym.rl.verl.core_algos import TT_OPD, tt_opd_ppo_loss
from healthgym.rl.verl.teacher import InPlaceEmaTeacher


class HealthGymActorRolloutRefWorker(ActorRolloutRefWorker):
    """``ActorRolloutRefWorker`` plus the EMA privileged teacher when ``actor.policy_loss.loss_mode == "tt_opd"``."""

    teacher: InPlaceEmaTeacher | None = None

    @register(dispatch_mode=Dispatch.ONE_TO_ALL)
    def init_model(self) -> None:
        super().init_model()
        if self.actor is None or self.config.actor.policy_loss.loss_mode != TT_OPD:
            return
        actor_config: ActorConfig = omega_conf_to_dataclass(self.config.actor)
        actor_config.model_config = self.actor.model_config
        self.loss_fn = partial(tt_opd_ppo_loss, config=actor_config)
        self.actor.set_loss_fn(self.loss_fn)
        policy_loss = actor_config.policy_loss
        self.teacher = InPlaceEmaTeacher(
            self.actor.engine.module, alpha=policy_loss.ema_alpha, every=policy_loss.ema_every
        )

    @register(dispatch_mode=make_nd_compute_dataproto_dispatch_fn(mesh_name="actor"))
    def compute_teacher_log_prob(self, data: TensorDict) -> TensorDict | None:
        """Log-probs of ``data`` (x ⊕ P ⊕ y rows, healthgym.rl.verl.teacher.teacher_batch) under the EMA teacher."""
        if self.teacher is None:
            raise RuntimeError("compute_teacher_log_prob needs actor.policy_loss.loss_mode=tt_opd")
        tu.assign_non_tensor(data, compute_loss=False, calculate_entropy=False)
        with self.teacher.loaded(self.actor.engine.module):
            output = self.actor.infer_batch(data)
        return output.cpu() if output is not None else None

    @register(dispatch_mode=make_nd_compute_dataproto_dispatch_fn(mesh_name="actor"))
    def update_actor(self, data: TensorDict) -> TensorDict | None:
        """verl's update (all its mini-batches), then one count of the teacher's EMA cadence: the teacher moves every
        ``ema_every`` training steps, as in the local trainer."""
        output = super().update_actor(data)
        if self.teacher is None:
            return output
        moved = self.teacher.step(self.actor.engine.module)
        if output is not None:
            metrics = tu.get(output, "metrics")
            metrics["tt_opd/ema_alpha"] = self.teacher.alpha
            metrics["tt_opd/ema_every"] = float(self.teacher.every)
            metrics["tt_opd/ema_updates"] = float(self.teacher.updates)
            metrics["tt_opd/ema_moved"] = float(moved)
        return output
