"""Turn spans, truncation to the first K turns and M tokens, per-turn means."""

from __future__ import annotations

import pytest
import torch
from torch.testing import assert_close

from healthgym.rl.turns import spans_from_mask, truncate_spans, turn_ids, turn_mean, turn_means

SPANS = [(0, 5), (9, 12), (15, 16), (20, 28)]


def test_spans_from_mask_finds_generated_runs():
    mask = [1, 1, 0, 0, 1, 0, 1, 1, 1]
    assert spans_from_mask(mask) == [(0, 2), (4, 5), (6, 9)]
    assert spans_from_mask([0, 0]) == []


@pytest.mark.parametrize(
    ("k", "m", "expected"),
    [
        (0, 0, SPANS),
        (2, 0, [(0, 5), (9, 12)]),
        (0, 2, [(0, 2), (9, 11), (15, 16), (20, 22)]),
        (3, 4, [(0, 4), (9, 12), (15, 16)]),
        (9, 100, SPANS),
    ],
)
def test_truncation_keeps_exactly_the_first_k_turns_and_m_tokens(k, m, expected):
    kept = truncate_spans(SPANS, first_turns=k, first_tokens=m)
    assert kept == expected
    ids = turn_ids([kept], 30)
    assert int((ids >= 0).sum()) == sum(end - start for start, end in expected)
    for turn, (start, end) in enumerate(expected):
        assert ids[0, start:end].eq(turn).all()


def test_turn_means_weigh_each_turn_equally():
    values = torch.tensor([[1.0, 1.0, 1.0, 1.0, 9.0, 5.0], [2.0, 0.0, 4.0, 0.0, 0.0, 0.0]])
    ids = turn_ids([[(0, 4), (5, 6)], [(0, 1), (2, 3)]], 6)
    broadcast, means = turn_means(values, ids)
    assert_close(means, torch.tensor([1.0, 5.0, 2.0, 4.0]))
    assert_close(broadcast[0], torch.tensor([1.0, 1.0, 1.0, 1.0, 0.0, 5.0]))
    assert_close(turn_mean(values, ids), torch.tensor(3.0))  # not the token mean 15/7
    assert_close(turn_mean(values, torch.full((2, 6), -1)), torch.tensor(0.0))
