#!/usr/bin/env bash
# GPU smoke test of the verl integration: the agent loop against a real rollout server and one TT-OPD step (teacher
# log-probs, the tt_opd loss, the EMA update). Needs GPUs, healthgym[verl] and verl's rollout backend (vLLM); not
# run in CI (verl cannot train on CPU; the CPU tests are tests/rl/verl/*_on_cpu.py).
#
#   MODEL=/path/to/Qwen2.5-0.5B-Instruct rl/verl/gpu_smoke.sh [hydra overrides...]
#
# Passes when the step's metrics show the teacher step ran (tt_opd/lambda) and the EMA moved (tt_opd/ema_moved=1).
set -euo pipefail

: "${MODEL:?set MODEL to a local chat model with a tool-calling template, e.g. Qwen2.5-0.5B-Instruct}"
python -c 'import vllm' 2>/dev/null || { echo "gpu_smoke: vLLM is not installed (verl's rollout backend)" >&2; exit 2; }
nvidia-smi -L >/dev/null || { echo "gpu_smoke: no GPU" >&2; exit 2; }

OUT=${OUT:-$(mktemp -d)}
healthgym export-verl --domains drug_interaction,triage_emergency --split train -n 4 --out "$OUT/data"
healthgym export-verl --domains drug_interaction --split dev --out "$OUT/data"
PKG=$(python -c 'import os, healthgym.rl.verl as v; print(os.path.dirname(v.__file__))')
export HEALTHGYM_VERL_DATA=$OUT/data VERL_USE_EXTERNAL_MODULES=healthgym.rl.verl

python -m verl.trainer.main_ppo --config-path="$PKG/config" --config-name=healthgym_tt_opd \
  actor_rollout_ref.model.path="$MODEL" \
  data.train_batch_size=4 data.max_prompt_length=6144 data.max_response_length=2048 \
  actor_rollout_ref.actor.ppo_mini_batch_size=4 actor_rollout_ref.actor.ppo_micro_batch_size_per_gpu=2 \
  actor_rollout_ref.rollout.n=2 actor_rollout_ref.rollout.multi_turn.max_assistant_turns=4 \
  actor_rollout_ref.rollout.gpu_memory_utilization=0.4 \
  actor_rollout_ref.actor.policy_loss.ema_every=1 \
  trainer.n_gpus_per_node="$(nvidia-smi -L | wc -l)" trainer.total_training_steps=1 trainer.val_before_train=false \
  trainer.test_freq=-1 trainer.save_freq=-1 trainer.logger='[console]' \
  trainer.default_local_dir="$OUT/ckpt" "$@" 2>&1 | tee "$OUT/smoke.log"

grep -q "tt_opd/lambda" "$OUT/smoke.log" || { echo "gpu_smoke: no teacher step in the metrics" >&2; exit 1; }
grep -Eq "tt_opd/ema_moved[^0-9]+1" "$OUT/smoke.log" || { echo "gpu_smoke: the EMA teacher did not move" >&2; exit 1; }
echo "gpu_smoke: passed ($OUT/smoke.log)"
