"""Injury severity: Glasgow Coma Scale and the Revised Trauma Score."""

from __future__ import annotations

from typing import Annotated

from healthgym.mcp_servers.calculators._fields import span, whole
from healthgym.mcp_servers.calculators.registry import calculator
from healthgym.mcp_servers.calculators.result import CalcResult

GcsTotal = Annotated[int, whole(3, 15, "Glasgow Coma Scale total")]


@calculator("Glasgow Coma Scale")
def gcs(
    *,
    eye_response: Annotated[
        int, whole(1, 4, "Eye opening: 4 spontaneous, 3 to sound/speech, 2 to pressure/pain, 1 none")
    ],
    verbal_response: Annotated[
        int,
        whole(1, 5, "Verbal: 5 oriented, 4 confused, 3 inappropriate words, 2 sounds, 1 none"),
    ],
    motor_response: Annotated[
        int,
        whole(1, 6, "Motor: 6 obeys, 5 localises, 4 normal flexion/withdraws, 3 abnormal flexion, 2 extension, 1 none"),
    ],
) -> CalcResult:
    """Glasgow Coma Scale total, 3-15 (E + V + M).

    Severity bands used for head injury: 13-15 mild, 9-12 moderate, 3-8 severe.

    Source: Teasdale G, Jennett B. Assessment of coma and impaired consciousness. Lancet 1974;2:81-4; bands:
    Teasdale G et al. The Glasgow Coma Scale at 40 years. Lancet Neurol 2014;13:844-54.
    """
    total = eye_response + verbal_response + motor_response
    band = "mild (13-15)" if total >= 13 else "moderate (9-12)" if total >= 9 else "severe (3-8)"
    return CalcResult(
        calculator="gcs",
        value=total,
        unit="points",
        band=band,
        points={"eye": eye_response, "verbal": verbal_response, "motor": motor_response},
        source="Teasdale G, Jennett B. Lancet 1974;2:81-4.",
    )


def _rts_codes(gcs_total: int, systolic_bp_mm_hg: float, respiratory_rate_per_min: float) -> dict[str, int]:
    """Coded values 0-4 of the Revised Trauma Score (Champion 1989, Table 1)."""
    gcs_code = 4 if gcs_total >= 13 else 3 if gcs_total >= 9 else 2 if gcs_total >= 6 else 1 if gcs_total >= 4 else 0
    sbp = systolic_bp_mm_hg
    sbp_code = 4 if sbp > 89 else 3 if sbp > 75 else 2 if sbp > 49 else 1 if sbp > 0 else 0
    rr = respiratory_rate_per_min
    rr_code = 3 if rr > 29 else 4 if rr > 9 else 2 if rr > 5 else 1 if rr > 0 else 0
    return {"gcs": gcs_code, "systolic_bp": sbp_code, "respiratory_rate": rr_code}


@calculator("Revised Trauma Score")
def revised_trauma_score(
    *,
    gcs_total: GcsTotal,
    systolic_bp_mm_hg: Annotated[float, span(0, 300, "Systolic blood pressure, mm Hg")],
    respiratory_rate_per_min: Annotated[float, span(0, 80, "Respiratory rate, breaths/min")],
) -> CalcResult:
    """Revised Trauma Score, 0-7.8408 = 0.9368 GCS code + 0.7326 SBP code + 0.2908 RR code.

    Codes: GCS 13-15: 4, 9-12: 3, 6-8: 2, 4-5: 1, 3: 0. SBP >89: 4, 76-89: 3, 50-75: 2, 1-49: 1, 0: 0.
    RR 10-29: 4, >29: 3, 6-9: 2, 1-5: 1, 0: 0. `points` holds each weighted term; the band gives the triage RTS
    (sum of codes, 0-12), where a value below 11 indicates the need for a trauma centre.

    Source: Champion HR et al. A revision of the Trauma Score. J Trauma 1989;29:623-9.
    """
    codes = _rts_codes(gcs_total, systolic_bp_mm_hg, respiratory_rate_per_min)
    weights = {"gcs": 0.9368, "systolic_bp": 0.7326, "respiratory_rate": 0.2908}
    points = {name: round(weights[name] * code, 4) for name, code in codes.items()}
    triage = sum(codes.values())
    advice = "below 11: trauma centre care indicated" if triage < 11 else "11 or more"
    return CalcResult(
        calculator="revised_trauma_score",
        value=round(sum(points.values()), 4),
        unit="points",
        band=f"triage RTS {triage}/12 ({advice})",
        points=points,
        source="Champion HR et al. J Trauma 1989;29:623-9.",
    )
