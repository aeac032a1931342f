"""The reference clinician: a rule-based triage nurse that uses only the prompt, the arrival id and the tools.

It reads what the task asks from the prompt (the ``submit_answer(...)`` fields it names), reads the record and vital
signs, orders an ECG for chest pain, walks the ESI algorithm with ``esi_decision_support``, checks each protocol and
activates those that are met, places the patient by the department policy from the live bed board, and submits.
"""

from __future__ import annotations

from typing import Any

from healthgym.mcp_servers.domain import Solver, TaskView
from healthgym.mcp_servers.domains.triage_emergency.beds import Board, placement_zone
from healthgym.mcp_servers.domains.triage_emergency.protocols import PROTOCOL_CODES
from healthgym.mcp_servers.domains.triage_emergency.scores import SCORE_TITLES
from healthgym.schemas import ToolCall


def _board(status: dict[str, Any]) -> Board:
    """The board as it was before this patient was placed, from ``get_bed_status``."""
    occupied = {z["zone"]: z["occupied"] - (z["zone"] == status["assigned_zone"]) for z in status["zones"]}
    return Board(arrival_time=status["arrival_time"], occupied=occupied)


def solve(view: TaskView) -> Solver:
    aid, prompt = view.case_ref, view.prompt
    asks = prompt[prompt.rfind("submit_answer(") :]
    arrival = yield ToolCall(name="get_arrival", arguments={"arrival_id": aid})
    answer: dict[str, Any] = {}
    if "score_value" in asks:
        name = next(name for name, title in SCORE_TITLES.items() if f"patient's {title} " in prompt)
        report = yield ToolCall(name=f"calculate_{name}", arguments={"arrival_id": aid})
        answer["score_value"] = report["value"]
    if "resource_count" in asks:
        resources = yield ToolCall(name="count_expected_resources", arguments={"arrival_id": aid})
        answer["resource_count"] = resources["count"]
    if any(field in asks for field in ("esi_level", "protocols", "zone")):
        yield ToolCall(name="get_vital_signs", arguments={"arrival_id": aid})
        if arrival.get("complaint_card") == "chest_pain":
            yield ToolCall(name="order_test", arguments={"arrival_id": aid, "test": "ecg_12_lead"})
    if "esi_level" in asks:
        esi = yield ToolCall(name="esi_decision_support", arguments={"arrival_id": aid})
        answer["esi_level"] = esi["esi_level"]
        reasons = "; ".join(r for step in esi["steps"] for r in step["reasons"]) or "no A or B criterion"
        note = f"ESI {esi['esi_level']} at decision point {esi['decided_at']}: {reasons}"
        yield ToolCall(
            name="record_triage_note", arguments={"arrival_id": aid, "esi_level": esi["esi_level"], "note": note[:2000]}
        )
    if "protocols" in asks:
        met = []
        for code in PROTOCOL_CODES:
            result = yield ToolCall(name="check_protocol_criteria", arguments={"arrival_id": aid, "protocol": code})
            if result.get("met"):
                met.append(code)
                yield ToolCall(name="activate_protocol", arguments={"arrival_id": aid, "protocol": code})
        answer["protocols"] = met
    if "zone" in asks:
        status = yield ToolCall(name="get_bed_status", arguments={"arrival_id": aid})
        zone = placement_zone(answer["esi_level"], _board(status))
        yield ToolCall(name="assign_bed", arguments={"arrival_id": aid, "zone": zone})
        answer["zone"] = zone
    yield ToolCall(name="submit_answer", arguments=answer)
