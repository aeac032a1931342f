"""Acute illness: early-warning scores, sepsis screens, organ failure and haemodynamic indices."""

from __future__ import annotations

from typing import Annotated, Literal

from healthgym.mcp_servers.calculators._fields import flag, pick, span, whole
from healthgym.mcp_servers.calculators._scoring import at_least, up_to
from healthgym.mcp_servers.calculators.pulmonary import alveolar_arterial_gradient
from healthgym.mcp_servers.calculators.registry import calculator
from healthgym.mcp_servers.calculators.result import CalcResult, CalculatorInputError

RespiratoryRate = Annotated[float, span(0, 80, "Respiratory rate, breaths/min")]
HeartRate = Annotated[float, span(0, 300, "Heart rate, beats/min")]
SystolicBP = Annotated[float, span(0, 300, "Systolic blood pressure, mm Hg")]
TemperatureC = Annotated[float, span(25, 45, "Body temperature, degrees Celsius")]
Consciousness = Literal["alert", "new_confusion", "voice", "pain", "unresponsive"]


@calculator("NEWS2 (National Early Warning Score 2)")
def news2(
    *,
    respiratory_rate_per_min: RespiratoryRate,
    spo2_percent: Annotated[float, span(0, 100, "Peripheral oxygen saturation, %")],
    on_supplemental_oxygen: Annotated[bool, flag("the patient is receiving supplemental oxygen")],
    systolic_bp_mm_hg: SystolicBP,
    heart_rate_bpm: HeartRate,
    consciousness: Annotated[
        Consciousness,
        pick("ACVPU level; new confusion, voice, pain and unresponsive all score 3"),
    ],
    temperature_c: TemperatureC,
    spo2_scale: Annotated[
        Literal[1, 2],
        pick("SpO2 scale: 1 (default per RCP) or 2, only for a prescribed target of 88-92% in hypercapnic failure"),
    ] = 1,
) -> CalcResult:
    """NEWS2 aggregate score, 0-20, with the RCP clinical-risk band.

    Respiration <=8: 3, 9-11: 1, 12-20: 0, 21-24: 2, >=25: 3. SpO2 scale 1 <=91: 3, 92-93: 2, 94-95: 1, >=96: 0.
    SpO2 scale 2 <=83: 3, 84-85: 2, 86-87: 1, 88-92 (or >=93 on air): 0, 93-94 on oxygen: 1, 95-96: 2, >=97: 3.
    Supplemental oxygen: 2. Systolic BP <=90: 3, 91-100: 2, 101-110: 1, 111-219: 0, >=220: 3. Pulse <=40: 3,
    41-50: 1, 51-90: 0, 91-110: 1, 111-130: 2, >=131: 3. Consciousness: new confusion, V, P or U: 3.
    Temperature <=35.0: 3, 35.1-36.0: 1, 36.1-38.0: 0, 38.1-39.0: 1, >=39.1: 2.
    Risk: 0-4 low; a single parameter scoring 3 low-medium (urgent ward-based response); 5-6 medium (urgent
    response threshold); >=7 high (emergency response).

    Source: Royal College of Physicians. National Early Warning Score (NEWS) 2: Standardising the assessment of
    acute-illness severity in the NHS. London: RCP, 2017.
    """
    if spo2_scale == 1:
        spo2_points = up_to(spo2_percent, ((91, 3), (93, 2), (95, 1)), 0)
    elif spo2_percent <= 92 or not on_supplemental_oxygen:
        spo2_points = up_to(spo2_percent, ((83, 3), (85, 2), (87, 1)), 0)
    else:
        spo2_points = up_to(spo2_percent, ((94, 1), (96, 2)), 3)
    points = {
        "respiratory_rate": up_to(respiratory_rate_per_min, ((8, 3), (11, 1), (20, 0), (24, 2)), 3),
        "spo2": spo2_points,
        "supplemental_oxygen": 2 if on_supplemental_oxygen else 0,
        "systolic_bp": up_to(systolic_bp_mm_hg, ((90, 3), (100, 2), (110, 1), (219, 0)), 3),
        "heart_rate": up_to(heart_rate_bpm, ((40, 3), (50, 1), (90, 0), (110, 1), (130, 2)), 3),
        "consciousness": 0 if consciousness == "alert" else 3,
        "temperature": up_to(temperature_c, ((35.0, 3), (36.0, 1), (38.0, 0), (39.0, 1)), 2),
    }
    total = sum(points.values())
    if total >= 7:
        band = "high (>=7): emergency response"
    elif total >= 5:
        band = "medium (5-6): urgent response"
    elif 3 in points.values():
        band = "low-medium (a single parameter scores 3): urgent ward-based response"
    else:
        band = "low (0-4): ward-based response"
    return CalcResult(
        calculator="news2",
        value=total,
        unit="points",
        band=band,
        points=points,
        source="Royal College of Physicians. National Early Warning Score (NEWS) 2. London: RCP, 2017.",
    )


