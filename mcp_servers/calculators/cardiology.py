"""Cardiovascular risk: chest pain, atrial fibrillation, perioperative and long-term coronary risk, QT correction."""

from __future__ import annotations

from typing import Annotated, Literal

from healthgym.mcp_servers.calculators._fields import flag, pick, span
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
