"""The cross_domain server's own tools: the pathway patient's chart, its investigations, and the pathway's writes.

Reads rebuild the patient from the case id (``_patient``), so every server process serves the same patient. Writes
(``order_investigation``, ``start_treatment``, ``set_disposition``, ``submit_pathway``) go to the episode's state on
this server, and later phases read them back: ``get_results`` shows only the investigations ordered, and
``get_episode_summary`` lists every phase's writes. The scores of the triage phase are the calculators server's
tools and the drug checks drug_interaction's: an episode holds a session to each (``SPEC.servers``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from mcp.server.fastmcp import Context
from mcp.server.fastmcp.exceptions import ToolError
from pydantic import BaseModel, Field

from healthgym.mcp_servers.clinic import episode_state
from healthgym.mcp_servers.domain import ToolKind
from healthgym.mcp_servers.domains.cross_domain import pathways as rules
from healthgym.mcp_servers.domains.cross_domain.pathways import PATHWAYS, calculate
from healthgym.mcp_servers.domains.cross_domain.patients import ID_FORMAT, Patient, Value, Vitals
from healthgym.mcp_servers.domains.cross_domain.regimens import REGIMENS
from healthgym.mcp_servers.domains.cross_domain.safety import RULES, unsafe_acts
from healthgym.mcp_servers.domains.cross_domain.tasks import patient_by_id

CaseId = Annotated[str, Field(description="Pathway case id, such as 'XD-5W1Q3ZK8M0RTA'.")]
PathwayArg = Annotated[Literal[tuple(PATHWAYS)], Field(description=f"One of {', '.join(PATHWAYS)}.")]  # type: ignore[valid-type]
ALL_TESTS = sorted({t for p in PATHWAYS.values() for t in p.tests})
TestArg = Annotated[
    Literal[tuple(ALL_TESTS)],
    Field(
        description="An investigation of the pathway (get_pathway)."  # type: ignore[valid-type]
    ),
]
RegimenArg = Annotated[
    Literal[tuple(REGIMENS)],
    Field(
        description="A treatment regimen (get_pathway lists the "  # type: ignore[valid-type]
        "pathway's; get_regimen shows its drugs)."
    ),
]
TreatmentArg = Annotated[
    Literal[tuple(REGIMENS)],
    Field(
        description="The treatment regimen to start (get_pathway "  # type: ignore[valid-type]
        "lists the pathway's; get_regimen shows its drugs)."
    ),
]
DISPOSITIONS = sorted({d for p in PATHWAYS.values() for d in p.dispositions})
DispositionArg = Annotated[Literal[tuple(DISPOSITIONS)], Field(description="Where the patient goes next.")]  # type: ignore[valid-type]


def _patient(case_id: str) -> Patient:
    try:
        return patient_by_id(case_id) if isinstance(case_id, str) else patient_by_id("")
    except ValueError:
        raise ToolError(f"case_id: unknown case {str(case_id)[:60]!r}; ids look like {ID_FORMAT}") from None


def _writes(ctx: Context, kind: str, case_id: str) -> list[dict[str, Any]]:
    return [w for w in episode_state(ctx).get(kind) if w["case_id"] == case_id]


def _ordered(ctx: Context, p: Patient) -> list[str]:
    return [w["test"] for w in _writes(ctx, "orders", p.case_id)]


def _known(p: Patient, ordered: list[str]) -> Patient:
    """The patient as the episode knows it: only the ordered investigations' results."""
    return p.model_copy(update={"results": {t: r for t, r in p.results.items() if t in ordered}})


# --- record -----------------------------------------------------------------------------------------------------------


class Chart(BaseModel):
    """The chart at arrival: everything but the investigations' results."""

    case_id: str
    pathway: str = Field(description="The pathway this patient is on (get_pathway for its phases).")
    age_years: float
    sex: str
    weight_kg: float
    complaint: str
    onset_hours: float = Field(description="Hours from symptom onset (or last known well) to arrival.")
    vitals: Vitals
    conditions: list[str]
    medications: list[str]
    allergies: list[str]
    features: list[str] = Field(description="Findings of history and examination.")
    gestation_weeks: int | None
    days_since_surgery: int | None
    labs: dict[str, float] = Field(description="Baseline bloods at arrival, analyte_unit -> value.")


def get_chart(case_id: CaseId) -> Chart:
    """The pathway patient's chart: demographics, complaint, time from onset, vital signs, conditions, medications,
    allergies, examination findings and baseline bloods. The same patient on every server of the pathway."""
    p = _patient(case_id)
    return Chart(**p.model_dump(exclude={"results"}))


