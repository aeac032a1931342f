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
Every byte is read through an ``InputMeter`` (bytes read of the total), which is how a load whose passage count is
unknown in advance still shows a percentage and an ETA. A file that is not in the format (bad XML, not UTF-8, not
gzip, another suffix) raises a one-line ``ValueError`` naming the file.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import json
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from healthgym.mcp_servers.kb.passages import Document

__all__ = ["FORMATS", "InputMeter", "load_documents", "load_folder", "load_medquad", "load_medrag", "load_pubmed"]

_TEXT_KEYS = ("text", "content", "contents", "body", "abstract")
MEDQUAD_LICENCE = "CC BY 4.0"
"""MedQuAD's licence (github.com/abachaa/MedQuAD)."""
PUBMED_LICENCE = "NLM PubMed terms; abstracts may be under publisher copyright"


class InputMeter:
    """How many bytes of a load's input files were read, of how many, and which file is being read."""

    def __init__(self) -> None:
        self.total = 0
        self.done = 0
        self.file: Path | None = None

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 0.0


class _Counted(io.RawIOBase):
    """A raw file that adds what it reads to a meter."""

    def __init__(self, path: Path, meter: InputMeter) -> None:
        self._raw = path.open("rb", buffering=0)
        self._meter = meter

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self._raw.readinto(buffer) or 0
        self._meter.done += n
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


def _files(path: Path, suffixes: tuple[str, ...], meter: InputMeter) -> list[Path]:
    """``path`` itself (which must end with one of ``suffixes``), or every file under it that does, in sorted order;
    their sizes are added to ``meter.total``."""
    if path.is_file():
        if not path.name.lower().endswith(suffixes):
            raise ValueError(f"{path.name}: this format reads {', '.join(suffixes)} files")
        files = [path]
    elif path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(suffixes))
    else:
        raise FileNotFoundError(f"{path} does not exist")
    meter.total += sum(f.stat().st_size for f in files)
    return files


@contextlib.contextmanager
def _open(path: Path, meter: InputMeter, *, text: bool = False) -> Iterator[IO[Any]]:
    """``path`` opened for reading through ``meter`` (gunzipped for ``.gz``; UTF-8 text when ``text``)."""
    meter.file = path
    with contextlib.ExitStack() as stack:
        f: IO[Any] = stack.enter_context(io.BufferedReader(_Counted(path, meter)))
        if path.name.endswith(".gz"):
            f = stack.enter_context(gzip.GzipFile(fileobj=f))
        if text:
            f = stack.enter_context(io.TextIOWrapper(f, encoding="utf-8", newline=""))
        yield f


def _jsonl(path: Path, meter: InputMeter) -> Iterator[tuple[int, dict[str, Any]]]:
    with _open(path, meter, text=True) as f:
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


def load_medquad(path: Path, meter: InputMeter) -> Iterator[Document]:
    """MedQuAD answers: the upstream XML folders, or JSONL rows with ``focus``, ``question``, ``answer``."""
    for file in _files(path, (".xml", ".jsonl"), meter):
        if file.suffix == ".jsonl":
            for _, row in _jsonl(file, meter):
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
        with _open(file, meter) as f:
            root = ET.parse(f).getroot()
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


def load_medrag(path: Path, meter: InputMeter) -> Iterator[Document]:
    """MedRAG corpora (PubMed, StatPearls, textbooks, Wikipedia): JSONL with ``id``, ``title``, ``content(s)``."""
    for file in _files(path, (".jsonl",), meter):
        for line_no, row in _jsonl(file, meter):
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


def load_pubmed(path: Path, meter: InputMeter) -> Iterator[Document]:
    """PubMed XML abstracts (articles without an abstract are skipped); parsed incrementally."""
    for file in _files(path, (".xml", ".xml.gz"), meter):
        with _open(file, meter) as f:
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


def load_folder(path: Path, meter: InputMeter) -> Iterator[Document]:
    """Every ``.jsonl``, ``.csv``, ``.md``, ``.markdown`` and ``.txt`` file under ``path``."""
    for file in _files(path, (".jsonl", ".csv", ".md", ".markdown", ".txt"), meter):
        suffix = file.suffix.lower()
        if suffix == ".jsonl":
            for line_no, row in _jsonl(file, meter):
                if doc := _row_document(row, f"{file.name}:{line_no}"):
                    yield doc
        elif suffix == ".csv":
            with _open(file, meter, text=True) as f:
                for line_no, row in enumerate(csv.DictReader(f), start=2):
                    if doc := _row_document(row, f"{file.name}:{line_no}"):
                        yield doc
        else:
            with _open(file, meter) as f:
                text = f.read().decode("utf-8", errors="replace")
            lines = text.splitlines()
            heading = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
            title = lines[heading][2:].strip() if heading is not None else file.stem.replace("_", " ")
            body = "\n".join(lines[:heading] + lines[heading + 1 :]) if heading is not None else text
            if body.strip():
                yield Document(title=title, text=body, source=str(file.name))


FORMATS: dict[str, Callable[[Path, InputMeter], Iterator[Document]]] = {
    "folder": load_folder,
    "medquad": load_medquad,
    "medrag": load_medrag,
    "pubmed": load_pubmed,
}
"""Loader by format name (the ``FORMAT`` of ``healthgym kb ingest``)."""


def load_documents(fmt: str, path: Path, meter: InputMeter | None = None) -> Iterator[Document]:
    """The documents of ``path`` read as ``fmt``; an unknown format fails with the list of known ones.

    Args:
        fmt: A key of ``FORMATS``.
        path: A file or folder in that format.
        meter: Receives the input's size and how much was read (progress); optional.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown corpus format {fmt!r}; use one of: {', '.join(sorted(FORMATS))}")
    path = Path(path).expanduser()
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist")
    meter = meter or InputMeter()
    return _one_line_errors(FORMATS[fmt](path, meter), fmt, meter)


def _one_line_errors(documents: Iterator[Document], fmt: str, meter: InputMeter) -> Iterator[Document]:
    """Parse and decoding failures as one ``ValueError`` line naming the file and the format."""
    try:
        yield from documents
    except (ET.ParseError, UnicodeDecodeError, EOFError, gzip.BadGzipFile, zlib.error) as err:
        where = meter.file or "the input"
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise ValueError(f"{where} is not readable as {fmt}: {reason}") from None
