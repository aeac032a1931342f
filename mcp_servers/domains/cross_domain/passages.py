"""Knowledge-base passages of the cross_domain pathways, generated from the same rules the tools apply.

Per pathway: its phases and investigations, and the rule of each phase (the rule functions' docstrings, which state
thresholds and sources); the cross-phase safety rules; each regimen's drugs; and worked pathway examples from the
training stream (train seed 999, never the test or dev split).
"""

from __future__ import annotations

from collections.abc import Iterator

from healthgym.mcp_servers.domains.cross_domain.pathways import PATHWAYS, calculate
from healthgym.mcp_servers.domains.cross_domain.regimens import REGIMENS
from healthgym.mcp_servers.domains.cross_domain.safety import RULES
from healthgym.mcp_servers.domains.cross_domain.tasks import build_patient, gold
from healthgym.mcp_servers.kb.passages import passage_id
from healthgym.schemas import Passage

CORPUS = "clinic"
DOMAINS = ["cross_domain"]
WORKED_EXAMPLES = 80


def _passage(title: str, text: str, source: str, kind: str) -> Passage:
    return Passage(
        id=passage_id(title, text),
        corpus=CORPUS,
        title=title,
        text=text,
        domains=DOMAINS,
        source=source,
        metadata={"kind": kind},
    )


def _pathways() -> Iterator[Passage]:
    for p in PATHWAYS.values():
        sources = "; ".join(p.sources)
        yield _passage(
            f"{p.title} pathway",
            f"The {p.title.lower()} pathway: triage with the {p.score_name}; investigations {', '.join(p.tests)}; "
            f"diagnoses {', '.join(p.diagnoses)}; treatments {', '.join(p.treatments)}; dispositions "
            f"{', '.join(p.dispositions)}.",
            sources,
            "pathway",
        )
        for phase, fn in (("diagnosis", p.diagnose), ("treatment", p.treat), ("disposition", p.dispose)):
            yield _passage(f"{p.title} pathway: {phase}", " ".join((fn.__doc__ or "").split()), sources, "phase_rule")


def _safety() -> Iterator[Passage]:
    for name, text in RULES.items():
        yield _passage(
            f"Cross-phase safety rule: {name.replace('_', ' ')}",
            text,
            "cross_domain safety rules (the source of each is cited in its text)",
            "safety",
        )


def _regimens() -> Iterator[Passage]:
    for name, drugs in REGIMENS.items():
        pathways = [p.title for p in PATHWAYS.values() if name in p.treatments]
        yield _passage(
            f"Regimen {name}",
            f"The {name.replace('_', ' ')} regimen starts "
            f"{', '.join(drugs) or 'no drug (a procedure or observation)'}; used in: {', '.join(pathways)}.",
            "healthgym regimen table",
            "regimen",
        )


def _examples() -> Iterator[Passage]:
    for index in range(WORKED_EXAMPLES):
        p = build_patient("train", 999, index)
        pathway = PATHWAYS[p.pathway]
        answer = gold(p)
        results = "; ".join(
            f"{test}: {', '.join(f'{k} {v}' for k, v in values.items())}" for test, values in p.results.items()
        )
        v = p.vitals
        yield _passage(
            f"Worked pathway example: {pathway.title.lower()}, {p.complaint}",
            f"{p.age_years:g}-year-old {p.sex}, {p.complaint}, {p.onset_hours:g} h from onset. HR {v.heart_rate_bpm}, "
            f"BP {v.systolic_bp_mm_hg}/{v.diastolic_bp_mm_hg}, RR {v.respiratory_rate_per_min}, SpO2 "
            f"{v.spo2_percent}%, T {v.temperature_c:g} C, {v.consciousness}. Conditions: "
            f"{', '.join(p.conditions) or 'none'}; medicines: {', '.join(p.medications) or 'none'}; allergies: "
            f"{', '.join(p.allergies) or 'none'}; findings: {', '.join(p.features) or 'none'}. Results: {results}. "
            f"{pathway.score_name}: {calculate(pathway.score_call(p)):g}. Diagnosis {answer['diagnosis']}; treatment "
            f"{answer['treatment']}; disposition {answer['disposition']}.",
            "; ".join(pathway.sources) + " (synthetic case)",
            "worked_example",
        )


def passages() -> Iterator[Passage]:
    """Every passage of the cross_domain pathways, in a stable order."""
    for part in (_pathways, _safety, _regimens, _examples):
        yield from part()
