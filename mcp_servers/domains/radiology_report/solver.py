"""The reference radiologist: reads the study with the record tools and applies the system.

Assisted tier: ``classify_study`` and ``check_communication`` (and ``draft_report`` for a full report). Unassisted
tier: rebuilds the study from what the record tools returned, reads the system's criteria with ``get_criteria`` and
applies the rule modules in Python to that data (the way a radiologist applies the published table). Either way it
communicates what needs direct communication, then submits the fields the prompt asks for.
"""

from __future__ import annotations

from typing import Any

from healthgym.mcp_servers.domain import Solver, TaskView
from healthgym.mcp_servers.domains.radiology_report.assessment import assess
from healthgym.mcp_servers.domains.radiology_report.models import SYSTEM_OF_EXAM, Comparison, Patient, Study
from healthgym.mcp_servers.domains.radiology_report.report import draft
from healthgym.schemas import ToolCall


def _study(
    header: dict[str, Any], patient: dict[str, Any], findings: dict[str, Any], comparison: dict[str, Any]
) -> Study:
    """The study as the record tools showed it."""
    keep = ("lung_nodules", "thyroid_nodules", "liver_observations", "renal_masses", "breast_masses", "adnexal_lesions",
            "other_findings")
    return Study(
        study_id=header["study_id"], exam=header["exam"], modality=header["modality"], date=header["date"],
        indication=header["indication"], technique=header["technique"],
        patient=Patient.model_validate({k: v for k, v in patient.items() if k != "study_id"}),
        comparison=Comparison.model_validate({k: v for k, v in comparison.items() if k != "study_id"}),
        **{k: findings[k] for k in keep},
    )  # fmt: skip


def solve(view: TaskView) -> Solver:
    sid, prompt = view.case_ref, view.prompt
    asks = prompt[prompt.rfind("submit_report(") :]
    header = yield ToolCall(name="get_study", arguments={"study_id": sid})
    patient = yield ToolCall(name="get_patient_history", arguments={"study_id": sid})
    findings = yield ToolCall(name="get_findings", arguments={"study_id": sid})
    comparison: dict[str, Any] = {}
    if header["has_comparison"]:
        comparison = yield ToolCall(name="get_comparison", arguments={"study_id": sid})
    system = SYSTEM_OF_EXAM[header["exam"]]
    full = "findings, impression" in asks
    if view.tier == "unassisted":
        yield ToolCall(name="get_criteria", arguments={"system": system})
        study = _study(header, patient, findings, comparison)
        a = assess(study)
        category, recommendation, urgency = a.exam.category, a.exam.recommendation, a.communication
        size, points = a.size_mm, a.ti_rads_points
        sections = draft(study, a) if full else {}
    else:
        result = yield ToolCall(name="classify_study", arguments={"study_id": sid})
        category, recommendation = result["category"], result["recommendation"]
        size, points = result["size_mm"], result["ti_rads_points"]
        urgency = (yield ToolCall(name="check_communication", arguments={"study_id": sid}))["urgency"]
        sections = {}
        if full:
            drafted = yield ToolCall(name="draft_report", arguments={"study_id": sid})
            sections = {k: drafted[k] for k in ("indication", "technique", "comparison", "findings", "impression")}
    if urgency != "routine":
        yield ToolCall(name="communicate_finding", arguments={
            "study_id": sid, "urgency": urgency, "recipient": "referring clinician",
            "message": f"{category}: {recommendation}"})  # fmt: skip
    answer: dict[str, Any] = {"study_id": sid, "category": category, "recommendation": recommendation}
    if "size_mm" in asks:
        answer["size_mm"] = size
    if "ti_rads_points" in asks:
        answer["ti_rads_points"] = points
    if full:
        answer |= {"communication": urgency, **sections}
    yield ToolCall(name="submit_report", arguments=answer)
