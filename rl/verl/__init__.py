"""verl 0.9.1 integration: the MCP agent loop, the registered TT-OPD loss with its EMA privileged teacher, the reward
function, the dataset exporter and the Hydra configs (docs/rl.md, "Training on verl").

Importing this package registers, in the importing process, the agent loop ``healthgym_agent``, the policy loss
``tt_opd`` and the trainer ``healthgym_sync`` (which runs the actor worker with the teacher hook). verl imports it in
its Ray workers through ``VERL_USE_EXTERNAL_MODULES=healthgym.rl.verl`` (set in ``config/*.yaml``'s Ray runtime env)
and ``actor_rollout_ref.model.external_lib``.
"""

from __future__ import annotations

REQUIRED_VERL = "0.9.1"
try:
    import pyarrow  # noqa: F401
    import transfer_queue  # noqa: F401
    import verl
except ImportError as err:
    raise ModuleNotFoundError(
        f"healthgym.rl.verl needs verl=={REQUIRED_VERL} and its trainer's dependencies ({err.name} is not installed): "
        "pip install 'healthgym[verl]'",
        name=err.name,
    ) from err

if verl.__version__ != REQUIRED_VERL:
    raise ImportError(
        f"healthgym.rl.verl is built against verl=={REQUIRED_VERL} (rl/verl/REQUIRED_VERL.txt), found "
        f"{verl.__version__}: pip install 'healthgym[verl]'"
    )

from healthgym.rl.verl import agent_loop, core_algos, trainer  # noqa: E402  (registration on import)

__all__ = ["REQUIRED_VERL", "agent_loop", "core_algos", "trainer"]
