"""Assistant turns inside a tokenized episode: spans, truncation to the first turns and tokens, per-turn means.

A span is ``[start, end)`` in response positions and covers exactly the tokens the model generated in one assistant
turn. Spans are recorded by the rollout as each turn is generated (the tool-call structure of the episode), never
found by searching for a token id. Per-turn quantities use a ``turn_ids`` tensor, (batch, response_length), holding
the turn index of each position and -1 where no turn is counted.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

Span = tuple[int, int]


def spans_from_mask(mask: Sequence[int]) -> list[Span]:
    """Maximal runs of 1 in a response mask: the generated stretches (a cross-check of the recorded spans)."""
    spans: list[Span] = []
    start = None
    for i, m in enumerate([*mask, 0]):
        if m and start is None:
            start = i
        elif not m and start is not None:
            spans.append((start, i))
            start = None
    return spans


def truncate_spans(spans: Sequence[Span], *, first_turns: int = 0, first_tokens: int = 0) -> list[Span]:
    """Keep the first ``first_turns`` spans (0: all), each cut to its first ``first_tokens`` tokens (0: all)."""
    kept = list(spans[:first_turns] if first_turns > 0 else spans)
    if first_tokens > 0:
        kept = [(start, min(end, start + first_tokens)) for start, end in kept]
    return kept


def turn_ids(spans: Sequence[Sequence[Span]], length: int) -> torch.Tensor:
    """(batch, length) long tensor: the index of the turn each position belongs to, -1 outside every span."""
    ids = torch.full((len(spans), length), -1, dtype=torch.long)
    for row, row_spans in enumerate(spans):
        for turn, (start, end) in enumerate(row_spans):
            ids[row, start : min(end, length)] = turn
    return ids


def _segments(turn_ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, int]:
    """A flat segment key per counted position ((row, turn) pairs), the mask of counted positions, the key count."""
    valid = turn_ids >= 0
    width = int(turn_ids.max().item()) + 1 if valid.any() else 1
    rows = torch.arange(turn_ids.shape[0], device=turn_ids.device).unsqueeze(1)
    keys = (rows * width + turn_ids.clamp(min=0))[valid]
    return keys, valid, turn_ids.shape[0] * width


def turn_means(values: torch.Tensor, turn_ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean of ``values`` over each turn: (the mean broadcast back to the turn's positions, 0 elsewhere;
    the means of the turns that have at least one position, flat)."""
    keys, valid, n = _segments(turn_ids)
    sums = torch.zeros(n, dtype=values.dtype, device=values.device).index_add(0, keys, values[valid])
    counts = torch.bincount(keys, minlength=n)
    means = sums / counts.clamp(min=1)
    broadcast = torch.zeros_like(values)
    broadcast[valid] = means[keys]
    return broadcast, means[counts > 0]


def turn_mean(values: torch.Tensor, turn_ids: torch.Tensor) -> torch.Tensor:
    """Mean over every counted turn in the batch of the per-turn mean: each turn weighs the same, whatever its
    length (0 when no turn is counted)."""
    _, means = turn_means(values, turn_ids)
    return means.mean() if means.numel() else values.sum() * 0.0
