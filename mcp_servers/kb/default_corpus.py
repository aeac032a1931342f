"""The default corpus, ``clinic``: passages generated from the clinic's own knowledge, so domain tasks can look up
the facts they are built on (``healthgym kb build``).

Sources, in order:

- every registered domain (``healthgym.mcp_servers.domains.DOMAINS``) whose package has a ``passages`` module with
  ``passages() -> Iterator[Passage]`` (drug monographs, interaction notes, condition cards, protocols ...); a domain
  without one is skipped and reported;
- one passage per clinical calculator: what it computes, its bands, its source and its inputs with units and bounds.

Passages longer than the chunker's window are split (new ids); others keep the id their domain gave them, or get the
content hash when they have none. Every passage is healthgym's own wording of facts from the source it names, so it
carries the project's licence (``CLINIC_LICENCE``); the cited source is in ``source``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import import_module
from typing import Any

from healthgym.mcp_servers.kb.chunking import Chunker
from healthgym.mcp_servers.kb.passages import Document, chunk_documents, passage_id
from healthgym.schemas import Passage

__all__ = ["CLINIC_LICENCE", "DEFAULT_CORPUS", "calculator_passages", "default_passages", "domain_passage_sources"]

DEFAULT_CORPUS = "clinic"
CLINIC_LICENCE = "Apache-2.0 (healthgym's wording; facts from the cited source)"


def domain_passage_sources() -> dict[str, Any]:
    """Domain name -> its ``passages`` module, or ``None`` when the domain has none yet."""
    from healthgym.mcp_servers.domains import DOMAINS

    out: dict[str, Any] = {}
    for name, package in sorted(DOMAINS.items()):
        try:
            out[name] = import_module(f"{package}.passages")
        except ModuleNotFoundError as err:
            if err.name not in (f"{package}.passages", package):  # a real import error inside the module
                raise
            out[name] = None
    return out


def calculator_passages() -> Iterator[Document]:
    """One document per calculator: its docstring (formula, bands, source) and its inputs."""
    from healthgym.mcp_servers.calculators import CALCULATORS

    for calc in sorted(CALCULATORS.values(), key=lambda c: c.name):
        schema = calc.inputs.model_json_schema()
        inputs = "; ".join(
            f"{name}: {field.get('description', field.get('title', ''))}"
            for name, field in schema.get("properties", {}).items()
        )
        description = calc.description
        source = next((p.strip() for p in description.split("\n\n") if p.strip().startswith("Source")), "")
        yield Document(
            title=f"{calc.title} ({calc.name})",
            text=f"{description}\n\nInputs: {inputs}.",
            source=" ".join(source.split()) or "healthgym calculators",
            metadata={"calculator": calc.name, "area": calc.area, "inputs": json.dumps(list(schema["properties"]))},
            domains=("calculators",),
            licence=CLINIC_LICENCE,
        )


def default_passages(chunker: Chunker, counts: dict[str, int] | None = None) -> Iterator[Passage]:
    """Every passage of the default corpus; ``counts`` (if given) receives passages per source as they stream."""
    counts = counts if counts is not None else {}
    for name, module in domain_passage_sources().items():
        if module is None:
            counts.setdefault(f"{name} (no passages module yet)", 0)
            continue
        counts.setdefault(name, 0)
        for passage in module.passages():
            for out in _fit(passage, chunker):
                counts[name] += 1
                yield out
    counts.setdefault("calculators", 0)
    for passage in chunk_documents(calculator_passages(), DEFAULT_CORPUS, chunker):
        counts["calculators"] += 1
        yield passage


def _fit(passage: Passage, chunker: Chunker) -> Iterator[Passage]:
    """The passage in the default corpus, split when it is longer than the chunk window."""
    chunks = list(chunker.split(passage.text))
    pid = passage.id or passage_id(passage.title, passage.text)
    if len(chunks) <= 1:
        metadata = {**passage.metadata, "document": pid, "licence": CLINIC_LICENCE}
        yield passage.model_copy(update={"corpus": DEFAULT_CORPUS, "id": pid, "metadata": metadata})
        return
    doc = Document(
        title=passage.title,
        text=passage.text,
        source=passage.source,
        metadata={**passage.metadata, "doc_id": pid},
        domains=tuple(passage.domains),
        licence=CLINIC_LICENCE,
    )
    yield from chunk_documents([doc], DEFAULT_CORPUS, chunker)
