"""The default corpus gathers domain passages and calculator explanations, skipping domains not written yet."""

from __future__ import annotations

import sys
import types

import pytest

from healthgym.mcp_servers.kb import Chunker, passage_id
from healthgym.mcp_servers.kb.default_corpus import DEFAULT_CORPUS, calculator_passages, default_passages
from healthgym.schemas import Passage


@pytest.fixture
def domains(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two registered domains: one with a ``passages`` module, one without."""
    from healthgym.mcp_servers import domains as registry

    package = types.ModuleType("kbtest_domain")
    module = types.ModuleType("kbtest_domain.passages")
    long_text = " ".join(f"Sentence {i} of a long monograph about lisinopril." for i in range(80))
    module.passages = lambda: iter(
        [
            Passage(id="", corpus="x", title="Lisinopril", text="ACE inhibitor; watch potassium.", domains=["drugs"]),
            Passage(id="lisinopril-card", corpus="x", title="Lisinopril card", text="Cough in 10%.", domains=["drugs"]),
            Passage(id="", corpus="x", title="Lisinopril monograph", text=long_text, domains=["drugs"]),
        ]
    )
    monkeypatch.setitem(sys.modules, "kbtest_domain", package)
    monkeypatch.setitem(sys.modules, "kbtest_domain.passages", module)
    monkeypatch.setattr(registry, "DOMAINS", {"drugs": "kbtest_domain", "later": "kbtest_missing_domain"})


def test_domains_and_calculators_feed_the_default_corpus(domains: None) -> None:
    counts: dict[str, int] = {}
    passages = list(default_passages(Chunker(max_tokens=64, overlap=16), counts))
    assert all(p.corpus == DEFAULT_CORPUS for p in passages)
    drugs = [p for p in passages if p.domains == ["drugs"]]
    assert drugs[0].id == passage_id("Lisinopril", "ACE inhibitor; watch potassium.")  # no id: content hash
    assert drugs[1].id == "lisinopril-card"  # a domain's own id is kept
    assert len(drugs) > 3 and all(p.title == "Lisinopril monograph" for p in drugs[2:])  # split to fit the window
    assert counts["drugs"] == len(drugs)
    assert counts["later (no passages module yet)"] == 0
    assert counts["calculators"] == len(passages) - len(drugs) >= 20


def test_calculator_passages_explain_formula_source_and_inputs() -> None:
    docs = {d.metadata["calculator"]: d for d in calculator_passages()}
    cg = docs["cockcroft_gault"]
    assert cg.title.endswith("(cockcroft_gault)") and cg.domains == ("calculators",)
    assert "Cockcroft" in cg.source and "Inputs:" in cg.text and "creatinine" in cg.text.lower()
