"""Clinical diagnosis: a simulated encounter in which the patient reveals only what is asked.

## Description

Each task is a patient, generated from its opaque id (``DX-`` and 13 base32 characters), sampled from a condition
knowledge model of 84 conditions: the 49 DDXPlus pathologies and 35 common acute conditions (appendicitis,
cholecystitis, pancreatitis, pyelonephritis, DKA, stroke, subarachnoid haemorrhage, meningitis, sepsis, heart
failure, cellulitis, DVT, ectopic pregnancy ...), each with the likelihood of every finding (history, examination,
vital signs, tests), a work-up, a severity, can't-miss neighbours and sources. A patient is kept only when the
sampled condition is the posterior-best explanation by a 4x margin (``patients.py``). The agent takes a history
(``ask_patient`` by topic or question), examines by system, measures vital signs, orders tests (each costing units
against the case's budget) and submits a diagnosis, a differential and a disposition. Tools are tagged ``record``
(the encounter), ``reference`` (condition cards and chapters, finding definitions, test characteristics, the
disposition policy), ``decision_support`` (Bayesian differential, recommended tests, disposition; withheld in the
unassisted tier) or ``write`` (``order_test``, ``submit_diagnosis``).

## Tasks

Two tiers (assisted: every tool; unassisted: decision support withheld, the Bayesian rule applied by hand from the
condition cards). ``encounter`` (composite: diagnosis, differential, disposition, test stewardship), ``diagnosis``
(diagnosis and stewardship) and ``differential`` (the pre-test differential, graded by DDXPlus's DDF1). Diagnosis by
name, curated synonym or ICD-10-CM code. Safety (``safety.py``): a can't-miss condition of the gold differential
left out of a submitted differential; a patient needing admission sent home.

Loaders (``loaders.py``): ``ddxplus`` (DDXPlus patient CSV, history-only encounters) and ``agentclinic`` (AgentClinic
OSCE JSONL); ``healthgym tasks clinical_diagnosis --from ddxplus FILE``.

## References

1. Fansi Tchango A et al. DDXPlus: a new dataset for automatic medical diagnosis. NeurIPS 2022 Datasets and
   Benchmarks (CC-BY 4.0): the 49 pathologies, their evidences and severities.
2. Ledley RS, Lusted LB. Reasoning foundations of medical diagnosis. Science 1959;130:9 (the Bayesian rule).
3. Schmidt S et al. AgentClinic, 2024 (the OSCE encounter format).
4. Per condition and per test: the guideline or textbook named on its card (``knowledge.json``).
"""

from pathlib import Path

from healthgym.mcp_servers.domain import DomainSpec
from healthgym.mcp_servers.domains.clinical_diagnosis.cases import lookup
from healthgym.mcp_servers.domains.clinical_diagnosis.loaders import LOADERS
from healthgym.mcp_servers.domains.clinical_diagnosis.safety import safety
from healthgym.mcp_servers.domains.clinical_diagnosis.solver import solve
from healthgym.mcp_servers.domains.clinical_diagnosis.tasks import VERSION, generate, grade
from healthgym.mcp_servers.domains.clinical_diagnosis.tools import TOOL_KINDS, TOOLS

POLICY = """You are a physician seeing an undifferentiated patient.

- Take a structured history: ask about each topic (ask_patient), or a specific question by its code; the patient
  answers only what you ask. Examine each relevant system (examine) and measure the vital signs (get_vitals).
- Reason from the evidence with Bayes' rule: the condition cards give each finding's likelihood, the prior class and
  background rates. The differential is every condition with posterior >= 5%; never leave a can't-miss condition
  (severity 1-2) of it out.
- Order the tests that confirm the conditions of your differential, and no more: each test costs units against the
  case's budget. The diagnosis is the condition that leads once it is 4x as probable as the next.
- Disposition: critical care for severity 1 or hypotension, admission for severity 2 or hypoxaemia, outpatient
  follow-up for severity 3, home for 4-5 (get_disposition_policy).
- All patients are synthetic; the likelihoods are estimates; this is not medical advice.
"""


def case_record(case_id: str) -> object:
    """The patient behind a case id (what the tools reveal), without the condition."""
    return lookup(case_id)


SPEC = DomainSpec(
    name="clinical_diagnosis",
    title="Clinical diagnosis",
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
    submit_tool="submit_diagnosis",
    loaders=LOADERS,
)

__all__ = ["SPEC"]
