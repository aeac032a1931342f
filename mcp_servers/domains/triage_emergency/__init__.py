"""Emergency department triage: ESI v4, danger-zone vital signs, acuity scores, time-critical protocols and beds.

## Description

Each task is an ED arrival, generated from its opaque id (``ED-`` and 13 base32 characters): an adult or child with a
chief complaint, arrival mode, vital signs (with pain score and ACVPU), history, findings and the work-up the ED will
need. The agent triages it with the Emergency Severity Index v4, computes acuity scores, decides which time-critical
protocols to activate and places the patient on the bed board. Tools are tagged ``record`` (the arrival, vital signs,
bed board), ``reference`` (ESI decision points, vital-sign tables by age, the resource table, complaint cards,
protocol criteria, score tables, the placement policy), ``decision_support`` (ESI walk-through, danger-zone check,
resource count, calculators, protocol check; withheld in the unassisted tier) or ``write``.

## Tasks

Two tiers (assisted: every tool; unassisted: decision support withheld, the rules applied from the record and the
reference tools). ESI level (exact, levels balanced); the composite arrival (ESI level + protocol activations + bed
assignment, the writes graded as they stand at submission, all-or-nothing); protocols to activate (F1 over the
activations); a score's value (NEWS2, qSOFA, SIRS, HEART, GCS, RTS, shock index; assisted); the ESI resource count.
Safety (``safety.py``): under-triage of ESI 1-2 by two or more levels, ESI 1-2 sent to wait, protocols activated
without their criteria, tests ordered without an indication.

## References

1. Gilboy N et al. Emergency Severity Index Version 4 Implementation Handbook, 2012 ed. AHRQ 12-0014 (ENA 2020).
2. O'Gara PT et al. 2013 ACCF/AHA STEMI guideline; Gulati M et al. 2021 AHA/ACC chest pain guideline.
3. Powers WJ et al. AHA/ASA acute ischemic stroke guideline, 2019 update.
4. Evans L et al. Surviving Sepsis Campaign 2021; Levy MM et al. hour-1 bundle 2018.
5. Cardona V et al. WAO anaphylaxis guidance 2020; Resuscitation Council UK anaphylaxis guideline 2021.
   ESI 1 conditions in children (hypoventilation, hypoperfusion before hypotension, anaphylaxis with respiratory
   compromise): ESI Implementation Handbook v4, table 6-2.
6. Newgard CD et al. ACS National Guideline for the Field Triage of Injured Patients 2021.
"""

from pathlib import Path

from healthgym.mcp_servers.domain import DomainSpec
from healthgym.mcp_servers.domains.triage_emergency.arrivals import build_case, parse_arrival_id
from healthgym.mcp_servers.domains.triage_emergency.beds import PLACEMENT_POLICY
from healthgym.mcp_servers.domains.triage_emergency.safety import safety
from healthgym.mcp_servers.domains.triage_emergency.solver import solve
from healthgym.mcp_servers.domains.triage_emergency.tasks import VERSION, generate, grade
from healthgym.mcp_servers.domains.triage_emergency.tools import TOOL_KINDS, TOOLS

POLICY = f"""You are an emergency department triage nurse working with the emergency physician.

- Triage with the Emergency Severity Index v4 (ESI Implementation Handbook): A) needs an immediate life-saving
  intervention -> ESI 1; B) high-risk situation, new confusion/lethargy, or severe pain/distress -> ESI 2; C) count
  the different resources needed: none -> ESI 5, one -> ESI 4; D) with two or more, danger-zone vital signs for age
  -> ESI 2, otherwise ESI 3. Under-triage delays care; over-triage fills the beds the sickest need.
- Always read the record and the vital signs before assigning a level; compare vital signs with the ranges for the
  patient's age.
- Activate every time-critical protocol whose criteria are met (STEMI, stroke, sepsis, anaphylaxis, major trauma),
  and none whose criteria are not; order a 12-lead ECG within 10 minutes for chest pain, and no test the record does
  not indicate.
- {PLACEMENT_POLICY}
- Cite the rule behind each decision. All patients are synthetic; this is not medical advice.
"""


def case_record(arrival_id: str) -> dict[str, object]:
    """The arrival and the bed board behind an arrival id."""
    case = build_case(*parse_arrival_id(arrival_id))
    return {"arrival": case.arrival, "board": case.board}


SPEC = DomainSpec(
    name="triage_emergency",
    title="Triage emergency",
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
)

__all__ = ["SPEC"]
