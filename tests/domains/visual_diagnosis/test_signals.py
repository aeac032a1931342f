"""The measurement programs agree with the generator's truth on every test-split study, within the stated
tolerances (``rhythms.TOLERANCES``), and the criteria read from the measurements give the truth's answers."""

from __future__ import annotations

import numpy as np
import pytest

from healthgym.mcp_servers.domains.visual_diagnosis import criteria, ecg, measure, rhythms, spirometry
from healthgym.mcp_servers.domains.visual_diagnosis.cases import Case

TOL = rhythms.TOLERANCES


def _ecg_cases(cases: list[Case]) -> list[Case]:
    return [c for c in cases if c.ecg is not None]


def test_every_test_ecg_measures_to_its_truth(test_cases: list[Case]) -> None:
    failures = []
    for c in _ecg_cases(test_cases):
        t, e, p = c.ecg, c.record.ecg, c.record.patient
        assert t is not None and e is not None
        m = measure.measure(rhythms.signal(e))
        rhythm = criteria.classify_rhythm(m)
        problems = []
        if rhythm != t.rhythm:
            problems.append(f"rhythm {rhythm} != {t.rhythm}")
        if abs(m.ventricular_rate - t.ventricular_rate) > TOL["ventricular_rate"]:
            problems.append(f"rate {m.ventricular_rate} vs {t.ventricular_rate}")
        if c.plan.kind == "twelve_lead":
            found = criteria.read_findings(m, rhythm, p.sex, p.age)
            if found != t.findings:
                problems.append(f"findings {found} != {t.findings}")
        if c.plan.kind == "intervals":
            prs = sorted(x for x in m.pr_ms if x is not None)
            pr = prs[len(prs) // 2] if prs else None
            checks = {"pr_ms": (pr, t.pr_ms), "qrs_ms": (m.qrs_ms, t.qrs_ms), "qtc_ms": (m.qtc_bazett_ms, t.qtc_ms),
                      "axis_deg": (m.axis_deg, t.axis_deg)}  # fmt: skip
            for name, (got, want) in checks.items():
                if want is not None and (got is None or abs(got - want) > TOL[name]):
                    problems.append(f"{name} {got} vs {want}")
        if c.plan.kind == "twelve_lead" and any(f.startswith("stemi_") for f in t.findings):
            worst = max(abs(m.st_mv[lead] - t.st_mv[lead]) for lead in t.st_mv if lead not in e.artefact_leads)
            if worst > TOL["st_mv"]:
                problems.append(f"ST off by {worst:.3f} mV")
        if problems:
            failures.append((c.record.case_id, c.plan.target, problems))
    assert not failures, f"{len(failures)} studies: {failures[:6]}"


def test_every_test_spirometry_reads_its_pattern(test_cases: list[Case]) -> None:
    for c in test_cases:
        s = c.record.spirometry
        if s is None:
            continue
        lp = spirometry.loop(s)
        m = spirometry.measure(lp.volume_l, lp.expiratory_flow_l_s, lp.inspiratory_flow_l_s, lp.time_s,
                               s.predicted_fev1_l)
        assert spirometry.interpret(m, s.lln_fev1_fvc, s.lln_fvc_l) == c.spirometry_pattern, c.record.case_id
        assert abs(m.fev1_fvc - s.lln_fev1_fvc) >= 0.05 or c.spirometry_pattern == "upper_airway_obstruction"


def test_the_lead_vectors_obey_einthoven_and_goldberger() -> None:
    """II = I + III, aVR = -(I + II)/2, aVL = (I - III)/2, aVF = (II + III)/2, so every limb-lead sample does."""
    i, ii, iii, avr, avl, avf = ecg.LEAD_VECTORS[:6]
    assert np.allclose(ii, i + iii)
    assert np.allclose(avr, -(i + ii) / 2)
    assert np.allclose(avl, (i - iii) / 2)
    assert np.allclose(avf, (ii + iii) / 2)


@pytest.mark.parametrize(("qrs_ms", "width"), [(90, "narrow"), (150, "wide")])
def test_qrs_duration_is_measured_from_the_signal(qrs_ms: float, width: str) -> None:
    onsets = [0.3 + k * 0.8 for k in range(12)]
    e = rhythms.EcgParams(qrs_onsets_s=onsets, qrs_ms=qrs_ms, qtc_ms=410, morphology="normal" if width == "narrow"
                          else "rbbb", axis_deg=45, t_amplitude_mv=0.35, t_width_fraction=0.45, atrial="p",
                          p_onsets_s=[o - 0.16 for o in onsets], noise_seed=3)  # fmt: skip
    m = measure.measure(rhythms.signal(e))
    assert abs(m.qrs_ms - qrs_ms) <= TOL["qrs_ms"]
    assert abs(m.ventricular_rate - 75) <= 1
    assert (m.qrs_ms >= 120) == (width == "wide")
