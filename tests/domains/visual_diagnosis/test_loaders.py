"""The VQA-RAD / SLAKE style loader: records become tasks whose image reaches the agent as image content."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from healthgym.mcp_servers.domains import get_domain
from healthgym.mcp_servers.inprocess import InProcessSession
from healthgym.mcp_servers.loaders import load_tasks
from healthgym.mcp_servers.server import build_server

FIXTURES = Path(__file__).parent / "fixtures"
SPEC = get_domain("visual_diagnosis")


def test_vqa_rad_records_become_gradeable_tasks() -> None:
    tasks = load_tasks(SPEC, "vqa-json", FIXTURES / "vqa_rad_sample.json")
    assert len(tasks) == 3 and len({t.case_ref for t in tasks}) == 3
    closed, open_, _ = tasks
    assert closed.answer.fields["vqa_answer"].options == ["yes", "no"]
    assert SPEC.grade(closed, {"vqa_answer": "Yes"}).correct
    assert not SPEC.grade(closed, {"vqa_answer": "no"}).correct
    assert SPEC.grade(open_, {"vqa_answer": "Complete  heart_block"}).correct
    assert not SPEC.grade(open_, {"vqa_answer": "mobitz ii"}).correct


def test_slake_keeps_english_records_only() -> None:
    tasks = load_tasks(SPEC, "vqa-json", FIXTURES / "slake_sample.jsonl")
    assert [t.answer.fields["vqa_answer"].value for t in tasks] == ["fixed upper airway obstruction"]


def test_the_image_is_served_and_the_answer_submitted() -> None:
    task = load_tasks(SPEC, "vqa-json", FIXTURES / "vqa_rad_sample.json")[0]
    session = InProcessSession(build_server("visual_diagnosis"))
    out = session.call_tool("get_vqa_image", {"case_id": task.case_ref})
    assert not out.is_error and out.structured["question"] == "Is there atrioventricular dissociation?"
    (image,) = out.images
    assert base64.b64decode(image["data"]) == (FIXTURES / "images" / "strip_0132.png").read_bytes()
    sub = session.call_tool("submit_answer", {"case_id": task.case_ref, "vqa_answer": "yes"})
    assert not sub.is_error and SPEC.grade(task, sub.structured).correct
    assert SPEC.safety(task, []) == []


def test_generated_cases_have_no_vqa_image(session: InProcessSession, test_cases) -> None:
    out = session.call_tool("get_vqa_image", {"case_id": test_cases[0].record.case_id})
    assert out.structured["available"] is False and out.images == []


@pytest.mark.parametrize(
    ("records", "message"),
    [([{"question": "q", "answer": "a"}], "no image file name"),
     ([{"image_name": "strip_0132.png", "answer": "a"}], "field 'question'"),
     ([{"image_name": "missing.png", "question": "q", "answer": "a"}], "image 'missing.png' not found")],
)  # fmt: skip
def test_malformed_records_are_named(tmp_path: Path, records: list[dict], message: str) -> None:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "strip_0132.png").write_bytes((FIXTURES / "images" / "strip_0132.png").read_bytes())
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(records))
    with pytest.raises(ValueError, match=message) as err:
        load_tasks(SPEC, "vqa-json", path)
    assert "bad.json:1" in str(err.value)


def test_study_tools_point_a_loaded_question_to_its_tools() -> None:
    task = load_tasks(SPEC, "vqa-json", FIXTURES / "vqa_rad_sample.json")[0]
    out = InProcessSession(build_server("visual_diagnosis")).call_tool("get_ecg", {"case_id": task.case_ref})
    assert out.is_error and "get_vqa_image" in out.text
