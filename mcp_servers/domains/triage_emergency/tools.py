"""The triage_emergency tools: plain typed functions whose signatures are the MCP schemas.

Reads rebuild the arrival from its id (``_get_arrival``), so every tool fails the same way on a bad id. Writes
(``assign_bed``, ``activate_protocol``, ``order_test``, ``record_triage_note``, ``submit_answer``) go to the episode's
own state, and the reads that show them (``get_arrival``, ``get_bed_status``, ``submit_answer``'s record of the bed and
protocols) read that state back. ``TOOL_KINDS`` tags every tool; the reference tools (decision points, tables,
criteria, policy) carry what the unassisted tier needs to apply each rule without the decision-support tools.
"""

from __future__ import annotations

import inspect
from typing import Annotated, Any, Literal

from mcp.server.fastmcp import Context
from mcp.server.fastmcp.exceptions import ToolError
from pydantic import BaseModel, Field

from healthgym.mcp_servers.clinic import episode_state
from healthgym.mcp_servers.domain import ToolKind
from healthgym.mcp_servers.domains.triage_emergency.arrivals import Case, build_case, parse_arrival_id
from healthgym.mcp_servers.domains.triage_emergency.beds import (
    CAPACITY,
    FAST_TRACK_HOURS,
    PLACEMENT_POLICY,
    ZONE_DESCRIPTIONS,
    ZONES,
    Zone,
)
from healthgym.mcp_servers.domains.triage_emergency.cards import CARD, SCENARIOS
from healthgym.mcp_servers.domains.triage_emergency.esi import (
    DANGER_SPO2,
    DANGER_ZONES,
    FEVER_C,
    HANDBOOK,
    HYPOGLYCAEMIA_MG_DL,
    HYPOVENTILATION_RR,
    INTERVENTIONS,
    LIFE_SAVING_INTERVENTIONS,
    LSI_FINDINGS,
    NORMAL_RANGES,
    NOT_LIFE_SAVING,
    PAEDIATRIC_CRT_S,
    PAEDIATRIC_YEARS,
    PALS,
    RED_FLAG_BY_CODE,
    RED_FLAGS,
    RESOURCE_TYPE,
    RESOURCE_TYPES,
    EsiAssessment,
    assess,
    danger_zone,
    danger_zone_exceeded,
    hypoperfused,
    hypotension_threshold,
    normal_range,
    resource_count,
    resource_types,
)
from healthgym.mcp_servers.domains.triage_emergency.models import Arrival
from healthgym.mcp_servers.domains.triage_emergency.orders import TEST_TARGETS, TESTS, TestCode
from healthgym.mcp_servers.domains.triage_emergency.protocols import (
    PROTOCOLS,
    ProtocolCheck,
    ProtocolCode,
    TimeTargetDue,
    check,
    due_by,
)
from healthgym.mcp_servers.domains.triage_emergency.scores import (
    INDICATIONS,
    SCORE_TITLES,
    SCORES,
    ScoreName,
    ScoreReport,
    score,
)

ArrivalId = Annotated[str, Field(description="Arrival id, such as 'ED-5W1Q3ZK8M0RTA'.")]
ComplaintCode = Literal[
    "chest_pain", "stroke_symptoms", "breathing_difficulty", "abdominal_pain", "fever_adult", "fever_child",
    "major_trauma", "head_injury", "allergic_reaction", "overdose_poisoning", "seizure", "headache",
    "syncope_dizziness", "mental_health", "testicular_pain", "pregnancy_bleeding", "limb_injury", "wound",
    "urinary_symptoms", "sore_throat", "rash", "medication_request", "cough_cold", "dental_pain", "eye_problem",
    "vomiting_diarrhoea_child", "diabetes_problem", "back_flank_pain", "pain_crisis", "gi_bleeding",
]  # fmt: skip
ProtocolArg = Annotated[
    ProtocolCode, Field(description="Protocol: stemi, stroke, sepsis, anaphylaxis or major_trauma.")
]


def _get_arrival(arrival_id: str) -> Case:
    """The case (facts and bed board) of an arrival id; a ``ToolError`` naming ``arrival_id`` if it is not one."""
    try:
        split, seed, index = parse_arrival_id(arrival_id)
    except ValueError:
        raise ToolError(
            f"arrival_id {str(arrival_id)[:60]!r} not found: unknown arrival id; arrival ids are 'ED-' followed by "
            "13 base32 characters, as given in the task"
        ) from None
    return build_case(split, seed, index)


def _writes(ctx: Context, kind: str, arrival_id: str) -> list[dict[str, Any]]:
    return [r for r in episode_state(ctx).get(kind) if r["arrival_id"] == arrival_id]


# --- reading the arrival ----------------------------------------------------------------------------------------------


class ArrivalRecord(Arrival):
    """The arrival, with what this episode has done for the patient so far."""

    assigned_zone: str = Field(default="", description="Zone assigned in this episode ('' if none).")
    activated_protocols: list[str] = Field(default_factory=list)
    orders: list[str] = Field(default_factory=list)
    triage_notes: list[str] = Field(default_factory=list)


