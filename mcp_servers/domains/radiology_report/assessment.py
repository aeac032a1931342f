"""A whole study read with its system: every finding classified, the exam's category and recommendation, and the
communication it needs. One function, used by the decision-support tools, the task generator and the grader."""

from __future__ import annotations

from dataclasses import dataclass

from healthgym.mcp_servers.domains.radiology_report import (
    bi_rads,
    bosniak,
    communication,
    fleischner,
    li_rads,
    lung_rads,
    o_rads,
    ti_rads,
)
from healthgym.mcp_servers.domains.radiology_report.classification import Classification
from healthgym.mcp_servers.domains.radiology_report.models import Study

SOURCES = {
    "fleischner": fleischner.SOURCE,
    "lung_rads": lung_rads.SOURCE,
    "ti_rads": ti_rads.SOURCE,
    "li_rads": li_rads.SOURCE,
    "bosniak": bosniak.SOURCE,
    "bi_rads": bi_rads.SOURCE,
    "o_rads": o_rads.SOURCE,
}
RECOMMENDATIONS: dict[str, dict[str, str]] = {
    "fleischner": fleischner.RECOMMENDATIONS,
    "lung_rads": lung_rads.RECOMMENDATIONS,
    "ti_rads": ti_rads.RECOMMENDATIONS,
    "li_rads": li_rads.RECOMMENDATIONS,
    "bosniak": bosniak.RECOMMENDATIONS,
    "bi_rads": bi_rads.RECOMMENDATIONS,
    "o_rads": o_rads.RECOMMENDATIONS,
}
CATEGORIES: dict[str, tuple[str, ...]] = {
    "fleischner": tuple(fleischner.ROWS),
    "lung_rads": lung_rads.CATEGORIES,
    "ti_rads": ti_rads.CATEGORIES,
    "li_rads": li_rads.CATEGORIES,
    "bosniak": bosniak.CATEGORIES,
    "bi_rads": bi_rads.CATEGORIES,
    "o_rads": o_rads.CATEGORIES,
}
ALL_CATEGORIES = tuple(c for cats in CATEGORIES.values() for c in cats)
ALL_RECOMMENDATIONS = tuple(dict.fromkeys(r for recs in RECOMMENDATIONS.values() for r in recs))
ROUTINE_RECOMMENDATIONS = frozenset({"no_routine_followup", "optional_ct_12mo", "ldct_12mo", "no_fna",
                                     "return_to_surveillance_6mo", "no_followup", "routine_screening",
                                     "no_further_management"})
"""Recommendations that ask for nothing beyond routine care (no follow-up, optional CT, the annual screening round,
routine HCC surveillance, routine mammography screening): an actionable finding reported with one of them is left
without a recommendation."""


@dataclass(frozen=True)
class Assessment:
    """A study read with its system."""

    system: str
    findings: tuple[Classification, ...]
    """Each finding the system classifies (for Fleischner, the nodule set as one classification)."""
    exam: Classification
    """The study's category and recommendation: the most suspicious finding's."""
    communication: str
    communication_reasons: tuple[str, ...]
    size_mm: float | None
    """Fleischner: mean diameter (whole mm) of the nodule guiding management; Lung-RADS: of the most suspicious."""
    ti_rads_points: int | None
    """TI-RADS: points of the most suspicious nodule."""


def _worst(system: str, items: list[Classification]) -> Classification:
    order = CATEGORIES[system]
    return max(items, key=lambda c: order.index(c.category))


def assess(study: Study) -> Assessment:
    """Classify every finding of ``study`` with its system (``ValueError`` for data outside the system's scope)."""
    system = study.system
    comp = study.comparison
    size: float | None = None
    points: int | None = None
    if system == "fleischner":
        exam = fleischner.classify(study.patient, study.lung_nodules)
        findings = [exam]
        size = fleischner.size_mm(next(n for n in study.lung_nodules if n.finding_id == exam.finding_id))
    elif system == "lung_rads":
        priors = {m.finding_id: m for m in comp.measurements}
        findings = [
            lung_rads.classify_nodule(
                n,
                lung_rads.status(n, priors.get(n.finding_id), n.finding_id in comp.new_findings, comp.interval_months)
                if comp.prior_date else "baseline",
            )
            for n in study.lung_nodules
        ]
        exam = lung_rads.classify_exam(findings)
        if exam.finding_id:
            size = lung_rads.size(next(n for n in study.lung_nodules if n.finding_id == exam.finding_id))
    elif system == "ti_rads":
        scored = [ti_rads.classify(n) for n in study.thyroid_nodules]
        findings = [c for _, c in scored]
        exam = _worst(system, findings)
        worst = [(p, c) for p, c in scored if c is exam]
        points = worst[0][0]
        rec_order = ("no_fna", "us_followup_1_3_5y", "us_followup_1_2_3_5y", "us_followup_annual_5y", "fna")
        if len({c.category for c in findings}) < len(findings) or any(
            rec_order.index(c.recommendation) > rec_order.index(exam.recommendation) for c in findings
        ):
            raise ValueError("TI-RADS studies here hold nodules of distinct levels, the highest also most urgent")
    elif system == "li_rads":
        priors = {m.finding_id: m.diameter_mm for m in comp.measurements}
        findings = [li_rads.classify(o, priors.get(o.finding_id), comp.interval_months)
                    for o in study.liver_observations]  # fmt: skip
        exam = _worst(system, findings)
    elif system == "bosniak":
        findings = [bosniak.classify(m) for m in study.renal_masses]
        exam = _worst(system, findings)
    elif system == "bi_rads":
        screening = study.exam == "mg_screening"
        findings = [bi_rads.classify_mass(m, screening) for m in study.breast_masses]
        exam = bi_rads.classify_exam(findings, screening)
    else:
        findings = [o_rads.classify(lesion, study.patient.menopausal_status) for lesion in study.adnexal_lesions]
        exam = _worst(system, findings)
    urgency, why = communication.required(findings, study.other_findings)
    return Assessment(system, tuple(findings), exam, urgency, tuple(why), size, points)
