"""The EMA teacher and the frozen reference: the student's own module run with other values of its trainable weights.

Both keep a copy of the student's *trainable* parameters only and run the student module with them through
``torch.func.functional_call``; frozen parameters are shared. With full fine-tuning that is every weight (a full
copy, the same architecture by construction); with PEFT/LoRA it is only the adapters, so the teacher costs the
adapters' memory and shares the frozen base. Neither ever receives a gradient: the copies are plain tensors without
``requires_grad`` and every forward runs under ``torch.no_grad``.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn
from torch.func import functional_call


class ShadowPolicy:
    """The student's architecture with its own snapshot of the student's trainable weights (the frozen reference)."""

    def __init__(self, student: nn.Module) -> None:
        self.weights: dict[str, torch.Tensor] = {
            name: p.detach().clone() for name, p in student.named_parameters() if p.requires_grad
        }
        if not self.weights:
            raise ValueError("the student has no trainable parameters to shadow")

    @torch.no_grad()
    def forward(self, student: nn.Module, **inputs: Any) -> Any:
        """The student module's forward with the shadow weights, in eval mode (no dropout), without gradient."""
        was_training = student.training
        student.eval()
        try:
            return functional_call(student, self.weights, args=(), kwargs=inputs, strict=False)
        finally:
            student.train(was_training)

    def state_dict(self) -> dict[str, torch.Tensor]:
        return dict(self.weights)

    def load_state_dict(self, state: dict[str, torch.Tensor]) -> None:
        missing = self.weights.keys() - state.keys()
        if missing:
            raise KeyError(f"shadow weights missing from the checkpoint: {sorted(missing)[:5]}")
        for name, value in state.items():
            self.weights[name].copy_(value)


class EmaTeacher(ShadowPolicy):
    """TT-OPD's teacher: θ_T ← α·θ_T + (1-α)·θ_S, applied on every ``every``-th call of :meth:`step`.

    Args:
        student: the policy being trained; the teacher starts equal to it.
        alpha: EMA decay α in [0, 1]; 1 freezes the teacher, 0 copies the student.
        every: apply the update every N optimizer steps.
    """

    def __init__(self, student: nn.Module, *, alpha: float = 0.995, every: int = 5) -> None:
        super().__init__(student)
        if not 0.0 <= alpha <= 1.0 or every < 1:
            raise ValueError(f"need 0 <= alpha <= 1 and every >= 1, got alpha={alpha}, every={every}")
        self.alpha, self.every = alpha, every
        self.calls = 0
        self.updates = 0

    @torch.no_grad()
    def step(self, student: nn.Module) -> bool:
        """Count one optimizer step; on every N-th, move the teacher towards the student. Returns whether it moved."""
        self.calls += 1
        if self.calls % self.every:
            return False
        current = dict(student.named_parameters())
        for name, teacher in self.weights.items():
            teacher.lerp_(current[name].detach().to(teacher.dtype), 1.0 - self.alpha)  # θ_T + (1-α)(θ_S - θ_T)
        self.updates += 1
        return True

    @torch.no_grad()
    def distance(self, student: nn.Module) -> float:
        """||θ_T - θ_S|| / ||θ_S|| over the shadowed weights: how far the teacher lags the student (0 when equal)."""
        current = dict(student.named_parameters())
        gap = sum(float((current[n].detach().to(w.dtype) - w).pow(2).sum()) for n, w in self.weights.items())
        norm = sum(float(current[n].detach().pow(2).sum()) for n in self.weights)
        return (gap / max(norm, 1e-12)) ** 0.5

    def state_dict(self) -> dict[str, Any]:
        return {"weights": dict(self.weights), "calls": self.calls, "updates": self.updates}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        super().load_state_dict(state["weights"])
        self.calls, self.updates = int(state["calls"]), int(state["updates"])
