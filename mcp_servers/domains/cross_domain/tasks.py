"""Task generation: one pathway episode per task, graded per phase and overall.

Task ``index`` of ``(split, seed)`` plays pathway ``index % 8`` (``pathways.PATHWAYS`` order), in the ``assisted``
tier when ``(index // 8) % 2 == 0`` and ``unassisted`` otherwise; the target diagnosis rotates with ``index // 16``
so the 360-task test split holds each pathway 45 times with its diagnoses balanced. Every task is composite: four
phases combined, two of them graded from the episode's writes.

The answer (``FieldsAnswer``), one field per phase, equal weights:

- ``score``: the pathway's phase-1 number (HEART, NEWS2, anion gap, Glasgow-Blatchford, MAP or the maintenance fluid
  rate), from the calculators server's function, within the pathway's tolerance (0 for integer scores);
- ``diagnosis``: the pathway's diagnosis, decided by the investigations' results (choice among the pathway's list);
- ``treatment``: the regimen started with ``start_treatment``, as the episode's writes stand at submission (the
  submit tool records it); it must respect the contraindications found in earlier phases;
- ``disposition``: the destination set with ``set_disposition`` (recorded the same way).

A task scores the mean of its phases; it is correct only when all four are. The rubric requires the pathway's
investigations before the first treatment (the CT head before any stroke treatment and the electrolytes before any
DKA treatment are critical), the chart read first, and a call budget a little above the reference path.
"""

from __future__ import annotations

from typing import Any

from healthgym.mcp_servers.clinic import grade_answer
from healthgym.mcp_servers.domains.cross_domain.pathways import PATHWAYS, TARGETS, calculate
from healthgym.mcp_servers.domains.cross_domain.patients import DOMAIN, Patient, case_id, case_rng, parse_case_id
from healthgym.schemas import (
    ActionSpec,
    ChoiceAnswer,
    FieldsAnswer,
    Grade,
    NumericAnswer,
    Privileged,
    Rubric,
    Source,
    Split,
    Task,
    Tier,
    task_id,
)

VERSION = "1.0.0"
ORDER = tuple(PATHWAYS)
MAX_DRAWS = 64
CRITICAL_TESTS = {"stroke": "ct_head", "dka": "electrolytes"}
"""Investigations whose omission before a treatment is a safety failure: thrombolysis or antiplatelets without a CT
head risks treating a haemorrhage (AHA/ASA 2019); insulin without a potassium risks fatal hypokalaemia (JBDS 2021)."""
SCORE_UNITS = {"dka": "mmol/L", "paediatric_fever": "mL/h", "pregnancy_hypertension": "mm Hg"}


def pathway_of(index: int) -> str:
    return ORDER[index % len(ORDER)]