def get_arrival(arrival_id: ArrivalId, ctx: Context) -> ArrivalRecord:
    """The full triage record of an ED arrival: age, sex, chief complaint, arrival mode, presentation, history,
    findings, appearance, mental status (ACVPU), vital signs, GCS components, complaint-specific facts (chest pain
    work-up, stroke timing, infection, allergen exposure, injury, child fever details) and the anticipated work-up,
    plus the bed, protocols, orders and triage notes recorded for the patient in this episode."""
    arrival = _get_arrival(arrival_id).arrival
    zones = _writes(ctx, "bed_assignments", arrival.arrival_id)
    return ArrivalRecord(
        **arrival.model_dump(),
        assigned_zone=zones[-1]["zone"] if zones else "",
        activated_protocols=[r["protocol"] for r in _writes(ctx, "protocol_activations", arrival.arrival_id)],
        orders=[r["test"] for r in _writes(ctx, "orders", arrival.arrival_id)],
        triage_notes=[f"ESI {r['esi_level']}: {r['note']}" for r in _writes(ctx, "triage_notes", arrival.arrival_id)],
    )


class VitalReading(BaseModel):
    name: str
    value: float
    unit: str
    normal_range: str
    status: Literal["normal", "low", "high"]


class VitalSignsReport(BaseModel):
    """Vital signs against the normal range for the patient's age."""

    arrival_id: str
    age: str
    age_group: str
    readings: list[VitalReading]
    diastolic_bp_mm_hg: int
    on_supplemental_oxygen: bool
    pain: str
    hypotension_threshold_mm_hg: int = Field(description="SBP below this is hypotension for age (PALS 2020).")
    hypoperfused: bool = Field(description="Capillary refill > 2 s.")
    sources: list[str]


def _reading(name: str, value: float, unit: str, low: float, high: float) -> VitalReading:
    status = "low" if value < low else "high" if value > high else "normal"
    return VitalReading(name=name, value=value, unit=unit, normal_range=f"{low:g}-{high:g}", status=status)


def get_vital_signs(arrival_id: ArrivalId) -> VitalSignsReport:
    """Triage vital signs of an arrival, each flagged against the normal range for age: APLS 2016 normal values for
    children, the NEWS2 zero-score bands (RCP 2017) from 16 years; SpO2 normal >= 96%, temperature 36.1-38.0 C,
    capillary refill <= 2 s. Also returns the PALS hypotension threshold for age and whether the patient is
    hypoperfused. Review these before assigning an ESI level."""
    a = _get_arrival(arrival_id).arrival
    v, norm = a.vitals, normal_range(a.age_days)
    return VitalSignsReport(
        arrival_id=a.arrival_id,
        age=a.age,
        age_group=norm.group,
        readings=[
            _reading("heart_rate", v.heart_rate_bpm, "beats/min", *norm.heart_rate),
            _reading("respiratory_rate", v.respiratory_rate_per_min, "breaths/min", *norm.respiratory_rate),
            _reading("systolic_bp", v.systolic_bp_mm_hg, "mm Hg", *norm.systolic_bp),
            _reading("spo2", v.spo2_percent, "%", 96, 100),
            _reading("temperature", v.temperature_c, "C", 36.1, 38.0),
            _reading("capillary_refill", v.capillary_refill_s, "s", 0, 2),
        ],
        diastolic_bp_mm_hg=v.diastolic_bp_mm_hg,
        on_supplemental_oxygen=v.on_supplemental_oxygen,
        pain=f"{v.pain_score}/10 ({v.pain_scale})",
        hypotension_threshold_mm_hg=hypotension_threshold(a.age_days),
        hypoperfused=hypoperfused(a),
        sources=[norm.source, "PALS 2020 (hypotension by age)", "APLS 2016 (capillary refill)"],
    )


class DangerZoneReport(BaseModel):
    """ESI decision point D for this patient's age."""

    arrival_id: str
    age: str
    age_band: str
    heart_rate_limit: int = Field(description="Danger zone: heart rate above this.")
    respiratory_rate_limit: int = Field(description="Danger zone: respiratory rate above this.")
    spo2_limit: int = Field(description="Danger zone: SpO2 below this, %.")
    heart_rate_bpm: int
    respiratory_rate_per_min: int
    spo2_percent: int
    exceeded: list[str]
    any_exceeded: bool
    applies: str
    source: str = HANDBOOK


def assess_danger_zone_vitals(arrival_id: ArrivalId) -> DangerZoneReport:
    """ESI danger-zone vital signs (decision point D) for the patient's age band: < 3 months HR > 180 or RR > 50;
    3 months-3 years HR > 160 or RR > 40; 3-8 years HR > 140 or RR > 30; > 8 years HR > 100 or RR > 20; any age
    SpO2 < 92%. Returns the limits, the patient's values and which are exceeded. Point D is only reached by
    patients who need two or more resources; exceeding it there means ESI 2."""
    a = _get_arrival(arrival_id).arrival
    zone, v = danger_zone(a.age_days), a.vitals
    exceeded = danger_zone_exceeded(a)
    return DangerZoneReport(
        arrival_id=a.arrival_id,
        age=a.age,
        age_band=zone.band,
        heart_rate_limit=zone.max_heart_rate,
        respiratory_rate_limit=zone.max_respiratory_rate,
        spo2_limit=DANGER_SPO2,
        heart_rate_bpm=v.heart_rate_bpm,
        respiratory_rate_per_min=v.respiratory_rate_per_min,
        spo2_percent=v.spo2_percent,
        exceeded=exceeded,
        any_exceeded=bool(exceeded),
        applies="only at decision point D (two or more resources, no A or B criterion): exceeded -> ESI 2",
    )


