"""Cardiovascular risk: chest pain, atrial fibrillation, perioperative and long-term coronary risk, QT correction."""

from __future__ import annotations

import math
from typing import Annotated, Literal

from healthgym.mcp_servers.calculators._fields import Sex, flag, pick, span
from healthgym.mcp_servers.calculators._scoring import up_to
from healthgym.mcp_servers.calculators.registry import calculator
from healthgym.mcp_servers.calculators.result import CalcResult


@calculator("HEART score for major cardiac events")
def heart_score(
    *,
    history: Annotated[
        Literal["slightly_suspicious", "moderately_suspicious", "highly_suspicious"],
        pick("Anginal character of the history: slightly (0), moderately (1) or highly (2) suspicious"),
    ],
    ecg: Annotated[
        Literal["normal", "nonspecific_repolarization", "significant_st_deviation"],
        pick("ECG: normal (0), non-specific repolarisation disturbance (1), significant ST deviation (2)"),
    ],
    age_years: Annotated[float, span(18, 120, "Age, years")],
    hypertension: Annotated[bool, flag("hypertension is present")],
    hypercholesterolemia: Annotated[bool, flag("hypercholesterolaemia is present")],
    diabetes: Annotated[bool, flag("diabetes mellitus is present")],
    smoker: Annotated[bool, flag("the patient smokes or stopped less than 3 months ago")],
    family_history: Annotated[bool, flag("a parent or sibling had cardiovascular disease before 65")],
    obesity: Annotated[bool, flag("BMI is above 30 kg/m2")],
    atherosclerotic_disease: Annotated[
        bool, flag("known atherosclerotic disease: prior MI, PCI/CABG, stroke/TIA or peripheral arterial disease")
    ],
    troponin_times_uln: Annotated[
        float, span(0, 10000, "Initial troponin as a multiple of the assay's upper normal limit (value / limit)")
    ],
) -> CalcResult:
    """HEART score, 0-10, for 6-week major adverse cardiac events in emergency chest pain.

    History 0-2; ECG 0-2; Age <45: 0, 45-64: 1, >=65: 2; Risk factors (hypertension, hypercholesterolaemia,
    diabetes, smoking, family history, obesity) none: 0, 1-2: 1, >=3 or atherosclerotic disease: 2; Troponin
    <= normal limit: 0, 1-3x: 1, >3x: 2. Bands 0-3 low (MACE 1.7%), 4-6 intermediate (16.6%), 7-10 high (50.1%).

    Source: Six AJ, Backus BE, Kelder JC. Chest pain in the emergency room: value of the HEART score. Neth Heart J
    2008;16:191-6; risks: Backus BE et al. A prospective validation of the HEART score. Int J Cardiol
    2013;168:2153-8.
    """
    risk_factor_count = sum((hypertension, hypercholesterolemia, diabetes, smoker, family_history, obesity))
    risk_points = 2 if atherosclerotic_disease or risk_factor_count >= 3 else min(risk_factor_count, 1)
    points = {
        "history": ["slightly_suspicious", "moderately_suspicious", "highly_suspicious"].index(history),
        "ecg": ["normal", "nonspecific_repolarization", "significant_st_deviation"].index(ecg),
        "age": 2 if age_years >= 65 else 1 if age_years >= 45 else 0,
        "risk_factors": risk_points,
        "troponin": 0 if troponin_times_uln <= 1 else 1 if troponin_times_uln <= 3 else 2,
    }
    total = sum(points.values())
    if total >= 7:
        band = "high (7-10): 6-week MACE 50.1%"
    elif total >= 4:
        band = "intermediate (4-6): 6-week MACE 16.6%"
    else:
        band = "low (0-3): 6-week MACE 1.7%"
    return CalcResult(
        calculator="heart_score",
        value=total,
        unit="points",
        band=band,
        points=points,
        source="Six AJ et al. Neth Heart J 2008;16:191-6; Backus BE et al. Int J Cardiol 2013;168:2153-8.",
    )


