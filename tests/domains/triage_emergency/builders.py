"""Hand-built arrivals for the rule tests: a well adult with the facts under test changed."""

from __future__ import annotations

from typing import Any

from healthgym.mcp_servers.domains.triage_emergency.models import Arrival, Neuro, Vitals

WELL_ADULT_VITALS = dict(
    heart_rate_bpm=80,
    respiratory_rate_per_min=16,
    systolic_bp_mm_hg=125,
    diastolic_bp_mm_hg=78,
    spo2_percent=98,
    on_supplemental_oxygen=False,
    temperature_c=37.0,
    capillary_refill_s=1.5,
    pain_score=2,
    pain_scale="NRS",
)


def make_arrival(*, vitals: dict[str, Any] | None = None, age_days: int = 40 * 365, **changes: Any) -> Arrival:
    """A well 40-year-old with no work-up; ``vitals`` updates the vital signs, other keywords the record."""
    fields: dict[str, Any] = dict(
        arrival_id="ED-t0-99999",
        arrival_time="12:00",
        age=f"{age_days} days",
        age_days=age_days,
        sex="male",
        weight_kg=75.0,
        arrival_mode="walk-in",
        chief_complaint="test",
        complaint_card="rash",
        presentation="",
        appearance="no distress",
        mental_status="alert",
        vitals=Vitals(**{**WELL_ADULT_VITALS, **(vitals or {})}),
        neuro=Neuro(gcs_eye=4, gcs_verbal=5, gcs_motor=6),
        anticipated_workup=[],
    )
    return Arrival(**{**fields, **changes})
