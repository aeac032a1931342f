"""Lungs: pneumonia severity (CURB-65, PSI/PORT) and the alveolar-arterial oxygen gradient."""

from __future__ import annotations

from typing import Annotated

from healthgym.mcp_servers.calculators._fields import Sex, flag, pick, span
from healthgym.mcp_servers.calculators._scoring import up_to
from healthgym.mcp_servers.calculators.registry import calculator
from healthgym.mcp_servers.calculators.result import CalcResult

RespiratoryRate = Annotated[float, span(0, 80, "Respiratory rate, breaths/min")]
SystolicBP = Annotated[float, span(0, 300, "Systolic blood pressure, mm Hg")]
BunMgDl = Annotated[float, span(1, 300, "Blood urea nitrogen, mg/dL (urea mmol/L x 2.8)")]


@calculator("CURB-65 pneumonia severity")
def curb_65(
    *,
    confusion: Annotated[bool, flag("there is new confusion (disorientation in person, place or time)")],
    bun_mg_dl: BunMgDl,
    respiratory_rate_per_min: RespiratoryRate,
    systolic_bp_mm_hg: SystolicBP,
    diastolic_bp_mm_hg: Annotated[float, span(0, 250, "Diastolic blood pressure, mm Hg")],
    age_years: Annotated[float, span(18, 120, "Age, years")],
) -> CalcResult:
    """CURB-65, 0-5: confusion; urea >7 mmol/L (BUN >19.6 mg/dL); respiratory rate >=30; systolic <90 or diastolic
    <=60 mm Hg; age >=65. 30-day mortality in the derivation: 0-1 low (1.5%), 2 intermediate (9.2%), 3-5 high (22%).

    Source: Lim WS et al. Defining community acquired pneumonia severity on presentation to hospital: an
    international derivation and validation study. Thorax 2003;58:377-82.
    """
    points = {
        "confusion": int(confusion),
        "urea_over_7_mmol_l": int(bun_mg_dl > 19.6),  # 7 mmol/L x 2.8
        "respiratory_rate_30_or_more": int(respiratory_rate_per_min >= 30),
        "low_blood_pressure": int(systolic_bp_mm_hg < 90 or diastolic_bp_mm_hg <= 60),
        "age_65_or_more": int(age_years >= 65),
    }
    total = sum(points.values())
    band = up_to(total, ((1, "low (0-1): 1.5% mortality"), (2, "intermediate (2): 9.2%")), "high (3-5): 22%")
    return CalcResult(
        calculator="curb_65",
        value=total,
        unit="points",
        band=band,
        points=points,
        source="Lim WS et al. Thorax 2003;58:377-82.",
    )


