"""The clinical_diagnosis tools: an encounter with a patient who answers only what is asked.

Record tools rebuild the case from its id (``_case``) and reveal one part of it per call: the presenting complaint
(``get_encounter``), the answers to one history question or topic (``ask_patient``), one body system's examination
(``examine``), the vital signs (``get_vitals``). ``order_test`` is a write: it costs cost units against the case's
budget and returns the values with reference ranges. What the agent has learnt is kept in the episode's state, so
``differential_diagnosis`` (decision support, withheld in the unassisted tier) computes the Bayesian posterior over
the evidence gathered so far, not over the hidden case. Reference tools give the knowledge model itself: condition
cards and chapters (likelihoods, work-up, can't-miss neighbours, sources), finding definitions, test
characteristics and the disposition policy, which is all the unassisted tier needs to apply the rule by hand.
"""

from __future__ import annotations

from typing import Annotated, Literal

from mcp.server.fastmcp import Context
from mcp.server.fastmcp.exceptions import ToolError
from pydantic import BaseModel, Field

from healthgym.mcp_servers.clinic import episode_state
from healthgym.mcp_servers.domain import ToolKind
from healthgym.mcp_servers.domains.clinical_diagnosis import ddxplus
from healthgym.mcp_servers.domains.clinical_diagnosis.cases import lookup
from healthgym.mcp_servers.domains.clinical_diagnosis.knowledge import (
    CHAPTERS,
    EXAM_SYSTEMS,
    HISTORY_TOPICS,
    Condition,
    model,
    resolve,
)
from healthgym.mcp_servers.domains.clinical_diagnosis.loaders import norm_name
from healthgym.mcp_servers.domains.clinical_diagnosis.patients import DISPOSITIONS, Patient, disposition, workup
from healthgym.mcp_servers.domains.clinical_diagnosis.posterior import (
    DIAGNOSIS_MARGIN,
    DIFFERENTIAL_THRESHOLD,
    Card,
    decisive,
    differential,
    posterior,
)

CaseId = Annotated[str, Field(description="Encounter case id, such as 'DX-5W1Q3ZK8M0RTA', as given in the task.")]
TopicOrCode = Annotated[
    str,
    Field(
        description="A history topic (" + ", ".join(HISTORY_TOPICS) + ") or one question's code (a DDXPlus evidence "
        "such as 'E_91', or one of ours such as 'H_DYSURIA'; see get_evidence_definition).",
        max_length=40,
    ),
]
System = Annotated[
    Literal["general", "heent", "neck", "cardiovascular", "respiratory", "abdomen", "neurological", "skin",
            "musculoskeletal"],
    Field(description="Body system to examine: " + ", ".join(EXAM_SYSTEMS) + "."),
]  # fmt: skip
TestName = Annotated[
    str, Field(description="Test name, as listed by get_encounter (e.g. 'cbc', 'ct_abdomen').", max_length=40)
]
Chapter = Annotated[
    Literal["cardiovascular", "respiratory", "abdominal", "neurological", "systemic", "skin_musculoskeletal"],
    Field(description="Chapter of the condition cards: " + ", ".join(CHAPTERS) + "."),
]
ConditionName = Annotated[
    str,
    Field(description="Condition id, name, synonym or ICD-10-CM code (e.g. 'appendicitis', 'K35.80').", max_length=120),
]
MODEL_NOTE = (
    "Likelihoods are estimates from the cited sources (ours), not study results; DDXPlus membership: "
    + ddxplus.DDXPLUS_CITATION
)


def _case(case_id: str) -> Patient:
    patient = lookup(case_id)
    if patient is None:
        raise ToolError(
            f"case_id {str(case_id)[:60]!r} not found: unknown case id; case ids are 'DX-' followed by 13 base32 "
            "characters, as given in the task"
        )
    return patient


def _observe(ctx: Context, patient: Patient, observed: dict[str, bool]) -> None:
    """Keep what the agent learnt: one record per patient, updated in place (a patient has a few hundred findings
    at most). A read never fails on the episode's write limit: past it, a new patient's evidence is not kept."""
    state = episode_state(ctx)
    for record in state.get("gathered"):
        if record["case_id"] == patient.case_id:
            record["observed"].update(observed)
            return
    try:
        state.add("gathered", {"case_id": patient.case_id, "observed": dict(observed)})
    except ToolError:
        return


