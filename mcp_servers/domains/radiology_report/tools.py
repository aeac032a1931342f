"""The radiology_report tools: plain typed functions whose signatures are the MCP schemas.

Record tools rebuild the study from its id (``_case``), so every tool fails the same way on a bad id. Reference tools
return a system's published table. Decision-support tools apply the rule modules (withheld in the unassisted tier).
Writes (``communicate_finding``, ``submit_report``) go to the episode's own state.
"""

from __future__ import annotations

from typing import Annotated, Literal

from mcp.server.fastmcp import Context
from mcp.server.fastmcp.exceptions import ToolError
from pydantic import BaseModel, Field

from healthgym.mcp_servers.clinic import episode_state
from healthgym.mcp_servers.domain import ToolKind
from healthgym.mcp_servers.domains.radiology_report import communication, li_rads, lung_rads, report, ti_rads
from healthgym.mcp_servers.domains.radiology_report.assessment import (
    ALL_CATEGORIES,
    ALL_RECOMMENDATIONS,
    CATEGORIES,
    RECOMMENDATIONS,
    SOURCES,
)
from healthgym.mcp_servers.domains.radiology_report.classification import mean_diameter
from healthgym.mcp_servers.domains.radiology_report.criteria import COMMUNICATION_ROWS, MEASUREMENT, criteria_rows
from healthgym.mcp_servers.domains.radiology_report.models import (
    AdnexalLesion,
    BreastMass,
    Comparison,
    LiverObservation,
    LungNodule,
    OtherFinding,
    Patient,
    RenalMass,
    Study,
    ThyroidNodule,
)
from healthgym.mcp_servers.domains.radiology_report.studies import Case, build_case, parse_case_id

StudyId = Annotated[str, Field(description="Study id, such as 'RAD-5W1Q3ZK8M0RTA'.")]
SystemName = Literal["fleischner", "lung_rads", "ti_rads", "li_rads", "bosniak", "bi_rads", "o_rads"]
SystemArg = Annotated[SystemName, Field(description="fleischner, lung_rads, ti_rads, li_rads, bosniak, bi_rads or "
                                        "o_rads.")]
CategoryCode = Literal[("", *ALL_CATEGORIES)]  # type: ignore[valid-type]
RecommendationCode = Literal[("", *ALL_RECOMMENDATIONS)]  # type: ignore[valid-type]


def _case(study_id: str) -> Case:
    """The case behind a study id; a ``ToolError`` naming ``study_id`` if it is not one."""
    try:
        return build_case(*parse_case_id(study_id))
    except ValueError:
        raise ToolError(
            f"study_id {str(study_id)[:60]!r} not found; study ids look like 'RAD-' followed by 13 base32 characters"
        ) from None


# --- record --------------------------------------------------------------------------------------------------------


class StudyHeader(BaseModel):
    """The study's header: what was imaged, why and how, and which findings it holds."""

    study_id: str
    exam: str
    modality: str
    date: str
    indication: str
    technique: str
    findings: list[str] = Field(description="'<finding id>: <kind>, <location>' for every finding.")
    has_comparison: bool = Field(description="True when a prior exam is available (see get_comparison).")
    communications: list[str] = Field(description="Direct communications recorded in this episode.")


def get_study(study_id: StudyId, ctx: Context) -> StudyHeader:
    """The study header: exam, modality, date, indication, technique, the list of findings by id and location,
    whether a prior exam is available, and the communications recorded in this episode."""
    study = _case(study_id).study
    listing = [f"{n.finding_id}: {n.density} lung nodule, {n.lobe}" for n in study.lung_nodules]
    listing += [f"{n.finding_id}: thyroid nodule, {n.lobe} lobe" for n in study.thyroid_nodules]
    listing += [f"{o.finding_id}: liver observation, segment {o.segment}" for o in study.liver_observations]
    listing += [f"{m.finding_id}: cystic renal mass, {m.side} kidney" for m in study.renal_masses]
    listing += [f"{m.finding_id}: breast mass, {m.side} breast {m.clock_position} o'clock" for m in study.breast_masses]
    listing += [f"{a.finding_id}: adnexal lesion, {a.side} adnexa" for a in study.adnexal_lesions]
    listing += [f"{o.finding_id}: other finding ({o.label})" for o in study.other_findings]
    sent = [f"{r['urgency']} to {r['recipient']}" for r in episode_state(ctx).get("communications")
            if r["study_id"] == study.study_id]  # fmt: skip
    return StudyHeader(study_id=study.study_id, exam=study.exam, modality=study.modality, date=study.date,
                       indication=study.indication, technique=study.technique, findings=listing,
                       has_comparison=bool(study.comparison.prior_date), communications=sent)  # fmt: skip