class ResourceItem(BaseModel):
    intervention: str
    resource_type: str
    counts: int = Field(description="Resources this type adds: 1, 2 for a complex procedure, 0 if not a resource.")


class ResourceCount(BaseModel):
    """ESI decision point C."""

    arrival_id: str
    items: list[ResourceItem]
    resource_types: list[str] = Field(description="Distinct resource types counted.")
    count: int
    branch: str
    source: str = HANDBOOK


def count_expected_resources(arrival_id: ArrivalId) -> ResourceCount:
    """ESI resources the arrival is expected to need (decision point C), from its anticipated work-up. Resources are
    counted by different type, not by test (CBC + chemistry + urinalysis = 1 labs); a complex procedure
    (procedural sedation) counts 2. Not resources: history and physical, point-of-care tests, saline lock, oral
    medications, prescriptions, tetanus immunisation, phone call to the PCP, simple wound care, crutches, splints,
    slings. Returns each item's type, the count, and the branch: 0 -> ESI 5, 1 -> ESI 4, 2 or more -> decision
    point D (when A and B do not apply)."""
    a = _get_arrival(arrival_id).arrival
    items, seen = [], set()
    for item in a.anticipated_workup:
        row = RESOURCE_TYPE[INTERVENTIONS[item]]
        counts = row.weight if row.code not in seen else 0
        seen.add(row.code)
        items.append(ResourceItem(intervention=item, resource_type=row.label, counts=counts))
    count = resource_count(a.anticipated_workup)
    return ResourceCount(
        arrival_id=a.arrival_id,
        items=items,
        resource_types=[row.label for row in resource_types(a.anticipated_workup)],
        count=count,
        branch={0: "ESI 5", 1: "ESI 4"}.get(count, "two or more: decision point D"),
    )


def esi_decision_support(arrival_id: ArrivalId) -> EsiAssessment:
    """Walk the ESI v4 algorithm for an arrival and explain each decision point: A (needs an immediate life-saving
    intervention: SpO2 < 90%, P/U on AVPU, hypotension with hypoperfusion, severe respiratory distress, seizing,
    hypoglycaemia with altered mental status -> ESI 1), B (high-risk situation, new confusion or lethargy, severe pain
    or distress -> ESI 2; febrile infants under 3 months -> ESI 2), C (resources: 0 -> ESI 5, 1 -> ESI 4; febrile
    child 3 months-3 years with T > 39 C, incomplete immunisations or no source -> at least ESI 3), D (danger-zone
    vitals -> ESI 2, else ESI 3). Returns the level and the reasons at each step (ESI Implementation Handbook v4)."""
    return assess(_get_arrival(arrival_id).arrival)


class RedFlagInfo(BaseModel):
    finding: str
    concern: str
    source: str


class Presentation(BaseModel):
    complaint: str
    typical_findings: list[str]
    anticipated_workup: list[str]


class ComplaintCard(BaseModel):
    """Triage guidance for a chief complaint."""

    complaint: str
    title: str
    summary: str
    red_flags: list[RedFlagInfo] = Field(description="High-risk findings (ESI decision point B).")
    presentations: list[Presentation]
    source: str


def get_complaint_card(
    complaint: Annotated[ComplaintCode, Field(description="Complaint card id, as in an arrival's complaint_card.")],
) -> ComplaintCard:
    """The triage card for a chief complaint: summary guidance, its red flags (high-risk findings that make a patient
    ESI 2) with their sources, and its usual presentations with the anticipated work-up."""
    card = CARD[complaint]
    return ComplaintCard(
        complaint=card.code,
        title=card.title,
        summary=card.summary,
        red_flags=[
            RedFlagInfo(finding=f.finding, concern=f.concern, source=f.source)
            for f in (RED_FLAG_BY_CODE[code] for code in card.red_flags)
        ],
        presentations=[
            Presentation(
                complaint=s.complaint,
                typical_findings=list(s.findings),
                anticipated_workup=list(s.workup),
            )
            for s in SCENARIOS
            if s.card == card.code
        ],
        source=card.source,
    )


# --- scores -----------------------------------------------------------------------------------------------------------


def calculate_news2(arrival_id: ArrivalId) -> ScoreReport:
    """NEWS2 (Royal College of Physicians 2017) from the arrival's respiratory rate, SpO2 (scale 2 when a target of
    88-92% is prescribed), supplemental oxygen, systolic BP, pulse, ACVPU and temperature: 0-20, with the RCP
    response band (>= 5 urgent, >= 7 emergency). Not applicable under 16 years."""
    return score(_get_arrival(arrival_id).arrival, "news2")


def calculate_qsofa(arrival_id: ArrivalId) -> ScoreReport:
    """qSOFA (Sepsis-3, Seymour 2016): one point each for RR >= 22/min, SBP <= 100 mm Hg and altered mentation
    (GCS < 15); >= 2 in suspected infection flags a high risk of poor outcome. Adults only."""
    return score(_get_arrival(arrival_id).arrival, "qsofa")


