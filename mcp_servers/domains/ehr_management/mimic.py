"""Import the MIMIC-IV Clinical Database Demo (100 patients; Johnson A et al., PhysioNet 2023, ODbL 1.0) into a
record store as the same FHIR R4 resources the synthetic population uses.

Mapping, one resource per source row (so counts per resource type can be checked against the source tables):

- ``hosp/patients`` -> Patient (gender, birth year = anchor_year - anchor_age, deceasedDateTime from dod);
- ``hosp/admissions`` -> Encounter (class IMP, period admittime-dischtime);
- ``hosp/diagnoses_icd`` -> Condition (encounter-diagnosis; ICD-10-CM codes checked and dotted with
  ``simple-icd-10-cm``, ICD-9-CM kept under its own system);
- ``hosp/labevents`` with ``hosp/d_labitems`` -> Observation (laboratory; LOINC for the common chemistry and blood
  count items, the MIMIC item id always; UCUM units where the unit maps; the row's reference range);
- ``hosp/omr`` -> Observation (vital signs: weight, height, BMI; a blood pressure row gives a systolic and a
  diastolic Observation);
- ``hosp/prescriptions`` -> MedicationRequest (NDC where given);
- ``hosp/emar`` -> MedicationAdministration (the event text as status);
- ``icu/chartevents`` -> Observation, when the folder has it (the demo as distributed here does not).

Every resource is validated with ``fhir.resources`` before it is stored. The import is resumable: each table is
read in chunks, each chunk is stored (replacing rows of the same id) and committed with the table's progress in
``ehr_meta``, so a killed import continues at the first unfinished chunk and a rerun never stores anything twice.
MIMIC times are shifted, zone-less and stored as given, read as UTC.
"""

from __future__ import annotations

import csv
import gzip
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import simple_icd_10_cm as icd
from fhir.resources.R4B import get_fhir_model_class
from sqlalchemy import Engine
from sqlmodel import Session, SQLModel, select

from healthgym.mcp_servers.domains.ehr_management.store import Store, StoreMeta, insert
from healthgym.mcp_servers.domains.ehr_management.terminology import ICD10CM, LOINC, UCUM

MIMIC_ITEMS = "http://mimic.mit.edu/fhir/mimic/CodeSystem/mimic-d-labitems"
MIMIC_SUBJECT = "http://mimic.mit.edu/fhir/mimic/identifier/patient"
ICD9CM = "http://hl7.org/fhir/sid/icd-9-cm"
NDC = "http://hl7.org/fhir/sid/ndc"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
LAB_LOINC = {
    "50971": "2823-3", "50983": "2951-2", "50960": "19123-9", "50912": "2160-0", "51006": "3094-0",
    "50931": "2345-7", "51222": "718-7", "51301": "6690-2", "50852": "4548-4",
}  # fmt: skip
"""MIMIC-IV lab item -> LOINC for the items this record's tasks use (MIMIC-IV's own d_labitems LOINC map, v1.0)."""
UCUM_UNITS = {
    "mg/dL": "mg/dL", "mEq/L": "meq/L", "%": "%", "K/uL": "10*3/uL", "g/dL": "g/dL", "IU/L": "[IU]/L", "fL": "fL",
    "sec": "s", "m/uL": "10*6/uL", "pg": "pg", "mm Hg": "mm[Hg]", "mmol/L": "mmol/L", "ng/mL": "ng/mL",
    "ug/mL": "ug/mL", "ug/dL": "ug/dL", "pg/mL": "pg/mL", "mOsm/kg": "mosm/kg", "mg/L": "mg/L", "ng/dL": "ng/dL",
    "mg/g": "mg/g",
}  # fmt: skip
"""MIMIC unit text -> UCUM code; other units are kept as text only."""
OMR = {
    "Weight (Lbs)": ("29463-7", "Body weight", "[lb_av]"),
    "Height (Inches)": ("8302-2", "Body height", "[in_i]"),
    "BMI (kg/m2)": ("39156-5", "Body mass index (BMI) [Ratio]", "kg/m2"),
}
BP = (("8480-6", "Systolic blood pressure"), ("8462-4", "Diastolic blood pressure"))
EMAR_STATUS = {"Administered": "completed", "Not Given": "not-done", "Started": "in-progress", "Stopped": "stopped"}
CHUNK = 5000


