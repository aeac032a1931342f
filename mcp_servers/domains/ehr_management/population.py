"""The synthetic population: patient ``index`` of population ``seed`` as FHIR R4 resources, a pure function.

Each patient has demographics (name, sex, birth date, MRN), chronic problems drawn with the prevalences of
``medications.json`` and the first-line drug of each, a few allergies, two years of clinic visits every four to eight
months (vital signs and a basic metabolic panel at each; HbA1c for people with diabetes), and for about a third of
the population a hospital admission: either ongoing at the record's clock :data:`NOW` or finished weeks before. An
admission has a reason (acute kidney injury, hypokalaemia, hypomagnesaemia, pneumonia, sepsis, anaemia) that drives
its daily labs, vital signs every eight hours and, for people with diabetes, point-of-care glucose every six hours.

Dynamics: each lab is a patient baseline plus the admission's course plus day-to-day noise, rounded to the lab's
reported precision. Creatinine in acute kidney injury rises to 1.5-3.5 times baseline by day two then falls (KDIGO
2012 staging bands); potassium and magnesium start low and rise about 0.2 a day with replacement; leukocytes,
temperature and heart rate start high in infection and settle; haemoglobin starts low in anaemia and rises after
transfusion. Names come from the U.S. Census 2010 surname list and SSA baby-name lists (most common entries).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache, lru_cache
from typing import Any

import numpy as np

from healthgym.mcp_servers.domains.ehr_management.terminology import (
    ICD10CM,
    LOINC,
    MRN_SYSTEM,
    RXNORM,
    SNOMED,
    UCUM,
    chronic_conditions,
    drugs,
    icd_description,
    observations,
)

NOW = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
"""The record's clock: every resource is dated before it, and every task asks as of it."""
POPULATION_SEED = 0
TERMINOLOGY = "http://terminology.hl7.org/CodeSystem"
POPULATION_SIZE = 1000


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FAMILY = _words(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson "
    "Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson "
    "Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell "
    "Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales "
    "Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson"
)
GIVEN = {
    "male": _words(
        "James Robert John Michael David William Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony Mark "
        "Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey "
        "Ryan Jacob Gary"
    ),
    "female": _words(
        "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Margaret Sandra "
        "Ashley Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa Deborah Stephanie Rebecca "
        "Sharon Laura Cynthia"
    ),
}
ADMISSION_REASONS = {
    "aki": "N17.9",
    "hypokalemia": "E87.6",
    "hypomagnesemia": "E83.42",
    "pneumonia": "J18.9",
    "sepsis": "A41.9",
    "anemia": "D64.9",
}
"""Admission reason -> ICD-10-CM encounter diagnosis."""
ALLERGENS = (("Penicillin", "hives"), ("Sulfonamide antibiotics", "rash"), ("Codeine", "nausea"), ("Latex", "rash"))
CHEST_XRAY = ("399208008", "Plain chest X-ray")
LAB_PANEL = ("2823-3", "2951-2", "2160-0", "3094-0", "2345-7")
INPATIENT_LABS = ("2823-3", "2951-2", "19123-9", "2160-0", "3094-0", "718-7", "6690-2")
INPATIENT_VITALS = ("8867-4", "9279-1", "8480-6", "8462-4", "8310-5", "59408-5")
CLINIC_VITALS = ("8867-4", "8480-6", "8462-4", "29463-7")


