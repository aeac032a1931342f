"""Rules that read a chart: the clinician's arithmetic over resources, shared by the task generator (over the
population's resources), the decision-support tools (over the store) and the reference clinician (over what the
record tools returned), so the three cannot disagree.

Each function takes FHIR resources as dicts. Sources: FHIR R4 Observation and Encounter semantics (the value is
``valueQuantity.value`` at ``effectiveDateTime``; an admission is an ``IMP`` encounter's ``period``); age in
completed years (the convention of clinical age, MedAgentBench task 2); an abnormal value lies outside the
observation's own ``referenceRange`` (FHIR R4 Observation.referenceRange: "guidance on how to interpret the value").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from healthgym.mcp_servers.domains.ehr_management.population import NOW, ts
from healthgym.mcp_servers.domains.ehr_management.terminology import drug_by_rxnorm

Resource = dict[str, Any]


def parse_instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def age_years(birth_date: str, on: datetime = NOW) -> int:
    """Completed years between ``birth_date`` (YYYY-MM-DD) and ``on``."""
    born, day = date.fromisoformat(birth_date), on.date()
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def series(observations: Iterable[Resource], code: str) -> list[tuple[str, float]]:
    """(time, value) of the final observations of ``code``, oldest first (ties by id)."""
    rows = [
        (o["effectiveDateTime"], o["id"], float(o["valueQuantity"]["value"]))
        for o in observations
        if o.get("resourceType") == "Observation"
        and o.get("status", "final") in ("final", "amended", "corrected")
        and any(c.get("code") == code for c in o.get("code", {}).get("coding", []))
        and "valueQuantity" in o
    ]
    rows.sort()
    return [(t, v) for t, _, v in rows]


def since(points: Sequence[tuple[str, float]], hours: float, now: datetime = NOW) -> list[tuple[str, float]]:
    """The points of the last ``hours`` hours before ``now`` (inclusive)."""
    start = ts(now - timedelta(hours=hours))
    return [(t, v) for t, v in points if start <= t <= ts(now)]


def mean(points: Sequence[tuple[str, float]]) -> float | None:
    return sum(v for _, v in points) / len(points) if points else None


def latest_admission(encounters: Iterable[Resource]) -> Resource | None:
    """The most recent inpatient (class IMP) encounter, ongoing or finished."""
    stays = [e for e in encounters if e.get("resourceType") == "Encounter" and e.get("class", {}).get("code") == "IMP"]
    return max(stays, key=lambda e: (e["period"]["start"], e["id"]), default=None)


def during(points: Sequence[tuple[str, float]], encounter: Resource) -> list[tuple[str, float]]:
    """The points inside the encounter's period (an ongoing one runs to now)."""
    start, end = encounter["period"]["start"], encounter["period"].get("end", ts(NOW))
    return [(t, v) for t, v in points if start <= t <= end]


def reference_interval(observation: Resource) -> tuple[float | None, float | None]:
    ranges = observation.get("referenceRange") or [{}]
    low, high = ranges[0].get("low"), ranges[0].get("high")
    return (low["value"] if low else None), (high["value"] if high else None)


def first_abnormal(observations: Iterable[Resource], code: str, encounter: Resource) -> Resource | None:
    """The earliest observation of ``code`` in the encounter outside its own reference interval."""
    inside = {t for t, _ in during(series(observations, code), encounter)}
    candidates = sorted(
        (o for o in observations if o.get("resourceType") == "Observation" and o.get("effectiveDateTime") in inside
         and any(c.get("code") == code for c in o["code"]["coding"])),
        key=lambda o: (o["effectiveDateTime"], o["id"]),
    )  # fmt: skip
    for o in candidates:
        low, high = reference_interval(o)
        value = float(o["valueQuantity"]["value"])
        if (low is not None and value < low) or (high is not None and value > high):
            return o
    return None


def active_problem_codes(conditions: Iterable[Resource]) -> list[str]:
    """ICD-10-CM codes of the active conditions (problem list and encounter diagnoses)."""
    out = []
    for c in conditions:
        status = (c.get("clinicalStatus") or {}).get("coding", [{}])[0].get("code")
        if c.get("resourceType") == "Condition" and status == "active":
            out += [k["code"] for k in c["code"]["coding"] if k.get("system", "").endswith("icd-10-cm")]
    return sorted(set(out))


def unindicated_drugs(requests: Iterable[Resource], conditions: Iterable[Resource]) -> list[str]:
    """Medication reconciliation against the problem list: the active medications (by name) with no labelled
    indication among the active problems (Joint Commission NPSG.03.06.01: compare the medication list with the
    patient's conditions and resolve discrepancies)."""
    problems = active_problem_codes(conditions)
    out = set()
    for r in requests:
        if r.get("resourceType") != "MedicationRequest" or r.get("status") != "active":
            continue
        codes = r.get("medicationCodeableConcept", {}).get("coding", [])
        drug = next((d for c in codes if (d := drug_by_rxnorm(c.get("code", ""))) is not None), None)
        if drug is not None and not any(drug.treats(p) for p in problems):
            out.add(drug.name)
    return sorted(out)
