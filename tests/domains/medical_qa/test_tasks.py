"""Items and their keys: hand-checked worked examples from the sources, same-type distractors, unique golds, and
the grader's citation credit."""

from __future__ import annotations

from collections import Counter

import pytest

from healthgym.mcp_servers.domain import tasks
from healthgym.mcp_servers.domains.drug_interaction.knowledge import knowledge
from healthgym.mcp_servers.domains.medical_qa import SPEC
from healthgym.mcp_servers.domains.medical_qa.bank import MAX_SUPPORT_CHARS, bank, crcl_thresholds, stated
from healthgym.mcp_servers.domains.medical_qa.items import plan
from healthgym.mcp_servers.kb.builtin import builtin_index
from healthgym.schemas import Task


@pytest.fixture(scope="module")
def test_split() -> list[Task]:
    return tasks(SPEC, "test")


def _facts(kind: str, drug: str):
    pool = {"class": bank().classes, "renal": bank().renal}[kind]
    return next(f for f in pool if f.drug == drug)


def test_worked_examples_from_the_labels() -> None:
    """Gold facts checked by hand against the source each monograph cites."""
    # ZOVIRAX label: zoster dosing extended at CrCl 10-25 and < 10 mL/min -> the highest bound is 25.
    assert _facts("renal", "acyclovir").bounds == (10.0, 25.0)
    assert _facts("renal", "acyclovir").threshold == 25.0
    # FOSAMAX label: not recommended for CrCl < 35 mL/min.
    assert _facts("renal", "alendronate").threshold == 35.0
    # Lisinopril is an ACE inhibitor (ZESTRIL label), atenolol a beta-1 selective blocker (TENORMIN label), warfarin
    # a vitamin K antagonist (COUMADIN label), sertraline an SSRI (ZOLOFT label).
    assert _facts("class", "lisinopril").drug_class == "ACE inhibitor"
    assert _facts("class", "atenolol").drug_class == "Beta-1 selective blocker"
    assert _facts("class", "warfarin").drug_class == "Vitamin K antagonist"
    assert _facts("class", "sertraline").drug_class == "Selective serotonin reuptake inhibitor"


def test_worked_multihop_example() -> None:
    """Fluconazole inhibits CYP2C9 and raises warfarin exposure (COUMADIN label, drug interactions; FDA DDI table):
    a major interaction; warfarin is an anticoagulant for atrial fibrillation and fluconazole treats no arrhythmia."""
    fact = next(f for f in bank().multihop if (f.condition, f.drug) == ("atrial_fibrillation", "fluconazole"))
    assert (fact.treatment, fact.severity) == ("warfarin", "major")
    assert fact.condition_passage.title == "Condition: Atrial fibrillation"
    assert fact.interaction_passage.title in ("Interaction: warfarin and fluconazole",
                                              "Interaction: fluconazole and warfarin")


def test_crcl_thresholds_read_every_band_bound() -> None:
    text = "x (renal dosing): By Cockcroft-Gault creatinine clearance: CrCl < 10 mL/min: extend interval (800 mg " \
        "every 12 h (zoster)); CrCl 10 to <= 25 mL/min: extend interval (800 mg every 8 h (zoster))."
    assert crcl_thresholds(text) == [10.0, 10.0, 25.0]
    assert stated("ACE inhibitor", "lisinopril is an ace inhibitor.") and not stated("ACE", "a placebo")


def test_multihop_facts_need_both_passages() -> None:
    k = knowledge()
    for fact in bank().multihop[:200]:
        assert fact.treatment in k.conditions[fact.condition].treatments
        assert frozenset((fact.drug, fact.treatment)) in k.interactions
        assert fact.drug not in k.conditions[fact.condition].treatments
        assert fact.treatment in fact.condition_passage.text and fact.drug in fact.interaction_passage.text


def test_split_layout_and_distinct_facts(test_split: list[Task]) -> None:
    kinds = Counter((t.source.generator.split(".")[1], t.tier) for t in test_split)
    assert kinds == {("drug_class", "assisted"): 75, ("drug_class", "unassisted"): 75,
                     ("renal_threshold", "assisted"): 15, ("renal_threshold", "unassisted"): 15,
                     ("interaction_multihop", "assisted"): 90, ("interaction_multihop", "unassisted"): 90}
    assert len({(t.source.generator, tuple(sorted(t.parameters.items()))) for t in test_split}) == 360
    assert [plan(i)[0] for i in range(12)] == ["drug_class"] * 5 + ["renal_threshold"] + ["interaction_multihop"] * 6
    renal = Counter(t.answer.fields["answer"].value for t in test_split if "renal" in t.source.generator)
    assert renal.most_common(1)[0][1] <= 6, renal  # 42 of 77 labels start at 30 mL/min; the split is balanced


def test_distractors_are_of_the_same_type_and_the_gold_is_unique(test_split: list[Task]) -> None:
    k = knowledge()
    classes = {d.drug_class for d in k.drugs.values()}
    bounds = {f"{b.below:g}" for d in k.drugs.values() for b in d.renal}
    for task in test_split:
        ref = task.answer.fields["answer"]
        assert len(ref.options) == 6 and len(set(ref.options)) == 6 and ref.value in ref.options
        kind = task.source.generator.split(".")[1]
        if kind == "drug_class":
            assert set(ref.options) <= classes
            drug = k.drugs[task.parameters["drug"]]
            same_group = {d.drug_class for d in k.drugs.values() if d.group == drug.group} - {drug.drug_class}
            assert len(set(ref.options) & same_group) >= min(3, len(same_group))
        elif kind == "renal_threshold":
            assert set(ref.options) <= bounds
        else:
            treats = set(k.conditions[task.parameters["condition"]].treatments)
            partners = {d for pair in k.interactions if task.parameters["drug"] in pair for d in pair}
            both = [o for o in ref.options if o in treats and o in partners]
            assert both == [ref.value]


def test_supporting_passages_are_whole_passages_of_the_built_in_corpus(test_split: list[Task]) -> None:
    index = builtin_index()
    for task in test_split:
        if task.tier == "assisted":
            for pid in task.answer.fields["citations"].codes:
                passage = index.get("clinic", pid)
                assert len(passage.text) <= MAX_SUPPORT_CHARS
        assert task.composite == (len(task.privileged.key_evidence) == 2)


def test_grader_credits_citations(test_split: list[Task]) -> None:
    multihop = next(t for t in test_split if t.composite and t.tier == "assisted")
    gold = multihop.answer.fields["answer"].value
    support = multihop.answer.fields["citations"].codes
    grade = SPEC.grade
    assert grade(multihop, {"answer": gold, "citations": support}).score == 1.0
    assert grade(multihop, {"answer": gold, "citations": []}).score == 0.5
    assert grade(multihop, {"answer": gold, "citations": ["0" * 24]}).score == 0.5
    one = grade(multihop, {"answer": gold, "citations": support[:1]})
    assert one.score == pytest.approx(0.5 + 0.5 * 2 / 3) and not one.correct
    extra = grade(multihop, {"answer": gold, "citations": [*support, "0" * 24]})
    assert extra.details["citation_precision"] == pytest.approx(2 / 3) and not extra.correct
    wrong = next(o for o in multihop.answer.fields["answer"].options if o != gold)
    assert grade(multihop, {"answer": wrong, "citations": support}).score == 0.0
    closed = next(t for t in test_split if t.tier == "unassisted")
    assert "citations" not in closed.answer.fields
    assert grade(closed, {"answer": closed.answer.fields["answer"].value}).correct
