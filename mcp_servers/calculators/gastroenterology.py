"""Gastrointestinal bleeding: the Glasgow-Blatchford score."""

from __future__ import annotations

from typing import Annotated

from healthgym.mcp_servers.calculators._fields import Sex, flag, pick, span
from healthgym.mcp_servers.calculators._scoring import at_least
from healthgym.mcp_servers.calculators.registry import calculator
from healthgym.mcp_servers.calculators.result import CalcResult


@calculator("Glasgow-Blatchford bleeding score")
def glasgow_blatchford(
    *,
    bun_mg_dl: Annotated[float, span(1, 300, "Blood urea nitrogen, mg/dL (urea mmol/L x 2.8)")],
    hemoglobin_g_dl: Annotated[float, span(1, 25, "Haemoglobin, g/dL (g/L / 10)")],
    sex: Annotated[Sex, pick("Sex (haemoglobin bands differ)")],
    systolic_bp_mm_hg: Annotated[float, span(0, 300, "Systolic blood pressure, mm Hg")],
    heart_rate_bpm: Annotated[float, span(0, 300, "Heart rate, beats/min")],
    melena: Annotated[bool, flag("melaena is present")],
    syncope: Annotated[bool, flag("the patient presented with syncope")],
    hepatic_disease: Annotated[bool, flag("there is a history or clinical evidence of liver disease")],
    cardiac_failure: Annotated[bool, flag("there is a history or clinical evidence of cardiac failure")],
) -> CalcResult:
    """Glasgow-Blatchford score, 0-23, for need of intervention in upper GI bleeding.

    Urea (mmol/L) 6.5-<8: 2, 8-<10: 3, 10-<25: 4, >=25: 6 (BUN mg/dL 18.2, 22.4, 28, 70). Haemoglobin (g/dL) men
    12-<13: 1, 10-<12: 3, <10: 6; women 10-<12: 1, <10: 6. Systolic BP 100-109: 1, 90-99: 2, <90: 3. Pulse >=100: 1;
    melaena 1; syncope 2; hepatic disease 2; cardiac failure 2. A score of 0-1 identifies very-low-risk patients.

    Source: Blatchford O, Murray WR, Blatchford M. A risk score to predict need for treatment for upper-
    gastrointestinal haemorrhage. Lancet 2000;356:1318-21; threshold: Stanley AJ et al. BMJ 2017;356:i6432.
    """
    if sex == "male":
        hb_points = at_least(hemoglobin_g_dl, ((13, 0), (12, 1), (10, 3)), 6)
    else:
        hb_points = at_least(hemoglobin_g_dl, ((12, 0), (10, 1)), 6)
    points = {
        "urea": at_least(bun_mg_dl, ((70, 6), (28, 4), (22.4, 3), (18.2, 2)), 0),  # urea 25, 10, 8, 6.5 mmol/L
        "hemoglobin": hb_points,
        "systolic_bp": at_least(systolic_bp_mm_hg, ((110, 0), (100, 1), (90, 2)), 3),
        "heart_rate": int(heart_rate_bpm >= 100),
        "melena": int(melena),
        "syncope": 2 * syncope,
        "hepatic_disease": 2 * hepatic_disease,
        "cardiac_failure": 2 * cardiac_failure,
    }
    total = sum(points.values())
    band = "very low risk (0-1): outpatient management may be considered" if total <= 1 else "not low risk (>=2)"
    return CalcResult(
        calculator="glasgow_blatchford",
        value=total,
        unit="points",
        band=band,
        points=points,
        source="Blatchford O et al. Lancet 2000;356:1318-21; Stanley AJ et al. BMJ 2017;356:i6432.",
    )
