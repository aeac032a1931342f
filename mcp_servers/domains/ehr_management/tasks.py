"""Task generation: ``generate(split, seed, index)`` builds the task of the case of ``(split, seed, index)``.

Thirteen kinds, cycling with the index, the tier alternating every cycle (about 14 of each kind per tier in the
360-task test split). Answers are computed from the patient's resources with the rules of ``chart`` and
``protocols``; write tasks are graded on what the episode wrote, as ``submit_answer`` records it (type, code, dose,
route, infusion time, patient and, where the protocol fixes it, the time), all-or-nothing:

- ``patient_lookup``: the MRN of a name and birth date (exact; '' when nobody is registered, 1 in 5).
- ``age``: age in completed years at the record's clock (exact).
- ``record_vital`` (composite): the Observation written: LOINC code, value, UCUM unit, patient, time.
- ``latest_24h``: the most recent value of a lab within 24 hours (within half the last reported digit; -1: none).
- ``magnesium_replacement`` (composite): the magnesium acted on and the IV magnesium order the protocol calls for.
- ``average_window``: the mean of a vital sign or capillary glucose over 24/48/72 hours (within 0.05; -1: none).
- ``latest_value``: the most recent value of any observation.
- ``referral`` (composite): the orthopaedic ServiceRequest for the patient and its note, word for word.
- ``potassium_replacement`` (composite): the potassium value, the KCl dose by level and the 08:00 recheck.
- ``hba1c_recheck`` (composite): the last HbA1c, its time, and a new order when none or older than a year.
- ``admission_trend``: last minus first value of a lab during the most recent admission.
- ``first_abnormal`` (composite): the first value of a lab outside its reference range during the admission and
  its time (-1 and '' when none).
- ``medication_reconciliation`` (composite): the active drugs without a labelled indication on the active problem
  list, graded by F1.

In the unassisted tier ``summarize_observations``, ``calculate_age``, ``check_order_protocol`` and
``reconcile_medications`` are withheld: the agent reads the resources and applies the protocol from
``get_order_protocol``.
"""

from __future__ import annotations

from typing import Any

from healthgym.mcp_servers.clinic import grade_answer
from healthgym.mcp_servers.domains.ehr_management import chart
from healthgym.mcp_servers.domains.ehr_management.cases import DOMAIN, Case, build_case, resources
from healthgym.mcp_servers.domains.ehr_management.population import NOW, POPULATION_SEED, person, ts
from healthgym.mcp_servers.domains.ehr_management.protocols import (
    HBA1C_LOINC,
    HBA1C_ORDER,
    MAGNESIUM_LOINC,
    POTASSIUM_LOINC,
    PROTOCOLS,
    REFERRAL_ORDER,
    hba1c_order_due,
    magnesium_order,
    potassium_orders,
)
from healthgym.mcp_servers.domains.ehr_management.terminology import observations
from healthgym.schemas import (
    ActionSpec,
    CodeSetAnswer,
    FieldsAnswer,
    Grade,
    NumericAnswer,
    Privileged,
    Rubric,
    Source,
    Split,
    Task,
    path_step,
    task_id,
)

VERSION = "1.0.0"
COMPOSITE = frozenset({
    "record_vital", "magnesium_replacement", "referral", "potassium_replacement", "hba1c_recheck", "first_abnormal",
    "medication_reconciliation",
})  # fmt: skip
BUDGET = {
    "patient_lookup": 6, "age": 6, "record_vital": 8, "latest_24h": 8, "magnesium_replacement": 10,
    "average_window": 8, "latest_value": 8, "referral": 6, "potassium_replacement": 10, "hba1c_recheck": 10,
    "admission_trend": 10, "first_abnormal": 10, "medication_reconciliation": 12,
}  # fmt: skip
"""Tool calls per task: the reference clinician's path (at most 7) plus a few for a second look."""


def grade(task: Task, submitted: dict[str, Any] | None) -> Grade:
    """Fields graded as documented on each kind; a composite task is all-or-nothing."""
    result = grade_answer(task.answer, submitted)
    if task.composite and not result.correct and result.score > 0:
        return result.model_copy(update={"score": 0.0, "why": f"composite, all-or-nothing: {result.why}"})
    return result