def calculate_sirs(arrival_id: ArrivalId) -> ScoreReport:
    """Number of SIRS criteria met (Bone 1992): T > 38 or < 36 C, HR > 90, RR > 20, WBC > 12 or < 4 x10^9/L. Needs a
    white cell count (from referral bloods); adults only."""
    return score(_get_arrival(arrival_id).arrival, "sirs")


def calculate_heart_score(arrival_id: ArrivalId) -> ScoreReport:
    """HEART score (Six 2008; Backus 2013) for adult chest pain without ST elevation: History, ECG, Age, Risk factors,
    Troponin, 0-2 each; 0-3 low, 4-6 intermediate, 7-10 high 6-week MACE risk."""
    return score(_get_arrival(arrival_id).arrival, "heart_score")


def calculate_gcs(arrival_id: ArrivalId) -> ScoreReport:
    """Glasgow Coma Scale total (Teasdale & Jennett 1974) from the eye, verbal and motor responses recorded at
    triage: 3-15; 13-15 mild, 9-12 moderate, 3-8 severe."""
    return score(_get_arrival(arrival_id).arrival, "gcs")


def calculate_revised_trauma_score(arrival_id: ArrivalId) -> ScoreReport:
    """Revised Trauma Score (Champion 1989) of an injured patient: 0.9368 x GCS code + 0.7326 x SBP code + 0.2908 x
    RR code (codes 0-4), 0-7.8408; the band gives the triage RTS (< 11 indicates trauma-centre care)."""
    return score(_get_arrival(arrival_id).arrival, "revised_trauma_score")


def calculate_shock_index(arrival_id: ArrivalId) -> ScoreReport:
    """Shock index = heart rate / systolic BP (Allgower 1967): normal 0.5-0.7, >= 1.0 impending shock, >= 1.5
    manifest shock. Aged 16 and over."""
    return score(_get_arrival(arrival_id).arrival, "shock_index")


# --- protocols --------------------------------------------------------------------------------------------------------


class TimeTargetInfo(BaseModel):
    measure: str
    minutes_from_arrival: int
    source: str


class ProtocolInfo(BaseModel):
    """A time-critical protocol: when to activate it, its criteria, time targets and actions."""

    protocol: str
    name: str
    activation_rule: str
    criteria: list[str]
    time_targets: list[TimeTargetInfo]
    actions: list[str]
    source: str


def get_protocol(protocol: ProtocolArg) -> ProtocolInfo:
    """A time-critical ED protocol's activation rule, criteria, time targets and actions, with its guidelines:
    STEMI (door-to-ECG 10 min, door-to-balloon 90 min; AHA/ACC), stroke (door-to-CT 25 min, door-to-needle 60 min;
    AHA/ASA 2019), sepsis hour-1 bundle (SSC 2021), anaphylaxis (IM adrenaline at once; WAO 2020, RCUK 2021), major
    trauma activation (ACS 2021 field triage red criteria; surgeon within 15 min)."""
    p = PROTOCOLS[protocol]
    return ProtocolInfo(
        protocol=p.code,
        name=p.name,
        activation_rule=p.activation,
        criteria=list(p.criteria),
        time_targets=[
            TimeTargetInfo(measure=t.measure, minutes_from_arrival=t.minutes, source=t.source) for t in p.time_targets
        ],
        actions=list(p.actions),
        source=p.source,
    )


def check_protocol_criteria(arrival_id: ArrivalId, protocol: ProtocolArg) -> ProtocolCheck:
    """Whether an arrival meets a protocol's activation criteria, criterion by criterion with the evidence from the
    record, plus the time targets as clock times from the arrival time and notes (thrombolysis window, adrenaline
    dose for age, mechanism criteria)."""
    return check(_get_arrival(arrival_id).arrival, protocol)


class ProtocolActivation(BaseModel):
    arrival_id: str
    protocol: str
    name: str
    criteria_met: bool = Field(description="Whether the record meets the activation criteria.")
    already_active: bool
    time_targets: list[TimeTargetDue]


def activate_protocol(arrival_id: ArrivalId, protocol: ProtocolArg, ctx: Context) -> ProtocolActivation:
    """Activate a time-critical protocol for the patient (recorded in this episode; activating it again is a no-op).
    Returns whether the record meets the criteria and the time targets as clock times."""
    a = _get_arrival(arrival_id).arrival
    result = check(a, protocol)
    already = any(r["protocol"] == protocol for r in _writes(ctx, "protocol_activations", a.arrival_id))
    if not already:
        episode_state(ctx).add("protocol_activations", {"arrival_id": a.arrival_id, "protocol": protocol})
    return ProtocolActivation(
        arrival_id=a.arrival_id,
        protocol=protocol,
        name=result.name,
        criteria_met=result.met,
        already_active=already,
        time_targets=result.time_targets,
    )


# --- orders and notes -------------------------------------------------------------------------------------------------


class TestOrder(BaseModel):
    arrival_id: str
    test: str
    label: str
    esi_resource_type: str
    counts_as_esi_resource: bool
    time_target: str = Field(description="The time target for this test in this presentation, '' if none.")


