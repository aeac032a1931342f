"""Task generation: ``generate(split, seed, index)`` builds the task about the arrival of ``(split, seed, index)``.

Five kinds in two tiers, by index modulo 12 (see ``arrivals.KIND_CYCLE``); the 360-task test split holds:

- ``esi`` (60 assisted, 60 unassisted): the ESI level, recorded in a triage note and submitted. Levels are balanced
  (12 per level per tier) and there is no partial credit: a constant level scores 0.2.
- ``arrival`` (60 + 60, composite): triage one arrival end to end: the ESI level (submitted), every time-critical
  protocol activated with ``activate_protocol``, and the patient placed with ``assign_bed``. The zone and the
  protocols are graded as the episode's writes stand when the answer is submitted (``submit_answer`` records them),
  and the task is all-or-nothing: a right level with a missed STEMI activation, or a right level in the wrong zone,
  is not a right triage.
- ``score`` (60, assisted): NEWS2, qSOFA, SIRS, HEART, GCS, RTS or shock index, exact or within a stated tolerance.
- ``protocols`` (15 + 15): the protocols the patient meets, graded by F1 over the protocols activated (activating one
  of two met protocols is half the work); the pools rotate so no set, the empty one included, dominates.
- ``resources`` (15 + 15): the ESI resource count (decision point C), exact; the counts rotate.

In the ``unassisted`` tier the decision-support tools (``esi_decision_support``, the calculators,
``check_protocol_criteria``, ``count_expected_resources``, ``assess_danger_zone_vitals``) are withheld: the agent
applies the rules from the record and the reference tools (``get_esi_decision_point``, ``get_danger_zone_table``,
``get_resource_table``, ``get_protocol``, ``get_score_reference``, ``get_placement_policy``).

The rubric orders reads before the writes they justify (record and vital signs before the triage note; the triage
note, the bed board and, for chest pain, the ECG before the bed assignment), makes every met protocol's activation a
critical action, and sets a per-task call budget a little above the reference clinician's path.
"""

from __future__ import annotations

from healthgym.mcp_servers.clinic import grade_answer
from healthgym.mcp_servers.domains.triage_emergency.arrivals import DOMAIN, Case, build_case
from healthgym.mcp_servers.domains.triage_emergency.beds import PLACEMENT_POLICY, ZONES, placement_zone
from healthgym.mcp_servers.domains.triage_emergency.esi import HANDBOOK, EsiAssessment, assess, resource_count
from healthgym.mcp_servers.domains.triage_emergency.models import Arrival
from healthgym.mcp_servers.domains.triage_emergency.protocols import PROTOCOL_CODES, PROTOCOLS, check
from healthgym.mcp_servers.domains.triage_emergency.scores import SCORE_TITLES, SCORE_TOLERANCE, score
from healthgym.schemas import (
    ActionSpec,
    ChoiceAnswer,
    CodeSetAnswer,
    FieldsAnswer,
    Grade,
    NumericAnswer,
    Privileged,
    Rubric,
    Source,
    Split,
    Task,
    task_id,
)

VERSION = "2.0.0"
ESI_OPTIONS = ["1", "2", "3", "4", "5"]
PROTOCOL_LIST = ", ".join(PROTOCOL_CODES)
INSTRUCTIONS = {
    "esi": "Triage this patient with the Emergency Severity Index (ESI v4): review the record and vital signs, record "
    "a triage note with the level (record_triage_note), then submit the level with submit_answer(esi_level=...).",
    "arrival": "Triage this arrival end to end: assign the ESI level (ESI v4) and record it with record_triage_note; "
    f"activate every time-critical ED protocol whose criteria are met ({PROTOCOL_LIST}) with activate_protocol; place "
    "the patient by the department's placement policy with assign_bed; then submit the level with "
    "submit_answer(esi_level=...). The protocols and the zone are graded as your activations and bed assignment "
    "stand when you submit.",
    "protocols": f"Decide which time-critical ED protocols this patient meets ({PROTOCOL_LIST}), activate each one "
    "that is met with activate_protocol, then call submit_answer(). The protocols are graded as activated when you "
    "submit.",
}
BUDGETS: dict[tuple[str, str], int] = {
    ("esi", "assisted"): 9,
    ("esi", "unassisted"): 12,
    ("arrival", "assisted"): 20,
    ("arrival", "unassisted"): 22,
    ("protocols", "assisted"): 14,
    ("protocols", "unassisted"): 14,
    ("score", "assisted"): 6,
    ("resources", "assisted"): 6,
    ("resources", "unassisted"): 6,
}
"""Tool calls per task: the reference clinician's path (at most 17 calls for a composite unassisted task with a
chest-pain ECG and two protocols) plus a few for a second look; calls beyond it cost reward."""


