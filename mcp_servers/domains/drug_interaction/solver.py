"""The reference clinician: reads the task's prompt, calls the tools a careful pharmacist would, applies the stated
rules to their results and submits. It sees only the prompt, the patient id and the tool results.

In the ``unassisted`` tier it calls no decision-support tool: it reads the record (``get_patient``) and the monograph
of every drug it judges (``get_drug_info``: the label's listed interactions, CYP and transporter roles, QT, ACB,
renal bands, Child-Pugh actions, pregnancy, lactation, allergy rules) and applies the domain's rule functions to
that data in Python, as a pharmacist applies the rules from the references.
"""

from __future__ import annotations

import re
from typing import Any

from healthgym.mcp_servers.domain import Solver, TaskView
from healthgym.mcp_servers.domains.drug_interaction.cases import mechanism_pairs
from healthgym.mcp_servers.domains.drug_interaction.knowledge import SEVERITY_RANK, Drug, knowledge
from healthgym.mcp_servers.domains.drug_interaction.patients import Allergy, MedicationOrder, Patient
from healthgym.mcp_servers.domains.drug_interaction.rules import (
    acb_total,
    check_prescription,
    crcl_value,
    mechanism_findings,
    pair_code,
    profile_pairs,
    renal_decision,
    tisdale_score,
    worst,
)
from healthgym.mcp_servers.domains.drug_interaction.tasks import SCREENING_TOOLS
from healthgym.schemas import ToolCall

_UNSAFE_PREGNANCY = ("contraindicated", "avoid")


def _decide(allergy: dict, interactions: dict, renal: dict, hepatic: dict, pregnancy: dict) -> tuple[str, list[str]]:
    """The prescribing rule stated in the prompt, applied to the five checks."""
    applies, category = pregnancy.get("applies_to"), pregnancy.get("category")
    worst = interactions.get("worst_severity", "none")
    unsafe = [
        worst == "contraindicated",
        allergy.get("level") == "contraindicated",
        renal.get("action") == "avoid",
        hepatic.get("action") == "avoid",
        applies == "pregnancy" and category in _UNSAFE_PREGNANCY,
        applies == "lactation" and category == "avoid",
    ]
    concerns = {
        "interaction": worst in ("contraindicated", "major", "moderate"),
        "allergy": allergy.get("level", "none") != "none",
        "renal": renal.get("action", "no_change") != "no_change",
        "hepatic": hepatic.get("action", "no_change") != "no_change",
        "pregnancy": applies == "pregnancy" and category != "compatible",
        "lactation": applies == "lactation" and category != "compatible",
    }
    decision = "unsafe" if any(unsafe) else "caution" if any(concerns.values()) else "safe"
    return decision, [reason for reason, raised in concerns.items() if raised]


def call(name: str, **arguments: Any) -> ToolCall:
    return ToolCall(name=name, arguments=arguments)


_PROPOSAL = re.compile(r"(.+?) for .+? \('(\w+)'\)")


def _proposals(prompt: str) -> list[str]:
    match = re.search(r"proposes starting: (.+?)\. Screen each proposal", prompt)
    return [m[1] for m in (_PROPOSAL.match(p.strip()) for p in match[1].split(";")) if m] if match else []


def solve(view: TaskView) -> Solver:
    if view.tier == "unassisted":
        return _solve_unassisted(view)
    return _solve_assisted(view)


def _solve_assisted(view: TaskView) -> Solver:
    pid, prompt = view.case_ref, view.prompt

    if match := re.search(r"takes (.+?)\. The team is considering adding (.+?)\. Classify", prompt):
        result = yield call("check_interaction", drug_a=match[1], drug_b=match[2])
        yield call("submit_answer", answer=result.get("severity", ""))
    elif "major or contraindicated" in prompt:
        result = yield call("check_all_interactions", patient_id=pid, min_severity="major")
        yield call("submit_answer", pairs=[p["pair"] for p in result.get("pairs", [])])
    elif match := re.search(r"\(mechanism '(\w+)'\)", prompt):
        result = yield call("detect_mechanism_interactions", patient_id=pid, mechanism=match[1])
        yield call("submit_answer", pairs=result.get("pairs", []))
    elif match := re.search(r"takes (.+?)\. Estimate the creatinine clearance", prompt):
        result = yield call("get_renal_dose_adjustment", patient_id=pid, drug=match[1])
        yield call("submit_answer", crcl_ml_min=result.get("crcl_ml_min", -1.0), action=result.get("action", ""))
    elif match := re.search(r"proposes starting (.+?)\. Screen", prompt):
        drug = match[1]
        checks = []
        for tool in SCREENING_TOOLS:
            checks.append((yield call(tool, patient_id=pid, drug=drug)))
        decision, reasons = _decide(*checks)
        yield call("submit_answer", decision=decision, reasons=reasons)
    elif match := re.search(r"condition code '(\w+)'\)\. The planned drug, (.+?), is unsafe", prompt):
        options = dict(re.findall(r"([A-D])\) (.+?)(?= [A-D]\)|\. Submit)", prompt))
        result = yield call("suggest_alternative", patient_id=pid, drug=match[2], indication=match[1])
        safe = {c["drug"] for c in result.get("candidates", []) if c["decision"] == "safe"}
        letter = next((letter for letter, drug in options.items() if drug in safe), "")
        if letter:
            yield call("check_allergy", patient_id=pid, drug=options[letter])
        yield call("submit_answer", answer=letter)
    elif "Tisdale" in prompt:
        result = yield call("qt_risk_assessment", patient_id=pid)
        yield call("submit_answer", score=result.get("score", -1), category=result.get("category", ""))
    elif "Anticholinergic Cognitive Burden" in prompt:
        result = yield call("anticholinergic_burden", patient_id=pid)
        yield call("submit_answer", score=result.get("total", -1), drugs=result.get("strongly_anticholinergic", []))
    elif match := re.search(r"Classify (.+?) for her current state", prompt):
        result = yield call("check_pregnancy_safety", patient_id=pid, drug=match[1])
        yield call("submit_answer", answer=result.get("category", ""))
    elif proposals := _proposals(prompt):
        decided = []
        for drug in proposals:
            checks = []
            for tool in SCREENING_TOOLS:
                checks.append((yield call(tool, patient_id=pid, drug=drug)))
            decided.append((drug, _decide(*checks)[0], checks[2].get("dose", "")))
        for drug, decision, dose in decided:
            if decision != "unsafe":
                yield call("prescribe", patient_id=pid, drug=drug, dose=dose)
        yield call("submit_answer")
    else:
        yield call("submit_answer")


