"""ECG cases with known truth: parameters drawn for a target rhythm or finding, the signal they make, and the truth.

Parameters are drawn away from every threshold the criteria use (``criteria``) by more than the measurement
tolerances (``TOLERANCES``), so the rule applied to the measured signal gives the same answer as the rule applied to
the model's truth: rates 62-95 (sinus), 40-52 (bradycardia), 108-130 (tachycardia) against 60 and 100; PR 130-180 or
240-320 against 200 ms; QRS 80-96 or 132-170 against 120 ms; QTc 380-430 or 490-540 against 450/460 ms; each lead's ST
deviation at least 0.025 mV from 0.1 mV and from its own elevation threshold.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from healthgym.mcp_servers.domains.visual_diagnosis import criteria, ecg
from healthgym.mcp_servers.domains.visual_diagnosis.models import EcgParams, EcgTruth, Patient

TARGETS_STRIP = ("sinus_rhythm", "sinus_bradycardia", "sinus_tachycardia", "atrial_fibrillation",
                 "atrial_flutter_fixed_block", "atrial_flutter_variable_block", "supraventricular_tachycardia",
                 "ventricular_tachycardia", "first_degree_av_block", "second_degree_av_block_mobitz_i",
                 "second_degree_av_block_mobitz_ii", "third_degree_av_block")  # fmt: skip
TARGETS_12 = ("stemi_inferior", "lbbb", "stemi_anterior", "rbbb", "long_qt", "stemi_lateral", "hyperkalaemia",
              "artefact", "ventricular_tachycardia", "third_degree_av_block", "first_degree_av_block",
              "atrial_fibrillation", "sinus_rhythm", "second_degree_av_block_mobitz_ii", "atrial_flutter_fixed_block",
              "sinus_bradycardia")  # fmt: skip
INJURY = {"stemi_inferior": (100.0, -0.25), "stemi_anterior": (-80.0, 1.6), "stemi_lateral": (-30.0, 0.0)}
"""Frontal angle and anterior component of the injury vector of each territory."""
ST_MARGIN_MV = 0.025
TOLERANCES = {"ventricular_rate": 5.0, "pr_ms": 20.0, "qrs_ms": 16.0, "qt_ms": 24.0, "qtc_ms": 30.0, "axis_deg": 15.0,
              "st_mv": 0.02}  # fmt: skip
"""How far a measurement may be from the model's truth (bpm, ms, degrees, mV); asserted on every test case."""