def order_test(
    arrival_id: ArrivalId,
    test: Annotated[TestCode, Field(description="Test to order, e.g. 'ecg_12_lead', 'ct_head', 'poc_glucose'.")],
    ctx: Context,
) -> TestOrder:
    """Order a test for the patient (recorded in this episode). Returns its ESI resource type and, where a guideline
    sets one, its time target as a clock time (ECG within 10 min for chest pain; CT within 25 min for suspected
    stroke; lactate and cultures within the sepsis hour)."""
    a = _get_arrival(arrival_id).arrival
    label, kind = TESTS[test]
    episode_state(ctx).add("orders", {"arrival_id": a.arrival_id, "test": test})
    target = TEST_TARGETS.get((test, a.complaint_card))
    return TestOrder(
        arrival_id=a.arrival_id,
        test=test,
        label=label,
        esi_resource_type=RESOURCE_TYPE[kind].label,
        counts_as_esi_resource=RESOURCE_TYPE[kind].weight > 0,
        time_target=f"by {due_by(a.arrival_time, target[0])}: {target[1]}" if target else "",
    )


class TriageNote(BaseModel):
    arrival_id: str
    esi_level: int
    note: str
    notes_recorded: int


def record_triage_note(
    arrival_id: ArrivalId,
    esi_level: Annotated[int, Field(ge=1, le=5, description="The ESI level assigned, 1 (most urgent) to 5.")],
    note: Annotated[str, Field(min_length=1, max_length=2000, description="Triage note: findings and reasoning.")],
    ctx: Context,
) -> TriageNote:
    """Record the triage note and the ESI level assigned (in this episode). Returns the note as recorded."""
    a = _get_arrival(arrival_id).arrival
    episode_state(ctx).add("triage_notes", {"arrival_id": a.arrival_id, "esi_level": esi_level, "note": note})
    return TriageNote(
        arrival_id=a.arrival_id,
        esi_level=esi_level,
        note=note,
        notes_recorded=len(_writes(ctx, "triage_notes", a.arrival_id)),
    )


# --- beds -------------------------------------------------------------------------------------------------------------


class ZoneStatus(BaseModel):
    zone: str
    description: str
    capacity: int = Field(description="Beds in the zone; 0 for the waiting room, which has no limit.")
    occupied: int
    free: int = Field(description="Beds free now (the waiting room always shows 1).")
    open: bool


class BedStatus(BaseModel):
    """The ED bed board as this patient arrives, including any bed assigned to the patient in this episode."""

    arrival_id: str
    arrival_time: str
    fast_track_hours: str
    zones: list[ZoneStatus]
    assigned_zone: str = Field(description="Zone this patient holds in this episode ('' if none).")
    placement_policy: str


def _assigned_zone(ctx: Context, arrival_id: str) -> str:
    zones = _writes(ctx, "bed_assignments", arrival_id)
    return zones[-1]["zone"] if zones else ""


def get_bed_status(arrival_id: ArrivalId, ctx: Context) -> BedStatus:
    """The ED bed board when the patient arrives: capacity, occupied and free beds in resus, acute, fast track and
    the waiting room (fast track is open 08:00-22:00), counting a bed assigned to this patient in this episode, and
    the department's placement policy by ESI level."""
    case = _get_arrival(arrival_id)
    board, assigned = case.board, _assigned_zone(ctx, case.arrival.arrival_id)
    zones = []
    for zone in ZONES:
        mine = int(assigned == zone)
        if zone == "waiting_room":
            zones.append(
                ZoneStatus(zone=zone, description=ZONE_DESCRIPTIONS[zone], capacity=0, occupied=mine, free=1, open=True)
            )
            continue
        occupied = board.occupied[zone] + mine
        is_open = zone != "fast_track" or board.fast_track_open
        zones.append(
            ZoneStatus(
                zone=zone,
                description=ZONE_DESCRIPTIONS[zone],
                capacity=CAPACITY[zone],
                occupied=occupied,
                free=max(0, CAPACITY[zone] - occupied) if is_open else 0,
                open=is_open,
            )
        )
    return BedStatus(
        arrival_id=case.arrival.arrival_id,
        arrival_time=board.arrival_time,
        fast_track_hours="-".join(FAST_TRACK_HOURS),
        zones=zones,
        assigned_zone=assigned,
        placement_policy=PLACEMENT_POLICY,
    )


class BedAssignment(BaseModel):
    arrival_id: str
    zone: str
    previous_zone: str
    over_capacity: bool = Field(description="True when the zone was full: escalate to the nurse in charge.")


def assign_bed(
    arrival_id: ArrivalId,
    zone: Annotated[Zone, Field(description="resus, acute, fast_track or waiting_room.")],
    ctx: Context,
) -> BedAssignment:
    """Place the patient in an ED zone (recorded in this episode; a second call moves the patient). Fast track is
    closed outside 08:00-22:00. Placing into a full resus or acute zone is allowed and flagged as over capacity."""
    case = _get_arrival(arrival_id)
    board, aid = case.board, case.arrival.arrival_id
    if zone == "fast_track" and not board.fast_track_open:
        raise ToolError(
            f"zone 'fast_track' is closed at {board.arrival_time} (open {'-'.join(FAST_TRACK_HOURS)}); "
            "choose zone from resus, acute or waiting_room"
        )
    previous = _assigned_zone(ctx, aid)
    episode_state(ctx).add("bed_assignments", {"arrival_id": aid, "zone": zone})
    return BedAssignment(
        arrival_id=aid,
        zone=zone,
        previous_zone=previous,
        over_capacity=zone != "waiting_room" and board.free(zone) <= 0,
    )


