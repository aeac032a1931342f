"""The ehr_management tools: FHIR-shaped reads, validated writes, reference tables and decision support.

Reads go to the shared store (``store.default_store``) and to the episode's overlay: the resources this episode
wrote (``episode_state(ctx).get("resources")``), merged into every search and read as the database would filter
and sort them, and never written into the shared population. Writes build a FHIR R4 resource from flat arguments
and validate it with ``fhir.resources`` (R4B models, wire-compatible with R4 for these resources); a bad resource is
an error naming the argument and the element. ``TOOL_KINDS`` tags every tool.
"""

from __future__ import annotations

import math
from datetime import timedelta
from functools import cache
from typing import Annotated, Any, Literal

import simple_icd_10_cm as icd
from fhir.resources.R4B import get_fhir_model_class
from mcp.server.fastmcp import Context
from mcp.server.fastmcp.exceptions import ToolError
from pydantic import BaseModel, Field, ValidationError

from healthgym.mcp_servers.clinic import episode_state
from healthgym.mcp_servers.domain import ToolKind
from healthgym.mcp_servers.domains.ehr_management import chart
from healthgym.mcp_servers.domains.ehr_management.cases import parse_case_id
from healthgym.mcp_servers.domains.ehr_management.population import (
    NOW,
    POPULATION_SEED,
    POPULATION_SIZE,
    observation,
    ts,
)
from healthgym.mcp_servers.domains.ehr_management.protocols import (
    ELECTROLYTE_DRUGS,
    HBA1C_LOINC,
    HBA1C_ORDER,
    MAGNESIUM_LOINC,
    ORTHOPEDIC_REFERRAL,
    POTASSIUM_LOINC,
    PROTOCOLS,
    hba1c_order_due,
    magnesium_order,
    order_signature,
    potassium_orders,
    written_signature,
)
from healthgym.mcp_servers.domains.ehr_management.store import (
    RESOURCE_TYPES,
    Query,
    ResourceType,
    default_store,
    normalise_date,
)
from healthgym.mcp_servers.domains.ehr_management.terminology import (
    ICD10CM,
    LOINC,
    RXNORM,
    SNOMED,
    UCUM,
    drug_by_rxnorm,
    drugs,
    icd_description,
    observations,
)

CaseId = Annotated[str, Field(description="Case id of the task, such as 'EHR-5W1Q3ZK8M0RTA'.")]
PatientArg = Annotated[str, Field(description="Patient id (the MRN, e.g. 'S2000003'), as find_patients returns it.")]
LoincArg = Annotated[str, Field(description="LOINC code of the observation, e.g. '2823-3' (serum potassium).")]
DateArg = Annotated[str, Field(description="Date bound: YYYY-MM-DD or ISO date-time (UTC if no offset); '' for none.")]
MAX_SEARCH = 500


def _overlay(ctx: Context) -> list[dict[str, Any]]:
    return episode_state(ctx).get("resources")


def _search(ctx: Context, q: Query) -> tuple[int, list[dict[str, Any]]]:
    """Store and episode overlay together, filtered, sorted and cut as one result set."""
    total, stored = default_store().search(q)
    written = [r for r in _overlay(ctx) if q.matches(r)]
    merged = sorted(stored + written, key=q.sort_key, reverse=q.sort == "-date")
    return total + len(written), merged[: q.count]


def _date(value: str, name: str, bound: Literal["ge", "le"]) -> str | None:
    if not value:
        return None
    try:
        return normalise_date(value, bound)
    except (ValueError, TypeError, OverflowError):
        raise ToolError(f"{name}: {str(value)[:40]!r} is not a date; use YYYY-MM-DD or an ISO date-time") from None


def _patient(patient: str, name: str = "patient") -> dict[str, Any]:
    found = default_store().read("Patient", str(patient).strip()) if str(patient).strip() else None
    if found is None:
        raise ToolError(
            f"{name} {str(patient)[:40]!r} not found: no Patient with this id; patient ids are MRNs such as "
            "'S2000003' (find them with find_patients by name and birth date)"
        )
    return found


