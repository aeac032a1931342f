"""The reference clinician: a rule-following psychiatrist that uses only the prompt, the patient id and the tools.

It reads the chart, asks the patient what the task needs (instrument items with the C-SSRS skip rule, interview
topics from the criteria checklist), and in the assisted tier lets the decision-support tools score and decide; in
the unassisted tier it applies the same published rules itself to what the record and reference tools returned.
Any positive self-harm item leads to a C-SSRS screen, a disposition by its level and a safety plan.
"""

from __future__ import annotations

import re
from typing import Any

from healthgym.mcp_servers.domain import Solver, TaskView
from healthgym.mcp_servers.domains.psychiatry import criteria, instruments, pharmacology
from healthgym.mcp_servers.domains.psychiatry.patients import PatientRecord
from healthgym.mcp_servers.domains.psychiatry.tasks import (
    anc_orders,
    lithium_orders,
    lithium_review_of,
    metabolic_orders,
    qtc_orders,
    toxicity_orders,
)
from healthgym.schemas import ToolCall


def _points(info: dict[str, Any], answers: list[str]) -> list[int]:
    """Item points from ``get_instrument``'s option table."""
    return [item["options"][a] for item, a in zip(info["items"], answers, strict=True)]


def _screen(pid: str, assisted: bool) -> Solver:
    """C-SSRS screener with its skip rule, then the disposition and (for a positive screen) the safety plan."""
    info = yield ToolCall(name="get_instrument", arguments={"instrument": "cssrs"})
    answers: dict[int, str] = {}
    for item in (1, 2, 3, 4, 5, 6):
        if item in (3, 4, 5) and info["items"][1]["options"][answers[2]] == 0:
            answers[item] = "no"
            continue
        got = yield ToolCall(name="ask_instrument_item", arguments={"patient_id": pid, "instrument": "cssrs",
                                                                    "item": item})  # fmt: skip
        answers[item] = got["answer"]
    ordered = [answers[i] for i in range(1, 7)]
    if assisted:
        strat = yield ToolCall(name="stratify_suicide_risk", arguments={"patient_id": pid})
        level, disposition = strat["level"], strat["disposition"]
    else:
        guide = yield ToolCall(name="get_suicide_risk_guide", arguments={})
        level = instruments.cssrs_level(_points(info, ordered))
        disposition = guide["level_disposition"][level]
        plan_elements = list(guide["safety_plan_elements"])
    yield ToolCall(name="set_disposition", arguments={"patient_id": pid, "disposition": disposition})
    if level != "none":
        if assisted:
            guide = yield ToolCall(name="get_suicide_risk_guide", arguments={})
            plan_elements = list(guide["safety_plan_elements"])
        yield ToolCall(name="record_safety_plan", arguments={"patient_id": pid, "elements": plan_elements})
    return {"risk_level": level, "highest_item": max((i for i, a in answers.items() if a != "no"), default=0)}


def _administer(pid: str, code: str) -> Solver:
    info = yield ToolCall(name="get_instrument", arguments={"instrument": code})
    answers = []
    for item in info["items"]:
        got = yield ToolCall(name="ask_instrument_item", arguments={"patient_id": pid, "instrument": code,
                                                                    "item": item["number"]})  # fmt: skip
        answers.append(got["answer"])
    return info, answers


def _quoted(prompt: str, key: str) -> str:
    match = re.search(rf"\({key} '([a-z0-9_]+)'\)", prompt)
    if match is None:
        raise ValueError(f"prompt names no {key}")
    return match.group(1)


