"""The reference clinician: a rule-based triage nurse that uses only the prompt, the arrival id and the tools.

It reads what the task asks from the prompt, reads the record and vital signs, orders an ECG for chest pain, then in
the assisted tier takes each decision from the decision-support tools (``esi_decision_support``,
``check_protocol_criteria``, the calculators, ``count_expected_resources``). In the unassisted tier those are
withheld: it looks up the handbook's decision points, the protocol criteria, the score and resource tables with the
reference tools and applies the same rules (``esi.assess``, ``protocols.check``, ``scores.score``,
``esi.resource_count``) to the record that ``get_arrival`` returned, as a nurse applies the handbook. It records the
triage note, activates the protocols that are met, places the patient by the policy from the live bed board, and
submits.
"""

from __future__ import annotations

from typing import Any

from healthgym.mcp_servers.domain import Solver, TaskView
from healthgym.mcp_servers.domains.triage_emergency.beds import Board, placement_zone
from healthgym.mcp_servers.domains.triage_emergency.esi import assess, resource_count
from healthgym.mcp_servers.domains.triage_emergency.models import Arrival
from healthgym.mcp_servers.domains.triage_emergency.protocols import PROTOCOL_CODES, check
from healthgym.mcp_servers.domains.triage_emergency.scores import SCORE_TITLES, score
from healthgym.schemas import ToolCall


def _board(status: dict[str, Any]) -> Board:
    """The board as it was before this patient was placed, from ``get_bed_status``."""
    occupied = {z["zone"]: z["occupied"] - (z["zone"] == status["assigned_zone"]) for z in status["zones"]}
    return Board(arrival_time=status["arrival_time"], occupied=occupied)


def _arrival(record: dict[str, Any]) -> Arrival:
    """The arrival facts of a ``get_arrival`` result (without what the episode wrote)."""
    return Arrival.model_validate({name: record[name] for name in Arrival.model_fields if name in record})


def solve(view: TaskView) -> Solver:
    aid, prompt, assisted = view.case_ref, view.prompt, view.tier == "assisted"
    asks = prompt[prompt.rfind("submit_answer(") :]
    arrival = _arrival((yield ToolCall(name="get_arrival", arguments={"arrival_id": aid})))
    answer: dict[str, Any] = {}
    if "score_value" in asks:
        name = next(name for name, title in SCORE_TITLES.items() if f"patient's {title} " in prompt)
        if assisted:
            answer["score_value"] = (yield ToolCall(name=f"calculate_{name}", arguments={"arrival_id": aid}))["value"]
        else:
            yield ToolCall(name="get_score_reference", arguments={"score_name": name})
            answer["score_value"] = score(arrival, name).value
    if "resource_count" in asks:
        if assisted:
            answer["resource_count"] = (yield ToolCall(name="count_expected_resources", arguments={"arrival_id": aid}))[
                "count"
            ]
        else:
            yield ToolCall(name="get_resource_table", arguments={})
            answer["resource_count"] = resource_count(arrival.anticipated_workup)
    protocols, placement = "activate_protocol" in prompt, "assign_bed" in prompt
    if "esi_level" in asks or protocols:
        yield ToolCall(name="get_vital_signs", arguments={"arrival_id": aid})
        if arrival.complaint_card == "chest_pain":
            yield ToolCall(name="order_test", arguments={"arrival_id": aid, "test": "ecg_12_lead"})
    if "esi_level" in asks:
        if assisted:
            esi = yield ToolCall(name="esi_decision_support", arguments={"arrival_id": aid})
            level, decided, reasons = (
                esi["esi_level"],
                esi["decided_at"],
                [r for s in esi["steps"] for r in s["reasons"]],
            )
        else:
            assessment = assess(arrival)
            for point in dict.fromkeys(step.point for step in assessment.steps):
                yield ToolCall(name="get_esi_decision_point", arguments={"point": point})
                if point == "D":
                    yield ToolCall(name="get_vital_sign_tables", arguments={})
            level, decided = assessment.esi_level, assessment.decided_at
            reasons = [r for step in assessment.steps for r in step.reasons]
        note = f"ESI {level} at decision point {decided}: {'; '.join(reasons) or 'no A or B criterion'}"
        yield ToolCall(
            name="record_triage_note", arguments={"arrival_id": aid, "esi_level": level, "note": note[:2000]}
        )
        answer["esi_level"] = level
    if protocols:
        if not assisted:
            yield ToolCall(name="get_score_reference", arguments={"score_name": "news2"})  # the sepsis criterion
        for code in PROTOCOL_CODES:
            if assisted:
                met = (yield ToolCall(name="check_protocol_criteria", arguments={"arrival_id": aid, "protocol": code}))[
                    "met"
                ]
            else:
                yield ToolCall(name="get_protocol", arguments={"protocol": code})
                met = check(arrival, code).met
            if met:
                yield ToolCall(name="activate_protocol", arguments={"arrival_id": aid, "protocol": code})
    if placement:
        status = yield ToolCall(name="get_bed_status", arguments={"arrival_id": aid})
        zone = placement_zone(answer["esi_level"], _board(status))
        yield ToolCall(name="assign_bed", arguments={"arrival_id": aid, "zone": zone})
    yield ToolCall(name="submit_answer", arguments=answer)
