"""Knowledge-base passages of the radiology domain, generated from the tables the rules and tools use.

Each system's criteria rows, measurement conventions and management recommendations, the communication levels, the
report's required elements, and worked examples from the training stream (train seed 999, never test or dev). Every
passage names its source.
"""

from __future__ import annotations

from collections.abc import Iterator

from healthgym.mcp_servers.domains.radiology_report import communication, report
from healthgym.mcp_servers.domains.radiology_report.assessment import RECOMMENDATIONS, SOURCES
from healthgym.mcp_servers.domains.radiology_report.criteria import COMMUNICATION_ROWS, MEASUREMENT, criteria_rows
from healthgym.mcp_servers.domains.radiology_report.models import SYSTEMS
from healthgym.mcp_servers.domains.radiology_report.studies import build_case
from healthgym.mcp_servers.kb.passages import passage_id
from healthgym.schemas import Passage

CORPUS = "clinic"
DOMAINS = ["radiology_report"]
WORKED_EXAMPLES = 60
TITLES = {"fleischner": "Fleischner 2017", "lung_rads": "Lung-RADS v2022", "ti_rads": "ACR TI-RADS",
          "li_rads": "LI-RADS v2018 CT/MRI", "bosniak": "Bosniak 2019", "bi_rads": "BI-RADS 5th edition",
          "o_rads": "O-RADS US v2022"}  # fmt: skip


def _passage(title: str, text: str, source: str, kind: str) -> Passage:
    return Passage(id=passage_id(title, text), corpus=CORPUS, title=title, text=text, domains=DOMAINS, source=source,
                   metadata={"kind": kind})  # fmt: skip


def _systems() -> Iterator[Passage]:
    for system in SYSTEMS:
        name, source = TITLES[system], SOURCES[system]
        yield _passage(f"{name}: measurement", MEASUREMENT[system], source, "measurement")
        for key, text in criteria_rows(system):
            yield _passage(f"{name}: {key}", f"{key}: {text}", source, "criterion")
        for code, text in RECOMMENDATIONS[system].items():
            yield _passage(f"{name} recommendation {code}", f"{code}: {text}", source, "recommendation")


def _communication() -> Iterator[Passage]:
    for level, text in COMMUNICATION_ROWS:
        yield _passage(f"Direct communication: {level}", text, communication.SOURCE, "communication")
    for name, rule in report.RULES.items():
        yield _passage(f"Structured report element: {name}", f"The {name} element is present when {rule}.",
                       report.SOURCE, "report")


def _worked_examples() -> Iterator[Passage]:
    for index in range(WORKED_EXAMPLES):
        case = build_case("train", 999, index)
        a, study = case.assessment, case.study
        text = (f"{study.exam} ({study.indication}). " + " ".join(a.exam.reasons)
                + f" Communication: {a.communication} ({'; '.join(a.communication_reasons)}).")
        yield _passage(f"Worked example: {TITLES[a.system]} -> {a.exam.category}", text, SOURCES[a.system],
                       "worked_example")  # fmt: skip


def passages() -> Iterator[Passage]:
    """Every passage of the domain, each once."""
    seen: set[str] = set()
    for passage in (*_systems(), *_communication(), *_worked_examples()):
        if passage.id not in seen:
            seen.add(passage.id)
            yield passage
