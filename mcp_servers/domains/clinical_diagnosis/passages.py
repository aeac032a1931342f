"""Knowledge-base passages of the diagnosis domain, generated from the same knowledge model the tools use.

One passage per condition (its hallmark findings with their likelihoods, work-up, severity, can't-miss neighbours
and sources), one per test (what it reports, specificity, cost), the Bayesian rule and its thresholds, and the
disposition policy, so ``search_knowledge`` can ground the unassisted tier. Every passage names its source.
"""

from __future__ import annotations

from collections.abc import Iterator

from healthgym.mcp_servers.domains.clinical_diagnosis import ddxplus
from healthgym.mcp_servers.domains.clinical_diagnosis.knowledge import model
from healthgym.mcp_servers.domains.clinical_diagnosis.posterior import DIAGNOSIS_MARGIN, DIFFERENTIAL_THRESHOLD
from healthgym.mcp_servers.domains.clinical_diagnosis.tools import get_disposition_policy
from healthgym.mcp_servers.kb.passages import passage_id
from healthgym.schemas import Passage

CORPUS = "clinic"
DOMAINS = ["clinical_diagnosis"]
HALLMARK = 0.5


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


def passages() -> Iterator[Passage]:
    m = model()
    for c in m.conditions.values():
        hallmarks = sorted(
            ((p, m.findings[code].text) for code, p in c.likelihoods.items() if p >= HALLMARK), reverse=True
        )
        findings = "; ".join(f"{text} ({p:.0%})" for p, text in hallmarks)
        cant_miss = ", a can't-miss diagnosis" if c.cant_miss else ""
        text = (
            f"{c.name} (ICD-10-CM {', '.join(c.icd10)}), severity {c.severity} on the DDXPlus scale (1 most severe, "
            f"5 least){cant_miss}; {c.prior_class} among acute presentations; ages "
            f"{c.ages[0]}-{c.ages[1]}{', women only' if c.sex == 'F' else ''}. Leading findings with their estimated "
            f"likelihoods: {findings or 'none above 50%'}. Confirming work-up: "
            f"{', '.join(m.workup(c.id)) or 'clinical'}."
        )
        yield _passage(f"Condition card: {c.name}", text, "; ".join(c.sources), "condition")
    for t in m.tests.values():
        parts = "; ".join(
            f"{f.analyte} (reference {f.reference_range} {f.unit}, specificity {1 - f.false_positive_rate:.1%})"
            for f in t.findings
        )
        yield _passage(
            f"Test: {t.title}", f"{t.title} ({t.kind}, {t.cost} cost units) reports {parts}.", t.source, "test"
        )
    yield _passage(
        "Bayesian differential diagnosis",
        "The posterior of each condition is proportional to its prior times the likelihood of each finding observed "
        "present or absent (naive Bayes). The differential holds every condition with posterior at least "
        f"{DIFFERENTIAL_THRESHOLD:.0%}; the diagnosis is the leading condition once it is {DIAGNOSIS_MARGIN:g} times "
        "as probable as the next. Findings not asked, examined or tested do not count.",
        "Ledley RS, Lusted LB. Science 1959;130:9. " + ddxplus.DDXPLUS_CITATION,
        "rule",
    )
    policy = get_disposition_policy()
    yield _passage("Disposition policy", " ".join(policy.rule), policy.source, "policy")
