"""Corpus loaders on small files written here, and on the real MedQuAD when ../shared/data has it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from healthgym.mcp_servers.kb import load_documents
from tests.kb.conftest import SHARED_DATA

MEDQUAD_XML = """<?xml version="1.0" encoding="UTF-8"?>
<Document id="0000001" source="GARD" url="https://rarediseases.info.nih.gov/gard/1/x">
<Focus>Fabry disease</Focus>
<FocusAnnotations><UMLS><CUIs><CUI>C0002986</CUI></CUIs></UMLS></FocusAnnotations>
<QAPairs>
<QAPair pid="1"><Question qid="0000001-1" qtype="information">What is (are) Fabry disease ?</Question>
<Answer>Fabry disease is an inherited disorder
      that results from the buildup of globotriaosylceramide.</Answer></QAPair>
<QAPair pid="2"><Question qid="0000001-2" qtype="treatment">What are the treatments for Fabry disease ?</Question>
<Answer></Answer></QAPair>
</QAPairs>
</Document>
"""

PUBMED_XML = """<?xml version="1.0" encoding="UTF-8"?>
<PubmedArticleSet>
<PubmedArticle><MedlineCitation><PMID Version="1">111</PMID><Article>
<Journal><JournalIssue><PubDate><Year>2020</Year></PubDate></JournalIssue><Title>J Test Med</Title></Journal>
<ArticleTitle>Statins and <i>muscle</i> pain</ArticleTitle>
<Abstract><AbstractText Label="BACKGROUND">Myalgia is common.</AbstractText>
<AbstractText Label="RESULTS">Placebo rates were similar.</AbstractText></Abstract>
</Article></MedlineCitation></PubmedArticle>
<PubmedArticle><MedlineCitation><PMID Version="1">222</PMID><Article>
<Journal><Title>J None</Title></Journal><ArticleTitle>No abstract here</ArticleTitle></Article></MedlineCitation>
</PubmedArticle>
</PubmedArticleSet>
"""


def test_medquad_xml_keeps_focus_as_title_and_question_out_of_text(tmp_path: Path) -> None:
    (tmp_path / "5_GARD_QA").mkdir()
    (tmp_path / "5_GARD_QA" / "0000001.xml").write_text(MEDQUAD_XML)
    docs = list(load_documents("medquad", tmp_path))
    assert len(docs) == 1  # the pair with an empty answer is skipped
    doc = docs[0]
    assert doc.title == "Fabry disease"
    assert doc.text == "Fabry disease is an inherited disorder\nthat results from the buildup of globotriaosylceramide."
    assert doc.metadata == {
        "id": "0000001-1",
        "qtype": "information",
        "question": "What is (are) Fabry disease ?",
        "url": "https://rarediseases.info.nih.gov/gard/1/x",
    }
    assert "GARD" in doc.source and "CC BY 4.0" in doc.source


def test_medquad_jsonl(tmp_path: Path) -> None:
    rows = [
        {
            "id": "q1",
            "source": "NIDDK",
            "url": "u",
            "focus": "Gout",
            "qtype": "treatment",
            "question": "How to treat gout?",
            "answer": "  Colchicine   and\n\n NSAIDs.  ",
        },
        {"id": "q2", "focus": "Empty", "answer": ""},
    ]
    path = tmp_path / "m.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    (doc,) = load_documents("medquad", path)
    assert (doc.title, doc.text, doc.metadata["question"]) == ("Gout", "Colchicine and\nNSAIDs.", "How to treat gout?")


def test_medrag_content_and_contents(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"id": "pm1", "title": "Aspirin", "content": "Aspirin inhibits COX."})
        + "\n"
        + json.dumps({"id": "pm2", "title": "Heparin", "contents": "Heparin. Heparin potentiates antithrombin."})
        + "\n"
        + json.dumps({"id": "pm3", "title": "Blank", "content": " "})
        + "\n"
    )
    docs = list(load_documents("medrag", tmp_path))
    assert [(d.title, d.text, d.metadata["doc_id"]) for d in docs] == [
        ("Aspirin", "Aspirin inhibits COX.", "pm1"),
        ("Heparin", "Heparin potentiates antithrombin.", "pm2"),
    ]


def test_pubmed_xml_gz_streams_abstracts(tmp_path: Path) -> None:
    with gzip.open(tmp_path / "pubmed26n0001.xml.gz", "wt") as f:
        f.write(PUBMED_XML)
    (doc,) = load_documents("pubmed", tmp_path)
    assert doc.title == "Statins and muscle pain"
    assert doc.text == "BACKGROUND: Myalgia is common.\nRESULTS: Placebo rates were similar."
    assert doc.metadata == {"pmid": "111", "journal": "J Test Med", "year": "2020"}


def test_folder_of_jsonl_csv_and_markdown(tmp_path: Path) -> None:
    (tmp_path / "notes.jsonl").write_text(json.dumps({"title": "T1", "body": "Body one.", "domains": ["x"]}) + "\n")
    (tmp_path / "table.csv").write_text("id,title,text\n7,T2,Text two.\n8,T3,\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "guide.md").write_text("Intro line.\n# Sepsis bundle\nLactate, cultures, antibiotics.\n")
    (tmp_path / "plain.txt").write_text("No heading here.")
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    docs = {d.title: d for d in load_documents("folder", tmp_path)}
    assert set(docs) == {"T1", "T2", "Sepsis bundle", "plain"}
    assert docs["T1"].domains == ("x",) and docs["T2"].metadata == {"doc_id": "7"}
    assert docs["Sepsis bundle"].text == "Intro line.\nLactate, cultures, antibiotics."


def test_unknown_format_and_missing_path(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="use one of: folder, medquad, medrag, pubmed"):
        load_documents("pdf", tmp_path)
    with pytest.raises(FileNotFoundError):
        load_documents("medrag", tmp_path / "nope")
    (tmp_path / "bad.jsonl").write_text('{"title": "x", "content": "y"}\nnot json\n')
    with pytest.raises(ValueError, match="bad.jsonl:2: not JSON"):
        list(load_documents("medrag", tmp_path))


@pytest.mark.skipif(not (SHARED_DATA / "medquad").exists(), reason="../shared/data/medquad is absent")
def test_real_medquad_jsonl_loads_every_answer() -> None:
    docs = load_documents("medquad", SHARED_DATA / "medquad" / "medquad_answered.jsonl")
    count, qtypes = 0, set()
    for doc in docs:
        count += 1
        qtypes.add(doc.metadata["qtype"])
        assert doc.title and doc.text and doc.metadata["question"] not in doc.text
    assert count == 16407 and len(qtypes) > 10
