"""The psychiatry tools: plain typed functions whose signatures are the MCP schemas.

Record tools rebuild the patient from the id (``_case``), so every tool fails the same way on a bad id; the patient
answers an instrument item or an interview topic only when asked. Reference tools return case-independent tables;
decision-support tools apply them to the patient (withheld in the unassisted tier). Writes (disposition, safety plan,
orders, the submission) go to the episode's own state, and the chart reads them back.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from mcp.server.fastmcp import Context
from mcp.server.fastmcp.exceptions import ToolError
from pydantic import BaseModel, Field

from healthgym.mcp_servers.clinic import episode_state
from healthgym.mcp_servers.domain import ToolKind
from healthgym.mcp_servers.domains.psychiatry import criteria, instruments, pharmacology, risk
from healthgym.mcp_servers.domains.psychiatry.patients import Case, PatientRecord, build_case, parse_case_id
from healthgym.mcp_servers.domains.psychiatry.tasks import ORDERS, lithium_review_of

PatientId = Annotated[str, Field(description="Opaque patient id, such as 'PSY-7K1CRTK27AVMF'.")]
InstrumentCode = Literal["phq9", "gad7", "audit", "auditc", "cage", "pcl5", "epds", "mdq", "asrs", "scoff", "cssrs"]
InstrumentArg = Annotated[InstrumentCode, Field(description="Instrument code: " + ", ".join(instruments.INSTRUMENTS))]
DisorderCode = Literal["major_depressive_disorder", "generalized_anxiety_disorder", "panic_disorder", "ptsd",
                       "bipolar_i", "bipolar_ii", "adhd_adult"]  # fmt: skip
DisorderArg = Annotated[DisorderCode, Field(description="Disorder code: " + ", ".join(criteria.DISORDER_CODES))]
TopicCode = Literal[tuple(criteria.TOPICS)]  # type: ignore[valid-type]
DispositionCode = Literal["routine_care", "outpatient_referral", "urgent_same_day_evaluation",
                          "emergency_evaluation_constant_observation"]  # fmt: skip
PlanElement = Literal["warning_signs", "internal_coping", "social_distraction", "people_to_ask_for_help",
                      "professional_crisis_contacts", "lethal_means_safety"]  # fmt: skip
OrderCode = Literal[tuple(ORDERS)]  # type: ignore[valid-type]
Measure = Literal[pharmacology.METABOLIC_MEASURES]  # type: ignore[valid-type]

assert set(InstrumentCode.__args__) == set(instruments.INSTRUMENTS)  # type: ignore[attr-defined]
assert set(DisorderCode.__args__) == set(criteria.DISORDERS)  # type: ignore[attr-defined]
assert set(DispositionCode.__args__) == set(risk.DISPOSITIONS)  # type: ignore[attr-defined]
assert set(PlanElement.__args__) == set(risk.SAFETY_PLAN_ELEMENTS)  # type: ignore[attr-defined]


def _case(patient_id: str) -> Case:
    """The case of a patient id; a ``ToolError`` naming ``patient_id`` if it is not one."""
    try:
        return build_case(*parse_case_id(patient_id))
    except ValueError:
        raise ToolError(
            f"patient_id {str(patient_id)[:60]!r} not found; patient ids look like 'PSY-' and 13 base32 characters"
        ) from None


def _writes(ctx: Context, kind: str, patient_id: str) -> list[dict[str, Any]]:
    return [r for r in episode_state(ctx).get(kind) if r["patient_id"] == patient_id]


# --- record ------------------------------------------------------------------------------------------------------


class PatientChart(PatientRecord):
    """The chart, with what this episode has recorded for the patient."""

    disposition: str = Field(default="", description="Disposition recorded in this episode ('' if none).")
    safety_plan: list[str] = Field(default_factory=list, description="Elements of the recorded safety plan.")
    orders: list[str] = Field(default_factory=list, description="Orders placed in this episode.")


def get_patient_record(patient_id: PatientId, ctx: Context) -> PatientChart:
    """The patient's chart: age, sex, setting, presenting complaint, psychiatric, medical, substance and social
    history, medications (with drug class and months on each), mental status examination, vital signs, labs (ANC for
    clozapine, creatine kinase), the ECG (QT, heart rate, baseline QTc) and the neuromuscular examination where
    recorded, and the disposition, safety plan and orders recorded in this episode. Instrument answers and interview
    findings are not in the chart: ask the patient."""
    r = _case(patient_id).record
    dispositions = _writes(ctx, "dispositions", r.patient_id)
    plans = _writes(ctx, "safety_plans", r.patient_id)
    return PatientChart(
        **r.model_dump(),
        disposition=dispositions[-1]["disposition"] if dispositions else "",
        safety_plan=plans[-1]["elements"] if plans else [],
        orders=[o["order"] for o in _writes(ctx, "orders", r.patient_id)],
    )


class ItemAnswer(BaseModel):
    instrument: str
    item: int
    text: str
    answer: str = Field(description="The patient's answer, exactly one of the item's option labels.")
    options: list[str]


def ask_instrument_item(
    patient_id: PatientId,
    instrument: InstrumentArg,
    item: Annotated[int, Field(ge=1, le=20, description="Item number, from 1 to the instrument's item count.")],
) -> ItemAnswer:
    """Ask the patient one item of an instrument and record the answer (one of the item's option labels). The
    item wording is the instrument's own where its terms allow; the EPDS and MDQ are given by item number with the
    answer as recorded on the scored form (see get_instrument for the scoring and the terms)."""
    case = _case(patient_id)
    inst = instruments.get_instrument(instrument)
    if item > len(inst.items):
        raise ToolError(f"item {item} is out of range for instrument {instrument!r} (1-{len(inst.items)})")
    it = inst.item(item)
    return ItemAnswer(instrument=instrument, item=item, text=it.text,
                      answer=case.file.hidden.answers[instrument][item - 1],
                      options=[label for label, _ in it.options])  # fmt: skip


class InterviewAnswer(BaseModel):
    topic: str
    question: str
    patient_says: str
    present: bool = Field(description="Clinician's coding of a yes/no topic (False for a numeric topic of 0).")
    value: float = Field(description="The number for a duration topic (days or months); 1/0 for yes/no.")
    unit: str


def ask_interview_question(
    patient_id: PatientId,
    topic: Annotated[TopicCode, Field(description="Interview topic code (see get_criteria_checklist).")],
) -> InterviewAnswer:
    """Ask the patient about one interview topic (a symptom, its duration, an exposure, impairment, substance or
    medical causes, past episodes) and get the answer and its coding. Topics per disorder are listed by
    get_criteria_checklist; the questions are ours, paraphrasing DSM-5-TR content."""
    case = _case(patient_id)
    t = criteria.TOPICS[topic]
    raw = case.file.hidden.findings.get(topic, False)
    if t.unit:
        value = float(raw)
        says = f"For about {value:g} {t.unit}." if value else "I haven't had that."
        return InterviewAnswer(topic=topic, question=t.question, patient_says=says, present=value > 0, value=value,
                               unit=t.unit)  # fmt: skip
    present = bool(raw)
    says = "Yes, that has been happening." if present else "No, not really."
    return InterviewAnswer(topic=topic, question=t.question, patient_says=says, present=present, value=float(present),
                           unit="")  # fmt: skip


# --- reference ---------------------------------------------------------------------------------------------------


class ItemInfo(BaseModel):
    number: int
    text: str
    options: dict[str, int] = Field(description="Option label -> points.")


class InstrumentInfo(BaseModel):
    code: str
    title: str
    instructions: str
    items: list[ItemInfo]
    scoring: str
    bands: list[str]
    source: str
    licence: str


def get_instrument(instrument: InstrumentArg) -> InstrumentInfo:
    """An instrument's items, each option's points (reverse-scored items included), the scoring rule with its
    published cut-offs, its source and the publisher's reproduction terms. The EPDS and MDQ wording and copyrighted
    cognitive screens (MMSE, MoCA) are not reproduced."""
    inst = instruments.get_instrument(instrument)
    return InstrumentInfo(
        code=inst.code, title=inst.title, instructions=inst.instructions,
        items=[ItemInfo(number=i.number, text=i.text, options=dict(i.options)) for i in inst.items],
        scoring=inst.scoring, bands=list(inst.bands), source=inst.source, licence=inst.licence,
    )  # fmt: skip


class ChecklistCriterion(BaseModel):
    code: str
    label: str
    rule: str
    topics: list[str]


class CriteriaChecklist(BaseModel):
    disorder: str
    title: str
    criteria: list[ChecklistCriterion]
    symptoms: list[str] = Field(description="The symptom topics counted in a symptom count.")
    topics: list[str] = Field(description="Every interview topic the criteria read.")
    source: str
    note: str = "Criteria paraphrased as short labels; the DSM-5-TR text is copyrighted by the APA."


def get_criteria_checklist(disorder: DisorderArg) -> CriteriaChecklist:
    """A disorder's DSM-5-TR criteria as a checklist: each criterion's code, paraphrased label, counting or duration
    rule, and the interview topics that supply its evidence (DSM-5-TR, APA 2022)."""
    d = criteria.get_disorder(disorder)
    return CriteriaChecklist(
        disorder=d.code, title=d.title, source=criteria.DSM, symptoms=list(dict.fromkeys(d.symptoms)),
        topics=list(d.topics),
        criteria=[ChecklistCriterion(code=c.code, label=c.label, rule=c.rule(),
                                     topics=[*c.topics, *([c.or_topic] if c.or_topic else [])]) for c in d.criteria],
    )  # fmt: skip


class RiskGuide(BaseModel):
    levels: dict[str, str] = Field(description="C-SSRS level -> which answers give it.")
    dispositions: dict[str, str] = Field(description="Disposition code -> what it means.")
    level_disposition: dict[str, str]
    safety_plan_elements: dict[str, str]
    safety_plan_rule: str
    skip_rule: str
    sources: list[str]


def get_suicide_risk_guide() -> RiskGuide:
    """C-SSRS screener triage: which answers give low, moderate or high risk, the disposition for each level
    (Columbia triage; Joint Commission NPSG 15.01.01), and the six required elements of a Stanley-Brown safety plan."""
    return RiskGuide(
        levels={
            "high": "yes to item 4 or 5, or item 6 within the past 3 months",
            "moderate": "yes to item 3, or item 6 more than 3 months ago",
            "low": "yes to item 1 or 2 only",
            "none": "every item no",
        },
        dispositions=risk.DISPOSITIONS, level_disposition=risk.LEVEL_DISPOSITION,
        safety_plan_elements=risk.SAFETY_PLAN_ELEMENTS,
        safety_plan_rule="every positive screen (low, moderate or high) gets a safety plan with all six elements",
        skip_rule="ask items 1 and 2; ask 3, 4 and 5 only if item 2 is yes; always ask item 6",
        sources=[risk.COLUMBIA, risk.TJC, risk.STANLEY_BROWN],
    )  # fmt: skip


class AncRow(BaseModel):
    anc_range: str
    category: str
    action: str
    monitoring: str


class AncTable(BaseModel):
    population: str
    rows: list[AncRow]
    normal_range_schedule: str
    source: str


def get_clozapine_anc_table(
    population: Annotated[Literal["general", "ben"], Field(description="'general', or 'ben' for patients with "
                                                                       "benign ethnic neutropenia.")],
) -> AncTable:
    """The clozapine label's ANC monitoring table for one population: each ANC range's category, action on
    clozapine and monitoring frequency."""
    return AncTable(
        population=population,
        rows=[AncRow(anc_range=a, category=c, action=act, monitoring=m) for a, c, act, m in
              pharmacology.ANC_TABLE[population]],
        normal_range_schedule="weekly if under 6 months on clozapine; every_2_weeks from 6 to 12 months (inclusive); "
        "monthly after 12 months; mild or BEN neutropenia: three_times_weekly; moderate or severe: daily",
        source=pharmacology.CLOZAPINE_LABEL,
    )  # fmt: skip


class QtcGuidance(BaseModel):
    formula: str
    categories: dict[str, str]
    actions: dict[str, str]
    source: str


def get_qtc_guidance() -> QtcGuidance:
    """How to correct the QT (Fridericia) and the QTc thresholds for torsade risk on QT-prolonging drugs such as
    antipsychotics (AHA/ACCF 2010), with the action for each category."""
    return QtcGuidance(
        formula="QTc = QT / RR^(1/3), RR = 60 / heart rate, in seconds (Fridericia)",
        categories={
            "high_risk": "QTc > 500 ms, or a rise of more than 60 ms from the baseline QTc",
            "prolonged": "QTc > 470 ms (men) or > 480 ms (women), the 99th percentile, and not high_risk",
            "normal": "otherwise",
        },
        actions={
            "high_risk": "stop_qt_prolonging_antipsychotic (and check potassium and magnesium)",
            "prolonged": "repeat_ecg and review QT-prolonging drugs",
            "normal": "no order needed",
        },
        source=pharmacology.AHA_QT,
    )  # fmt: skip


class ToxicityCriteria(BaseModel):
    hunter_rules: dict[str, str] = Field(description="Assessment code -> Hunter rule, in the order applied.")
    nms_core_features: list[str]
    assessments: list[str]
    actions: dict[str, str]
    sources: list[str]


def get_serotonin_nms_criteria() -> ToxicityCriteria:
    """The Hunter serotonin toxicity decision rules in their published order (they need a serotonergic drug), the
    core features of neuroleptic malignant syndrome, and the first action for each."""
    return ToxicityCriteria(
        hunter_rules=dict(pharmacology.HUNTER_RULES),
        nms_core_features=["dopamine antagonist taken", "temperature > 38 C", "lead-pipe (generalised) rigidity",
                           "altered mental status", "creatine kinase >= 4 x upper limit of normal (200 U/L)"],
        assessments=list(pharmacology.ASSESSMENTS),
        actions={"serotonin toxicity": "stop_serotonergic_agents", "nms": "stop_dopamine_antagonist",
                 "neither": "no order needed for either syndrome"},
        sources=[pharmacology.HUNTER, pharmacology.NMS_SOURCE],
    )  # fmt: skip


class MetabolicSchedule(BaseModel):
    schedule: dict[str, str] = Field(description="Measure -> when it is due.")
    week_rule: str
    weight_rule: str
    source: str


def get_metabolic_monitoring_schedule() -> MetabolicSchedule:
    """The ADA/APA consensus schedule for monitoring patients on second-generation antipsychotics (history, weight
    and BMI, waist, blood pressure, fasting glucose, fasting lipids) and its weight-gain rule (Diabetes Care 2004)."""
    return MetabolicSchedule(
        schedule=pharmacology.METABOLIC_SCHEDULE,
        week_rule="week 0 is baseline; quarterly = every 13 weeks after week 12; annually = every 52 weeks; every 5 "
        "years = every 260 weeks",
        weight_rule=f"a gain of {pharmacology.WEIGHT_GAIN_SWITCH_PERCENT:g}% or more of the initial weight: consider "
        "switching to another antipsychotic",
        source=pharmacology.ADA_APA,
    )  # fmt: skip


class LithiumGuidance(BaseModel):
    bands: dict[str, str]
    level_raising_drugs: dict[str, str] = Field(description="Drug -> class, for drugs that raise the lithium level.")
    monitoring_rule: str
    toxic_action: str
    sources: list[str]


def get_lithium_guidance() -> LithiumGuidance:
    """Lithium level targets (NICE CG185: 0.6-0.8 mmol/L, 0.8-1.0 after relapse; toxic above 1.5, BNF), the drugs
    that raise the level (ACE inhibitors, ARBs, thiazide and loop diuretics, NSAIDs) and how often to measure it."""
    p = pharmacology
    return LithiumGuidance(
        bands={"below_target": "< 0.6 mmol/L", "target": "0.6 to < 0.8", "upper_target": "0.8 to 1.0",
               "above_target": "> 1.0 to 1.5", "toxic": "> 1.5"},
        level_raising_drugs=p.LITHIUM_RAISERS,
        monitoring_rule=f"every_3_months in the first year, or for people aged >= {p.OLDER_AGE}, taking a "
        f"level-raising drug, with eGFR < {p.LOW_EGFR}, with poor adherence, or whose last level was >= 0.8 mmol/L; "
        "otherwise every_6_months",
        toxic_action="hold_lithium (withhold and send an urgent level, renal function and electrolytes)",
        sources=[p.NICE_LITHIUM, p.BNF_LITHIUM],
    )  # fmt: skip


# --- decision support --------------------------------------------------------------------------------------------


def score_instrument(patient_id: PatientId, instrument: InstrumentArg) -> instruments.InstrumentScore:
    """Score an instrument from the patient's answers to all its items with its published rule and cut-offs (PHQ-9
    and GAD-7 through the calculators library; AUDIT-C cut-offs by sex). Flags self-harm items."""
    case = _case(patient_id)
    return instruments.score(instrument, case.file.hidden.answers[instrument], case.record.sex)


def evaluate_criteria(patient_id: PatientId, disorder: DisorderArg) -> criteria.CriteriaEvaluation:
    """Apply a disorder's DSM-5-TR criteria to the patient's interview findings: each criterion met or not with its
    evidence, the unmet criteria and the symptom count (DSM-5-TR, APA 2022)."""
    return criteria.evaluate(disorder, _case(patient_id).file.hidden.findings)


def stratify_suicide_risk(patient_id: PatientId) -> risk.RiskStratification:
    """The patient's C-SSRS screener answers stratified: risk level, deciding items, disposition and whether a
    safety plan is needed (Posner 2011; Columbia triage; TJC NPSG 15.01.01; Stanley & Brown 2012)."""
    answers = _case(patient_id).file.hidden.answers["cssrs"]
    points = [instruments.CSSRS_ITEMS[i].points(a) for i, a in enumerate(answers)]
    return risk.stratify(points, answers)


class AncCheck(BaseModel):
    applicable: bool = Field(description="False when the patient is not on clozapine.")
    advice: pharmacology.AncAdvice | None


def assess_clozapine_anc(patient_id: PatientId) -> AncCheck:
    """Today's ANC against the clozapine label's table (general or BEN population): category, action and
    monitoring frequency. Not applicable when the patient takes no clozapine."""
    r = _case(patient_id).record
    on = next((m for m in r.medications if m.name == "clozapine"), None)
    anc = next((lab.value for lab in r.labs if lab.name == "absolute neutrophil count"), None)
    if on is None or anc is None:
        return AncCheck(applicable=False, advice=None)
    return AncCheck(applicable=True, advice=pharmacology.clozapine_anc(anc, on.months_on, r.benign_ethnic_neutropenia))


class QtcCheck(BaseModel):
    applicable: bool = Field(description="False when the chart holds no ECG.")
    assessment: pharmacology.QtcAssessment | None


def calculate_qtc(patient_id: PatientId) -> QtcCheck:
    """The Fridericia QTc of the chart's ECG, its change from baseline and its torsade risk category (AHA/ACCF 2010).
    Not applicable when the chart holds no ECG."""
    r = _case(patient_id).record
    if r.ecg is None:
        return QtcCheck(applicable=False, assessment=None)
    e = r.ecg
    return QtcCheck(applicable=True, assessment=pharmacology.assess_qtc(e.qt_ms, e.heart_rate_bpm,
                                                                        e.baseline_qtc_fridericia_ms, r.sex))


class ToxicityCheck(BaseModel):
    applicable: bool = Field(description="False when no neuromuscular examination is recorded.")
    assessment: pharmacology.ToxicityAssessment | None


def assess_serotonin_vs_nms(patient_id: PatientId) -> ToxicityCheck:
    """Serotonin toxicity (Hunter decision rules, in order) versus neuroleptic malignant syndrome (core features)
    versus neither, from the chart's drugs, examination, temperature and creatine kinase."""
    r = _case(patient_id).record
    ck = next((lab.value for lab in r.labs if lab.name == "creatine kinase"), None)
    if not r.neuro_exam or ck is None:
        return ToxicityCheck(applicable=False, assessment=None)
    sero = [m.name for m in r.medications if m.drug_class == "serotonergic"]
    anta = [m.name for m in r.medications if m.drug_class == "dopamine antagonist"]
    return ToxicityCheck(applicable=True, assessment=pharmacology.assess_toxicity(
        r.neuro_exam, r.vitals.temperature_c, ck / 200, sero, anta))  # fmt: skip


