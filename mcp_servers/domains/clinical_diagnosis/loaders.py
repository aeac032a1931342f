"""Cases from files the user has: DDXPlus patient CSVs and AgentClinic OSCE JSONL (nothing is downloaded).

- ``ddxplus``: the release CSV (``AGE, DIFFERENTIAL_DIAGNOSIS, SEX, PATHOLOGY, EVIDENCES, INITIAL_EVIDENCE``;
  Fansi Tchango et al. 2022). ``EVIDENCES`` is a Python-literal list of codes: a binary evidence as ``E_91``, a
  categorical or multi-choice one as ``E_54_@_V_161`` or ``E_56_@_7`` (one entry per value).
  ``DIFFERENTIAL_DIAGNOSIS`` is a Python-literal list of ``[pathology, probability]`` pairs. Each row becomes a
  history-only encounter: the patient answers every DDXPlus question from the row (a binary evidence not listed is
  a no; a detail question gets the row's values), our own questions are "not recorded", and there is no
  examination, vital sign or test. Graded on the diagnosis (``PATHOLOGY``) and the differential (the row's pairs
  with probability >= 5%, DDF1).
- ``agentclinic``: one ``{"OSCE_Examination": {...}}`` object per line (Schmidt S et al. AgentClinic, 2024) with
  ``Patient_Actor`` (Demographics, History, Symptoms, Past_Medical_History, Social_History, Review_of_Systems ...),
  ``Physical_Examination_Findings`` (Vital_Signs and one entry per examination), ``Test_Results`` and
  ``Correct_Diagnosis``. The patient answers a history topic only from the actor's section for it, ``examine``
  reports the examination whose name matches the system, ``order_test`` the result whose name matches the test.
  Graded on the diagnosis by name, curated synonym or ICD-10-CM code (``knowledge.resolve``) or, for a diagnosis
  outside the model, by the name itself (case and punctuation folded).
"""

from __future__ import annotations

import ast
import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from healthgym.mcp_servers.domains.clinical_diagnosis import ddxplus
from healthgym.mcp_servers.domains.clinical_diagnosis.knowledge import HISTORY_TOPICS, model, resolve
from healthgym.mcp_servers.domains.clinical_diagnosis.patients import DOMAIN, PREFIX, Patient
from healthgym.mcp_servers.domains.clinical_diagnosis.posterior import DIFFERENTIAL_THRESHOLD
from healthgym.mcp_servers.loaders import LoadedTasks, TaskLoader, loaded_case_id
from healthgym.schemas import ChoiceAnswer, CodeSetAnswer, FieldsAnswer, Privileged, Rubric, Source, Task, task_id

DDXPLUS_COLUMNS = ("AGE", "DIFFERENTIAL_DIAGNOSIS", "SEX", "PATHOLOGY", "EVIDENCES", "INITIAL_EVIDENCE")
MAX_CALLS = 60


@dataclass(frozen=True)
class LoadedCase:
    """A loaded patient and its gold: the diagnosis as the file names it, and the differential when it has one."""

    patient: Patient
    diagnosis: str
    condition: str | None
    differential: tuple[str, ...]
    disposition: str = ""
    """Not given by either format: no disposition is graded or judged."""