AgeYears = Annotated[float, span(18, 120, "Age, years")]


@calculator("CHA2DS2-VASc stroke risk in atrial fibrillation")
def cha2ds2_vasc(
    *,
    age_years: AgeYears,
    sex: Annotated[Sex, pick("Sex (female scores 1)")],
    heart_failure: Annotated[bool, flag("there is congestive heart failure or LV dysfunction")],
    hypertension: Annotated[bool, flag("there is hypertension")],
    stroke_tia_thromboembolism: Annotated[bool, flag("there was a prior stroke, TIA or thromboembolism")],
    vascular_disease: Annotated[
        bool, flag("there is vascular disease: prior MI, peripheral artery disease, aortic plaque")
    ],
    diabetes: Annotated[bool, flag("there is diabetes mellitus")],
) -> CalcResult:
    """CHA2DS2-VASc, 0-9: CHF 1, Hypertension 1, Age >=75 2, Diabetes 1, Stroke/TIA/thromboembolism 2, Vascular
    disease 1, Age 65-74 1, Sex category female 1.

    ESC 2020: anticoagulation not indicated at 0 (men) or 1 (women), to be considered at 1 (men) or 2 (women),
    recommended at 2 or more (men) or 3 or more (women).

    Source: Lip GY et al. Refining clinical risk stratification for predicting stroke and thromboembolism in atrial
    fibrillation. Chest 2010;137:263-72; Hindricks G et al. 2020 ESC AF guidelines. Eur Heart J 2021;42:373-498.
    """
    points = {
        "heart_failure": int(heart_failure),
        "hypertension": int(hypertension),
        "age": 2 if age_years >= 75 else 1 if age_years >= 65 else 0,
        "diabetes": int(diabetes),
        "stroke_tia_thromboembolism": 2 * stroke_tia_thromboembolism,
        "vascular_disease": int(vascular_disease),
        "sex_female": int(sex == "female"),
    }
    total = sum(points.values())
    non_sex = total - points["sex_female"]
    band = up_to(
        non_sex,
        ((0, "low: anticoagulation not indicated"), (1, "intermediate: consider anticoagulation")),
        "high: anticoagulation recommended",
    )
    return CalcResult(
        calculator="cha2ds2_vasc",
        value=total,
        unit="points",
        band=band,
        points=points,
        source="Lip GY et al. Chest 2010;137:263-72; ESC 2020 AF guideline.",
    )


@calculator("HAS-BLED major bleeding risk")
def has_bled(
    *,
    uncontrolled_hypertension: Annotated[bool, flag("hypertension is uncontrolled (systolic above 160 mm Hg)")],
    abnormal_renal_function: Annotated[
        bool, flag("renal function is abnormal: dialysis, transplant, or creatinine >=200 umol/L (2.26 mg/dL)")
    ],
    abnormal_liver_function: Annotated[
        bool, flag("liver function is abnormal: cirrhosis, or bilirubin >2x and AST/ALT >3x the upper limit")
    ],
    stroke: Annotated[bool, flag("there was a prior stroke")],
    bleeding_history: Annotated[bool, flag("there was prior major bleeding or a predisposition to bleeding")],
    labile_inr: Annotated[bool, flag("INR is labile (time in therapeutic range below 60%)")],
    age_years: AgeYears,
    antiplatelet_or_nsaid: Annotated[bool, flag("the patient takes antiplatelet drugs or NSAIDs")],
    alcohol_drinks_per_week: Annotated[float, span(0, 200, "Alcoholic drinks per week (8 or more scores 1)")],
) -> CalcResult:
    """HAS-BLED, 0-9: Hypertension, Abnormal renal and liver function (1 each), Stroke, Bleeding, Labile INR,
    Elderly (>65), Drugs and alcohol (1 each). A score of 3 or more marks high risk: correct what can be corrected.

    Source: Pisters R et al. A novel user-friendly score (HAS-BLED) to assess 1-year risk of major bleeding in
    patients with atrial fibrillation. Chest 2010;138:1093-100.
    """
    points = {
        "hypertension": int(uncontrolled_hypertension),
        "renal": int(abnormal_renal_function),
        "liver": int(abnormal_liver_function),
        "stroke": int(stroke),
        "bleeding": int(bleeding_history),
        "labile_inr": int(labile_inr),
        "elderly": int(age_years > 65),
        "drugs": int(antiplatelet_or_nsaid),
        "alcohol": int(alcohol_drinks_per_week >= 8),
    }
    total = sum(points.values())
    return CalcResult(
        calculator="has_bled",
        value=total,
        unit="points",
        band="high risk (>=3)" if total >= 3 else "low to moderate risk (0-2)",
        points=points,
        source="Pisters R et al. Chest 2010;138:1093-100.",
    )