def esi_answer(level: int) -> ChoiceAnswer:
    """The ESI level, exact. No partial credit: half credit for over-triage by one let the constant answer '1' score
    0.3 on a balanced split, and a level off by one sends the patient to the wrong queue."""
    return ChoiceAnswer(value=str(level), options=ESI_OPTIONS)


def grade(task: Task, submitted: dict[str, object] | None) -> Grade:
    """Fields graded as documented on each task; a composite task is all-or-nothing (see the module docstring)."""
    result = grade_answer(task.answer, submitted)
    if task.composite and not result.correct and result.score > 0:
        return result.model_copy(update={"score": 0.0, "why": f"composite, all-or-nothing: {result.why}"})
    return result


def _call(tool: str, **arguments: object) -> str:
    return f"{tool}({', '.join(f'{k}={v!r}' for k, v in arguments.items())})"


def _esi_rationale(esi: EsiAssessment) -> str:
    steps = "; ".join(f"{s.point}: {s.answer}" + (f" ({', '.join(s.reasons)})" if s.reasons else "") for s in esi.steps)
    return f"ESI {esi.esi_level}, decided at point {esi.decided_at}. {steps}. Source: {HANDBOOK}."


def _evidence(a: Arrival) -> list[str]:
    v = a.vitals
    facts = [
        f"{a.age} {a.sex}, {a.chief_complaint}, {a.arrival_mode}",
        f"HR {v.heart_rate_bpm}, RR {v.respiratory_rate_per_min}, BP {v.systolic_bp_mm_hg}/{v.diastolic_bp_mm_hg}, "
        f"SpO2 {v.spo2_percent}%{' on O2' if v.on_supplemental_oxygen else ''}, T {v.temperature_c:g} C, "
        f"CRT {v.capillary_refill_s:g} s, pain {v.pain_score}/10",
        f"mental status {a.mental_status}, {a.appearance}",
    ]
    return facts + [a.presentation] + a.findings


def _header(a: Arrival) -> str:
    return f"ED arrival {a.arrival_id}: {a.age} {a.sex}, {a.arrival_mode}, chief complaint '{a.chief_complaint}'."


def _before(tool: str, write: str, aid: str, why: str, **arguments: str) -> ActionSpec:
    return ActionSpec(tool=tool, arguments={"arrival_id": aid, **arguments}, before=write, why=why)


def _protocol_fields(a: Arrival, required: list[ActionSpec], rationale: list[str]) -> CodeSetAnswer:
    checks = [check(a, code) for code in PROTOCOL_CODES]
    met = [c.protocol for c in checks if c.met]
    for c in checks:
        hits = "; ".join(r.evidence for r in c.criteria if r.met) or "no criterion met"
        rationale.append(
            f"{c.protocol}: {'met' if c.met else 'not met'} ({hits}). Rule: {c.activation_rule} "
            f"Source: {PROTOCOLS[c.protocol].source}."
        )
    required += [
        ActionSpec(
            tool="activate_protocol",
            arguments={"arrival_id": a.arrival_id, "protocol": code},
            critical=True,
            why=f"{PROTOCOLS[code].name} criteria are met; the protocol is time-critical",
        )
        for code in met
    ]
    return CodeSetAnswer(codes=met)


