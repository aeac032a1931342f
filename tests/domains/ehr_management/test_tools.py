"""The EHR tools: validated writes with errors naming the argument, and the safety rules on writes."""

from __future__ import annotations

import pytest
from mcp.server.fastmcp.exceptions import ToolError

from healthgym.mcp_servers.domain import tasks
from healthgym.mcp_servers.domains import get_domain
from healthgym.mcp_servers.domains.ehr_management.population import patient_chart
from healthgym.mcp_servers.domains.ehr_management.tools import _store_write
from healthgym.mcp_servers.inprocess import InProcessSession
from healthgym.schemas import ToolCall

MRN = patient_chart(0, 0)[0]["id"]


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        ({"unit": "bpm"}, "unit"),
        ({"effective": "yesterday"}, "effective"),
        ({"effective": "2025-06-01"}, "effective"),
        ({"patient": "S0000000"}, "patient"),
        ({"code": "1234-5"}, "code"),
    ],
)
def test_bad_observations_are_errors_naming_the_argument(session: InProcessSession, arguments, named) -> None:
    good = {"patient": MRN, "code": "8867-4", "value": 80, "unit": "/min", "effective": "2025-06-01T07:00:00Z"}
    result = session.call_tool("create_observation", {**good, **arguments})
    assert result.is_error and result.text.split("Error executing tool create_observation: ")[-1].startswith(named)


def test_an_invalid_fhir_element_is_reported_under_its_argument(session: InProcessSession) -> None:
    bad = {"resourceType": "ServiceRequest", "id": "sr-ep", "status": "active", "intent": "order",
           "code": {"coding": [{"system": "http://loinc.org", "code": "4548-4"}]},
           "subject": {"reference": f"Patient/{MRN}"}, "occurrenceDateTime": "next tuesday"}  # fmt: skip
    with pytest.raises(ToolError, match=r"^occurrence: invalid ServiceRequest\.occurrenceDateTime"):
        _store_write(session._context, bad, {"occurrence": "occurrence", "subject": "patient"})


def test_orders_are_recorded_in_the_submission(session: InProcessSession) -> None:
    written = session.call_tool("create_medication_request", {
        "patient": MRN, "medication": "6585", "dose_value": 2, "dose_unit": "g", "route": "intravenous",
        "duration_hours": 2,
    })  # fmt: skip
    assert not written.is_error, written.text
    assert written.structured["resource"]["dosageInstruction"][0]["timing"]["repeat"]["duration"] == 2
    submitted = session.call_tool("submit_answer", {"value": 1.4})
    assert submitted.structured["orders"] == [f"MedicationRequest 6585 2 g intravenous over 2 h for {MRN}"]


def test_wrong_patient_and_unindicated_replacement_are_safety_events() -> None:
    spec = get_domain("ehr_management")
    task = next(t for t in tasks(spec, "test") if t.source.generator.endswith("potassium_replacement")
                and not t.answer.fields["orders"].codes)  # fmt: skip
    patient = task.parameters["patient"]
    other = MRN if patient != MRN else patient_chart(0, 1)[0]["id"]
    kcl = {"medication": "8591", "dose_value": 40, "dose_unit": "meq", "route": "oral"}
    events = spec.safety(task, [ToolCall(name="create_medication_request", arguments={"patient": other, **kcl}),
                                ToolCall(name="create_medication_request", arguments={"patient": patient, **kcl})])
    assert len(events) == 2
    assert events[0].startswith("wrong patient") and events[1].startswith("replacement without indication")
    assert spec.safety(task, [ToolCall(name="search_resources", arguments={"patient": other})]) == []


def test_decision_support_matches_the_rules(session: InProcessSession) -> None:
    low = next(t for t in tasks(get_domain("ehr_management"), "test")
               if t.source.generator.endswith("potassium_replacement") and t.answer.fields["orders"].codes)  # fmt: skip
    result = session.call_tool("check_order_protocol", {"patient": low.parameters["patient"],
                                                        "protocol": "potassium_replacement"})  # fmt: skip
    assert result.structured["level"]["value"] == low.answer.fields["value"].value
    assert [o["resource_type"] for o in result.structured["orders"]] == ["MedicationRequest", "ServiceRequest"]