def _gathered(ctx: Context, case_id: str) -> dict[str, bool]:
    for record in episode_state(ctx).get("gathered"):
        if record["case_id"] == case_id:
            return dict(record["observed"])
    return {}


# --- the encounter ----------------------------------------------------------------------------------------------------


class Encounter(BaseModel):
    case_id: str
    age: int
    sex: Literal["M", "F"]
    presenting_complaint: str = Field(description="The question the patient answered yes to on arrival.")
    complaint_code: str
    history_topics: list[str]
    exam_systems: list[str]
    tests: list[str] = Field(description="Orderable tests (order_test), each with a cost in units.")
    test_costs: dict[str, int]


def get_encounter(case_id: CaseId, ctx: Context) -> Encounter:
    """Start of the encounter: the patient's age, sex and presenting complaint (the first thing they tell you, as in
    DDXPlus's initial evidence), with the history topics you can ask about, the body systems you can examine and the
    tests you can order (with their cost units). Nothing else is revealed until you ask, examine or test."""
    patient = _case(case_id)
    m = model()
    if patient.complaint in m.findings:
        _observe(ctx, patient, {patient.complaint: True})
        complaint = m.findings[patient.complaint].text
    else:
        complaint = ddxplus.evidences()[patient.complaint].question if patient.complaint else patient.notes["complaint"]
    costs = {name: t.cost for name, t in m.tests.items()}
    costs.update({k.split(":", 1)[1]: 1 for k in patient.notes if k.startswith("test:")})
    return Encounter(
        case_id=patient.case_id,
        age=patient.age,
        sex=patient.sex,
        presenting_complaint=complaint,
        complaint_code=patient.complaint,
        history_topics=list(HISTORY_TOPICS),
        exam_systems=list(EXAM_SYSTEMS),
        tests=list(costs),
        test_costs=costs,
    )


class Answer(BaseModel):
    code: str
    question: str
    answer: str = Field(description="'yes', 'no', or the patient's words for a detail question.")
    present: bool | None = Field(description="The finding is present (yes) or absent (no); None for a detail.")
    kind: str = Field(description="symptom or antecedent (a finding), or detail.")


class PatientAnswers(BaseModel):
    case_id: str
    asked: str
    answers: list[Answer]


def ask_patient(case_id: CaseId, question: TopicOrCode, ctx: Context) -> PatientAnswers:
    """Ask the patient one question (by its code) or about one history topic (every question of the topic, the way
    a review of systems is taken). The patient answers only what is asked: yes or no for a finding, their own words
    for a DDXPlus detail question (pain character, location, radiation ...) when they can say. Questions about
    menstruation and pregnancy are asked of women only. Topics: pain, general, respiratory, cardiovascular,
    gastrointestinal, genitourinary, neurological, ent_eyes, skin_msk, psychiatric, past_history, medications,
    family_history, social_history."""
    patient = _case(case_id)
    m = model()
    text = str(question).strip()
    evidences = ddxplus.evidences()
    if text in HISTORY_TOPICS:
        codes = [c for c, f in m.findings.items() if f.kind in ("symptom", "antecedent") and f.group == text]
        codes += [c for c, e in evidences.items() if c not in m.findings and e.parent in codes and c in patient.details]
    elif (text in m.findings and m.findings[text].kind in ("symptom", "antecedent")) or text in evidences:
        codes = [text]
    else:
        raise ToolError(
            f"question {text[:40]!r} is neither a history topic ({', '.join(HISTORY_TOPICS)}) nor a question code "
            "(DDXPlus evidence 'E_<n>' or one of ours 'H_<NAME>'; see get_evidence_definition)"
        )
    answers: list[Answer] = []
    observed: dict[str, bool] = {}
    if f"topic:{text}" in patient.notes:
        answers.append(
            Answer(
                code=f"topic:{text}",
                question=f"Tell me about your {text.replace('_', ' ')}.",
                answer=patient.notes[f"topic:{text}"],
                present=None,
                kind="narrative",
            )
        )
    for code in codes:
        if code in m.findings:
            finding = m.findings[code]
            if code not in patient.findings:
                if not patient.notes or text not in HISTORY_TOPICS:
                    said = "not applicable" if finding.sex == "F" and patient.sex != "F" else "not recorded"
                    answers.append(
                        Answer(code=code, question=finding.text, answer=said, present=None, kind=finding.kind)
                    )
                continue
            present = patient.findings[code]
            observed[code] = present
            answers.append(
                Answer(
                    code=code,
                    question=finding.text,
                    answer="yes" if present else "no",
                    present=present,
                    kind=finding.kind,
                )
            )
        else:
            e = evidences[code]
            words = patient.details.get(code)
            said = ", ".join(e.values.get(v, v) for v in words) if words else "cannot say more"
            answers.append(Answer(code=code, question=e.question, answer=said, present=None, kind="detail"))
    if observed:
        _observe(ctx, patient, observed)
    return PatientAnswers(case_id=patient.case_id, asked=text, answers=answers)