def ts(moment: datetime) -> str:
    """FHIR instant text in UTC, second precision (the form fhir.resources writes back)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _rng(seed: int, index: int, part: str) -> np.random.Generator:
    digest = hashlib.sha256(f"ehr_management|population|{seed}|{index}|{part}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:16], "little"))


def mrn(seed: int, index: int) -> str:
    """The MRN of patient ``index``: 'S' and seven digits, a bijection of the index for each seed."""
    return f"S{(index * 7919 + seed * 104729 + 1_000_003) % 9_000_000 + 1_000_000}"


@dataclass(frozen=True)
class Person:
    index: int
    mrn: str
    family: str
    given: str
    sex: str
    birth_date: date


@lru_cache(maxsize=65536)
def person(seed: int, index: int) -> Person:
    """Demographics of patient ``index``: adults 18-95 years old at :data:`NOW`."""
    rng = _rng(seed, index, "person")
    sex = "female" if rng.random() < 0.52 else "male"
    age_days = int(rng.integers(18 * 365 + 5, 95 * 365))
    return Person(
        index=index,
        mrn=mrn(seed, index),
        family=FAMILY[int(rng.integers(len(FAMILY)))],
        given=GIVEN[sex][int(rng.integers(len(GIVEN[sex])))],
        sex=sex,
        birth_date=(NOW - timedelta(days=age_days)).date(),
    )


@cache
def people_by_name(seed: int, size: int) -> dict[tuple[str, str, str], list[str]]:
    """(family, given, birth date ISO) -> MRNs: who a name and birth date find in the population."""
    out: dict[tuple[str, str, str], list[str]] = {}
    for i in range(size):
        p = person(seed, i)
        out.setdefault((p.family.lower(), p.given.lower(), p.birth_date.isoformat()), []).append(p.mrn)
    return out


def index_of(seed: int, size: int, patient_id: str) -> int | None:
    """The index of the patient with MRN ``patient_id`` in a population of ``size``, or None."""
    if not (isinstance(patient_id, str) and len(patient_id) == 8 and patient_id[0] == "S" and patient_id[1:].isdigit()):
        return None
    number = int(patient_id[1:]) - 1_000_000 - (seed * 104729 + 1_000_003) % 9_000_000
    index = (number * pow(7919, -1, 9_000_000)) % 9_000_000
    return index if index < size else None


# --- resources -------------------------------------------------------------------------------------------------------


def _coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    out = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def _quantity(value: float, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": UCUM, "code": unit}


def observation(rid: str, pid: str, loinc: str, value: float, when: datetime, sex: str, encounter: str | None) -> dict:
    """An Observation of LOINC ``loinc`` with its UCUM quantity and the reference interval for ``sex``."""
    d = observations()[loinc]
    out: dict[str, Any] = {
        "resourceType": "Observation",
        "id": rid,
        "status": "final",
        "category": [{"coding": [_coding("http://terminology.hl7.org/CodeSystem/observation-category", d.category)]}],
        "code": {"coding": [_coding(LOINC, loinc, d.display)], "text": d.name},
        "subject": {"reference": f"Patient/{pid}"},
    }
    if encounter:
        out["encounter"] = {"reference": f"Encounter/{encounter}"}
    out["effectiveDateTime"] = ts(when)
    out["valueQuantity"] = _quantity(value, d.unit)
    low, high = d.interval(sex)
    if low is not None:
        out["referenceRange"] = [{"low": _quantity(low, d.unit), "high": _quantity(high, d.unit)}]
    return out


def _condition(rid: str, pid: str, code: str, onset: datetime, status: str, category: str) -> dict:
    out: dict[str, Any] = {
        "resourceType": "Condition",
        "id": rid,
        "clinicalStatus": {"coding": [_coding("http://terminology.hl7.org/CodeSystem/condition-clinical", status)]},
        "verificationStatus": {
            "coding": [_coding("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed")]
        },
        "category": [{"coding": [_coding("http://terminology.hl7.org/CodeSystem/condition-category", category)]}],
        "code": {"coding": [_coding(ICD10CM, code, icd_description(code))]},
        "subject": {"reference": f"Patient/{pid}"},
        "onsetDateTime": ts(onset),
        "recordedDate": ts(onset),
    }
    return out


def medication_request(rid: str, pid: str, drug: str, when: datetime, status: str) -> dict:
    d = drugs()[drug]
    return {
        "resourceType": "MedicationRequest",
        "id": rid,
        "status": status,
        "intent": "order",
        "medicationCodeableConcept": {"coding": [_coding(RXNORM, d.rxnorm, d.name)], "text": d.name},
        "subject": {"reference": f"Patient/{pid}"},
        "authoredOn": ts(when),
        "dosageInstruction": [{"text": d.dose}],
    }


@dataclass
class _Chart:
    """Resources of one patient being built, with an id counter per resource kind."""

    person: Person
    resources: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def rid(self, prefix: str) -> str:
        n = self.counts.get(prefix, 0)
        self.counts[prefix] = n + 1
        return f"{prefix}-{self.person.mrn}-{n}"

    def obs(self, loinc: str, value: float, when: datetime, encounter: str | None = None) -> None:
        d = observations()[loinc]
        value = round(float(value), d.decimals)
        value = int(value) if d.decimals == 0 else value
        self.resources.append(
            observation(self.rid("obs"), self.person.mrn, loinc, value, when, self.person.sex, encounter)
        )


def _baselines(rng: np.random.Generator, sex: str, problems: set[str]) -> dict[str, float]:
    diabetic, ckd = "E11.9" in problems, "N18.30" in problems
    return {
        "2823-3": rng.normal(4.0, 0.35),
        "2951-2": rng.normal(140, 2),
        "19123-9": rng.normal(2.0, 0.18),
        "2160-0": rng.uniform(1.5, 2.4) if ckd else rng.normal(1.0 if sex == "male" else 0.8, 0.12),
        "3094-0": rng.uniform(25, 40) if ckd else rng.normal(14, 3),
        "2345-7": rng.uniform(120, 190) if diabetic else rng.normal(92, 8),
        "718-7": rng.normal(14.8 if sex == "male" else 13.4, 0.8),
        "6690-2": rng.normal(7.0, 1.2),
        "4548-4": rng.uniform(6.5, 9.8) if diabetic else rng.normal(5.3, 0.2),
        "41653-7": rng.uniform(140, 220) if diabetic else rng.normal(105, 10),
        "8867-4": rng.normal(74, 8),
        "9279-1": rng.normal(15, 1.5),
        "8480-6": rng.normal(136 if "I10" in problems else 122, 10),
        "8462-4": rng.normal(82 if "I10" in problems else 74, 6),
        "8310-5": rng.normal(36.8, 0.2),
        "59408-5": min(99.0, rng.normal(97, 1)),
        "29463-7": rng.normal(84 if sex == "male" else 71, 12),
    }


NOISE = {
    "2823-3": 0.2, "2951-2": 1.5, "19123-9": 0.1, "2160-0": 0.06, "3094-0": 2.0, "2345-7": 12.0, "718-7": 0.3,
    "6690-2": 0.6, "4548-4": 0.3, "41653-7": 30.0, "8867-4": 6.0, "9279-1": 1.5, "8480-6": 9.0, "8462-4": 6.0,
    "8310-5": 0.2, "59408-5": 1.0, "29463-7": 0.6,
}  # fmt: skip
"""Day-to-day standard deviation of each observation around its course."""


def _course(reason: str, loinc: str, day: float, base: float, severity: float) -> float:
    """The admission's effect on one observation at ``day`` since admission (``severity`` in [0, 1])."""
    fade = max(0.0, 1.0 - day / 5.0)
    if reason == "aki" and loinc == "2160-0":
        peak = 0.5 + 2.0 * severity  # KDIGO 2012 stages 1-3: 1.5-1.9x, 2-2.9x, >= 3x baseline
        return base * peak * (day / 2.0 if day < 2 else max(0.0, 1.0 - (day - 2) / 5.0))
    if reason == "aki" and loinc == "3094-0":
        return 20 * severity * fade
    if reason == "hypokalemia" and loinc == "2823-3":
        return min(0.0, (2.6 + 0.7 * (1 - severity)) - base + 0.2 * day)
    if reason == "hypomagnesemia" and loinc == "19123-9":
        return min(0.0, (0.8 + 0.7 * (1 - severity)) - base + 0.2 * day)
    if reason in ("pneumonia", "sepsis"):
        scale = 1.6 if reason == "sepsis" else 1.0
        return {"6690-2": 9 * scale, "8310-5": 1.8, "8867-4": 30 * scale, "9279-1": 7 * scale, "59408-5": -5,
                "8480-6": -25 * (scale - 1) * 2}.get(loinc, 0.0) * (0.4 + 0.6 * severity) * fade  # fmt: skip
    if reason == "anemia" and loinc == "718-7":
        return (6.5 + 2 * (1 - severity)) - base + 0.5 * min(day, 3)
    return 0.0


