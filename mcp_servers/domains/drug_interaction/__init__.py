"""Drug interactions: a curated interaction table, mechanism-based detection, renal and hepatic dosing, pregnancy and
lactation, allergy cross-reactivity, QT, serotonergic and anticholinergic burden, over synthetic medication profiles.

## Description

Each task is a synthetic patient, rebuilt from its id (``DI-t0-00042``): age, sex, weight, serum creatinine,
potassium, QTc, Child-Pugh class, pregnancy or lactation, allergies, conditions and current medications. The agent
looks drugs up in a table of over 200 commonly prescribed drugs, checks about 700 curated interacting pairs and
the mechanism rules, doses by Cockcroft-Gault clearance and screens prescriptions.

## Tasks

Severity of a pair (half credit for over-calling by one level), every major/contraindicated pair of a list (F1),
every pair flagged by one mechanism (F1), renal dosing (CrCl within 2 mL/min, weight 1; label action, weight 2),
screening a new prescription (decision, weight 2; concerns raised, F1), the one safe alternative of four, the Tisdale
QT risk score and category, the ACB total and its ACB-3 drugs, and a drug's pregnancy or lactation category.

## References

1. FDA. Drug Development and Drug Interactions: Table of Substrates, Inhibitors and Inducers (2023).
2. Woosley RL et al. CredibleMeds QTdrugs lists; Drew BJ et al. Circulation 2010;121:1047-60.
3. Boyer EW, Shannon M. N Engl J Med 2005;352:1112-20; Dunkley EJC et al. QJM 2003;96:635-42 (Hunter criteria).
4. 2023 AGS Beers Criteria. J Am Geriatr Soc 2023;71:2052-81; Boustani M et al. Aging Health 2008;4:311-20 (ACB).
5. Cockcroft DW, Gault MH. Nephron 1976;16:31-41; Tisdale JE et al. Circ Cardiovasc Qual Outcomes 2013;6:479-87.
6. Khan DA et al. Drug allergy: a 2022 practice parameter update. J Allergy Clin Immunol 2022;150:1333-93.
7. US prescribing information of each drug (DailyMed); LactMed (NLM).
"""

from pathlib import Path

from healthgym.mcp_servers.domain import DomainSpec
from healthgym.mcp_servers.domains.drug_interaction.cases import patient_by_id
from healthgym.mcp_servers.domains.drug_interaction.rules import DECISION_RULE
from healthgym.mcp_servers.domains.drug_interaction.safety import safety
from healthgym.mcp_servers.domains.drug_interaction.solver import solve
from healthgym.mcp_servers.domains.drug_interaction.tasks import VERSION, generate, grade
from healthgym.mcp_servers.domains.drug_interaction.tools import TOOL_KINDS, TOOLS

POLICY = f"""You are a clinical pharmacist reviewing medication safety with the prescribing team.

- Read the patient record and the current medication list (it includes this episode's starts and stops) before
  judging any drug.
- Interaction severity: contraindicated (never co-prescribe), major (avoid or adjust with close monitoring), moderate
  (monitor or adjust), minor. The curated table decides when a pair is curated; otherwise the mechanism rules do
  (FDA CYP/transporter table, CredibleMeds QT lists, serotonin toxicity, hyperkalaemia, bleeding, CNS depression,
  anticholinergic burden).
- Dose by Cockcroft-Gault creatinine clearance with actual body weight and the label's bands; adjust for the
  Child-Pugh class; check pregnancy and lactation.
- Before prescribing, check allergies (including cross-reactivity) and interactions with the current list. Decide:
  {DECISION_RULE} Never prescribe a drug you judge unsafe.
- Cite the rule behind each decision. All patients are synthetic; this is not medical advice.
"""

SPEC = DomainSpec(
    name="drug_interaction",
    title="Drug interactions",
    version=VERSION,
    policy=POLICY,
    tools=TOOLS,
    tool_kinds=TOOL_KINDS,
    generate=generate,
    solve=solve,
    grade=grade,
    case_record=patient_by_id,
    package_dir=Path(__file__).parent,
    safety=safety,
)

__all__ = ["SPEC"]
