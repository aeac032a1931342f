"""The published tables each rule applies, as rows for the reference tool and the knowledge passages; generated from
the constants the rule modules use, so what an agent reads is what the grader applies."""

from __future__ import annotations

from healthgym.mcp_servers.domains.obstetrics import (
    anti_d,
    bpp,
    dating,
    fhr,
    gbs,
    gdm,
    hemorrhage,
    hypertension,
    magnesium,
)

SYSTEMS = ("dating", "gdm", "hypertension", "magnesium", "anti_d", "gbs", "bishop", "fhr", "pph", "bpp")
SOURCES = {
    "dating": f"{dating.SOURCE}; {dating.CRL_SOURCE}",
    "gdm": f"{gdm.ACOG_SOURCE}; {gdm.IADPSG_SOURCE}",
    "hypertension": f"{hypertension.SOURCE}; {hypertension.ACUTE_SOURCE}",
    "magnesium": magnesium.SOURCE,
    "anti_d": anti_d.SOURCE,
    "gbs": gbs.SOURCE,
    "fhr": fhr.SOURCE,
    "pph": hemorrhage.SOURCE,
    "bpp": bpp.SOURCE,
    "bishop": "Bishop EH. Pelvic scoring for elective induction. Obstet Gynecol 1964;24:266-8; ACOG Practice Bulletin "
    "107. Induction of labor, 2009",
}


def _dating() -> list[tuple[str, str]]:
    rows = [("naegele", "EDD by LMP = LMP + 280 days (40 weeks; regular 28-day cycle). Gestational age on a date = "
             "280 - days from that date to the EDD, in completed weeks and days."),
            ("crl", "Crown-rump length (3-84 mm) to gestational age: GA (days) = 8.052 x sqrt(CRL in mm) + 23.73, "
             "rounded to the nearest day (Robinson & Fleming 1975).")]  # fmt: skip
    for code, last, method, limit in dating.ROWS:
        upto = f"up to day {last}" if last < 10**5 else "day 196 or later"
        rows.append((code, f"Gestational age by LMP at the scan in this row ({upto}); measurement {method}; "
                     "re-date by ultrasound when the ultrasound and LMP ages differ by more "
                     f"than {limit} days (EDD = scan date + 280 - ultrasound GA); otherwise keep the LMP EDD."))
    return rows


def _gdm() -> list[tuple[str, str]]:
    fmt = lambda t: ", ".join(f"{k} >= {v}" for k, v in t.items())  # noqa: E731
    return [
        ("one_step_iadpsg", "75 g 2-hour OGTT, fasting: GDM when any one value is met or exceeded: "
         f"{fmt(gdm.IADPSG)} mg/dL."),
        ("two_step_gct", "50 g 1-hour glucose challenge, non-fasting: at or above the institution's threshold "
         "(130, 135 or 140 mg/dL) -> 100 g 3-hour OGTT; below it -> no GDM. A positive challenge with no OGTT "
         "yet -> OGTT needed."),
        ("carpenter_coustan", f"100 g OGTT thresholds: {fmt(gdm.CARPENTER_COUSTAN)} mg/dL; GDM when two or more "
         "values are met or exceeded; one abnormal value is not GDM."),
        ("nddg", f"100 g OGTT thresholds: {fmt(gdm.NDDG)} mg/dL; GDM when two or more values are met or exceeded."),
    ]


def _hypertension() -> list[tuple[str, str]]:
    h = hypertension
    return [
        ("hypertension", "Systolic >= 140 or diastolic >= 90 mm Hg on two occasions at least 4 hours apart after 20 "
         "weeks in a previously normotensive patient; or severe range confirmed (below)."),
        ("severe_range_bp", f"Systolic >= 160 or diastolic >= 110 on two readings at least {h.SEVERE_GAP_MIN} minutes "
         "apart: a severe feature, and an indication for acute antihypertensive therapy within 30-60 minutes (IV "
         "labetalol, IV hydralazine or immediate-release oral nifedipine)."),
        ("proteinuria", f">= {h.PROTEIN_24H_GE} mg per 24 h, or protein/creatinine ratio >= {h.UPCR_GE} mg/mg; "
         "dipstick 2+ counts only when no quantitative measure is available."),
        ("severe_features", f"severe_range_bp; thrombocytopenia (platelets < {h.PLATELETS_LT} x10^9/L); "
         "transaminases_2x_uln (AST or ALT at least twice the upper limit of normal); ruq_epigastric_pain (severe, "
         f"persistent); renal_insufficiency (creatinine > {h.CREATININE_GT} mg/dL); pulmonary_edema; "
         "headache_unresponsive (new headache unresponsive to medication); visual_disturbance."),
        ("gestational_hypertension", "New hypertension after 20 weeks without proteinuria or an end-organ feature; "
         "severe_gestational_hypertension when severe range is confirmed (managed as preeclampsia with severe "
         "features)."),
        ("preeclampsia", "New hypertension with proteinuria, or without proteinuria with any end-organ severe feature "
         "(every severe feature except severe_range_bp): preeclampsia_with_severe_features when any severe feature "
         "(including severe_range_bp) is present, otherwise preeclampsia_without_severe_features."),
        ("chronic_hypertension", "Hypertension before pregnancy or before 20 weeks. Superimposed preeclampsia with new "
         "proteinuria or an end-organ feature; superimposed_preeclampsia_with_severe_features when any severe feature "
         "is present."),
        ("magnesium_sulfate", "Seizure prophylaxis with magnesium sulfate for preeclampsia with severe features, "
         "superimposed preeclampsia with severe features, and severe gestational hypertension; not otherwise."),
        ("no_hypertensive_disorder", "No confirmed hypertension (a single elevated reading, or readings less than 4 "
         "hours apart, do not confirm it)."),
    ]