class PatientHistory(Patient):
    study_id: str


def get_patient_history(study_id: StudyId) -> PatientHistory:
    """The patient: age, sex, smoking status and pack-years, lung cancer risk factors (family history, asbestos or
    radon exposure, emphysema, fibrosis), chronic liver disease (HCC risk), known cancer and immune status."""
    study = _case(study_id).study
    return PatientHistory(study_id=study.study_id, **study.patient.model_dump())


class Findings(BaseModel):
    """Every finding of the study, described with its system's lexicon."""

    study_id: str
    lung_nodules: list[LungNodule]
    thyroid_nodules: list[ThyroidNodule]
    liver_observations: list[LiverObservation]
    renal_masses: list[RenalMass]
    breast_masses: list[BreastMass]
    adnexal_lesions: list[AdnexalLesion]
    other_findings: list[OtherFinding]


def get_findings(study_id: StudyId) -> Findings:
    """The study's structured findings: lung nodules (type, axes in mm, solid component, margin, calcification, fat,
    perifissural), thyroid nodules (TI-RADS lexicon), liver observations (LI-RADS features), cystic renal masses
    (wall, septa, protrusions, attenuation), breast masses (BI-RADS lexicon), adnexal lesions (O-RADS US lexicon), and
    any other finding."""
    s = _case(study_id).study
    return Findings(study_id=s.study_id, lung_nodules=s.lung_nodules, thyroid_nodules=s.thyroid_nodules,
                    liver_observations=s.liver_observations, renal_masses=s.renal_masses,
                    breast_masses=s.breast_masses, adnexal_lesions=s.adnexal_lesions,
                    other_findings=s.other_findings)  # fmt: skip


class ComparisonRecord(Comparison):
    study_id: str


def get_comparison(study_id: StudyId) -> ComparisonRecord:
    """The prior exam: its date, the interval in months, each finding's prior measurements, and the findings that
    are new since. Empty date when there is no prior exam (a baseline study)."""
    study = _case(study_id).study
    return ComparisonRecord(study_id=study.study_id, **study.comparison.model_dump())


# --- reference ------------------------------------------------------------------------------------------------------


class CriterionRow(BaseModel):
    key: str
    criterion: str


class Criteria(BaseModel):
    """A classification system's published table."""

    system: str
    source: str
    measurement: str
    categories: list[str]
    recommendations: dict[str, str] = Field(description="Recommendation code -> the source's wording.")
    rows: list[CriterionRow]


def get_criteria(system: SystemArg) -> Criteria:
    """The criteria of a classification system as published: its categories with their defining findings, how size
    and growth are measured, and its management recommendations (Fleischner 2017, Lung-RADS v2022, ACR TI-RADS 2017,
    LI-RADS v2018 CT/MRI, Bosniak 2019, BI-RADS 5th edition, O-RADS US v2022). Apply these rows to the findings."""
    return Criteria(system=system, source=SOURCES[system], measurement=MEASUREMENT[system],
                    categories=list(CATEGORIES[system]), recommendations=RECOMMENDATIONS[system],
                    rows=[CriterionRow(key=k, criterion=c) for k, c in criteria_rows(system)])  # fmt: skip


class CommunicationRules(BaseModel):
    source: str
    levels: list[CriterionRow]
    emergent_findings: list[str]
    suspicious_categories: list[str]


def get_communication_rules() -> CommunicationRules:
    """When a finding needs direct communication with the referring clinician (ACR Practice Parameter for
    Communication of Diagnostic Imaging Findings, 2020): immediate for emergent findings, expedited for categories
    highly suspicious for malignancy, routine otherwise."""
    return CommunicationRules(source=communication.SOURCE,
                              levels=[CriterionRow(key=k, criterion=c) for k, c in COMMUNICATION_ROWS],
                              emergent_findings=list(communication.EMERGENT),
                              suspicious_categories=[*communication.SUSPICIOUS_CATEGORIES, "tr5 (at FNA size)"])


class ReportTemplate(BaseModel):
    system: str
    sections: list[str]
    checks: dict[str, str] = Field(description="Element -> what submit_report checks it for.")
    category_options: list[str]
    recommendation_options: list[str]
    source: str


