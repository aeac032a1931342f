"""The reference obstetrician: reads the record with the record tools and applies the rules.

Assisted tier: the decision-support tools. Unassisted tier: rebuilds the record from what the record tools returned,
reads each rule's published criteria with ``get_criteria`` and applies the rule modules in Python to that data (the
way a clinician applies the published table). Either way it places the orders the rules call for, then submits.
"""

from __future__ import annotations

from typing import Any

from healthgym.mcp_servers.domain import Solver, TaskView
from healthgym.mcp_servers.domains.obstetrics.assessment import assess
from healthgym.mcp_servers.domains.obstetrics.models import Record
from healthgym.mcp_servers.domains.obstetrics.tasks import ORDER_KINDS, QUESTIONS, READS, REPRESENTATIVE, SYSTEMS_OF
from healthgym.schemas import ToolCall

SECTION_OF = {"get_vitals": ("vitals",), "get_labs": ("labs", "symptoms"), "get_glucose_tests": ("glucose",),
              "get_gbs_and_labor": ("gbs", "labor"), "get_cervical_exam": ("cervix",), "get_fhr_tracing": ("tracing",),
              "get_magnesium_monitoring": ("magnesium",), "get_delivery": ("delivery",),
              "get_postpartum_bleeding": ("bleeding",), "get_antenatal_testing": ("antenatal",)}  # fmt: skip


def _kind(prompt: str) -> str:
    asks = prompt[prompt.rfind("submit_answer(") :]
    return next(k for k, (_, f) in QUESTIONS.items() if asks == f"submit_answer(case_id, {', '.join(f)}).")


