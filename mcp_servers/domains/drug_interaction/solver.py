"""The reference clinician: reads the task's prompt, calls the tools a careful pharmacist would, applies the stated
rules to their results and submits. It sees only the prompt, the patient id and the tool results."""

from __future__ import annotations

import re
from typing import Any

from healthgym.mcp_servers.domain import Solver, TaskView
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


def solve(view: TaskView) -> Solver:
    pid, prompt = view.case_ref, view.prompt

    def call(name: str, **arguments: Any) -> ToolCall:
        return ToolCall(name=name, arguments=arguments)

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
        for tool in (
            "check_allergy",
            "check_drug_against_medications",
            "get_renal_dose_adjustment",
            "get_hepatic_dose_adjustment",
            "check_pregnancy_safety",
        ):
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
    else:
        yield call("submit_answer")
