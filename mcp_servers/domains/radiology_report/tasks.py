"""Task generation: ``generate(split, seed, index)`` builds the task about the study behind case ``index``.

Eight kinds cycle with the index (``studies.KIND_CYCLE``), so the 360-task test split holds 45 of each:

- ``fleischner``: incidental nodule(s) on chest CT -> mean diameter of the guiding nodule (whole mm, exact), the
  Table 1 row and its recommendation (composite when there are several nodules).
- ``lung_rads``: screening CT -> exam category and management (composite with two nodules).
- ``ti_rads``: thyroid nodule -> points (exact), TR level and FNA / follow-up recommendation.
- ``li_rads``: liver MRI in a patient at risk -> category of the most suspicious observation and management
  (composite with two observations).
- ``bosniak``: cystic renal mass -> Bosniak class and management (composite with two masses).
- ``bi_rads``: a screening mammogram or a diagnostic breast ultrasound -> BI-RADS assessment category (0-6) and
  management (composite with two masses).
- ``o_rads``: a pelvic ultrasound of an adnexal lesion -> O-RADS US category (0-5) and management (which for O-RADS 2
  depends on menopausal status and size; composite with two lesions).
- ``full_report``: a whole structured report read with one of the seven systems in turn (always composite): category,
  recommendation, communication level, and the report elements found present and consistent (F1).

Fields are graded exactly and averaged; no partial credit within a field (an adjacent category carries a different
management, so it is not clinically "nearly right"). Tiers alternate every eight tasks.
"""

from __future__ import annotations

from healthgym.mcp_servers.domains.radiology_report.assessment import CATEGORIES, RECOMMENDATIONS, SOURCES
from healthgym.mcp_servers.domains.radiology_report.communication import SOURCE as COMMUNICATION_SOURCE
from healthgym.mcp_servers.domains.radiology_report.communication import URGENCIES
from healthgym.mcp_servers.domains.radiology_report.report import ELEMENTS
from healthgym.mcp_servers.domains.radiology_report.studies import DOMAIN, build_case
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
    path_step,
    task_id,
)

VERSION = "1.1.0"
TITLES = {
    "fleischner": "the Fleischner Society 2017 guideline for incidental pulmonary nodules",
    "lung_rads": "ACR Lung-RADS v2022",
    "ti_rads": "ACR TI-RADS",
    "li_rads": "LI-RADS v2018 CT/MRI",
    "bosniak": "the Bosniak classification, version 2019",
    "bi_rads": "the ACR BI-RADS Atlas, 5th edition",
    "o_rads": "ACR O-RADS US v2022",
}
ASKS = {
    "fleischner": "the mean diameter of the nodule that guides management (size_mm, whole mm), the Fleischner table "
    "row (category) and its recommendation",
    "lung_rads": "the exam's Lung-RADS category (its most suspicious nodule) and the management recommendation",
    "ti_rads": "the nodule's TI-RADS points (ti_rads_points), its TR level (category) and the FNA or follow-up "
    "recommendation",
    "li_rads": "the LI-RADS category of the most suspicious observation and its management recommendation",
    "bosniak": "the Bosniak class of the most suspicious cystic mass and its management recommendation",
    "bi_rads": "the exam's BI-RADS assessment category and its management recommendation",
    "o_rads": "the O-RADS US category of the highest-risk adnexal lesion and its management recommendation",
}
FIELDS = {
    "fleischner": ("size_mm", "category", "recommendation"),
    "lung_rads": ("category", "recommendation"),
    "ti_rads": ("ti_rads_points", "category", "recommendation"),
    "li_rads": ("category", "recommendation"),
    "bosniak": ("category", "recommendation"),
    "bi_rads": ("category", "recommendation"),
    "o_rads": ("category", "recommendation"),
    "full_report": ("category", "recommendation", "communication", "report_elements"),
}
COMMUNICATE = ("Communicate any finding that needs direct communication with communicate_finding before you submit.")