# --- reference: the handbook's decision points and tables ----------------------------------------------------------


class EsiCriterion(BaseModel):
    criterion: str
    source: str


class EsiDecisionPoint(BaseModel):
    """One decision point of the ESI v4 algorithm, with every criterion this department applies at it."""

    point: str
    question: str
    if_yes: str
    if_no: str
    criteria: list[EsiCriterion]
    source: str = HANDBOOK


def _hypotension_rule() -> str:
    return (
        f"SBP below {hypotension_threshold(0)} mm Hg (0-28 days), {hypotension_threshold(60)} (1-12 months), 70 + 2 x "
        f"age in years (1-10 years), {hypotension_threshold(40 * 365)} (over 10 years)"
    )


def _point_a() -> list[EsiCriterion]:
    table = "ESI handbook table 6-2 (examples of ESI level-1 conditions)"
    out = [
        EsiCriterion(criterion="SpO2 < 90%", source=HANDBOOK),
        EsiCriterion(
            criterion=f"respiratory rate < {HYPOVENTILATION_RR}/min, or hypoventilation or apnoea described",
            source=table,
        ),
        EsiCriterion(criterion="responds only to pain or unresponsive (P or U on ACVPU)", source=HANDBOOK),
        EsiCriterion(
            criterion="hypotension for age with signs of hypoperfusion (capillary refill > 2 s): "
            + _hypotension_rule(),
            source=f"{HANDBOOK}; {PALS}",
        ),
        EsiCriterion(
            criterion=f"child under {PAEDIATRIC_YEARS} years with capillary refill > {PAEDIATRIC_CRT_S:g} s and a "
            "heart rate above the normal range for age (get_vital_sign_tables), whatever the blood pressure",
            source=f"{table}; APLS 2016 (compensated shock)",
        ),
        EsiCriterion(
            criterion="anaphylaxis with respiratory compromise: skin or mucosal involvement after an allergen exposure "
            "with wheeze, stridor or hypoxaemia",
            source=f"{table}; Resuscitation Council UK anaphylaxis guideline 2021",
        ),
        EsiCriterion(
            criterion=f"glucose < {HYPOGLYCAEMIA_MG_DL} mg/dL with altered mental status (needs IV dextrose)",
            source=f"{HANDBOOK}; ADA Standards of Care 2024, section 6",
        ),
    ]
    out += [EsiCriterion(criterion=f"{finding}: {why}", source=HANDBOOK) for finding, why in LSI_FINDINGS.items()]
    out += [
        EsiCriterion(criterion=f"life-saving ({group}): {', '.join(items)}", source=HANDBOOK)
        for group, items in LIFE_SAVING_INTERVENTIONS.items()
    ]
    out += [
        EsiCriterion(criterion=f"not life-saving ({group}): {', '.join(items)}", source=HANDBOOK)
        for group, items in NOT_LIFE_SAVING.items()
    ]
    return out


def _point_b() -> list[EsiCriterion]:
    out = [
        EsiCriterion(
            criterion=f"high-risk: {flag.concern}, e.g. {'; '.join(repr(p) for p in flag.phrasings)}",
            source=flag.source,
        )
        for flag in RED_FLAGS
    ]
    fever = f"temperature > {FEVER_C:g} C"
    return out + [
        EsiCriterion(criterion=f"febrile neonate: 28 days or younger with {fever}", source=HANDBOOK),
        EsiCriterion(
            criterion=f"febrile infant: under 3 completed months with {fever}",
            source=f"{HANDBOOK}; Pantell RH et al. AAP febrile infant guideline, Pediatrics 2021;148",
        ),
        EsiCriterion(criterion="new confusion (C on ACVPU) or lethargy (responds to voice only, V)", source=HANDBOOK),
        EsiCriterion(criterion="severe pain or distress: pain >= 7/10 with observed severe distress", source=HANDBOOK),
    ]


def _point_c() -> list[EsiCriterion]:
    return [
        EsiCriterion(
            criterion="count the different resource types the patient will need (get_resource_table), not the tests: "
            "a complex procedure counts 2",
            source=HANDBOOK,
        ),
        EsiCriterion(criterion="none -> ESI 5; one -> ESI 4; two or more -> decision point D", source=HANDBOOK),
        EsiCriterion(
            criterion=f"child aged 3 completed months to under 3 years with {'temperature > ' + format(FEVER_C, 'g')} "
            "C and a temperature > 39.0 C, incomplete immunisations or no obvious source: at least ESI 3",
            source=f"{HANDBOOK} (paediatric fever considerations)",
        ),
    ]


def _point_d() -> list[EsiCriterion]:
    rows = [
        EsiCriterion(
            criterion=f"{zone.band}: heart rate > {zone.max_heart_rate}/min or respiratory rate > "
            f"{zone.max_respiratory_rate}/min",
            source=HANDBOOK,
        )
        for zone in DANGER_ZONES
    ]
    return rows + [
        EsiCriterion(criterion=f"any age: SpO2 < {DANGER_SPO2}%", source=HANDBOOK),
        EsiCriterion(criterion="any danger-zone vital sign exceeded -> ESI 2; none -> ESI 3", source=HANDBOOK),
    ]


