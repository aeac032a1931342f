"""cross_domain: clinical pathways whose phases use the tools of several domain servers in one episode.

## Description
Eight pathways, each a chain of phases over one synthetic patient: triage (a score) -> investigations (ordered,
then readable) -> diagnosis -> treatment (drugs checked against contraindications and interactions) -> disposition.
Pathways: chest pain, suspected stroke, sepsis, hyperglycaemic emergency (DKA/HHS), fever in a child under 5,
post-operative deterioration, upper GI bleeding, and hypertension in pregnancy.

## Design: one patient, several servers
- **The patient lives on one server, the rules on several.** The cross_domain server holds the pathway patient
  (``patients.Patient``), rebuilt from its opaque ``XD-`` case id by any process, and every write of the episode
  (orders, treatments, disposition, submission) in its episode state, so later phases read earlier phases' writes
  (``get_results`` shows only what was ordered; ``get_episode_summary`` lists every write). The other servers are
  consulted for what they own and need no copy of the patient: the calculators server computes the triage score
  from the chart's values, drug_interaction checks a drug pair against its interaction table, triage_emergency
  serves its time-critical protocols and obstetrics its hypertension criteria. So one patient is consistent across
  every server the pathway touches by construction, and cases stay pure functions of their ids.
- **Reuse, not copies.** The phase rules call the other domains' code: the scores are the calculators' functions
  (``calculators.registry``), the pregnancy categories are obstetrics' ``hypertension.classify``, and interactions
  are drug_interaction's ``assess_pair``. The reference clinician calls those servers' tools.
- **A spec with several servers.** ``DomainSpec.servers`` maps each other server to the tools its episodes use and
  each tool's kind in this domain's tiers (a calculator is decision support here: withheld in the unassisted tier;
  an interaction lookup is reference). ``healthgym.mcp_servers.toolset`` turns a spec into the episode's tool list:
  the union of the domain's own tools and the declared ones, a tool named ``<server>__<tool>`` where two servers'
  names clash. The Gym env holds one in-process session per server for the episode (``toolset.EpisodeSessions``);
  the LangGraph agent opens one MCP session per server (stdio, HTTP or in-process) for the run and binds the same
  union to each episode.

## Tasks
One task per pathway episode (kind ``cross_domain.<pathway>``), 45 per pathway in the 360-task test split, half
assisted, half unassisted, all composite. The answer has one field per phase, graded separately and averaged
(``Grade.details`` is the per-phase grade): ``score`` (numeric, the pathway's tolerance), ``diagnosis``,
``treatment`` and ``disposition`` (choices among the pathway's options); the last two are graded from the episode's
writes as they stand at submission. A task is correct when every phase is.

## Safety across phases
``safety.py``: thrombolysis with an exclusion found in an earlier phase (haemorrhage on CT, INR > 1.7, platelets
< 100, a DOAC, recent surgery, onset > 4.5 h, GI bleeding, dissection); an anticoagulant or antiplatelet started with
active bleeding; a penicillin despite a penicillin allergy; insulin with potassium < 3.5 mmol/L; a beta-blocker in
asthma. Missing the CT head before a stroke treatment, or the electrolytes before a DKA treatment, is a critical
rubric miss.

## References
ESC 2023 ACS, ESC 2014 aortic diseases, ESC 2019 PE, ESC 2020 AF guidelines; HEART (Backus 2013); AHA/ASA 2019
acute ischaemic stroke and 2022 ICH guidelines; Surviving Sepsis Campaign 2021; Sepsis-3 (Singer 2016); IDSA/ATS CAP
2019; JBDS-IP 2021 DKA and 2022 HHS guidelines; NICE NG143, NG224, NG138, NG240, CG50, CG141, NG133, NG24; NEWS2
(RCP 2017); Glasgow-Blatchford (Blatchford 2000); Baveno VII; ACOG Practice Bulletin 222; Holliday-Segar (1957).
"""

from __future__ import annotations

from pathlib import Path

from healthgym.mcp_servers.domain import DomainSpec, ToolKind
from healthgym.mcp_servers.domains.cross_domain.safety import safety
from healthgym.mcp_servers.domains.cross_domain.solver import solve
from healthgym.mcp_servers.domains.cross_domain.tasks import VERSION, generate, grade, patient_by_id
from healthgym.mcp_servers.domains.cross_domain.tools import TOOL_KINDS, TOOLS

POLICY = """You are the clinician who takes one patient along a care pathway from the front door to a bed.

- Work the phases in order: read the chart; triage with the pathway's score (the calculators server computes it);
  order the pathway's investigations and read their results; make the diagnosis the results support; choose the
  treatment, checking contraindications found in earlier phases and interactions with current drugs (the
  drug_interaction server); start it; set the disposition; submit.
- Never thrombolyse with an exclusion; never start an anticoagulant or antiplatelet in active bleeding; no penicillin
  for the penicillin-allergic; no insulin while potassium is below 3.5 mmol/L; no beta-blocker in asthma.
- Cite the rule behind each decision. All patients are synthetic; this is not medical advice.
"""

SERVERS: dict[str, dict[str, ToolKind]] = {
    "calculators": {
        name: "decision_support"
        for name in (
            "news2",
            "heart_score",
            "anion_gap",
            "glasgow_blatchford",
            "mean_arterial_pressure",
            "maintenance_fluids",
        )
    },
    "drug_interaction": {"check_interaction": "reference", "get_drug_info": "reference"},
    "triage_emergency": {"get_protocol": "reference"},
    "obstetrics": {"get_criteria": "reference"},
}
"""The other servers an episode holds a session to, with the tools it uses and their kinds in this domain's tiers."""


def case_record(case_id: str) -> object:
    """The pathway patient behind a case id (chart and every investigation's result)."""
    return patient_by_id(case_id)


SPEC = DomainSpec(
    name="cross_domain",
    title="Cross domain",
    version=VERSION,
    policy=POLICY,
    tools=TOOLS,
    tool_kinds=TOOL_KINDS,
    generate=generate,
    solve=solve,
    grade=grade,
    case_record=case_record,
    package_dir=Path(__file__).parent,
    safety=safety,
    submit_tool="submit_pathway",
    servers=SERVERS,
)

__all__ = ["SPEC"]
