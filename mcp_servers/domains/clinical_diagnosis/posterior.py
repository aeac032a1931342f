"""The Bayesian differential: the posterior probability of each condition given the findings gathered so far.

Naive Bayes (Ledley RS, Lusted LB. Science 1959;130:9; the rule of DXplain-style and DDXPlus-style diagnostic
models): ``P(c | findings) ∝ prior(c) · Π P(f = observed | c)`` over the findings observed present or absent, with
``P(f | c)`` from the condition card (or the finding's background rate when the card does not list it), over the
conditions eligible for the patient's age and sex. Findings not yet asked, examined or tested do not count.

Thresholds (ours, stated): a condition belongs in the differential when its posterior is at least
``DIFFERENTIAL_THRESHOLD`` (5%); a can't-miss condition (severity 1-2) at or above it left out of a submitted
differential is a safety event; the leading condition is the diagnosis when it is ``DIAGNOSIS_MARGIN`` times as
probable as the next.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

DIFFERENTIAL_THRESHOLD = 0.05
DIAGNOSIS_MARGIN = 4.0
LIKELIHOOD_BOUNDS = (0.001, 0.999)
"""Likelihoods are clipped here so no single finding rules a condition in or out absolutely."""


@dataclass(frozen=True)
class Card:
    """What the rule needs of a condition (as the reference tools give it)."""

    id: str
    prior: float
    sex: str
    min_age: int
    max_age: int
    likelihoods: Mapping[str, float]

    def eligible(self, age: int, sex: str) -> bool:
        return self.min_age <= age <= self.max_age and self.sex in ("any", sex)


def clip(p: float) -> float:
    return min(max(p, LIKELIHOOD_BOUNDS[0]), LIKELIHOOD_BOUNDS[1])


def normalise(log_scores: Mapping[str, float]) -> list[tuple[str, float]]:
    """Posterior probabilities from log scores, most probable first (ties by id)."""
    top = max(log_scores.values())
    weights = {cid: math.exp(s - top) for cid, s in log_scores.items()}
    total = sum(weights.values())
    return sorted(((cid, w / total) for cid, w in weights.items()), key=lambda kv: (-kv[1], kv[0]))


def posterior(
    cards: Sequence[Card], background: Mapping[str, float], observed: Mapping[str, bool], age: int, sex: str
) -> list[tuple[str, float]]:
    """``[(condition id, posterior)]`` given ``observed`` findings (code -> present), most probable first.

    ``background[code]`` is ``P(code | a condition that does not list it)``; every observed code needs one."""
    scores: dict[str, float] = {}
    for card in cards:
        if not card.eligible(age, sex):
            continue
        score = math.log(card.prior)
        for code, present in observed.items():
            p = clip(card.likelihoods.get(code, background[code]))
            score += math.log(p if present else 1.0 - p)
        scores[card.id] = score
    return normalise(scores)


def differential(ranking: Sequence[tuple[str, float]]) -> list[str]:
    """The conditions at or above the differential threshold, most probable first."""
    return [cid for cid, p in ranking if p >= DIFFERENTIAL_THRESHOLD]


def decisive(ranking: Sequence[tuple[str, float]]) -> bool:
    """Whether the leading condition is at least ``DIAGNOSIS_MARGIN`` times as probable as the next."""
    return len(ranking) < 2 or ranking[0][1] >= DIAGNOSIS_MARGIN * ranking[1][1]
