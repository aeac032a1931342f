"""Hand-checked worked examples of each rule, from the cited sources."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.domains.visual_diagnosis import criteria, spirometry
from healthgym.mcp_servers.domains.visual_diagnosis.measure import Measurements
from healthgym.mcp_servers.domains.visual_diagnosis.tools import calculate_qtc

LEADS = ("I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6")


def _st(**mv: float) -> dict[str, float]:
    return {lead: mv.get(lead, 0.0) for lead in LEADS}


@pytest.mark.parametrize(
    ("sex", "age", "v2_v3", "stemi"),
    [("male", 55, 0.21, True), ("male", 55, 0.19, False), ("male", 35, 0.22, False), ("male", 35, 0.26, True),
     ("female", 60, 0.16, True), ("female", 60, 0.14, False)],
)  # fmt: skip
def test_v2_v3_thresholds_follow_the_fourth_universal_definition(sex: str, age: int, v2_v3: float,
                                                                 stemi: bool) -> None:
    """Thygesen 2018: >= 0.2 mV in men >= 40, >= 0.25 mV in men < 40, >= 0.15 mV in women (V2-V3)."""
    found = criteria.stemi_territories(_st(V2=v2_v3, V3=v2_v3), sex, age)
    assert (found == ["stemi_anterior"]) is stemi


def test_inferior_stemi_needs_two_contiguous_leads_and_reciprocal_depression_is_read() -> None:
    assert criteria.stemi_territories(_st(III=0.2, aVF=0.15), "male", 60) == ["stemi_inferior"]
    assert criteria.stemi_territories(_st(III=0.2, V5=0.15), "male", 60) == []  # not contiguous
    found = criteria.findings(pr_ms=160, qrs_ms=90, qtc_ms=420, st_mv=_st(II=0.2, III=0.3, aVF=0.25, aVL=-0.15),
                              bundle_branch_block=None, peaked_t=False, artefact=False, rhythm="sinus_rhythm",
                              sex="male", age=60)  # fmt: skip
    assert found == ["stemi_inferior", "reciprocal_st_depression"]
    assert criteria.urgent_actions("sinus_rhythm", found) == ["activate_cath_lab"]


def test_st_criteria_are_not_read_through_lbbb() -> None:
    """With LBBB the STEMI thresholds do not apply (Sgarbossa's criteria do)."""
    found = criteria.findings(pr_ms=160, qrs_ms=150, qtc_ms=430, st_mv=_st(V1=0.3, V2=0.4, V3=0.3),
                              bundle_branch_block="lbbb", peaked_t=False, artefact=False, rhythm="sinus_rhythm",
                              sex="male", age=70)  # fmt: skip
    assert found == ["lbbb"]


@pytest.mark.parametrize(("qt", "rr", "bazett", "fridericia"), [(400, 1000, 400.0, 400.0), (360, 640, 450.0, 417.7)])
def test_qtc_formulas(qt: float, rr: float, bazett: float, fridericia: float) -> None:
    """Bazett QT/sqrt(RR), Fridericia QT/cbrt(RR) (Rautaharju 2009): 360 ms at RR 640 ms is 450 ms by Bazett."""
    out = calculate_qtc(qt, rr)
    assert out.bazett_ms == bazett and out.fridericia_ms == fridericia


@pytest.mark.parametrize(
    ("pr", "qtc", "sex", "expected"),
    [(210, 420, "male", ["first_degree_av_block"]), (200, 420, "male", []), (160, 455, "male", ["long_qt"]),
     (160, 455, "female", []), (160, 460, "female", ["long_qt"])],
)  # fmt: skip
def test_first_degree_block_and_long_qt_thresholds(pr: float, qtc: float, sex: str, expected: list[str]) -> None:
    """PR > 200 ms (Mason 2007); QTc >= 450 ms men, >= 460 ms women (Rautaharju 2009)."""
    found = criteria.findings(pr_ms=pr, qrs_ms=90, qtc_ms=qtc, st_mv=_st(), bundle_branch_block=None,
                              peaked_t=False, artefact=False, rhythm="sinus_rhythm", sex=sex, age=50)  # fmt: skip
    assert found == expected


def _m(**kw: object) -> Measurements:
    base: dict[str, object] = dict(r_peaks_s=(), rr_ms=(800.0,) * 10, ventricular_rate=75.0, rr_cv=0.01,
                                   atrial_waves_s=(), atrial_rate=75.0, atrial_cv=0.01, v1_wave_rate=0.0,
                                   v1_wave_cv=0.0, v1_waves_per_beat=0.0, pr_ms=(160.0,) * 11, qrs_ms=90.0,
                                   qt_ms=400.0, qtc_bazett_ms=430.0, qtc_fridericia_ms=420.0, axis_deg=45.0,
                                   st_mv=_st(), t_amplitude_mv=_st(), qrs_net_mv_s=_st(), terminal_qrs_mv=_st(),
                                   initial_qrs_mv=_st(), noise_mv=_st())  # fmt: skip
    return Measurements(**(base | kw))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kw", "rhythm"),
    [({}, "sinus_rhythm"), ({"ventricular_rate": 48.0, "atrial_rate": 48.0}, "sinus_bradycardia"),
     ({"rr_cv": 0.2, "atrial_rate": 0.0, "pr_ms": (None,) * 11}, "atrial_fibrillation"),
     ({"atrial_rate": 300.0}, "atrial_flutter_fixed_block"),
     ({"atrial_rate": 300.0, "rr_cv": 0.15}, "atrial_flutter_variable_block"),
     ({"ventricular_rate": 180.0, "atrial_rate": 0.0, "pr_ms": (None,) * 11}, "supraventricular_tachycardia"),
     ({"ventricular_rate": 160.0, "qrs_ms": 160.0, "atrial_rate": 80.0}, "ventricular_tachycardia"),
     ({"ventricular_rate": 35.0, "atrial_rate": 90.0, "rr_cv": 0.01}, "third_degree_av_block"),
     # 4:3 Wenckebach: PR 180, 240, 270 then a pause; the PR before the pause exceeds the one after by 90 ms
     ({"ventricular_rate": 60.0, "atrial_rate": 80.0, "rr_cv": 0.2, "rr_ms": (810.0, 780.0, 1410.0) * 3,
       "pr_ms": (180.0, 240.0, 270.0) * 3 + (180.0,)}, "second_degree_av_block_mobitz_i"),
     ({"ventricular_rate": 55.0, "atrial_rate": 80.0, "rr_cv": 0.3, "rr_ms": (750.0, 1500.0) * 4,
       "pr_ms": (180.0,) * 9}, "second_degree_av_block_mobitz_ii")],
)  # fmt: skip
def test_rhythm_rules(kw: dict[str, object], rhythm: str) -> None:
    assert criteria.classify_rhythm(_m(**kw)) == rhythm