@calculator("Pneumonia Severity Index (PSI/PORT)")
def psi_port(
    *,
    age_years: Annotated[float, span(18, 120, "Age, years")],
    sex: Annotated[Sex, pick("Sex (women score age - 10)")],
    nursing_home_resident: Annotated[bool, flag("the patient lives in a nursing home")],
    neoplastic_disease: Annotated[bool, flag("there is active neoplastic disease")],
    liver_disease: Annotated[bool, flag("there is liver disease")],
    heart_failure: Annotated[bool, flag("there is congestive heart failure")],
    cerebrovascular_disease: Annotated[bool, flag("there is cerebrovascular disease")],
    renal_disease: Annotated[bool, flag("there is chronic renal disease")],
    altered_mental_status: Annotated[bool, flag("mental status is altered")],
    respiratory_rate_per_min: RespiratoryRate,
    systolic_bp_mm_hg: SystolicBP,
    temperature_c: Annotated[float, span(25, 45, "Temperature, degrees Celsius")],
    heart_rate_bpm: Annotated[float, span(0, 300, "Pulse, beats/min")],
    pleural_effusion: Annotated[bool, flag("the chest radiograph shows a pleural effusion")],
    arterial_ph: Annotated[float | None, span(6.5, 8.0, "Arterial pH, if measured")] = None,
    bun_mg_dl: Annotated[float | None, span(1, 300, "BUN, mg/dL, if measured (urea mmol/L x 2.8)")] = None,
    sodium_mmol_l: Annotated[float | None, span(90, 200, "Sodium, mmol/L, if measured")] = None,
    glucose_mg_dl: Annotated[float | None, span(10, 3000, "Glucose, mg/dL, if measured")] = None,
    hematocrit_percent: Annotated[float | None, span(5, 80, "Haematocrit, %, if measured")] = None,
    pao2_mm_hg: Annotated[float | None, span(10, 700, "Arterial PaO2, mm Hg, if measured")] = None,
    spo2_percent: Annotated[float | None, span(0, 100, "SaO2/SpO2, %, if measured (used when PaO2 is not)")] = None,
) -> CalcResult:
    """PSI points and risk class (I-V) for community-acquired pneumonia.

    Age (women -10); nursing home +10; neoplasm +30; liver +20; heart failure, cerebrovascular, renal +10 each;
    altered mental status +20; RR >=30 +20; SBP <90 +20; temperature <35 or >=40 C +15; pulse >=125 +10;
    pH <7.35 +30; BUN >=30 mg/dL +20; Na <130 +20; glucose >=250 mg/dL +10; haematocrit <30% +10; PaO2 <60 mm Hg
    (or SaO2 <90%) +10; pleural effusion +10. Laboratory values not measured count as normal, as in the derivation.
    Class I (step 1 of the rule): age <=50, none of the five comorbidities and none of the five examination findings;
    otherwise II <=70, III 71-90, IV 91-130, V >130 points.

    Source: Fine MJ et al. A prediction rule to identify low-risk patients with community-acquired pneumonia.
    N Engl J Med 1997;336:243-50.
    """
    history = {
        "nursing_home": 10 * nursing_home_resident,
        "neoplastic_disease": 30 * neoplastic_disease,
        "liver_disease": 20 * liver_disease,
        "heart_failure": 10 * heart_failure,
        "cerebrovascular_disease": 10 * cerebrovascular_disease,
        "renal_disease": 10 * renal_disease,
    }
    exam = {
        "altered_mental_status": 20 * altered_mental_status,
        "respiratory_rate": 20 * (respiratory_rate_per_min >= 30),
        "systolic_bp": 20 * (systolic_bp_mm_hg < 90),
        "temperature": 15 * (temperature_c < 35 or temperature_c >= 40),
        "pulse": 10 * (heart_rate_bpm >= 125),
    }
    hypoxaemia = (pao2_mm_hg is not None and pao2_mm_hg < 60) or (
        pao2_mm_hg is None and spo2_percent is not None and spo2_percent < 90
    )
    labs = {
        "ph": 30 * (arterial_ph is not None and arterial_ph < 7.35),
        "bun": 20 * (bun_mg_dl is not None and bun_mg_dl >= 30),
        "sodium": 20 * (sodium_mmol_l is not None and sodium_mmol_l < 130),
        "glucose": 10 * (glucose_mg_dl is not None and glucose_mg_dl >= 250),
        "hematocrit": 10 * (hematocrit_percent is not None and hematocrit_percent < 30),
        "oxygenation": 10 * hypoxaemia,
        "pleural_effusion": 10 * pleural_effusion,
    }
    points = {"age": age_years - 10 if sex == "female" else age_years, **history, **exam, **labs}
    total = sum(points.values())
    comorbid = any(points for name, points in history.items() if name != "nursing_home")
    if age_years <= 50 and not comorbid and not any(exam.values()):
        band = "class I: low risk (0.1% mortality)"
    else:
        band = up_to(
            total,
            ((70, "class II: low risk (0.6%)"), (90, "class III: low risk (0.9-2.8%)"), (130, "class IV (8.2-9.3%)")),
            "class V (27-31%)",
        )
    return CalcResult(
        calculator="psi_port",
        value=total,
        unit="points",
        band=band + " 30-day mortality",
        points=points,
        source="Fine MJ et al. N Engl J Med 1997;336:243-50.",
    )


def alveolar_arterial_gradient(fio2: float, pao2: float, paco2: float, barometric: float = 760.0) -> float:
    """A-a gradient, mm Hg, from the alveolar gas equation: FiO2 x (Patm - 47) - PaCO2 / 0.8 - PaO2."""
    return fio2 * (barometric - 47) - paco2 / 0.8 - pao2


@calculator("Alveolar-arterial oxygen gradient")
def a_a_gradient(
    *,
    fio2_fraction: Annotated[float, span(0.21, 1.0, "Inspired oxygen fraction (0.21 room air)")],
    pao2_mm_hg: Annotated[float, span(10, 700, "Arterial PaO2, mm Hg (kPa x 7.50062)")],
    paco2_mm_hg: Annotated[float, span(5, 200, "Arterial PaCO2, mm Hg (kPa x 7.50062)")],
    age_years: Annotated[float | None, span(0, 120, "Age, years, for the age-expected upper limit")] = None,
    barometric_pressure_mm_hg: Annotated[float, span(400, 800, "Barometric pressure, mm Hg (760 at sea level)")] = 760,
) -> CalcResult:
    """A-a gradient = FiO2 x (Patm - 47) - PaCO2 / 0.8 - PaO2, mm Hg (water vapour 47 mm Hg, RQ 0.8).

    The expected upper value on room air rises with age, about 2.5 + 0.21 x age.

    Source: alveolar gas equation, Riley RL, Cournand A. J Appl Physiol 1949;1:825-47; age relation: Mellemgaard K.
    The alveolar-arterial oxygen difference: its size and components in normal man. Acta Physiol Scand
    1966;67:10-20.
    """
    value = alveolar_arterial_gradient(fio2_fraction, pao2_mm_hg, paco2_mm_hg, barometric_pressure_mm_hg)
    band = ""
    if age_years is not None:
        expected = 2.5 + 0.21 * age_years
        band = f"{'above' if value > expected else 'within'} the age-expected {expected:.1f} mm Hg (room air)"
    return CalcResult(
        calculator="a_a_gradient",
        value=round(value, 2),
        unit="mm Hg",
        band=band,
        points={
            "alveolar_po2": round(fio2_fraction * (barometric_pressure_mm_hg - 47) - paco2_mm_hg / 0.8, 3),
            "arterial_po2": pao2_mm_hg,
        },
        source="Riley RL, Cournand A 1949; Mellemgaard K. Acta Physiol Scand 1966;67:10-20.",
    )