def _tolerance(code: str) -> float:
    return 0.5 * 10 ** -observations()[code].decimals


def _value(value: float | None, unit: str, tolerance: float) -> NumericAnswer:
    return NumericAnswer(value=-1.0 if value is None else round(value, 6), unit=unit, tolerance=tolerance)


def _name(code: str) -> str:
    d = observations()[code]
    return f"{d.name} ({d.unit})"



def _read(tool: str, before: str, why: str, **arguments: str) -> ActionSpec:
    return ActionSpec(tool=tool, arguments=arguments, before=before, why=why)


def _question(case: Case) -> tuple[str, dict[str, Any], list[str], list[ActionSpec]]:
    """(prompt, answer fields, rationale, required actions) of a case."""
    kind, params = case.kind, case.params
    rs = resources(case.patient) if case.patient is not None else ()
    mrn = person(POPULATION_SEED, case.patient).mrn if case.patient is not None else ""
    now = ts(NOW)
    code = params.get("code", "")
    obs = lambda c: chart.series(rs, c)  # noqa: E731
    search = lambda c, before="submit_answer", **extra: _read(  # noqa: E731
        "search_resources", before, "read the record before answering", resource_type="Observation", patient=mrn,
        code=c, **extra,
    )
    if kind == "patient_lookup":
        prompt = (f"What is the MRN of the patient named {params['given']} {params['family']}, born "
                  f"{params['birthdate']}? If no such patient is registered, submit an empty mrn. Submit with "
                  "submit_answer(mrn=...).")  # fmt: skip
        why = f"find_patients(family, given, birthdate) -> {mrn or 'no patient'}"
        required = [_read("find_patients", "submit_answer", "search the patient index", family=params["family"])]
        return prompt, {"mrn": CodeSetAnswer(codes=[mrn] if mrn else [])}, [why], required
    if kind == "age":
        birth = rs[0]["birthDate"]
        age = chart.age_years(birth)
        prompt = (f"What is the age, in completed years, of patient {mrn} as of now (the record's current time)? "
                  "Submit with submit_answer(value=...).")  # fmt: skip
        required = [_read("read_resource", "submit_answer", "read the birth date", resource_type="Patient", id=mrn)]
        return prompt, {"value": NumericAnswer(value=age, unit="years", tolerance=0)}, [
            f"born {birth}, {age} completed years at {now}"], required  # fmt: skip
    if kind == "record_vital":
        d = observations()[code]
        value, when = params["value"], params["effective"]
        prompt = (f"I measured the {d.name} of patient {mrn} at {when}: {value:g} {d.unit}. Record it in the chart "
                  "as an Observation with the right LOINC code and UCUM unit, then call submit_answer().")  # fmt: skip
        sig = f"Observation {code} {value:g} {d.unit} for {mrn} at {when}"
        required = [_read("lookup_loinc", "create_observation", "find the LOINC code of the vital sign")]
        return prompt, {"orders": CodeSetAnswer(codes=[sig])}, [f"write {sig}"], required
    if kind == "latest_24h":
        points = chart.since(obs(code), 24)
        latest = points[-1] if points else None
        prompt = (f"What is the most recent {_name(code)} of patient {mrn} within the last 24 hours? If none was "
                  "measured in the last 24 hours, submit -1. Submit with submit_answer(value=...).")  # fmt: skip
        why = f"values in the 24 h before {now}: {points or 'none'}"
        return prompt, {"value": _value(latest[1] if latest else None, observations()[code].unit,
                                        _tolerance(code))}, [why], [search(code)]  # fmt: skip
    if kind == "magnesium_replacement":
        points = chart.since(obs(MAGNESIUM_LOINC), 24)
        level = points[-1][1] if points else None
        order = magnesium_order(level)
        prompt = (f"Check patient {mrn}'s last serum magnesium within the last 24 hours. If it is low, order IV "
                  "magnesium replacement by the institution's magnesium replacement protocol; if no magnesium was "
                  "measured in the last 24 hours, order nothing. Then submit the magnesium level you acted on with "
                  "submit_answer(value=...) (-1 if none in 24 hours).")  # fmt: skip
        fields = {"value": _value(level, "mg/dL", 0.05), "orders": CodeSetAnswer(codes=[order.signature(mrn)] if order
                                                                                   else [])}  # fmt: skip
        why = f"Mg in 24 h: {points or 'none'} -> {order or 'no order'}. {PROTOCOLS['magnesium_replacement']['source']}"
        return prompt, fields, [why], [search(MAGNESIUM_LOINC, "submit_answer")]
    if kind == "average_window":
        hours = params["hours"]
        points = chart.since(obs(code), hours)
        avg = chart.mean(points)
        prompt = (f"What is the average {_name(code)} of patient {mrn} over the last {hours} hours, rounded to one "
                  "decimal? If there is no value in that window, submit -1. Submit with submit_answer(value=...).")
        answer = _value(round(avg, 1) if avg is not None else None, observations()[code].unit, 0.05)
        return prompt, {"value": answer}, [f"{len(points)} values, mean {avg}"], [search(code)]
    if kind == "latest_value":
        latest = obs(code)[-1]
        prompt = (f"What is the most recent {_name(code)} of patient {mrn} in the record? Submit with "
                  "submit_answer(value=...).")  # fmt: skip
        return prompt, {"value": _value(latest[1], observations()[code].unit, _tolerance(code))}, [
            f"latest {latest}"], [search(code)]  # fmt: skip
    if kind == "referral":
        reason = params["reason"]
        prompt = (f"Order an orthopedic surgery referral for patient {mrn}. Put this free text in the referral's "
                  f'note, word for word: "{reason}" Then call submit_answer().')  # fmt: skip
        fields = {"orders": CodeSetAnswer(codes=[REFERRAL_ORDER.signature(mrn)]),
                  "referral_notes": CodeSetAnswer(codes=[reason])}  # fmt: skip
        required = [_read("get_order_protocol", "create_service_request", "the referral's code",
                          protocol="orthopedic_referral")]  # fmt: skip
        return prompt, fields, [PROTOCOLS["orthopedic_referral"]["source"]], required
    if kind == "potassium_replacement":
        points = obs(POTASSIUM_LOINC)
        level = points[-1][1] if points else None
        orders = potassium_orders(level)
        prompt = (f"Check patient {mrn}'s most recent serum potassium. If it is low, order potassium replacement by "
                  "the institution's potassium replacement protocol, paired with the protocol's morning potassium "
                  "recheck. Then submit the potassium value with submit_answer(value=...).")  # fmt: skip
        fields = {"value": _value(level, "mmol/L", 0.05), "orders": CodeSetAnswer(codes=[o.signature(mrn) for o in
                                                                                    orders])}  # fmt: skip
        why = f"latest K {points[-1] if points else None} -> {[o.signature(mrn) for o in orders] or 'no order'}"
        return prompt, fields, [why], [search(POTASSIUM_LOINC, "submit_answer")]
    if kind == "hba1c_recheck":
        points = obs(HBA1C_LOINC)
        last = points[-1] if points else None
        due = hba1c_order_due(last[0] if last else None)
        prompt = (f"What is patient {mrn}'s last HbA1c (%) and when was it measured? If none is on record or it is "
                  "more than one year old, order a new HbA1c by the institution's HbA1c recheck protocol. Submit with "
                  "submit_answer(value=..., when=<its effectiveDateTime>) (-1 and '' if none).")  # fmt: skip
        fields = {"value": _value(last[1] if last else None, "%", 0.05),
                  "when": CodeSetAnswer(codes=[last[0]] if last else []),
                  "orders": CodeSetAnswer(codes=[HBA1C_ORDER.signature(mrn)] if due else [])}  # fmt: skip
        return prompt, fields, [f"last HbA1c {last}; due: {due}"], [search(HBA1C_LOINC, "submit_answer")]
    if kind in ("admission_trend", "first_abnormal"):
        stay = chart.latest_admission(rs)
        assert stay is not None
        points = chart.during(obs(code), stay)
        required = [_read("search_resources", "submit_answer", "find the admission", resource_type="Encounter",
                          patient=mrn, code="IMP"), search(code)]  # fmt: skip
        if kind == "admission_trend":
            change = points[-1][1] - points[0][1]
            prompt = (f"During patient {mrn}'s most recent hospital admission, how much did the {_name(code)} change "
                      "from the first to the last value of the stay (last minus first)? Submit with "
                      "submit_answer(value=...).")  # fmt: skip
            answer = NumericAnswer(value=round(change, 6), unit=observations()[code].unit, tolerance=_tolerance(code))
            return prompt, {"value": answer}, [f"stay {stay['period']}: {points[0]} -> {points[-1]}"], required
        hit = chart.first_abnormal(rs, code, stay)
        prompt = (f"During patient {mrn}'s most recent hospital admission, what was the first {_name(code)} value "
                  "outside its reference range, and when was it measured? Submit with submit_answer(value=..., "
                  "when=<its effectiveDateTime>) (-1 and '' if every value was in range).")  # fmt: skip
        fields = {
            "value": _value(hit["valueQuantity"]["value"] if hit else None, observations()[code].unit,
                            _tolerance(code)),
            "when": CodeSetAnswer(codes=[hit["effectiveDateTime"]] if hit else []),
        }  # fmt: skip
        return prompt, fields, [f"first abnormal: {hit['id'] if hit else 'none'}"], required
    if kind == "medication_reconciliation":
        found = chart.unindicated_drugs(rs, rs)
        prompt = (f"Reconcile patient {mrn}'s active medications against the active problem list: which active "
                  "medications have no labelled indication among the patient's active conditions? Submit the drug "
                  "names with submit_answer(drugs=[...]) ([] if none).")  # fmt: skip
        required = [
            _read("search_resources", "submit_answer", "read the medication list", resource_type="MedicationRequest",
                  patient=mrn),
            _read("search_resources", "submit_answer", "read the problem list", resource_type="Condition",
                  patient=mrn),
        ]  # fmt: skip
        return prompt, {"drugs": CodeSetAnswer(codes=found)}, [f"unindicated: {found}"], required
    raise ValueError(f"unknown kind {kind!r}")