class ExamFinding(BaseModel):
    code: str
    finding: str
    present: bool


class Examination(BaseModel):
    case_id: str
    system: str
    findings: list[ExamFinding] = Field(description="Every sign of this system looked for, present or absent.")
    report: str = Field(default="", description="The examiner's words, for a loaded OSCE case.")


def examine(case_id: CaseId, system: System, ctx: Context) -> Examination:
    """Examine one body system: each sign the knowledge model looks for in it, present or absent (e.g. abdomen:
    McBurney's point tenderness, Murphy's sign, guarding and rebound, costovertebral angle tenderness ...). Signs
    follow Macleod's Clinical Examination, 14th ed."""
    patient = _case(case_id)
    m = model()
    found = [
        ExamFinding(code=c, finding=f.text, present=patient.findings[c])
        for c, f in m.findings.items()
        if f.kind == "exam" and f.group == system and c in patient.findings
    ]
    _observe(ctx, patient, {f.code: f.present for f in found})
    return Examination(
        case_id=patient.case_id, system=system, findings=found, report=patient.notes.get(f"exam:{system}", "")
    )


class VitalReading(BaseModel):
    name: str
    value: float
    unit: str
    normal_range: str


class VitalFinding(BaseModel):
    code: str
    rule: str
    present: bool


class Vitals(BaseModel):
    case_id: str
    readings: list[VitalReading]
    findings: list[VitalFinding] = Field(description="Each vital-sign finding of the model, judged by its rule.")
    report: str = Field(default="", description="The vital signs as written, for a loaded OSCE case.")
    source: str


def get_vitals(case_id: CaseId, ctx: Context) -> Vitals:
    """The vital signs (temperature, heart rate, respiratory rate, blood pressure, SpO2 on air) with adult normal
    ranges (NEWS2 zero-score bands, RCP 2017), and each vital-sign finding of the model judged by its threshold
    (fever >= 38.0 C, heart rate > 100, respiratory rate >= 21, systolic BP < 90 or >= 180, SpO2 < 92%)."""
    patient = _case(case_id)
    m = model()
    units = {r.vital: (r.unit, r.normal_range) for r in m.vitals.values()}
    units["diastolic_bp_mm_hg"] = ("mm Hg", "60-90")
    readings = [
        VitalReading(name=k, value=v, unit=units[k][0], normal_range=units[k][1]) for k, v in patient.vitals.items()
    ]
    findings = [
        VitalFinding(code=r.code, rule=r.rule, present=r.met(patient.vitals[r.vital]))
        for r in m.vitals.values()
        if r.vital in patient.vitals
    ]
    _observe(ctx, patient, {f.code: f.present for f in findings})
    return Vitals(
        case_id=patient.case_id,
        readings=readings,
        findings=findings,
        report=patient.notes.get("vitals", ""),
        source="Royal College of Physicians. NEWS2, 2017; thresholds as stated per finding",
    )


class TestResult(BaseModel):
    code: str
    analyte: str
    value: float | str
    unit: str
    reference_range: str
    abnormal: bool


class TestReport(BaseModel):
    case_id: str
    test: str
    title: str
    results: list[TestResult]
    cost: int
    total_cost: int = Field(description="Cost units of every test ordered for this patient in this episode.")
    report: str = Field(default="", description="The result as written, for a loaded OSCE case.")
    source: str


def _ordered(ctx: Context, case_id: str) -> list[str]:
    return list(dict.fromkeys(r["test"] for r in episode_state(ctx).get("orders") if r["case_id"] == case_id))