def solve(view: TaskView) -> Solver:
    cid = view.case_ref
    kind = _kind(view.prompt)
    encounter = yield ToolCall(name="get_encounter", arguments={"case_id": cid})
    patient = yield ToolCall(name="get_patient", arguments={"case_id": cid})
    dated = yield ToolCall(name="get_dating", arguments={"case_id": cid})
    record: dict[str, Any] = {"case_id": cid, "setting": encounter["setting"],
                              "encounter_date": encounter["encounter_date"],
                              "patient": {k: v for k, v in patient.items() if k != "case_id"},
                              "dating": {k: v for k, v in dated.items() if k not in ("case_id", "encounter_date")}}
    for tool in READS[kind]:
        if tool in ("get_patient", "get_dating"):
            continue
        result = yield ToolCall(name=tool, arguments={"case_id": cid})
        record |= {k: result[k] for k in SECTION_OF[tool]}
    answer: dict[str, Any] = {"case_id": cid}
    if view.tier == "unassisted":
        for system in SYSTEMS_OF[kind]:
            yield ToolCall(name="get_criteria", arguments={"system": system})
        a = assess(Record.model_validate(record))
        if a.hypertension:
            answer |= {"hypertension_category": a.hypertension.category,
                       "severe_features": list(a.hypertension.severe_features)}
        if a.gdm:
            answer |= {"gdm_diagnosis": a.gdm.diagnosis, "abnormal_values": list(a.gdm.abnormal)}
        if a.magnesium:
            answer |= {"magnesium_action": a.magnesium.action, "toxicity_signs": list(a.magnesium.toxicity_signs)}
        if a.anti_d:
            answer |= {"anti_d_decision": a.anti_d.decision, "vials": a.anti_d.vials,
                       "fetal_bleed_ml": a.anti_d.fetal_bleed_ml}
        if a.gbs:
            answer |= {"gbs_basis": a.gbs.basis, "gbs_agent": a.gbs.agent}
        if a.bishop is not None:
            answer["bishop_score"] = a.bishop
        if a.tracing is not None:
            m = a.tracing
            answer |= {"fhr_baseline_bpm": m.baseline_bpm, "fhr_variability": m.variability,
                       "fhr_decelerations": list(m.types), "fhr_category": m.category}
        if a.hemorrhage is not None:
            h = a.hemorrhage
            answer |= {"qbl_ml": h.qbl_ml, "pph_diagnosis": h.diagnosis, "hemorrhage_stage": h.stage}
        if a.bpp is not None:
            answer |= {"bpp_score": a.bpp.score, "modified_bpp": a.bpp.modified, "bpp_management": a.bpp.management}
        answer |= {"ga_days": a.ga_days, "dating_basis": a.dating.basis, "acog_row": a.dating.row,
                   "discrepancy_days": a.dating.discrepancy_days}  # fmt: skip
        orders = list(a.orders)
    else:
        if "ga_days" in QUESTIONS[kind][1]:
            out = yield ToolCall(name="date_pregnancy", arguments={"case_id": cid})
            answer |= {"ga_days": out["ga_days"], "dating_basis": out["basis"], "acog_row": out["acog_row"],
                       "discrepancy_days": out["discrepancy_days"]}  # fmt: skip
        if kind == "gdm":
            out = yield ToolCall(name="classify_gdm", arguments={"case_id": cid})
            answer |= {"gdm_diagnosis": out["diagnosis"], "abnormal_values": out["abnormal_values"]}
        if kind in ("hypertension", "magnesium", "admission"):
            out = yield ToolCall(name="classify_hypertension", arguments={"case_id": cid})
            answer |= {"hypertension_category": out["category"], "severe_features": out["severe_features"]}
        if kind == "magnesium":
            out = yield ToolCall(name="check_magnesium", arguments={"case_id": cid})
            answer |= {"magnesium_action": out["action"], "toxicity_signs": out["toxicity_signs"]}
        if kind == "anti_d":
            out = yield ToolCall(name="assess_anti_d", arguments={"case_id": cid})
            answer |= {"anti_d_decision": out["decision"], "vials": out["vials"],
                       "fetal_bleed_ml": out["fetal_bleed_ml"]}
        if kind in ("gbs", "admission"):
            out = yield ToolCall(name="assess_gbs", arguments={"case_id": cid})
            answer |= {"gbs_basis": out["basis"], "gbs_agent": out["agent"]}
        if kind == "fhr":
            out = yield ToolCall(name="measure_fhr", arguments={"case_id": cid})
            answer |= {"fhr_baseline_bpm": out["baseline_bpm"], "fhr_variability": out["variability"],
                       "fhr_decelerations": out["deceleration_types"]}
            answer["fhr_category"] = (yield ToolCall(name="classify_fhr", arguments={"case_id": cid}))["category"]
        if kind == "pph":
            out = yield ToolCall(name="stage_hemorrhage", arguments={"case_id": cid})
            answer |= {"qbl_ml": out["qbl_ml"], "pph_diagnosis": out["diagnosis"], "hemorrhage_stage": out["stage"]}
        if kind == "bpp":
            out = yield ToolCall(name="score_bpp", arguments={"case_id": cid})
            answer |= {"bpp_score": out["score"], "modified_bpp": out["modified_bpp"],
                       "bpp_management": out["management"]}
        if kind == "admission":
            answer["bishop_score"] = (yield ToolCall(name="score_bishop", arguments={"case_id": cid}))["score"]
            answer["fhr_category"] = (yield ToolCall(name="classify_fhr", arguments={"case_id": cid}))["category"]
        orders = []
        if kind in ("admission", *ORDER_KINDS):
            orders = (yield ToolCall(name="recommend_orders", arguments={"case_id": cid}))["order_classes"]
    if kind != "admission":
        orders = [o for o in orders if o in ORDER_KINDS.get(kind, ())]
    for order in orders:
        yield ToolCall(name="place_order", arguments={"case_id": cid, "order": REPRESENTATIVE[order]})
    if answer.get("fhr_category") == "III":
        yield ToolCall(name="request_bedside_evaluation", arguments={"case_id": cid, "reason": "Category III tracing"})
    _, asked = QUESTIONS[kind]
    yield ToolCall(name="submit_answer", arguments={"case_id": cid, **{k: answer[k] for k in asked if k in answer}})