def get_vital_signs(case_id: CaseId) -> Vitals:
    """The arrival vital signs (the inputs of NEWS2, RCP 2017: RR, SpO2, oxygen, BP, HR, consciousness, temp)."""
    return _patient(case_id).vitals


class MedicationList(BaseModel):
    case_id: str
    medications: list[str] = Field(description="Current medicines, names as in drug_interaction's formulary.")
    allergies: list[str]
    conditions: list[str]


def get_medication_list(case_id: CaseId) -> MedicationList:
    """Current medicines, allergies and conditions: what the drug phase checks against (drug_interaction's
    ``check_interaction`` takes these names)."""
    p = _patient(case_id)
    return MedicationList(case_id=p.case_id, medications=p.medications, allergies=p.allergies, conditions=p.conditions)


class Results(BaseModel):
    case_id: str
    results: dict[str, dict[str, Value]] = Field(description="Ordered investigation -> its result.")
    not_ordered: list[str] = Field(description="The pathway's investigations not ordered yet (no result to show).")


def get_results(case_id: CaseId, ctx: Context) -> Results:
    """Results of the investigations this episode ordered (order_investigation); others are not shown."""
    p = _patient(case_id)
    ordered = _ordered(ctx, p)
    known = _known(p, ordered)
    return Results(
        case_id=p.case_id, results=known.results, not_ordered=[t for t in PATHWAYS[p.pathway].tests if t not in ordered]
    )


class EpisodeSummary(BaseModel):
    case_id: str
    ordered: list[str]
    treatments: list[str]
    disposition: str | None
    submitted: bool


def get_episode_summary(case_id: CaseId, ctx: Context) -> EpisodeSummary:
    """Every phase's writes so far: investigations ordered, treatments started, the disposition, and whether the
    pathway was submitted. Later phases read earlier ones here."""
    p = _patient(case_id)
    dispositions = _writes(ctx, "dispositions", p.case_id)
    return EpisodeSummary(
        case_id=p.case_id,
        ordered=_ordered(ctx, p),
        treatments=[w["treatment"] for w in _writes(ctx, "treatments", p.case_id)],
        disposition=dispositions[-1]["disposition"] if dispositions else None,
        submitted=episode_state(ctx).submitted is not None,
    )


# --- reference --------------------------------------------------------------------------------------------------------


class PathwayInfo(BaseModel):
    pathway: str
    title: str
    phases: list[str]
    score: str = Field(description="The triage-phase score and the calculators-server tool that computes it.")
    score_tolerance: float
    investigations: list[str]
    diagnoses: list[str]
    treatments: list[str]
    dispositions: list[str]
    sources: list[str]


def get_pathway(pathway: PathwayArg) -> PathwayInfo:
    """A pathway's phases, its triage score, investigations, and the diagnoses, treatments and dispositions it
    chooses among, with the guidelines it follows."""
    p = PATHWAYS[pathway]
    return PathwayInfo(
        pathway=p.name,
        title=p.title,
        phases=["triage", "investigations", "diagnosis", "treatment", "disposition"],
        score=p.score_name,
        score_tolerance=p.score_tolerance,
        investigations=list(p.tests),
        diagnoses=list(p.diagnoses),
        treatments=list(p.treatments),
        dispositions=list(p.dispositions),
        sources=list(p.sources),
    )


class PhaseRule(BaseModel):
    phase: str
    rule: str = Field(description="The rule with its thresholds and source.")


class PhaseRules(BaseModel):
    pathway: str
    rules: list[PhaseRule]


def get_phase_rules(pathway: PathwayArg) -> PhaseRules:
    """The rule of each phase of a pathway, with thresholds and sources: the score's calculator, the diagnostic
    criteria, the treatment choice and its contraindications, and the disposition criteria."""
    p = PATHWAYS[pathway]
    out = [PhaseRule(phase="triage", rule=p.score_name + ". " + (p.score_call.__doc__ or "").strip())]
    for phase, fn in (("diagnosis", p.diagnose), ("treatment", p.treat), ("disposition", p.dispose)):
        out.append(PhaseRule(phase=phase, rule=" ".join((fn.__doc__ or "").split())))
    if pathway == "stroke":
        out.append(PhaseRule(phase="treatment", rule=" ".join(rules.thrombolysis_contraindications.__doc__.split())))
    if pathway == "paediatric_fever":
        out.append(
            PhaseRule(
                phase="disposition",
                rule=" ".join(rules.traffic_light.__doc__.split())
                + f" Red features: {', '.join(rules.RED_FEATURES)}. Amber features: "
                f"{', '.join(rules.AMBER_FEATURES)}.",
            )
        )
    if pathway == "dka":
        out.append(PhaseRule(phase="diagnosis", rule=" ".join(rules.osmolality.__doc__.split())))
    return PhaseRules(pathway=pathway, rules=[r for r in out if r.rule])