def test_urgent_actions_follow_the_guidelines() -> None:
    assert criteria.urgent_actions("third_degree_av_block", []) == ["transcutaneous_pacing"]
    assert criteria.urgent_actions("second_degree_av_block_mobitz_ii", []) == ["transcutaneous_pacing"]
    assert criteria.urgent_actions("second_degree_av_block_mobitz_i", []) == []
    assert criteria.urgent_actions("ventricular_tachycardia", []) == ["synchronized_cardioversion"]
    assert criteria.urgent_actions("sinus_rhythm", ["hyperkalaemia"]) == ["iv_calcium"]
    assert criteria.urgent_actions("sinus_rhythm", ["artefact"]) == ["repeat_ecg"]


@pytest.mark.parametrize(
    ("m", "pattern"),
    [(spirometry.SpiroMeasurement(4.0, 2.2, 0.55, 5.0, 4.0, 1.5, 3.5, 7.3, 60.0), "obstructive"),
     (spirometry.SpiroMeasurement(2.4, 2.0, 0.83, 6.0, 4.0, 3.0, 3.5, 5.6, 70.0), "restrictive_pattern"),
     # fixed upper-airway lesion: FEV1 2000 mL / PEF 2.0 L/s (120 L/min) = 16.7 > 10; FEF50 = FIF50
     (spirometry.SpiroMeasurement(4.0, 2.0, 0.5, 2.0, 2.0, 1.9, 1.9, 16.7, 60.0), "upper_airway_obstruction"),
     (spirometry.SpiroMeasurement(4.5, 3.6, 0.8, 9.0, 5.0, 4.5, 4.5, 6.7, 98.0), "normal")],
)  # fmt: skip
def test_spirometry_patterns(m: spirometry.SpiroMeasurement, pattern: str) -> None:
    """ATS/ERS: FEV1/FVC < LLN obstructive; FVC < LLN with a normal ratio restrictive pattern; Empey > 10 with
    FEF50/FIF50 about 1 a fixed upper-airway obstruction (LLN ratio 0.7, LLN FVC 3.0 L here)."""
    assert spirometry.interpret(m, 0.7, 3.0) == pattern


def test_rhythm_partial_credit_is_clinically_adjacent_only() -> None:
    assert criteria.RHYTHM_PARTIAL["third_degree_av_block"] == {"second_degree_av_block_mobitz_ii": 0.5}
    assert "ventricular_tachycardia" not in criteria.RHYTHM_PARTIAL
    assert all(0 < v <= 0.5 for row in criteria.RHYTHM_PARTIAL.values() for v in row.values())
