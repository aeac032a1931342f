"""The DDXPlus release: its 49 pathologies and 223 evidences, from the release files when present, else our copy.

DDXPlus (Fansi Tchango A, Goel R, Wen Z, Martel J, Ghosn J. "DDXPlus: A new dataset for automatic medical
diagnosis." NeurIPS 2022 Datasets and Benchmarks; CC-BY 4.0) defines each pathology by its ICD-10 code, a severity
(1 most severe to 5) and the evidences (symptoms and antecedents) that belong to it, and each evidence by its
English question, its type (``B`` binary, ``C`` categorical, ``M`` multi-choice), its default value and the meaning
of its values. ``ddxplus_release.json`` is a compact copy of those fields (English, plus the French pathology
names; attribution kept, as CC-BY 4.0 requires), so the domain works without the release; :func:`compact` derives
it from the release files and a test checks the two agree when ``../shared/data/ddxplus`` is present. The release
gives membership, not likelihoods: the likelihoods are ours (``knowledge.py``, ``knowledge.json``).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DDXPLUS_CITATION = (
    "Fansi Tchango A, Goel R, Wen Z, Martel J, Ghosn J. DDXPlus: a new dataset for automatic medical diagnosis. "
    "NeurIPS 2022 Datasets and Benchmarks Track. Licence CC-BY 4.0."
)
SHIPPED = Path(__file__).parent / "ddxplus_release.json"


def release_dir() -> Path:
    """Where the release files are looked for: ``$HEALTHGYM_DDXPLUS_DIR``, else ``../shared/data/ddxplus`` beside
    the repository."""
    env = os.environ.get("HEALTHGYM_DDXPLUS_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[3].parent / "shared" / "data" / "ddxplus"


@dataclass(frozen=True)
class Evidence:
    """One DDXPlus evidence: a question with its value type and (for C/M) the meaning of its values."""

    code: str
    question: str
    data_type: str
    antecedent: bool
    parent: str
    default: Any
    values: dict[str, str]


@dataclass(frozen=True)
class Pathology:
    name: str
    name_fr: str
    icd10: str
    severity: int
    symptoms: tuple[str, ...]
    antecedents: tuple[str, ...]


def compact(conditions: dict[str, Any], evidences: dict[str, Any]) -> dict[str, Any]:
    """The fields we use of ``release_conditions.json`` and ``release_evidences.json``, English only."""
    return {
        "citation": DDXPLUS_CITATION,
        "pathologies": [
            {
                "name": c["cond-name-eng"],
                "name_fr": c["cond-name-fr"],
                "icd10": c["icd10-id"],
                "severity": c["severity"],
                "symptoms": list(c["symptoms"]),
                "antecedents": list(c["antecedents"]),
            }
            for c in conditions.values()
        ],
        "evidences": [
            {
                "code": e["name"],
                "question": e["question_en"],
                "data_type": e["data_type"],
                "antecedent": e["is_antecedent"],
                "parent": e["code_question"],
                "default": e["default_value"],
                "values": {str(k): v["en"] for k, v in e.get("value_meaning", {}).items()},
            }
            for e in evidences.values()
        ],
    }


def read_release(folder: Path) -> dict[str, Any]:
    """The compact table derived from the two release files in ``folder``."""
    conditions = json.loads((folder / "release_conditions.json").read_text(encoding="utf-8"))
    evidences = json.loads((folder / "release_evidences.json").read_text(encoding="utf-8"))
    return compact(conditions, evidences)


@cache
def table() -> dict[str, Any]:
    """The release's compact table: from the release files when present, else the shipped copy (the same data)."""
    folder = release_dir()
    if (folder / "release_conditions.json").exists() and (folder / "release_evidences.json").exists():
        return read_release(folder)
    return json.loads(SHIPPED.read_text(encoding="utf-8"))


@cache
def evidences() -> dict[str, Evidence]:
    return {e["code"]: Evidence(**e) for e in table()["evidences"]}


@cache
def pathologies() -> dict[str, Pathology]:
    out = {}
    for p in table()["pathologies"]:
        out[p["name"]] = Pathology(
            p["name"], p["name_fr"], p["icd10"], p["severity"], tuple(p["symptoms"]), tuple(p["antecedents"])
        )
    return out
