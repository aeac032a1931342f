"""What every system's rule returns, and the size conventions the systems measure by."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Classification:
    """A finding (or a whole exam) classified by one system: its category code, the system's management
    recommendation code for it, and the table rows that decided it."""

    system: str
    finding_id: str
    category: str
    recommendation: str
    reasons: tuple[str, ...]


def round_half_up(value: float, places: int) -> float:
    """Round as radiologists do (5.5 -> 6), not banker's rounding (Python's ``round(5.5) == 6`` but
    ``round(6.5) == 6``)."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def mean_diameter(long_axis_mm: float, short_axis_mm: float, places: int) -> float:
    """Average of the long and short axes, rounded half up to ``places`` decimals.

    Fleischner 2017 rounds to the nearest whole millimetre (Bankier AA et al. Radiology 2017;285:584-600);
    Lung-RADS v2022 reports the mean to one decimal place (ACR Lung-RADS v2022, nodule size)."""
    if long_axis_mm <= 0 or short_axis_mm <= 0:
        raise ValueError(f"axes must be positive, got long {long_axis_mm} and short {short_axis_mm}")
    if short_axis_mm > long_axis_mm:
        raise ValueError(f"short_axis_mm {short_axis_mm} is longer than long_axis_mm {long_axis_mm}")
    return round_half_up((long_axis_mm + short_axis_mm) / 2, places)
