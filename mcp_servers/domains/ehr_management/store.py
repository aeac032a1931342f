"""The record store: FHIR resources in SQLModel tables, on embedded SQLite by default or PostgreSQL.

One row per resource: the search columns (resource type, patient, code, time, status, and the patient's name for
Patient rows; indexed, with one composite index for the common ``patient + type + code + time`` search) and the
full resource as JSON. The default store is a SQLite file under the user cache folder, built from the synthetic
population on first use (into a temporary file renamed into place, so a half-built file is never used; a few
seconds for 1,000 patients, see ``bench/ehr.py``) and reused by every later process. With ``HEALTHGYM_DATABASE_URL``
(a ``postgresql://`` URL, the knowledge base's setting) the same tables live in a database of that server named
after the population, created and filled on first use under an advisory lock.

Times are stored as FHIR instants in UTC (``YYYY-MM-DDTHH:MM:SSZ``), so the same string comparisons order them on
both engines; ties break on the resource id, so both engines return the same rows in the same order.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

import platformdirs
from sqlalchemy import Engine, Index, delete, func, text
from sqlalchemy.engine import make_url
from sqlmodel import Field, Session, SQLModel, create_engine, select

from healthgym.mcp_servers.domains.ehr_management.population import POPULATION_SEED, POPULATION_SIZE, population

STORE_VERSION = "1"
"""Bumped when the table layout changes; with a hash of the population's sources, part of the store's name."""
_SOURCES = ("population.py", "store.py", "observations.json", "medications.json")
ResourceType = Literal[
    "Patient", "Encounter", "Observation", "Condition", "MedicationRequest", "MedicationAdministration", "Procedure",
    "ServiceRequest", "AllergyIntolerance",
]  # fmt: skip
RESOURCE_TYPES: tuple[str, ...] = get_args(ResourceType)


class ResourceRow(SQLModel, table=True):
    """One stored FHIR resource with its search columns."""

    __tablename__ = "ehr_resource"
    __table_args__ = (
        Index("ix_ehr_resource_search", "patient", "resource_type", "code", "time"),
        Index("ix_ehr_resource_name", "family", "time"),
    )

    key: str = Field(primary_key=True, description="'<resourceType>/<id>'")
    resource_type: str = Field(index=True)
    resource_id: str
    patient: str | None = Field(default=None, index=True)
    code: str | None = Field(default=None, index=True)
    time: str | None = Field(default=None, index=True)
    status: str | None = Field(default=None, index=True)
    family: str | None = Field(default=None)
    given: str | None = Field(default=None)
    resource: str = Field(description="The resource as JSON.")


class StoreMeta(SQLModel, table=True):
    __tablename__ = "ehr_meta"

    key: str = Field(primary_key=True)
    value: str


# --- search columns ---------------------------------------------------------------------------------------------------


def _ref_id(reference: dict[str, Any] | None) -> str | None:
    ref = (reference or {}).get("reference", "")
    return ref.split("/", 1)[1] if ref.startswith("Patient/") else None


def _first_code(concept: dict[str, Any] | None) -> str | None:
    codings = (concept or {}).get("coding") or []
    return codings[0].get("code") if codings else None


TIME_FIELD = {
    "Observation": "effectiveDateTime",
    "MedicationRequest": "authoredOn",
    "MedicationAdministration": "effectiveDateTime",
    "Procedure": "performedDateTime",
    "AllergyIntolerance": "recordedDate",
    "Patient": "birthDate",
}
"""The element a resource type's ``date`` search parameter reads (FHIR R4 search parameter ``clinical-date``)."""


def columns(r: dict[str, Any]) -> dict[str, str | None]:
    """The search columns of resource ``r``: what both the database and the episode overlay filter on."""
    kind = r["resourceType"]
    status = r.get("status") or _first_code(r.get("clinicalStatus"))
    code = _first_code(r.get("code") or r.get("medicationCodeableConcept"))
    patient = _ref_id(r.get("subject") or r.get("patient"))
    family = given = None
    if kind == "Encounter":
        code, time = (r.get("class") or {}).get("code"), (r.get("period") or {}).get("start")
    elif kind == "Condition":
        time = r.get("onsetDateTime") or r.get("recordedDate")
    elif kind == "ServiceRequest":
        time = r.get("occurrenceDateTime") or r.get("authoredOn")
    elif kind == "Patient":
        patient, status = r["id"], "active" if r.get("active", True) else "inactive"
        name = (r.get("name") or [{}])[0]
        family, given = (name.get("family") or "").lower(), " ".join(name.get("given") or []).lower()
        time = r.get("birthDate")
    else:
        time = r.get(TIME_FIELD.get(kind, ""))
    return {"patient": patient, "code": code, "time": time, "status": status, "family": family, "given": given}


