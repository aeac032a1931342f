"""Questions from the files users have, each played in both books (open and closed) so one run measures what
retrieval adds.

- ``medqa``: MedQA / MedMCQA / MMLU-style JSONL, one question a line: ``question``, ``options`` (``{"A": text,
  ...}``) and ``answer_idx`` (the right letter). There is no supporting passage, so only the answer is graded.
- ``pubmedqa``: PubMedQA ``ori_pqal.json`` (``{pmid: {QUESTION, CONTEXTS, LABELS, final_decision}}``): options yes,
  no, maybe; each abstract's contexts are served as corpus ``pubmedqa`` (one passage per context) and are the
  question's supporting set.
- ``medquad``: MedQuAD answered pairs as JSONL (``focus``, ``qtype``, ``question``, ``answer``; the shared
  ``medquad_answered.jsonl``): the answers are served as corpus ``medquad`` (chunked as ``healthgym kb ingest
  medquad`` chunks them) and each question becomes a choice among six answer excerpts: the first sentence of its own
  answer that no other answer shares, and the same of five answers of the same question type about other topics;
  each excerpt has its own topic's name hidden (``mask_topic``), so it cannot be matched by name. The
  supporting passage is the chunk of its answer that holds the excerpt.

Reading a file registers its corpus in this process (``library.register_corpus``), as ``load_tasks`` registers its
questions: every process serving the tasks loads the same file. Malformed records raise ``ValueError`` naming the
line (or PMID) and field.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from healthgym.mcp_servers.clinic.seeding import case_rng
from healthgym.mcp_servers.domains.medical_qa import library
from healthgym.mcp_servers.domains.medical_qa.items import DOMAIN, PREFIX, Item
from healthgym.mcp_servers.domains.medical_qa.models import Book, Key, Question
from healthgym.mcp_servers.domains.medical_qa.tasks import task_for
from healthgym.mcp_servers.kb.builtin import STOPWORDS
from healthgym.mcp_servers.kb.chunking import Chunker
from healthgym.mcp_servers.kb.embedders import tokenizer_for
from healthgym.mcp_servers.kb.loaders import MEDQUAD_LICENCE, InputMeter, load_medquad
from healthgym.mcp_servers.kb.passages import Document, chunk_documents
from healthgym.mcp_servers.loaders import LoadedTasks, TaskLoader, loaded_case_id
from healthgym.schemas import Passage, Task

BOOKS: tuple[Book, ...] = ("open", "closed")
PUBMEDQA_LICENCE = "MIT (PubMedQA, github.com/pubmedqa/pubmedqa)"
MEDQA_LICENCE = "the licence of the file's source (not stated in the file)"
PUBMEDQA_OPTIONS = ["yes", "no", "maybe"]
MEDQUAD_OPTIONS = 6
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _tasks(items: list[Item], generator: str, licence: str) -> LoadedTasks:
    tasks: list[Task] = []
    for index, item in enumerate(items):
        task = task_for(item, "test", 0, index, generator, version="loaded", licence=licence)
        tasks.append(task.model_copy(update={"id": f"{DOMAIN}-{item.question.question_id}"}))
    return LoadedTasks(tasks=tasks, cases={item.question.question_id: item for item in items})


def _both_books(topic: str, text: str, options: list[str], corpus: str, source: str, licence: str, key: Key,
                parameters: dict[str, str]) -> list[Item]:  # fmt: skip
    out = []
    for book in BOOKS:
        content = json.dumps([topic, text, options, book], ensure_ascii=False)
        q = Question(question_id=loaded_case_id(PREFIX, content), topic=topic, book=book, question=text,
                     options=options, corpus=corpus, source=source, licence=licence)  # fmt: skip
        support = key.support if book == "open" else []
        out.append(Item(q, key.model_copy(update={"support": support}), topic, parameters, len(key.support) > 1))
    return out


def _row_error(where: str, field: str, why: str) -> ValueError:
    return ValueError(f"{where}: field {field!r} {why}")


def read_medqa(path: Path) -> LoadedTasks:
    """MedQA/MedMCQA/MMLU-style JSONL (see the module docstring)."""
    items: list[Item] = []
    with path.open(encoding="utf-8") as f:
        for line_no, line in enumerate(f, start=1):
            if not line.strip():
                continue
            where = f"{path.name}:{line_no}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise ValueError(f"{where}: not JSON ({err.msg})") from None
            question, options, letter = row.get("question"), row.get("options"), row.get("answer_idx")
            if not isinstance(question, str) or not question.strip():
                raise _row_error(where, "question", "must be a non-empty string")
            texts_ok = isinstance(options, dict) and all(isinstance(v, str) for v in options.values())
            if not texts_ok or len(options) < 2:
                raise _row_error(where, "options", "must map letters to option texts ({'A': ..., 'B': ...})")
            if letter not in options:
                raise _row_error(where, "answer_idx", f"must be one of {sorted(options)}, got {letter!r}")
            texts = [f"{k}. {v.strip()}" for k, v in sorted(options.items())]
            gold = f"{letter}. {options[letter].strip()}"
            key = Key(answer=gold, support=[], rationale=f"answer_idx {letter} of {where}")
            items += _both_books("MedQA-style", " ".join(question.split()), texts, "", f"{path.name} line {line_no}",
                                 MEDQA_LICENCE, key, {})  # fmt: skip
    return _tasks(items, f"{DOMAIN}.medqa", MEDQA_LICENCE)


def read_pubmedqa(path: Path) -> LoadedTasks:
    """PubMedQA ``ori_pqal.json``; its contexts become corpus ``pubmedqa`` (see the module docstring)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise ValueError(f"{path.name}: not a PubMedQA JSON object ({err})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: expected an object of PMIDs, got {type(data).__name__}")
    items: list[Item] = []
    passages: list[Passage] = []
    for pmid, row in data.items():
        where = f"{path.name} PMID {pmid}"
        if not isinstance(row, dict):
            raise ValueError(f"{where}: expected an object")
        question, contexts, decision = row.get("QUESTION"), row.get("CONTEXTS"), row.get("final_decision")
        if not isinstance(question, str) or not question.strip():
            raise _row_error(where, "QUESTION", "must be a non-empty string")
        if not isinstance(contexts, list) or not contexts or not all(isinstance(c, str) for c in contexts):
            raise _row_error(where, "CONTEXTS", "must be a non-empty list of strings")
        if decision not in PUBMEDQA_OPTIONS:
            raise _row_error(where, "final_decision", f"must be one of {PUBMEDQA_OPTIONS}, got {decision!r}")
        labels = row.get("LABELS") or []
        ids = []
        for i, text in enumerate(contexts):
            label = str(labels[i]).lower() if i < len(labels) else f"context {i + 1}"
            doc = Document(title=f"PMID {pmid} ({label})", text=" ".join(text.split()),
                           source=f"PubMed PMID {pmid}; PubMedQA (Jin et al., EMNLP 2019)", licence=PUBMEDQA_LICENCE,
                           metadata={"doc_id": str(pmid), "context": i})  # fmt: skip
            passage = Passage(id=doc.id + f"-{i}", corpus="pubmedqa", title=doc.title, text=doc.text, domains=[],
                              source=doc.source, metadata={"document": str(pmid), "licence": PUBMEDQA_LICENCE,
                                                           "chunk": i, "chunks": len(contexts)})  # fmt: skip
            passages.append(passage)
            ids.append(passage.id)
        key = Key(answer=decision, support=ids, rationale=f"PubMedQA final_decision of PMID {pmid}",
                  evidence=[str(row.get("LONG_ANSWER", ""))])  # fmt: skip
        items += _both_books("PubMedQA", " ".join(question.split()), list(PUBMEDQA_OPTIONS), "pubmedqa",
                             f"PubMedQA PMID {pmid}", PUBMEDQA_LICENCE, key, {"pmid": str(pmid)})  # fmt: skip
    library.register_corpus("pubmedqa", passages, PUBMEDQA_LICENCE)
    return _tasks(items, f"{DOMAIN}.pubmedqa", PUBMEDQA_LICENCE)