def _magnesium() -> list[tuple[str, str]]:
    lo, hi = magnesium.THERAPEUTIC_MG_DL
    return [
        ("therapeutic_range", f"Serum magnesium {lo}-{hi} mg/dL for seizure prophylaxis."),
        ("toxicity_signs", f"absent_patellar_reflexes; respiratory_depression (RR < {magnesium.RR_LT}/min); "
         f"serum_level_above_therapeutic (> {hi} mg/dL). Any sign -> stop_and_give_calcium_gluconate (stop the "
         "infusion, calcium gluconate 1 g IV)."),
        ("oliguria", f"Urine output < {magnesium.URINE_ML_H_LT} mL/h without a toxicity sign -> "
         "reduce_rate_check_level. Otherwise continue."),
    ]


def _anti_d() -> list[tuple[str, str]]:
    return [
        ("indication", "Rh(D)-negative mother, not alloimmunised to D, who delivered an Rh(D)-positive infant: anti-D "
         "within 72 hours. Not indicated: Rh-positive mother (not_indicated_mother_rh_positive), Rh-negative infant "
         "(not_indicated_infant_rh_negative), existing anti-D alloimmunisation (not_indicated_alloimmunized)."),
        ("dose", "Fetal-cell screen negative: one 300 ug vial. Positive: Kleihauer-Betke fetal cells (%) x 50 = fetal "
         "whole blood (mL); / 30 mL per vial; round down when the decimal is < 0.5, up when >= 0.5; add one vial."),
    ]


def _gbs() -> list[tuple[str, str]]:
    return [
        ("indicated", "Valid positive GBS culture (taken at 36 0/7 weeks or later and within 5 weeks; in preterm "
         "labour any culture within 5 weeks); GBS bacteriuria in this pregnancy; "
         "previous infant with invasive GBS disease; unknown status (no valid culture) with delivery "
         "< 37 0/7 weeks, membranes ruptured >= 18 h, intrapartum temperature >= 38.0 C, or positive intrapartum "
         "NAAT."),
        ("not_indicated", "Valid negative culture, even with risk factors; caesarean before labour with "
         "intact membranes; unknown status without a risk factor."),
        ("agents", "No penicillin allergy: penicillin_g (ampicillin acceptable). Low-risk allergy (no anaphylaxis, "
         "angioedema, respiratory distress, urticaria or severe cutaneous reaction): cefazolin. High-risk allergy: "
         "clindamycin if the isolate is susceptible to clindamycin and erythromycin, otherwise or if unknown "
         "vancomycin."),
    ]


def _bishop() -> list[tuple[str, str]]:
    return [
        ("dilation", "Cervical dilation: closed 0 points, 1-2 cm 1, 3-4 cm 2, >= 5 cm 3."),
        ("effacement", "Effacement: 0-30% 0 points, 40-50% 1, 60-70% 2, >= 80% 3."),
        ("station", "Station: -3 0 points, -2 1, -1 or 0 2, +1 or +2 3."),
        ("consistency", "Consistency: firm 0, medium 1, soft 2."),
        ("position", "Position: posterior 0, mid 1, anterior 2."),
        ("total", "Bishop score = the sum (0-13); > 8 favourable, 6 or less unfavourable for induction."),
    ]


