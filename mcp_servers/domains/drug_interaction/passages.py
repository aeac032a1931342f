"""Knowledge-base passages of the drug-interaction domain, generated from the same tables the tools use.

Each drug monograph is split into sections (overview and indications, mechanism, metabolism and transporters, renal
dosing, hepatic dosing, pregnancy and lactation, adverse effects, monitoring, risk profile, curated interactions);
then one note per curated interaction, one per mechanism rule, one per allergy cross-reaction, one per condition and
its treatments, and the scales the tools apply (Cockcroft-Gault, Tisdale, ACB, Hunter, the prescribing rule). Every
passage names its source.
"""

from __future__ import annotations

from collections.abc import Iterator

from healthgym.mcp_servers.domains.drug_interaction.cases import drug_conditions
from healthgym.mcp_servers.domains.drug_interaction.knowledge import Drug, knowledge
from healthgym.mcp_servers.domains.drug_interaction.rules import SCALES, renal_band_table
from healthgym.mcp_servers.kb.passages import passage_id
from healthgym.schemas import Passage

CORPUS = "clinic"
DOMAINS = ["drug_interaction"]


def _passage(title: str, text: str, source: str, **metadata: str) -> Passage:
    return Passage(
        id=passage_id(title, text),
        corpus=CORPUS,
        title=title,
        text=text,
        domains=DOMAINS,
        source=source,
        metadata=metadata,
    )


def _roles(mapping: dict[str, str], noun: str) -> str:
    return ", ".join(f"{level} {enzyme} {noun}" for enzyme, level in sorted(mapping.items()))


def _sections(d: Drug) -> dict[str, str]:
    k = knowledge()
    conditions = [k.conditions[c].name.lower() for c in drug_conditions().get(d.name, ())]
    metabolism = [d.elimination]
    if d.substrate:
        metabolism.append(f"Substrate: {_roles(d.substrate, 'substrate')}.")
    if d.inhibits:
        metabolism.append(f"Inhibits: {_roles(d.inhibits, 'inhibitor')}.")
    if d.induces:
        metabolism.append(f"Induces: {_roles(d.induces, 'inducer')}.")
    if d.prodrug:
        metabolism.append(f"Prodrug activated by {', '.join(d.prodrug)}: inhibitors of that enzyme reduce efficacy.")
    for label, items in (
        ("Transporter substrate", d.transporter_substrate),
        ("Transporter inhibitor", d.transporter_inhibits),
        ("Transporter inducer", d.transporter_induces),
    ):
        if items:
            metabolism.append(f"{label}: {', '.join(items)}.")
    if d.nti:
        metabolism.append("Narrow therapeutic index: small exposure changes matter.")
    if d.renal_criteria:
        renal = f"{d.renal_criteria.note} Reduced dose: {d.renal_criteria.dose}."
    elif d.renal:
        renal = (
            "By Cockcroft-Gault creatinine clearance: "
            + "; ".join(f"{b.band}: {b.action.replace('_', ' ')} ({b.dose})" for b in renal_band_table(d))
            + "."
        )
        renal += f" {d.renal_note}" if d.renal_note else ""
    else:
        renal = "The label lists no renal dose adjustment."
    hepatic = "; ".join(f"Child-Pugh {c}: {getattr(d.hepatic, c).replace('_', ' ')}" for c in "ABC")
    risk = [
        f"CredibleMeds QT category: {d.qt or 'not listed'}.",
        f"Serotonergic role: {d.serotonergic or 'none'}.",
        f"Anticholinergic Cognitive Burden score: {d.acb}.",
        f"Bleeding role: {d.bleeding or 'none'}.",
        f"Potassium effect: {d.potassium.replace('_', ' ') or 'none'}.",
        f"CNS depressant: {d.cns.replace('_', ' ') or 'no'}.",
        f"Beers 2023: {d.beers or 'not listed'}",
    ]
    return {
        "overview": f"{d.name} ({', '.join(d.brands)}) is a {d.drug_class.lower()}. Labelled indications: "
        f"{', '.join(i.replace('_', ' ') for i in d.indications)}; treats in this clinic: {', '.join(conditions)}. "
        f"Typical dose: {d.typical_dose}.",
        "mechanism": d.mechanism,
        "metabolism": " ".join(metabolism),
        "renal dosing": renal,
        "hepatic dosing": f"{hepatic}. {d.hepatic.note or 'The label lists no hepatic adjustment.'}",
        "pregnancy and lactation": f"Pregnancy: {d.pregnancy}. {d.pregnancy_note} Lactation: {d.lactation}. "
        f"{d.lactation_note}",
        "adverse effects": d.adverse,
        "monitoring": d.monitoring,
        "risk profile": " ".join(risk),
    }


def _drug_passages() -> Iterator[Passage]:
    k = knowledge()
    for d in k.drugs.values():
        source = "; ".join([d.label, *(k.cite(s) for s in d.sources if s != "label")])
        for section, text in _sections(d).items():
            yield _passage(
                f"{d.name}: {section}", f"{d.name} ({section}): {text}", source, drug=d.name, section=section
            )
        partners = sorted(
            ((it.drugs[1] if it.drugs[0] == d.name else it.drugs[0]), it.severity)
            for it in k.interactions.values()
            if d.name in it.drugs
        )
        if partners:
            text = f"Curated interactions of {d.name}: " + "; ".join(f"{p} ({s})" for p, s in partners) + "."
            yield _passage(f"{d.name}: curated interactions", text, source, drug=d.name, section="interactions")


def _interaction_passages() -> Iterator[Passage]:
    for it in knowledge().interactions.values():
        a, b = it.drugs
        text = (
            f"{a} + {b}: {it.severity} interaction. Mechanism: {it.mechanism} Effect: {it.effect} "
            f"Management: {it.management}"
        )
        yield _passage(f"Interaction: {a} and {b}", text, it.source, drugs=f"{a}+{b}", severity=it.severity)


def _rule_passages() -> Iterator[Passage]:
    k = knowledge()
    for rule in k.rules.values():
        yield _passage(
            f"Mechanism rule: {rule.title}",
            f"{rule.statement} Severity: {rule.grid}",
            k.cite(rule.source),
            rule=rule.id,
        )
    for c in k.cross_reactions:
        title = f"Allergy cross-reactivity: {k.allergy_groups[c.allergy]} and {k.allergy_groups[c.group]}"
        yield _passage(title, f"Level: {c.level}. {c.note}", k.cite(c.source), allergy=c.allergy)
    for r in k.drug_allergy_rules:
        yield _passage(
            f"Allergy rule: {k.allergy_groups[r.allergy]} and {r.drug}",
            f"Level: {r.level}. {r.note}",
            k.cite(r.source),
            allergy=r.allergy,
        )
    for code, condition in k.conditions.items():
        yield _passage(
            f"Condition: {condition.name}",
            f"{condition.name} (code '{code}') is treated in this clinic with: {', '.join(condition.treatments)}.",
            "healthgym drug_interaction conditions table",
            condition=code,
        )
    for title, text, source in SCALES.values():
        yield _passage(title, text, k.cite(source), scale=title)


def passages() -> Iterator[Passage]:
    """Every passage of the domain, in a stable order."""
    yield from _drug_passages()
    yield from _interaction_passages()
    yield from _rule_passages()
