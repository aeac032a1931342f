"""The ECG signal model: a parametric cardiac dipole projected on the twelve leads, driven by a rhythm's beat schedule.

Model (``synthesize``): every wave is a sum of half-sine lobes of a heart vector (x to the patient's left, y
inferior, z anterior) projected on the lead vectors. The limb leads obey Einthoven's law and Goldberger's
definitions exactly (II = I + III, aVR = -(I + II)/2, aVL = (I - III)/2, aVF = (II + III)/2); the precordial leads
point round the horizontal plane from V1 (right-anterior) to V6 (left-lateral). The QRS is three lobes (septal,
main, terminal) whose onset and offset are exact, so the truth of each interval is known; LBBB, RBBB and ventricular
beats change the lobes as the activation sequence changes (Surawicz 2009). ST deviation is an injury vector rising
through the end of the QRS, held from the J point and tapering through the T wave, so the leads facing the injury
show elevation and the opposite leads reciprocal depression (Wagner 2009). Atrial activity is a P lobe per sinus
beat, a sawtooth at the flutter rate, or fibrillatory waves; T waves end at QT = QTc x sqrt(RR) of the preceding
cycle (Bazett).

Units: mV, seconds; sampled at ``FS`` Hz for ``DURATION_S`` seconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

FS = 250
"""Samples per second (AHA 2007 recommendations accept 250 Hz for rhythm and interval measurement)."""
DURATION_S = 10.0
N = int(FS * DURATION_S)
LEADS = ("I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6")

_I = np.array([1.0, 0.0, 0.0])
_III = np.array([-0.5, math.sqrt(3) / 2, 0.0])
_II = _I + _III
_PRECORDIAL_DEG = {"V1": 115, "V2": 95, "V3": 75, "V4": 60, "V5": 30, "V6": 0}
LEAD_VECTORS = np.array([
    _I, _II, _III, -(_I + _II) / 2, (_I - _III) / 2, (_II + _III) / 2,
    *(1.2 * np.array([math.cos(math.radians(a)), 0.15, math.sin(math.radians(a))]) for a in _PRECORDIAL_DEG.values()),
])  # fmt: skip
"""(12, 3): the lead vectors, rows in ``LEADS`` order."""


def frontal(angle_deg: float, z: float = 0.0) -> np.ndarray:
    """A unit-ish heart vector at ``angle_deg`` in the frontal plane (0 = leftward, +90 = inferior) with an
    anterior component ``z``."""
    a = math.radians(angle_deg)
    return np.array([math.cos(a), math.sin(a), z])


@dataclass(frozen=True)
class Morphology:
    """How the ventricles depolarize and repolarize: QRS lobes as (start, end) fractions of the QRS duration with
    their heart vectors (mV), and the T vector (mV)."""

    lobes: tuple[tuple[float, float, tuple[float, float, float]], ...]
    t_vector: tuple[float, float, float]
    t_width_fraction: float = 0.45
    """The T lobe's share of the ST-T span (the rest is the ST segment)."""


