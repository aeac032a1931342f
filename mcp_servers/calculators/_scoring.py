"""Band lookups shared by the point scores, so every threshold table reads like the published one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def up_to(value: float, limits: Sequence[tuple[float, T]], above: T) -> T:
    """The item of the first ``(upper, item)`` pair with ``value <= upper``; ``above`` past the last limit.

    Limits are listed from the lowest. Published cut-offs are usually whole numbers; a value between two of them
    falls in the band of the next cut-off up (a respiratory rate of 20.5 scores as 21).
    """
    for upper, item in limits:
        if value <= upper:
            return item
    return above


def at_least(value: float, limits: Sequence[tuple[float, T]], below: T) -> T:
    """The item of the first ``(lower, item)`` pair with ``value >= lower``; ``below`` under the last limit.

    Limits are listed from the highest, the way tables such as APACHE II print them.
    """
    for lower, item in limits:
        if value >= lower:
            return item
    return below