def order_test(case_id: CaseId, test: TestName, ctx: Context) -> TestReport:
    """Order a test and get its result: each analyte's value with unit and reference range, flagged abnormal or not
    (imaging and qualitative tests report each finding looked for). Every test costs its cost units against the
    case's budget (test stewardship is graded); ordering the same test again returns the same result at no cost."""
    patient = _case(case_id)
    m = model()
    name = str(test).strip()
    written = _written_result(patient, name)
    if name not in m.tests and written is None:
        offered = [*m.tests, *(k.split(":", 1)[1] for k in patient.notes if k.startswith("test:"))]
        raise ToolError(f"test {name[:40]!r} is not orderable; tests: {', '.join(offered)}")
    if name not in _ordered(ctx, patient.case_id):
        episode_state(ctx).add("orders", {"case_id": patient.case_id, "test": name})
    total = sum(m.tests[n].cost if n in m.tests else 1 for n in _ordered(ctx, patient.case_id))
    if name not in m.tests or any(f.code not in patient.results for f in m.tests[name].findings):
        return TestReport(
            case_id=patient.case_id,
            test=name,
            title=name,
            results=[],
            cost=m.tests[name].cost if name in m.tests else 1,
            total_cost=total,
            report=written or "not recorded for this patient",
            source="the case file",
        )
    t = m.tests[name]
    results = [
        TestResult(
            code=f.code,
            analyte=f.analyte,
            value=patient.results[f.code],
            unit=f.unit,
            reference_range=f.reference_range,
            abnormal=patient.findings[f.code],
        )
        for f in t.findings
    ]
    _observe(ctx, patient, {r.code: r.abnormal for r in results})
    return TestReport(
        case_id=patient.case_id,
        test=name,
        title=t.title,
        results=results,
        cost=t.cost,
        total_cost=total,
        source=t.source,
    )


def _written_result(patient: Patient, name: str) -> str | None:
    """A loaded OSCE case's result for ``name``: the section whose folded name equals or contains it."""
    want = norm_name(name)
    if not want:
        return None
    for key, text in patient.notes.items():
        if key.startswith("test:") and (key[5:] == want or want in key[5:]):
            return text
    return None


# --- reference --------------------------------------------------------------------------------------------------------


class Likelihood(BaseModel):
    code: str
    kind: str
    finding: str
    p: float = Field(description="P(finding present | condition), our estimate.")


class ConditionCard(BaseModel):
    id: str
    name: str
    icd10: list[str]
    chapter: str
    severity: int = Field(description="DDXPlus severity scale: 1 most severe, 5 least.")
    cant_miss: bool
    prior: float = Field(description="Relative prior weight (frequency class: common 1, uncommon 0.3, rare 0.1).")
    prior_class: str
    sex: str
    min_age: int
    max_age: int
    likelihoods: list[Likelihood]
    workup: list[str] = Field(description="Tests that confirm it (a finding with likelihood >= 0.5).")
    cant_miss_neighbours: list[str] = Field(description="Can't-miss conditions sharing its leading findings.")
    synonyms: list[str]
    ddxplus: str | None
    sources: list[str]


def _neighbours(cond: Condition) -> list[str]:
    """The can't-miss conditions most like ``cond``: most shared findings of likelihood >= 0.5, at most three."""
    m = model()
    mine = {c for c, p in cond.likelihoods.items() if p >= 0.5}
    scored = []
    for other in m.conditions.values():
        if other.id != cond.id and other.cant_miss:
            shared = len(mine & {c for c, p in other.likelihoods.items() if p >= 0.5})
            if shared:
                scored.append((-shared, other.id))
    return [cid for _, cid in sorted(scored)[:3]]


def _card(cond: Condition) -> ConditionCard:
    m = model()
    return ConditionCard(
        id=cond.id,
        name=cond.name,
        icd10=list(cond.icd10),
        chapter=cond.chapter,
        severity=cond.severity,
        cant_miss=cond.cant_miss,
        prior=cond.prior,
        prior_class=cond.prior_class,
        sex=cond.sex,
        min_age=cond.ages[0],
        max_age=cond.ages[1],
        likelihoods=[
            Likelihood(code=c, kind=m.findings[c].kind, finding=m.findings[c].text, p=p)
            for c, p in cond.likelihoods.items()
        ],
        workup=m.workup(cond.id),
        cant_miss_neighbours=_neighbours(cond),
        synonyms=list(cond.synonyms),
        ddxplus=cond.ddxplus,
        sources=list(cond.sources),
    )


