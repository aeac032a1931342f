"""Flow-volume loops: a parametric forced manoeuvre sampled as flow against volume and time, measured and read by
the ATS/ERS interpretive strategies.

Model (``loop``): the expiratory limb rises linearly to PEF at 12% of FVC, then falls as
``PEF * (1 - u) ** shape`` over the rest of the FVC (``shape`` > 1 gives the scooped, concave limb of airflow
obstruction); the inspiratory limb is a half-sine of peak PIF. A fixed upper-airway lesion caps both limbs at the same
flow (plateaus: Miller & Hyatt 1973). Volume-time comes from integrating dt = dV / flow, so FEV1 is read off the
curve as a spirometer does.

Reading (``interpret``, Pellegrino 2005; Stanojevic 2022): obstructive when FEV1/FVC < LLN; restrictive pattern
when FEV1/FVC >= LLN and FVC < LLN; fixed upper-airway obstruction when FEF50/FIF50 is 0.8-1.2 and the Empey index
(FEV1 mL / PEF L/min) > 10 (Empey 1972); normal otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from healthgym.mcp_servers.domains.visual_diagnosis.models import SpirometryParams

PATTERNS = ("normal", "obstructive", "restrictive_pattern", "upper_airway_obstruction")
POINTS = 200


@dataclass(frozen=True)
class Loop:
    volume_l: np.ndarray
    expiratory_flow_l_s: np.ndarray
    inspiratory_flow_l_s: np.ndarray
    time_s: np.ndarray
    """Time at each expiratory volume point (volume-time curve)."""


def loop(p: SpirometryParams) -> Loop:
    v = np.linspace(0.0, p.fvc_l, POINTS)
    u = v / p.fvc_l
    rise = np.clip(u / 0.12, 0, 1)
    fall = (1 - np.clip((u - 0.12) / 0.88, 0, 1)) ** p.shape
    exp = p.pef_l_s * np.where(u < 0.12, rise, fall)
    insp = p.pif_l_s * np.sin(np.pi * u)
    if p.cap_l_s:
        exp, insp = np.minimum(exp, p.cap_l_s), np.minimum(insp, p.cap_l_s)
    flow = np.maximum(exp, 0.02)  # the spirometer's end-of-test flow floor (0.025 L/s, ATS/ERS 2019) bounds time
    dt = np.diff(v) / ((flow[1:] + flow[:-1]) / 2)
    t = np.concatenate([[0.0], np.cumsum(dt)])
    return Loop(np.round(v, 4), np.round(exp, 4), np.round(insp, 4), np.round(t, 4))


@dataclass(frozen=True)
class SpiroMeasurement:
    fvc_l: float
    fev1_l: float
    fev1_fvc: float
    pef_l_s: float
    pif_l_s: float
    fef50_l_s: float
    fif50_l_s: float
    empey_index: float
    fev1_percent_predicted: float


def measure(volume: np.ndarray | list[float], expiratory: np.ndarray | list[float],
            inspiratory: np.ndarray | list[float], time_s: np.ndarray | list[float],
            predicted_fev1_l: float) -> SpiroMeasurement:
    """FVC, FEV1 (volume at 1 s of the volume-time curve), ratio, PEF, PIF, mid-vital-capacity flows, Empey index."""
    v, e, i, t = (np.asarray(a, dtype=float) for a in (volume, expiratory, inspiratory, time_s))
    if not (len(v) == len(e) == len(i) == len(t)) or len(v) < 10:
        raise ValueError(f"volume, flows and time must have one length >= 10, got {len(v)}, {len(e)}, {len(i)}, "
                         f"{len(t)}")
    fvc = float(v[-1])
    fev1 = float(np.interp(1.0, t, v))
    half = fvc / 2
    fef50, fif50 = float(np.interp(half, v, e)), float(np.interp(half, v, i))
    pef = float(e.max())
    return SpiroMeasurement(round(fvc, 2), round(fev1, 2), round(fev1 / fvc, 3), round(pef, 2),
                            round(float(i.max()), 2), round(fef50, 2), round(fif50, 2),
                            round(fev1 * 1000 / (pef * 60), 1), round(100 * fev1 / predicted_fev1_l, 1))


def interpret(m: SpiroMeasurement, lln_fev1_fvc: float, lln_fvc_l: float) -> str:
    """The pattern of ``criteria._ROWS['spirometry']``."""
    if 0.8 <= m.fef50_l_s / max(m.fif50_l_s, 1e-6) <= 1.2 and m.empey_index > 10:
        return "upper_airway_obstruction"
    if m.fev1_fvc < lln_fev1_fvc:
        return "obstructive"
    if m.fvc_l < lln_fvc_l:
        return "restrictive_pattern"
    return "normal"


def draw(rng: np.random.Generator, pattern: str, sex: str, age: int) -> SpirometryParams:
    """Parameters for ``pattern``, predicted values from a simple height/age/sex model (documented as illustrative;
    real reports use GLI-2012), with every reading at least 0.05 (ratio) or 10% (FVC) from its limit."""
    height = int(rng.integers(152, 190))
    male = sex == "male"
    pred_fvc = round((0.0576 if male else 0.0443) * height - 0.026 * age - (4.34 if male else 2.89), 2)
    pred_ratio = 0.87 - 0.0018 * age
    pred_fev1 = round(pred_fvc * pred_ratio, 2)
    lln_ratio, lln_fvc = round(pred_ratio - 0.11, 3), round(pred_fvc * 0.8, 2)
    for _ in range(500):
        fvc = pred_fvc * float(rng.uniform(0.92, 1.1))
        shape, cap = float(rng.uniform(0.9, 1.05)), 0.0
        pef = float(rng.uniform(6.5, 9.5)) * fvc / 4.5
        if pattern == "obstructive":
            shape = float(rng.uniform(2.4, 4.0))
            pef *= float(rng.uniform(0.5, 0.8))
        elif pattern == "restrictive_pattern":
            fvc = pred_fvc * float(rng.uniform(0.5, 0.7))
        elif pattern == "upper_airway_obstruction":
            cap = float(rng.uniform(1.3, 2.0))
        p = SpirometryParams(fvc_l=round(fvc, 2), pef_l_s=round(pef, 2), shape=round(shape, 2),
                             pif_l_s=round(float(rng.uniform(4.0, 6.0)) * fvc / 4.5, 2), cap_l_s=round(cap, 2),
                             predicted_fvc_l=pred_fvc, predicted_fev1_l=pred_fev1, lln_fvc_l=lln_fvc,
                             lln_fev1_fvc=lln_ratio, height_cm=height)  # fmt: skip
        lp = loop(p)
        m = measure(lp.volume_l, lp.expiratory_flow_l_s, lp.inspiratory_flow_l_s, lp.time_s, pred_fev1)
        ratio_far = abs(m.fev1_fvc - lln_ratio) >= 0.05
        fvc_far = abs(m.fvc_l - lln_fvc) >= 0.1 * lln_fvc
        uao = 0.8 <= m.fef50_l_s / max(m.fif50_l_s, 1e-6) <= 1.2 and m.empey_index > 10
        uao_far = (0.7 <= m.fef50_l_s / max(m.fif50_l_s, 1e-6) <= 1.3 and m.empey_index > 9) == uao
        if ratio_far and fvc_far and uao_far and interpret(m, lln_ratio, lln_fvc) == pattern:
            return p
    raise RuntimeError(f"no {pattern} spirometry drawn in 500 tries (age {age}, {sex})")