@calculator("Revised Cardiac Risk Index (Lee)")
def revised_cardiac_risk_index(
    *,
    high_risk_surgery: Annotated[bool, flag("the surgery is intraperitoneal, intrathoracic or suprainguinal vascular")],
    ischemic_heart_disease: Annotated[bool, flag("there is ischaemic heart disease")],
    heart_failure: Annotated[bool, flag("there is a history of congestive heart failure")],
    cerebrovascular_disease: Annotated[bool, flag("there is a history of stroke or TIA")],
    insulin_treatment: Annotated[bool, flag("diabetes is treated with insulin before surgery")],
    creatinine_mg_dl: Annotated[float, span(0.1, 25, "Preoperative serum creatinine, mg/dL (above 2 scores 1)")],
) -> CalcResult:
    """Revised Cardiac Risk Index, 0-6, one point per predictor; creatinine above 2.0 mg/dL counts.

    Major cardiac complications in the validation cohort: class I (0) 0.4%, II (1) 0.9%, III (2) 6.6%, IV (>=3) 11%.

    Source: Lee TH et al. Derivation and prospective validation of a simple index for prediction of cardiac risk of
    major noncardiac surgery. Circulation 1999;100:1043-9.
    """
    points = {
        "high_risk_surgery": int(high_risk_surgery),
        "ischemic_heart_disease": int(ischemic_heart_disease),
        "heart_failure": int(heart_failure),
        "cerebrovascular_disease": int(cerebrovascular_disease),
        "insulin_treatment": int(insulin_treatment),
        "creatinine_above_2": int(creatinine_mg_dl > 2),
    }
    total = sum(points.values())
    band = up_to(total, ((0, "class I: 0.4%"), (1, "class II: 0.9%"), (2, "class III: 6.6%")), "class IV: 11%")
    return CalcResult(
        calculator="revised_cardiac_risk_index",
        value=total,
        unit="points",
        band=band + " major cardiac complications",
        points=points,
        source="Lee TH et al. Circulation 1999;100:1043-9.",
    )