def _fhr() -> list[tuple[str, str]]:
    w = fhr.VARIABILITY_PERIOD_S
    return [
        ("measurement", f"Samples once a second. Smooth with a {w}-second moving average (it cancels the "
         "variability). Episodes: runs of the smoothed series >= 15 bpm above (accelerations, >= 15 s at >= 32 "
         "weeks) or below (decelerations, >= 15 s) the baseline."),
        ("baseline", "Mean of the smoothed series outside episodes (and 30 s around them), rounded to increments of "
         "5 bpm; bradycardia < 110, tachycardia > 160."),
        ("variability", "Median peak-to-trough amplitude of the raw samples over 1-minute windows outside episodes: "
         "absent (undetectable, <= 1 bpm), minimal (<= 5), moderate (6-25), marked (> 25)."),
        ("decelerations", "Onset and end where the smoothed series is within 3 bpm of the baseline. Prolonged: lasts "
         ">= 2 minutes. Variable: abrupt, onset to nadir < 30 s. Early: gradual, nadir within 10 s of a contraction "
         "peak. Late: gradual, nadir more than 10 s after the peak. Recurrent: with >= 50% of contractions (nadir 30 "
         "s before to 60 s after the peak)."),
        ("category_iii", "Absent variability with recurrent late decelerations, recurrent variable decelerations or "
         "bradycardia (or a sinusoidal pattern): call the team to the bedside for evaluation and expedited delivery."),
        ("category_i", "Baseline 110-160, moderate variability, no late, variable or prolonged decelerations (early "
         "decelerations and accelerations may be present or absent)."),
        ("category_ii", "Every tracing that is neither Category I nor Category III."),
    ]


def _pph() -> list[tuple[str, str]]:
    h = hemorrhage
    return [
        ("qbl", "Quantitative blood loss (mL) = sum over weighed items of (wet g - dry g) (1 g = 1 mL) + canister or "
         "calibrated drape volume - the amniotic fluid and irrigation collected in it."),
        ("vital_sign_triggers", f"Heart rate >= {h.HR_GE}/min, blood pressure <= {h.SBP_LE}/{h.DBP_LE} mm Hg "
         f"(systolic <= {h.SBP_LE} or diastolic <= {h.DBP_LE}), SpO2 < {h.SPO2_LT}%."),
        ("pph", f"Postpartum haemorrhage (reVITALize, ACOG PB 183): cumulative blood loss >= {h.PPH_ML_GE} mL, or "
         "blood loss with signs of hypovolaemia (a vital-sign trigger), within 24 h of birth, any route."),
        ("stage_0", "None of the criteria below: routine care (active management of the third stage, QBL)."),
        ("stage_1", f"Blood loss > {h.STAGE1_ML_GT['vaginal']} mL after a vaginal birth or > "
         f"{h.STAGE1_ML_GT['cesarean']} mL after a caesarean, or a vital-sign trigger: fundal massage, increase "
         "oxytocin, type and crossmatch."),
        ("stage_2", f"Stage 1 criteria met and bleeding continues after the stage 1 measures, cumulative loss up to "
         f"{h.STAGE3_ML_GT} mL: additional uterotonics, mobilise the team, transfuse by clinical signs."),
        ("stage_3", f"Cumulative loss > {h.STAGE3_ML_GT} mL or more than {h.STAGE3_RBC_UNITS_GT} units of red cells "
         "given (or unstable vital signs or suspected DIC): activate the massive transfusion protocol "
         "(order massive_transfusion_protocol)."),
    ]


def _bpp() -> list[tuple[str, str]]:
    b = bpp
    return [
        ("nst", f"2 points when reactive: >= {b.ACCELERATIONS_GE} accelerations (>= 15 bpm, >= 15 s) in 20 minutes; "
         "else 0."),
        ("breathing", f"2 points for >= 1 episode of rhythmic fetal breathing lasting >= {b.BREATHING_S_GE} s within "
         "30 minutes; else 0."),
        ("movement", f"2 points for >= {b.MOVEMENTS_GE} discrete body or limb movements within 30 minutes; else 0."),
        ("tone", f"2 points for >= {b.TONE_EPISODES_GE} episode of extension of an extremity with return to flexion "
         "(or opening or closing of a hand); else 0."),
        ("fluid", f"2 points when the single deepest vertical pocket is > {b.DVP_CM_GT:g} cm; <= {b.DVP_CM_GT:g} cm "
         "is oligohydramnios (0 points)."),
        ("interpretation", "Score = sum (0-10): 8 or 10 normal, 6 equivocal, 4 or less abnormal; oligohydramnios "
         "needs further evaluation whatever the score."),
        ("management", "8-10 with normal fluid -> routine_surveillance; 8 with oligohydramnios -> "
         "oligohydramnios_evaluation; 6 with oligohydramnios -> deliver; 6 with normal fluid -> deliver at >= 37 0/7 "
         "weeks (259 days), repeat_bpp_24h before; 4 or less -> deliver."),
        ("modified_bpp", f"NST + amniotic fluid: normal when the NST is reactive and the DVP > {b.DVP_CM_GT:g} cm; "
         "abnormal otherwise (-> full BPP or contraction stress test)."),
    ]


_ROWS = {"dating": _dating, "gdm": _gdm, "hypertension": _hypertension, "magnesium": _magnesium,
         "anti_d": _anti_d, "gbs": _gbs, "bishop": _bishop, "fhr": _fhr, "pph": _pph, "bpp": _bpp}  # fmt: skip


def criteria_rows(system: str) -> list[tuple[str, str]]:
    """``(key, criterion)`` rows of a system's published table."""
    return _ROWS[system]()
