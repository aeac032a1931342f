"""Obstetrics: pregnant and postpartum patients' records read with the rules of dating, gestational diabetes,
hypertensive disorders, magnesium sulfate, anti-D immunoglobulin, GBS prophylaxis, the Bishop score, NICHD fetal
heart rate categories, the biophysical profile and postpartum haemorrhage stages, and a labour and delivery admission
whose orders are graded on the final state.

## Description

Each task is an encounter generated from its id (``OB-...``) with known truth: a prenatal visit with the LMP and an
ultrasound (CRL or biometry) and, at 24-28 weeks, glucose testing; an antepartum admission with a blood-pressure series,
labs and symptoms, possibly on a magnesium infusion; a labour and delivery admission with GBS status, membranes,
temperature, allergy, cervical exam and an admission tracing; a 20-minute fetal heart rate tracing sampled as a series;
a postpartum Rh work-up with the fetal-cell screen and Kleihauer-Betke; the blood loss weighed and collected after a
birth with vital signs; an antenatal test (NST and ultrasound observations). The agent reads the record, applies the
rule (with the decision-support tools in the assisted tier, from the published criteria in the unassisted tier), places
the orders the rule calls for and submits.

## Tasks

``dating`` (basis, ACOG row, discrepancy and gestational age in days), ``gdm`` (diagnosis, abnormal OGTT values,
gestational age), ``hypertension`` (category, severe features, gestational age), ``magnesium`` (action, toxicity
signs, severe features, gestational age; calcium gluconate ordered when toxic), ``anti_d`` (decision; vials and fetal
bleed when indicated; anti-D ordered), ``gbs`` (deciding basis, agent, gestational age), ``fhr`` (baseline,
variability, deceleration types, NICHD category; bedside evaluation for Category III), ``pph`` (quantitative blood
loss, PPH diagnosis, CMQCC stage; massive transfusion protocol ordered at stage 3), ``bpp`` (BPP score, modified BPP,
management by score, gestational age) and ``admission`` (gestational age, hypertension category, GBS agent, Bishop
score, the tracing's NICHD category, orders active at submission). Fields are exact
(sets by F1) and averaged. Safety: magnesium ordered without indication or with toxicity signs, magnesium continued
with toxicity signs, a Category III tracing without a bedside evaluation, a teratogen prescribed in pregnancy (or a
drug to avoid in lactation while breastfeeding), and the rubric's critical actions (magnesium when indicated at
admission, calcium gluconate for toxicity, a bedside evaluation for Category III, the massive transfusion protocol for
a stage 3 haemorrhage).

## References

1. ACOG Committee Opinion 700. Methods for estimating the due date. Obstet Gynecol 2017;129:e150-4; Robinson HP,
   Fleming JE. Br J Obstet Gynaecol 1975;82:702-10.
2. ACOG Practice Bulletin 190. Gestational diabetes mellitus. Obstet Gynecol 2018;131:e49-64; IADPSG Consensus
   Panel. Diabetes Care 2010;33:676-82.
3. ACOG Practice Bulletin 222. Gestational hypertension and preeclampsia. Obstet Gynecol 2020;135:e237-60; ACOG
   Committee Opinion 767 (acute severe hypertension), 2019.
4. Sibai BM. Magnesium sulfate prophylaxis in preeclampsia. Am J Obstet Gynecol 2004;190:1520-6.
5. ACOG Practice Bulletin 181. Prevention of Rh D alloimmunization, 2017; AABB Technical Manual, 20th ed.
6. ACOG Committee Opinion 797. Prevention of group B streptococcal early-onset disease in newborns, 2020.
7. Bishop EH. Pelvic scoring for elective induction. Obstet Gynecol 1964;24:266-8.
8. Macones GA et al. The 2008 NICHD workshop report on electronic fetal monitoring. Obstet Gynecol 2008;112:661-6;
   ACOG Practice Bulletin 106, 2009.
9. Manning FA, Platt LD, Sipos L. Am J Obstet Gynecol 1980;136:787-95; ACOG Practice Bulletin 229. Antepartum fetal
   surveillance, 2021; Walsh M. The biophysical profile. Glob Libr Women's Med 2008 (Manning's management protocol).
10. CMQCC. Improving Health Care Response to Obstetric Hemorrhage toolkit v2.0 (2015), stage table; ACOG Practice
    Bulletin 183. Postpartum hemorrhage, 2017 (reVITALize definition); AWHONN. Quantification of blood loss, 2015.
"""

from pathlib import Path

from healthgym.mcp_servers.clinic import grade_answer
from healthgym.mcp_servers.domain import DomainSpec
from healthgym.mcp_servers.domains.obstetrics.cases import build_case, parse_case_id
from healthgym.mcp_servers.domains.obstetrics.safety import safety
from healthgym.mcp_servers.domains.obstetrics.solver import solve
from healthgym.mcp_servers.domains.obstetrics.tasks import VERSION, generate
from healthgym.mcp_servers.domains.obstetrics.tools import TOOL_KINDS, TOOLS

POLICY = """You are an obstetrician caring for pregnant and postpartum patients.

- Read the record before you decide: dating data, blood pressures with their times, labs, glucose tests, GBS
  status, labour, the magnesium infusion, the delivery and blood types, as the encounter holds them.
- Date pregnancies by ACOG Committee Opinion 700; read glucose tests with the institution's approach and criteria;
  classify hypertensive disorders by ACOG Practice Bulletin 222; check magnesium toxicity before continuing an
  infusion; give anti-D by ACOG Practice Bulletin 181 with the Kleihauer-Betke dose; give GBS prophylaxis by ACOG
  Committee Opinion 797 with the right agent for a penicillin allergy; read fetal heart rate tracings by the NICHD
  definitions and call the team to the bedside for a Category III tracing; score the biophysical profile by Manning's
  criteria; quantify blood loss after birth and stage a haemorrhage by the CMQCC stages (massive transfusion protocol
  at stage 3).
- Place the orders the rules call for with place_order; never order magnesium without an indication or with toxicity
  signs; check a drug's pregnancy and lactation safety before prescribing it. All patients are synthetic; this is
  not medical advice.
"""


def case_record(case_id: str) -> object:
    """The record behind a case id."""
    return build_case(*parse_case_id(case_id)).record


SPEC = DomainSpec(
    name="obstetrics",
    title="Obstetrics",
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
)

__all__ = ["SPEC"]
