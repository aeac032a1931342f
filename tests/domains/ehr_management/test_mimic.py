"""``healthgym ehr import-mimic`` on the MIMIC-IV demo (skipped when ../shared/data/mimic_iv_demo is absent): the 100
patients import, counts per resource type match the source tables, every resource round-trips through FHIR
validation, and an import killed midway then rerun gives the same counts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fhir.resources.R4B import get_fhir_model_class
from sqlmodel import create_engine

from healthgym.mcp_servers.domains.ehr_management.mimic import expected_counts, import_mimic
from healthgym.mcp_servers.domains.ehr_management.store import Store

# ../shared/data/mimic_iv_demo beside the repository; HEALTHGYM_MIMIC_DEMO points elsewhere (a worktree's checkout).
DEMO = Path(os.environ.get("HEALTHGYM_MIMIC_DEMO") or Path(__file__).resolve().parents[4] / "shared/data/mimic_iv_demo")
pytestmark = pytest.mark.skipif(not (DEMO / "hosp" / "patients.csv.gz").exists(), reason=f"{DEMO} is absent")


def test_import_killed_midway_then_rerun_matches_the_source_tables(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'mimic.sqlite'}"
    child = subprocess.Popen(
        [sys.executable, "-c", "from healthgym.cli import main; main()", "ehr", "import-mimic", str(DEMO),
         "--database", url],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env={**os.environ},
    )  # fmt: skip
    assert child.stderr is not None
    for line in child.stderr:  # kill it once part of the lab events are stored
        if line.startswith("labevents: 10,000 rows"):
            child.send_signal(signal.SIGKILL)
            break
    child.wait(timeout=600)
    assert child.returncode == -signal.SIGKILL, "the import finished before it could be killed"
    engine = create_engine(url)
    partial = Store(engine).counts()
    assert partial["Patient"] == 100 and 0 < partial["Observation"] < 100_000

    started = time.perf_counter()
    report = import_mimic(DEMO, engine, report=lambda _: None)
    assert time.perf_counter() - started > 0
    expected = expected_counts(DEMO)
    assert report["stored"] == expected == report["expected"]
    assert expected["Patient"] == 100 and report["rows"]["patients"] == 100
    assert import_mimic(DEMO, engine, report=lambda _: None)["stored"] == expected  # a third run adds nothing

    for resource in Store(engine).all_resources():
        model = get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        assert model.model_dump(mode="json", exclude_none=True) == resource, resource["id"]
