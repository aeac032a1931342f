"""The local trainer's configuration: one documented dataclass, validated once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from healthgym.rl.reward import RewardWeights
from healthgym.schemas import Split, Tier

Algo = Literal["grpo", "tt-opd"]
PrivilegedMode = Literal["hint", "gold", "casefile"]
LambdaSchedule = Literal["constant", "adaptive", "anneal"]
DistillGranularity = Literal["token", "turn"]


@dataclass
class TrainConfig:
    r"""Configuration of [`healthgym.rl.trainer.Trainer`].

    > Parameters that control the run

    algo (`str`, *optional*, defaults to `"grpo"`):
        `"grpo"`: group-normalised advantages through a clipped policy loss, plus `beta`·k3 KL to the frozen reference
        (Shao et al. 2024, arXiv:2402.03300). `"tt-opd"`: the same plus `lam`·the clipped loss on the distillation
        advantage from an EMA teacher that sees the task's hidden case file (docs/rl.md, DESIGN §8).
    model (`str`, *optional*, defaults to `"tiny"`):
        A directory holding a transformers causal LM and its tokenizer (with a chat template), or `"tiny"` for the
        in-code model and tokenizer of [`healthgym.rl.tiny`] (no download).
    domains (`list[str]`, *optional*, defaults to `["drug_interaction"]`):
        Domains to train on; each group is one task of one of them.
    steps (`int`, *optional*, defaults to `20`): optimizer steps (one rollout batch each).
    output_dir (`str`, *optional*, defaults to `"runs/healthgym"`):
        Where `metrics.jsonl`, `config.json`, checkpoints and the final model go.
    seed (`int`, *optional*, defaults to `0`): seeds tasks, sampling and initialisation.
    device (`str`, *optional*, defaults to `"auto"`): `"cpu"`, `"cuda"` or `"auto"` (CUDA when available).
    split (`str`, *optional*, defaults to `"train"`): where tasks come from: the unbounded `"train"` stream (each group
        a task drawn by a seed), or the fixed `"dev"`/`"test"` splits.
    task_ids (`list[str]`, *optional*): cycle through these tasks of a fixed `split` (a small fixed task set, as in
        the learning test) instead of drawing tasks.
    kinds (`list[str]`, *optional*): draw train tasks of these kinds only (each domain keeps the listed kinds it
        has; [`healthgym.rl.curriculum`]); tier (`str`, *optional*): only tasks of this tier (`"unassisted"`: the
        decision-support tools are withheld).
    eval_every (`int`, *optional*, defaults to `0`): every N steps (and before the first) play the first
        `eval_tasks` dev tasks of the same kinds and tier greedily and log `dev/accuracy`, `dev/tool_call_rate`,
        `dev/toolless_turn_rate`, `dev/reward`, `dev/length` ([`healthgym.rl.evaluate`]); 0: never.
    eval_tasks (`int`, *optional*, defaults to `32`): dev tasks per domain in each check.

    > Parameters that control rollouts

    tasks_per_step (`int`, *optional*, defaults to `4`): groups (distinct tasks) per step.
    group_size (`int`, *optional*, defaults to `4`): episodes sampled per task; advantages are normalised within it.
    max_turns (`int`, *optional*, defaults to `6`): assistant turns before the env truncates the episode.
    max_new_tokens (`int`, *optional*, defaults to `96`): tokens one assistant turn may generate.
    max_response_tokens (`int`, *optional*, defaults to `768`): response tokens (model and tool) per episode; past
        it the episode stops, truncated, and is graded with what it submitted (nothing).
    temperature (`float`, *optional*, defaults to `1.0`): sampling temperature; log-probs are those of
        softmax(logits / temperature), the distribution actually sampled, in rollouts and in the loss alike.

    > Parameters that control the loss (GRPO)

    learning_rate (`float`, *optional*, defaults to `1e-4`), weight_decay (`float`, defaults to `0.0`),
    max_grad_norm (`float`, *optional*, defaults to `1.0`): AdamW and gradient clipping.
    mini_batches (`int`, *optional*, defaults to `1`): gradient steps per rollout batch. With 1 the update is
        on-policy (ratio 1); with more, later mini-batches are off-policy and the clip is active.
    clip_low (`float`, defaults to `0.2`), clip_high (`float`, defaults to `0.28`): ratio clipped to
        [1 - clip_low, 1 + clip_high] (asymmetric "clip-higher", Yu et al. 2025, arXiv:2503.14476).
    beta (`float`, *optional*, defaults to `0.0`): weight of the k3 KL to the frozen initial policy (Schulman's
        estimator exp(r) - r - 1, r = log π_ref - log π_θ). 0 skips the reference forward.
    scale_rewards (`bool`, *optional*, defaults to `True`): divide group-centred rewards by the group std (GRPO);
        `False` only centres them (Dr. GRPO, Liu et al. 2025, arXiv:2503.20783).

    > Parameters that control TT-OPD (ignored by GRPO)

    privileged_mode (`str`, *optional*, defaults to `"casefile"`):
        What the teacher sees between the prompt and the response: `"hint"` (whether this episode's answer was
        correct, as in the paper), `"gold"` (the reference answer), `"casefile"` (answer, key evidence, rationale and
        the reference tool path).
    distill_turns (`int`, *optional*, defaults to `0`): distil only the first K assistant turns (0: all).
    distill_tokens (`int`, *optional*, defaults to `0`): distil only the first M tokens of each turn (0: all).
    distill_granularity (`str`, *optional*, defaults to `"token"`): `"token"`: A^D_t = -d_t at each token;
        `"turn"`: every token of a turn gets minus the turn's mean d. The loss is aggregated per turn either way.
    bidirectional (`bool`, *optional*, defaults to `False`): flip the sign of d on episodes whose task advantage is
        negative. Only meaningful with `privileged_mode="hint"`, where the teacher was told the answer was wrong.
    lambda_schedule (`str`, *optional*, defaults to `"constant"`): `"constant"`: λ = `lam`. `"anneal"`: λ falls
        linearly from `lam` to `lam_floor` over `anneal_steps`. `"adaptive"`: λ = max(`lam_floor`, `lam`·z) with z
        the running fraction of groups whose rewards are all equal (GRPO has no signal there, distillation has).
    lam (`float`, defaults to `1.0`), lam_floor (`float`, defaults to `0.1`), anneal_steps (`int`, defaults to `0`:
        `steps`).
    ema_alpha (`float`, *optional*, defaults to `0.995`), ema_every (`int`, *optional*, defaults to `5`):
        θ_T ← α·θ_T + (1-α)·θ_S every N optimizer steps.

    > Parameters that control the model

    lora_rank (`int`, *optional*, defaults to `0`): train LoRA adapters of this rank with PEFT (0: full weights);
        the teacher then keeps EMA copies of the adapters only.
    reward (`RewardWeights`): weights of the composite reward (healthgym.rl.reward).
    save_every (`int`, *optional*, defaults to `5`): checkpoint every N steps (0: only at the end), so that a killed
        run resumes (`resume`) losing at most N steps.
    resume (`bool`, *optional*, defaults to `False`): continue from the last checkpoint in `output_dir`.
    """

    algo: Algo = "grpo"
    model: str = "tiny"
    domains: list[str] = field(default_factory=lambda: ["drug_interaction"])
    steps: int = 20
    output_dir: str = "runs/healthgym"
    seed: int = 0
    device: str = "auto"
    split: Split = "train"
    task_ids: list[str] | None = None
    kinds: list[str] | None = None
    tier: Tier | None = None
    eval_every: int = 0
    eval_tasks: int = 32

    tasks_per_step: int = 4
    group_size: int = 4
    max_turns: int = 6
    max_new_tokens: int = 96
    max_response_tokens: int = 768
    temperature: float = 1.0

    learning_rate: float = 1e-4
    weight_decay: float = 0.0
    max_grad_norm: float = 1.0
    mini_batches: int = 1
    clip_low: float = 0.2
    clip_high: float = 0.28
    beta: float = 0.0
    scale_rewards: bool = True

    privileged_mode: PrivilegedMode = "casefile"
    distill_turns: int = 0
    distill_tokens: int = 0
    distill_granularity: DistillGranularity = "token"
    bidirectional: bool = False
    lambda_schedule: LambdaSchedule = "constant"
    lam: float = 1.0
    lam_floor: float = 0.1
    anneal_steps: int = 0
    ema_alpha: float = 0.995
    ema_every: int = 5

    lora_rank: int = 0
    reward: RewardWeights = field(default_factory=RewardWeights)
    save_every: int = 5
    resume: bool = False

    def __post_init__(self) -> None:
        choices = {
            "algo": ("grpo", "tt-opd"),
            "privileged_mode": ("hint", "gold", "casefile"),
            "lambda_schedule": ("constant", "adaptive", "anneal"),
            "distill_granularity": ("token", "turn"),
        }
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {allowed}, got {getattr(self, name)!r}")
        if self.task_ids is not None and self.split == "train":
            raise ValueError("task_ids pick tasks of a fixed split: set split='dev' or 'test'")
        if not self.domains:
            raise ValueError("domains must name at least one domain")
        if self.tier not in (None, "assisted", "unassisted"):
            raise ValueError(f"tier must be 'assisted', 'unassisted' or None, got {self.tier!r}")
        if self.kinds and self.split != "train":
            raise ValueError("kinds narrow the train stream: set split='train' (or pick dev/test tasks by task_ids)")
        positive = (
            "steps",
            "tasks_per_step",
            "max_turns",
            "max_new_tokens",
            "max_response_tokens",
            "mini_batches",
            "ema_every",
        )
        for name in positive:
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")
        if self.group_size < 2:
            raise ValueError(f"group_size must be >= 2 for group-normalised advantages, got {self.group_size}")
        batch = self.tasks_per_step * self.group_size
        if batch % self.mini_batches:
            raise ValueError(
                f"tasks_per_step * group_size ({batch}) must be divisible by mini_batches ({self.mini_batches})"
            )
        if self.temperature <= 0:
            raise ValueError(
                f"temperature must be > 0 (log-probs are those of the sampled distribution), got {self.temperature}"
            )
        if not 0 <= self.clip_low < 1 or self.clip_high < 0:
            raise ValueError(f"need 0 <= clip_low < 1 and clip_high >= 0, got {self.clip_low}, {self.clip_high}")
        if self.beta < 0 or self.lam < 0 or self.lam_floor < 0:
            raise ValueError(f"beta, lam and lam_floor must be >= 0, got {self.beta}, {self.lam}, {self.lam_floor}")
        if self.lam_floor > self.lam and self.lambda_schedule != "constant":
            raise ValueError(f"lam_floor ({self.lam_floor}) must not exceed lam ({self.lam})")
        if not 0 <= self.ema_alpha <= 1:
            raise ValueError(f"ema_alpha must be in [0, 1], got {self.ema_alpha}")
        if min(self.distill_turns, self.distill_tokens, self.anneal_steps, self.lora_rank, self.save_every) < 0:
            raise ValueError("distill_turns, distill_tokens, anneal_steps, lora_rank and save_every must be >= 0")
        if self.eval_every < 0 or self.eval_tasks < 1:
            raise ValueError(f"need eval_every >= 0 and eval_tasks >= 1, got {self.eval_every}, {self.eval_tasks}")
        if self.bidirectional and self.privileged_mode != "hint":
            raise ValueError(
                f"bidirectional=True needs privileged_mode='hint' (got {self.privileged_mode!r}): only a teacher told "
                "that the answer was wrong makes the failing tokens likelier, so only then is flipping d right"
            )
        if isinstance(self.reward, dict):
            self.reward = RewardWeights(**self.reward)

    @property
    def batch_size(self) -> int:
        """Episodes per step."""
        return self.tasks_per_step * self.group_size