def get_report_template(system: SystemArg) -> ReportTemplate:
    """The structured report's sections and what each must contain to count as present and consistent, with the
    category and recommendation codes of the system (ACR Practice Parameter for Communication, 2020)."""
    return ReportTemplate(system=system, sections=list(report.ELEMENTS), checks=report.RULES,
                          category_options=list(CATEGORIES[system]),
                          recommendation_options=list(RECOMMENDATIONS[system]), source=report.SOURCE)  # fmt: skip


# --- decision support -----------------------------------------------------------------------------------------------


class Measurement(BaseModel):
    system: str
    mean_diameter_mm: float
    rule: str


def measure_nodule(
    long_axis_mm: Annotated[float, Field(gt=0, le=300, description="Long axis in mm.")],
    short_axis_mm: Annotated[float, Field(gt=0, le=300, description="Short axis in mm (perpendicular, <= long).")],
    system: Annotated[Literal["fleischner", "lung_rads"], Field(description="fleischner or lung_rads.")],
) -> Measurement:
    """Mean nodule diameter from two axes by the system's convention: Fleischner rounds to the nearest whole mm
    (Bankier 2017), Lung-RADS v2022 to one decimal place."""
    try:
        mm = mean_diameter(long_axis_mm, short_axis_mm, 0 if system == "fleischner" else 1)
    except ValueError as err:
        raise ToolError(f"short_axis_mm/long_axis_mm: {err}") from None
    return Measurement(system=system, mean_diameter_mm=mm, rule=MEASUREMENT[system])


class Growth(BaseModel):
    system: str
    change_mm: float
    change_percent: float
    growth: bool
    rule: str


def assess_growth(
    current_mm: Annotated[float, Field(gt=0, le=300, description="Size now, in mm, as the system measures it.")],
    prior_mm: Annotated[float, Field(gt=0, le=300, description="Size on the prior exam, in mm.")],
    interval_months: Annotated[int, Field(ge=1, le=120, description="Months between the two exams.")],
    system: Annotated[Literal["lung_rads", "li_rads"], Field(description="lung_rads or li_rads.")],
) -> Growth:
    """Whether a finding grew by the system's definition: Lung-RADS v2022 growth (> 1.5 mm mean diameter within 12
    months) or LI-RADS v2018 threshold growth (>= 50% in <= 6 months)."""
    if system == "lung_rads":
        if interval_months > lung_rads.GROWTH_WINDOW_MONTHS:
            raise ToolError(f"interval_months {interval_months}: Lung-RADS growth is defined within 12 months")
        grew = lung_rads.grew(current_mm, prior_mm, interval_months)
        rule = "Lung-RADS v2022: increase in mean diameter > 1.5 mm within 12 months"
    else:
        grew = li_rads.threshold_growth(current_mm, prior_mm, interval_months)
        rule = "LI-RADS v2018: threshold growth = size increase >= 50% in <= 6 months"
    return Growth(system=system, change_mm=round(current_mm - prior_mm, 2),
                  change_percent=round(100 * (current_mm - prior_mm) / prior_mm, 1), growth=grew, rule=rule)


class TiRadsScore(BaseModel):
    points: dict[str, int]
    total: int
    level: str
    source: str


FociArg = Literal["large_comet_tail", "macrocalcification", "peripheral_rim", "punctate"]


def score_ti_rads(
    composition: Annotated[
        Literal["cystic", "spongiform", "mixed_cystic_solid", "solid"], Field(description="Nodule composition.")
    ],
    echogenicity: Annotated[
        Literal["anechoic", "hyperechoic", "isoechoic", "hypoechoic", "very_hypoechoic"],
        Field(description="Echogenicity relative to thyroid."),
    ],
    shape: Annotated[Literal["wider_than_tall", "taller_than_wide"], Field(description="Shape on transverse view.")],
    margin: Annotated[
        Literal["smooth", "ill_defined", "lobulated", "irregular", "extrathyroidal_extension"],
        Field(description="Margin."),
    ],
    echogenic_foci: Annotated[list[FociArg], Field(description="Every type of echogenic focus seen; [] for none.")],
) -> TiRadsScore:
    """ACR TI-RADS points per feature, total and level (Tessler 2017, Figure 1)."""
    parts = ti_rads.points(composition, echogenicity, shape, margin, echogenic_foci)
    total = sum(parts.values())
    try:
        level = ti_rads.level(total)
    except ValueError as err:
        raise ToolError(f"composition/echogenicity/shape/margin/echogenic_foci: {err}") from None
    return TiRadsScore(points=parts, total=total, level=level, source=ti_rads.SOURCE)


