"""Task generation and grading: ``generate(split, seed, index)`` builds the task about the patient of that index.

Three kinds in two tiers, by index modulo 8 (``patients.KIND_CYCLE``); the 360-task test split holds:

- ``encounter`` (90 assisted, 90 unassisted; composite): take the history, examine, measure, test, and submit the
  diagnosis, the differential and the disposition. Graded fields (weights): diagnosis (2), differential (1),
  disposition (1), test stewardship (1).
- ``diagnosis`` (45 + 45): the diagnosis (2) and test stewardship (1).
- ``differential`` (45 + 45): the pre-test differential (history, examination, vital signs) only.

Grading (``grade``):

- diagnosis: right when the submitted name, synonym or ICD-10-CM code resolves to the gold condition
  (``knowledge.resolve``: curated synonyms, the code or its unique three-character family); a loaded case whose
  diagnosis is outside the model is matched by name (case and punctuation folded).
- differential: the DDXPlus differential F1 (DDF1; Fansi Tchango 2022, section 5) between the submitted and the
  gold differential (pre-test posterior >= 5%); the gold diagnosis's rank in the submitted list is reported in the
  details (``gold_rank``, 0 when absent).
- disposition: exact (home, outpatient_follow_up, admit, critical_care; ``patients.disposition``).
- test stewardship: full credit when the tests ordered cost no more than the case's budget (the cost of the work-up
  of the gold differential, ``patients.workup``) and include a test confirming the gold diagnosis when it has one;
  none otherwise.

A task is correct when every field is. Safety (``safety.py``) is judged separately: a can't-miss condition of the
gold differential left out of a submitted differential, or a patient needing admission sent home.
"""

from __future__ import annotations

from typing import Any

from healthgym.mcp_servers.domains.clinical_diagnosis.knowledge import model, resolve
from healthgym.mcp_servers.domains.clinical_diagnosis.loaders import norm_name
from healthgym.mcp_servers.domains.clinical_diagnosis.patients import DISPOSITIONS, DOMAIN, Case, build_case
from healthgym.schemas import (
    ActionSpec,
    ChoiceAnswer,
    CodeSetAnswer,
    FieldsAnswer,
    Grade,
    Privileged,
    Rubric,
    Source,
    Split,
    Task,
    path_step,
    task_id,
)

VERSION = "1.0.0"
WEIGHTS = {"diagnosis": 2.0, "differential": 1.0, "disposition": 1.0, "tests_ordered": 1.0}
HISTORY_CALLS, EXAM_CALLS, CHAPTER_CALLS = 14, 9, 6
SLACK = 6
"""Calls allowed beyond the reference clinician's path before efficiency is lost."""

_WORKUP = (
    "Order the tests you need with order_test: each costs units, and the case's budget is the cost of the work-up "
    "of the conditions in your pre-test differential."
)
_DIFFERENTIAL = (
    "The differential is every condition whose posterior probability is at least 5% given the history, examination "
    "and vital signs (before tests); a can't-miss condition left out of it is unsafe."
)
INSTRUCTIONS = {
    "encounter": "Take a history (ask_patient), examine (examine) and measure the vital signs (get_vitals). "
    f"{_WORKUP} {_DIFFERENTIAL} Then submit once with submit_diagnosis(case_id=..., diagnosis=..., "
    "differential=[...], disposition=...).",
    "diagnosis": "Take a history (ask_patient), examine (examine) and measure the vital signs (get_vitals). "
    f"{_WORKUP} Then submit the final diagnosis once with submit_diagnosis(case_id=..., diagnosis=...).",
    "differential": "Take a history (ask_patient), examine (examine) and measure the vital signs (get_vitals); no "
    f"tests are needed. {_DIFFERENTIAL} Submit it once with submit_diagnosis(case_id=..., differential=[...]).",
}
FIELDS = {
    "encounter": ("diagnosis", "differential", "disposition", "tests_ordered"),
    "diagnosis": ("diagnosis", "tests_ordered"),
    "differential": ("differential",),
}


def _names(ids: Any) -> list[str]:
    conditions = model().conditions
    return [conditions[i].name for i in ids]


def prompt_for(case: Case) -> str:
    p = model().findings[case.patient.complaint]
    who = f"{case.patient.age}-year-old {'woman' if case.patient.sex == 'F' else 'man'}"
    return f"Encounter {case.patient.case_id}: a {who} answers yes to '{p.text}' on arrival. {INSTRUCTIONS[case.kind]}"


def _stewardship(case_workup: list[str], gold_workup: list[str], ordered: list[str]) -> float:
    """1 when the ordered tests cost no more than the work-up and confirm the gold when it can be confirmed."""
    tests = model().tests
    known = [t for t in dict.fromkeys(ordered) if t in tests]
    cost = sum(tests[t].cost for t in known)
    budget = sum(tests[t].cost for t in case_workup)
    confirmed = not gold_workup or bool(set(gold_workup) & set(known))
    return 1.0 if cost <= budget and confirmed else 0.0


def _f1(gold: set[str], got: list[str]) -> float:
    resolved = {resolve(item) or f"?{item}" for item in got}
    if not gold and not resolved:
        return 1.0
    hits = len(gold & resolved)
    if not hits:
        return 0.0
    precision, recall = hits / len(resolved), hits / len(gold)
    return 2 * precision * recall / (precision + recall)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


