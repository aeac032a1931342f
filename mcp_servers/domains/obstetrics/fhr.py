"""Fetal heart rate tracings: a parametric model sampled as a series, the NICHD measurements read from the series,
and the three-tier NICHD category (Macones 2008; ACOG Practice Bulletin 106).

Model (``synthesize``): baseline + long-term variability (a sinusoid of ``VARIABILITY_PERIOD_S`` seconds whose
peak-to-trough amplitude is the variability) + accelerations (raised-cosine bumps) + decelerations (a linear fall to
the nadir, a short hold, a linear return), sampled once a second and rounded to whole bpm; contractions are given by
their peak times.

Measurement (``measure``), the NICHD definitions made operational on the series:
- the series is smoothed by a ``VARIABILITY_PERIOD_S`` moving average (which cancels the variability); episodes are
  runs of the smoothed series at least 15 bpm above or below the baseline; accelerations last >= 15 s (at >= 32
  weeks), decelerations >= 15 s;
- baseline: the mean of the smoothed series outside episodes, rounded to increments of 5 bpm;
- variability: the median peak-to-trough amplitude of the raw series over 1-minute windows outside episodes: absent
  (undetectable, <= 1 bpm here, the rounding of the samples), minimal (<= 5), moderate (6-25), marked (> 25);
- a deceleration's onset and end are where the smoothed series is within 3 bpm of the baseline; prolonged when it
  lasts >= 2 minutes; otherwise variable when onset to nadir is < 30 s (abrupt), else early when the nadir is within
  10 s of a contraction peak and late when it comes more than 10 s after it;
- recurrent: with at least half of the contractions (a deceleration whose nadir is 30 s before to 60 s after the
  peak).

Category III: absent variability with recurrent late or recurrent variable decelerations or bradycardia (sinusoidal
patterns are not modelled). Category I: baseline 110-160, moderate variability, no late, variable or prolonged
deceleration. Category II: every other tracing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SOURCE = "Macones GA et al. The 2008 National Institute of Child Health and Human Development workshop report on " \
    "electronic fetal monitoring. Obstet Gynecol 2008;112:661-6; ACOG Practice Bulletin 106, 2009"  # fmt: skip
VARIABILITY_PERIOD_S = 10
CATEGORIES = ("I", "II", "III")
VARIABILITY = ("absent", "minimal", "moderate", "marked")
DECELERATIONS = ("early", "late", "variable", "prolonged")


@dataclass(frozen=True)
class Accel:
    start_s: int
    duration_s: int
    height_bpm: int


@dataclass(frozen=True)
class Decel:
    onset_s: int
    descent_s: int
    hold_s: int
    recovery_s: int
    depth_bpm: int


def synthesize(length_s: int, baseline: int, amplitude: int, phase: float, accels: Sequence[Accel],
               decels: Sequence[Decel]) -> list[int]:
    """The FHR series (bpm, one sample a second) of the model's parameters."""
    out = []
    for t in range(length_s):
        v = baseline + amplitude / 2 * math.sin(2 * math.pi * t / VARIABILITY_PERIOD_S + phase)
        for a in accels:
            if a.start_s <= t < a.start_s + a.duration_s:
                v += a.height_bpm * math.sin(math.pi * (t - a.start_s) / a.duration_s) ** 2
        for d in decels:
            x = t - d.onset_s
            if 0 <= x < d.descent_s:
                v -= d.depth_bpm * x / d.descent_s
            elif d.descent_s <= x < d.descent_s + d.hold_s:
                v -= d.depth_bpm
            elif d.descent_s + d.hold_s <= x < d.descent_s + d.hold_s + d.recovery_s:
                v -= d.depth_bpm * (1 - (x - d.descent_s - d.hold_s) / d.recovery_s)
        out.append(int(Decimal(str(round(v, 6))).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
    return out


@dataclass(frozen=True)
class Deceleration:
    kind: str
    onset_s: int
    nadir_s: int
    end_s: int
    depth_bpm: float
    lag_s: int | None
    """Nadir minus the nearest contraction peak (None without contractions)."""


@dataclass(frozen=True)
class Measurement:
    baseline_bpm: int
    variability_bpm: int
    variability: str
    accelerations: int
    decelerations: tuple[Deceleration, ...]
    recurrent: tuple[str, ...]
    """Deceleration types seen with at least half of the contractions."""
    category: str
    reasons: tuple[str, ...]

    @property
    def types(self) -> tuple[str, ...]:
        present = {d.kind for d in self.decelerations}
        return tuple(k for k in DECELERATIONS if k in present)


def _smooth(x: Sequence[int]) -> list[float]:
    w, n = VARIABILITY_PERIOD_S, len(x)
    out = []
    for i in range(n):
        lo = min(max(0, i - w // 2), n - w)
        out.append(sum(x[lo : lo + w]) / w)
    return out


def _runs(flags: Sequence[bool]) -> list[tuple[int, int]]:
    runs, start = [], None
    for i, f in enumerate([*flags, False]):
        if f and start is None:
            start = i
        elif not f and start is not None:
            runs.append((start, i))
            start = None
    return runs


def _round5(value: float) -> int:
    return int(Decimal(str(value / 5)).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 5


def variability_class(amplitude: int) -> str:
    """NICHD variability from the peak-to-trough amplitude in bpm."""
    if amplitude <= 1:
        return "absent"
    return "minimal" if amplitude <= 5 else "moderate" if amplitude <= 25 else "marked"


def _episodes(s: Sequence[float], level: float) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    ups = [r for r in _runs([v >= level + 15 for v in s]) if r[1] - r[0] >= 15]
    downs = [r for r in _runs([v <= level - 15 for v in s]) if r[1] - r[0] >= 15]
    return ups, downs


def measure(fhr: Sequence[int], contraction_peaks_s: Sequence[int]) -> Measurement:
    """NICHD measurements and category of a tracing sampled once a second."""
    if len(fhr) < 600:
        raise ValueError(f"fhr has {len(fhr)} samples; a tracing needs at least 10 minutes (600 samples)")
    s = _smooth(fhr)
    level = sorted(s)[len(s) // 2]
    for _ in range(2):
        ups, downs = _episodes(s, level)
        busy = {i for a, b in ups + downs for i in range(max(0, a - 30), min(len(s), b + 30))}
        quiet = [v for i, v in enumerate(s) if i not in busy] or list(s)
        level = sum(quiet) / len(quiet)
    baseline = _round5(level)
    amplitudes = []
    for start in range(0, len(fhr) - 59, 60):
        window = [fhr[i] for i in range(start, start + 60) if i not in busy]
        if len(window) >= 30:
            amplitudes.append(max(window) - min(window))
    amplitude = sorted(amplitudes)[len(amplitudes) // 2] if amplitudes else 0
    variability = variability_class(amplitude)
    decels = []
    for a, b in downs:
        nadir = min(range(a, b), key=lambda i: s[i])
        onset = next((i for i in range(nadir, -1, -1) if s[i] >= level - 3), 0)
        end = next((i for i in range(nadir, len(s)) if s[i] >= level - 3), len(s) - 1)
        lag = min((nadir - p for p in contraction_peaks_s), key=abs, default=None)
        if end - onset >= 120:
            kind = "prolonged"
        elif nadir - onset < 30:
            kind = "variable"
        else:
            kind = "late" if lag is not None and lag > 10 else "early"
        decels.append(Deceleration(kind, onset, nadir, end, round(level - s[nadir], 1), lag))
    recurrent = []
    for kind in ("late", "variable"):
        hit = sum(any(d.kind == kind and -30 <= d.nadir_s - p <= 60 for d in decels) for p in contraction_peaks_s)
        if contraction_peaks_s and hit * 2 >= len(contraction_peaks_s):
            recurrent.append(kind)
    types = {d.kind for d in decels}
    if variability == "absent" and (recurrent or baseline < 110):
        category = "III"
    elif 110 <= baseline <= 160 and variability == "moderate" and not types & {"late", "variable", "prolonged"}:
        category = "I"
    else:
        category = "II"
    reasons = (
        f"baseline {baseline} bpm (mean {level:.1f} outside episodes, rounded to 5)",
        f"variability {amplitude} bpm peak-to-trough: {variability}",
        f"{len(ups)} acceleration(s); decelerations: "
        + (", ".join(f"{d.kind} (onset {d.onset_s} s, nadir {d.nadir_s} s, lag {d.lag_s} s)" for d in decels)
           or "none"),
        f"recurrent: {', '.join(recurrent) or 'none'} over {len(contraction_peaks_s)} contractions",
        f"NICHD category {category} ({SOURCE})",
    )
    return Measurement(baseline, amplitude, variability, len(ups), tuple(decels), tuple(recurrent), category, reasons)