def generate(split: Split, seed: int, index: int) -> Task:
    """Task ``index`` of ``(split, seed)``: a pure function of its arguments."""
    case = build_case(split, seed, index)
    plan, study, a = case.plan, case.study, case.assessment
    sid, system = study.study_id, plan.system
    kind = plan.kind
    fields: dict[str, ChoiceAnswer | NumericAnswer | CodeSetAnswer] = {
        "category": ChoiceAnswer(value=a.exam.category, options=list(CATEGORIES[system])),
        "recommendation": ChoiceAnswer(value=a.exam.recommendation, options=list(RECOMMENDATIONS[system])),
    }
    if kind == "fleischner":
        fields = {"size_mm": NumericAnswer(value=float(a.size_mm or 0), unit="mm", tolerance=0.0), **fields}
    if kind == "ti_rads":
        fields = {"ti_rads_points": NumericAnswer(value=float(a.ti_rads_points or 0), unit="points", tolerance=0.0),
                  **fields}  # fmt: skip
    if kind == "full_report":
        fields["communication"] = ChoiceAnswer(value=a.communication, options=list(URGENCIES))
        fields["report_elements"] = CodeSetAnswer(codes=list(ELEMENTS))
    header = f"{study.modality} study {sid} ({study.exam}, indication: {study.indication})."
    args = ", ".join(["study_id", *FIELDS[kind]])
    if kind == "full_report":
        prompt = (f"{header} Write the structured report of this study with {TITLES[system]}: indication, technique, "
                  "comparison, findings (the size of every classified finding and every other finding by label), "
                  "impression stating the category code, the recommendation and the communication level. "
                  f"{COMMUNICATE} Submit it with submit_report({args.replace('report_elements', 'indication, technique, comparison, findings, impression')}).")  # noqa: E501
    else:
        prompt = (f"{header} Apply {TITLES[system]} and report {ASKS[kind]}. {COMMUNICATE} Answer with "
                  f"submit_report({args}).")  # fmt: skip
    before = "submit_report"
    required = [
        ActionSpec(tool="get_study", arguments={"study_id": sid}, before=before, why="read the study header"),
        ActionSpec(tool="get_findings", arguments={"study_id": sid}, before=before, why="read the findings"),
    ]
    path = [path_step("get_study", study_id=sid), path_step("get_patient_history", study_id=sid),
            path_step("get_findings", study_id=sid)]  # fmt: skip
    if system == "fleischner":
        required.append(ActionSpec(tool="get_patient_history", arguments={"study_id": sid}, before=before,
                                   why="Fleischner management depends on the patient's risk factors"))
    if study.comparison.prior_date:
        required.append(ActionSpec(tool="get_comparison", arguments={"study_id": sid}, before=before,
                                   why="growth and new findings are judged against the prior exam"))
        path.append(path_step("get_comparison", study_id=sid))
    if plan.tier == "unassisted":
        required.append(ActionSpec(tool="get_criteria", arguments={"system": system}, before=before,
                                   why=f"apply the published criteria ({SOURCES[system]})"))
        path.append(path_step("get_criteria", system=system))
    else:
        path += [path_step("classify_study", study_id=sid), path_step("check_communication", study_id=sid)]
        path += [path_step("draft_report", study_id=sid)] if kind == "full_report" else []
    if a.communication != "routine":
        required.append(ActionSpec(
            tool="communicate_finding", arguments={"study_id": sid, "urgency": a.communication}, before=before,
            why=f"{'; '.join(a.communication_reasons)} ({COMMUNICATION_SOURCE})"))  # fmt: skip
        path.append(path_step("communicate_finding", study_id=sid, urgency=a.communication, recipient="...",
                          message="..."))  # fmt: skip
    path.append(path_step("submit_report", **{k: "..." for k in ("study_id", *FIELDS[kind])}))
    evidence = [f"{study.exam}; patient {study.patient.age} {study.patient.sex}"]
    evidence += [r for c in a.findings for r in c.reasons[:1]] + [o.description for o in study.other_findings]
    rationale = " ".join(a.exam.reasons) + f" Communication: {a.communication} ({'; '.join(a.communication_reasons)})."
    composite = kind == "full_report" or len(a.findings) > 1 or len(study.lung_nodules) > 1
    return Task(
        id=task_id(DOMAIN, f"{DOMAIN}.{kind}", split, seed, index),
        domain=DOMAIN,
        split=split,
        prompt=prompt,
        case_ref=sid,
        tier=plan.tier,  # type: ignore[arg-type]
        composite=composite,
        answer=FieldsAnswer(fields=fields),
        privileged=Privileged(rationale=rationale, key_evidence=evidence, reference_path=path),
        rubric=Rubric(required_actions=required, max_tool_calls=len(path) + 4),
        source=Source(generator=f"{DOMAIN}.{kind}", version=VERSION),
    )