def _literal(text: str, what: str, where: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        raise ValueError(f"{where}: {what} is not a Python-literal list: {text[:80]!r}") from None


def _ddxplus_patient(row: dict[str, str], where: str) -> tuple[Patient, str]:
    m, evidences = model(), ddxplus.evidences()
    try:
        age = int(row["AGE"])
    except ValueError:
        raise ValueError(f"{where}: AGE {row['AGE']!r} is not a whole number") from None
    sex = row["SEX"].strip().upper()
    if sex not in ("M", "F"):
        raise ValueError(f"{where}: SEX {row['SEX']!r} is not 'M' or 'F'")
    listed = _literal(row["EVIDENCES"], "EVIDENCES", where)
    present: set[str] = set()
    details: dict[str, list[str]] = {}
    for item in listed:
        code, _, value = str(item).partition("_@_")
        if code not in evidences:
            raise ValueError(f"{where}: EVIDENCES holds {item!r}, not a DDXPlus evidence code")
        if value:
            details.setdefault(code, []).append(value)
            if code == "E_204" and value != "V_10":
                present.add(code)
        else:
            present.add(code)
    initial = row["INITIAL_EVIDENCE"].strip()
    if initial not in evidences:
        raise ValueError(f"{where}: INITIAL_EVIDENCE {initial!r} is not a DDXPlus evidence code")
    findings = {
        code: code in present
        for code, f in m.findings.items()
        if code in evidences and f.kind in ("symptom", "antecedent") and (f.sex == "any" or sex == "F")
    }
    content = json.dumps([row[c] for c in DDXPLUS_COLUMNS])
    case_id = loaded_case_id(PREFIX, content)
    patient = Patient(
        case_id=case_id, age=age, sex=sex, complaint=initial, findings=findings, vitals={}, results={}, details=details
    )
    return patient, case_id


def _task(case: LoadedCase, kind: str, prompt: str, fields: dict[str, Any], licence: str) -> Task:
    generator = f"{DOMAIN}.{kind}"
    return Task(
        id=task_id(DOMAIN, f"{generator}:{case.patient.case_id}", "test", 0, 0),
        domain=DOMAIN,
        split="test",
        prompt=prompt,
        case_ref=case.patient.case_id,
        answer=FieldsAnswer(fields=fields, weights={"diagnosis": 2.0, "differential": 1.0}),
        privileged=Privileged(rationale=f"Loaded from a {kind} file; gold diagnosis: {case.diagnosis}."),
        rubric=Rubric(max_tool_calls=MAX_CALLS),
        source=Source(generator=generator, version="file", licence=licence),
    )


def read_ddxplus(path: Path) -> LoadedTasks:
    """Tasks from a DDXPlus patient CSV in the release format."""
    m = model()
    tasks: list[Task] = []
    cases: dict[str, LoadedCase] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in DDXPLUS_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}:1: DDXPlus columns missing: {', '.join(missing)} (expected {DDXPLUS_COLUMNS})")
        for line, row in enumerate(reader, start=2):
            where = f"{path}:{line}"
            condition = resolve(row["PATHOLOGY"])
            if condition is None:
                raise ValueError(f"{where}: PATHOLOGY {row['PATHOLOGY']!r} is not a DDXPlus pathology")
            pairs = _literal(row["DIFFERENTIAL_DIAGNOSIS"], "DIFFERENTIAL_DIAGNOSIS", where)
            differential = []
            for pair in pairs:
                if not (isinstance(pair, list | tuple) and len(pair) == 2):
                    raise ValueError(f"{where}: DIFFERENTIAL_DIAGNOSIS entry {pair!r} is not [pathology, probability]")
                cid = resolve(pair[0])
                if cid is None:
                    raise ValueError(f"{where}: DIFFERENTIAL_DIAGNOSIS names {pair[0]!r}, not a DDXPlus pathology")
                if float(pair[1]) >= DIFFERENTIAL_THRESHOLD and cid not in differential:
                    differential.append(cid)
            patient, case_id = _ddxplus_patient(row, where)
            case = LoadedCase(patient, m.conditions[condition].name, condition, tuple(differential))
            cases[case_id] = case
            who = f"{patient.age}-year-old {'woman' if patient.sex == 'F' else 'man'}"
            question = ddxplus.evidences()[patient.complaint].question
            prompt = (
                f"Encounter {case_id}: a {who} answers yes to '{question}' on arrival. This patient comes from a "
                "DDXPlus file: only the history is recorded (ask_patient; no examination, vital signs or tests). "
                "The differential is every condition with posterior probability at least 5%. Submit once with "
                "submit_diagnosis(case_id=..., diagnosis=..., differential=[...])."
            )
            fields = {
                "diagnosis": ChoiceAnswer(value=case.diagnosis, options=[c.name for c in m.conditions.values()]),
                "differential": CodeSetAnswer(codes=[m.conditions[c].name for c in differential]),
            }
            tasks.append(_task(case, "ddxplus", prompt, fields, "CC-BY-4.0 (DDXPlus, Fansi Tchango et al. 2022)"))
    return LoadedTasks(tasks=tasks, cases=cases)


def _text(value: Any) -> str:
    """A section of an OSCE record as one line of text (nested objects flattened as 'Key: value')."""
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')}: {_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return str(value)


def norm_name(text: str) -> str:
    """A section or test name folded for matching: 'Chest_X-ray' -> 'chest x ray'."""
    return re.sub(r"[^a-z0-9]+", " ", str(text).lower()).strip()


_ACTOR_TOPICS = (
    ("past_history", r"past medical|medical history|past history"),
    ("medications", r"medication|drug"),
    ("family_history", r"family"),
    ("social_history", r"social"),
    ("pain", r"symptom"),
    ("general", r"^history$|present illness|^hpi$"),
)
"""Actor section -> history topic: the first rule matching the section's folded name (specific sections first)."""
_EXAM_SYSTEMS = (
    ("heent", r"head|eye|ear|nose|throat|heent|oral|fundus"),
    ("neck", r"neck|thyroid|lymph"),
    ("cardiovascular", r"cardio|heart|pulse|vascular"),
    ("respiratory", r"respir|lung|chest|pulmon"),
    ("abdomen", r"abdom|rectal|pelvic|genit"),
    ("neurological", r"neuro|mental|cranial|reflex|motor|sensory|gait"),
    ("skin", r"skin|derm|rash"),
    ("musculoskeletal", r"musculo|joint|extremit|spine|back|limb"),
    ("general", r"."),
)