class MetabolicCheck(BaseModel):
    applicable: bool = Field(description="False when no antipsychotic monitoring visit is recorded.")
    review: pharmacology.MetabolicReview | None


def review_metabolic_monitoring(patient_id: PatientId) -> MetabolicCheck:
    """The measures due at this visit on a second-generation antipsychotic, the weight change since baseline and
    whether it calls for considering a switch (ADA/APA 2004). Not applicable without a monitoring visit."""
    m = _case(patient_id).record.sga_monitoring
    if m is None:
        return MetabolicCheck(applicable=False, review=None)
    return MetabolicCheck(applicable=True, review=pharmacology.metabolic_review(m.weeks_on_treatment,
                                                                                 m.baseline_weight_kg, m.weight_kg))


class LithiumCheck(BaseModel):
    applicable: bool = Field(description="False when the patient takes no lithium.")
    review: pharmacology.LithiumReview | None


def review_lithium(patient_id: PatientId) -> LithiumCheck:
    """Today's lithium level band, the level-raising drugs in the medication list and the level monitoring interval
    (NICE CG185; BNF). Not applicable when the patient takes no lithium."""
    r = _case(patient_id).record
    if not any(m.name == "lithium carbonate" for m in r.medications):
        return LithiumCheck(applicable=False, review=None)
    return LithiumCheck(applicable=True, review=lithium_review_of(r))