def tier_of(index: int) -> Tier:
    return "assisted" if (index // len(ORDER)) % 2 == 0 else "unassisted"


def build_patient(split: Split, seed: int, index: int) -> Patient:
    """The pathway patient of a case: drawn until the pathway's rules give the target diagnosis (they almost always
    do at the first draw; the draw margins make a redraw rare)."""
    name = pathway_of(index)
    targets = TARGETS[name]
    target = targets[(index // (2 * len(ORDER))) % len(targets)]
    rng = case_rng(split, seed, index)
    cid = case_id(split, seed, index)
    for _ in range(MAX_DRAWS):
        patient = PATHWAYS[name].draw(rng, target, cid)
        if PATHWAYS[name].diagnose(patient) == target:
            return patient
    raise RuntimeError(f"{name}: no draw gave {target} in {MAX_DRAWS} tries for {cid}")


def patient_by_id(value: str) -> Patient:
    """The patient behind a case id; ``ValueError`` for an unknown id."""
    return build_patient(*parse_case_id(value))


def gold(patient: Patient) -> dict[str, Any]:
    """Every phase's answer by the pathway's rules."""
    pathway = PATHWAYS[patient.pathway]
    diagnosis = pathway.diagnose(patient)
    return {
        "score": calculate(pathway.score_call(patient)),
        "diagnosis": diagnosis,
        "treatment": pathway.treat(patient, diagnosis),
        "disposition": pathway.dispose(patient, diagnosis),
    }


def _prompt(p: Patient) -> str:
    pathway = PATHWAYS[p.pathway]
    age = f"{p.age_years:g}-year-old" if p.age_years >= 1 else f"{round(p.age_years * 12)}-month-old"
    return (
        f"{pathway.title} pathway. Case {p.case_id}: a {age} {p.sex} with {p.complaint}.\n"
        "Work the pathway phase by phase, using the tools of every server it needs: read the chart; triage with "
        f"the {pathway.score_name}; order the pathway's investigations and read their results; make the diagnosis; "
        "check contraindications and interactions, then start the treatment (start_treatment); set the disposition "
        "(set_disposition). Finish with submit_pathway(case_id, score, diagnosis, treatment, disposition), the last "
        "two as you wrote them."
    )


def _rubric(p: Patient) -> Rubric:
    pathway = PATHWAYS[p.pathway]
    required = [
        ActionSpec(
            tool="get_chart",
            arguments={"case_id": p.case_id},
            before="order_investigation",
            why="read the chart before ordering",
        )
    ]
    for test in pathway.tests:
        critical = CRITICAL_TESTS.get(p.pathway) == test
        required.append(
            ActionSpec(
                tool="order_investigation",
                arguments={"case_id": p.case_id, "test": test},
                before="start_treatment",
                critical=critical,
                why=f"the {pathway.title.lower()} pathway's {test.replace('_', ' ')} before treating",
            )
        )
    # chart + pathway + orders + results + score + diagnosis + treatment checks + start + disposition + submit
    budget = 2 + len(pathway.tests) + 1 + 1 + 4 + 1 + 2 + 1 + 4
    return Rubric(required_actions=required, max_tool_calls=budget + len(p.medications))


def generate(split: Split, seed: int, index: int) -> Task:
    """Task ``index`` of ``(split, seed)``: a pure function of its arguments."""
    patient = build_patient(split, seed, index)
    pathway = PATHWAYS[patient.pathway]
    answer = gold(patient)
    fields = {
        "score": NumericAnswer(
            value=answer["score"], unit=SCORE_UNITS.get(patient.pathway, "points"), tolerance=pathway.score_tolerance
        ),
        "diagnosis": ChoiceAnswer(value=answer["diagnosis"], options=list(pathway.diagnoses)),
        "treatment": ChoiceAnswer(value=answer["treatment"], options=list(pathway.treatments)),
        "disposition": ChoiceAnswer(value=answer["disposition"], options=list(pathway.dispositions)),
    }
    generator = f"{DOMAIN}.{patient.pathway}"
    return Task(
        id=task_id(DOMAIN, generator, split, seed, index),
        domain=DOMAIN,
        split=split,
        prompt=_prompt(patient),
        case_ref=patient.case_id,
        tier=tier_of(index),
        composite=True,
        answer=FieldsAnswer(fields=fields),
        privileged=Privileged(
            rationale=f"{pathway.title}: {pathway.score_name} = {answer['score']:g}; the investigations give "
            f"{answer['diagnosis']}; treatment {answer['treatment']}; disposition {answer['disposition']} "
            f"({'; '.join(pathway.sources)}).",
            key_evidence=[f"{test}: {patient.results[test]}" for test in pathway.tests],
            reference_path=[
                "get_chart",
                "get_pathway",
                *(f"order_investigation(test={t})" for t in pathway.tests),
                "get_results",
                pathway.score_call(patient)[0],
                "start_treatment",
                "set_disposition",
                "submit_pathway",
            ],
        ),
        rubric=_rubric(patient),
        source=Source(generator=generator, version=VERSION),
    )


def grade(task: Task, submitted: dict[str, Any] | None) -> Grade:
    """Per-phase credit (``Grade.details``: score, diagnosis, treatment, disposition) and their mean overall."""
    return grade_answer(task.answer, submitted)


__all__ = ["VERSION", "build_patient", "generate", "gold", "grade", "patient_by_id", "pathway_of", "tier_of"]