def _u(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(rng.uniform(lo, hi))


def _regular(rng: np.random.Generator, rate: float, jitter: float = 0.015) -> list[float]:
    rr = 60.0 / rate
    t = _u(rng, 0.15, min(rr, 0.9))
    out = []
    while t < ecg.DURATION_S - 0.05:
        out.append(round(t, 3))
        t += rr * (1 + rng.uniform(-jitter, jitter))
    return out


def draw(rng: np.random.Generator, target: str, patient: Patient) -> dict[str, Any]:
    """Keyword arguments of ``EcgParams`` (less ``noise_seed``) for ``target``."""
    axis = _u(rng, 10, 70)
    p: dict[str, Any] = dict(qrs_ms=_u(rng, 80, 96), qtc_ms=_u(rng, 385, 425), morphology="normal", axis_deg=axis,
                             t_amplitude_mv=_u(rng, 0.3, 0.45), t_width_fraction=0.45, atrial="p",
                             p_amplitude_mv=_u(rng, 0.14, 0.2))  # fmt: skip
    pr = _u(rng, 0.13, 0.18)
    rate = _u(rng, 62, 95)
    if target == "sinus_bradycardia":
        rate = _u(rng, 40, 52)
    elif target == "sinus_tachycardia":
        rate, pr = _u(rng, 108, 128), _u(rng, 0.12, 0.15)
    elif target == "first_degree_av_block":
        rate, pr = _u(rng, 63, 80), _u(rng, 0.24, 0.3)
    elif target == "long_qt":
        rate, p["qtc_ms"] = _u(rng, 58, 85), _u(rng, 495, 540)
    elif target in ("lbbb", "rbbb"):
        p |= dict(morphology=target, qrs_ms=_u(rng, 136, 165), qtc_ms=_u(rng, 420, 440))
        if target == "lbbb":
            p["axis_deg"] = _u(rng, -20, 30)
    elif target == "hyperkalaemia":
        p |= dict(morphology="hyperkalaemia", qrs_ms=_u(rng, 100, 112), t_amplitude_mv=_u(rng, 0.95, 1.2),
                  t_width_fraction=0.5, p_amplitude_mv=_u(rng, 0.07, 0.1), qtc_ms=_u(rng, 390, 420))
    elif target in INJURY:
        angle, z = INJURY[target]
        for _ in range(1000):
            vec = ecg.frontal(angle + _u(rng, -8, 8), z) * _u(rng, 0.22, 0.4)
            st = ecg.st_deviation_truth(tuple(vec))
            limits = {lead: {0.1, criteria.st_threshold(lead, patient.sex, patient.age)} for lead in st}
            if all(abs(abs(v) - thr) >= ST_MARGIN_MV for lead, v in st.items() for thr in limits[lead]):
                break
        else:
            raise RuntimeError(f"no {target} injury vector clear of the ST thresholds")
        p["injury"] = tuple(round(float(v), 4) for v in vec)
    if target in TARGETS_STRIP[3:8] or target in ("atrial_fibrillation",):
        p.pop("p_amplitude_mv")
    if target == "atrial_fibrillation":
        rate = _u(rng, 75, 140)
        onsets, t = [], _u(rng, 0.1, 0.5)
        while t < ecg.DURATION_S - 0.05:
            onsets.append(round(t, 3))
            t += max(0.33, 60 / rate * (1 + rng.uniform(-0.35, 0.35)))
        return p | dict(qrs_onsets_s=onsets, atrial="fibrillation", atrial_amplitude_mv=_u(rng, 0.02, 0.04))
    if target.startswith("atrial_flutter"):
        f_rate = _u(rng, 270, 320)
        cycle = 60 / f_rate
        onsets, t = [], _u(rng, 0.1, 0.5)
        fixed = target.endswith("fixed_block")
        ratio = 4 if fixed else 0
        seq = [3, 4, 5]
        while t < ecg.DURATION_S - 0.05:
            onsets.append(round(t, 3))
            t += cycle * (ratio or int(rng.choice(seq)))
        if not fixed and len({round(b - a, 2) for a, b in zip(onsets, onsets[1:], strict=False)}) < 2:
            onsets = onsets[:2] + [round(o + cycle, 3) for o in onsets[2:] if o + cycle < ecg.DURATION_S - 0.05]
        return p | dict(qrs_onsets_s=onsets, atrial="flutter", atrial_rate=round(f_rate, 1),
                        atrial_amplitude_mv=_u(rng, 0.16, 0.22))  # fmt: skip
    if target == "supraventricular_tachycardia":
        return p | dict(qrs_onsets_s=_regular(rng, _u(rng, 165, 210), 0.005), atrial="none",
                        qtc_ms=_u(rng, 390, 420))  # fmt: skip
    if target == "ventricular_tachycardia":
        atrial = _regular(rng, _u(rng, 70, 90))
        return p | dict(qrs_onsets_s=_regular(rng, _u(rng, 130, 165), 0.005), atrial="p", morphology="ventricular",
                        qrs_ms=_u(rng, 155, 185), qtc_ms=_u(rng, 440, 470), axis_deg=_u(rng, -150, -100),
                        p_onsets_s=atrial, p_amplitude_mv=0.12)  # fmt: skip
    if target == "third_degree_av_block":
        atrial = _regular(rng, _u(rng, 85, 105))  # escape <= 36/min leaves >= 2 P waves between complexes
        wide = rng.random() < 0.5
        return p | dict(qrs_onsets_s=_regular(rng, _u(rng, 28, 36), 0.005), p_onsets_s=atrial,
                        morphology="ventricular" if wide else "normal",
                        qrs_ms=_u(rng, 140, 165) if wide else p["qrs_ms"],
                        axis_deg=_u(rng, -60, -30) if wide else axis, qtc_ms=_u(rng, 400, 440))  # fmt: skip
    if target.startswith("second_degree"):
        mobitz_i = target.endswith("mobitz_i")
        # atrial cycles long enough that the P waves clear the preceding T wave
        atrial = _regular(rng, _u(rng, 60, 72) if mobitz_i else _u(rng, 65, 85), 0.01)
        n = int(rng.choice([3, 4]))
        start = int(rng.integers(0, n))
        onsets, prs = [], []
        base = _u(rng, 0.16, 0.2)
        step = _u(rng, 0.06, 0.08)
        for k, a in enumerate(atrial):
            pos = (k + start) % n
            if pos == n - 1:
                continue  # the blocked P wave
            d = base + (step * (1 - 0.5**pos) * 2 if mobitz_i else 0.0)
            if a + d < ecg.DURATION_S - 0.05:
                onsets.append(round(a + d, 3))
                prs.append(d)
        extra = {}
        if not mobitz_i and rng.random() < 0.5:
            extra = dict(morphology="rbbb", qrs_ms=_u(rng, 136, 160), qtc_ms=_u(rng, 420, 440))
        return p | dict(qrs_onsets_s=onsets, p_onsets_s=atrial) | extra
    onsets = _regular(rng, rate)
    return p | dict(qrs_onsets_s=onsets, p_onsets_s=[round(t - pr, 3) for t in onsets])


def beats_and_atrial(e: EcgParams) -> tuple[tuple[ecg.Beat, ...], ecg.Atrial]:
    """The beat schedule and atrial activity of the parameters."""
    morph = ecg.morphology(e.morphology, e.axis_deg, e.t_amplitude_mv)
    morph = ecg.Morphology(morph.lobes, morph.t_vector, e.t_width_fraction if e.morphology == "hyperkalaemia"
                           else morph.t_width_fraction)  # fmt: skip
    beats = []
    on = e.qrs_onsets_s
    for i, t in enumerate(on):
        rr = (on[i] - on[i - 1]) if i else (on[1] - on[0] if len(on) > 1 else 1.0)
        beats.append(ecg.Beat(t, e.qrs_ms / 1000, e.qtc_ms / 1000 * math.sqrt(rr), morph))
    p_vec = tuple(ecg.frontal(55, 0.1) * e.p_amplitude_mv)
    atrial = ecg.Atrial(e.atrial, tuple(e.p_onsets_s), 0.1, p_vec, e.atrial_rate, e.atrial_amplitude_mv)
    return tuple(beats), atrial


def signal(e: EcgParams) -> np.ndarray:
    """The (12, N) signal in mV."""
    beats, atrial = beats_and_atrial(e)
    return ecg.synthesize(beats, atrial, e.injury, e.noise_seed, 0.006, tuple(e.artefact_leads), e.artefact_mv)


def truth(e: EcgParams, target: str, patient: Patient) -> EcgTruth:
    """What the parameters show, by the criteria applied to the model's own values."""
    rr = np.diff(e.qrs_onsets_s) * 1000
    rate = 60000 / float(np.mean(rr))
    rr_med = float(np.median(rr))
    qt = e.qtc_ms * math.sqrt(rr_med / 1000)
    rhythm = target
    if rhythm not in criteria.RHYTHMS:
        rhythm = criteria.sinus_by_rate(rate)
    pr = None
    if rhythm.startswith("sinus") or rhythm == "second_degree_av_block_mobitz_ii":
        pr = round((e.qrs_onsets_s[1] - max(p for p in e.p_onsets_s if p < e.qrs_onsets_s[1])) * 1000, 1)
    st = ecg.st_deviation_truth(e.injury)
    morph = ecg.morphology(e.morphology, e.axis_deg, e.t_amplitude_mv)
    findings = criteria.findings(
        pr_ms=pr, qrs_ms=e.qrs_ms, qtc_ms=e.qtc_ms, st_mv=st, bundle_branch_block=e.morphology
        if e.morphology in ("lbbb", "rbbb") else None, peaked_t=e.morphology == "hyperkalaemia",
        artefact=bool(e.artefact_leads), rhythm=rhythm, sex=patient.sex, age=patient.age,
    )  # fmt: skip
    return EcgTruth(rhythm=rhythm, findings=findings, ventricular_rate=round(rate, 1), pr_ms=pr,
                    qrs_ms=round(e.qrs_ms, 1), qt_ms=round(qt, 1), qtc_ms=round(e.qtc_ms, 1),
                    axis_deg=round(ecg.qrs_axis_truth(morph), 1), st_mv=st,
                    actions=criteria.urgent_actions(rhythm, findings))  # fmt: skip
