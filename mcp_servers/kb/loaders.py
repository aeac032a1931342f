"""Loaders for corpora a user already has on disk; each streams ``Document``s, never the whole file in memory.

- ``medquad``: MedQuAD, its XML folders (``<Document>`` with ``<QAPair>``s) or a JSONL of answered pairs; one
  document per answer, titled by its focus.
- ``medrag``: MedRAG-style JSONL (``id``, ``title``, ``content`` or ``contents``), one file or a folder.
- ``pubmed``: PubMed baseline/update XML (``PubmedArticleSet``), ``.xml`` or ``.xml.gz``, one file or a folder; one
  document per abstract, titled by the article title.
- ``folder``: any folder of ``.jsonl`` or ``.csv`` (columns ``title`` and ``text``/``content``/``contents``/``body``;
  optional ``id``, ``source``, ``domains``, ``licence``) and ``.md``/``.txt`` files (title: the first ``#`` heading,
  else the name).

MedQuAD questions are kept in metadata, not in the text: the text is what a search should find, not what was asked.
"""

from __future__ import annotations

import csv
import gzip
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from healthgym.mcp_servers.kb.passages import Document

__all__ = ["FORMATS", "load_documents", "load_folder", "load_medquad", "load_medrag", "load_pubmed"]

_TEXT_KEYS = ("text", "content", "contents", "body", "abstract")
MEDQUAD_LICENCE = "CC BY 4.0"
"""MedQuAD's licence (github.com/abachaa/MedQuAD)."""
PUBMED_LICENCE = "NLM PubMed terms; abstracts may be under publisher copyright"


