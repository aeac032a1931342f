"""The reference clinician: works a pathway through the tools of every server it touches.

It reads the chart on the cross_domain server, orders the pathway's investigations there and reads their results,
reads the time-critical protocol from triage_emergency's server (stroke, sepsis, STEMI) or the hypertension
criteria from obstetrics', checks a fluoroquinolone against the current drugs with drug_interaction's
``check_interaction`` when the treatment rule turns on it, and computes the triage score with the calculators
server's tool. In the unassisted tier it calls no decision-support tool: it applies the pathway's rules in Python
to what the record and reference tools returned (the calculators' function is the rule of the score).
"""

from __future__ import annotations

from healthgym.mcp_servers.domain import Solver, TaskView
from healthgym.mcp_servers.domains.cross_domain.pathways import PATHWAYS, calculate
from healthgym.mcp_servers.domains.cross_domain.patients import Patient
from healthgym.schemas import ToolCall

PROTOCOLS = {"chest_pain": "stemi", "stroke": "stroke", "sepsis": "sepsis"}
"""Pathways whose triage_emergency protocol the clinician reads (activation criteria and time targets)."""
SEVERE = ("major", "contraindicated")


def _call(name: str, **arguments: object) -> ToolCall:
    return ToolCall(name=name, arguments=arguments)


def solve(view: TaskView) -> Solver:
    cid = view.case_ref
    assisted = view.tier == "assisted"
    chart = yield _call("get_chart", case_id=cid)
    info = yield _call("get_pathway", pathway=chart["pathway"])
    for test in info["investigations"]:
        yield _call("order_investigation", case_id=cid, test=test)
    results = yield _call("get_results", case_id=cid)
    patient = Patient(**chart, results=results["results"])
    pathway = PATHWAYS[patient.pathway]
    if patient.pathway in PROTOCOLS:
        yield _call("get_protocol", protocol=PROTOCOLS[patient.pathway])
    if patient.pathway == "pregnancy_hypertension":
        yield _call("get_criteria", system="hypertension")

    name, arguments = pathway.score_call(patient)
    if assisted:
        score = (yield _call(name, **arguments))["value"]
        diagnosis = (yield _call("assess_diagnosis", case_id=cid))["value"]
    else:
        score = calculate((name, arguments))
        diagnosis = pathway.diagnose(patient)

    if patient.pathway == "sepsis" and diagnosis == "pneumonia" and "penicillin" in patient.allergies:
        # IDSA/ATS CAP 2019: a respiratory fluoroquinolone for the penicillin-allergic, unless it interacts.
        severities = []
        for medication in patient.medications:
            pair = yield _call("check_interaction", drug_a="levofloxacin", drug_b=medication)
            severities.append(pair["severity"])
        regimen = "doxycycline" if any(s in SEVERE for s in severities) else "levofloxacin"
    elif assisted:
        regimen = (yield _call("recommend_treatment", case_id=cid))["value"]
    else:
        regimen = pathway.treat(patient, diagnosis)
    if assisted:
        yield _call("check_contraindications", case_id=cid, treatment=regimen)
    yield _call("start_treatment", case_id=cid, treatment=regimen)

    if assisted:
        disposition = (yield _call("recommend_disposition", case_id=cid))["value"]
    else:
        disposition = pathway.dispose(patient, diagnosis)
    yield _call("set_disposition", case_id=cid, disposition=disposition)
    yield _call("submit_pathway", score=score, diagnosis=diagnosis, treatment=regimen, disposition=disposition)


__all__ = ["solve"]
