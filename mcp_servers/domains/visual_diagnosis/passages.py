"""Knowledge-base passages of the visual_diagnosis domain, generated from the criteria tables the tools use.

Each system's published criteria rows and worked readings from the training stream (train seed 999, never test or
dev). Every passage names its source.
"""

from __future__ import annotations

from collections.abc import Iterator

from healthgym.mcp_servers.domains.visual_diagnosis.criteria import SOURCES, SYSTEMS, criteria_rows
from healthgym.mcp_servers.domains.visual_diagnosis.tasks import generate
from healthgym.mcp_servers.kb.passages import passage_id
from healthgym.schemas import Passage

CORPUS = "clinic"
DOMAINS = ["visual_diagnosis"]
WORKED_EXAMPLES = 36
TITLES = {"rhythm": "ECG rhythm criteria", "intervals": "ECG intervals and QTc", "conduction": "Bundle branch block",
          "ischemia": "ST elevation and STEMI territories", "hyperkalaemia": "Hyperkalaemia on the ECG",
          "artefact": "ECG artefact", "actions": "Urgent actions for ECG findings",
          "spirometry": "Spirometry interpretation (ATS/ERS)", "ctg": "NICHD fetal heart rate categories"}  # fmt: skip
KIND_SYSTEM = {"rhythm_strip": "rhythm", "twelve_lead": "ischemia", "intervals": "intervals",
               "spirometry": "spirometry", "ctg": "ctg"}  # fmt: skip


def _passage(title: str, text: str, source: str, kind: str) -> Passage:
    return Passage(id=passage_id(title, text), corpus=CORPUS, title=title, text=text, domains=DOMAINS, source=source,
                   metadata={"kind": kind})  # fmt: skip


def passages() -> Iterator[Passage]:
    """Every passage of the domain, each once."""
    seen: set[str] = set()
    out = [_passage(f"{TITLES[s]}: {key}", f"{key}: {text}", SOURCES[s], "criterion")
           for s in SYSTEMS for key, text in criteria_rows(s)]  # fmt: skip
    for index in range(WORKED_EXAMPLES):
        task = generate("train", 999, index)
        kind = task.source.generator.split(".")[-1]
        system = KIND_SYSTEM[kind]
        out.append(_passage(f"Worked reading: {TITLES[system]} ({kind})", task.privileged.rationale, SOURCES[system],
                            "worked_example"))  # fmt: skip
    for passage in out:
        if passage.id not in seen:
            seen.add(passage.id)
            yield passage