def _files(path: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """``path`` itself, or every file under it whose name ends with one of ``suffixes``, in sorted order."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise FileNotFoundError(f"{path} does not exist")
    return sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(suffixes))


def _open(path: Path) -> IO[Any]:
    return gzip.open(path, "rb") if path.name.endswith(".gz") else path.open("rb")


def _jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8") as f:
        for line_no, line in enumerate(f, start=1):
            if line.strip():
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as err:
                    raise ValueError(f"{path}:{line_no}: not JSON ({err.msg})") from None
                if isinstance(row, dict):
                    yield line_no, row


def _text(node: ET.Element | None) -> str:
    return " ".join("".join(node.itertext()).split()) if node is not None else ""


def _tidy(text: str) -> str:
    """Collapse the indentation runs of MedQuAD answers, keeping one line per paragraph or list item."""
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def _medquad_source(name: str, url: str) -> str:
    return f"MedQuAD {name} ({url}); Ben Abacha & Demner-Fushman, BMC Bioinformatics 2019; CC BY 4.0"


def load_medquad(path: Path) -> Iterator[Document]:
    """MedQuAD answers: the upstream XML folders, or JSONL rows with ``focus``, ``question``, ``answer``."""
    for file in _files(path, (".xml", ".jsonl")):
        if file.suffix == ".jsonl":
            for _, row in _jsonl(file):
                answer = _tidy(row.get("answer") or "")
                if answer:
                    yield Document(
                        title=row.get("focus") or row.get("question", ""),
                        text=answer,
                        source=_medquad_source(row.get("source", ""), row.get("url", "")),
                        licence=MEDQUAD_LICENCE,
                        metadata={k: row[k] for k in ("id", "qtype", "question", "url") if row.get(k)},
                    )
            continue
        root = ET.parse(file).getroot()
        focus = _text(root.find("Focus"))
        for pair in root.iter("QAPair"):
            question, answer = pair.find("Question"), pair.find("Answer")
            text = _tidy("".join(answer.itertext())) if answer is not None else ""
            if text:
                yield Document(
                    title=focus,
                    text=text,
                    source=_medquad_source(root.get("source", ""), root.get("url", "")),
                    licence=MEDQUAD_LICENCE,
                    metadata={
                        "id": question.get("qid", "") if question is not None else "",
                        "qtype": question.get("qtype", "") if question is not None else "",
                        "question": _text(question),
                        "url": root.get("url", ""),
                    },
                )


def load_medrag(path: Path) -> Iterator[Document]:
    """MedRAG corpora (PubMed, StatPearls, textbooks, Wikipedia): JSONL with ``id``, ``title``, ``content(s)``."""
    for file in _files(path, (".jsonl",)):
        for line_no, row in _jsonl(file):
            title = str(row.get("title") or "")
            text = str(row.get("content") or row.get("contents") or "")
            if not row.get("content") and title and text.startswith(title):  # `contents` repeats the title first
                text = text[len(title) :].lstrip(" .:\n")
            if text.strip():
                yield Document(
                    title=title,
                    text=text,
                    source=f"{file.name}",
                    metadata={"doc_id": str(row.get("id", f"{file.stem}:{line_no}"))},
                )


def load_pubmed(path: Path) -> Iterator[Document]:
    """PubMed XML abstracts (articles without an abstract are skipped); parsed incrementally."""
    for file in _files(path, (".xml", ".xml.gz")):
        with _open(file) as f:
            for _, element in ET.iterparse(f, events=("end",)):
                if element.tag != "PubmedArticle":
                    continue
                citation = element.find("MedlineCitation")
                article = citation.find("Article") if citation is not None else None
                if article is not None:
                    pmid = _text(citation.find("PMID"))
                    sections = [
                        (f"{node.get('Label')}: " if node.get("Label") else "") + _text(node)
                        for node in article.iterfind("Abstract/AbstractText")
                    ]
                    abstract = "\n".join(s for s in sections if s.strip())
                    if abstract:
                        year = _text(article.find("Journal/JournalIssue/PubDate/Year"))
                        yield Document(
                            title=_text(article.find("ArticleTitle")),
                            text=abstract,
                            source=f"PubMed PMID {pmid} (NLM; abstracts may be under publisher copyright)",
                            licence=PUBMED_LICENCE,
                            metadata={"pmid": pmid, "journal": _text(article.find("Journal/Title")), "year": year},
                        )
                element.clear()  # keep memory flat on 30,000-article files


def _row_document(row: dict[str, Any], where: str) -> Document | None:
    text = next((str(row[k]) for k in _TEXT_KEYS if row.get(k)), "")
    if not text.strip():
        return None
    title = str(row.get("title") or "")
    domains = row.get("domains") or ()
    return Document(
        title=title,
        text=text,
        source=str(row.get("source") or where),
        metadata={"doc_id": str(row["id"])} if row.get("id") else {},
        domains=tuple(domains) if isinstance(domains, list) else (),
        licence=str(row.get("licence") or row.get("license") or ""),
    )


def load_folder(path: Path) -> Iterator[Document]:
    """Every ``.jsonl``, ``.csv``, ``.md``, ``.markdown`` and ``.txt`` file under ``path``."""
    for file in _files(path, (".jsonl", ".csv", ".md", ".markdown", ".txt")):
        suffix = file.suffix.lower()
        if suffix == ".jsonl":
            for line_no, row in _jsonl(file):
                if doc := _row_document(row, f"{file.name}:{line_no}"):
                    yield doc
        elif suffix == ".csv":
            with file.open(encoding="utf-8", newline="") as f:
                for line_no, row in enumerate(csv.DictReader(f), start=2):
                    if doc := _row_document(row, f"{file.name}:{line_no}"):
                        yield doc
        else:
            text = file.read_text(encoding="utf-8", errors="replace")
            lines = text.splitlines()
            heading = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
            title = lines[heading][2:].strip() if heading is not None else file.stem.replace("_", " ")
            body = "\n".join(lines[:heading] + lines[heading + 1 :]) if heading is not None else text
            if body.strip():
                yield Document(title=title, text=body, source=str(file.name))


FORMATS: dict[str, Callable[[Path], Iterator[Document]]] = {
    "folder": load_folder,
    "medquad": load_medquad,
    "medrag": load_medrag,
    "pubmed": load_pubmed,
}
"""Loader by format name (the ``FORMAT`` of ``healthgym kb ingest``)."""


def load_documents(fmt: str, path: Path) -> Iterator[Document]:
    """The documents of ``path`` read as ``fmt``; an unknown format fails with the list of known ones."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown corpus format {fmt!r}; use one of: {', '.join(sorted(FORMATS))}")
    path = Path(path).expanduser()
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist")
    return FORMATS[fmt](path)