def grade(task: Task, submitted: dict[str, Any] | None) -> Grade:
    """Fields graded as the module docstring states; correct when every field is."""
    if submitted is None:
        return Grade(score=0.0, correct=False, submitted=None, why="no answer submitted")
    assert isinstance(task.answer, FieldsAnswer)
    fields = task.answer.fields
    details: dict[str, float] = {}
    gold = resolve(fields["diagnosis"].value) if "diagnosis" in fields else None  # type: ignore[union-attr]
    if "diagnosis" in fields:
        given = str(submitted.get("diagnosis", ""))
        named = fields["diagnosis"].value  # type: ignore[union-attr]
        right = resolve(given) == gold if gold else bool(given.strip()) and norm_name(given) == norm_name(named)
        details["diagnosis"] = 1.0 if right else 0.0
    if "differential" in fields:
        gold_diff = {resolve(n) for n in fields["differential"].codes}  # type: ignore[union-attr]
        got = _as_list(submitted.get("differential"))
        details["differential"] = round(_f1(gold_diff, got), 6)  # type: ignore[arg-type]
        if gold:
            ranks = [i + 1 for i, item in enumerate(got) if resolve(item) == gold]
            details["gold_rank"] = float(ranks[0]) if ranks else 0.0
    if "disposition" in fields:
        details["disposition"] = 1.0 if str(submitted.get("disposition", "")) == fields["disposition"].value else 0.0  # type: ignore[union-attr]
    if "tests_ordered" in fields:
        case_workup = list(fields["tests_ordered"].codes)  # type: ignore[union-attr]
        gold_workup = model().workup(gold) if gold else []
        details["tests_ordered"] = _stewardship(case_workup, gold_workup, _as_list(submitted.get("tests_ordered")))
    graded = [name for name in fields]
    total = sum(WEIGHTS[n] for n in graded)
    score = round(sum(details[n] * WEIGHTS[n] for n in graded) / total, 6)
    missed = [n for n in graded if details[n] < 1.0]
    why = "all fields correct" if not missed else "partial or no credit on: " + ", ".join(missed)
    return Grade(score=score, correct=not missed, submitted=submitted, details=details, why=why)



def generate(split: Split, seed: int, index: int) -> Task:
    """Task ``index`` of ``(split, seed)``: a pure function of its arguments."""
    case = build_case(split, seed, index)
    m = model()
    cid, kind, tier = case.patient.case_id, case.kind, case.tier
    gold = m.conditions[case.condition]
    all_names = [c.name for c in m.conditions.values()]
    answers: dict[str, ChoiceAnswer | CodeSetAnswer] = {
        "diagnosis": ChoiceAnswer(value=gold.name, options=all_names),
        "differential": CodeSetAnswer(codes=_names(case.differential)),
        "disposition": ChoiceAnswer(value=case.disposition, options=list(DISPOSITIONS)),
        "tests_ordered": CodeSetAnswer(codes=list(case.workup)),
    }
    fields = {name: answers[name] for name in FIELDS[kind]}
    pre = ", ".join(f"{m.conditions[c].name} {p:.3f}" for c, p in case.ranking[:6])
    post = ", ".join(f"{m.conditions[c].name} {p:.3f}" for c, p in case.final_ranking[:3])
    rationale = (
        f"Sampled from {gold.name} ({', '.join(gold.icd10)}); kept because it leads the posterior by >= 4x after "
        f"the work-up and with every test. Pre-test posterior: {pre}. "
        f"After the work-up ({', '.join(case.workup) or 'none'}): "
        f"{post}. Disposition {case.disposition} (severity {gold.severity}). Sources: {'; '.join(gold.sources)}."
    )
    evidence = [
        m.findings[c].text
        for c, present in case.patient.findings.items()
        if present and gold.likelihoods.get(c, 0) >= 0.5
    ]
    write = "submit_diagnosis"
    required = [
        ActionSpec(tool="get_encounter", arguments={"case_id": cid}, before=write, why="read the presentation first"),
        ActionSpec(tool="ask_patient", arguments={"case_id": cid}, before=write, why="a diagnosis rests on a history"),
        ActionSpec(tool="examine", arguments={"case_id": cid}, before=write, why="and on an examination"),
        ActionSpec(tool="get_vitals", arguments={"case_id": cid}, before=write, why="vital signs decide disposition"),
    ]
    tests = len(case.workup) if kind != "differential" else 0
    assisted = 4 if kind == "encounter" else 3 if kind == "diagnosis" else 1
    path = 1 + HISTORY_CALLS + EXAM_CALLS + 1 + tests + 1 + (assisted if tier == "assisted" else CHAPTER_CALLS + 1)
    reference_path = [
        path_step("get_encounter", case_id=cid),
        path_step("ask_patient", case_id=cid, question="<each topic>"),
        path_step("examine", case_id=cid, system="<each system>"),
        path_step("get_vitals", case_id=cid),
    ]
    reference_path += [path_step("order_test", case_id=cid, test=t) for t in case.workup[:tests]]
    reference_path.append(path_step(write, case_id=cid, **{k: "..." for k in fields if k != "tests_ordered"}))
    return Task(
        id=task_id(DOMAIN, f"{DOMAIN}.{kind}", split, seed, index),
        domain=DOMAIN,
        split=split,
        prompt=prompt_for(case),
        case_ref=cid,
        tier=tier,
        composite=kind == "encounter",
        answer=FieldsAnswer(fields=fields, weights={n: WEIGHTS[n] for n in fields}),
        privileged=Privileged(rationale=rationale, key_evidence=evidence, reference_path=reference_path),
        rubric=Rubric(required_actions=required, max_tool_calls=path + SLACK),
        source=Source(generator=f"{DOMAIN}.{kind}", version=VERSION),
    )
