"""Task generation: ``generate(split, seed, index)`` builds the task about arrival ``ED-<split><seed>-<index>``.

Six kinds, by index modulo 12 (see ``arrivals.KIND_CYCLE``), so the 360-task test split holds 150 ESI-level tasks
(30 per level), 90 score tasks (NEWS2, qSOFA, SIRS, HEART, GCS, RTS, shock index in rotation), 30 protocol tasks, 30
ESI + protocol tasks, 30 placement tasks (ESI level + zone, 6 per level) and 30 resource-count tasks.

Partial credit: an ESI level one step more urgent than the reference earns 0.5 (over-triage by one level is the safe
error; the handbook warns that under-triage delays care and harms patients); any under-triage earns nothing.
Protocols are graded as a code set by F1; scores within a tolerance; zone and resource count exactly.
"""

from __future__ import annotations

from healthgym.mcp_servers.domains.triage_emergency.arrivals import DOMAIN, build_case
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
    NumericAnswer,
    Privileged,
    Rubric,
    Source,
    Split,
    Task,
    task_id,
)

VERSION = "1.0.0"
INSTRUCTIONS = {
    "esi": "Triage this patient with the Emergency Severity Index (ESI v4): review the record and vital signs, then "
    "submit the ESI level.",
    "protocols": "Decide which time-critical ED protocols this patient meets (stemi, stroke, sepsis, anaphylaxis, "
    "major_trauma) and activate each one that is met with activate_protocol; submit the list ([] if none).",
    "esi_protocols": "Assign the ESI level (ESI v4), activate every time-critical ED protocol the patient meets "
    "(stemi, stroke, sepsis, anaphylaxis, major_trauma) with activate_protocol, and submit both ([] if no protocol "
    "is met).",
    "placement": "Assign the ESI level (ESI v4), place the patient in an ED zone following the department's placement "
    "policy (record it with assign_bed), and submit both.",
}
ESI_OPTIONS = ["1", "2", "3", "4", "5"]


def esi_answer(level: int) -> ChoiceAnswer:
    """The ESI level, with half credit for over-triage by exactly one level."""
    return ChoiceAnswer(value=str(level), options=ESI_OPTIONS, partial={str(level - 1): 0.5} if level > 1 else {})


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
    return facts + a.findings


def _header(a: Arrival) -> str:
    return f"ED arrival {a.arrival_id}: {a.age} {a.sex}, {a.arrival_mode}, chief complaint '{a.chief_complaint}'."


def _safety(a: Arrival, level: int) -> list[ActionSpec]:
    """ESI 1-2 patients must not wait: the waiting room or fast track is a safety failure (ESI handbook ch. 4)."""
    if level > 2:
        return []
    why = f"an ESI {level} patient must be seen without delay, not sent to"
    return [
        ActionSpec(tool="assign_bed", arguments={"arrival_id": a.arrival_id, "zone": zone}, why=f"{why} {zone}")
        for zone in ("waiting_room", "fast_track")
    ]