class RegimenInfo(BaseModel):
    regimen: str
    drugs: list[str]
    pathways: list[str] = Field(description="Pathways whose treatment options include it.")


def get_regimen(regimen: RegimenArg) -> RegimenInfo:
    """A treatment regimen's drugs (names as in drug_interaction's formulary where it has them) and the pathways
    that use it."""
    return RegimenInfo(
        regimen=regimen,
        drugs=list(REGIMENS[regimen]),
        pathways=[p.name for p in PATHWAYS.values() if regimen in p.treatments],
    )


class SafetyRule(BaseModel):
    rule: str
    text: str


class SafetyRules(BaseModel):
    rules: list[SafetyRule]


def get_safety_rules() -> SafetyRules:
    """The cross-phase safety rules every treatment is judged by (thrombolysis contraindications, antithrombotics
    in bleeding, penicillin allergy, insulin with low potassium, beta-blockers in asthma), with sources."""
    return SafetyRules(rules=[SafetyRule(rule=name, text=text) for name, text in RULES.items()])


# --- decision support -------------------------------------------------------------------------------------------------


class Assessment(BaseModel):
    case_id: str
    value: str | None = Field(description="The phase's answer; null while investigations it needs are missing.")
    missing_investigations: list[str]
    rule: str


def _phase_value(p: Patient, phase: str) -> str:
    pathway = PATHWAYS[p.pathway]
    if phase == "score":
        return f"{calculate(pathway.score_call(p)):g}"
    diagnosis = pathway.diagnose(p)
    if phase == "diagnosis":
        return diagnosis
    return pathway.treat(p, diagnosis) if phase == "treatment" else pathway.dispose(p, diagnosis)


def _assess(case_id: str, ctx: Context, phase: str) -> Assessment:
    """A phase's answer from the chart and the ordered results; null while a result it reads is missing."""
    p = _patient(case_id)
    pathway = PATHWAYS[p.pathway]
    ordered = _ordered(ctx, p)
    try:
        value: str | None = _phase_value(_known(p, ordered), phase)
    except (KeyError, StopIteration):  # a result the rule reads was not ordered
        value = None
    fn = {
        "score": pathway.score_call,
        "diagnosis": pathway.diagnose,
        "treatment": pathway.treat,
        "disposition": pathway.dispose,
    }[phase]
    return Assessment(
        case_id=p.case_id,
        value=value,
        missing_investigations=[t for t in pathway.tests if t not in ordered] if value is None else [],
        rule=" ".join(f"{pathway.score_name if phase == 'score' else ''} {fn.__doc__ or ''}".split()),
    )


def assess_triage_score(case_id: CaseId, ctx: Context) -> Assessment:
    """The pathway's triage score (as the calculators server computes it) from the chart and the ordered results."""
    return _assess(case_id, ctx, "score")


def assess_diagnosis(case_id: CaseId, ctx: Context) -> Assessment:
    """The diagnosis the pathway's criteria give from the ordered investigations."""
    return _assess(case_id, ctx, "diagnosis")


def recommend_treatment(case_id: CaseId, ctx: Context) -> Assessment:
    """The regimen the pathway's treatment rule gives, contraindications and interactions applied."""
    return _assess(case_id, ctx, "treatment")


def recommend_disposition(case_id: CaseId, ctx: Context) -> Assessment:
    """The disposition the pathway's rule gives from the diagnosis and severity."""
    return _assess(case_id, ctx, "disposition")


class ContraindicationCheck(BaseModel):
    case_id: str
    regimen: str
    drugs: list[str]
    safe: bool
    violations: list[str] = Field(description="Each safety rule the regimen would break for this patient.")


def check_contraindications(case_id: CaseId, treatment: TreatmentArg, ctx: Context) -> ContraindicationCheck:
    """Whether starting ``treatment`` breaks a cross-phase safety rule for this patient, judged from what the episode
    has found (the ordered results) and the chart."""
    p = _patient(case_id)
    known = _known(p, _ordered(ctx, p))
    violations = unsafe_acts(known, treatment)
    return ContraindicationCheck(
        case_id=p.case_id,
        regimen=treatment,
        drugs=list(REGIMENS[treatment]),
        safe=not violations,
        violations=violations,
    )


# --- writes -----------------------------------------------------------------------------------------------------------


class Written(BaseModel):
    case_id: str
    recorded: str
    episode: EpisodeSummary