def generate(split: Split, seed: int, index: int) -> Task:
    """Task ``index`` of ``(split, seed)``: a pure function of its arguments."""
    case = build_case(split, seed, index)
    prompt, fields, rationale, required = _question(case)
    mrn = person(POPULATION_SEED, case.patient).mrn if case.patient is not None else ""
    parameters = {k: str(v) for k, v in case.params.items()}
    if mrn and case.kind != "patient_lookup":
        parameters["patient"] = mrn
    return Task(
        id=task_id(DOMAIN, f"{DOMAIN}.{case.kind}", split, seed, index),
        domain=DOMAIN,
        split=split,
        prompt=f"EHR task {case.case_id}. {prompt}",
        case_ref=case.case_id,
        tier=case.tier,
        composite=case.kind in COMPOSITE,
        parameters=parameters,
        answer=FieldsAnswer(fields=fields),
        privileged=Privileged(rationale=" ".join(rationale), key_evidence=[f"patient {mrn or 'not registered'}"],
                              reference_path=[path_step("get_ehr_context", case_id=case.case_id)]),  # fmt: skip
        rubric=Rubric(required_actions=required, max_tool_calls=BUDGET[case.kind]),
        source=Source(generator=f"{DOMAIN}.{case.kind}", version=VERSION),
    )


def case_record(case_id: str) -> dict[str, Any]:
    """The record behind a case id: the patient (or None), the question's parameters and the resources it asks
    about (observations of its code, or the medication and problem lists)."""
    from healthgym.mcp_servers.domains.ehr_management.cases import parse_case_id

    case = build_case(*parse_case_id(case_id))
    rs = resources(case.patient) if case.patient is not None else ()
    code = case.params.get("code")
    codes = {code} if code else {"magnesium_replacement": {MAGNESIUM_LOINC}, "potassium_replacement":
                                 {POTASSIUM_LOINC}, "hba1c_recheck": {HBA1C_LOINC}}.get(case.kind, set())  # fmt: skip
    relevant = [
        r for r in rs
        if (r["resourceType"] == "Observation" and r["code"]["coding"][0]["code"] in codes)
        or (case.kind == "medication_reconciliation" and r["resourceType"] in ("MedicationRequest", "Condition"))
        or (case.kind in ("admission_trend", "first_abnormal") and r["resourceType"] == "Encounter")
    ]  # fmt: skip
    return {"kind": case.kind, "patient": rs[0] if rs else None, "parameters": case.params, "resources": relevant}