@calculator("qSOFA (quick Sequential Organ Failure Assessment)")
def qsofa(
    *,
    respiratory_rate_per_min: RespiratoryRate,
    systolic_bp_mm_hg: SystolicBP,
    altered_mentation: Annotated[bool, flag("mentation is altered (GCS below 15)")],
) -> CalcResult:
    """qSOFA, 0-3: respiratory rate >=22/min, systolic BP <=100 mm Hg, altered mentation; 1 point each.

    A score >=2 in a patient with suspected infection identifies higher risk of death or prolonged ICU stay.

    Source: Seymour CW et al. Assessment of clinical criteria for sepsis (Sepsis-3). JAMA 2016;315:762-74;
    Singer M et al. JAMA 2016;315:801-10.
    """
    points = {
        "respiratory_rate": int(respiratory_rate_per_min >= 22),
        "systolic_bp": int(systolic_bp_mm_hg <= 100),
        "altered_mentation": int(altered_mentation),
    }
    total = sum(points.values())
    return CalcResult(
        calculator="qsofa",
        value=total,
        unit="points",
        band="positive (>=2): high risk of poor outcome" if total >= 2 else "negative (<2)",
        points=points,
        source="Seymour CW et al. JAMA 2016;315:762-74.",
    )


@calculator("SIRS criteria")
def sirs(
    *,
    temperature_c: TemperatureC,
    heart_rate_bpm: HeartRate,
    respiratory_rate_per_min: RespiratoryRate,
    wbc_10e9_l: Annotated[float, span(0, 500, "White cell count, x10^9/L (= x10^3/uL)")],
    paco2_mm_hg: Annotated[
        float | None, span(5, 200, "Arterial PaCO2, mm Hg, if measured (the respiratory criterion is RR or PaCO2)")
    ] = None,
    band_forms_percent: Annotated[
        float | None, span(0, 100, "Immature (band) neutrophils, % of white cells, if counted")
    ] = None,
) -> CalcResult:
    """Number of SIRS criteria met, 0-4; SIRS is >=2.

    Temperature >38 or <36 C; heart rate >90/min; respiratory rate >20/min or PaCO2 <32 mm Hg; white cells
    >12 or <4 x10^9/L or >10% immature bands. PaCO2 and bands are optional: when not measured they cannot meet
    their criterion, and the result says so in `points`.

    Source: Bone RC et al. Definitions for sepsis and organ failure (ACCP/SCCM Consensus Conference).
    Chest 1992;101:1644-55.
    """
    points = {
        "temperature": int(temperature_c > 38 or temperature_c < 36),
        "heart_rate": int(heart_rate_bpm > 90),
        "respiratory": int(respiratory_rate_per_min > 20 or (paco2_mm_hg is not None and paco2_mm_hg < 32)),
        "white_cells": int(
            wbc_10e9_l > 12 or wbc_10e9_l < 4 or (band_forms_percent is not None and band_forms_percent > 10)
        ),
    }
    total = sum(points.values())
    return CalcResult(
        calculator="sirs",
        value=total,
        unit="criteria",
        band="SIRS (>=2 criteria)" if total >= 2 else "SIRS criteria not met (<2)",
        points=points,
        source="Bone RC et al. Chest 1992;101:1644-55.",
    )


@calculator("Shock index")
def shock_index(
    *, heart_rate_bpm: HeartRate, systolic_bp_mm_hg: Annotated[float, span(20, 300, "Systolic blood pressure, mm Hg")]
) -> CalcResult:
    """Heart rate / systolic blood pressure (dimensionless).

    Normal 0.5-0.7; 1.0 marks impending and 1.5 manifest shock.

    Source: Allgower M, Burri C. "Schockindex". Dtsch Med Wochenschr 1967;92:1947-50.
    """
    value = heart_rate_bpm / systolic_bp_mm_hg
    if value >= 1.5:
        band = "manifest shock (>=1.5)"
    elif value >= 1.0:
        band = "impending shock (1.0-1.5)"
    elif value > 0.7:
        band = "elevated (0.7-1.0)"
    elif value >= 0.5:
        band = "normal (0.5-0.7)"
    else:
        band = "below the normal range (<0.5)"
    return CalcResult(
        calculator="shock_index",
        value=round(value, 3),
        unit="ratio",
        band=band,
        points={"heart_rate_bpm": heart_rate_bpm, "systolic_bp_mm_hg": systolic_bp_mm_hg},
        source="Allgower M, Burri C. Dtsch Med Wochenschr 1967;92:1947-50.",
    )