def morphology(kind: str, axis_deg: float, t_amp: float = 0.3) -> Morphology:
    """QRS-T morphology of a conduction pattern.

    - ``normal``: septal activation left to right (small q in I, aVL, V5-V6; r in V1), main vector along the axis and
      posterior, terminal basal vector; T concordant with the QRS.
    - ``lbbb``: septum activated right to left (no septal q in I, V6: a leftward-anterior initial force), then a
      leftward-posterior main force: a broad notched R in I, aVL, V5-V6, deep S in V1, T discordant (Surawicz 2009,
      Part III).
    - ``rbbb``: normal initial activation then a late rightward-anterior vector (rsR' in V1, wide S in I and V6),
      T discordant in V1-V3.
    - ``ventricular``: a slow initial force then a broad main lobe from an ectopic focus (VT, idioventricular
      escape), T opposite.
    - ``hyperkalaemia``: normal lobes; a tall narrow T is set by the caller.
    """
    main = frontal(axis_deg, -0.35) * 1.3
    if kind == "normal" or kind == "hyperkalaemia":
        lobes = ((0.0, 0.3, tuple(frontal(axis_deg + 180, 0.9) * 0.18)),
                 (0.12, 0.78, tuple(main)),
                 (0.62, 1.0, tuple(frontal(axis_deg + 150, -0.6) * 0.35)))
        return Morphology(lobes, tuple(frontal(axis_deg - 10, 0.5) * t_amp))
    if kind == "lbbb":
        lateral = frontal(axis_deg - 15, -1.1) * 1.1
        lobes = ((0.0, 0.55, tuple(frontal(axis_deg + 10, 0.3) * 0.9)), (0.4, 1.0, tuple(lateral)))
        return Morphology(lobes, tuple(-lateral * 0.28), 0.5)
    if kind == "rbbb":
        lobes = ((0.0, 0.25, tuple(frontal(axis_deg + 180, 0.9) * 0.18)),
                 (0.1, 0.55, tuple(main)),
                 (0.5, 1.0, tuple(frontal(200, 1.3) * 0.55)))
        return Morphology(lobes, tuple(frontal(axis_deg - 10, -0.7) * t_amp), 0.5)
    if kind == "ventricular":  # cell-to-cell spread from the focus: a slow initial force, then the main one
        vector = frontal(axis_deg, -0.8) * 1.5
        lobes = ((0.0, 0.45, tuple(frontal(axis_deg + 40, 0.3) * 0.9)), (0.3, 1.0, tuple(vector)))
        return Morphology(lobes, tuple(-vector * 0.25), 0.5)
    raise ValueError(f"morphology kind {kind!r} is not one of normal, hyperkalaemia, lbbb, rbbb, ventricular")


@dataclass(frozen=True)
class Beat:
    """One ventricular complex: QRS onset (s), QRS duration (s), QT (s) and its morphology."""

    onset_s: float
    qrs_s: float
    qt_s: float
    morph: Morphology


@dataclass(frozen=True)
class Atrial:
    """Atrial activity: P lobes at their onsets (sinus), or a continuous flutter / fibrillation signal."""

    kind: str
    """``p``, ``flutter``, ``fibrillation`` or ``none``."""
    onsets_s: tuple[float, ...] = ()
    p_duration_s: float = 0.1
    p_vector: tuple[float, float, float] = (0.0, 0.0, 0.0)
    rate_per_min: float = 0.0
    amplitude_mv: float = 0.0


def _half_sine(t0: float, t1: float) -> tuple[int, np.ndarray]:
    """Sample offset and samples of a unit half-sine lobe over [t0, t1) s."""
    i0, i1 = max(0, math.ceil(t0 * FS)), min(N, math.ceil(t1 * FS))
    if i1 <= i0:
        return 0, np.zeros(0)
    t = np.arange(i0, i1) / FS
    return i0, np.sin(np.pi * (t - t0) / (t1 - t0))


def _add(x: np.ndarray, vector: np.ndarray, i0: int, shape: np.ndarray) -> None:
    if shape.size:
        x[:, i0 : i0 + shape.size] += np.outer(LEAD_VECTORS @ vector, shape)


