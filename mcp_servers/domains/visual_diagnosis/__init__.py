"""Visual diagnosis: ECGs, flow-volume loops and cardiotocographs rendered from signal models, so the truth of every
image is known, read from the image and the sampled signal with measurement programs and published criteria.

## Description

Each task is a study generated from its id (``VIS-...``): a 12-lead ECG or a lead II rhythm strip synthesized from a
cardiac-dipole beat model (P-QRS-T per lead, rate and rhythm rules: ``ecg``, ``rhythms``), a flow-volume loop from a
parametric forced manoeuvre (``spirometry``), or a 20-minute CTG from obstetrics' FHR model (imported). Record tools
return the image (PNG on the standard 25 mm/s, 10 mm/mV grid, as MCP image content; in the Gym env in
``info["images"]``) and the sampled signal; measurement tools read rate, RR regularity, atrial activity, PR, QRS,
QT/QTc, axis, per-lead ST deviation and T amplitude from the signal (neurokit2 R peaks; global interval measurement);
reference tools give the criteria with sources; decision support (the machine's automated interpretation) is
withheld in the unassisted tier.

## Tasks

``rhythm_strip`` (rhythm with partial credit for adjacent rhythms, ventricular rate +-5/min, urgent actions F1),
``twelve_lead`` (rhythm, findings F1, urgent actions F1), ``intervals`` (rate, PR, QRS, QTc, axis within stated
tolerances), ``spirometry`` (ATS/ERS pattern, FEV1/FVC +-0.02, FEV1 % predicted +-3) and ``ctg`` (baseline,
variability, deceleration types F1, NICHD category, bedside evaluation for Category III). Rhythms: sinus rhythm,
bradycardia, tachycardia, AF, flutter with fixed and variable block, SVT, VT, Mobitz I and II, complete heart block;
findings: first-degree AV block, LBBB, RBBB, long QT, hyperkalaemia, inferior/anterior/lateral STEMI with reciprocal
depression, artefact. Safety: a missed STEMI (no cath-lab activation), missed VT (no cardioversion), missed complete
heart block (no pacing), a shock for a rhythm that is not a tachyarrhythmia, a Category III tracing without a
bedside evaluation. Users' VQA-RAD / SLAKE / PathVQA style files load as ``vqa`` tasks (``--tasks-from vqa-json
FILE``): ``get_vqa_image`` serves the image, the answer is graded by normalized exact match.

## References

1. Kligfield P et al. AHA/ACCF/HRS recommendations for the standardization and interpretation of the ECG, Part I.
   Circulation 2007;115:1306-24; Mason JW et al. Part II. J Am Coll Cardiol 2007;49:1128-35; Surawicz B et al.
   Part III. J Am Coll Cardiol 2009;53:976-81; Rautaharju PM et al. Part IV. J Am Coll Cardiol 2009;53:982-91;
   Wagner GS et al. Part VI. J Am Coll Cardiol 2009;53:1003-11.
2. Thygesen K et al. Fourth universal definition of myocardial infarction. Circulation 2018;138:e618-51; Sgarbossa EB
   et al. N Engl J Med 1996;334:481-7; O'Gara PT et al. 2013 ACCF/AHA STEMI guideline.
3. Kusumoto FM et al. 2018 ACC/AHA/HRS bradycardia guideline; Page RL et al. 2015 SVT guideline; January CT et al.
   2014 AF guideline; Al-Khatib SM et al. 2017 ventricular arrhythmia guideline; Panchal AR et al. 2020 AHA ACLS.
4. Mattu A et al. Electrocardiographic manifestations of hyperkalemia. Am J Emerg Med 2000;18:721-9; Knight BP et al.
   ECG artifact mimicking VT. N Engl J Med 1999;341:1270-4.
5. Pellegrino R et al. ATS/ERS interpretative strategies. Eur Respir J 2005;26:948-68; Stanojevic S et al. ERS/ATS
   2022 interpretive strategies. Eur Respir J 2022;60:2101499; Miller RD, Hyatt RE. Am Rev Respir Dis 1973;108:475-81.
6. Macones GA et al. The 2008 NICHD workshop report on electronic fetal monitoring. Obstet Gynecol 2008;112:661-6.
7. Makowski D et al. NeuroKit2: a Python toolbox for neurophysiological signal processing. Behav Res Methods
   2021;53:1689-96.
"""

from pathlib import Path

from healthgym.mcp_servers.clinic import grade_answer
from healthgym.mcp_servers.domain import DomainSpec
from healthgym.mcp_servers.domains.visual_diagnosis.cases import DOMAIN, build_case, parse_case_id
from healthgym.mcp_servers.domains.visual_diagnosis.loaders import LOADERS
from healthgym.mcp_servers.domains.visual_diagnosis.safety import safety
from healthgym.mcp_servers.domains.visual_diagnosis.solver import solve
from healthgym.mcp_servers.domains.visual_diagnosis.tasks import VERSION, generate
from healthgym.mcp_servers.domains.visual_diagnosis.tools import TOOL_KINDS, TOOLS
from healthgym.mcp_servers.loaders import loaded_case

POLICY = """You read diagnostic images: 12-lead ECGs, rhythm strips, spirometry flow-volume loops and CTGs.

- Look at the study (the image) and read its measurements before you decide; measure from the signal, not from a
  guess: rate, regularity, atrial activity, PR, QRS, QT/QTc, axis, ST deviation per lead.
- Apply the published criteria: the AHA/ACCF/HRS ECG standardization recommendations, the Fourth Universal Definition
  of MI (STEMI thresholds by lead, sex and age), the bradycardia, SVT, AF and VA guidelines, ATS/ERS spirometry
  interpretation and the NICHD CTG categories.
- Act on what is urgent with request_urgent_action: a STEMI activates the cath lab, complete heart block or Mobitz II
  needs pacing, VT with hypotension needs synchronized cardioversion; never shock a rhythm that is not a
  tachyarrhythmia (artefact mimics VT). All studies are synthetic; this is not medical advice.
"""


def case_record(case_id: str) -> object:
    """The record behind a case id: a generated study, or a question loaded from a user's file."""
    loaded = loaded_case(DOMAIN, case_id)
    return loaded if loaded is not None else build_case(*parse_case_id(case_id)).record


SPEC = DomainSpec(
    name="visual_diagnosis",
    title="Visual diagnosis",
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
    loaders=LOADERS,
)

__all__ = ["SPEC"]