def _time(text: str) -> str:
    return text.strip().replace(" ", "T") + "Z" if len(text.strip()) > 10 else text.strip() + "T00:00:00Z"


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with gzip.open(path, "rt", newline="") as fh:
        yield from csv.DictReader(fh)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _quantity(value: float, unit: str) -> dict[str, Any]:
    out: dict[str, Any] = {"value": value}
    if unit.strip():
        out["unit"] = unit.strip()
    if unit.strip() in UCUM_UNITS:
        out |= {"system": UCUM, "code": UCUM_UNITS[unit.strip()]}
    return out


def _subject(row: dict[str, str]) -> dict[str, str]:
    return {"reference": f"Patient/mimic-{row['subject_id']}"}


def patient(row: dict[str, str], _: Any, line: int) -> list[dict[str, Any]]:
    out = {
        "resourceType": "Patient",
        "id": f"mimic-{row['subject_id']}",
        "identifier": [{"system": MIMIC_SUBJECT, "value": row["subject_id"]}],
        "active": True,
        "gender": {"F": "female", "M": "male"}.get(row["gender"], "unknown"),
        "birthDate": str(int(row["anchor_year"]) - int(row["anchor_age"])),
    }
    if row["dod"]:
        out["deceasedDateTime"] = _time(row["dod"])
    return [out]


def encounter(row: dict[str, str], _: Any, line: int) -> list[dict[str, Any]]:
    return [{
        "resourceType": "Encounter",
        "id": f"mimic-enc-{row['hadm_id']}",
        "status": "finished",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP",
                  "display": "inpatient encounter"},
        "subject": _subject(row),
        "period": {"start": _time(row["admittime"]), "end": _time(row["dischtime"])},
    }]  # fmt: skip


def condition(row: dict[str, str], admissions: dict[str, str], line: int) -> list[dict[str, Any]]:
    code = row["icd_code"].strip()
    if row["icd_version"] == "10":
        system = ICD10CM
        if icd.is_valid_item(code):
            code = icd.add_dot(code)
    else:
        system = ICD9CM
    out: dict[str, Any] = {
        "resourceType": "Condition",
        "id": f"mimic-dx-{row['hadm_id']}-{row['seq_num']}",
        "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                                       "code": "resolved"}]},
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-category",
                                  "code": "encounter-diagnosis"}]}],
        "code": {"coding": [{"system": system, "code": code}]},
        "subject": _subject(row),
        "encounter": {"reference": f"Encounter/mimic-enc-{row['hadm_id']}"},
    }  # fmt: skip
    if row["hadm_id"] in admissions:
        out["recordedDate"] = admissions[row["hadm_id"]]
    return [out]


def lab(row: dict[str, str], labitems: dict[str, str], line: int) -> list[dict[str, Any]]:
    item = row["itemid"]
    codings = [{"system": MIMIC_ITEMS, "code": item, "display": labitems.get(item, item)}]
    if item in LAB_LOINC:
        codings.insert(0, {"system": LOINC, "code": LAB_LOINC[item]})
    out: dict[str, Any] = {
        "resourceType": "Observation",
        "id": f"mimic-lab-{row['labevent_id']}",
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY, "code": "laboratory"}]}],
        "code": {"coding": codings, "text": labitems.get(item, item)},
        "subject": _subject(row),
    }
    if row["hadm_id"]:
        out["encounter"] = {"reference": f"Encounter/mimic-enc-{row['hadm_id']}"}
    out["effectiveDateTime"] = _time(row["charttime"])
    value = _number(row["valuenum"])
    if value is not None:
        out["valueQuantity"] = _quantity(value, row["valueuom"])
    elif row["value"].strip():
        out["valueString"] = row["value"].strip()
    else:
        out["dataAbsentReason"] = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                                               "code": "unknown"}]}  # fmt: skip
    low, high = _number(row["ref_range_lower"]), _number(row["ref_range_upper"])
    if low is not None or high is not None:
        bounds = {name: _quantity(v, row["valueuom"]) for name, v in (("low", low), ("high", high)) if v is not None}
        out["referenceRange"] = [bounds]
    return [out]