def generate(split: Split, seed: int, index: int) -> Task:
    """Task ``index`` of ``(split, seed)``: a pure function of its arguments."""
    case: Case = build_case(split, seed, index)
    a, kind, tier = case.arrival, case.plan.kind, case.plan.tier
    aid = a.arrival_id
    esi = assess(a)
    fields: dict[str, ChoiceAnswer | NumericAnswer | CodeSetAnswer] = {}
    rationale: list[str] = []
    evidence = _evidence(a)
    required: list[ActionSpec] = []
    path = [_call("get_arrival", arrival_id=aid)]
    chest_pain = a.complaint_card == "chest_pain"
    ecg_why = "12-lead ECG within 10 minutes of arrival for chest pain (Gulati 2021 AHA/ACC)"

    if kind == "score":
        name = case.plan.score
        report = score(a, name)
        if not report.applicable or report.value is None:
            raise RuntimeError(f"{aid}: {name} planned but not applicable: {report.reason}")
        prompt = (
            f"{_header(a)} Calculate the patient's {SCORE_TITLES[name]} from the triage record and submit the "
            "value with submit_answer(score_value=...)."
        )
        fields["score_value"] = NumericAnswer(
            value=report.value, unit=report.unit, tolerance=SCORE_TOLERANCE.get(name, 0.0)
        )
        rationale.append(
            f"{SCORE_TITLES[name]} = {report.value:g} {report.unit} ({report.band}); points "
            f"{report.points}; inputs {report.inputs}. Source: {report.source}."
        )
        required.append(_before("get_arrival", "submit_answer", aid, "read the triage record before answering"))
        path.append(_call(f"calculate_{name}", arrival_id=aid))
    elif kind == "resources":
        count = resource_count(a.anticipated_workup)
        prompt = (
            f"{_header(a)} How many ESI resources (decision point C) will this patient need? Submit the number "
            "with submit_answer(resource_count=...)."
        )
        fields["resource_count"] = NumericAnswer(value=count, unit="resources", tolerance=0.0)
        rationale.append(
            f"{count} resources: different resource types among {a.anticipated_workup}, a complex "
            f"procedure counting two. Source: {HANDBOOK}, decision point C."
        )
        evidence.append("anticipated work-up: " + ", ".join(a.anticipated_workup))
        required.append(_before("get_arrival", "submit_answer", aid, "read the anticipated work-up before counting"))
        path.append(_call("count_expected_resources" if tier == "assisted" else "get_resource_table", arrival_id=aid))
    elif kind == "protocols":
        first = "activate_protocol"
        required += [
            _before("get_arrival", first, aid, "read the record before activating a protocol"),
            _before("get_vital_signs", first, aid, "protocol criteria use the vital signs (sepsis, trauma)"),
        ]
        if chest_pain:
            required.append(_before("order_test", first, aid, ecg_why, test="ecg_12_lead"))
        fields["protocols"] = _protocol_fields(a, required, rationale)
        prompt = f"{_header(a)} {INSTRUCTIONS[kind]}"
        path += [_call("get_vital_signs", arrival_id=aid)]
        path += [_call("activate_protocol", arrival_id=aid, protocol=code) for code in fields["protocols"].codes]
    else:
        note = "record_triage_note"
        required += [
            _before("get_arrival", note, aid, "read the triage record before recording a level"),
            _before("get_vital_signs", note, aid, "vital signs are reviewed before a level is assigned (points A, D)"),
        ]
        fields["esi_level"] = esi_answer(esi.esi_level)
        rationale.append(_esi_rationale(esi))
        path += [_call("get_vital_signs", arrival_id=aid), _call(note, arrival_id=aid, esi_level=esi.esi_level)]
        if kind == "esi":
            required.append(_before(note, "submit_answer", aid, "the triage decision is documented in a note"))
            if chest_pain:
                required.append(_before("order_test", note, aid, ecg_why, test="ecg_12_lead"))
        else:
            bed = "assign_bed"
            required += [
                _before(note, bed, aid, "triage (the level) comes before placement, which follows from it"),
                _before("get_bed_status", bed, aid, "placement depends on the free beds"),
            ]
            if chest_pain:
                required.append(_before("order_test", bed, aid, ecg_why, test="ecg_12_lead"))
            fields["protocols"] = _protocol_fields(a, required, rationale)
            zone = placement_zone(esi.esi_level, case.board)
            fields["zone"] = ChoiceAnswer(value=zone, options=list(ZONES))
            free = {z: case.board.free(z) for z in ZONES if z != "waiting_room"}
            rationale.append(
                f"Placement: ESI {esi.esi_level} with free beds {free} at {case.board.arrival_time} -> "
                f"{zone}. {PLACEMENT_POLICY}"
            )
            path += [_call("activate_protocol", arrival_id=aid, protocol=c) for c in fields["protocols"].codes]
            path += [_call("get_bed_status", arrival_id=aid), _call(bed, arrival_id=aid, zone=zone)]
        prompt = f"{_header(a)} {INSTRUCTIONS[kind]}"
    path.append(_call("submit_answer", **{k: "..." for k in fields if k not in ("zone", "protocols")}))
    return Task(
        id=task_id(DOMAIN, f"{DOMAIN}.{kind}", split, seed, index),
        domain=DOMAIN,
        split=split,
        prompt=prompt,
        case_ref=aid,
        tier=tier,
        composite=kind == "arrival",
        answer=FieldsAnswer(fields=fields),
        privileged=Privileged(rationale=" ".join(rationale), key_evidence=evidence, reference_path=path),
        rubric=Rubric(required_actions=required, max_tool_calls=BUDGETS[(kind, tier)]),
        source=Source(generator=f"{DOMAIN}.{kind}", version=VERSION),
    )