def row(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": f"{r['resourceType']}/{r['id']}",
        "resource_type": r["resourceType"],
        "resource_id": r["id"],
        **columns(r),
        "resource": json.dumps(r, separators=(",", ":")),
    }


def normalise_date(value: str, bound: Literal["ge", "le"]) -> str:
    """A search date (YYYY-MM-DD or an ISO date-time) as a stored UTC instant; a day's ``le`` bound is its last
    second. ``ValueError`` when it is neither."""
    text_value = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text_value):
        return f"{text_value}T{'00:00:00' if bound == 'ge' else '23:59:59'}Z"
    moment = datetime.fromisoformat(text_value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Query:
    """A FHIR-style search: the resource type and the common parameters (patient, code, date ge/le, status), sorted
    by date ascending (``date``) or descending (``-date``), at most ``count`` resources."""

    resource_type: str
    patient: str | None = None
    code: str | None = None
    date_ge: str | None = None
    date_le: str | None = None
    status: str | None = None
    sort: Literal["date", "-date"] = "date"
    count: int = 100

    def matches(self, r: dict[str, Any]) -> bool:
        """Whether resource ``r`` (an episode write) meets the query, as the database would judge it."""
        if r["resourceType"] != self.resource_type:
            return False
        c = columns(r)
        time = c["time"] or ""
        return (
            (self.patient is None or c["patient"] == self.patient)
            and (self.code is None or c["code"] == self.code)
            and (self.status is None or c["status"] == self.status)
            and (self.date_ge is None or (bool(time) and time >= self.date_ge))
            and (self.date_le is None or (bool(time) and time <= self.date_le))
        )

    def sort_key(self, r: dict[str, Any]) -> tuple[str, str]:
        return (columns(r)["time"] or "", r["id"])


# --- the store --------------------------------------------------------------------------------------------------------


def engine_url(url: str) -> str:
    """SQLAlchemy's spelling of a PostgreSQL URL with the psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@cache
def _sources_digest() -> str:
    """A digest of the files the population is generated from, so a changed generator never reads a stale cache."""
    digest = hashlib.sha256(STORE_VERSION.encode())
    for name in _SOURCES:
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()[:10]


def dataset_name(seed: int, size: int) -> str:
    """The name of population ``(seed, size)``'s store: its SQLite file name and its PostgreSQL database."""
    return f"ehr_{_sources_digest()}_s{seed}_n{size}"


def cache_dir() -> Path:
    return Path(os.environ.get("HEALTHGYM_EHR_CACHE") or platformdirs.user_cache_dir("healthgym")) / "ehr"


class Store:
    """A built record store: search and read over the population (never written by episodes)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def search(self, q: Query) -> tuple[int, list[dict[str, Any]]]:
        """(number of matches, the first ``q.count`` of them in ``q.sort`` order)."""
        where = [ResourceRow.resource_type == q.resource_type]
        for column, value in (("patient", q.patient), ("code", q.code), ("status", q.status)):
            if value is not None:
                where.append(getattr(ResourceRow, column) == value)
        if q.date_ge is not None:
            where.append(ResourceRow.time >= q.date_ge)
        if q.date_le is not None:
            where.append(ResourceRow.time <= q.date_le)
        order = (ResourceRow.time, ResourceRow.resource_id)
        if q.sort == "-date":
            order = (ResourceRow.time.desc(), ResourceRow.resource_id.desc())
        with Session(self.engine) as session:
            total = session.exec(select(func.count()).select_from(ResourceRow).where(*where)).one()
            rows = session.exec(select(ResourceRow.resource).where(*where).order_by(*order).limit(q.count)).all()
        return int(total), [json.loads(r) for r in rows]

    def read(self, resource_type: str, resource_id: str) -> dict[str, Any] | None:
        with Session(self.engine) as session:
            found = session.get(ResourceRow, f"{resource_type}/{resource_id}")
        return json.loads(found.resource) if found is not None else None

    def find_patients(
        self, family: str | None, given: str | None, birthdate: str | None, identifier: str | None
    ) -> list[dict[str, Any]]:
        """Patients matching every given criterion: family and given name (case-insensitive, exact), birth date
        (YYYY-MM-DD) and MRN."""
        where = [ResourceRow.resource_type == "Patient"]
        if family:
            where.append(ResourceRow.family == family.strip().lower())
        if given:
            where.append(ResourceRow.given == given.strip().lower())
        if birthdate:
            where.append(ResourceRow.time == birthdate.strip())
        if identifier:
            where.append(ResourceRow.patient == identifier.strip())
        with Session(self.engine) as session:
            rows = session.exec(select(ResourceRow.resource).where(*where).order_by(ResourceRow.key).limit(50)).all()
        return [json.loads(r) for r in rows]

    def counts(self) -> dict[str, int]:
        """Stored resources per resource type."""
        with Session(self.engine) as session:
            rows = session.exec(
                select(ResourceRow.resource_type, func.count()).group_by(ResourceRow.resource_type)
            ).all()
        return {kind: int(n) for kind, n in sorted(rows)}

    def all_resources(self, batch: int = 5000) -> Iterator[dict[str, Any]]:
        """Every stored resource, in key order."""
        last = ""
        while True:
            with Session(self.engine) as session:
                rows = session.exec(
                    select(ResourceRow.key, ResourceRow.resource)
                    .where(ResourceRow.key > last)
                    .order_by(ResourceRow.key)
                    .limit(batch)
                ).all()
            if not rows:
                return
            for _, resource in rows:
                yield json.loads(resource)
            last = rows[-1][0]


def insert(
    engine: Engine, resources: Iterable[dict[str, Any]], batch: int = 5000, progress: tuple[str, str] | None = None
) -> int:
    """Insert (or replace) resources in batches, in one transaction with the ``(key, value)`` progress mark when
    given; returns how many."""
    table, meta = ResourceRow.__table__, StoreMeta.__table__
    n, chunk = 0, []
    with engine.begin() as conn:
        if progress is not None:
            conn.execute(delete(meta).where(meta.c.key == progress[0]))
            conn.execute(meta.insert(), [{"key": progress[0], "value": progress[1]}])
        for r in resources:
            chunk.append(row(r))
            if len(chunk) >= batch:
                conn.execute(delete(table).where(table.c.key.in_([c["key"] for c in chunk])))
                conn.execute(table.insert(), chunk)
                n, chunk = n + len(chunk), []
        if chunk:
            conn.execute(delete(table).where(table.c.key.in_([c["key"] for c in chunk])))
            conn.execute(table.insert(), chunk)
            n += len(chunk)
    return n


def _meta(engine: Engine) -> dict[str, str]:
    with Session(engine) as session:
        return {m.key: m.value for m in session.exec(select(StoreMeta)).all()}


def _fill(engine: Engine, seed: int, size: int) -> None:
    SQLModel.metadata.create_all(engine)
    insert(engine, population(seed, size))
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))  # planner statistics, so a name lookup uses the name index on both engines
    with Session(engine) as session:
        session.add(StoreMeta(key="dataset", value=dataset_name(seed, size)))
        session.commit()


def sqlite_store(seed: int, size: int, folder: Path | None = None) -> Store:
    """The SQLite store of population ``(seed, size)``, built into the cache folder on first use."""
    folder = folder or cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{dataset_name(seed, size)}.sqlite"
    if not path.exists():
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".sqlite.tmp")
        os.close(fd)
        try:
            engine = create_engine(f"sqlite:///{tmp}")
            _fill(engine, seed, size)
            engine.dispose()
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    return Store(engine)


def postgres_store(url: str, seed: int, size: int) -> Store:
    """The store of population ``(seed, size)`` in its own database on the PostgreSQL server at ``url``, created and
    filled on first use (one process fills it, under an advisory lock; the others wait and reuse it)."""
    name = dataset_name(seed, size)
    server = create_engine(engine_url(url), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(hashtext(:n))"), {"n": name})
        try:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            engine = create_engine(make_url(engine_url(url)).set(database=name))
            SQLModel.metadata.create_all(engine)
            if _meta(engine).get("dataset") != name:
                _fill(engine, seed, size)
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(hashtext(:n))"), {"n": name})
    server.dispose()
    return Store(engine)


def open_store(seed: int = POPULATION_SEED, size: int = POPULATION_SIZE, url: str | None = None) -> Store:
    """The store of population ``(seed, size)``: on PostgreSQL when ``url`` (or ``HEALTHGYM_DATABASE_URL``) is set,
    else the cached SQLite file."""
    url = url or os.environ.get("HEALTHGYM_DATABASE_URL")
    return postgres_store(url, seed, size) if url else sqlite_store(seed, size)


_lock = threading.Lock()


@cache
def _default(url: str | None) -> Store:
    return open_store(url=url)


def default_store() -> Store:
    """The process's store of the default population, opened (and built, the first time) on first use."""
    with _lock:
        return _default(os.environ.get("HEALTHGYM_DATABASE_URL"))
