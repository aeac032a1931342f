"""Acute illness: early-warning scores, sepsis screens, organ failure and haemodynamic indices."""

from __future__ import annotations

from typing import Annotated, Literal

from healthgym.mcp_servers.calculators._fields import above, flag, pick, span
from healthgym.mcp_servers.calculators._scoring import up_to
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
    *, heart_rate_bpm: HeartRate, systolic_bp_mm_hg: Annotated[float, above(0, 300, "Systolic BP, mm Hg")]
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