def order_investigation(case_id: CaseId, test: TestArg, ctx: Context) -> Written:
    """Order one of the pathway's investigations; its result is then readable with get_results."""
    p = _patient(case_id)
    tests = PATHWAYS[p.pathway].tests
    if test not in tests:
        raise ToolError(f"test: {test!r} is not an investigation of the {p.pathway} pathway; one of {', '.join(tests)}")
    if test not in _ordered(ctx, p):
        episode_state(ctx).add("orders", {"case_id": p.case_id, "test": test})
    return Written(case_id=p.case_id, recorded=f"ordered {test}", episode=get_episode_summary(p.case_id, ctx))


def start_treatment(case_id: CaseId, treatment: TreatmentArg, ctx: Context) -> Written:
    """Start a treatment regimen (its drugs or procedure). Judged by the cross-phase safety rules."""
    p = _patient(case_id)
    episode_state(ctx).add("treatments", {"case_id": p.case_id, "treatment": treatment})
    return Written(case_id=p.case_id, recorded=f"started {treatment}", episode=get_episode_summary(p.case_id, ctx))


def set_disposition(case_id: CaseId, disposition: DispositionArg, ctx: Context) -> Written:
    """Set where the patient goes next (the last one set stands)."""
    p = _patient(case_id)
    options = PATHWAYS[p.pathway].dispositions
    if disposition not in options:
        raise ToolError(
            f"disposition: {disposition!r} is not a destination of the {p.pathway} pathway; one of {', '.join(options)}"
        )
    episode_state(ctx).add("dispositions", {"case_id": p.case_id, "disposition": disposition})
    return Written(
        case_id=p.case_id, recorded=f"disposition {disposition}", episode=get_episode_summary(p.case_id, ctx)
    )


class Submission(BaseModel):
    case_id: str
    score: float
    diagnosis: str
    treatment: str = Field(description="The regimen started (several joined by '; ' when more than one was).")
    disposition: str


def submit_pathway(
    score: Annotated[float, Field(description="The triage-phase score of the pathway (get_pathway names it).")],
    diagnosis: Annotated[str, Field(description="The diagnosis, one of the pathway's (get_pathway).")],
    treatment: Annotated[str, Field(description="The treatment started with start_treatment (the one regimen).")],
    disposition: Annotated[str, Field(description="The disposition set with set_disposition (the last one).")],
    ctx: Context,
    case_id: Annotated[
        str, Field(description="Pathway case id; default: the case this episode's writes are about.")
    ] = "",
) -> Submission:
    """Submit the pathway, once per episode: the score and diagnosis, and the treatment and disposition exactly as
    the episode wrote them (start_treatment, set_disposition); a treatment not started or a disposition not set is
    refused, so the writes are what is graded."""
    if case_id == "":
        written = {
            w["case_id"] for kind in ("orders", "treatments", "dispositions") for w in episode_state(ctx).get(kind)
        }
        if len(written) != 1:
            raise ToolError(f"case_id: give the case id; this episode wrote for {len(written)} cases")
        case_id = written.pop()
    p = _patient(case_id)
    options = PATHWAYS[p.pathway].diagnoses
    if diagnosis not in options:
        raise ToolError(
            f"diagnosis: {diagnosis!r} is not a diagnosis of the {p.pathway} pathway; one of {', '.join(options)}"
        )
    state = episode_state(ctx)
    if state.submitted is not None:
        raise ToolError("submit_pathway: this episode has already submitted its pathway")
    summary = get_episode_summary(p.case_id, ctx)
    started = "; ".join(summary.treatments)
    if treatment != started:
        raise ToolError(
            f"treatment: {str(treatment)[:80]!r} is not what this episode started "
            f"({started or 'nothing yet'}); start it with start_treatment first"
        )
    if disposition != (summary.disposition or ""):
        raise ToolError(
            f"disposition: {str(disposition)[:80]!r} is not the disposition set "
            f"({summary.disposition or 'none yet'}); set it with set_disposition first"
        )
    out = Submission(
        case_id=p.case_id, score=score, diagnosis=diagnosis, treatment=started, disposition=summary.disposition or ""
    )
    state.submitted = out.model_dump()
    return out


TOOL_KINDS: dict[str, ToolKind] = {
    "get_chart": "record",
    "get_vital_signs": "record",
    "get_medication_list": "record",
    "get_results": "record",
    "get_episode_summary": "record",
    "get_pathway": "reference",
    "get_phase_rules": "reference",
    "get_regimen": "reference",
    "get_safety_rules": "reference",
    "assess_triage_score": "decision_support",
    "assess_diagnosis": "decision_support",
    "recommend_treatment": "decision_support",
    "recommend_disposition": "decision_support",
    "check_contraindications": "decision_support",
    "order_investigation": "write",
    "start_treatment": "write",
    "set_disposition": "write",
    "submit_pathway": "write",
}
TOOLS = [globals()[name] for name in TOOL_KINDS]

__all__ = ["TOOLS", "TOOL_KINDS"]