@calculator("Framingham 10-year risk of hard coronary heart disease (ATP III)")
def framingham_hard_chd(
    *,
    age_years: Annotated[float, span(20, 79, "Age, years (the ATP III tool covers 20-79)")],
    sex: Annotated[Sex, pick("Sex (separate equations)")],
    smoker: Annotated[bool, flag("the patient currently smokes")],
    total_cholesterol_mg_dl: Annotated[float, span(50, 600, "Total cholesterol, mg/dL (mmol/L x 38.67)")],
    hdl_mg_dl: Annotated[float, span(5, 200, "HDL cholesterol, mg/dL (mmol/L x 38.67)")],
    systolic_bp_mm_hg: Annotated[float, span(60, 300, "Systolic blood pressure, mm Hg")],
    bp_treated: Annotated[bool, flag("blood pressure is treated with medication")],
) -> CalcResult:
    """10-year risk (%) of myocardial infarction or coronary death, by the ATP III Framingham equations.

    Men: 52.00961 ln(age) + 20.014077 ln(TC) - 0.905964 ln(HDL) + 1.305784 ln(SBP) + 0.241549 treated + 12.096316
    smoker - 4.605038 ln(age) ln(TC) - 2.84367 ln(age_s) smoker - 2.93323 ln(age)^2 - 172.300168;
    risk = 1 - 0.9402^exp(sum), age_s = min(age, 70).
    Women: 31.764001 ln(age) + 22.465206 ln(TC) - 1.187731 ln(HDL) + 2.552905 ln(SBP) + 0.420251 treated + 13.07543
    smoker - 5.060998 ln(age) ln(TC) - 2.996945 ln(age_s) smoker - 146.5933061;
    risk = 1 - 0.98767^exp(sum), age_s = min(age, 78). Bands: <10% low, 10-20% intermediate, >20% high.

    Source: Expert Panel on Detection, Evaluation, and Treatment of High Blood Cholesterol in Adults. Third Report of
    the NCEP (ATP III). Circulation 2002;106:3143-421; Wilson PW et al. Prediction of coronary heart disease using
    risk factor categories. Circulation 1998;97:1837-47.
    """
    ln_age, ln_tc, ln_hdl, ln_sbp = (
        math.log(x) for x in (age_years, total_cholesterol_mg_dl, hdl_mg_dl, systolic_bp_mm_hg)
    )
    treated, smokes = float(bp_treated), float(smoker)
    if sex == "male":
        ln_age_smoke = math.log(min(age_years, 70))
        terms = {
            "age": 52.00961 * ln_age - 2.93323 * ln_age * ln_age,
            "total_cholesterol": 20.014077 * ln_tc - 4.605038 * ln_age * ln_tc,
            "hdl": -0.905964 * ln_hdl,
            "systolic_bp": 1.305784 * ln_sbp + 0.241549 * treated,
            "smoker": 12.096316 * smokes - 2.84367 * ln_age_smoke * smokes,
            "constant": -172.300168,
        }
        baseline_survival = 0.9402
    else:
        ln_age_smoke = math.log(min(age_years, 78))
        terms = {
            "age": 31.764001 * ln_age,
            "total_cholesterol": 22.465206 * ln_tc - 5.060998 * ln_age * ln_tc,
            "hdl": -1.187731 * ln_hdl,
            "systolic_bp": 2.552905 * ln_sbp + 0.420251 * treated,
            "smoker": 13.07543 * smokes - 2.996945 * ln_age_smoke * smokes,
            "constant": -146.5933061,
        }
        baseline_survival = 0.98767
    risk = 100 * (1 - baseline_survival ** math.exp(sum(terms.values())))
    return CalcResult(
        calculator="framingham_hard_chd",
        value=round(risk, 2),
        unit="% over 10 years",
        band="low (<10%)" if risk < 10 else "intermediate (10-20%)" if risk <= 20 else "high (>20%)",
        points={name: round(term, 4) for name, term in terms.items()},
        source="NCEP ATP III. Circulation 2002;106:3143-421.",
    )


QtInterval = Annotated[float, span(150, 800, "Measured QT interval, ms")]
QtHeartRate = Annotated[float, span(20, 300, "Heart rate, beats/min (RR interval = 60 / rate, seconds)")]


def _qtc_band(qtc_ms: float) -> str:
    """QTc interpretation: AHA/ACCF/HRS 2009 (prolonged >=450 ms men, >=460 ms women; short <=390 ms) and the
    500 ms threshold for torsades risk (Drew BJ et al. Circulation 2010;121:1047-60)."""
    if qtc_ms >= 500:
        return "markedly prolonged (>=500 ms): torsades risk"
    if qtc_ms >= 450:
        return "prolonged (>=450 ms in men, >=460 ms in women)"
    return "normal (391-449 ms)" if qtc_ms > 390 else "short (<=390 ms)"