def _loinc(code: str, name: str = "code") -> str:
    code = str(code).strip()
    if code not in observations():
        raise ToolError(f"{name}: unknown LOINC code {code[:40]!r}; this record holds {', '.join(observations())}")
    return code


def _patient_observations(ctx: Context, pid: str, code: str, ge: str | None = None, le: str | None = None):
    q = Query("Observation", patient=pid, code=code, date_ge=ge, date_le=le, count=10_000)
    return _search(ctx, q)[1]


# --- record -----------------------------------------------------------------------------------------------------------


class EhrContext(BaseModel):
    """Where and when the task happens in the record."""

    case_id: str
    now: str = Field(description="The record's current time (UTC); 'within 24 hours' means since now - 24 h.")
    population: str
    resource_types: list[str]
    code_systems: dict[str, str]


def get_ehr_context(case_id: CaseId) -> EhrContext:
    """The context of a task in the electronic health record: the record's current time ('now', which every 'last
    24 hours' or 'next morning' counts from), the population it holds, the FHIR resource types that can be searched
    and the code systems used (LOINC with UCUM units for observations, ICD-10-CM for conditions, RxNorm for drugs)."""
    try:
        parse_case_id(case_id)
    except ValueError:
        raise ToolError(
            f"case_id {str(case_id)[:60]!r} not found: unknown case id; case ids are 'EHR-' followed by 13 base32 "
            "characters, as given in the task"
        ) from None
    return EhrContext(
        case_id=case_id,
        now=ts(NOW),
        population=f"synthetic population {POPULATION_SEED}, {POPULATION_SIZE} patients (healthgym, deterministic)",
        resource_types=list(RESOURCE_TYPES),
        code_systems={"observation": LOINC, "unit": UCUM, "condition": ICD10CM, "medication": RXNORM,
                      "procedure/referral": SNOMED},  # fmt: skip
    )


class Bundle(BaseModel):
    """A FHIR searchset, flattened: how many resources matched and the first ``count`` of them."""

    resource_type: str
    total: int
    returned: int
    resources: list[dict[str, Any]]


def search_resources(
    resource_type: Annotated[ResourceType, Field(description="FHIR resource type to search.")],
    ctx: Context,
    patient: Annotated[str, Field(description="Patient id (MRN) the resources belong to; '' for any.")] = "",
    code: Annotated[
        str,
        Field(description="Code to match: LOINC (Observation, ServiceRequest), ICD-10-CM (Condition), RxNorm "
              "(MedicationRequest/Administration), SNOMED (Procedure), class IMP/AMB (Encounter); '' for any."),
    ] = "",  # fmt: skip
    date_ge: DateArg = "",
    date_le: DateArg = "",
    status: Annotated[
        str, Field(description="Status to match (e.g. final, active, resolved, in-progress, finished); '' for any.")
    ] = "",
    sort: Annotated[Literal["date", "-date"], Field(description="'date' oldest first, '-date' newest first.")] = "date",
    count: Annotated[int, Field(ge=1, le=MAX_SEARCH, description="Most resources to return (1-500).")] = 50,
) -> Bundle:
    """Search the record like a FHIR server (GET [type]?patient=&code=&date=ge..&date=le..&status=&_sort=&_count=).
    The date is the resource's clinical date: Observation effectiveDateTime, Encounter period.start, Condition
    onset, MedicationRequest authoredOn, ServiceRequest occurrence (else authoredOn), Procedure performed,
    AllergyIntolerance recordedDate. Includes what this episode has written. Returns the total and full resources."""
    q = Query(
        resource_type=resource_type,
        patient=str(patient).strip() or None,
        code=str(code).strip() or None,
        date_ge=_date(date_ge, "date_ge", "ge"),
        date_le=_date(date_le, "date_le", "le"),
        status=str(status).strip() or None,
        sort=sort,
        count=count,
    )
    total, found = _search(ctx, q)
    return Bundle(resource_type=resource_type, total=total, returned=len(found), resources=found)


