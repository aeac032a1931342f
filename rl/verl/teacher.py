"""The EMA privileged teacher inside verl's actor: its weights, its input batch and the slice back to the student.

The teacher is the actor's own module run with EMA weights (healthgym.rl.teacher.EmaTeacher): a copy of the actor's
trainable parameters (under FSDP, of this rank's shards), loaded into the module in place for the teacher's forward
and restored after it, so sharding, offload and the engine's forward are verl's own. It reads x ⊕ P ⊕ y: the
teacher's prompt (the student's prompt with the privileged block appended to its user message, built by the agent
loop) followed by the student's response tokens unchanged; its per-token log-probs are then sliced back to the
response positions, where they align token for token with the student's.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import torch
from tensordict import TensorDict
from torch import nn
from verl.utils import tensordict_utils as tu
from verl.workers.utils.padding import response_from_nested

from healthgym.rl.teacher import EmaTeacher
from healthgym.rl.turns import Span, truncate_spans, turn_ids


class InPlaceEmaTeacher(EmaTeacher):
    """:class:`EmaTeacher` whose forward is the student module itself with the teacher's values copied into its
    parameters (``loaded``): the way to run it through an engine that owns the forward (FSDP, offload)."""

    @contextmanager
    def loaded(self, student: nn.Module) -> Iterator[None]:
        """Within the block the student's trainable parameters hold the teacher's values; restored on exit, also on
        error. Costs one extra copy of the trainable parameters while active."""
        params = dict(student.named_parameters())
        saved: dict[str, torch.Tensor] = {}
        with torch.no_grad():
            for name, weight in self.weights.items():
                saved[name] = params[name].detach().clone()
                params[name].copy_(weight)
        try:
            yield
        finally:
            with torch.no_grad():
                for name, value in saved.items():
                    params[name].copy_(value)


def _nested(rows: Sequence[torch.Tensor]) -> torch.Tensor:
    return torch.nested.as_nested_tensor(list(rows), layout=torch.jagged)


def teacher_batch(teacher_prompts: Sequence[Sequence[int]], responses: Sequence[torch.Tensor]) -> TensorDict:
    """The teacher's inputs x ⊕ P ⊕ y in the layout of verl's rollout batches (jagged rows, no padding)."""
    prompts = [torch.tensor(list(p), dtype=torch.long) for p in teacher_prompts]
    responses = [r.long() for r in responses]
    input_ids = [torch.cat([p, r]) for p, r in zip(prompts, responses, strict=True)]
    return tu.get_tensordict(
        {
            "prompts": _nested(prompts),
            "responses": _nested(responses),
            "input_ids": _nested(input_ids),
            "position_ids": _nested([torch.arange(len(ids)) for ids in input_ids]),
            "response_mask": _nested([torch.ones_like(r) for r in responses]),
            "loss_mask": _nested([torch.ones_like(r) for r in responses]),
        }
    )


def teacher_response_log_probs(log_probs: torch.Tensor, batch: TensorDict) -> torch.Tensor:
    """The teacher's log-probs (jagged, over x ⊕ P ⊕ y, as the engine returns them: position i scores token i+1)
    at the response positions only: row i holds log π_T(y_t | x ⊕ P, y_<t) for each t of the student's response."""
    return response_from_nested(log_probs, batch["response_mask"])


def distill_turn_ids(
    spans: Sequence[Sequence[Span]], lengths: Sequence[int], *, turns: int, tokens: int
) -> torch.Tensor:
    """Jagged (B, response_len) turn index of each distilled position (the first ``turns`` turns, the first ``tokens``
    tokens of each; 0: all), -1 elsewhere."""
    return _nested(
        [
            turn_ids([truncate_spans(row, first_turns=turns, first_tokens=tokens)], length)[0]
            for row, length in zip(spans, lengths, strict=True)
        ]
    )