class FindingClassification(BaseModel):
    study_id: str
    finding_id: str
    system: str
    category: str
    recommendation: str
    recommendation_text: str
    reasons: list[str]


def classify_finding(
    study_id: StudyId,
    finding_id: Annotated[str, Field(description="Finding id from get_study, e.g. 'F1'.")],
) -> FindingClassification:
    """Classify one finding with the study's system (decision support). For Fleischner the nodules are managed as a
    set, so every nodule returns the set's table row."""
    case = _case(study_id)
    a = case.assessment
    match = [c for c in a.findings if c.finding_id == finding_id]
    if a.system == "fleischner" and finding_id in {n.finding_id for n in case.study.lung_nodules}:
        match = [a.exam]
    if not match:
        classified = [n.finding_id for n in case.study.lung_nodules] if a.system == "fleischner" else [
            c.finding_id for c in a.findings]
        raise ToolError(f"finding_id {str(finding_id)[:20]!r} is not a classified finding of this study; "
                        f"allowed: {', '.join(classified)}")  # fmt: skip
    c = match[0]
    return FindingClassification(study_id=case.study.study_id, finding_id=finding_id, system=a.system,
                                 category=c.category, recommendation=c.recommendation,
                                 recommendation_text=RECOMMENDATIONS[a.system][c.recommendation],
                                 reasons=list(c.reasons))  # fmt: skip


class StudyClassification(BaseModel):
    study_id: str
    system: str
    category: str
    recommendation: str
    recommendation_text: str
    guiding_finding: str
    size_mm: float | None = Field(description="Fleischner/Lung-RADS: mean diameter of the guiding nodule.")
    ti_rads_points: int | None
    reasons: list[str]


def classify_study(study_id: StudyId) -> StudyClassification:
    """The study's overall category and recommendation: the most suspicious finding's, by the study's system
    (decision support)."""
    case = _case(study_id)
    a = case.assessment
    return StudyClassification(study_id=case.study.study_id, system=a.system, category=a.exam.category,
                               recommendation=a.exam.recommendation,
                               recommendation_text=RECOMMENDATIONS[a.system][a.exam.recommendation],
                               guiding_finding=a.exam.finding_id, size_mm=a.size_mm, ti_rads_points=a.ti_rads_points,
                               reasons=list(a.exam.reasons))  # fmt: skip


class CommunicationCheck(BaseModel):
    study_id: str
    urgency: str
    reasons: list[str]
    source: str


def check_communication(study_id: StudyId) -> CommunicationCheck:
    """Whether the study needs direct communication and how urgently (ACR Practice Parameter for Communication,
    2020): immediate, expedited or routine (decision support)."""
    case = _case(study_id)
    a = case.assessment
    return CommunicationCheck(study_id=case.study.study_id, urgency=a.communication,
                              reasons=list(a.communication_reasons), source=communication.SOURCE)


class DraftReport(BaseModel):
    study_id: str
    indication: str
    technique: str
    comparison: str
    findings: str
    impression: str
    category: str
    recommendation: str
    communication: str


def draft_report(study_id: StudyId) -> DraftReport:
    """A draft structured report of the study from its classification (decision support): every section, the
    category, recommendation and communication. Review it before submitting."""
    case = _case(study_id)
    a = case.assessment
    return DraftReport(study_id=case.study.study_id, **report.draft(case.study, a), category=a.exam.category,
                       recommendation=a.exam.recommendation, communication=a.communication)


class Validation(BaseModel):
    study_id: str
    valid: bool
    problems: list[str]


Section = Annotated[str, Field(max_length=4000, description="Report section text.")]


def validate_report(
    study_id: StudyId,
    category: Annotated[str, Field(max_length=100, description="Category code in the report.")],
    recommendation: Annotated[str, Field(max_length=100, description="Recommendation code in the report.")],
    communication_level: Annotated[str, Field(max_length=20, description="routine, expedited or immediate.")],
    indication: Section = "",
    technique: Section = "",
    comparison: Section = "",
    findings: Section = "",
    impression: Section = "",
) -> Validation:
    """Check a draft report against the study (decision support): each required element present and consistent, and
    the category, recommendation and communication level those of the study's classification."""
    case = _case(study_id)
    a = case.assessment
    sections = {"indication": indication, "technique": technique, "comparison": comparison, "findings": findings,
                "impression": impression}  # fmt: skip
    problems = [f"{k}: {v}" for k, v in report.check(case.study, sections, category).items() if v]
    if category != a.exam.category:
        problems.append(f"category: {category!r} does not follow from the findings")
    if recommendation != a.exam.recommendation:
        problems.append(f"recommendation: {recommendation!r} is not the system's management for this study")
    if communication_level != a.communication:
        problems.append(f"communication_level: {communication_level!r} does not match the findings")
    return Validation(study_id=case.study.study_id, valid=not problems, problems=problems)


