"""Suicide risk: C-SSRS screener levels to actions and dispositions, and the elements of a safety plan.

Levels come from ``instruments.cssrs_level`` (Columbia triage points). The disposition for each level follows the
Columbia screen version's suggested actions and the Joint Commission National Patient Safety Goal 15.01.01 (2019):
high risk -> immediate physician notification, continuous observation and an emergency psychiatric evaluation, never
a discharge; moderate -> same-day behavioural health evaluation with safety precautions; low -> outpatient
behavioural health referral; none -> routine care. Every patient with any positive screen leaves with a safety plan
of the six Stanley-Brown elements.
"""

from __future__ import annotations

from pydantic import BaseModel

from healthgym.mcp_servers.domains.psychiatry.instruments import cssrs_level

COLUMBIA = "Posner K et al. Am J Psychiatry 2011;168:1266-77; Columbia Lighthouse Project, C-SSRS screen with triage"
TJC = "The Joint Commission. National Patient Safety Goal 15.01.01 (suicide prevention), R3 Report 18, 2019"
STANLEY_BROWN = "Stanley B, Brown GK. Safety Planning Intervention. Cogn Behav Pract 2012;19:256-64"

DISPOSITIONS: dict[str, str] = {
    "routine_care": "no suicide-specific action; routine follow-up",
    "outpatient_referral": "behavioural health referral at discharge, safety plan, crisis line (988)",
    "urgent_same_day_evaluation": "behavioural health evaluation before the patient leaves today, safety "
    "precautions (environment check, remove means), safety plan",
    "emergency_evaluation_constant_observation": "immediate physician notification, one-to-one continuous "
    "observation, emergency psychiatric evaluation, remove means; do not discharge",
}
"""Disposition code -> what it means."""
DISPOSITION_CODES = tuple(DISPOSITIONS)
LEVEL_DISPOSITION = {
    "none": "routine_care",
    "low": "outpatient_referral",
    "moderate": "urgent_same_day_evaluation",
    "high": "emergency_evaluation_constant_observation",
}
DISCHARGES = frozenset({"routine_care", "outpatient_referral"})
"""Dispositions that let the patient leave without a same-day evaluation."""

SAFETY_PLAN_ELEMENTS: dict[str, str] = {
    "warning_signs": "personal warning signs of an approaching crisis",
    "internal_coping": "internal coping strategies the patient can use alone",
    "social_distraction": "people and social settings that provide distraction",
    "people_to_ask_for_help": "family members or friends who can help",
    "professional_crisis_contacts": "clinicians, agencies and the 988 crisis line to contact in a crisis",
    "lethal_means_safety": "making the environment safe: restricting access to lethal means",
}
"""Stanley-Brown safety plan: its six required steps."""


class RiskStratification(BaseModel):
    level: str
    answers: list[str]
    deciding_items: list[int]
    disposition: str
    actions: str
    safety_plan_required: bool
    sources: list[str] = [COLUMBIA, TJC, STANLEY_BROWN]


def stratify(points: list[int], answers: list[str]) -> RiskStratification:
    """Risk level, the items that decide it, the disposition and whether a safety plan is needed."""
    level = cssrs_level(points)
    deciding = [i for i, v in enumerate(points, 1) if v]
    disposition = LEVEL_DISPOSITION[level]
    return RiskStratification(
        level=level, answers=answers, deciding_items=deciding, disposition=disposition,
        actions=DISPOSITIONS[disposition], safety_plan_required=level != "none",
    )  # fmt: skip