def generate(split: Split, seed: int, index: int) -> Task:
    """Task ``index`` of ``(split, seed)``: a pure function of its arguments."""
    case = build_case(split, seed, index)
    a, kind = case.arrival, case.plan.kind
    aid = a.arrival_id
    esi = assess(a)
    read = ActionSpec(
        tool="get_arrival",
        arguments={"arrival_id": aid},
        before="submit_answer",
        why="read the triage record before answering",
    )
    vitals = ActionSpec(
        tool="get_vital_signs",
        arguments={"arrival_id": aid},
        before="submit_answer",
        why="vital signs are reviewed before an ESI level is assigned (decision points A and D)",
    )
    ecg = (
        [
            ActionSpec(
                tool="order_test",
                arguments={"arrival_id": aid, "test": "ecg_12_lead"},
                before="submit_answer",
                why="12-lead ECG within 10 minutes of arrival for chest pain (Gulati 2021 AHA/ACC)",
            )
        ]
        if a.complaint_card == "chest_pain"
        else []
    )
    path = [_call("get_arrival", arrival_id=aid)]
    fields: dict[str, ChoiceAnswer | NumericAnswer | CodeSetAnswer] = {}
    rationale: list[str] = []
    required: list[ActionSpec] = [read]
    evidence = _evidence(a)

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
        path.append(_call("count_expected_resources", arrival_id=aid))
    else:
        wants_esi = kind in ("esi", "esi_protocols", "placement")
        wants_protocols = kind in ("protocols", "esi_protocols")
        required += [vitals] if wants_esi else []
        required += ecg
        path.append(_call("get_vital_signs", arrival_id=aid))
        path += [_call("order_test", arrival_id=aid, test="ecg_12_lead")] if ecg else []
        asks = []
        if wants_esi:
            fields["esi_level"] = esi_answer(esi.esi_level)
            rationale.append(_esi_rationale(esi))
            path += [
                _call("esi_decision_support", arrival_id=aid),
                _call("record_triage_note", arrival_id=aid, esi_level=esi.esi_level, note="..."),
            ]
            asks.append("esi_level=...")
        if wants_protocols:
            checks = [check(a, code) for code in PROTOCOL_CODES]
            met = [c.protocol for c in checks if c.met]
            fields["protocols"] = CodeSetAnswer(codes=met)
            for c in checks:
                hits = "; ".join(f"{r.evidence}" for r in c.criteria if r.met) or "no criterion met"
                rationale.append(
                    f"{c.protocol}: {'met' if c.met else 'not met'} ({hits}). Rule: {c.activation_rule} "
                    f"Source: {PROTOCOLS[c.protocol].source}."
                )
            required += [
                ActionSpec(
                    tool="activate_protocol",
                    arguments={"arrival_id": aid, "protocol": code},
                    before="submit_answer",
                    critical=True,
                    why=f"{PROTOCOLS[code].name} criteria are met; the protocol is time-critical",
                )
                for code in met
            ]
            path += [_call("check_protocol_criteria", arrival_id=aid, protocol=code) for code in PROTOCOL_CODES]
            path += [_call("activate_protocol", arrival_id=aid, protocol=code) for code in met]
            asks.append("protocols=[...]")
        if kind == "placement":
            zone = placement_zone(esi.esi_level, case.board)
            fields["zone"] = ChoiceAnswer(value=zone, options=list(ZONES))
            free = {z: case.board.free(z) for z in ZONES if z != "waiting_room"}
            rationale.append(
                f"Placement: ESI {esi.esi_level} with free beds {free} at {case.board.arrival_time} -> "
                f"{zone}. {PLACEMENT_POLICY}"
            )
            required.append(
                ActionSpec(
                    tool="assign_bed",
                    arguments={"arrival_id": aid, "zone": zone},
                    before="submit_answer",
                    why="place the patient as the placement policy says",
                )
            )
            path += [_call("get_bed_status", arrival_id=aid), _call("assign_bed", arrival_id=aid, zone=zone)]
            asks.append("zone=...")
        prompt = f"{_header(a)} {INSTRUCTIONS[kind]} Answer with submit_answer({', '.join(asks)})."
    path.append(_call("submit_answer", **{k: "..." for k in fields}))
    return Task(
        id=task_id(DOMAIN, f"{DOMAIN}.{kind}", split, seed, index),
        domain=DOMAIN,
        split=split,
        prompt=prompt,
        case_ref=aid,
        answer=FieldsAnswer(fields=fields),
        privileged=Privileged(rationale=" ".join(rationale), key_evidence=evidence, reference_path=path),
        rubric=Rubric(required_actions=required, forbidden_actions=_safety(a, esi.esi_level)),
        source=Source(generator=f"{DOMAIN}.{kind}", version=VERSION),
    )