def _clamp(loinc: str, value: float) -> float:
    low, high = {"59408-5": (70, 100), "8310-5": (34, 41.5)}.get(loinc, (0.1, 1e6))
    return min(max(value, low), high)


def _admission(chart: _Chart, rng: np.random.Generator, base: dict[str, float], problems: set[str]) -> None:
    pid = chart.person.mrn
    reason = list(ADMISSION_REASONS)[int(rng.integers(len(ADMISSION_REASONS)))]
    ongoing = rng.random() < 0.6
    if ongoing:
        start = NOW - timedelta(days=float(rng.uniform(1.2, 6.0)))
        end = None
    else:
        start = NOW - timedelta(days=float(rng.uniform(20, 150)))
        end = start + timedelta(days=float(rng.uniform(2.5, 7.0)))
    start = start.replace(second=0, microsecond=0)
    stop = end or NOW - timedelta(minutes=30)
    enc, diagnosis = chart.rid("enc"), ADMISSION_REASONS[reason]
    encounter: dict[str, Any] = {
        "resourceType": "Encounter",
        "id": enc,
        "status": "in-progress" if ongoing else "finished",
        "class": _coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP", "inpatient encounter"),
        "subject": {"reference": f"Patient/{pid}"},
        "period": {"start": ts(start)} | ({"end": ts(end)} if end else {}),
        "reasonCode": [{"coding": [_coding(ICD10CM, diagnosis, icd_description(diagnosis))]}],
    }
    chart.resources.append(encounter)
    chart.resources.append(
        _condition(chart.rid("cond"), pid, ADMISSION_REASONS[reason], start, "active" if ongoing else "resolved",
                   "encounter-diagnosis")
    )  # fmt: skip
    severity = float(rng.uniform(0, 1))
    diabetic = "E11.9" in problems
    # labs on admission, then daily at 05:00; vitals every 8 h; point-of-care glucose every 6 h for diabetes
    times: list[tuple[datetime, tuple[str, ...]]] = [(start + timedelta(minutes=40), INPATIENT_LABS)]
    day = (start + timedelta(days=1)).replace(hour=5, minute=0)
    while day < stop:
        times.append((day, INPATIENT_LABS))
        day += timedelta(days=1)
    slot = start.replace(minute=0) + timedelta(hours=1)
    while slot < stop:
        if slot.hour % 8 == 0:
            times.append((slot + timedelta(minutes=int(rng.integers(0, 40))), INPATIENT_VITALS))
        if diabetic and slot.hour % 6 == 5:
            times.append((slot + timedelta(minutes=int(rng.integers(0, 50))), ("41653-7",)))
        slot += timedelta(hours=1)
    times = [(t, codes) for t, codes in times if t < stop]
    times.sort(key=lambda item: item[0])
    for when, codes in times:
        days = (when - start).total_seconds() / 86400
        for loinc in codes:
            value = base[loinc] + _course(reason, loinc, days, base[loinc], severity) + rng.normal(0, NOISE[loinc])
            chart.obs(loinc, _clamp(loinc, value), when, enc)
    chart.resources.append({
        "resourceType": "Procedure",
        "id": chart.rid("proc"),
        "status": "completed",
        "code": {"coding": [_coding(SNOMED, *CHEST_XRAY)]},
        "subject": {"reference": f"Patient/{pid}"},
        "encounter": {"reference": f"Encounter/{enc}"},
        "performedDateTime": ts(start + timedelta(hours=2)),
    })
    if reason in ("hypokalemia", "hypomagnesemia"):
        drug, rxnorm, amount, unit, route = (
            ("potassium chloride", "8591", 40, "meq", "oral")
            if reason == "hypokalemia"
            else ("magnesium sulfate", "6585", 2, "g", "intravenous")
        )
        chart.resources.append({
            "resourceType": "MedicationAdministration",
            "id": chart.rid("madm"),
            "status": "completed",
            "medicationCodeableConcept": {"coding": [_coding(RXNORM, rxnorm, drug)], "text": drug},
            "subject": {"reference": f"Patient/{pid}"},
            "context": {"reference": f"Encounter/{enc}"},
            "effectiveDateTime": ts(start + timedelta(hours=3)),
            "dosage": {"route": {"text": route}, "dose": _quantity(amount, unit)},
        })


