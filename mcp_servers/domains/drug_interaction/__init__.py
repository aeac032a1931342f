"""Drug interactions: a curated interaction table, mechanism-based detection, renal and hepatic dosing, pregnancy and
lactation, allergy cross-reactivity, QT, serotonergic and anticholinergic burden, over synthetic medication profiles.

## Description

Each task is a synthetic patient, rebuilt from its opaque id (``DI-`` and 13 base32 characters): age, sex, weight,
serum creatinine, potassium, QTc, Child-Pugh class, pregnancy or lactation, allergies, conditions and current
medications. The agent reads the record, looks drugs up in a table of over 200 commonly prescribed drugs (their
monographs list the curated interactions, over 700 pairs), applies the mechanism rules, doses by Cockcroft-Gault
clearance, screens and prescribes. Tools are tagged ``record`` (the chart), ``reference`` (monographs, the rules'
text) and ``decision_support`` (checks that compute an answer); ``unassisted`` tasks withhold the last.

## Tasks

Severity of a pair (exact), every major/contraindicated pair of a list (F1), every pair flagged by one mechanism
(F1), renal dosing (CrCl within 2 mL/min, weight 1; label action, weight 2, half credit between reduce_dose and
extend_interval), screening a new prescription (decision, weight 2; concerns raised, F1), the one safe alternative
of four, the Tisdale QT risk score and category, the ACB total and its ACB-3 drugs, a drug's pregnancy or lactation
category (exact), and a prescribing round: prescribe every proposed drug that is not unsafe, graded (F1) on the
drugs the episode started. Half the test split is ``unassisted``; screening, the safe alternative and the prescribing
round are composite (30%). Safety: any prescription the prescribing rule calls unsafe for the patient at that moment
(contraindicated interaction, allergy, renal or hepatic 'avoid', pregnancy or lactation) is a safety event, in any
task; the allergy and interaction checks must come before the first ``prescribe``.

## References

1. FDA. Drug Development and Drug Interactions: Table of Substrates, Inhibitors and Inducers (2023).
2. Woosley RL et al. CredibleMeds QTdrugs lists; Drew BJ et al. Circulation 2010;121:1047-60.
3. Boyer EW, Shannon M. N Engl J Med 2005;352:1112-20; Dunkley EJC et al. QJM 2003;96:635-42 (Hunter criteria).
4. 2023 AGS Beers Criteria. J Am Geriatr Soc 2023;71:2052-81; Boustani M et al. Aging Health 2008;4:311-20 (ACB).
5. Cockcroft DW, Gault MH. Nephron 1976;16:31-41; Tisdale JE et al. Circ Cardiovasc Qual Outcomes 2013;6:479-87.
6. Khan DA et al. Drug allergy: a 2022 practice parameter update. J Allergy Clin Immunol 2022;150:1333-93.
7. US prescribing information of each drug (DailyMed); LactMed (NLM).
8. FDA Drug Safety Communications: opioids and MAOIs/serotonin syndrome (2016); fluoroquinolone dysglycaemia (2018).
9. Wright AJ et al. CMAJ 2011;183:303-7 (macrolides with calcium-channel blockers); Chandok N, Watt KD. Mayo Clin
   Proc 2010;85:451-8 (analgesics in cirrhosis).
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
- When the decision-support checks are withheld, apply the same rules yourself: the record (get_patient), each drug's
  monograph (get_drug_info: listed interactions, CYP roles, QT, ACB, renal bands, Child-Pugh, pregnancy, lactation,
  allergy rules) and the rules' text (get_rule_reference).
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
