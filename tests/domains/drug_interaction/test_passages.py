"""Knowledge-base passages: enough of them, each sourced, tagged and uniquely identified, covering every drug."""

from __future__ import annotations

from collections import Counter

from healthgym.mcp_servers.domains.drug_interaction.knowledge import knowledge
from healthgym.mcp_servers.domains.drug_interaction.passages import passages
from healthgym.mcp_servers.kb.passages import passage_id

SECTIONS = {
    "overview",
    "mechanism",
    "metabolism",
    "renal dosing",
    "hepatic dosing",
    "pregnancy and lactation",
    "adverse effects",
    "monitoring",
    "risk profile",
}


def test_passages_are_many_sourced_tagged_and_unique() -> None:
    items = list(passages())
    assert len(items) >= 1500
    assert len({p.id for p in items}) == len(items)
    for p in items:
        assert p.corpus == "clinic" and p.domains == ["drug_interaction"], p.title
        assert p.source and p.text and p.id == passage_id(p.title, p.text), p.title


def test_every_drug_has_every_monograph_section_and_every_pair_a_note() -> None:
    items = list(passages())
    sections = Counter(p.metadata["drug"] for p in items if p.metadata.get("section") in SECTIONS)
    assert sections == {name: len(SECTIONS) for name in knowledge().drugs}
    assert sum("drugs" in p.metadata for p in items) == len(knowledge().interactions)
    assert {p.metadata["rule"] for p in items if "rule" in p.metadata} == set(knowledge().rules)


def test_passages_state_the_facts_of_the_tables() -> None:
    by_title = {p.title: p for p in passages()}
    renal = by_title["dabigatran: renal dosing"].text
    assert "CrCl 15 to <= 30 mL/min: reduce dose (AF: 75 mg twice daily)" in renal
    note = by_title["Interaction: simvastatin and clarithromycin"]
    assert note.text.startswith("simvastatin + clarithromycin: contraindicated") and "ZOCOR" in note.source
    assert "CredibleMeds" in by_title["citalopram: risk profile"].source