# --- writes ------------------------------------------------------------------------------------------------------


class DispositionRecord(BaseModel):
    patient_id: str
    disposition: str
    meaning: str
    previous: str


def set_disposition(
    patient_id: PatientId,
    disposition: Annotated[DispositionCode, Field(description="One of " + ", ".join(risk.DISPOSITIONS) + ".")],
    ctx: Context,
) -> DispositionRecord:
    """Record the patient's disposition (in this episode; a second call replaces it, but a discharge once ordered
    has happened). See get_suicide_risk_guide for what each disposition means."""
    pid = _case(patient_id).record.patient_id
    before = _writes(ctx, "dispositions", pid)
    episode_state(ctx).add("dispositions", {"patient_id": pid, "disposition": disposition})
    return DispositionRecord(patient_id=pid, disposition=disposition, meaning=risk.DISPOSITIONS[disposition],
                             previous=before[-1]["disposition"] if before else "")  # fmt: skip


class SafetyPlanRecord(BaseModel):
    patient_id: str
    elements: list[str]
    missing: list[str] = Field(description="Required Stanley-Brown elements not in the plan.")


def record_safety_plan(
    patient_id: PatientId,
    elements: Annotated[list[PlanElement], Field(description="Safety plan elements completed with the patient: "
                                                             + ", ".join(risk.SAFETY_PLAN_ELEMENTS) + ".")],
    ctx: Context,
) -> SafetyPlanRecord:
    """Record the safety plan made with the patient (in this episode; a second call replaces it). Returns the
    Stanley-Brown elements still missing."""
    pid = _case(patient_id).record.patient_id
    kept = list(dict.fromkeys(elements))
    episode_state(ctx).add("safety_plans", {"patient_id": pid, "elements": kept})
    return SafetyPlanRecord(patient_id=pid, elements=kept,
                            missing=[e for e in risk.SAFETY_PLAN_ELEMENTS if e not in kept])  # fmt: skip


