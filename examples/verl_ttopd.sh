#!/usr/bin/env bash
# TT-OPD (or GRPO) on healthgym tasks with verl 0.9.1, one node of GPUs (docs/rl.md, "Training on verl").
#
#   pip install 'healthgym[verl]'   # plus the vLLM build verl 0.9.1 documents for your CUDA
#   examples/verl_ttopd.sh tt_opd actor_rollout_ref.model.path=Qwen/Qwen3-4B-Instruct-2507 trainer.n_gpus_per_node=8
#   examples/verl_ttopd.sh grpo ...
#   examples/verl_ttopd.sh tt_opd_multinode ...   # on the head node of a running Ray cluster
#
# Every argument after the first is a Hydra override of rl/verl/config/healthgym_<algo>.yaml.
# HEALTHGYM_VERL_DATA (data/healthgym-verl), HEALTHGYM_DOMAINS (all domains), HEALTHGYM_TRAIN_TASKS (2000 per domain)
# choose the dataset, exported once with `healthgym export-verl`.
set -euo pipefail

ALGO=${1:-tt_opd}
shift || true
case "$ALGO" in
  grpo | tt_opd | tt_opd_multinode) ;;
  *) echo "usage: $0 {grpo|tt_opd|tt_opd_multinode} [hydra overrides...]; got '$ALGO'" >&2; exit 2 ;;
esac

DATA=${HEALTHGYM_VERL_DATA:-data/healthgym-verl}
DOMAINS=${HEALTHGYM_DOMAINS:-drug_interaction,triage_emergency}
mkdir -p "$DATA"
DATA=$(cd "$DATA" && pwd)
[ -f "$DATA/train.parquet" ] || healthgym export-verl --domains "$DOMAINS" --split train \
  -n "${HEALTHGYM_TRAIN_TASKS:-2000}" --out "$DATA"
[ -f "$DATA/dev.parquet" ] || healthgym export-verl --domains "$DOMAINS" --split dev --out "$DATA"

PKG=$(python -c 'import os, healthgym.rl.verl as v; print(os.path.dirname(v.__file__))')
export HEALTHGYM_VERL_DATA=$DATA
export VERL_USE_EXTERNAL_MODULES=healthgym.rl.verl  # registrations in the driver as well as in the Ray workers

python -m verl.trainer.main_ppo --config-path="$PKG/config" --config-name="healthgym_$ALGO" \
  reward.custom_reward_function.path="$PKG/reward.py" reward.custom_reward_function.name=compute_score "$@"