def mask_topic(text: str, focus: str) -> str:
    """``text`` with its topic hidden: the whole focus phrase becomes "this condition", then each remaining word of
    the focus (four letters or more, not a stopword) becomes "[...]", so an excerpt cannot be matched to its
    question by name."""
    if not focus:
        return text
    text = re.sub(re.escape(focus), "this condition", text, flags=re.IGNORECASE)
    for word in {w for w in re.findall(r"[A-Za-z][A-Za-z'-]{3,}", focus) if w.lower() not in STOPWORDS}:
        text = re.sub(rf"(?<![\w-]){re.escape(word)}(?![\w-])", "[...]", text, flags=re.IGNORECASE)
    return " ".join(text.split())


def holds(passage_text: str, masked: str, focus: str) -> bool:
    """Whether a passage about ``focus`` holds the masked excerpt ``masked`` (both compared masked)."""
    return " ".join(masked.split()) in mask_topic(passage_text, focus)


def _candidates(answer: str, focus: str) -> list[str]:
    """Sentences of an answer that can stand as an option: 6-50 words, not a question, the focus masked."""
    out = []
    for line in answer.splitlines():
        for sentence in _SENTENCE.split(line.strip()):
            words = sentence.split()
            if 6 <= len(words) <= 50 and not sentence.endswith("?"):
                out.append(mask_topic(" ".join(words), focus))
    return out