@calculator("Mean arterial pressure")
def mean_arterial_pressure(
    *,
    systolic_bp_mm_hg: Annotated[float, span(20, 300, "Systolic blood pressure, mm Hg")],
    diastolic_bp_mm_hg: Annotated[float, span(10, 250, "Diastolic blood pressure, mm Hg (not above systolic)")],
) -> CalcResult:
    """MAP = DBP + (SBP - DBP) / 3, mm Hg: diastole takes about two thirds of the cardiac cycle at rest.

    Band: below 65 mm Hg is under the initial resuscitation target in septic shock.

    Source: Sesso HD et al. Systolic and diastolic blood pressure, pulse pressure, and mean arterial pressure as
    predictors of cardiovascular disease risk in men. Hypertension 2000;36:801-7; target: Evans L et al. Surviving
    Sepsis Campaign 2021. Crit Care Med 2021;49:e1063-143.
    """
    if diastolic_bp_mm_hg > systolic_bp_mm_hg:
        raise CalculatorInputError(
            f"mean_arterial_pressure: diastolic_bp_mm_hg={diastolic_bp_mm_hg} exceeds "
            f"systolic_bp_mm_hg={systolic_bp_mm_hg}; diastolic must not be above systolic"
        )
    value = diastolic_bp_mm_hg + (systolic_bp_mm_hg - diastolic_bp_mm_hg) / 3
    return CalcResult(
        calculator="mean_arterial_pressure",
        value=round(value, 2),
        unit="mm Hg",
        band="below the 65 mm Hg septic-shock target" if value < 65 else "at or above 65 mm Hg",
        points={"diastolic_two_thirds": 2 * diastolic_bp_mm_hg / 3, "systolic_one_third": systolic_bp_mm_hg / 3},
        source="Sesso HD et al. Hypertension 2000;36:801-7.",
    )


Vasopressor = Annotated[float, span(0, 100, "Infusion for at least 1 hour, mcg/kg/min; 0 if not given")]
GcsTotal = Annotated[int, whole(3, 15, "Glasgow Coma Scale total (unsedated, or presumed)")]
CreatinineMgDl = Annotated[float, span(0.1, 25, "Serum creatinine, mg/dL (umol/L / 88.4)")]
Fio2 = Annotated[float, span(0.21, 1.0, "Inspired oxygen fraction (0.21 room air)")]


