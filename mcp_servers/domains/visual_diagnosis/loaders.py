"""Visual question answering files the user has (VQA-RAD, SLAKE, PathVQA style): an image file, a question and its
answer per record, for evaluating agents that see.

Format ``vqa-json``: a JSON list or JSON Lines of objects with the image file name under ``image_name`` (VQA-RAD),
``img_name`` (SLAKE) or ``image``, a ``question`` and an ``answer``, and optionally ``answer_type`` (``CLOSED`` or
``OPEN``) and ``q_lang`` (SLAKE: only English records are read). The image is looked for next to the file, then in
its ``images/``, ``imgs/`` and ``VQA_RAD Image Folder/`` folders. Each record becomes a ``vqa`` task whose case id is
``VIS-F`` and a digest of the record (``loaders.loaded_case_id``): ``get_vqa_image`` returns the image as MCP image
content; the answer is graded by exact match after normalizing case, spaces and underscores (closed questions have
the options yes and no), the metric VQA-RAD and SLAKE report (Lau 2018; Liu 2021).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from healthgym.mcp_servers.domains.visual_diagnosis.cases import DOMAIN, PREFIX
from healthgym.mcp_servers.loaders import LoadedTasks, TaskLoader, loaded_case_id
from healthgym.schemas import (
    ActionSpec,
    ChoiceAnswer,
    FieldsAnswer,
    Privileged,
    Rubric,
    Source,
    Task,
)

VERSION = "1.0.0"
IMAGE_KEYS = ("image_name", "img_name", "image")
IMAGE_DIRS = (".", "images", "imgs", "VQA_RAD Image Folder")
MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp"}


class VqaCase(BaseModel):
    """A user's image question: the record behind a loaded ``VIS-F...`` id."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    case_id: str
    image_path: str
    mime_type: str
    question: str
    answer: str
    answer_type: str


def _records(path: Path) -> list[tuple[int, Any]]:
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("["):
        try:
            return list(enumerate(json.loads(text), start=1))
        except json.JSONDecodeError as err:
            raise ValueError(f"{path}: not valid JSON ({err.msg} at line {err.lineno})") from None
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                out.append((number, json.loads(line)))
            except json.JSONDecodeError as err:
                raise ValueError(f"{path}:{number}: not a JSON object ({err.msg})") from None
    return out


def _image(path: Path, number: int, name: str) -> Path:
    for folder in IMAGE_DIRS:
        candidate = (path.parent / folder / name).resolve()
        if candidate.is_file():
            if candidate.suffix.lower() not in MIME:
                raise ValueError(f"{path}:{number}: image {name!r} is not one of {', '.join(MIME)}")
            return candidate
    raise ValueError(f"{path}:{number}: image {name!r} not found next to the file or in {', '.join(IMAGE_DIRS[1:])}")


def read_vqa(path: Path) -> LoadedTasks:
    """Read a VQA-RAD / SLAKE / PathVQA style file into ``vqa`` tasks; ``ValueError`` naming the record and field
    of a malformed one."""
    tasks: list[Task] = []
    cases: dict[str, VqaCase] = {}
    for number, raw in _records(path):
        if not isinstance(raw, dict):
            raise ValueError(f"{path}:{number}: expected an object, got {type(raw).__name__}")
        if raw.get("q_lang", "en") != "en":
            continue
        key = next((k for k in IMAGE_KEYS if raw.get(k)), None)
        if key is None:
            raise ValueError(f"{path}:{number}: no image file name (one of {', '.join(IMAGE_KEYS)})")
        for field in ("question", "answer"):
            if not str(raw.get(field, "")).strip():
                raise ValueError(f"{path}:{number}: field {field!r} is missing or empty")
        image = _image(path, number, str(raw[key]))
        question, answer = str(raw["question"]).strip(), str(raw["answer"]).strip()
        closed = str(raw.get("answer_type", "")).upper() == "CLOSED" or answer.lower() in ("yes", "no")
        cid = loaded_case_id(PREFIX, json.dumps([image.name, question, answer]))
        cases[cid] = VqaCase(case_id=cid, image_path=str(image), mime_type=MIME[image.suffix.lower()],
                             question=question, answer=answer, answer_type="closed" if closed else "open")
        options = ["yes", "no"] if closed else [answer]
        tasks.append(Task(
            id=f"{DOMAIN}-{cid}", domain=DOMAIN, split="test", tier="assisted", composite=False,
            prompt=f"Case {cid}: look at the image (get_vqa_image) and answer: {question} Answer with "
                   f"submit_answer(case_id, vqa_answer).",
            case_ref=cid, answer=FieldsAnswer(fields={"vqa_answer": ChoiceAnswer(value=answer, options=options)}),
            privileged=Privileged(rationale=f"{path.name} record {number}: {answer}", key_evidence=[image.name],
                                  reference_path=[f"get_vqa_image(case_id={cid!r})", "submit_answer(...)"]),
            rubric=Rubric(required_actions=[ActionSpec(tool="get_vqa_image", arguments={"case_id": cid},
                                                       before="submit_answer", why="look at the image")],
                          max_tool_calls=6),
            source=Source(generator=f"{DOMAIN}.vqa", version=VERSION),
        ))  # fmt: skip
    return LoadedTasks(tasks=tasks, cases=cases)


LOADERS = {"vqa-json": TaskLoader("VQA-RAD / SLAKE / PathVQA style JSON or JSONL: image file, question, answer",
                                  read_vqa)}  # fmt: skip
