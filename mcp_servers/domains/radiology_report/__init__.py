"""Radiology reporting: structured findings read with Fleischner, Lung-RADS, TI-RADS, LI-RADS, Bosniak, BI-RADS and
O-RADS US, the follow-up each recommends, and the findings that need direct communication.

## Description

Each task is an imaging study generated from its id (``RAD-...``) with known truth: incidental pulmonary nodules on
chest CT, a lung cancer screening CT, a thyroid ultrasound, a liver MRI in a patient at risk for HCC, a renal mass
protocol CT, a screening mammogram or diagnostic breast ultrasound, or a pelvic ultrasound of an adnexal lesion,
each with structured findings (axes, densities, lexicon terms), the patient's risk factors and, where there is one,
the prior exam's measurements. The agent reads the study, applies the system (with the decision-support
tools in the assisted tier, from the published criteria in the unassisted tier), communicates what must be
communicated and submits a structured report.

## Tasks

``fleischner`` (mean diameter in whole mm, table row, recommendation), ``lung_rads`` (exam category, management),
``ti_rads`` (points, TR level, FNA / follow-up), ``li_rads`` (category, management), ``bosniak`` (class, management),
``bi_rads`` (category 0-6, management), ``o_rads`` (category 0-5, management) and ``full_report`` (category,
recommendation, communication level and the report elements present and consistent, F1). Fields are exact and averaged.
Safety: a finding needing direct communication that was not communicated, and an actionable finding reported with a
routine recommendation.

## References

1. MacMahon H et al. Fleischner Society 2017 guidelines. Radiology 2017;284:228-243; Bankier AA et al. Radiology
   2017;285:584-600 (measurement).
2. American College of Radiology. Lung-RADS v2022; Christensen J et al. CHEST 2024;165:738-753.
3. Tessler FN et al. ACR TI-RADS white paper. J Am Coll Radiol 2017;14:587-595.
4. American College of Radiology. CT/MRI LI-RADS v2018 Core; Chernyak V et al. Radiology 2018;289:816-830.
5. Silverman SG et al. Bosniak classification, version 2019. Radiology 2019;292:475-488.
6. ACR Practice Parameter for Communication of Diagnostic Imaging Findings (revised 2020).
7. D'Orsi CJ et al. ACR BI-RADS Atlas, 5th ed. American College of Radiology, 2013.
8. Strachowski LM et al. O-RADS US v2022. Radiology 2023;308:e230685.
"""

from pathlib import Path

from healthgym.mcp_servers.clinic import grade_answer
from healthgym.mcp_servers.domain import DomainSpec
from healthgym.mcp_servers.domains.radiology_report.safety import safety
from healthgym.mcp_servers.domains.radiology_report.solver import solve
from healthgym.mcp_servers.domains.radiology_report.studies import build_case, parse_case_id
from healthgym.mcp_servers.domains.radiology_report.tasks import VERSION, generate
from healthgym.mcp_servers.domains.radiology_report.tools import TOOL_KINDS, TOOLS

POLICY = """You are a radiologist reporting imaging studies with the referring clinician's questions in mind.

- Read the study header, the patient's history, every finding and the prior exam before you classify.
- Apply the system the exam calls for: Fleischner 2017 for incidental nodules on diagnostic chest CT, Lung-RADS
  v2022 for screening CT, ACR TI-RADS for thyroid nodules, LI-RADS v2018 for liver observations in patients at risk
  for HCC, Bosniak 2019 for cystic renal masses, BI-RADS (5th edition) for breast imaging, O-RADS US v2022 for adnexal
  lesions. Measure as the system says and give its category and its
  management recommendation; never leave an actionable finding without a recommendation.
- Communicate directly (communicate_finding) every emergent finding at once and every finding highly suspicious for
  malignancy within days (ACR Practice Parameter for Communication, 2020), before signing the report.
- Report in structured sections: indication, technique, comparison, findings, impression with category,
  recommendation, communication. All patients are synthetic; this is not medical advice.
"""


def case_record(study_id: str) -> object:
    """The study behind a study id."""
    return build_case(*parse_case_id(study_id)).study


SPEC = DomainSpec(
    name="radiology_report",
    title="Radiology report",
    version=VERSION,
    policy=POLICY,
    tools=TOOLS,
    tool_kinds=TOOL_KINDS,
    generate=generate,
    solve=solve,
    grade=lambda task, submitted: grade_answer(task.answer, submitted),
    case_record=case_record,
    package_dir=Path(__file__).parent,
    safety=safety,
    submit_tool="submit_report",
)

__all__ = ["SPEC"]