def _condition(name: str) -> Condition:
    cid = resolve(name)
    if cid is None:
        raise ToolError(f"condition {str(name)[:60]!r} not found; use list_conditions for ids, names and codes")
    return model().conditions[cid]


def get_condition_card(condition: ConditionName) -> ConditionCard:
    """A condition's card: ICD-10-CM codes, severity, prior class, age and sex, the likelihood of every finding it
    lists (history, examination, vital signs, tests), the confirming work-up, the can't-miss neighbours and the
    sources of its numbers."""
    return _card(_condition(condition))


class ChapterCards(BaseModel):
    chapter: str
    conditions: list[ConditionCard]
    background: dict[str, float] = Field(
        description="P(finding | a condition not listing it), by finding kind (symptom, antecedent, exam, vital)."
    )
    test_false_positive_rates: dict[str, float] = Field(description="Test finding code -> 1 - specificity.")
    note: str


def get_condition_chapter(chapter: Chapter) -> ChapterCards:
    """Every condition card of one chapter (organ system), with the background rates a finding has in conditions
    that do not list it and each test finding's false-positive rate: with all chapters, the whole model the
    Bayesian differential uses (Ledley & Lusted, Science 1959)."""
    m = model()
    cards = [_card(c) for c in m.conditions.values() if c.chapter == chapter]
    fp = {f.code: f.false_positive_rate for t in m.tests.values() for f in t.findings}
    return ChapterCards(
        chapter=chapter, conditions=cards, background=dict(m.background), test_false_positive_rates=fp, note=MODEL_NOTE
    )


class ConditionEntry(BaseModel):
    id: str
    name: str
    icd10: list[str]
    chapter: str
    severity: int


class ConditionList(BaseModel):
    conditions: list[ConditionEntry]
    note: str


def list_conditions() -> ConditionList:
    """Every condition of the knowledge model (the 49 DDXPlus pathologies and 35 common acute conditions) with its
    ICD-10-CM codes, chapter and DDXPlus severity; diagnoses may be submitted by id, name, synonym or code."""
    return ConditionList(
        conditions=[
            ConditionEntry(id=c.id, name=c.name, icd10=list(c.icd10), chapter=c.chapter, severity=c.severity)
            for c in model().conditions.values()
        ],
        note=MODEL_NOTE,
    )


class EvidenceDefinition(BaseModel):
    code: str
    kind: str
    group: str = Field(description="History topic, exam system, vital sign or test.")
    text: str
    background: float
    ddxplus_type: str = Field(description="B binary, C categorical, M multi-choice; '' for our own findings.")
    ddxplus_values: dict[str, str]
    listed_by: dict[str, float] = Field(description="Condition id -> P(finding | condition) where the card lists it.")


def get_evidence_definition(
    code: Annotated[str, Field(description="Finding or DDXPlus evidence code, e.g. 'E_91'.", max_length=40)],
) -> EvidenceDefinition:
    """What a finding or DDXPlus evidence code means: the question or sign, its kind and topic, its DDXPlus value
    type and value meanings, its background rate, and the conditions whose cards list it with their likelihoods."""
    m = model()
    key = str(code).strip()
    e = ddxplus.evidences().get(key)
    if key in m.findings:
        f = m.findings[key]
        kind, group, text, background = f.kind, f.group, f.text, f.background
    elif e is not None:
        kind, group, text, background = "detail", e.parent, e.question, 0.0
    else:
        raise ToolError(f"code {key[:40]!r} is not a finding or DDXPlus evidence code (E_<n>, H_, X_, VS_, T_ codes)")
    return EvidenceDefinition(
        code=key,
        kind=kind,
        group=group,
        text=text,
        background=background,
        ddxplus_type=e.data_type if e else "",
        ddxplus_values=dict(e.values) if e else {},
        listed_by={c.id: c.likelihoods[key] for c in m.conditions.values() if key in c.likelihoods},
    )


class FindingCharacteristics(BaseModel):
    code: str
    analyte: str
    unit: str
    reference_range: str
    specificity: float
    sensitivity_by_condition: dict[str, float]


class TestCharacteristics(BaseModel):
    test: str
    title: str
    kind: str
    cost: int
    findings: list[FindingCharacteristics]
    source: str
    note: str