class ResourceRead(BaseModel):
    resource_type: str
    id: str
    resource: dict[str, Any]


def read_resource(
    resource_type: Annotated[ResourceType, Field(description="FHIR resource type.")],
    id: Annotated[str, Field(description="The resource's id, e.g. 'obs-S2000003-12' or 'S2000003' for a Patient.")],
    ctx: Context,
) -> ResourceRead:
    """Read one resource by type and id (GET [type]/[id]), including resources written in this episode."""
    rid = str(id).strip()
    found = next((r for r in _overlay(ctx) if r["resourceType"] == resource_type and r["id"] == rid), None)
    found = found or default_store().read(resource_type, rid)
    if found is None:
        raise ToolError(f"id {rid[:60]!r} not found: no {resource_type} with this id")
    return ResourceRead(resource_type=resource_type, id=rid, resource=found)


class PatientMatches(BaseModel):
    total: int
    patients: list[dict[str, Any]]


def find_patients(
    family: Annotated[str, Field(description="Family name, exact, any case; '' for any.")] = "",
    given: Annotated[str, Field(description="Given name, exact, any case; '' for any.")] = "",
    birthdate: Annotated[str, Field(description="Birth date YYYY-MM-DD; '' for any.")] = "",
    identifier: Annotated[str, Field(description="MRN; '' for any.")] = "",
) -> PatientMatches:
    """Find Patient resources by name, birth date and MRN (GET Patient?family=&given=&birthdate=&identifier=); all
    given criteria must match. An empty result means no such patient is registered. At most 50 are returned."""
    if not any(str(v).strip() for v in (family, given, birthdate, identifier)):
        raise ToolError("family, given, birthdate or identifier: give at least one search criterion")
    if str(birthdate).strip():
        try:
            normalise_date(str(birthdate).strip()[:10], "ge")
        except ValueError:
            raise ToolError(f"birthdate: {str(birthdate)[:40]!r} is not a date YYYY-MM-DD") from None
    found = default_store().find_patients(str(family), str(given), str(birthdate), str(identifier))
    return PatientMatches(total=len(found), patients=found)


# --- reference --------------------------------------------------------------------------------------------------------


class LoincEntry(BaseModel):
    loinc: str
    name: str
    display: str
    category: str
    unit: str = Field(description="UCUM unit the record reports it in.")
    source: str


class LoincMatches(BaseModel):
    matches: list[LoincEntry]


def lookup_loinc(
    query: Annotated[str, Field(description="Words of the test's name ('potassium', 'glucose') or a LOINC code.")],
) -> LoincMatches:
    """Look up the LOINC codes this record uses (labs and vital signs) by name or code, with their UCUM units.
    Source: LOINC 2.78 (Regenstrief Institute)."""
    words = str(query).lower().split()
    if not words:
        raise ToolError("query: give a name or a LOINC code")
    hits = [
        LoincEntry(loinc=d.loinc, name=d.name, display=d.display, category=d.category, unit=d.unit, source=d.source)
        for d in observations().values()
        if d.loinc in words or all(w in f"{d.name} {d.display}".lower() for w in words)
    ]
    return LoincMatches(matches=hits)


class IcdEntry(BaseModel):
    code: str
    description: str
    billable: bool
    parent: str


class IcdMatches(BaseModel):
    matches: list[IcdEntry]
    source: str = "ICD-10-CM (CDC/NCHS), via simple-icd-10-cm"


def _icd_entry(code: str) -> IcdEntry:
    return IcdEntry(
        code=icd.add_dot(code), description=icd.get_description(code), billable=icd.is_leaf(code),
        parent=icd.add_dot(icd.get_parent(code)) if icd.get_parent(code) else "",
    )  # fmt: skip