def _clinic(chart: _Chart, rng: np.random.Generator, base: dict[str, float], problems: set[str]) -> None:
    pid = chart.person.mrn
    visit = NOW - timedelta(days=float(rng.uniform(10, 200)))
    visits = []
    while visit > NOW - timedelta(days=760):
        visits.append(visit.replace(hour=int(rng.integers(8, 17)), minute=int(rng.integers(0, 60)), second=0,
                                    microsecond=0))  # fmt: skip
        visit -= timedelta(days=float(rng.uniform(120, 240)))
    diabetic = "E11.9" in problems
    skip_a1c = diabetic and rng.random() < 0.45  # the recent visits missed the HbA1c (a recheck is due)
    for k, when in enumerate(sorted(visits)):
        enc = chart.rid("enc")
        chart.resources.append({
            "resourceType": "Encounter",
            "id": enc,
            "status": "finished",
            "class": _coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"),
            "subject": {"reference": f"Patient/{pid}"},
            "period": {"start": ts(when), "end": ts(when + timedelta(minutes=30))},
        })
        for loinc in CLINIC_VITALS:
            chart.obs(loinc, base[loinc] + rng.normal(0, NOISE[loinc]), when + timedelta(minutes=5), enc)
        drawn = when + timedelta(minutes=20)
        for loinc in LAB_PANEL + (("19123-9",) if rng.random() < 0.4 else ()):
            chart.obs(loinc, base[loinc] + rng.normal(0, NOISE[loinc]), drawn, enc)
        recent = (NOW - when).days < 420
        if (diabetic and not (skip_a1c and recent)) or (not diabetic and k == 0 and rng.random() < 0.3):
            chart.obs("4548-4", base["4548-4"] + rng.normal(0, NOISE["4548-4"]), drawn, enc)
            chart.resources.append({
                "resourceType": "ServiceRequest",
                "id": chart.rid("sr"),
                "status": "completed",
                "intent": "order",
                "code": {"coding": [_coding(LOINC, "4548-4", observations()["4548-4"].display)]},
                "subject": {"reference": f"Patient/{pid}"},
                "authoredOn": ts(when),
                "occurrenceDateTime": ts(drawn),
            })