class OrderRecord(BaseModel):
    patient_id: str
    order: str
    description: str


def place_order(
    patient_id: PatientId,
    order: Annotated[OrderCode, Field(description="One of " + ", ".join(ORDERS) + ".")],
    ctx: Context,
) -> OrderRecord:
    """Place an order for the patient (recorded in this episode): clozapine hold and ANC frequency, ECG, drug stops,
    supportive measures, constant observation."""
    pid = _case(patient_id).record.patient_id
    episode_state(ctx).add("orders", {"patient_id": pid, "order": order})
    return OrderRecord(patient_id=pid, order=order, description=ORDERS[order])


class Submission(BaseModel):
    """The submitted answer, with the disposition and safety plan as recorded in the episode."""

    total: int
    band: str
    failed_criterion: str
    symptom_count: int
    risk_level: str
    highest_item: int
    phq9_total: int
    anc_category: str
    anc_action: str
    anc_monitoring: str
    qtc_ms: float
    qtc_category: str
    assessment: str
    lithium_band: str
    interacting_drugs: list[str]
    lithium_monitoring: str
    measures_due: list[str]
    weight_gain_percent: float
    consider_switch: str
    disposition: str
    safety_plan: list[str]


def submit_answer(
    ctx: Context,
    total: Annotated[int, Field(ge=-1, le=80, description="Instrument total, when asked; -1 if not.")] = -1,
    band: Annotated[str, Field(max_length=60, description="Instrument band label, when asked; '' if not.")] = "",
    failed_criterion: Annotated[str, Field(max_length=60, description="'none' or the unmet criterion code, when "
                                                                      "asked; '' if not.")] = "",
    symptom_count: Annotated[int, Field(ge=-1, le=30, description="Symptoms present, when asked; -1 if not.")] = -1,
    risk_level: Annotated[Literal["", "none", "low", "moderate", "high"],
                          Field(description="C-SSRS risk level, when asked; '' if not.")] = "",
    highest_item: Annotated[int, Field(ge=-1, le=6, description="Highest C-SSRS item answered yes (0 if none), when "
                                                                "asked; -1 if not.")] = -1,
    phq9_total: Annotated[int, Field(ge=-1, le=27, description="PHQ-9 total, when asked; -1 if not.")] = -1,
    anc_category: Annotated[Literal["", *pharmacology.ANC_CATEGORIES],  # type: ignore[valid-type]
                            Field(description="Clozapine ANC category, when asked; '' if not.")] = "",
    anc_action: Annotated[Literal["", *pharmacology.ANC_ACTIONS],  # type: ignore[valid-type]
                          Field(description="Action on clozapine, when asked; '' if not.")] = "",
    anc_monitoring: Annotated[Literal["", *pharmacology.ANC_MONITORING],  # type: ignore[valid-type]
                              Field(description="ANC monitoring frequency, when asked; '' if not.")] = "",
    qtc_ms: Annotated[float, Field(ge=-1, le=1000, description="QTc (Fridericia) in ms, when asked; -1 if not.")] = -1,
    qtc_category: Annotated[Literal["", *pharmacology.QTC_CATEGORIES],  # type: ignore[valid-type]
                            Field(description="QTc risk category, when asked; '' if not.")] = "",
    assessment: Annotated[Literal["", *pharmacology.ASSESSMENTS],  # type: ignore[valid-type]
                          Field(description="Hunter rule code, 'nms' or 'neither', when asked; '' if not.")] = "",
    lithium_band: Annotated[Literal["", *pharmacology.LITHIUM_BANDS],  # type: ignore[valid-type]
                            Field(description="Lithium level band, when asked; '' if not.")] = "",
    interacting_drugs: Annotated[list[Annotated[str, Field(max_length=60)]], Field(
        max_length=20, description="Drugs in the medication list that raise the lithium level, when asked; [] if "
        "none or not asked.")] = [],  # noqa: B006  (pydantic copies defaults)
    lithium_monitoring: Annotated[Literal["", "every_3_months", "every_6_months"],
                                  Field(description="Lithium level monitoring interval, when asked; '' if not.")] = "",
    measures_due: Annotated[list[Measure], Field(description="Metabolic measures due this visit, when asked; [] if "
                                                             "not.")] = [],  # noqa: B006  (pydantic copies defaults)
    weight_gain_percent: Annotated[
        float, Field(ge=-999, le=1000, description="Weight change since baseline in percent, when asked; -999 if not.")
    ] = -999,
    consider_switch: Annotated[
        Literal["", "yes", "no"],
        Field(description="Consider switching the antipsychotic for weight gain, when asked; '' if not."),
    ] = "",
) -> Submission:
    """Submit the final answer once: fill the fields the task asks for and leave the others at their defaults. The
    disposition and safety plan are not arguments: the submission takes those last recorded in this episode."""
    state = episode_state(ctx)
    if state.submitted is not None:
        raise ToolError("submit_answer: an answer was already submitted in this episode; total and the other fields "
                        "cannot be changed")  # fmt: skip
    dispositions, plans = state.get("dispositions"), state.get("safety_plans")
    answer = Submission(
        total=total, band=band, failed_criterion=failed_criterion, symptom_count=symptom_count, risk_level=risk_level,
        highest_item=highest_item, phq9_total=phq9_total, anc_category=anc_category, anc_action=anc_action,
        anc_monitoring=anc_monitoring, qtc_ms=qtc_ms, qtc_category=qtc_category, assessment=assessment,
        lithium_band=lithium_band, interacting_drugs=list(dict.fromkeys(interacting_drugs)),
        lithium_monitoring=lithium_monitoring, measures_due=list(dict.fromkeys(measures_due)),
        weight_gain_percent=weight_gain_percent, consider_switch=consider_switch,
        disposition=dispositions[-1]["disposition"] if dispositions else "",
        safety_plan=plans[-1]["elements"] if plans else [],
    )  # fmt: skip
    state.submitted = answer.model_dump()
    return answer