@calculator("SOFA (Sequential Organ Failure Assessment)")
def sofa(
    *,
    pao2_mm_hg: Annotated[float, span(10, 700, "Arterial PaO2, mm Hg (kPa x 7.50062)")],
    fio2_fraction: Fio2,
    respiratory_support: Annotated[bool, flag("the patient is on mechanical ventilation or CPAP")],
    platelets_10e9_l: Annotated[float, span(0, 2000, "Platelet count, x10^9/L (= x10^3/uL)")],
    bilirubin_mg_dl: Annotated[float, span(0.1, 80, "Total bilirubin, mg/dL (umol/L / 17.1)")],
    mean_arterial_pressure_mm_hg: Annotated[float, span(10, 250, "Mean arterial pressure, mm Hg")],
    gcs_total: GcsTotal,
    creatinine_mg_dl: CreatinineMgDl,
    dopamine_mcg_kg_min: Vasopressor = 0.0,
    dobutamine_mcg_kg_min: Vasopressor = 0.0,
    epinephrine_mcg_kg_min: Vasopressor = 0.0,
    norepinephrine_mcg_kg_min: Vasopressor = 0.0,
    urine_output_ml_day: Annotated[float | None, span(0, 20000, "Urine output, mL/day, if measured")] = None,
) -> CalcResult:
    """SOFA score, 0-24: six organ systems scored 0-4.

    Respiration PaO2/FiO2 <400: 1, <300: 2, <200 with respiratory support: 3, <100 with support: 4 (2 at most
    without support). Platelets (x10^9/L) <150: 1, <100: 2, <50: 3, <20: 4. Bilirubin (mg/dL) 1.2-1.9: 1,
    2.0-5.9: 2, 6.0-11.9: 3, >=12: 4. Cardiovascular MAP <70: 1; dopamine <=5 or any dobutamine: 2; dopamine >5 or
    epinephrine/norepinephrine <=0.1: 3; dopamine >15 or epinephrine/norepinephrine >0.1: 4. GCS 13-14: 1,
    10-12: 2, 6-9: 3, <6: 4. Renal creatinine (mg/dL) 1.2-1.9: 1, 2.0-3.4: 2, 3.5-4.9 or urine <500 mL/day: 3,
    >=5.0 or urine <200 mL/day: 4.

    Source: Vincent JL et al. The SOFA (Sepsis-related Organ Failure Assessment) score to describe organ
    dysfunction/failure. Intensive Care Med 1996;22:707-10.
    """
    ratio = pao2_mm_hg / fio2_fraction
    respiration = at_least(ratio, ((400, 0), (300, 1), (200, 2), (100, 3)), 4)
    if not respiratory_support:
        respiration = min(respiration, 2)
    pressors = (dopamine_mcg_kg_min, epinephrine_mcg_kg_min, norepinephrine_mcg_kg_min)
    if dopamine_mcg_kg_min > 15 or epinephrine_mcg_kg_min > 0.1 or norepinephrine_mcg_kg_min > 0.1:
        cardiovascular = 4
    elif dopamine_mcg_kg_min > 5 or epinephrine_mcg_kg_min > 0 or norepinephrine_mcg_kg_min > 0:
        cardiovascular = 3
    elif any(pressors) or dobutamine_mcg_kg_min > 0:
        cardiovascular = 2
    else:
        cardiovascular = int(mean_arterial_pressure_mm_hg < 70)
    renal = at_least(creatinine_mg_dl, ((5.0, 4), (3.5, 3), (2.0, 2), (1.2, 1)), 0)
    if urine_output_ml_day is not None:
        renal = max(renal, 4 if urine_output_ml_day < 200 else 3 if urine_output_ml_day < 500 else 0)
    points = {
        "respiration": respiration,
        "coagulation": at_least(platelets_10e9_l, ((150, 0), (100, 1), (50, 2), (20, 3)), 4),
        "liver": at_least(bilirubin_mg_dl, ((12, 4), (6, 3), (2, 2), (1.2, 1)), 0),
        "cardiovascular": cardiovascular,
        "cns": at_least(gcs_total, ((15, 0), (13, 1), (10, 2), (6, 3)), 4),
        "renal": renal,
    }
    total = sum(points.values())
    return CalcResult(
        calculator="sofa",
        value=total,
        unit="points",
        band=f"{total}/24; an acute rise of 2 or more with infection defines sepsis (Sepsis-3)",
        points=points,
        source="Vincent JL et al. Intensive Care Med 1996;22:707-10; Singer M et al. JAMA 2016;315:801-10.",
    )


