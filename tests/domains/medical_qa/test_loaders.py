"""Loader fixtures (written by us) in each format load, play end to end in both books and grade; malformed records
are refused naming the line and field; the shared MedQuAD file loads when it is there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from healthgym.agents.reference import play_reference
from healthgym.mcp_servers.domains.medical_qa import SPEC
from healthgym.mcp_servers.domains.medical_qa.loaders import read_medquad
from healthgym.mcp_servers.inprocess import InProcessSession
from healthgym.mcp_servers.loaders import load_tasks
from healthgym.mcp_servers.server import build_server
from healthgym.rl.env import HealthGymEnv
from tests.domains.medical_qa.conftest import FIXTURES

MEDQUAD = Path(__file__).resolve().parents[4] / "shared" / "data" / "medquad" / "medquad_answered.jsonl"
"""../shared/data of the repository (absent in a worktree elsewhere: the test skips)."""


def _play(tasks):
    out = {}
    for tier in ("assisted", "unassisted"):
        env = HealthGymEnv("medical_qa", "test", tier=tier, max_turns=32)
        out[tier] = [play_reference(env, t) for t in tasks if t.tier == tier]
        env.close()
    return out


def test_medqa_jsonl_loads_plays_and_grades_the_answer_only() -> None:
    tasks = load_tasks(SPEC, "medqa", FIXTURES / "medqa.jsonl")
    assert len(tasks) == 6 and {t.tier for t in tasks} == {"assisted", "unassisted"}
    first = tasks[0]
    assert first.case_ref.startswith("QA-F") and set(first.answer.fields) == {"answer"}
    assert first.answer.fields["answer"].value == "A. amiodarone"
    played = _play(tasks)
    for runs in played.values():
        assert len(runs) == 3 and all(r.error is None and r.grade.submitted is not None for r in runs)
    assert SPEC.grade(first, {"answer": "A. amiodarone"}).correct
    assert not SPEC.grade(first, {"answer": "B. digoxin"}).correct


def test_pubmedqa_contexts_become_a_corpus_and_the_supporting_set() -> None:
    tasks = load_tasks(SPEC, "pubmedqa", FIXTURES / "ori_pqal.json")
    assert len(tasks) == 6
    session = InProcessSession(build_server("medical_qa"))
    corpora = {c["name"]: c for c in session.call_tool("list_corpora", {}).structured["corpora"]}
    assert corpora["pubmedqa"]["passages"] == 6 and corpora["pubmedqa"]["backend"] == "loaded"
    hits = session.call_tool("search_knowledge", {"query": "acyclovir neurotoxicity dosing interval",
                                                   "corpus": "pubmedqa"}).structured["hits"]  # fmt: skip
    assert hits[0]["document"] == "90000001" and "MIT" in hits[0]["licence"]
    opened = [t for t in tasks if t.tier == "assisted"][0]
    support = opened.answer.fields["citations"].codes
    assert {h["id"] for h in hits[:2]} == set(support)
    assert SPEC.grade(opened, {"answer": "yes", "citations": support}).correct
    assert SPEC.grade(opened, {"answer": "yes"}).score == 0.5
    played = _play(tasks)
    assert all(r.error is None and r.grade.submitted is not None for runs in played.values() for r in runs)


def test_medquad_questions_are_answered_from_retrieval_with_citations() -> None:
    tasks = load_tasks(SPEC, "medquad", FIXTURES / "medquad.jsonl")
    assert len(tasks) == 14
    options = tasks[0].answer.fields["answer"].options
    assert len(options) == 6 and all("this condition" in o for o in options)
    assert not any("Glimmer" in o for o in options)
    played = _play(tasks)
    assert all(r.grade.correct for r in played["assisted"])  # the excerpt is in the retrieved answer
    assert all(r.error is None for r in played["unassisted"])


def test_malformed_records_name_the_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"question": "q?", "options": {"A": "x", "B": "y"}, "answer_idx": "E"}) + "\n")
    with pytest.raises(ValueError, match=r"bad.jsonl:1: field 'answer_idx'"):
        load_tasks(SPEC, "medqa", bad)
    pq = tmp_path / "ori_pqal.json"
    pq.write_text(json.dumps({"1": {"QUESTION": "q?", "CONTEXTS": ["c"], "final_decision": "perhaps"}}))
    with pytest.raises(ValueError, match="PMID 1: field 'final_decision'"):
        load_tasks(SPEC, "pubmedqa", pq)
    with pytest.raises(ValueError, match="no loader for format 'csv'"):
        load_tasks(SPEC, "csv", bad)


@pytest.mark.skipif(not MEDQUAD.exists(), reason="the shared MedQuAD file is not here")
def test_the_shared_medquad_file_loads() -> None:
    loaded = read_medquad(MEDQUAD, limit=20)
    assert len(loaded.tasks) == 40
    assert all(t.answer.fields["answer"].value in t.answer.fields["answer"].options for t in loaded.tasks)