def solve(view: TaskView) -> Solver:
    pid, prompt, assisted = view.case_ref, view.prompt, view.tier == "assisted"
    chart = yield ToolCall(name="get_patient_record", arguments={"patient_id": pid})
    answer: dict[str, Any] = {}
    orders: list[str] = []
    if "Depression work-up" in prompt or "Screen this patient for suicide risk" in prompt:
        if "Depression work-up" in prompt:
            _, phq = yield from _administer(pid, "phq9")
            if assisted:
                scored = yield ToolCall(name="score_instrument", arguments={"patient_id": pid, "instrument": "phq9"})
                answer["phq9_total"] = scored["total"]
            else:
                answer["phq9_total"] = instruments.score("phq9", phq, chart["sex"]).total
        screen = yield from _screen(pid, assisted)
        answer["risk_level"] = screen["risk_level"]
        if "highest_item" in prompt:
            answer["highest_item"] = screen["highest_item"]
    elif "Administer the" in prompt:
        code = _quoted(prompt, "instrument")
        info, answers = yield from _administer(pid, code)
        if assisted:
            scored = yield ToolCall(name="score_instrument", arguments={"patient_id": pid, "instrument": code})
        else:
            scored = instruments.score(code, answers, chart["sex"]).model_dump()
        answer.update(total=scored["total"], band=scored["band"])
        if scored["flags"]:
            yield from _screen(pid, assisted)
    elif "DSM-5-TR criteria" in prompt:
        code = _quoted(prompt, "disorder")
        checklist = yield ToolCall(name="get_criteria_checklist", arguments={"disorder": code})
        findings: dict[str, bool | float] = {}
        for topic in checklist["topics"]:
            got = yield ToolCall(name="ask_interview_question", arguments={"patient_id": pid, "topic": topic})
            findings[topic] = got["value"] if got["unit"] else got["present"]
        if assisted:
            result = yield ToolCall(name="evaluate_criteria", arguments={"patient_id": pid, "disorder": code})
        else:
            result = criteria.evaluate(code, findings).model_dump()
        answer.update(failed_criterion=(result["unmet"] or ["none"])[0], symptom_count=result["symptom_count"])
    elif "ANC monitoring table" in prompt:
        ben = chart["benign_ethnic_neutropenia"]
        yield ToolCall(name="get_clozapine_anc_table", arguments={"population": "ben" if ben else "general"})
        if assisted:
            advice = (yield ToolCall(name="assess_clozapine_anc", arguments={"patient_id": pid}))["advice"]
        else:
            months = next(m["months_on"] for m in chart["medications"] if m["name"] == "clozapine")
            anc = next(lab["value"] for lab in chart["labs"] if lab["name"] == "absolute neutrophil count")
            advice = pharmacology.clozapine_anc(anc, months, ben).model_dump()
        answer.update(anc_category=advice["category"], anc_action=advice["action"],
                      anc_monitoring=advice["monitoring"])  # fmt: skip
        orders = [o for o, _, _ in anc_orders(advice["monitoring"], advice["action"], advice["category"])]
    elif "Fridericia" in prompt:
        yield ToolCall(name="get_qtc_guidance", arguments={})
        if assisted:
            q = (yield ToolCall(name="calculate_qtc", arguments={"patient_id": pid}))["assessment"]
        else:
            e = chart["ecg"]
            q = pharmacology.assess_qtc(e["qt_ms"], e["heart_rate_bpm"], e["baseline_qtc_fridericia_ms"],
                                        chart["sex"]).model_dump()  # fmt: skip
        answer.update(qtc_ms=q["qtc_ms"], qtc_category=q["category"])
        orders = [o for o, _, _ in qtc_orders(q["category"])]
    elif "Review this patient's lithium" in prompt:
        yield ToolCall(name="get_lithium_guidance", arguments={})
        if assisted:
            review = (yield ToolCall(name="review_lithium", arguments={"patient_id": pid}))["review"]
        else:
            review = lithium_review_of(PatientRecord.model_validate(chart)).model_dump()
        answer.update(lithium_band=review["band"], interacting_drugs=review["interacting_drugs"],
                      lithium_monitoring=review["monitoring"])  # fmt: skip
        orders = [o for o, _, _ in lithium_orders(review["band"])]
    elif "Metabolic monitoring" in prompt:
        yield ToolCall(name="get_metabolic_monitoring_schedule", arguments={})
        if assisted:
            review = (yield ToolCall(name="review_metabolic_monitoring", arguments={"patient_id": pid}))["review"]
        else:
            m = chart["sga_monitoring"]
            review = pharmacology.metabolic_review(m["weeks_on_treatment"], m["baseline_weight_kg"],
                                                   m["weight_kg"]).model_dump()  # fmt: skip
        answer.update(measures_due=review["due"], weight_gain_percent=review["weight_gain_percent"],
                      consider_switch="yes" if review["consider_switch"] else "no")  # fmt: skip
        orders = [o for o, _, _ in metabolic_orders(review["due"])]
    else:
        yield ToolCall(name="get_serotonin_nms_criteria", arguments={})
        if assisted:
            t = (yield ToolCall(name="assess_serotonin_vs_nms", arguments={"patient_id": pid}))["assessment"]
        else:
            by_class = {c: [m["name"] for m in chart["medications"] if m["drug_class"] == c]
                        for c in ("serotonergic", "dopamine antagonist")}  # fmt: skip
            ck = next(lab["value"] for lab in chart["labs"] if lab["name"] == "creatine kinase") / 200
            t = pharmacology.assess_toxicity(chart["neuro_exam"], chart["vitals"]["temperature_c"], ck,
                                             by_class["serotonergic"], by_class["dopamine antagonist"]).model_dump()
        answer["assessment"] = t["assessment"]
        orders = [o for o, _, _ in toxicity_orders(t["assessment"])]
    for order in orders:
        yield ToolCall(name="place_order", arguments={"patient_id": pid, "order": order})
    yield ToolCall(name="submit_answer", arguments=answer)