TOOLS = [
    get_patient_record, ask_instrument_item, ask_interview_question, get_instrument, get_criteria_checklist,
    get_suicide_risk_guide, get_clozapine_anc_table, get_qtc_guidance, get_serotonin_nms_criteria,
    get_metabolic_monitoring_schedule, get_lithium_guidance, score_instrument, evaluate_criteria, stratify_suicide_risk,
    assess_clozapine_anc, calculate_qtc, assess_serotonin_vs_nms, review_metabolic_monitoring, review_lithium,
    set_disposition, record_safety_plan, place_order, submit_answer,
]  # fmt: skip
TOOL_KINDS: dict[str, ToolKind] = {
    "get_patient_record": "record",
    "ask_instrument_item": "record",
    "ask_interview_question": "record",
    "get_instrument": "reference",
    "get_criteria_checklist": "reference",
    "get_suicide_risk_guide": "reference",
    "get_clozapine_anc_table": "reference",
    "get_qtc_guidance": "reference",
    "get_serotonin_nms_criteria": "reference",
    "get_metabolic_monitoring_schedule": "reference",
    "get_lithium_guidance": "reference",
    "score_instrument": "decision_support",
    "evaluate_criteria": "decision_support",
    "stratify_suicide_risk": "decision_support",
    "assess_clozapine_anc": "decision_support",
    "calculate_qtc": "decision_support",
    "assess_serotonin_vs_nms": "decision_support",
    "review_metabolic_monitoring": "decision_support",
    "review_lithium": "decision_support",
    "set_disposition": "write",
    "record_safety_plan": "write",
    "place_order": "write",
    "submit_answer": "write",
}
"""Kind of every tool (see ``ToolKind``): the decision-support ones are withheld in the unassisted tier."""