def _match(rules: tuple[tuple[str, str], ...], key: str) -> str | None:
    text = norm_name(key)
    return next((name for name, pattern in rules if re.search(pattern, text)), None)


def _osce_patient(record: dict[str, Any], where: str) -> tuple[Patient, str]:
    actor = record.get("Patient_Actor")
    if not isinstance(actor, dict):
        raise ValueError(f"{where}: OSCE_Examination.Patient_Actor must be an object")
    notes: dict[str, str] = {}
    demographics = _text(actor.get("Demographics", ""))
    found = re.search(r"(\d+)[- ]?(?:year|yo|y/o)", demographics.lower())
    age = int(found.group(1)) if found else 40
    sex = "F" if re.search(r"\b(female|woman|girl|f)\b", demographics.lower()) else "M"
    for key, value in actor.items():
        if key == "Demographics":
            continue
        if norm_name(key) == "review of systems":
            for topic in HISTORY_TOPICS[2:10]:  # the system topics
                notes[f"topic:{topic}"] = _text(value)
            continue
        topic = _match(_ACTOR_TOPICS, key)
        if topic:
            notes[f"topic:{topic}"] = "; ".join(filter(None, [notes.get(f"topic:{topic}"), _text(value)]))
    symptoms = actor.get("Symptoms")
    primary = symptoms.get("Primary_Symptom") if isinstance(symptoms, dict) else None
    notes["complaint"] = _text(primary or actor.get("History", "")).split(". ")[0]
    exam = record.get("Physical_Examination_Findings") or {}
    for key, value in exam.items() if isinstance(exam, dict) else []:
        if "vital" in norm_name(key):
            notes["vitals"] = _text(value)
            continue
        system = _match(_EXAM_SYSTEMS, key)
        notes[f"exam:{system}"] = "; ".join(filter(None, [notes.get(f"exam:{system}"), _text(value)]))
    tests = record.get("Test_Results") or {}
    for key, value in tests.items() if isinstance(tests, dict) else []:
        notes[f"test:{norm_name(key)}"] = _text(value)
    content = json.dumps(record, sort_keys=True)
    case_id = loaded_case_id(PREFIX, content)
    return Patient(
        case_id=case_id, age=age, sex=sex, complaint="", findings={}, vitals={}, results={}, notes=notes
    ), case_id


def read_agentclinic(path: Path) -> LoadedTasks:
    """Tasks from an AgentClinic OSCE JSONL file."""
    m = model()
    tasks: list[Task] = []
    cases: dict[str, LoadedCase] = {}
    for line, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not text.strip():
            continue
        where = f"{path}:{line}"
        try:
            outer = json.loads(text)
        except json.JSONDecodeError as err:
            raise ValueError(f"{where}: not JSON ({err.msg})") from None
        record = outer.get("OSCE_Examination") if isinstance(outer, dict) else None
        if not isinstance(record, dict) or not record.get("Correct_Diagnosis"):
            raise ValueError(f"{where}: expected an object with OSCE_Examination.Correct_Diagnosis")
        patient, case_id = _osce_patient(record, where)
        diagnosis = _text(record["Correct_Diagnosis"])
        condition = resolve(diagnosis)
        case = LoadedCase(patient, diagnosis, condition, ())
        cases[case_id] = case
        who = f"{patient.age}-year-old {'woman' if patient.sex == 'F' else 'man'}"
        topics = sorted(k.split(":", 1)[1] for k in patient.notes if k.startswith("topic:"))
        systems = sorted(k.split(":", 1)[1] for k in patient.notes if k.startswith("exam:"))
        prompt = (
            f"Encounter {case_id}: a {who} presents with '{patient.notes['complaint']}'. This is an OSCE case: the "
            f"patient answers history topics ({', '.join(topics)}), examine reports the systems examined "
            f"({', '.join(systems)}), get_vitals the vital signs, order_test the results by test name. Submit once "
            "with submit_diagnosis(case_id=..., diagnosis=...)."
        )
        options = [diagnosis, *[c.name for c in m.conditions.values() if c.name != diagnosis]]
        fields = {"diagnosis": ChoiceAnswer(value=diagnosis, options=options)}
        tasks.append(_task(case, "agentclinic", prompt, fields, "as the file's"))
    return LoadedTasks(tasks=tasks, cases=cases)


LOADERS = {
    "ddxplus": TaskLoader(
        "DDXPlus patient CSV (release format: AGE, DIFFERENTIAL_DIAGNOSIS, SEX, PATHOLOGY, "
        "EVIDENCES, INITIAL_EVIDENCE)",
        read_ddxplus,
    ),
    "agentclinic": TaskLoader("AgentClinic OSCE JSONL (one OSCE_Examination object per line)", read_agentclinic),
}
