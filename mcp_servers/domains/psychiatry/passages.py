"""Knowledge-base passages of the psychiatry domain, generated from the same tables the tools use.

Each instrument's items, scoring and cut-offs with its reproduction terms; each DSM-5-TR criteria checklist (labels
paraphrased); the C-SSRS triage, dispositions and safety plan elements; the clozapine ANC tables; QTc thresholds;
the Hunter rules and NMS core features; and worked examples from the training stream (never test or dev). Every
passage names its source.
"""

from __future__ import annotations

from collections.abc import Iterator

from healthgym.mcp_servers.domains.psychiatry import criteria, instruments, pharmacology, risk
from healthgym.mcp_servers.domains.psychiatry.tasks import generate
from healthgym.mcp_servers.kb.passages import passage_id
from healthgym.schemas import Passage

CORPUS = "clinic"
DOMAINS = ["psychiatry"]
WORKED_EXAMPLES = 84
"""Worked examples drawn from train seed 999 (the train stream, never test or dev)."""


def _passage(title: str, text: str, source: str, kind: str) -> Passage:
    return Passage(id=passage_id(title, text), corpus=CORPUS, title=title, text=text, domains=DOMAINS, source=source,
                   metadata={"kind": kind})  # fmt: skip


def _instruments() -> Iterator[Passage]:
    for inst in instruments.INSTRUMENTS.values():
        items = " ".join(
            f"{i.number}. {i.text} ({'; '.join(f'{label} = {pts}' for label, pts in i.options)})" for i in inst.items
        )
        text = f"{inst.instructions} {items} Scoring: {inst.scoring} Bands: {', '.join(inst.bands)}."
        yield _passage(f"{inst.title}: items and scoring", text, f"{inst.source} Terms: {inst.licence}", "instrument")


def _criteria() -> Iterator[Passage]:
    for d in criteria.DISORDERS.values():
        rules = " ".join(f"{c.code}: {c.label} [{c.rule()}]." for c in d.criteria)
        yield _passage(f"DSM-5-TR criteria checklist: {d.title}", f"{d.title}. {rules} Symptom list: "
                       f"{', '.join(dict.fromkeys(d.symptoms))}.", criteria.DSM, "criteria")  # fmt: skip


def _risk() -> Iterator[Passage]:
    levels = "; ".join(f"{lvl} -> {disp} ({risk.DISPOSITIONS[disp]})" for lvl, disp in risk.LEVEL_DISPOSITION.items())
    yield _passage("C-SSRS screener triage and disposition", "High risk: yes to item 4 or 5, or suicidal behaviour "
                   "(item 6) within the past 3 months. Moderate: yes to item 3, or behaviour more than 3 months ago. "
                   f"Low: yes to item 1 or 2 only. Dispositions: {levels}. Never discharge a high-risk patient.",
                   f"{risk.COLUMBIA}; {risk.TJC}", "risk")  # fmt: skip
    elements = "; ".join(f"{k}: {v}" for k, v in risk.SAFETY_PLAN_ELEMENTS.items())
    yield _passage("Safety plan: required elements", f"A Stanley-Brown safety plan has six steps: {elements}. Every "
                   "positive C-SSRS screen gets one.", risk.STANLEY_BROWN, "risk")  # fmt: skip


def _pharmacology() -> Iterator[Passage]:
    for population, rows in pharmacology.ANC_TABLE.items():
        text = " ".join(f"ANC {a}: {c}, {act}; {m}." for a, c, act, m in rows)
        yield _passage(f"Clozapine ANC monitoring ({population} population)", text, pharmacology.CLOZAPINE_LABEL,
                       "clozapine")  # fmt: skip
    yield _passage("Antipsychotics and the QTc", "Correct the QT with Fridericia's formula, QTc = QT / RR^(1/3). QTc "
                   "above 470 ms in men or 480 ms in women is prolonged (99th percentile); QTc above 500 ms or a rise "
                   "of more than 60 ms from baseline is high risk for torsade de pointes: stop the QT-prolonging "
                   "drug.", pharmacology.AHA_QT, "qtc")  # fmt: skip
    rules = "; ".join(f"{i}. {text}" for i, (_, text) in enumerate(pharmacology.HUNTER_RULES, 1))
    yield _passage("Hunter serotonin toxicity criteria", f"In the presence of a serotonergic agent, serotonin "
                   f"toxicity if any of, checked in order: {rules}. Stop every serotonergic drug.",
                   pharmacology.HUNTER, "toxicity")  # fmt: skip
    yield _passage("Neuroleptic malignant syndrome: core features", "Dopamine antagonist exposure, temperature above "
                   "38 C, generalised lead-pipe rigidity, altered mental status and creatine kinase at least 4 times "
                   "the upper limit; bradyreflexia rather than clonus. Stop the dopamine antagonist.",
                   pharmacology.NMS_SOURCE, "toxicity")  # fmt: skip
    raisers = ", ".join(f"{d} ({c})" for d, c in pharmacology.LITHIUM_RAISERS.items())
    yield _passage("Lithium levels, interactions and monitoring", "Aim for 0.6-0.8 mmol/L 12 hours after the dose; "
                   "0.8-1.0 for a trial after relapse; toxic effects are likely above 1.5 mmol/L (withhold lithium). "
                   f"Drugs that raise the level: {raisers}. Measure the level every 3 months in the first year, then "
                   "every 6 months, or every 3 months for older people, people taking interacting drugs, people at "
                   "risk of impaired renal function, people with poor adherence and people whose last level was 0.8 "
                   "mmol/L or higher.", f"{pharmacology.NICE_LITHIUM}; {pharmacology.BNF_LITHIUM}",
                   "lithium")  # fmt: skip
    schedule = "; ".join(f"{m}: {w}" for m, w in pharmacology.METABOLIC_SCHEDULE.items())
    yield _passage("Metabolic monitoring on second-generation antipsychotics", f"{schedule}. Quarterly means every "
                   "13 weeks after week 12. A weight gain of 5% or more of the initial weight: consider switching.",
                   pharmacology.ADA_APA, "metabolic")  # fmt: skip


def _examples() -> Iterator[Passage]:
    for index in range(WORKED_EXAMPLES):
        task = generate("train", 999, index)
        yield _passage(f"Worked example: {task.source.generator.split('.')[1]}",
                       f"{task.prompt.split(': ', 1)[1]} Reasoning: {task.privileged.rationale}",
                       "healthgym psychiatry (synthetic case)", "worked_example")  # fmt: skip


def passages() -> Iterator[Passage]:
    """Every passage of the psychiatry domain, in a stable order."""
    for part in (_instruments, _criteria, _risk, _pharmacology, _examples):
        yield from part()
