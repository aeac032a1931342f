"""Hand-checked worked examples of every rule the tasks are graded on, from their sources."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from healthgym.mcp_servers.domain import tasks
from healthgym.mcp_servers.domains import get_domain
from healthgym.mcp_servers.domains.ehr_management import chart
from healthgym.mcp_servers.domains.ehr_management.population import NOW, medication_request, observation
from healthgym.mcp_servers.domains.ehr_management.protocols import hba1c_order_due, magnesium_order, potassium_orders
from healthgym.mcp_servers.domains.ehr_management.terminology import ICD10CM

NOW_TEXT = "2025-06-01T08:00:00Z"


@pytest.mark.parametrize(
    ("level", "grams"), [(0.9, 4.0), (1.0, 2.0), (1.4, 2.0), (1.5, 1.0), (1.8, 1.0), (1.9, None), (2.3, None)]
)
def test_magnesium_dose_by_level(level: float, grams: float | None) -> None:
    """MedAgentBench task 5: 1 g over 1 h for 1.5-1.9, 2 g over 2 h for 1.0-1.5, 4 g over 4 h below 1.0."""
    order = magnesium_order(level)
    if grams is None:
        assert order is None
    else:
        assert (order.dose_value, order.dose_unit, order.route) == (grams, "g", "intravenous")
        assert order.duration_hours == grams
    assert magnesium_order(None) is None


@pytest.mark.parametrize(("level", "meq"), [(3.4, 10), (3.1, 40), (2.5, 100), (3.5, None), (4.4, None)])
def test_potassium_dose_and_morning_recheck(level: float, meq: int | None) -> None:
    """MedAgentBench task 9: 10 mEq oral KCl per 0.1 below 3.5, and serum potassium at 08:00 the next day."""
    orders = potassium_orders(level, NOW)
    if meq is None:
        assert orders == []
        return
    kcl, recheck = orders
    assert (kcl.code, kcl.dose_value, kcl.dose_unit, kcl.route) == ("8591", meq, "meq", "oral")
    assert (recheck.code, recheck.occurrence) == ("2823-3", "2025-06-02T08:00:00Z")


def test_hba1c_recheck_after_a_year() -> None:
    assert hba1c_order_due(None, NOW)
    assert hba1c_order_due("2024-05-31T08:00:00Z", NOW)  # 366 days
    assert not hba1c_order_due("2024-12-01T08:00:00Z", NOW)


def test_age_in_completed_years() -> None:
    assert chart.age_years("1990-06-01", NOW) == 35
    assert chart.age_years("1990-06-02", NOW) == 34
    assert chart.age_years("2000-02-29", datetime(2025, 2, 28, tzinfo=UTC)) == 24


def test_first_abnormal_uses_the_sex_specific_interval() -> None:
    """Creatinine 1.2 mg/dL is above the female interval (0.6-1.1, Tietz) and inside the male one (0.7-1.3)."""
    stay = {"resourceType": "Encounter", "id": "e", "period": {"start": "2025-05-30T00:00:00Z"}}
    at = datetime(2025, 5, 31, 5, tzinfo=UTC)
    for sex, expected in (("female", 1.2), ("male", None)):
        obs = [observation("o1", "S1", "2160-0", 1.0, NOW.replace(day=30, hour=6), sex, None),
               observation("o2", "S1", "2160-0", 1.2, at, sex, None)]  # fmt: skip
        hit = chart.first_abnormal(obs, "2160-0", stay)
        assert (hit["valueQuantity"]["value"] if hit else None) == expected


def test_reconciliation_flags_drugs_without_an_indication() -> None:
    """Metformin is labelled for type 2 diabetes (E11); lisinopril for hypertension and heart failure (I10, I50)."""
    meds = [medication_request("m1", "S1", "metformin", NOW, "active"),
            medication_request("m2", "S1", "lisinopril", NOW, "active"),
            medication_request("m3", "S1", "omeprazole", NOW, "stopped")]  # fmt: skip
    heart_failure = {"resourceType": "Condition", "clinicalStatus": {"coding": [{"code": "active"}]},
                     "code": {"coding": [{"system": ICD10CM, "code": "I50.9"}]}}  # fmt: skip
    assert chart.unindicated_drugs(meds, [heart_failure]) == ["metformin"]


def test_generated_orders_follow_the_protocols() -> None:
    """Every test task's gold orders agree with the level in its own gold answer."""
    for task in tasks(get_domain("ehr_management"), "test"):
        fields = task.answer.fields
        kind = task.source.generator.split(".")[1]
        if kind == "potassium_replacement":
            level, orders = fields["value"].value, fields["orders"].codes
            assert bool(orders) == (0 <= level < 3.5), task.id
            if orders:
                assert f" {round((3.5 - level) * 100) // 10 * 10:g} meq oral" in orders[0], (level, orders)
        if kind == "magnesium_replacement":
            level, orders = fields["value"].value, fields["orders"].codes
            assert bool(orders) == (0 <= level < 1.9), task.id
        if kind == "patient_lookup":
            assert len(fields["mrn"].codes) <= 1
