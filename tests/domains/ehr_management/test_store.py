"""The record store: FHIR round trip over the whole population, search semantics, the episode overlay, and the same
answers on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter

import pytest
from fhir.resources.R4B import get_fhir_model_class

from healthgym.mcp_servers.domain import TaskView, tasks
from healthgym.mcp_servers.domains import get_domain
from healthgym.mcp_servers.domains.ehr_management import store as store_module
from healthgym.mcp_servers.domains.ehr_management.population import POPULATION_SIZE, patient_chart, population
from healthgym.mcp_servers.domains.ehr_management.store import Query, default_store
from healthgym.mcp_servers.inprocess import InProcessSession
from healthgym.mcp_servers.server import build_server


def test_every_stored_resource_round_trips_through_fhir_validation() -> None:
    """Issue #12, done-when 1: the whole synthetic population, as stored, validates and re-serialises unchanged."""
    store = default_store()
    seen: Counter[str] = Counter()
    for resource in store.all_resources():
        model = get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        assert model.model_dump(mode="json", exclude_none=True) == resource, resource["id"]
        seen[resource["resourceType"]] += 1
    assert seen == Counter(r["resourceType"] for r in population())
    assert seen["Patient"] == POPULATION_SIZE >= 1000
    assert set(seen) == set(store_module.RESOURCE_TYPES)


def test_search_filters_sorts_and_counts_like_fhir() -> None:
    store = default_store()
    mrn = patient_chart(0, 7)[0]["id"]
    total, newest = store.search(Query("Observation", patient=mrn, code="2823-3", sort="-date", count=2))
    _, oldest = store.search(Query("Observation", patient=mrn, code="2823-3", count=500))
    assert total == len(oldest) >= 2 and len(newest) == 2
    assert [r["id"] for r in newest] == [r["id"] for r in reversed(oldest)][:2]
    times = [r["effectiveDateTime"] for r in oldest]
    assert times == sorted(times)
    middle = times[len(times) // 2]
    _, after = store.search(Query("Observation", patient=mrn, code="2823-3", date_ge=middle, count=500))
    _, before = store.search(Query("Observation", patient=mrn, code="2823-3", date_le=middle, count=500))
    assert all(r["effectiveDateTime"] >= middle for r in after)
    assert all(r["effectiveDateTime"] <= middle for r in before)
    assert len(after) + len(before) == len(oldest) + times.count(middle)
    active = store.search(Query("Condition", status="active", count=500))[1]
    assert active and all(r["clinicalStatus"]["coding"][0]["code"] == "active" for r in active)


def test_writes_go_to_the_episode_overlay_only(session: InProcessSession) -> None:
    mrn = patient_chart(0, 3)[0]["id"]
    before = default_store().counts()
    written = session.call_tool("create_observation", {
        "patient": mrn, "code": "8867-4", "value": 88, "unit": "/min", "effective": "2025-06-01T07:30:00Z",
    })  # fmt: skip
    assert not written.is_error, written.text
    found = session.call_tool("search_resources", {"resource_type": "Observation", "patient": mrn, "code": "8867-4",
                                                   "sort": "-date", "count": 1})  # fmt: skip
    assert found.structured["resources"][0]["id"] == written.structured["id"]
    other = InProcessSession(build_server("ehr_management"))
    again = other.call_tool("search_resources", {"resource_type": "Observation", "patient": mrn, "code": "8867-4",
                                                 "sort": "-date", "count": 1})  # fmt: skip
    assert again.structured["resources"][0]["id"] != written.structured["id"]
    assert default_store().counts() == before


def _play(spec, task) -> list:
    session = InProcessSession(build_server(spec.name))
    solver = spec.solve(TaskView.of(task))
    results, result = [], None
    while True:
        try:
            call = solver.send(result) if results else next(solver)
        except StopIteration:
            return results
        out = session.call_tool(call.name, call.arguments)
        result = {"error": out.text} if out.is_error else (out.structured or {})
        results.append((call.name, call.arguments, result))


def test_the_same_tasks_give_the_same_answers_on_sqlite_and_postgres(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue #12, done-when 3: the reference clinician's every tool result and submission are identical on both
    engines, for two tasks of each kind and tier."""
    spec = get_domain("ehr_management")
    picked: dict[tuple[str, str], list] = {}
    for task in tasks(spec, "test"):
        picked.setdefault((task.source.generator, task.tier), [])
        if len(picked[(task.source.generator, task.tier)]) < 2:
            picked[(task.source.generator, task.tier)].append(task)
    chosen = [t for group in picked.values() for t in group]
    monkeypatch.delenv("HEALTHGYM_DATABASE_URL", raising=False)
    on_sqlite = [_play(spec, t) for t in chosen]
    monkeypatch.setenv("HEALTHGYM_DATABASE_URL", postgres_url)
    assert "postgresql" in str(default_store().engine.url)
    assert default_store().counts() == store_module.sqlite_store(0, POPULATION_SIZE).counts()
    on_postgres = [_play(spec, t) for t in chosen]
    assert on_sqlite == on_postgres
    assert all(any(name == "submit_answer" and "error" not in r for name, _, r in run) for run in on_postgres)