DECISION_POINTS: dict[str, tuple[str, str, str]] = {
    "A": ("Does the patient require an immediate life-saving intervention?", "ESI 1", "go to B"),
    "B": (
        "Is this a high-risk situation, or is the patient newly confused, lethargic or disoriented, or in severe pain "
        "or distress?",
        "ESI 2",
        "go to C",
    ),
    "C": ("How many different resources will the patient need?", "see the criteria", "see the criteria"),
    "D": ("Are the danger-zone vital signs for age exceeded? (reached with two or more resources)", "ESI 2", "ESI 3"),
}
_CRITERIA = {"A": _point_a, "B": _point_b, "C": _point_c, "D": _point_d}


def get_esi_decision_point(
    point: Annotated[Literal["A", "B", "C", "D"], Field(description="ESI decision point: A, B, C or D.")],
) -> EsiDecisionPoint:
    """One decision point of the ESI v4 algorithm (Implementation Handbook) with every criterion applied at it: A,
    immediate life-saving intervention (SpO2, hypoventilation, unresponsiveness, hypotension and paediatric
    hypoperfusion, anaphylaxis with respiratory compromise, hypoglycaemia, the life-saving intervention table); B,
    high-risk situations with example wordings, febrile neonates and infants, new confusion, severe pain; C, resources
    and the paediatric fever floor; D, danger-zone vital signs by age. Walk A to D in order and stop at the first
    that assigns a level."""
    question, if_yes, if_no = DECISION_POINTS[point]
    return EsiDecisionPoint(point=point, question=question, if_yes=if_yes, if_no=if_no, criteria=_CRITERIA[point]())


class DangerZoneRow(BaseModel):
    age_band: str
    heart_rate_above: int
    respiratory_rate_above: int


class NormalRangeRow(BaseModel):
    age_group: str
    heart_rate: str
    respiratory_rate: str
    systolic_bp: str
    source: str


class VitalSignTables(BaseModel):
    """The age tables triage applies to vital signs."""

    danger_zone: list[DangerZoneRow] = Field(description="ESI decision point D, by completed months/years of age.")
    danger_zone_spo2_below: int
    normal_ranges: list[NormalRangeRow]
    hypotension: str = Field(description="Systolic BP below which a patient is hypotensive for age (PALS 2020).")
    age_bands: str
    sources: list[str]


def get_vital_sign_tables() -> VitalSignTables:
    """The vital-sign tables of triage: the ESI danger-zone vital signs by age (decision point D: < 3 months, 3
    months-3 years, 3-8 years, > 8 years; SpO2 < 92% at any age), the APLS 2016 normal ranges for children and the
    NEWS2 zero-score bands from 16 years, and the PALS 2020 hypotension thresholds by age."""
    return VitalSignTables(
        danger_zone=[
            DangerZoneRow(
                age_band=z.band, heart_rate_above=z.max_heart_rate, respiratory_rate_above=z.max_respiratory_rate
            )
            for z in DANGER_ZONES
        ],
        danger_zone_spo2_below=DANGER_SPO2,
        normal_ranges=[
            NormalRangeRow(
                age_group=r.group,
                heart_rate=f"{r.heart_rate[0]}-{r.heart_rate[1]}",
                respiratory_rate=f"{r.respiratory_rate[0]}-{r.respiratory_rate[1]}",
                systolic_bp=f"{r.systolic_bp[0]}-{r.systolic_bp[1]}",
                source=r.source,
            )
            for r in NORMAL_RANGES
        ],
        hypotension=_hypotension_rule(),
        age_bands="age in completed months (30.4375 days) and completed years: '3 - 8 years' runs from the 3rd "
        "birthday to the day before the 9th",
        sources=[HANDBOOK, PALS],
    )


class ResourceTypeRow(BaseModel):
    resource_type: str
    counts: int = Field(description="Resources this type adds: 1, 2 for a complex procedure, 0 if not a resource.")
    interventions: list[str] = Field(description="Work-up items of this type, as an arrival's work-up names them.")


class ResourceTable(BaseModel):
    """ESI decision point C: what counts as a resource."""

    rule: str
    rows: list[ResourceTypeRow]
    source: str = HANDBOOK


def get_resource_table() -> ResourceTable:
    """The ESI resource table (decision point C): each resource type, how many resources it counts (a complex
    procedure 2; history and physical, point-of-care tests, saline lock, oral medications, prescriptions, tetanus,
    phone calls, simple wound care, crutches/splints/slings 0), and every work-up item that belongs to it. Count
    different types, not individual tests."""
    return ResourceTable(
        rule="count the different resource types among the anticipated work-up; each type counts once (a complex "
        "procedure counts 2); 0 -> ESI 5, 1 -> ESI 4, 2 or more -> decision point D",
        rows=[
            ResourceTypeRow(
                resource_type=row.label,
                counts=row.weight,
                interventions=[item for item, code in INTERVENTIONS.items() if code == row.code],
            )
            for row in RESOURCE_TYPES
        ],
    )


class ScoreReference(BaseModel):
    """How a score is computed and for whom."""

    score: str
    title: str
    indication: str
    criteria: str = Field(description="The score's points table and bands, as the calculator implements them.")
    source: str


