"""Record-store search latency of the ehr_management domain: p50/p95 per query at 1,000 and 10,000 patients, on the
embedded SQLite store and on PostgreSQL (the knowledge base's embedded server), with the build time of each store.

Queries (each run ``--queries`` times over random patients, after a warm-up): the latest values of one lab
(patient + code, newest first, 5 results), a lab over a 7-day window (patient + code + date ge/le), a patient's
active medications (patient + status), and a patient lookup by family name and birth date. Latency is measured in
the store layer (``Store.search``), not through MCP (see ``bench/mcp_latency.py`` for the transport).

    nice -n 19 python -m bench.ehr [--sizes 1000 10000] [--engines sqlite postgres] [--queries 300]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from healthgym.mcp_servers.domains.ehr_management.population import mrn, person
from healthgym.mcp_servers.domains.ehr_management.store import Query, Store, postgres_store, sqlite_store


def _queries(size: int) -> dict[str, Callable[[Store, random.Random], object]]:
    def pid(rng: random.Random) -> str:
        return mrn(0, rng.randrange(size))

    return {
        "latest lab (patient+code, -date, 5)": lambda s, r: s.search(
            Query("Observation", patient=pid(r), code="2823-3", sort="-date", count=5)),
        "lab window (patient+code+date ge/le)": lambda s, r: s.search(
            Query("Observation", patient=pid(r), code="8867-4", date_ge="2025-05-25T00:00:00Z",
                  date_le="2025-06-01T08:00:00Z", count=100)),
        "active medications (patient+status)": lambda s, r: s.search(
            Query("MedicationRequest", patient=pid(r), status="active", count=50)),
        "patient by name + birth date": lambda s, r: s.find_patients(
            (p := person(0, r.randrange(size))).family, None, p.birth_date.isoformat(), None),
    }  # fmt: skip


def _measure(store: Store, size: int, n: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for name, query in _queries(size).items():
        rng = random.Random(0)
        for _ in range(20):
            query(store, rng)
        times = []
        for _ in range(n):
            start = time.perf_counter()
            query(store, rng)
            times.append((time.perf_counter() - start) * 1000)
        out[name] = times
    return out


def main(argv: list[str] | None = None) -> None:
    from bench._report import percentile, write_report

    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--engines", nargs="*", default=["sqlite", "postgres"], choices=["sqlite", "postgres"])
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="healthgym-ehr-bench-"))
    folder.chmod(0o755)  # as root the embedded server's user must traverse it
    rows, pg = [], None
    try:
        for engine in args.engines:
            if engine == "postgres":
                from healthgym.mcp_servers.kb.embedded import pgdata_for, server

                pg = pgdata_for(folder / "pg")
                url = server(pg).url(create=True)
            for size in args.sizes:
                started = time.perf_counter()
                store = sqlite_store(0, size, folder) if engine == "sqlite" else postgres_store(url, 0, size)
                built = time.perf_counter() - started
                resources = sum(store.counts().values())
                for name, times in _measure(store, size, args.queries).items():
                    rows.append({"engine": engine, "patients": size, "resources": resources, "query": name,
                                 "p50_ms": percentile(times, 0.5), "p95_ms": percentile(times, 0.95),
                                 "build_s": round(built, 1)})  # fmt: skip
                store.engine.dispose()
    finally:
        if pg is not None:
            from healthgym.mcp_servers.kb.embedded import server

            server(pg).stop(force=True)
        shutil.rmtree(folder, ignore_errors=True)
    load = os.getloadavg()
    write_report("ehr", {"queries_per_cell": args.queries, "load_average": load}, rows,
                 f"EHR store search latency (load {load[0]:.1f})")  # fmt: skip


if __name__ == "__main__":
    main()
