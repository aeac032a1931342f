"""The published ECG criteria as rules over measurements: rhythm, findings and the urgent action each calls for.

Sources (``SOURCES``): the AHA/ACCF/HRS recommendations for the standardization and interpretation of the ECG
(Kligfield 2007 Part I; Mason 2007 Part II; Surawicz 2009 Part III; Rautaharju 2009 Part IV; Wagner 2009 Part VI),
the Fourth Universal Definition of MI (Thygesen 2018), Sgarbossa 1996, the ACC/AHA/HRS guidelines on bradycardia
(Kusumoto 2018), SVT (Page 2015), AF (January 2014) and ventricular arrhythmia (Al-Khatib 2017), the AHA 2020 ACLS
algorithms (Panchal 2020), hyperkalaemia ECG changes (Mattu 2000; UK Kidney Association 2020) and ECG artefact
(Knight 1999).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from healthgym.mcp_servers.domains.visual_diagnosis.measure import ARTEFACT_NOISE_MV, Measurements

RHYTHMS = ("sinus_rhythm", "sinus_bradycardia", "sinus_tachycardia", "atrial_fibrillation",
           "atrial_flutter_fixed_block", "atrial_flutter_variable_block", "supraventricular_tachycardia",
           "ventricular_tachycardia", "second_degree_av_block_mobitz_i", "second_degree_av_block_mobitz_ii",
           "third_degree_av_block")  # fmt: skip
FINDINGS = ("first_degree_av_block", "lbbb", "rbbb", "long_qt", "hyperkalaemia", "stemi_inferior", "stemi_anterior",
            "stemi_lateral", "reciprocal_st_depression", "artefact")  # fmt: skip
ACTIONS = ("activate_cath_lab", "transcutaneous_pacing", "synchronized_cardioversion", "adenosine",
           "iv_calcium", "repeat_ecg", "obstetric_bedside_evaluation")  # fmt: skip
TERRITORIES = {"stemi_inferior": ("II", "III", "aVF"), "stemi_anterior": ("V1", "V2", "V3", "V4"),
               "stemi_lateral": ("I", "aVL", "V5", "V6")}  # fmt: skip
"""Contiguous lead groups (Wagner 2009, Part VI; Thygesen 2018)."""
RHYTHM_PARTIAL: dict[str, dict[str, float]] = {
    "sinus_rhythm": {"sinus_bradycardia": 0.5, "sinus_tachycardia": 0.5},
    "sinus_bradycardia": {"sinus_rhythm": 0.5},
    "sinus_tachycardia": {"sinus_rhythm": 0.5, "supraventricular_tachycardia": 0.25},
    "atrial_flutter_fixed_block": {"atrial_flutter_variable_block": 0.5, "supraventricular_tachycardia": 0.25},
    "atrial_flutter_variable_block": {"atrial_flutter_fixed_block": 0.5, "atrial_fibrillation": 0.25},
    "atrial_fibrillation": {"atrial_flutter_variable_block": 0.25},
    "supraventricular_tachycardia": {"sinus_tachycardia": 0.25, "atrial_flutter_fixed_block": 0.25},
    "second_degree_av_block_mobitz_i": {"second_degree_av_block_mobitz_ii": 0.25},
    "second_degree_av_block_mobitz_ii": {"third_degree_av_block": 0.5, "second_degree_av_block_mobitz_i": 0.25},
    "third_degree_av_block": {"second_degree_av_block_mobitz_ii": 0.5},
}
"""Credit for a clinically adjacent wrong rhythm: the same mechanism at another rate or block pattern (0.5), or a
rhythm whose management overlaps (0.25: both need pacing, or both are narrow regular tachycardias). None for
ventricular tachycardia or for calling a high-grade block Mobitz I, whose management differs."""

SOURCES = {
    "rhythm": "Mason JW et al. AHA/ACCF/HRS recommendations for the standardization and interpretation of the ECG, "
              "Part II. J Am Coll Cardiol 2007;49:1128-35; Kusumoto FM et al. 2018 ACC/AHA/HRS bradycardia guideline. "
              "Circulation 2019;140:e382-482; Page RL et al. 2015 ACC/AHA/HRS SVT guideline. Circulation "
              "2016;133:e506-74; January CT et al. 2014 AHA/ACC/HRS AF guideline. Circulation 2014;130:e199-267",
    "intervals": "Kligfield P et al. AHA/ACCF/HRS recommendations, Part I. Circulation 2007;115:1306-24; "
                 "Rautaharju PM et al. Part IV: ST segment, T and U waves, and the QT interval. J Am Coll Cardiol "
                 "2009;53:982-91",
    "conduction": "Surawicz B et al. AHA/ACCF/HRS recommendations, Part III: intraventricular conduction "
                  "disturbances. J Am Coll Cardiol 2009;53:976-81",
    "ischemia": "Wagner GS et al. AHA/ACCF/HRS recommendations, Part VI: acute ischemia/infarction. J Am Coll "
                "Cardiol 2009;53:1003-11; Thygesen K et al. Fourth universal definition of myocardial infarction. "
                "Circulation 2018;138:e618-51; Sgarbossa EB et al. N Engl J Med 1996;334:481-7",
    "hyperkalaemia": "Mattu A, Brady WJ, Robinson DA. Electrocardiographic manifestations of hyperkalemia. Am J "
                     "Emerg Med 2000;18:721-9; UK Kidney Association. Treatment of acute hyperkalaemia in adults, 2020",
    "artefact": "Knight BP et al. Clinical consequences of electrocardiographic artifact mimicking ventricular "
                "tachycardia. N Engl J Med 1999;341:1270-4",
    "actions": "O'Gara PT et al. 2013 ACCF/AHA STEMI guideline. Circulation 2013;127:e362-425; Panchal AR et al. "
               "2020 AHA guidelines, adult advanced life support. Circulation 2020;142:S366-468; Al-Khatib SM et al. "
               "2017 AHA/ACC/HRS ventricular arrhythmia guideline. Circulation 2018;138:e272-391",
    "spirometry": "Pellegrino R et al. ATS/ERS interpretative strategies for lung function tests. Eur Respir J "
                  "2005;26:948-68; Stanojevic S et al. ERS/ATS technical standard on interpretive strategies for "
                  "routine lung function tests. Eur Respir J 2022;60:2101499; Miller RD, Hyatt RE. Evaluation of "
                  "obstructing lesions of the trachea and larynx by flow-volume loops. Am Rev Respir Dis "
                  "1973;108:475-81; Empey DW. Br J Dis Chest 1972;66:1-12",
    "ctg": "Macones GA et al. The 2008 NICHD workshop report on electronic fetal monitoring. Obstet Gynecol "
           "2008;112:661-6; ACOG Practice Bulletin 106, 2009",
}  # fmt: skip
SYSTEMS = tuple(SOURCES)

_ROWS: dict[str, tuple[tuple[str, str], ...]] = {
    "rhythm": (
        ("sinus", "P wave before every QRS with a constant PR; rate 60-100/min sinus rhythm, < 60 sinus bradycardia, "
                  "> 100 sinus tachycardia"),
        ("atrial_fibrillation", "no organized atrial activity (fibrillatory waves), irregularly irregular RR "
                                "(RR coefficient of variation >= 0.08 here), not every QRS preceded by a P at a "
                                "constant PR (10th-90th percentile spread < 40 ms)"),
        ("atrial_flutter", "regular atrial waves at 240-360/min (sawtooth in II, III, aVF; in V1 >= 1.4 waves per "
                           "beat); fixed "
                           "block: regular RR "
                           "(CV < 0.05); variable block: RR varies in multiples of the flutter cycle"),
        ("supraventricular_tachycardia", "regular narrow-QRS (< 120 ms) tachycardia >= 150/min without P waves "
                                         "before the QRS"),
        ("ventricular_tachycardia", "regular wide-QRS (>= 120 ms) tachycardia >= 120/min with atrioventricular "
                                    "dissociation; treat a wide regular tachycardia as VT"),
        ("second_degree_av_block_mobitz_i", "regular P waves, more P than QRS; the PR lengthens before the blocked "
                                            "P: the PR before a pause exceeds the PR after it by >= 40 ms (median "
                                            "over pauses); grouped beating"),
        ("second_degree_av_block_mobitz_ii", "regular P waves, more P than QRS; constant PR before and after the "
                                             "pauses (difference < 40 ms) with sudden blocked P waves"),
        ("third_degree_av_block", "regular P waves faster than a regular slow escape rhythm (RR CV < 0.05) with no "
                                  "fixed PR: complete atrioventricular dissociation"),
    ),
    "intervals": (
        ("first_degree_av_block", "PR > 200 ms with every P conducted"),
        ("qtc", "Bazett QTc = QT / sqrt(RR in s); prolonged (long QT) at >= 450 ms in men and >= 460 ms in women, "
                "read only with QRS < 120 ms"),
        ("axis", "frontal QRS axis from net QRS area in I and aVF: normal -30 to +90 degrees; left axis deviation "
                 "< -30; right axis deviation > +90"),
    ),
    "conduction": (
        ("lbbb", "QRS >= 120 ms; broad R in I, aVL, V5, V6 without septal q waves; QS or rS in V1 (net negative); "
                 "ST-T discordant"),
        ("rbbb", "QRS >= 120 ms; terminal R' in V1 (positive terminal 40 ms) and wide terminal S in I and V6"),
        ("readable", "bundle branch block is read in rhythms with discrete conducted P waves (sinus, second-degree "
                     "block); flutter and fibrillatory waves distort the terminal QRS, and VT and escape rhythms are "
                     "wide by origin"),
    ),
    "ischemia": (
        ("st_elevation", "new ST elevation at the J point in 2 contiguous leads: >= 0.1 mV in all leads other than "
                         "V2-V3; in V2-V3 >= 0.2 mV in men >= 40, >= 0.25 mV in men < 40, >= 0.15 mV in women"),
        ("territories", "inferior II, III, aVF; anterior V1-V4; lateral I, aVL, V5, V6"),
        ("readable", "ST criteria are read in sinus rhythms without LBBB (flutter waves, VT and LBBB distort the ST "
                     "segment; with LBBB use Sgarbossa)"),
        ("reciprocal", "ST depression >= 0.1 mV in leads opposite an ST-elevation territory supports STEMI"),
        ("sgarbossa", "with LBBB: concordant ST elevation >= 1 mm (5 points), concordant ST depression >= 1 mm in "
                      "V1-V3 (3 points), discordant ST elevation >= 5 mm (2 points); >= 3 points is specific for MI"),
    ),
    "hyperkalaemia": (
        ("peaked_t", "tall, narrow, peaked T waves (>= 0.9 mV in a precordial lead here); with rising potassium P "
                     "flattening, PR and QRS widening, then sine wave"),
        ("treatment", "ECG changes of hyperkalaemia call for IV calcium at once to stabilize the myocardium"),
    ),
    "artefact": (
        ("artefact", "high-frequency noise >= 0.05 mV (40+ Hz band) in a lead; read the rhythm in clean leads, "
                     "repeat the ECG; artefact can mimic VT"),
    ),
    "actions": (
        ("stemi", "ST-elevation MI: activate the catheterization laboratory for primary PCI (first medical contact "
                  "to device <= 90 min)"),
        ("pacing", "third-degree or Mobitz II AV block with bradycardia: transcutaneous pacing ready / started "
                   "while arranging transvenous pacing"),
        ("ventricular_tachycardia", "VT with a pulse and hypotension: synchronized cardioversion"),
        ("svt", "stable regular narrow-complex tachycardia: vagal manoeuvres then adenosine"),
        ("hyperkalaemia", "hyperkalaemia with ECG changes: IV calcium"),
        ("artefact", "artefact obscuring the tracing: repeat the ECG"),
    ),
    "spirometry": (
        ("obstructive", "FEV1/FVC below its lower limit of normal (LLN)"),
        ("restrictive_pattern", "FEV1/FVC >= LLN with FVC < LLN (possible restriction; confirm with TLC)"),
        ("upper_airway_obstruction", "fixed lesion: plateaus on both limbs, FEF50/FIF50 about 1 (0.8-1.2 here) "
                                     "and Empey index FEV1 (mL) / PEF (L/min) > 10"),
        ("normal", "FEV1/FVC >= LLN and FVC >= LLN without an upper-airway pattern"),
        ("fev1_percent_predicted", "FEV1 / predicted FEV1 x 100"),
    ),
    "ctg": (
        ("category_i", "baseline 110-160, moderate variability, no late, variable or prolonged decelerations"),
        ("category_iii", "absent variability with recurrent late or variable decelerations or bradycardia: bedside "
                         "evaluation and expedited delivery"),
        ("category_ii", "every other tracing"),
    ),
}  # fmt: skip


def criteria_rows(system: str) -> tuple[tuple[str, str], ...]:
    if system not in _ROWS:
        raise ValueError(f"system {system!r} is not one of {', '.join(SYSTEMS)}")
    return _ROWS[system]


def sinus_by_rate(rate: float) -> str:
    return "sinus_bradycardia" if rate < 60 else "sinus_tachycardia" if rate > 100 else "sinus_rhythm"


def classify_rhythm(m: Measurements) -> str:
    """The rhythm from rate, RR regularity, QRS width and atrial activity (``_ROWS['rhythm']``)."""
    wide = m.qrs_ms >= 120
    atrial_regular = m.atrial_cv < 0.1 and m.atrial_rate > 0
    flutter_ii = atrial_regular and 240 <= m.atrial_rate <= 360
    flutter_v1 = m.v1_waves_per_beat >= 1.4 and m.v1_wave_cv < 0.1 and 240 <= m.v1_wave_rate <= 360
    if (flutter_ii or flutter_v1) and max(m.atrial_rate, m.v1_wave_rate) > 1.5 * m.ventricular_rate:
        return "atrial_flutter_fixed_block" if m.rr_cv < 0.05 else "atrial_flutter_variable_block"
    if wide and m.ventricular_rate >= 120 and m.rr_cv < 0.08:
        return "ventricular_tachycardia"
    if not wide and m.ventricular_rate >= 150 and m.rr_cv < 0.05:
        return "supraventricular_tachycardia"
    sinus_like = atrial_regular and 45 <= m.atrial_rate <= 130
    if sinus_like and m.atrial_rate > 1.15 * m.ventricular_rate:
        if m.rr_cv < 0.05:
            return "third_degree_av_block"
        shortest = min(m.rr_ms)
        drops = [(m.pr_ms[i], m.pr_ms[i + 1]) for i, rr in enumerate(m.rr_ms)
                 if rr >= 1.4 * shortest and i + 1 < len(m.pr_ms)]  # PR before and after each pause
        diffs = sorted(a - b for a, b in drops if a is not None and b is not None)
        lengthening = diffs[len(diffs) // 2] if diffs else 0.0
        return "second_degree_av_block_mobitz_i" if lengthening >= 40 else "second_degree_av_block_mobitz_ii"
    prs = sorted(p for p in m.pr_ms if p is not None)
    spread = prs[int(0.9 * (len(prs) - 1))] - prs[int(0.1 * (len(prs) - 1))] if prs else math.inf
    conducted = len(prs) >= 0.8 * len(m.pr_ms) and spread < 40
    if m.rr_cv >= 0.08 and not (sinus_like and conducted):
        return "atrial_fibrillation"
    return sinus_by_rate(m.ventricular_rate)


def st_threshold(lead: str, sex: str, age: int) -> float:
    """ST-elevation threshold (mV) of a lead (Thygesen 2018)."""
    if lead in ("V2", "V3"):
        return 0.15 if sex == "female" else 0.2 if age >= 40 else 0.25
    return 0.1


def stemi_territories(st_mv: Mapping[str, float], sex: str, age: int, skip: Sequence[str] = ()) -> list[str]:
    """Territories with ST elevation meeting the threshold in >= 2 of their contiguous leads."""
    out = []
    for territory, leads in TERRITORIES.items():
        hits = [lead for lead in leads if lead not in skip and st_mv[lead] >= st_threshold(lead, sex, age)]
        if len(hits) >= 2:
            out.append(territory)
    return out


def findings(*, pr_ms: float | None, qrs_ms: float, qtc_ms: float, st_mv: Mapping[str, float],
             bundle_branch_block: str | None, peaked_t: bool, artefact: bool, rhythm: str, sex: str, age: int,
             noisy_leads: Sequence[str] = ()) -> list[str]:
    """The findings, in ``FINDINGS`` order, from interval values and morphology calls."""
    out: set[str] = set()
    if pr_ms is not None and pr_ms > 200 and rhythm.startswith("sinus"):
        out.add("first_degree_av_block")
    if bundle_branch_block and qrs_ms >= 120:
        out.add(bundle_branch_block)
    if qrs_ms < 120 and rhythm.startswith("sinus") and qtc_ms >= (460 if sex == "female" else 450):
        out.add("long_qt")
    if peaked_t:
        out.add("hyperkalaemia")
    readable = rhythm.startswith("sinus") and bundle_branch_block != "lbbb"
    territories = stemi_territories(st_mv, sex, age, noisy_leads) if readable else []
    out |= set(territories)
    if territories:
        elevated = {lead for t in territories for lead in TERRITORIES[t]}
        if any(st_mv[lead] <= -0.1 for lead in st_mv if lead not in elevated and lead not in noisy_leads):
            out.add("reciprocal_st_depression")
    if artefact:
        out.add("artefact")
    return [f for f in FINDINGS if f in out]


def bundle_branch_block(m: Measurements) -> str | None:
    """LBBB or RBBB from QRS width and morphology (``_ROWS['conduction']``); None when neither."""
    if m.qrs_ms < 120:
        return None
    if m.terminal_qrs_mv["V1"] > 0.05 and m.terminal_qrs_mv["I"] < 0 and m.terminal_qrs_mv["V6"] < 0:
        return "rbbb"
    if (m.qrs_net_mv_s["V1"] < 0 and m.qrs_net_mv_s["I"] > 0 and m.qrs_net_mv_s["V6"] > 0
            and m.initial_qrs_mv["I"] >= 0 and m.initial_qrs_mv["V6"] >= 0):
        return "lbbb"
    return None


def read_findings(m: Measurements, rhythm: str, sex: str, age: int) -> list[str]:
    """Findings from measurements: the rules above with the morphology calls made on the measured leads."""
    noisy = [lead for lead, v in m.noise_mv.items() if v >= ARTEFACT_NOISE_MV]
    prs = [p for p in m.pr_ms if p is not None]
    pr = sorted(prs)[len(prs) // 2] if prs and len(prs) >= len(m.pr_ms) * 0.8 else None
    precordial_t = max(m.t_amplitude_mv[lead] for lead in ("V2", "V3", "V4"))
    discrete_p = rhythm.startswith("sinus") or rhythm.startswith("second_degree")
    bbb = bundle_branch_block(m) if discrete_p else None
    return findings(pr_ms=pr, qrs_ms=m.qrs_ms, qtc_ms=m.qtc_bazett_ms, st_mv=m.st_mv, bundle_branch_block=bbb,
                    peaked_t=precordial_t >= 0.9 and rhythm.startswith("sinus"), artefact=bool(noisy), rhythm=rhythm,
                    sex=sex, age=age,
                    noisy_leads=noisy)  # fmt: skip


def urgent_actions(rhythm: str, found: Sequence[str]) -> list[str]:
    """The urgent actions a reading calls for (``_ROWS['actions']``), in ``ACTIONS`` order."""
    out = set()
    if any(f.startswith("stemi_") for f in found):
        out.add("activate_cath_lab")
    if rhythm in ("third_degree_av_block", "second_degree_av_block_mobitz_ii"):
        out.add("transcutaneous_pacing")
    if rhythm == "ventricular_tachycardia":
        out.add("synchronized_cardioversion")
    if rhythm == "supraventricular_tachycardia":
        out.add("adenosine")
    if "hyperkalaemia" in found:
        out.add("iv_calcium")
    if "artefact" in found:
        out.add("repeat_ecg")
    return [a for a in ACTIONS if a in out]