@calculator("APACHE II")
def apache_ii(
    *,
    age_years: Annotated[float, span(16, 120, "Age, years")],
    temperature_c: Annotated[float, span(20, 45, "Core (rectal) temperature, degrees Celsius")],
    mean_arterial_pressure_mm_hg: Annotated[float, span(10, 250, "Mean arterial pressure, mm Hg")],
    heart_rate_bpm: Annotated[float, span(0, 300, "Heart rate, beats/min")],
    respiratory_rate_per_min: Annotated[float, span(0, 80, "Respiratory rate, breaths/min")],
    fio2_fraction: Fio2,
    arterial_ph: Annotated[float, span(6.5, 8.0, "Arterial pH")],
    sodium_mmol_l: Annotated[float, span(90, 200, "Serum sodium, mmol/L")],
    potassium_mmol_l: Annotated[float, span(1, 10, "Serum potassium, mmol/L")],
    creatinine_mg_dl: CreatinineMgDl,
    acute_renal_failure: Annotated[bool, flag("there is acute renal failure (creatinine points are doubled)")],
    hematocrit_percent: Annotated[float, span(5, 80, "Haematocrit, %")],
    wbc_10e9_l: Annotated[float, span(0, 500, "White cell count, x10^9/L (= x10^3/uL)")],
    gcs_total: GcsTotal,
    severe_organ_insufficiency_or_immunocompromised: Annotated[
        bool, flag("there is a history of severe organ insufficiency (liver, heart, lung, kidney) or immunocompromise")
    ],
    admission: Annotated[
        Literal["nonoperative", "emergency_postoperative", "elective_postoperative"],
        pick("Admission type, for the chronic-health points"),
    ],
    pao2_mm_hg: Annotated[float | None, span(10, 700, "Arterial PaO2, mm Hg; needed when FiO2 < 0.5")] = None,
    a_a_gradient_mm_hg: Annotated[
        float | None, span(-50, 700, "A-a gradient, mm Hg; needed when FiO2 >= 0.5 unless PaO2 and PaCO2 are given")
    ] = None,
    paco2_mm_hg: Annotated[
        float | None, span(5, 200, "Arterial PaCO2, mm Hg; with PaO2, gives the A-a gradient at sea level")
    ] = None,
) -> CalcResult:
    """APACHE II, 0-71 = acute physiology (12 variables, worst in the first 24 h) + age + chronic health.

    Physiology bands follow Knaus 1985 Table 1, both high and low abnormal ranges (e.g. MAP >=160: 4, 130-159: 3,
    110-129: 2, 70-109: 0, 50-69: 2, <=49: 4); oxygenation uses the A-a gradient when FiO2 >= 0.5, else PaO2;
    creatinine points double in acute renal failure; GCS contributes 15 - GCS. Age <=44: 0, 45-54: 2, 55-64: 3,
    65-74: 5, >=75: 6. Chronic health: 5 for nonoperative or emergency postoperative, 2 for elective postoperative
    patients with severe organ insufficiency or immunocompromise.

    Source: Knaus WA, Draper EA, Wagner DP, Zimmerman JE. APACHE II: a severity of disease classification system.
    Crit Care Med 1985;13:818-29.
    """
    if fio2_fraction >= 0.5:
        gradient = a_a_gradient_mm_hg
        if gradient is None and pao2_mm_hg is not None and paco2_mm_hg is not None:
            gradient = alveolar_arterial_gradient(fio2_fraction, pao2_mm_hg, paco2_mm_hg)
        if gradient is None:
            raise CalculatorInputError(
                "apache_ii: fio2_fraction >= 0.5 needs a_a_gradient_mm_hg (-50 to 700), or pao2_mm_hg and paco2_mm_hg"
            )
        oxygenation = at_least(gradient, ((500, 4), (350, 3), (200, 2)), 0)
    else:
        if pao2_mm_hg is None:
            raise CalculatorInputError("apache_ii: fio2_fraction < 0.5 needs pao2_mm_hg (10 to 700 mm Hg)")
        oxygenation = 0 if pao2_mm_hg > 70 else at_least(pao2_mm_hg, ((61, 1), (55, 3)), 4)
    creatinine_points = at_least(creatinine_mg_dl, ((3.5, 4), (2.0, 3), (1.5, 2), (0.6, 0)), 2)
    physiology = {
        "temperature": at_least(temperature_c, ((41, 4), (39, 3), (38.5, 1), (36, 0), (34, 1), (32, 2), (30, 3)), 4),
        "mean_arterial_pressure": at_least(
            mean_arterial_pressure_mm_hg, ((160, 4), (130, 3), (110, 2), (70, 0), (50, 2)), 4
        ),
        "heart_rate": at_least(heart_rate_bpm, ((180, 4), (140, 3), (110, 2), (70, 0), (55, 2), (40, 3)), 4),
        "respiratory_rate": at_least(
            respiratory_rate_per_min, ((50, 4), (35, 3), (25, 1), (12, 0), (10, 1), (6, 2)), 4
        ),
        "oxygenation": oxygenation,
        "arterial_ph": at_least(arterial_ph, ((7.7, 4), (7.6, 3), (7.5, 1), (7.33, 0), (7.25, 2), (7.15, 3)), 4),
        "sodium": at_least(sodium_mmol_l, ((180, 4), (160, 3), (155, 2), (150, 1), (130, 0), (120, 2), (111, 3)), 4),
        "potassium": at_least(potassium_mmol_l, ((7, 4), (6, 3), (5.5, 1), (3.5, 0), (3, 1), (2.5, 2)), 4),
        "creatinine": creatinine_points * (2 if acute_renal_failure else 1),
        "hematocrit": at_least(hematocrit_percent, ((60, 4), (50, 2), (46, 1), (30, 0), (20, 2)), 4),
        "white_cells": at_least(wbc_10e9_l, ((40, 4), (20, 2), (15, 1), (3, 0), (1, 2)), 4),
        "glasgow_coma_scale": 15 - gcs_total,
    }
    chronic = 0
    if severe_organ_insufficiency_or_immunocompromised:
        chronic = 2 if admission == "elective_postoperative" else 5
    points = {
        **physiology,
        "age": at_least(age_years, ((75, 6), (65, 5), (55, 3), (45, 2)), 0),
        "chronic_health": chronic,
    }
    total = sum(points.values())
    return CalcResult(
        calculator="apache_ii",
        value=total,
        unit="points",
        band=up_to(total, ((9, "0-9"), (19, "10-19"), (29, "20-29")), ">=30") + " (higher predicts higher mortality)",
        points=points,
        source="Knaus WA et al. Crit Care Med 1985;13:818-29.",
    )