def omr(row: dict[str, str], _: Any, line: int) -> list[dict[str, Any]]:
    name, base = row["result_name"], f"mimic-omr-{row['subject_id']}-{row['chartdate']}-{row['seq_num']}"

    def vital(rid: str, code: str, display: str, value: float | None, unit: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "resourceType": "Observation", "id": rid, "status": "final",
            "category": [{"coding": [{"system": CATEGORY, "code": "vital-signs"}]}],
            "code": {"coding": [{"system": LOINC, "code": code, "display": display}], "text": name},
            "subject": _subject(row), "effectiveDateTime": _time(row["chartdate"]),
        }  # fmt: skip
        if value is None:
            out["valueString"] = row["result_value"]
        else:
            out["valueQuantity"] = {"value": value, "unit": unit, "system": UCUM, "code": unit}
        return out

    if name.startswith("Blood Pressure"):
        parts = row["result_value"].split("/")
        values = [_number(p) for p in parts] if len(parts) == 2 else [None, None]
        slug = name.lower().replace(" ", "-").replace("(", "").replace(")", "")
        return [vital(f"{base}-{slug}-{i}", code, display, values[i], "mm[Hg]") for i, (code, display) in
                enumerate(BP)]  # fmt: skip
    code, display, unit = OMR.get(name, ("", name, ""))
    if not code:
        return [{**vital(base, "", name, None, ""), "code": {"text": name}}]
    return [vital(f"{base}-{code}", code, display, _number(row["result_value"]), unit)]


def prescription(row: dict[str, str], _: Any, line: int) -> list[dict[str, Any]]:
    concept: dict[str, Any] = {"text": row["drug"] or "unknown"}
    if row["ndc"].strip() and row["ndc"].strip() != "0":
        concept["coding"] = [{"system": NDC, "code": row["ndc"].strip()}]
    dose = " ".join(v for v in (row["dose_val_rx"], row["dose_unit_rx"], row["route"]) if v).strip()
    out: dict[str, Any] = {
        "resourceType": "MedicationRequest",
        "id": f"mimic-rx-{line}",
        "status": "completed" if row["stoptime"] else "unknown",
        "intent": "order",
        "medicationCodeableConcept": concept,
        "subject": _subject(row),
        "encounter": {"reference": f"Encounter/mimic-enc-{row['hadm_id']}"},
        "authoredOn": _time(row["starttime"]) if row["starttime"] else None,
        "dosageInstruction": [{"text": dose}] if dose else None,
    }
    return [{k: v for k, v in out.items() if v is not None}]


def administration(row: dict[str, str], _: Any, line: int) -> list[dict[str, Any]]:
    out: dict[str, Any] = {
        "resourceType": "MedicationAdministration",
        "id": f"mimic-emar-{row['emar_id']}",
        "status": EMAR_STATUS.get(row["event_txt"], "unknown"),
        "medicationCodeableConcept": {"text": row["medication"] or "unknown"},
        "subject": _subject(row),
        "effectiveDateTime": _time(row["charttime"]),
    }
    if row["hadm_id"]:
        out["context"] = {"reference": f"Encounter/mimic-enc-{row['hadm_id']}"}
    if row["event_txt"]:
        out["note"] = [{"text": row["event_txt"]}]
    return [out]


TABLES: tuple[tuple[str, str, Callable[..., list[dict[str, Any]]]], ...] = (
    ("patients", "hosp/patients.csv.gz", patient),
    ("admissions", "hosp/admissions.csv.gz", encounter),
    ("diagnoses_icd", "hosp/diagnoses_icd.csv.gz", condition),
    ("labevents", "hosp/labevents.csv.gz", lab),
    ("omr", "hosp/omr.csv.gz", omr),
    ("prescriptions", "hosp/prescriptions.csv.gz", prescription),
    ("emar", "hosp/emar.csv.gz", administration),
)
"""(source table, file under the demo folder, row -> resources), in import order."""