def read_medquad(path: Path, limit: int | None = None) -> LoadedTasks:
    """MedQuAD answered pairs; the answers become corpus ``medquad`` (see the module docstring). ``limit`` keeps the
    first questions only (the corpus is always the whole file, so distractors and retrieval are unchanged)."""
    documents = list(load_medquad(path, InputMeter()))
    if not documents:
        raise ValueError(f"{path.name}: no MedQuAD answers found (expected JSONL with focus, question, answer)")
    chunker = Chunker(tokenizer_file=tokenizer_for(None))
    by_doc: dict[str, list[Passage]] = {}
    for p in chunk_documents(documents, "medquad", chunker):
        by_doc.setdefault(str(p.metadata["document"]), []).append(p)
    library.register_corpus("medquad", [p for ps in by_doc.values() for p in ps], MEDQUAD_LICENCE)
    rows = [(d, _candidates(d.text, d.title)) for d in documents if d.metadata.get("question")]
    shared = Counter(c for _, cands in rows for c in set(cands))
    excerpt: dict[str, str] = {}
    for doc, cands in rows:
        unique = next((c for c in cands if shared[c] == 1), None)
        if unique is not None:
            excerpt[doc.id] = unique
    by_type: dict[str, list[Document]] = {}
    for doc, _ in rows:
        if doc.id in excerpt:
            by_type.setdefault(str(doc.metadata.get("qtype", "")), []).append(doc)
    items: list[Item] = []
    for n, (doc, _) in enumerate(rows):
        if doc.id not in excerpt or (limit is not None and len(items) >= 2 * limit):
            continue
        same = [d for d in by_type[str(doc.metadata.get("qtype", ""))] if d.title.lower() != doc.title.lower()]
        if len(same) < MEDQUAD_OPTIONS - 1:
            continue
        rng = case_rng(DOMAIN, "medquad", 0, n)
        picks = [same[i] for i in rng.choice(len(same), MEDQUAD_OPTIONS - 1, replace=False)]
        options = [excerpt[doc.id], *(excerpt[d.id] for d in picks)]
        options = [options[i] for i in rng.permutation(len(options))]
        gold = excerpt[doc.id]
        support = [p.id for p in by_doc.get(doc.id, []) if holds(p.text, gold, doc.title)][:1]
        if not support or len(set(options)) != len(options):
            continue
        key = Key(answer=gold, support=support, rationale=f"MedQuAD answer {doc.id} ({doc.title})",
                  evidence=[doc.text[:1000]])  # fmt: skip
        items += _both_books(f"MedQuAD {doc.metadata.get('qtype', '')}".strip(), str(doc.metadata["question"]),
                             options, "medquad", doc.source, MEDQUAD_LICENCE, key, {"medquad_id": doc.id})  # fmt: skip
    if not items:
        raise ValueError(f"{path.name}: no MedQuAD question has an answer excerpt of its own")
    return _tasks(items, f"{DOMAIN}.medquad", MEDQUAD_LICENCE)


LOADERS: dict[str, TaskLoader] = {
    "medqa": TaskLoader("MedQA/MedMCQA/MMLU-style JSONL (question, options {A..}, answer_idx)", read_medqa),
    "pubmedqa": TaskLoader("PubMedQA ori_pqal.json (QUESTION, CONTEXTS, final_decision)", read_pubmedqa),
    "medquad": TaskLoader("MedQuAD answered pairs JSONL (focus, qtype, question, answer)", read_medquad),
}
"""The formats ``healthgym tasks medical_qa --from FORMAT FILE`` reads."""