def lookup_icd10cm(
    query: Annotated[str, Field(description="An ICD-10-CM code ('E11.9') or words of a description ('hypokalemia').")],
) -> IcdMatches:
    """Look up ICD-10-CM: a code gives its description, whether it is billable and its parent; words give the codes
    whose description contains all of them (at most 25, shortest codes first)."""
    text = str(query).strip()
    if not text or len(text) > 200:
        raise ToolError("query: give an ICD-10-CM code or 1-200 characters of description")
    if icd.is_valid_item(text.upper()):
        return IcdMatches(matches=[_icd_entry(text.upper())])
    words = text.lower().split()
    hits = [c for c, text in _icd_codes().items() if all(w in text for w in words)]
    return IcdMatches(matches=[_icd_entry(c) for c in sorted(hits, key=lambda c: (len(c), c))[:25]])


@cache
def _icd_codes() -> dict[str, str]:
    """Every ICD-10-CM code (undotted) -> its description in lower case, for word search."""
    return {c: icd.get_description(c).lower() for c in icd.get_all_codes(with_dots=False)}


class ReferenceRange(BaseModel):
    loinc: str
    name: str
    sex: str
    low: float | None
    high: float | None
    unit: str
    source: str


def get_reference_range(
    code: LoincArg,
    sex: Annotated[Literal["male", "female"], Field(description="Patient's sex (Patient.gender).")],
) -> ReferenceRange:
    """The adult reference interval of an observation for a sex (Tietz adult intervals for labs, NEWS2 zero-score
    bands for vital signs, ADA for HbA1c and capillary glucose), the same interval stored in each Observation's
    referenceRange. A value outside it is abnormal."""
    d = observations()[_loinc(code)]
    low, high = d.interval(sex)
    return ReferenceRange(loinc=d.loinc, name=d.name, sex=sex, low=low, high=high, unit=d.unit, source=d.source)


class Protocol(BaseModel):
    protocol: str
    title: str
    trigger: str
    dosing: list[str]
    order_fields: str = Field(description="How to write the order with the create tools.")
    source: str


ProtocolName = Literal["magnesium_replacement", "potassium_replacement", "hba1c_recheck", "orthopedic_referral"]


def get_order_protocol(
    protocol: Annotated[ProtocolName, Field(description="Order protocol name.")],
) -> Protocol:
    """An institutional order protocol: when it applies, the dose by level, the timing of rechecks, how to write the
    orders, and its source (MedAgentBench's standing orders; ADA 2025 for HbA1c)."""
    return Protocol(protocol=protocol, **PROTOCOLS[protocol])


class DrugInfo(BaseModel):
    name: str
    rxnorm: str
    usual_dose: str
    indications: list[str] = Field(description="ICD-10-CM code prefixes of the labelled indications, described.")
    source: str


def get_drug_indications(
    drug: Annotated[str, Field(description="Drug name ('metformin') or RxNorm ingredient code ('6809').")],
) -> DrugInfo:
    """A drug's labelled indications as ICD-10-CM code prefixes (a condition whose code starts with one is an
    indication), its RxNorm ingredient code and usual dose. Source: FDA labelling (Indications and Usage)."""
    key = str(drug).strip().lower()
    found = drugs().get(key) or drug_by_rxnorm(key)
    if found is None:
        raise ToolError(f"drug {str(drug)[:40]!r} not found; known drugs: {', '.join(sorted(drugs()))}")
    return DrugInfo(
        name=found.name, rxnorm=found.rxnorm, usual_dose=found.dose,
        indications=[f"{p}: {icd_description(p) or 'ICD-10-CM category'}" for p in found.indications],
        source=found.source,
    )  # fmt: skip


# --- decision support -------------------------------------------------------------------------------------------------


class Point(BaseModel):
    time: str
    value: float


class ObservationSummary(BaseModel):
    """Arithmetic over one observation's values in a window."""

    patient: str
    code: str
    unit: str
    count: int
    first: Point | None
    latest: Point | None
    mean: float | None
    minimum: float | None
    maximum: float | None
    change: float | None = Field(description="latest - first.")
    first_abnormal: Point | None = Field(description="Earliest value outside its reference range.")