def get_test_characteristics(test: TestName) -> TestCharacteristics:
    """A test's cost and, for each finding it reports, its specificity and its sensitivity in each condition that
    lists it (P(abnormal | condition)), with the source of the reference ranges and numbers."""
    m = model()
    name = str(test).strip()
    if name not in m.tests:
        raise ToolError(f"test {name[:40]!r} is not in the model; tests: {', '.join(m.tests)}")
    t = m.tests[name]
    findings = [
        FindingCharacteristics(
            code=f.code,
            analyte=f.analyte,
            unit=f.unit,
            reference_range=f.reference_range,
            specificity=round(1 - f.false_positive_rate, 4),
            sensitivity_by_condition={
                c.id: c.likelihoods[f.code] for c in m.conditions.values() if f.code in c.likelihoods
            },
        )
        for f in t.findings
    ]
    return TestCharacteristics(
        test=name, title=t.title, kind=t.kind, cost=t.cost, findings=findings, source=t.source, note=MODEL_NOTE
    )


class DispositionPolicy(BaseModel):
    options: list[str]
    rule: list[str]
    differential_threshold: float
    diagnosis_margin: float
    source: str


def get_disposition_policy() -> DispositionPolicy:
    """Where a patient goes after the diagnosis, and the thresholds of the differential: a condition belongs in the
    differential at posterior >= 5% and a can't-miss one (severity 1-2) there must not be left out; the diagnosis
    leads the next by 4x."""
    return DispositionPolicy(
        options=list(DISPOSITIONS),
        rule=[
            "critical_care: diagnosis of severity 1, or hypotension (systolic BP < 90 mm Hg; Sepsis-3, SSC 2021)",
            "admit: severity 2, or hypoxaemia (SpO2 < 92% on air; BTS 2017 oxygen guideline)",
            "outpatient_follow_up: severity 3",
            "home: severity 4-5",
        ],
        differential_threshold=DIFFERENTIAL_THRESHOLD,
        diagnosis_margin=DIAGNOSIS_MARGIN,
        source="Our rule on DDXPlus's severity scale (Fansi Tchango 2022) with the cited vital-sign criteria",
    )


# --- decision support -------------------------------------------------------------------------------------------------


class RankedCondition(BaseModel):
    id: str
    name: str
    posterior: float
    cant_miss: bool


class Differential(BaseModel):
    case_id: str
    findings_used: int = Field(description="Findings gathered so far (asked, examined, measured, tested).")
    ranking: list[RankedCondition] = Field(description="The ten most probable conditions.")
    differential: list[str] = Field(description="Conditions at posterior >= 5%, most probable first.")
    leading: str
    decisive: bool = Field(description="The leading condition is at least 4x as probable as the next.")
    source: str


def _cards() -> list[Card]:
    return [Card(c.id, c.prior, c.sex, c.ages[0], c.ages[1], c.likelihoods) for c in model().conditions.values()]


def _ranking(ctx: Context, patient: Patient) -> list[tuple[str, float]]:
    m = model()
    observed = _gathered(ctx, patient.case_id)
    return posterior(_cards(), {c: m.findings[c].background for c in observed}, observed, patient.age, patient.sex)


def differential_diagnosis(case_id: CaseId, ctx: Context) -> Differential:
    """The Bayesian differential over the evidence gathered so far in this episode (naive Bayes with the model's
    likelihoods; Ledley & Lusted 1959): the posterior of each condition, the differential (posterior >= 5%) and
    whether the leading condition is decisive. Evidence you have not asked, examined or tested does not count."""
    patient = _case(case_id)
    m = model()
    ranking = _ranking(ctx, patient)
    return Differential(
        case_id=patient.case_id,
        findings_used=len(_gathered(ctx, patient.case_id)),
        ranking=[
            RankedCondition(id=c, name=m.conditions[c].name, posterior=round(p, 6), cant_miss=m.conditions[c].cant_miss)
            for c, p in ranking[:10]
        ],
        differential=differential(ranking),
        leading=ranking[0][0],
        decisive=decisive(ranking),
        source="Naive Bayes over the model's likelihoods (our estimates); thresholds in get_disposition_policy",
    )


class TestPlan(BaseModel):
    case_id: str
    differential: list[str]
    tests: list[str] = Field(description="The work-up of every condition in the current differential, cheapest first.")
    cost: int
    already_ordered: list[str]


