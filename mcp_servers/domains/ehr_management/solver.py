"""The reference clinician: works the task from the prompt, the case id and the tools, as a clinician works an EHR.

It reads the record's clock (``get_ehr_context``), finds the patient, searches the resources the question needs,
and in the assisted tier takes the arithmetic and the protocol decision from the decision-support tools. In the
unassisted tier those are withheld: it reads the protocol with ``get_order_protocol`` (and drug indications with
``get_drug_indications``) and applies the same rules (``chart``, ``protocols``) to the resources the searches
returned. Orders are written with the create tools, then the answer is submitted.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from healthgym.mcp_servers.domain import Solver, TaskView
from healthgym.mcp_servers.domains.ehr_management import chart
from healthgym.mcp_servers.domains.ehr_management.population import ts
from healthgym.mcp_servers.domains.ehr_management.protocols import (
    HBA1C_LOINC,
    HBA1C_ORDER,
    MAGNESIUM_LOINC,
    ORTHOPEDIC_REFERRAL,
    POTASSIUM_LOINC,
    Order,
    hba1c_order_due,
    magnesium_order,
    potassium_orders,
)
from healthgym.schemas import ToolCall


def _search(resource_type: str, patient: str, code: str = "", **extra: Any) -> ToolCall:
    args = {"resource_type": resource_type, "patient": patient, **({"code": code} if code else {}), **extra}
    return ToolCall(name="search_resources", arguments=args)


def _order_call(patient: str, order: dict[str, Any]) -> ToolCall:
    if order["resource_type"] == "MedicationRequest":
        return ToolCall(name="create_medication_request", arguments={
            "patient": patient, "medication": order["code"], "dose_value": order["dose_value"],
            "dose_unit": order["dose_unit"], "route": order["route"], "duration_hours": order["duration_hours"],
        })  # fmt: skip
    args = {"patient": patient, "code": order["code"], "code_system": "loinc"}
    if order["occurrence"]:
        args["occurrence"] = order["occurrence"]
    return ToolCall(name="create_service_request", arguments=args)


def _as_dict(order: Order) -> dict[str, Any]:
    return {k: getattr(order, k) for k in ("resource_type", "code", "dose_value", "dose_unit", "route",
                                           "duration_hours", "occurrence")}  # fmt: skip


def solve(view: TaskView) -> Solver:
    prompt, assisted = view.prompt, view.tier == "assisted"
    context = yield ToolCall(name="get_ehr_context", arguments={"case_id": view.case_ref})
    now = chart.parse_instant(context["now"])
    answer: dict[str, Any] = {}
    named = re.search(r"patient named (\S+) (\S+), born (\d{4}-\d{2}-\d{2})", prompt)
    if named:
        given, family, born = named.groups()
        found = yield ToolCall(name="find_patients", arguments={"family": family, "given": given, "birthdate": born})
        answer["mrn"] = found["patients"][0]["id"] if found.get("patients") else ""
        yield ToolCall(name="submit_answer", arguments=answer)
        return
    mrn = re.search(r"patient (S\d{7})", prompt).group(1)

    def code_of(name: str):
        hits = yield ToolCall(name="lookup_loinc", arguments={"query": name})
        return next(m["loinc"] for m in hits["matches"] if m["name"] == name)

    if "age, in completed years" in prompt:
        patient = yield ToolCall(name="read_resource", arguments={"resource_type": "Patient", "id": mrn})
        if assisted:
            answer["value"] = (yield ToolCall(name="calculate_age", arguments={"patient": mrn}))["age_years"]
        else:
            answer["value"] = chart.age_years(patient["resource"]["birthDate"], now)
    elif measured := re.search(r"I measured the (.+?) of patient \S+ at (\S+): (\S+) (\S+)\.", prompt):
        name, when, value, unit = measured.groups()
        code = yield from code_of(name)
        yield ToolCall(name="create_observation", arguments={
            "patient": mrn, "code": code, "value": float(value), "unit": unit, "effective": when,
        })  # fmt: skip
    elif "magnesium replacement protocol" in prompt:
        since = ts(now - timedelta(hours=24))
        found = yield _search("Observation", mrn, MAGNESIUM_LOINC, date_ge=since, sort="-date", count=1)
        level = found["resources"][0]["valueQuantity"]["value"] if found["resources"] else None
        orders = yield from _protocol(mrn, "magnesium_replacement", assisted,
                                      [_as_dict(o) for o in [magnesium_order(level)] if o])  # fmt: skip
        for order in orders:
            yield _order_call(mrn, order)
        answer["value"] = -1 if level is None else level
    elif "potassium replacement protocol" in prompt:
        found = yield _search("Observation", mrn, POTASSIUM_LOINC, sort="-date", count=1)
        level = found["resources"][0]["valueQuantity"]["value"] if found["resources"] else None
        orders = yield from _protocol(mrn, "potassium_replacement", assisted,
                                      [_as_dict(o) for o in potassium_orders(level, now)])  # fmt: skip
        for order in orders:
            yield _order_call(mrn, order)
        answer["value"] = -1 if level is None else level
    elif "HbA1c recheck protocol" in prompt:
        found = yield _search("Observation", mrn, HBA1C_LOINC, sort="-date", count=1)
        last = found["resources"][0] if found["resources"] else None
        due = hba1c_order_due(last["effectiveDateTime"] if last else None, now)
        orders = yield from _protocol(mrn, "hba1c_recheck", assisted, [_as_dict(HBA1C_ORDER)] if due else [])
        for order in orders:
            yield _order_call(mrn, order)
        answer["value"] = last["valueQuantity"]["value"] if last else -1
        answer["when"] = last["effectiveDateTime"] if last else ""
    elif reason := re.search(r'word for word: "(.*)" Then', prompt):
        yield ToolCall(name="get_order_protocol", arguments={"protocol": "orthopedic_referral"})
        yield ToolCall(name="create_service_request", arguments={
            "patient": mrn, "code": ORTHOPEDIC_REFERRAL[0], "code_system": "snomed", "note": reason.group(1),
        })  # fmt: skip
    elif "Reconcile" in prompt:
        meds = yield _search("MedicationRequest", mrn, status="active", count=500)
        conditions = yield _search("Condition", mrn, count=500)
        if assisted:
            answer["drugs"] = (yield ToolCall(name="reconcile_medications", arguments={"patient": mrn}))["unindicated"]
        else:
            for name in sorted({m["medicationCodeableConcept"]["coding"][0]["display"] for m in meds["resources"]}):
                yield ToolCall(name="get_drug_indications", arguments={"drug": name})
            answer["drugs"] = chart.unindicated_drugs(meds["resources"], conditions["resources"])
    else:
        asked = re.search(r"(?:most recent|average|first|did the) ([a-z0-9 ]+?) \(", prompt)
        code = yield from code_of(asked.group(1))
        if "hospital admission" in prompt:
            stays = yield _search("Encounter", mrn, "IMP", sort="-date", count=1)
            stay = stays["resources"][0]
            window = {"date_ge": stay["period"]["start"], **({"date_le": stay["period"]["end"]}
                                                            if "end" in stay["period"] else {})}  # fmt: skip
            found = yield _search("Observation", mrn, code, count=500, **window)
            if assisted:
                summary = yield ToolCall(name="summarize_observations", arguments={"patient": mrn, "code": code,
                                                                                   **window})  # fmt: skip
                if "change" in prompt:
                    answer["value"] = summary["change"]
                else:
                    hit = summary["first_abnormal"]
                    answer.update(value=hit["value"], when=hit["time"]) if hit else answer.update(value=-1, when="")
            elif "change" in prompt:
                points = chart.series(found["resources"], code)
                answer["value"] = round(points[-1][1] - points[0][1], 6)
            else:
                hit = chart.first_abnormal(found["resources"], code, stay)
                answer["value"] = hit["valueQuantity"]["value"] if hit else -1
                answer["when"] = hit["effectiveDateTime"] if hit else ""
        else:
            hours = re.search(r"last (\d+) hours", prompt)
            window = {"date_ge": ts(now - timedelta(hours=int(hours.group(1))))} if hours else {}
            found = yield _search("Observation", mrn, code, count=500, **window)
            points = chart.series(found["resources"], code)
            if "average" in prompt:
                if assisted:
                    summary = yield ToolCall(name="summarize_observations", arguments={"patient": mrn, "code": code,
                                                                                       **window})  # fmt: skip
                    mean = summary["mean"]
                else:
                    mean = chart.mean(points)
                answer["value"] = -1 if mean is None else round(mean, 1)
            else:
                answer["value"] = points[-1][1] if points else -1
    yield ToolCall(name="submit_answer", arguments=answer)


def _protocol(mrn: str, protocol: str, assisted: bool, own: list[dict[str, Any]]):
    """The protocol's orders: from ``check_order_protocol`` when assisted, else the protocol text read and applied
    (``own``, computed by the caller with the protocol's rule from the level it read)."""
    if assisted:
        result = yield ToolCall(name="check_order_protocol", arguments={"patient": mrn, "protocol": protocol})
        return result["orders"]
    yield ToolCall(name="get_order_protocol", arguments={"protocol": protocol})
    return own