def summarize_observations(
    patient: PatientArg, code: LoincArg, ctx: Context, date_ge: DateArg = "", date_le: DateArg = ""
) -> ObservationSummary:
    """Summarise a patient's values of one observation in a date window: count, first, latest, mean, minimum,
    maximum, change (latest - first) and the first value outside the observation's reference range (FHIR
    Observation.referenceRange). For 'last 24 hours' pass date_ge = now - 24 h (see get_ehr_context)."""
    pid, code = _patient(patient)["id"], _loinc(code)
    found = _patient_observations(ctx, pid, code, _date(date_ge, "date_ge", "ge"), _date(date_le, "date_le", "le"))
    points = chart.series(found, code)
    abnormal = None
    if points:
        span = {"resourceType": "Encounter", "period": {"start": points[0][0], "end": points[-1][0]}}
        hit = chart.first_abnormal(found, code, span)
        abnormal = Point(time=hit["effectiveDateTime"], value=hit["valueQuantity"]["value"]) if hit else None
    values = [v for _, v in points]
    return ObservationSummary(
        patient=pid, code=code, unit=observations()[code].unit, count=len(points),
        first=Point(time=points[0][0], value=points[0][1]) if points else None,
        latest=Point(time=points[-1][0], value=points[-1][1]) if points else None,
        mean=chart.mean(points), minimum=min(values, default=None), maximum=max(values, default=None),
        change=round(points[-1][1] - points[0][1], 6) if points else None, first_abnormal=abnormal,
    )  # fmt: skip


class Age(BaseModel):
    patient: str
    birth_date: str
    as_of: str
    age_years: int


def calculate_age(patient: PatientArg) -> Age:
    """The patient's age in completed years at the record's current time."""
    p = _patient(patient)
    return Age(patient=p["id"], birth_date=p["birthDate"], as_of=ts(NOW), age_years=chart.age_years(p["birthDate"]))


class OrderSpec(BaseModel):
    resource_type: str
    code: str
    display: str
    dose_value: float
    dose_unit: str
    route: str
    duration_hours: float
    occurrence: str


class ProtocolCheck(BaseModel):
    patient: str
    protocol: str
    level: Point | None = Field(description="The result the protocol acts on (None: none in its window).")
    applies: bool
    orders: list[OrderSpec]
    rule: str
    source: str


def _spec(order) -> OrderSpec:
    return OrderSpec(**{k: getattr(order, k) for k in OrderSpec.model_fields})


def check_order_protocol(
    patient: PatientArg,
    protocol: Annotated[
        Literal["magnesium_replacement", "potassium_replacement", "hba1c_recheck"],
        Field(description="Protocol to apply to the patient's results."),
    ],
    ctx: Context,
) -> ProtocolCheck:
    """Apply an order protocol to the patient's results: the result it acts on (magnesium within 24 h, the most
    recent potassium, the last HbA1c), whether it applies and the orders it calls for, with dose and timing."""
    pid = _patient(patient)["id"]
    if protocol == "magnesium_replacement":
        points = chart.since(chart.series(_patient_observations(ctx, pid, MAGNESIUM_LOINC), MAGNESIUM_LOINC), 24)
        level = points[-1] if points else None
        orders = [o for o in [magnesium_order(level[1] if level else None)] if o]
    elif protocol == "potassium_replacement":
        points = chart.series(_patient_observations(ctx, pid, POTASSIUM_LOINC), POTASSIUM_LOINC)
        level = points[-1] if points else None
        orders = potassium_orders(level[1] if level else None)
    else:
        points = chart.series(_patient_observations(ctx, pid, HBA1C_LOINC), HBA1C_LOINC)
        level = points[-1] if points else None
        orders = [HBA1C_ORDER] if hba1c_order_due(level[0] if level else None) else []
    info = PROTOCOLS[protocol]
    return ProtocolCheck(
        patient=pid, protocol=protocol, level=Point(time=level[0], value=level[1]) if level else None,
        applies=bool(orders), orders=[_spec(o) for o in orders], rule=f"{info['trigger']}; {'; '.join(info['dosing'])}",
        source=info["source"],
    )  # fmt: skip


class Reconciliation(BaseModel):
    patient: str
    active_medications: list[str]
    active_problems: list[str]
    unindicated: list[str] = Field(description="Active drugs with no labelled indication on the active problem list.")
    source: str