def _problems(chart: _Chart, rng: np.random.Generator) -> set[str]:
    """Chronic problems with their drugs; some problems resolved with the drug left active, and some drugs started
    with no problem recorded (what medication reconciliation finds)."""
    pid, age = chart.person.mrn, (NOW.date() - chart.person.birth_date).days / 365.25
    active: set[str] = set()
    for code, prevalence, meds in chronic_conditions():
        if rng.random() >= prevalence * (0.5 + age / 60):
            continue
        onset = NOW - timedelta(days=float(rng.uniform(800, 4000)))
        resolved = rng.random() < 0.12
        chart.resources.append(
            _condition(chart.rid("cond"), pid, code, onset.replace(microsecond=0), "resolved" if resolved else "active",
                       "problem-list-item")
        )  # fmt: skip
        if not resolved:
            active.add(code)
        for drug in meds:
            chart.resources.append(medication_request(chart.rid("mr"), pid, drug, onset + timedelta(days=14), "active"))
    if rng.random() < 0.12:
        stray = sorted(drugs())[int(rng.integers(len(drugs())))]
        when = NOW - timedelta(days=float(rng.uniform(30, 700)))
        chart.resources.append(medication_request(chart.rid("mr"), pid, stray, when, "active"))
    return active


def _allergies(chart: _Chart, rng: np.random.Generator) -> None:
    if rng.random() < 0.2:
        substance, reaction = ALLERGENS[int(rng.integers(len(ALLERGENS)))]
        chart.resources.append({
            "resourceType": "AllergyIntolerance",
            "id": chart.rid("alg"),
            "clinicalStatus": {
                "coding": [_coding("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active")]
            },
            "verificationStatus": {
                "coding": [_coding(f"{TERMINOLOGY}/allergyintolerance-verification", "confirmed")]
            },
            "code": {"text": substance},
            "patient": {"reference": f"Patient/{chart.person.mrn}"},
            "recordedDate": ts(NOW - timedelta(days=float(rng.uniform(400, 3000)))),
            "reaction": [{"manifestation": [{"text": reaction}]}],
        })


def patient_resource(p: Person) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "id": p.mrn,
        "identifier": [{"system": MRN_SYSTEM, "value": p.mrn}],
        "active": True,
        "name": [{"use": "official", "family": p.family, "given": [p.given]}],
        "gender": p.sex,
        "birthDate": p.birth_date.isoformat(),
    }


@lru_cache(maxsize=4096)
def patient_chart(seed: int, index: int) -> tuple[dict[str, Any], ...]:
    """Every resource of patient ``index`` of population ``seed``, the Patient first (a pure function)."""
    p = person(seed, index)
    rng = _rng(seed, index, "chart")
    chart = _Chart(p, [patient_resource(p)])
    problems = _problems(chart, rng)
    _allergies(chart, rng)
    base = _baselines(rng, p.sex, problems)
    _clinic(chart, rng, base, problems)
    if rng.random() < 0.35:
        _admission(chart, rng, base, problems)
    return tuple(chart.resources)


def population(seed: int = POPULATION_SEED, size: int = POPULATION_SIZE) -> Iterator[dict[str, Any]]:
    """Every resource of the population, patient by patient."""
    for i in range(size):
        yield from patient_chart(seed, i)
