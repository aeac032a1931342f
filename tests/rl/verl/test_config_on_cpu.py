"""The Hydra configs compose over verl's ppo_trainer and pass verl's own validation; the reward function reads the
agent loop's grade."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("healthgym.rl.verl", exc_type=ImportError)
from hydra import compose, initialize_config_dir  # noqa: E402
from verl.trainer.ppo.utils import need_critic, need_reference_policy  # noqa: E402
from verl.utils.config import omega_conf_to_dataclass, validate_config  # noqa: E402

import healthgym.rl.verl  # noqa: E402
from healthgym.rl.verl.config import TTOPDPolicyLossConfig  # noqa: E402
from healthgym.rl.verl.reward import compute_score  # noqa: E402

CONFIG_DIR = Path(healthgym.rl.verl.__file__).parent / "config"
PRIMARY = ["healthgym_grpo", "healthgym_tt_opd", "healthgym_tt_opd_multinode"]


def load(name: str):
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base=None):
        return compose(config_name=name)


@pytest.mark.parametrize("name", PRIMARY)
def test_config_composes_and_passes_verl_validation(name):
    cfg = load(name)
    validate_config(config=cfg, use_reference_policy=need_reference_policy(cfg), use_critic=need_critic(cfg))
    assert cfg.actor_rollout_ref.rollout.agent.default_agent_loop == "healthgym_agent"
    assert cfg.trainer.v1.trainer_mode == "healthgym_sync"
    assert cfg.actor_rollout_ref.model.external_lib == "healthgym.rl.verl"
    assert cfg.ray_kwargs.ray_init.runtime_env.env_vars.VERL_USE_EXTERNAL_MODULES == "healthgym.rl.verl"
    actor = omega_conf_to_dataclass(cfg.actor_rollout_ref.actor)
    assert actor.clip_ratio_low == 0.2 and actor.clip_ratio_high == 0.28
    if "tt_opd" in name:
        assert isinstance(actor.policy_loss, TTOPDPolicyLossConfig) and actor.policy_loss.loss_mode == "tt_opd"
    else:
        assert actor.policy_loss.loss_mode == "vanilla"


def test_multinode_joins_a_cluster():
    cfg = load("healthgym_tt_opd_multinode")
    assert cfg.trainer.nnodes == 4 and cfg.ray_kwargs.ray_init.address == "auto"


def test_reward_function_reads_the_agent_loop_grade():
    info = {
        "reward": {"total": 0.83, "accuracy": 1.0, "format": 1.0, "process": 0.5, "safety": 0.0, "efficiency": 0.2},
        "grade": {"score": 1.0, "correct": True},
    }
    out = compute_score("healthgym/drug_interaction", "ignored", "task-id", info)
    assert out["score"] == 0.83 and out["accuracy"] == 1.0 and out["correct"] == 1.0 and out["reward_process"] == 0.5
    with pytest.raises(ValueError, match="healthgym_agent"):
        compute_score("healthgym/drug_interaction", "text", "task-id", {"index": 3})


def test_trainer_mode_runs_the_actor_role_on_the_teacher_worker():
    from verl.single_controller.base.decorator import MAGIC_ATTR, Dispatch
    from verl.trainer.ppo.v1.trainer_base import get_trainer_cls

    from healthgym.rl.verl.trainer import HealthGymTrainer
    from healthgym.rl.verl.workers import HealthGymActorRolloutRefWorker

    cfg = load("healthgym_tt_opd")
    trainer = object.__new__(get_trainer_cls(cfg.trainer.v1.trainer_mode))
    assert isinstance(trainer, HealthGymTrainer)
    trainer.config = cfg
    trainer._init_resource_pool_mgr()
    (role,) = trainer.role_worker_mapping
    assert issubclass(trainer.role_worker_mapping[role].__ray_metadata__.modified_class, HealthGymActorRolloutRefWorker)
    assert trainer.tt_opd
    # the overridden and added methods keep verl's dispatch: one call per rank, data split over the actor's mesh
    attrs = {name: getattr(getattr(HealthGymActorRolloutRefWorker, name), MAGIC_ATTR) for name in
             ("init_model", "compute_teacher_log_prob", "update_actor")}  # fmt: skip
    assert attrs["init_model"]["dispatch_mode"] == Dispatch.ONE_TO_ALL
    assert attrs["compute_teacher_log_prob"]["dispatch_mode"]["dispatch_fn"].args == ("actor",)
    assert attrs["update_actor"]["dispatch_mode"]["dispatch_fn"].args == ("actor",)