def recommend_tests(case_id: CaseId, ctx: Context) -> TestPlan:
    """The tests to order now: the confirming work-up of every condition in the current Bayesian differential
    (cards' work-up lists), cheapest first, with their total cost, which is the case's test budget once the history,
    examination and vital signs are complete."""
    patient = _case(case_id)
    m = model()
    diff = differential(_ranking(ctx, patient))
    tests = list(workup(diff))
    return TestPlan(
        case_id=patient.case_id,
        differential=diff,
        tests=tests,
        cost=sum(m.tests[t].cost for t in tests),
        already_ordered=_ordered(ctx, patient.case_id),
    )


class DispositionAdvice(BaseModel):
    case_id: str
    leading: str
    severity: int
    disposition: str
    reasons: list[str]


def recommend_disposition(case_id: CaseId, ctx: Context) -> DispositionAdvice:
    """The disposition for the leading condition of the current differential and the vital-sign findings gathered so
    far, by the disposition policy (get_disposition_policy)."""
    patient = _case(case_id)
    m = model()
    leading = _ranking(ctx, patient)[0][0]
    gathered = _gathered(ctx, patient.case_id)
    severity = m.conditions[leading].severity
    reasons = [f"{m.conditions[leading].name}: severity {severity}"]
    reasons += [m.findings[c].text for c in ("VS_HYPOTENSION", "VS_HYPOXAEMIA") if gathered.get(c)]
    return DispositionAdvice(
        case_id=patient.case_id,
        leading=leading,
        severity=severity,
        disposition=disposition(severity, gathered),
        reasons=reasons,
    )


# --- submission -------------------------------------------------------------------------------------------------------


class Submission(BaseModel):
    case_id: str
    diagnosis: str
    differential: list[str]
    disposition: str
    tests_ordered: list[str] = Field(description="Tests ordered for the patient in this episode (recorded).")
    test_cost: int


def submit_diagnosis(
    case_id: CaseId,
    ctx: Context,
    diagnosis: Annotated[
        str, Field(description="Final diagnosis: condition id, name, synonym or ICD-10-CM code.", max_length=200)
    ] = "",
    differential: Annotated[
        list[str], Field(description="Ranked differential (most probable first), when asked.", max_length=30)
    ] = [],  # noqa: B006 - pydantic copies defaults
    disposition: Annotated[
        Literal["", "home", "outpatient_follow_up", "admit", "critical_care"],
        Field(description="Disposition when asked: home, outpatient_follow_up, admit or critical_care."),
    ] = "",
) -> Submission:
    """Submit once: the final diagnosis, the ranked differential and the disposition, as the task asks (leave the
    others empty). The tests you ordered and their cost are recorded with the submission for stewardship grading.
    A second submission is refused."""
    patient = _case(case_id)
    state = episode_state(ctx)
    if state.submitted is not None:
        raise ToolError(
            "submit_diagnosis: a diagnosis was already submitted in this episode; diagnosis and the "
            "other fields cannot be changed"
        )
    m = model()
    ordered = _ordered(ctx, patient.case_id)
    answer = Submission(
        case_id=patient.case_id,
        diagnosis=str(diagnosis),
        differential=[str(d) for d in differential],
        disposition=disposition,
        tests_ordered=ordered,
        test_cost=sum(m.tests[t].cost if t in m.tests else 1 for t in ordered),
    )
    state.submitted = answer.model_dump()
    return answer


TOOLS = [
    get_encounter, ask_patient, examine, get_vitals, order_test, list_conditions, get_condition_card,
    get_condition_chapter, get_evidence_definition, get_test_characteristics, get_disposition_policy,
    differential_diagnosis, recommend_tests, recommend_disposition, submit_diagnosis,
]  # fmt: skip
TOOL_KINDS: dict[str, ToolKind] = {
    "get_encounter": "record",
    "ask_patient": "record",
    "examine": "record",
    "get_vitals": "record",
    "order_test": "write",
    "list_conditions": "reference",
    "get_condition_card": "reference",
    "get_condition_chapter": "reference",
    "get_evidence_definition": "reference",
    "get_test_characteristics": "reference",
    "get_disposition_policy": "reference",
    "differential_diagnosis": "decision_support",
    "recommend_tests": "decision_support",
    "recommend_disposition": "decision_support",
    "submit_diagnosis": "write",
}
"""Kind of every tool (see ``ToolKind``): the decision-support ones are withheld in the unassisted tier."""

__all__ = ["TOOLS", "TOOL_KINDS"]