def synthesize(beats: tuple[Beat, ...], atrial: Atrial, injury: tuple[float, float, float], noise_seed: int,
               noise_mv: float = 0.01, artefact_leads: tuple[int, ...] = (), artefact_mv: float = 0.0) -> np.ndarray:
    """The (12, N) signal in mV of a beat schedule, its atrial activity and ST injury vector, with baseline noise
    (and electromyographic artefact on ``artefact_leads``) drawn from ``noise_seed``."""
    x = np.zeros((len(LEADS), N))
    inj = np.array(injury)
    for b in beats:
        for start, end, vec in b.morph.lobes:
            i0, shape = _half_sine(b.onset_s + start * b.qrs_s, b.onset_s + end * b.qrs_s)
            _add(x, np.array(vec), i0, shape)
        j = b.onset_s + b.qrs_s
        t_end = b.onset_s + b.qt_s
        t_start = t_end - b.morph.t_width_fraction * (t_end - j)
        i0, shape = _half_sine(t_start, t_end)
        _add(x, np.array(b.morph.t_vector), i0, shape)
        if inj.any():  # rising through the last 40% of the QRS, a plateau from J, a cosine taper over the T lobe
            ramp0 = b.onset_s + 0.6 * b.qrs_s
            i0, i1 = max(0, math.ceil(ramp0 * FS)), min(N, math.ceil(t_end * FS))
            t = np.arange(i0, i1) / FS
            taper = np.where(t < j, (t - ramp0) / (j - ramp0), np.where(t < t_start, 1.0, 0.5 * (1 + np.cos(
                np.pi * (t - t_start) / max(t_end - t_start, 1e-6)))))  # fmt: skip
            _add(x, inj, i0, taper)
    if atrial.kind == "p":
        for onset in atrial.onsets_s:
            i0, shape = _half_sine(onset, onset + atrial.p_duration_s)
            _add(x, np.array(atrial.p_vector), i0, shape)
    rng = np.random.default_rng(noise_seed)
    t = np.arange(N) / FS
    if atrial.kind == "flutter":  # sawtooth, negative in the inferior leads (counter-clockwise typical flutter)
        phase = (t * atrial.rate_per_min / 60 + rng.uniform()) % 1.0
        saw = np.where(phase < 0.8, phase / 0.8, (1 - phase) / 0.2) - 0.5
        _add(x, frontal(-90, 0.6) * atrial.amplitude_mv * 2, 0, saw)
    elif atrial.kind == "fibrillation":
        f = np.zeros(N)
        for _ in range(4):
            freq = rng.uniform(5.0, 8.0)
            f += np.sin(2 * np.pi * freq * t + rng.uniform(0, 2 * np.pi)) * rng.uniform(0.4, 1.0)
        _add(x, frontal(-60, 1.0) * atrial.amplitude_mv / 2, 0, f)
    wander = 0.04 * np.sin(2 * np.pi * rng.uniform(0.15, 0.3) * t + rng.uniform(0, 2 * np.pi))
    x += wander + rng.normal(0.0, noise_mv, size=x.shape)
    for lead in artefact_leads:  # EMG: broadband bursts, plus electrode-motion steps
        burst = rng.normal(0.0, artefact_mv, N) * (0.5 + 0.5 * np.abs(np.sin(2 * np.pi * rng.uniform(0.2, 0.5) * t)))
        x[lead] += burst
    return x


def lead_index(name: str) -> int:
    """Row of a lead name; ``ValueError`` listing the leads."""
    if name not in LEADS:
        raise ValueError(f"lead {name!r} is not one of {', '.join(LEADS)}")
    return LEADS.index(name)


def st_deviation_truth(injury: tuple[float, float, float]) -> dict[str, float]:
    """The model's ST deviation per lead (mV): the injury vector's projection."""
    return {lead: round(float(v), 4) for lead, v in zip(LEADS, LEAD_VECTORS @ np.array(injury), strict=True)}


def qrs_axis_truth(morph: Morphology) -> float:
    """Frontal QRS axis (degrees) of the net QRS area, read as the hexaxial system reads I and aVF (aVF scaled to
    the length of lead I)."""
    area = sum((end - start) * np.array(vec) for start, end, vec in morph.lobes)
    lead_i = float(LEAD_VECTORS[0] @ area)
    lead_avf = float(LEAD_VECTORS[5] @ area) / (math.sqrt(3) / 2)
    return math.degrees(math.atan2(lead_avf, lead_i))