# --- writes -----------------------------------------------------------------------------------------------------------


class CommunicationRecord(BaseModel):
    study_id: str
    urgency: str
    recipient: str
    message: str


def communicate_finding(
    study_id: StudyId,
    urgency: Annotated[Literal["expedited", "immediate"], Field(description="expedited or immediate.")],
    recipient: Annotated[str, Field(min_length=2, max_length=200, description="Who was told, e.g. 'Dr Lee (ED)'.")],
    message: Annotated[str, Field(min_length=2, max_length=2000, description="What was communicated.")],
    ctx: Context,
) -> CommunicationRecord:
    """Record a direct (nonroutine) communication of a finding to the referring clinician, with its urgency (ACR
    Practice Parameter for Communication, 2020: document who was told, when and what)."""
    study = _case(study_id).study
    record = CommunicationRecord(study_id=study.study_id, urgency=urgency, recipient=recipient, message=message)
    episode_state(ctx).add("communications", record.model_dump())
    return record


class ReportSubmission(BaseModel):
    """The submitted report, with the elements found present and consistent."""

    study_id: str
    category: str
    recommendation: str
    communication: str
    size_mm: float
    ti_rads_points: int
    report_elements: list[str]
    element_problems: list[str]


def submit_report(
    ctx: Context,
    study_id: StudyId,
    category: Annotated[CategoryCode, Field(description="Category code (impression), e.g. lung_rads_4a.")],
    recommendation: Annotated[RecommendationCode, Field(description="Recommendation code.")],
    communication: Annotated[
        Literal["", "routine", "expedited", "immediate"], Field(description="routine, expedited or immediate.")
    ] = "",
    size_mm: Annotated[float, Field(ge=-1, le=300, description="Size asked for, in mm; -1 if not asked.")] = -1.0,
    ti_rads_points: Annotated[int, Field(ge=-1, le=20, description="TI-RADS points; -1 if not asked.")] = -1,
    indication: Section = "",
    technique: Section = "",
    comparison: Section = "",
    findings: Section = "",
    impression: Section = "",
) -> ReportSubmission:
    """Submit the final structured report once: indication, technique, comparison, findings, impression with the
    category code, the recommendation code and the communication level, plus the size or TI-RADS points when the task
    asks. The report's sections are checked against the study. A second submission is refused."""
    state = episode_state(ctx)
    if state.submitted is not None:
        raise ToolError("submit_report: a report was already submitted in this episode; study_id and the other "
                        "fields cannot be changed")
    study: Study = _case(study_id).study
    sections = {"indication": indication, "technique": technique, "comparison": comparison, "findings": findings,
                "impression": impression}  # fmt: skip
    checks = report.check(study, sections, category)
    answer = ReportSubmission(study_id=study.study_id, category=category, recommendation=recommendation,
                              communication=communication, size_mm=size_mm, ti_rads_points=ti_rads_points,
                              report_elements=[k for k, v in checks.items() if not v],
                              element_problems=[f"{k}: {v}" for k, v in checks.items() if v])  # fmt: skip
    state.submitted = answer.model_dump()
    return answer


TOOLS = [
    get_study, get_patient_history, get_findings, get_comparison, get_criteria, get_communication_rules,
    get_report_template, measure_nodule, assess_growth, score_ti_rads, classify_finding, classify_study,
    check_communication, draft_report, validate_report, communicate_finding, submit_report,
]  # fmt: skip
TOOL_KINDS: dict[str, ToolKind] = {
    "get_study": "record",
    "get_patient_history": "record",
    "get_findings": "record",
    "get_comparison": "record",
    "get_criteria": "reference",
    "get_communication_rules": "reference",
    "get_report_template": "reference",
    "measure_nodule": "decision_support",
    "assess_growth": "decision_support",
    "score_ti_rads": "decision_support",
    "classify_finding": "decision_support",
    "classify_study": "decision_support",
    "check_communication": "decision_support",
    "draft_report": "decision_support",
    "validate_report": "decision_support",
    "communicate_finding": "write",
    "submit_report": "write",
}
"""Kind of every tool (see ``ToolKind``): the decision-support ones are withheld in the unassisted tier."""
