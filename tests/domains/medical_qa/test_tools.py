"""The tools as an MCP client sees them: hits that carry their document, source and licence, filters, passages with
neighbours, the clinic's tables, citations and the submission, and the closed book withholding the knowledge base."""

from __future__ import annotations

import json

import pytest

from healthgym.mcp_servers.domain import tasks
from healthgym.mcp_servers.domains.medical_qa import SPEC
from healthgym.mcp_servers.inprocess import InProcessSession
from healthgym.rl.env import HealthGymEnv


def call(session: InProcessSession, name: str, **arguments):
    result = session.call_tool(name, arguments)
    assert not result.is_error, result.text
    return result.structured


def error(session: InProcessSession, name: str, **arguments) -> str:
    result = session.call_tool(name, arguments)
    assert result.is_error
    return result.text


@pytest.fixture(scope="module")
def open_task():
    return next(t for t in tasks(SPEC, "test") if t.tier == "assisted" and t.composite)


def test_search_hits_carry_document_title_source_and_licence(session: InProcessSession) -> None:
    out = call(session, "search_knowledge", query="warfarin amiodarone interaction", k=5)
    assert out["backend"] in ("builtin", "postgres") and out["hits"]
    top = out["hits"][0]
    assert {"warfarin", "amiodarone"} <= set(top["title"].lower().replace(":", "").split())
    for hit in out["hits"]:
        assert hit["document"] and hit["source"] and hit["licence"] and hit["corpus"] == "clinic"


def test_search_filters_by_domain_and_corpus(session: InProcessSession) -> None:
    hits = call(session, "search_knowledge", query="suicide risk screening", k=5, domain="psychiatry")["hits"]
    assert hits and all("psychiatry" in h["domains"] for h in hits)
    assert "corpus" in error(session, "search_knowledge", query="x", corpus="no_such_corpus")
    assert call(session, "search_knowledge", query="zzzzqqq", k=3)["hits"] == []


def test_read_passage_opens_the_whole_passage_with_its_neighbours(session: InProcessSession) -> None:
    hit = call(session, "search_knowledge", query="acyclovir renal dosing", k=5)["hits"]
    pid = next(h["id"] for h in hit if h["title"] == "acyclovir: renal dosing")
    out = call(session, "read_passage", passage=pid, neighbours=1)
    assert "CrCl 10 to <= 25 mL/min" in out["text"]
    assert [n["title"] for n in out["neighbours"]] == ["acyclovir: metabolism", "acyclovir: hepatic dosing"]
    assert call(session, "read_passage", passage=pid, neighbours=0)["neighbours"] == []
    assert "passage" in error(session, "read_passage", passage="f" * 24)


def test_read_document_reads_every_chunk_in_order(session: InProcessSession) -> None:
    hit = call(session, "search_knowledge", query="Cockcroft-Gault creatinine clearance calculator", k=5,
               domain="calculators")["hits"][0]  # fmt: skip
    doc = call(session, "read_document", document=hit["document"])
    assert hit["id"] in [p["id"] for p in doc["passages"]] and doc["licence"] == hit["licence"]
    assert "document" in error(session, "read_document", document="no-such-document")


def test_list_conditions_filters_by_name(session: InProcessSession) -> None:
    rows = call(session, "list_conditions", contains="fibrillation")["conditions"]
    assert [r["code"] for r in rows] == ["atrial_fibrillation"] and rows[0]["treatments"] > 5


def test_list_corpora_names_the_clinic_corpus(session: InProcessSession) -> None:
    rows = {c["name"]: c for c in call(session, "list_corpora")["corpora"]}
    assert rows["clinic"]["passages"] > 3000 and "medical_qa" not in rows["clinic"]["domains"]


def test_lookups_read_the_other_domains_tables(session: InProcessSession) -> None:
    drug = call(session, "lookup_drug", drug="Zovirax")
    assert drug["name"] == "acyclovir" and [b["below_ml_min"] for b in drug["renal_bands"]] == [10, 25]
    assert {"drug": "amiodarone", "severity": "major"} in call(session, "lookup_drug", drug="warfarin")[
        "curated_interactions"
    ]
    assert "warfarin" in call(session, "lookup_condition", condition="atrial fibrillation")["treatments"]
    pair = call(session, "lookup_interaction", drug_a="warfarin", drug_b="amiodarone")
    assert pair["curated"] and pair["severity"] == "major"
    assert call(session, "lookup_interaction", drug_a="acetaminophen", drug_b="albuterol")["severity"] == "none"
    assert "Cockcroft" in call(session, "lookup_calculator", calculator="cockcroft_gault")["title"]
    assert call(session, "lookup_protocol", protocol="stemi")["criteria"]
    assert call(session, "lookup_instrument", instrument="phq9")["bands"]
    assert "atenolol" in call(session, "list_drugs", drug_class="beta-1")["drugs"]
    assert "drug" in error(session, "lookup_drug", drug="notadrug")
    assert "condition" in error(session, "lookup_condition", condition="nothing")
    assert "group" in error(session, "list_drugs", group="nope")


def test_submit_records_citations_and_validates(session: InProcessSession, open_task) -> None:
    qid = open_task.case_ref
    options = call(session, "get_question", question_id=qid)["options"]
    support = open_task.answer.fields["citations"].codes
    assert "answer" in error(session, "submit_answer", question_id=qid, answer="not an option")
    assert "citations" in error(session, "submit_answer", question_id=qid, answer=options[0], citations=["0" * 24])
    call(session, "record_citation", question_id=qid, passage_id=support[0], claim="treats the condition")
    out = call(session, "submit_answer", question_id=qid, answer=options[0].upper(), citations=support[1:])
    assert out["answer"] == options[0] and set(out["citations"]) == set(support)
    assert "answer" in error(session, "submit_answer", question_id=qid, answer=options[0])
    assert "question_id" in error(session, "get_question", question_id="QA-0000000000000")


def test_the_closed_book_withholds_the_knowledge_base() -> None:
    env = HealthGymEnv("medical_qa", "test", tier="unassisted", max_turns=8)
    _, info = env.reset(options={"task_id": next(t.id for t in tasks(SPEC, "test") if t.tier == "unassisted")})
    names = {t["name"] for t in info["tools"]}
    assert not {"search_knowledge", "read_passage", "list_corpora"} & names
    assert {"lookup_drug", "get_question", "submit_answer"} <= names
    observation, *_ = env.step(json.dumps({"name": "search_knowledge", "arguments": {"query": "warfarin"}}))
    assert "not available in the unassisted tier" in observation
    env.close()