def _patient(record: dict[str, Any]) -> Patient:
    """The patient as ``get_patient`` showed it (medications include this episode's changes)."""
    facts = {k: v for k, v in record.items() if k not in ("allergies", "conditions", "medications")}
    return Patient(
        **facts,
        allergies=tuple(Allergy(allergen=a["allergen"], reaction=a["reaction"]) for a in record.get("allergies", [])),
        conditions=tuple(c["code"] for c in record.get("conditions", [])),
        medications=tuple(
            MedicationOrder(drug=m["drug"], dose=m["dose"], indication=m["indication"])
            for m in record.get("medications", [])
        ),
    )


def _monographs(names: list[str]) -> Solver:
    """Read each drug's monograph; returns {name: (Drug row named by the monograph, the monograph)}."""
    out: dict[str, tuple[Drug, dict[str, Any]]] = {}
    for name in dict.fromkeys(names):
        info = yield call("get_drug_info", drug=name)
        out[name] = (knowledge().drugs[info["name"]], info)
    return out  # type: ignore[return-value]


def _severity(a: tuple[Drug, dict[str, Any]], b: tuple[Drug, dict[str, Any]]) -> str:
    """The listed (curated) severity when a's monograph lists b, else the worst mechanism rule."""
    listed = [row["severity"] for row in a[1].get("interactions", []) if row["partner"] == b[0].name]
    return listed[0] if listed else worst(f.severity for f in mechanism_findings(a[0], b[0]))


def _solve_unassisted(view: TaskView) -> Solver:
    pid, prompt = view.case_ref, view.prompt
    if match := re.search(r"takes (.+?)\. The team is considering adding (.+?)\. Classify", prompt):
        drugs = yield from _monographs([match[1], match[2]])
        yield call("submit_answer", answer=_severity(drugs[match[1]], drugs[match[2]]))
        return
    if match := re.search(r"Classify (.+?) for her current state", prompt):
        drugs = yield from _monographs([match[1]])
        info = drugs[match[1]][1]
        yield call("submit_answer", answer=info["pregnancy" if " is pregnant" in prompt else "lactation"])
        return
    record = yield call("get_patient", patient_id=pid)
    patient = _patient(record)
    current_names = [m.drug for m in patient.medications]
    if match := re.search(r"takes (.+?)\. Estimate the creatinine clearance", prompt):
        drugs = yield from _monographs([match[1]])
        decision = renal_decision(drugs[match[1]][0], patient)
        yield call("submit_answer", crcl_ml_min=crcl_value(patient), action=decision.action)
        return
    if match := re.search(r"proposes starting (.+?)\. Screen", prompt):
        drugs = yield from _monographs([match[1], *current_names])
        check = check_prescription(patient, [drugs[n][0] for n in current_names], drugs[match[1]][0])
        yield call("submit_answer", decision=check.decision, reasons=check.reasons)
        return
    if match := re.search(r"The planned drug, (.+?), is unsafe", prompt):
        options = dict(re.findall(r"([A-D])\) (.+?)(?= [A-D]\)|\. Submit)", prompt))
        drugs = yield from _monographs([*options.values(), *current_names])
        current = [drugs[n][0] for n in current_names]
        safe = [
            letter
            for letter, name in options.items()
            if check_prescription(patient, current, drugs[name][0]).decision == "safe"
        ]
        yield call("submit_answer", answer=safe[0] if len(safe) == 1 else "")
        return
    if proposals := _proposals(prompt):
        drugs = yield from _monographs([*proposals, *current_names])
        current = [drugs[n][0] for n in current_names]
        for name in proposals:
            if check_prescription(patient, current, drugs[name][0]).decision != "unsafe":
                dose = renal_decision(drugs[name][0], patient).dose
                yield call("prescribe", patient_id=pid, drug=name, dose=dose)
        yield call("submit_answer")
        return
    drugs = yield from _monographs(current_names)
    current = [drugs[n][0] for n in current_names]
    if "major or contraindicated" in prompt:
        pairs = [
            pair_code(p.drug_a, p.drug_b)
            for p in profile_pairs(current)
            if SEVERITY_RANK[p.severity] >= SEVERITY_RANK["major"]
        ]
        yield call("submit_answer", pairs=pairs)
    elif match := re.search(r"\(mechanism '(\w+)'\)", prompt):
        yield call("submit_answer", pairs=mechanism_pairs(current, match[1]))
    elif "Tisdale" in prompt:
        result = tisdale_score(patient, current)
        yield call("submit_answer", score=result.score, category=result.category)
    elif "Anticholinergic Cognitive Burden" in prompt:
        strong = sorted(d.name for d in current if d.acb == 3)
        yield call("submit_answer", score=acb_total(current), drugs=strong)
    else:
        yield call("submit_answer")