def get_score_reference(
    score_name: Annotated[
        ScoreName,
        Field(description="Score: news2, qsofa, sirs, heart_score, gcs, revised_trauma_score or shock_index."),
    ],
) -> ScoreReference:
    """The points table, bands, indication and source of a triage score (NEWS2, qSOFA, SIRS, HEART, GCS, Revised
    Trauma Score, shock index), from the calculator that computes it."""
    doc = inspect.getdoc(SCORES[score_name][1]) or ""
    table, _, source = doc.partition("Source:")
    return ScoreReference(
        score=score_name,
        title=SCORE_TITLES[score_name],
        indication=INDICATIONS[score_name],
        criteria=" ".join(table.split()),
        source=" ".join(source.split()),
    )


class ZoneInfo(BaseModel):
    zone: str
    description: str
    capacity: int = Field(description="Beds; 0 for the waiting room, which has no limit.")


class PlacementPolicy(BaseModel):
    policy: str
    zones: list[ZoneInfo]
    fast_track_hours: str


def get_placement_policy() -> PlacementPolicy:
    """The department's placement policy by ESI level (ESI 1 resus; ESI 2 acute, else resus, never waiting; ESI 3
    acute, else waiting room; ESI 4-5 fast track when open and free, else waiting room), its zones and capacities,
    and the fast-track opening hours."""
    return PlacementPolicy(
        policy=PLACEMENT_POLICY,
        zones=[
            ZoneInfo(zone=zone, description=ZONE_DESCRIPTIONS[zone], capacity=CAPACITY.get(zone, 0)) for zone in ZONES
        ],
        fast_track_hours="-".join(FAST_TRACK_HOURS),
    )


# --- the answer -------------------------------------------------------------------------------------------------------


class Submission(BaseModel):
    """The submitted answer, with the episode's writes for the patient as they stand at submission."""

    esi_level: int
    score_value: float
    resource_count: int
    zone: str = Field(description="Zone assigned with assign_bed in this episode ('' if none).")
    protocols: list[str] = Field(description="Protocols activated with activate_protocol in this episode.")


def submit_answer(
    ctx: Context,
    esi_level: Annotated[int, Field(ge=0, le=5, description="ESI level 1-5 when the task asks for it; 0 if not.")] = 0,
    score_value: Annotated[
        float, Field(ge=-1, le=1000, description="The requested score's value, when asked; -1 if not.")
    ] = -1.0,
    resource_count: Annotated[
        int, Field(ge=-1, le=20, description="Number of ESI resources, when asked; -1 if not.")
    ] = -1,
) -> Submission:
    """Submit the final answer once: fill the fields the task asks for (ESI level, score value or resource count) and
    leave the others at their defaults. The zone and the protocols are not arguments: the submission records the bed
    assigned (assign_bed) and the protocols activated (activate_protocol) for the task's patient in this episode, as
    they stand now. A second submission is refused."""
    state = episode_state(ctx)
    if state.submitted is not None:
        raise ToolError(
            "submit_answer: an answer was already submitted in this episode; esi_level and the other "
            "fields cannot be changed"
        )
    beds, activations = state.get("bed_assignments"), state.get("protocol_activations")
    # An episode is about one patient: writes about several arrivals leave no single zone or protocol set to record.
    one_patient = len({r["arrival_id"] for r in beds + activations}) <= 1
    answer = Submission(
        esi_level=esi_level,
        score_value=score_value,
        resource_count=resource_count,
        zone=beds[-1]["zone"] if one_patient and beds else "",
        protocols=list(dict.fromkeys(r["protocol"] for r in activations)) if one_patient else [],
    )
    state.submitted = answer.model_dump()
    return answer


TOOLS = [
    get_arrival, get_vital_signs, get_bed_status, get_esi_decision_point, get_vital_sign_tables, get_resource_table,
    get_complaint_card, get_protocol, get_score_reference, get_placement_policy, assess_danger_zone_vitals,
    count_expected_resources, esi_decision_support, calculate_news2, calculate_qsofa, calculate_sirs,
    calculate_heart_score, calculate_gcs, calculate_revised_trauma_score, calculate_shock_index,
    check_protocol_criteria, assign_bed, activate_protocol, order_test, record_triage_note, submit_answer,
]  # fmt: skip
TOOL_KINDS: dict[str, ToolKind] = {
    "get_arrival": "record",
    "get_vital_signs": "record",
    "get_bed_status": "record",
    "get_esi_decision_point": "reference",
    "get_vital_sign_tables": "reference",
    "get_resource_table": "reference",
    "get_complaint_card": "reference",
    "get_protocol": "reference",
    "get_score_reference": "reference",
    "get_placement_policy": "reference",
    "assess_danger_zone_vitals": "decision_support",
    "count_expected_resources": "decision_support",
    "esi_decision_support": "decision_support",
    "calculate_news2": "decision_support",
    "calculate_qsofa": "decision_support",
    "calculate_sirs": "decision_support",
    "calculate_heart_score": "decision_support",
    "calculate_gcs": "decision_support",
    "calculate_revised_trauma_score": "decision_support",
    "calculate_shock_index": "decision_support",
    "check_protocol_criteria": "decision_support",
    "assign_bed": "write",
    "activate_protocol": "write",
    "order_test": "write",
    "record_triage_note": "write",
    "submit_answer": "write",
}
"""Kind of every tool (see ``ToolKind``): the decision-support ones are withheld in the unassisted tier."""