def reconcile_medications(patient: PatientArg, ctx: Context) -> Reconciliation:
    """Reconcile the active medication list with the active problem list: each active drug whose labelled
    indications (ICD-10-CM prefixes) match no active condition is flagged (Joint Commission NPSG.03.06.01)."""
    pid = _patient(patient)["id"]
    meds = _search(ctx, Query("MedicationRequest", patient=pid, status="active", count=MAX_SEARCH))[1]
    conds = _search(ctx, Query("Condition", patient=pid, count=MAX_SEARCH))[1]
    codes = [m["medicationCodeableConcept"]["coding"][0]["code"] for m in meds]
    names = sorted({d.name for c in codes if (d := drug_by_rxnorm(c)) is not None})
    return Reconciliation(
        patient=pid, active_medications=names, active_problems=chart.active_problem_codes(conds),
        unindicated=chart.unindicated_drugs(meds, conds),
        source="Joint Commission NPSG.03.06.01; FDA labelling (indications)",
    )  # fmt: skip


# --- writes -----------------------------------------------------------------------------------------------------------


class Written(BaseModel):
    """The resource as stored in this episode."""

    resource_type: str
    id: str
    resource: dict[str, Any]


def _finite(value: float, name: str) -> float:
    if not isinstance(value, int | float) or not math.isfinite(value):
        raise ToolError(f"{name}: {value!r} is not a finite number")
    return float(value)


def _store_write(ctx: Context, resource: dict[str, Any], params: dict[str, str]) -> Written:
    """Validate ``resource`` with fhir.resources and add it to the episode overlay. ``params`` maps element paths
    to the argument that fills them, so an invalid element is reported under its argument's name."""
    try:
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    except ValidationError as err:
        first = err.errors()[0]
        element = ".".join(str(p) for p in first["loc"])
        param = next((a for path, a in params.items() if element.startswith(path)), next(iter(params.values())))
        raise ToolError(f"{param}: invalid {resource['resourceType']}.{element}: {first['msg']}") from None
    state = episode_state(ctx)
    resource["id"] = f"{resource['id']}-{len(state.get('resources')) + 1}"
    state.add("resources", resource)
    return Written(resource_type=resource["resourceType"], id=resource["id"], resource=resource)


def create_observation(
    patient: PatientArg,
    code: LoincArg,
    value: Annotated[float, Field(description="Measured value, in the unit of the LOINC code (see lookup_loinc).")],
    unit: Annotated[str, Field(description="UCUM unit, e.g. '/min', 'mm[Hg]', 'Cel', '%', 'kg'.")],
    effective: Annotated[str, Field(description="When it was measured: ISO date-time, e.g. '2025-06-01T07:45:00Z'.")],
    ctx: Context,
) -> Written:
    """Record an observation (POST Observation): a final Observation of the LOINC code with a UCUM valueQuantity,
    the reference range of the patient's sex, and the measurement time. Validated against FHIR R4; written to this
    episode only."""
    p, code = _patient(patient), _loinc(code)
    value = _finite(value, "value")
    if unit != observations()[code].unit:
        raise ToolError(f"unit: {str(unit)[:20]!r} is not the UCUM unit of {code}; use {observations()[code].unit!r}")
    when = _date(effective, "effective", "ge")
    if when is None or len(str(effective).strip()) <= 10:
        raise ToolError("effective: give the measurement's date-time, e.g. '2025-06-01T07:45:00Z'")
    moment = chart.parse_instant(when)
    resource = observation("obs-ep", p["id"], code, value, moment, p["gender"], None)
    return _store_write(ctx, resource, {"valueQuantity": "value", "effective": "effective", "subject": "patient",
                                        "code": "code"})  # fmt: skip


ORDERABLE_DRUGS = {**{d.rxnorm: d.name for d in drugs().values()}, **ELECTROLYTE_DRUGS}
DOSE_UNITS = ("g", "mg", "meq", "mcg")
ROUTES = ("oral", "intravenous", "subcutaneous", "inhaled")