def expected_counts(folder: Path) -> dict[str, int]:
    """Resources per type the import must store, counted from the source tables (a blood-pressure row of omr
    gives two Observations)."""
    count = lambda name: sum(1 for _ in _rows(folder / name))  # noqa: E731
    bp = sum(1 for r in _rows(folder / "hosp/omr.csv.gz") if r["result_name"].startswith("Blood Pressure"))
    out = Counter({
        "Patient": count("hosp/patients.csv.gz"),
        "Encounter": count("hosp/admissions.csv.gz"),
        "Condition": count("hosp/diagnoses_icd.csv.gz"),
        "Observation": count("hosp/labevents.csv.gz") + count("hosp/omr.csv.gz") + bp,
        "MedicationRequest": count("hosp/prescriptions.csv.gz"),
        "MedicationAdministration": count("hosp/emar.csv.gz"),
    })  # fmt: skip
    if (folder / "icu/chartevents.csv.gz").exists():
        out["Observation"] += count("icu/chartevents.csv.gz")
    return dict(out)


def chart_event(row: dict[str, str], items: dict[str, str], line: int) -> list[dict[str, Any]]:
    out: dict[str, Any] = {
        "resourceType": "Observation",
        "id": f"mimic-chart-{row['stay_id']}-{row['itemid']}-{row['charttime'].replace(' ', 'T')}",
        "status": "final",
        "code": {"coding": [{"system": "http://mimic.mit.edu/fhir/mimic/CodeSystem/mimic-chartevents-d-items",
                             "code": row["itemid"], "display": items.get(row["itemid"], row["itemid"])}]},
        "subject": _subject(row),
        "effectiveDateTime": _time(row["charttime"]),
    }  # fmt: skip
    value = _number(row.get("valuenum", ""))
    if value is not None:
        out["valueQuantity"] = _quantity(value, row.get("valueuom", ""))
    else:
        out["valueString"] = row.get("value", "") or "unknown"
    return [out]


def _validate(resources: list[dict[str, Any]], table: str, line: int) -> None:
    for r in resources:
        try:
            get_fhir_model_class(r["resourceType"]).model_validate(r)
        except Exception as err:
            raise ValueError(f"{table} row {line}: {r['resourceType']}/{r['id']} is not valid FHIR: {err}") from err


def _progress(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        marks = session.exec(select(StoreMeta)).all()
    return {m.key[6:]: int(m.value) for m in marks if m.key.startswith("mimic:")}


def import_mimic(folder: Path, engine: Engine, report: Callable[[str], None] = print) -> dict[str, Any]:
    """Import the demo at ``folder`` into the store at ``engine``, resuming where an earlier run stopped.

    Returns the count report: rows read per source table and resources stored per type, next to the counts the
    source tables call for."""
    folder = Path(folder)
    if not (folder / "hosp" / "patients.csv.gz").exists():
        raise FileNotFoundError(f"{folder} is not a MIMIC-IV demo folder: no hosp/patients.csv.gz in it")
    SQLModel.metadata.create_all(engine)
    done = _progress(engine)
    labitems = {r["itemid"]: r["label"] for r in _rows(folder / "hosp/d_labitems.csv.gz")}
    admissions = {r["hadm_id"]: _time(r["admittime"]) for r in _rows(folder / "hosp/admissions.csv.gz")}
    lookups = {"diagnoses_icd": admissions, "labevents": labitems}
    if (folder / "icu/d_items.csv.gz").exists():
        lookups["chartevents"] = {r["itemid"]: r["label"] for r in _rows(folder / "icu/d_items.csv.gz")}
    rows_read: dict[str, int] = {}
    for table, name, convert in (*TABLES, ("chartevents", "icu/chartevents.csv.gz", chart_event)):
        path = folder / name
        if not path.exists():
            report(f"{table}: {name} not in {folder}; skipped")
            continue
        start, line, chunk = done.get(table, 0), 0, []
        for line, row in enumerate(_rows(path), start=1):
            if line <= start:
                continue
            made = convert(row, lookups.get(table), line)
            _validate(made, table, line)
            chunk += made
            if line % CHUNK == 0:
                _commit(engine, chunk, table, line)
                report(f"{table}: {line:,} rows")
                chunk = []
        if chunk or line > start:
            _commit(engine, chunk, table, line)
        rows_read[table] = line
        report(f"{table}: {line:,} rows done")
    stored = Store(engine).counts()
    return {"rows": rows_read, "stored": stored, "expected": expected_counts(folder)}


def _commit(engine: Engine, resources: list[dict[str, Any]], table: str, line: int) -> None:
    """Store a chunk and the table's progress in one transaction."""
    insert(engine, resources, progress=(f"mimic:{table}", str(line)))