def _qtc(name: str, value: float, qt_ms: float, heart_rate_bpm: float, source: str) -> CalcResult:
    return CalcResult(
        calculator=name,
        value=round(value, 2),
        unit="ms",
        band=_qtc_band(value),
        points={"qt_ms": qt_ms, "rr_s": round(60 / heart_rate_bpm, 4), "correction_ms": round(value - qt_ms, 4)},
        source=source,
    )


@calculator("QTc (Bazett)")
def qtc_bazett(*, qt_interval_ms: QtInterval, heart_rate_bpm: QtHeartRate) -> CalcResult:
    """QTc = QT / sqrt(RR), RR in seconds. Overcorrects at high heart rates.

    Source: Bazett HC. An analysis of the time-relations of electrocardiograms. Heart 1920;7:353-70.
    """
    value = qt_interval_ms / math.sqrt(60 / heart_rate_bpm)
    return _qtc("qtc_bazett", value, qt_interval_ms, heart_rate_bpm, "Bazett HC. Heart 1920;7:353-70.")


@calculator("QTc (Fridericia)")
def qtc_fridericia(*, qt_interval_ms: QtInterval, heart_rate_bpm: QtHeartRate) -> CalcResult:
    """QTc = QT / RR^(1/3), RR in seconds.

    Source: Fridericia LS. Die Systolendauer im Elektrokardiogramm bei normalen Menschen und bei Herzkranken.
    Acta Med Scand 1920;53:469-86.
    """
    value = qt_interval_ms / (60 / heart_rate_bpm) ** (1 / 3)
    return _qtc(
        "qtc_fridericia", value, qt_interval_ms, heart_rate_bpm, "Fridericia LS. Acta Med Scand 1920;53:469-86."
    )


@calculator("QTc (Framingham)")
def qtc_framingham(*, qt_interval_ms: QtInterval, heart_rate_bpm: QtHeartRate) -> CalcResult:
    """QTc = QT + 154 x (1 - RR), ms, RR in seconds.

    Source: Sagie A et al. An improved method for adjusting the QT interval for heart rate (the Framingham Heart
    Study). Am J Cardiol 1992;70:797-801.
    """
    value = qt_interval_ms + 154 * (1 - 60 / heart_rate_bpm)
    return _qtc("qtc_framingham", value, qt_interval_ms, heart_rate_bpm, "Sagie A et al. Am J Cardiol 1992;70:797-801.")


@calculator("QTc (Hodges)")
def qtc_hodges(*, qt_interval_ms: QtInterval, heart_rate_bpm: QtHeartRate) -> CalcResult:
    """QTc = QT + 1.75 x (heart rate - 60), ms.

    Source: Hodges M et al. Bazett's QT correction reviewed: evidence that a linear QT correction for heart rate is
    better. J Am Coll Cardiol 1983;1:694 (abstract).
    """
    value = qt_interval_ms + 1.75 * (heart_rate_bpm - 60)
    return _qtc("qtc_hodges", value, qt_interval_ms, heart_rate_bpm, "Hodges M et al. J Am Coll Cardiol 1983;1:694.")


@calculator("QTc (Rautaharju)")
def qtc_rautaharju(*, qt_interval_ms: QtInterval, heart_rate_bpm: QtHeartRate) -> CalcResult:
    """QTc = QT x (120 + heart rate) / 180, ms.

    Source: Rautaharju PM, Mason JW, Akiyama T. New age- and sex-specific criteria for QT prolongation based on rate
    correction formulas that minimize bias at the upper normal limits. Int J Cardiol 2014;174:535-40.
    """
    value = qt_interval_ms * (120 + heart_rate_bpm) / 180
    return _qtc(
        "qtc_rautaharju", value, qt_interval_ms, heart_rate_bpm, "Rautaharju PM et al. Int J Cardiol 2014;174:535-40."
    )