def create_medication_request(
    patient: PatientArg,
    medication: Annotated[str, Field(description="RxNorm ingredient code, e.g. '8591' (potassium chloride).")],
    dose_value: Annotated[float, Field(description="Dose per administration.")],
    dose_unit: Annotated[Literal["g", "mg", "meq", "mcg"], Field(description="UCUM dose unit.")],
    route: Annotated[Literal["oral", "intravenous", "subcutaneous", "inhaled"], Field(description="Route.")],
    ctx: Context,
    duration_hours: Annotated[
        float, Field(ge=0, le=72, description="Infusion time in hours for an IV dose; 0 if not an infusion.")
    ] = 0.0,
    note: Annotated[str, Field(max_length=2000, description="Free-text note; '' for none.")] = "",
) -> Written:
    """Place a medication order (POST MedicationRequest, status active, intent order) with dose, route and infusion
    time. Validated against FHIR R4; written to this episode only."""
    p = _patient(patient)
    code = str(medication).strip()
    if code not in ORDERABLE_DRUGS:
        known = ", ".join(f"{k} ({v})" for k, v in sorted(ORDERABLE_DRUGS.items()))
        raise ToolError(f"medication: unknown RxNorm code {code[:20]!r}; orderable: {known}")
    dose = _finite(dose_value, "dose_value")
    if dose <= 0:
        raise ToolError(f"dose_value: {dose:g} must be positive")
    dosage: dict[str, Any] = {
        "route": {"text": route},
        "doseAndRate": [{"doseQuantity": {"value": dose, "unit": dose_unit, "system": UCUM, "code": dose_unit}}],
    }
    if duration_hours:
        dosage["timing"] = {"repeat": {"duration": _finite(duration_hours, "duration_hours"), "durationUnit": "h"}}
    resource: dict[str, Any] = {
        "resourceType": "MedicationRequest",
        "id": "mr-ep",
        "status": "active",
        "intent": "order",
        "medicationCodeableConcept": {"coding": [{"system": RXNORM, "code": code, "display": ORDERABLE_DRUGS[code]}]},
        "subject": {"reference": f"Patient/{p['id']}"},
        "authoredOn": ts(NOW),
        "dosageInstruction": [dosage],
    }
    if note:
        resource["note"] = [{"text": str(note)}]
    return _store_write(ctx, resource, {"dosageInstruction": "dose_value", "subject": "patient",
                                        "medication": "medication", "note": "note"})  # fmt: skip


def create_service_request(
    patient: PatientArg,
    code: Annotated[str, Field(description="LOINC code of a test, or SNOMED CT code of a referral.")],
    code_system: Annotated[Literal["loinc", "snomed"], Field(description="Code system of `code`.")],
    ctx: Context,
    occurrence: Annotated[str, Field(description="When it should happen: ISO date-time; '' for now.")] = "",
    note: Annotated[str, Field(max_length=2000, description="Free-text reason or instructions; '' for none.")] = "",
) -> Written:
    """Order a test or a referral (POST ServiceRequest, status active, intent order): a lab by LOINC code at an
    optional time, or an orthopaedic referral (SNOMED CT 306181000000106) with its reason as the note. Validated
    against FHIR R4; written to this episode only."""
    p = _patient(patient)
    code = str(code).strip()
    if code_system == "loinc":
        _loinc(code)
        coding = {"system": LOINC, "code": code, "display": observations()[code].display}
    elif code == ORTHOPEDIC_REFERRAL[0]:
        coding = {"system": SNOMED, "code": code, "display": ORTHOPEDIC_REFERRAL[1]}
    else:
        raise ToolError(f"code: SNOMED CT {code[:30]!r} is not orderable here; referrals: {ORTHOPEDIC_REFERRAL[0]}")
    resource: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "id": "sr-ep",
        "status": "active",
        "intent": "order",
        "code": {"coding": [coding]},
        "subject": {"reference": f"Patient/{p['id']}"},
        "authoredOn": ts(NOW),
    }
    when = _date(occurrence, "occurrence", "ge")
    if when is not None:
        if when < ts(NOW - timedelta(hours=1)):
            raise ToolError(f"occurrence: {occurrence[:40]!r} is in the past (now is {ts(NOW)})")
        resource["occurrenceDateTime"] = when
    if note:
        resource["note"] = [{"text": str(note)}]
    return _store_write(ctx, resource, {"occurrence": "occurrence", "subject": "patient", "code": "code",
                                        "note": "note"})  # fmt: skip


