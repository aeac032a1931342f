"""Knowledge-base passages of the obstetrics domain, generated from the tables the rules and tools use.

Each rule's published criteria rows and worked examples from the training stream (train seed 999, never test or
dev). Every passage names its source.
"""

from __future__ import annotations

from collections.abc import Iterator

from healthgym.mcp_servers.domains.obstetrics.cases import build_case
from healthgym.mcp_servers.domains.obstetrics.criteria import SOURCES, SYSTEMS, criteria_rows
from healthgym.mcp_servers.kb.passages import passage_id
from healthgym.schemas import Passage

CORPUS = "clinic"
DOMAINS = ["obstetrics"]
WORKED_EXAMPLES = 48
TITLES = {
    "dating": "ACOG CO 700 dating",
    "gdm": "Gestational diabetes screening",
    "hypertension": "Hypertensive disorders of pregnancy (ACOG PB 222)",
    "magnesium": "Magnesium sulfate toxicity",
    "anti_d": "Anti-D immunoglobulin and Kleihauer-Betke dosing",
    "gbs": "Intrapartum GBS prophylaxis",
    "bishop": "Bishop score",
    "fhr": "NICHD fetal heart rate categories",
    "pph": "Postpartum haemorrhage stages (CMQCC)",
    "bpp": "Biophysical profile (Manning; ACOG PB 229)",
}


def _passage(title: str, text: str, source: str, kind: str) -> Passage:
    return Passage(id=passage_id(title, text), corpus=CORPUS, title=title, text=text, domains=DOMAINS, source=source,
                   metadata={"kind": kind})  # fmt: skip


def _criteria() -> Iterator[Passage]:
    for system in SYSTEMS:
        for key, text in criteria_rows(system):
            yield _passage(f"{TITLES[system]}: {key}", f"{key}: {text}", SOURCES[system], "criterion")


def _worked_examples() -> Iterator[Passage]:
    for index in range(WORKED_EXAMPLES):
        case = build_case("train", 999, index)
        a, kind = case.assessment, case.plan.kind
        parts = {"dating": a.dating.reasons, "gdm": a.gdm.reasons if a.gdm else (),
                 "hypertension": a.hypertension.reasons if a.hypertension else (),
                 "magnesium": a.magnesium.reasons if a.magnesium else (),
                 "anti_d": a.anti_d.reasons if a.anti_d else (), "gbs": a.gbs.reasons if a.gbs else (),
                 "fhr": a.tracing.reasons if a.tracing else (), "pph": a.hemorrhage.reasons if a.hemorrhage else (),
                 "bpp": a.bpp.reasons if a.bpp else ()}  # fmt: skip
        system = kind if kind in SYSTEMS else "hypertension"
        text = " ".join(parts[system] if kind != "admission" else (*parts["dating"], *parts["hypertension"],
                                                                   *parts["gbs"], f"Orders: {', '.join(a.orders)}"))
        yield _passage(f"Worked example: {TITLES[system]} ({kind})", f"{case.record.setting}: {text}",
                       SOURCES[system], "worked_example")  # fmt: skip


def passages() -> Iterator[Passage]:
    """Every passage of the domain, each once."""
    seen: set[str] = set()
    for passage in (*_criteria(), *_worked_examples()):
        if passage.id not in seen:
            seen.add(passage.id)
            yield passage
