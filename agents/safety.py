"""Safety checks that the clinical workflow runs before any order or prescription is written.

A check reads a proposed call of a tool that writes (an order, a prescription, the submitted answer) and asks the
domain's own tools whether it is safe, so the rules stay in one place, the domain server, with their sources.
It returns the reasons to block the call, or nothing to let it through. One registry line per domain; a domain
with no check lets every call through.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from healthgym.mcp_servers.domain import TaskView
from healthgym.schemas import ToolCall

CallTool = Callable[[str, dict[str, Any]], Awaitable[dict[str, Any]]]
"""Call a domain tool by name: its structured result, or ``{"error": text}``."""

SafetyCheck = Callable[[ToolCall, TaskView, CallTool], Awaitable[list[str]]]
"""``check(call, view, call_tool)``: the reasons to block ``call`` in the case ``view`` (empty to allow it)."""


async def allow_all(call: ToolCall, view: TaskView, call_tool: CallTool) -> list[str]:
    """The check of a domain whose write tools carry no clinical risk."""
    return []


_NO_WAIT_ZONES = ("waiting_room", "fast_track")


async def triage_check(call: ToolCall, view: TaskView, call_tool: CallTool) -> list[str]:
    """Emergency triage: an ESI 1-2 patient is never placed in the waiting room or fast track (ESI Implementation
    Handbook v4, ch. 4: they need immediate or prompt bedside care), and a time-critical protocol is activated only
    when the record meets its criteria (the activation rules of ``check_protocol_criteria``, each cited there).
    Both judged by the domain's own ``esi_decision_support`` and ``check_protocol_criteria``."""
    arrival_id = call.arguments.get("arrival_id") or view.case_ref  # the submit tool names no arrival
    reasons: list[str] = []
    zone = call.arguments.get("zone")
    if call.name in ("assign_bed", "submit_answer") and zone in _NO_WAIT_ZONES:
        esi = await call_tool("esi_decision_support", {"arrival_id": arrival_id})
        level = esi.get("esi_level")
        if isinstance(level, int) and level <= 2:
            reasons.append(
                f"{arrival_id} is ESI {level} by esi_decision_support; an ESI {level} patient must be "
                f"seen without delay, not placed in {zone} (ESI Handbook ch. 4)"
            )
    if call.name == "activate_protocol":
        check = await call_tool(
            "check_protocol_criteria", {"arrival_id": arrival_id, "protocol": call.arguments.get("protocol")}
        )
        if check.get("error"):
            reasons.append(f"cannot confirm the criteria: {check['error']}")
        elif not check.get("met"):
            unmet = [c.get("criterion", "") for c in check.get("criteria", []) if not c.get("met")]
            reasons.append(
                f"{check.get('name', call.arguments.get('protocol'))} criteria are not met "
                f"({check.get('activation_rule', '')}); unmet: {', '.join(unmet) or 'see the record'}"
            )
    return reasons


async def prescription_check(call: ToolCall, view: TaskView, call_tool: CallTool) -> list[str]:
    """Drug interactions: a drug is not started when any of the domain's screening tools puts it at its
    contraindicated level for this patient: ``check_allergy`` (same allergy group or a label exclusion; AAAAI/ACAAI
    2022 drug allergy practice parameter), ``check_drug_against_medications`` (a contraindicated interaction with a
    current medication), ``get_renal_dose_adjustment`` / ``get_hepatic_dose_adjustment`` (label action 'avoid'),
    ``check_pregnancy_safety`` ('contraindicated' or 'avoid' in pregnancy, 'avoid' in lactation)."""
    if call.name != "prescribe":
        return []
    args = {"patient_id": call.arguments.get("patient_id") or view.case_ref, "drug": call.arguments.get("drug")}
    allergy = await call_tool("check_allergy", args)
    interactions = await call_tool("check_drug_against_medications", args)
    renal = await call_tool("get_renal_dose_adjustment", args)
    hepatic = await call_tool("get_hepatic_dose_adjustment", args)
    pregnancy = await call_tool("check_pregnancy_safety", args)
    errors = [r["error"] for r in (allergy, interactions, renal, hepatic, pregnancy) if "error" in r]
    if errors:  # a drug that cannot be screened is not started
        return [f"cannot screen {args['drug']}: {errors[0]}"]
    reasons = []
    if allergy.get("level") == "contraindicated":
        found = "; ".join(
            f"{m['allergy']} ({m['note']})" for m in allergy.get("matches", []) if m["level"] == "contraindicated"
        )
        reasons.append(f"allergy: {found or ', '.join(allergy.get('recorded_allergies', []))}")
    if interactions.get("worst_severity") == "contraindicated":
        pairs = [
            f"{p['pair']} ({p['mechanism']})"
            for p in interactions.get("interactions", [])
            if p["severity"] == "contraindicated"
        ]
        reasons.append(f"contraindicated with current medications: {', '.join(pairs)}")
    for name, check in (("renal", renal), ("hepatic", hepatic)):
        if check.get("action") == "avoid":
            reasons.append(f"{name}: avoid ({check.get('band') or check.get('note', '')})")
    state, category = pregnancy.get("applies_to"), pregnancy.get("category")
    if (state == "pregnancy" and category in ("contraindicated", "avoid")) or (
        state == "lactation" and category == "avoid"
    ):
        reasons.append(f"{state}: {category}")
    return reasons


SAFETY_CHECKS: dict[str, SafetyCheck] = {
    "drug_interaction": prescription_check,
    "triage_emergency": triage_check,
}
"""Domain name -> its check."""


def safety_check(domain: str) -> SafetyCheck:
    return SAFETY_CHECKS.get(domain, allow_all)