class Submission(BaseModel):
    """The submitted answer, with the episode's writes as they stand at submission."""

    mrn: str
    value: float
    when: str
    drugs: list[str]
    orders: list[str] = Field(description="Orders and observations written in this episode, as graded.")
    referral_notes: list[str] = Field(description="Notes of the referrals written in this episode.")


def submit_answer(
    ctx: Context,
    mrn: Annotated[str, Field(max_length=100, description="The MRN found; '' when not asked or not found.")] = "",
    value: Annotated[
        float, Field(description="The number asked for (value, age, mean, change); -1 when there is none.")
    ] = -1.0,
    when: Annotated[str, Field(max_length=100, description="Date-time asked for, as in the record; '' if none.")] = "",
    drugs: Annotated[list[str], Field(description="Drug names asked for; [] if none.")] = [],  # noqa: B006
) -> Submission:
    """Submit the final answer once: fill the fields the task asks for and leave the others at their defaults. The
    orders are not arguments: the submission records every order and observation written in this episode (type,
    code, dose, route, timing, patient) as it stands now. A second submission is refused."""
    state = episode_state(ctx)
    if state.submitted is not None:
        raise ToolError("submit_answer: an answer was already submitted in this episode; mrn, value and the other "
                        "fields cannot be changed")  # fmt: skip
    if not math.isfinite(value):
        raise ToolError(f"value: {value!r} is not a finite number")
    written = state.get("resources")
    orders = []
    for r in written:
        if r["resourceType"] == "Observation":
            pid = r["subject"]["reference"].split("/", 1)[1]
            q = r["valueQuantity"]
            orders.append(f"Observation {r['code']['coding'][0]['code']} {q['value']:g} {q['code']} for {pid} "
                          f"at {r['effectiveDateTime']}")  # fmt: skip
        else:
            orders.append(written_signature(r))
    notes = [n["text"] for r in written if r["resourceType"] == "ServiceRequest" for n in r.get("note", [])
             if r["code"]["coding"][0]["code"] == ORTHOPEDIC_REFERRAL[0]]  # fmt: skip
    answer = Submission(mrn=str(mrn).strip(), value=value, when=str(when).strip(),
                        drugs=[str(d)[:100] for d in drugs][:50], orders=orders, referral_notes=notes)  # fmt: skip
    state.submitted = answer.model_dump()
    return answer


TOOLS = [
    get_ehr_context, search_resources, read_resource, find_patients, lookup_loinc, lookup_icd10cm,
    get_reference_range, get_order_protocol, get_drug_indications, summarize_observations, calculate_age,
    check_order_protocol, reconcile_medications, create_observation, create_medication_request,
    create_service_request, submit_answer,
]  # fmt: skip
TOOL_KINDS: dict[str, ToolKind] = {
    "get_ehr_context": "record",
    "search_resources": "record",
    "read_resource": "record",
    "find_patients": "record",
    "lookup_loinc": "reference",
    "lookup_icd10cm": "reference",
    "get_reference_range": "reference",
    "get_order_protocol": "reference",
    "get_drug_indications": "reference",
    "summarize_observations": "decision_support",
    "calculate_age": "decision_support",
    "check_order_protocol": "decision_support",
    "reconcile_medications": "decision_support",
    "create_observation": "write",
    "create_medication_request": "write",
    "create_service_request": "write",
    "submit_answer": "write",
}
"""Kind of every tool (see ``ToolKind``): the decision-support ones are withheld in the unassisted tier."""

__all__ = ["TOOLS", "TOOL_KINDS", "order_signature"]
