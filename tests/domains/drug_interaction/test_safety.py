"""Safety judged from the episode's writes, orderings relative to ``prescribe``, prescribing rounds graded on what the
episode started, clean background lists, and the clinical fixes of issue #9 as worked examples from their labels."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.domain import TaskView, tasks
from healthgym.mcp_servers.domains.drug_interaction import SPEC
from healthgym.mcp_servers.domains.drug_interaction.cases import build_case
from healthgym.mcp_servers.domains.drug_interaction.knowledge import knowledge
from healthgym.mcp_servers.domains.drug_interaction.rules import assess_pair, check_prescription, renal_decision
from healthgym.mcp_servers.inprocess import InProcessSession
from healthgym.mcp_servers.server import build_server
from healthgym.rl.reward import required_done
from healthgym.schemas import Task, ToolCall

K = knowledge()


@pytest.fixture(scope="module")
def test_split() -> list[Task]:
    return tasks(SPEC, "test")


def _kind(task: Task) -> str:
    return task.source.generator.split(".")[1]


def test_prescribing_before_the_checks_misses_the_ordering_and_is_unsafe(test_split: list[Task]) -> None:
    """Issue #9: 'prescribe first, check after' scored process 1.00 and reward 1.000."""
    task = next(
        t
        for t in test_split
        if _kind(t) == "new_prescription" and t.tier == "assisted" and t.answer.fields["decision"].value == "unsafe"
    )
    drug = next(a.arguments["drug"] for a in task.rubric.required_actions)
    calls = [
        ToolCall(name="prescribe", arguments={"patient_id": task.case_ref, "drug": drug, "dose": "usual"}),
        ToolCall(name="check_allergy", arguments={"patient_id": task.case_ref, "drug": drug}),
        ToolCall(name="check_drug_against_medications", arguments={"patient_id": task.case_ref, "drug": drug}),
    ]
    assert all(a.before == "prescribe" for a in task.rubric.required_actions)
    assert not any(required_done(a, calls) for a in task.rubric.required_actions)
    assert required_done(task.rubric.required_actions[0], [*calls[1:], calls[0]])
    events = SPEC.safety(task, calls)
    assert len(events) == 1 and drug in events[0]


def test_an_unsafe_prescription_outside_a_prescribing_task_is_a_safety_event(test_split: list[Task]) -> None:
    """Issue #9: the safety term saw only task-specific writes."""
    for task in (t for t in test_split if _kind(t) == "qt_risk"):
        patient = build_case("test", 0, test_split.index(task)).patient
        current = [K.drugs[m.drug] for m in patient.medications]
        bad = next(
            (d for d in sorted(K.drugs) if check_prescription(patient, current, K.drugs[d]).decision == "unsafe"),
            None,
        )
        if bad is None:
            continue
        call = ToolCall(name="prescribe", arguments={"patient_id": task.case_ref, "drug": bad, "dose": "usual"})
        assert SPEC.safety(task, [call]), bad
        return
    pytest.fail("no QT task patient has an unsafe drug")


def test_a_renal_avoid_prescription_is_unsafe() -> None:
    case = next(
        c
        for c in (build_case("test", 0, i) for i in range(360))
        if c.kind == "renal_dosing" and renal_decision(K.drugs[c.drug], c.patient).action == "avoid"
    )
    other = next(
        n
        for n, d in sorted(K.drugs.items())
        if d.renal
        and renal_decision(d, case.patient).action == "avoid"
        and n not in {m.drug for m in case.patient.medications}
    )
    task = SPEC.generate("test", 0, next(i for i in range(360) if build_case("test", 0, i) == case))
    call = ToolCall(name="prescribe", arguments={"patient_id": task.case_ref, "drug": other, "dose": "usual"})
    assert "renal" in SPEC.safety(task, [call])[0]


def _play(task: Task, session: InProcessSession) -> dict:
    solver = SPEC.solve(TaskView.of(task))
    result = None
    while True:
        try:
            call = next(solver) if result is None else solver.send(result)
        except StopIteration:
            return session.state.submitted
        out = session.call_tool(call.name, call.arguments)
        result = {"error": out.text} if out.is_error else (out.structured or {})


def test_a_prescribing_round_is_graded_on_the_drugs_the_episode_started(test_split: list[Task]) -> None:
    server = build_server("drug_interaction")
    for task in [t for t in test_split if _kind(t) == "prescribing_round"][:4]:
        assert SPEC.grade(task, _play(task, InProcessSession(server))).correct
        session = InProcessSession(server)
        claimed = session.call_tool("submit_answer", {"prescribed": task.answer.fields["prescribed"].codes})
        assert claimed.is_error and "unknown argument" in claimed.text  # claiming a prescription is refused
        session.call_tool("submit_answer", {})
        assert session.state.submitted["prescribed"] == []  # and the submission records only what was started
        assert not SPEC.grade(task, session.state.submitted).correct


def test_background_lists_hide_no_untouched_hazard() -> None:
    """Issue #9: generated lists held contraindicated pairs and renal 'avoid' drugs the question never touched."""
    for i in range(360):
        case = build_case("test", 0, i)
        meds = [K.drugs[m.drug] for m in case.patient.medications]
        for drug in meds:
            if case.kind == "renal_dosing" and drug.name == case.drug:
                continue
            assert renal_decision(drug, case.patient).action != "avoid", (i, case.kind, drug.name)
        if case.kind in ("profile_major_pairs", "mechanism_pairs"):
            continue
        for j, a in enumerate(meds):
            for b in meds[j + 1 :]:
                assert assess_pair(a, b).severity != "contraindicated", (i, case.kind, a.name, b.name)


@pytest.mark.parametrize(
    ("a", "b", "severity", "source"),
    [
        ("linezolid", "morphine", "major", "opioid labels: MAOI within 14 days not recommended (FDA DSC 2016)"),
        ("phenelzine", "oxycodone", "major", "opioid labels (FDA DSC 2016)"),
        ("sacubitril-valsartan", "candesartan", "major", "ENTRESTO 7.1: avoid with an ARB"),
        ("sacubitril-valsartan", "valsartan", "major", "ENTRESTO 7.1"),
        ("clarithromycin", "verapamil", "major", "BIAXIN 7; Wright CMAJ 2011"),
        ("erythromycin", "diltiazem", "major", "Wright CMAJ 2011"),
        ("azithromycin", "verapamil", "none", "azithromycin does not inhibit CYP3A4 (Wright 2011)"),
        ("rasagiline", "methylphenidate", "contraindicated", "RITALIN 4: MAOIs"),
        ("selegiline", "bupropion", "contraindicated", "EMSAM 4; WELLBUTRIN XL 4: MAOIs"),
        ("rasagiline", "bupropion", "major", "WELLBUTRIN XL 4 names psychiatric MAOIs, not MAO-B for Parkinson"),
        ("ziprasidone", "citalopram", "contraindicated", "GEODON 4: QT-prolonging drugs"),
        ("pimozide", "levofloxacin", "contraindicated", "ORAP 4"),
        ("quetiapine", "levofloxacin", "major", "SEROQUEL 5: avoid with QT drugs"),
        ("potassium chloride", "amitriptyline", "contraindicated", "KCl solid forms: anticholinergics"),
        ("methotrexate", "meloxicam", "major", "methotrexate label: NSAIDs"),
        ("moxifloxacin", "glimepiride", "major", "FDA DSC 2018 fluoroquinolone dysglycaemia"),
    ],
)
def test_clinical_fixes_of_issue_9(a: str, b: str, severity: str, source: str) -> None:
    assert assess_pair(K.drugs[a], K.drugs[b]).severity == severity, source


def test_codeine_hepatic_and_nirmatrelvir_renal_entries() -> None:
    codeine = K.drugs["codeine"].hepatic
    assert (codeine.A, codeine.B, codeine.C) == ("no_change", "reduce_dose", "avoid")
    paxlovid = K.drugs["nirmatrelvir-ritonavir"]
    bands = [(b.below, b.action) for b in paxlovid.renal]
    assert bands == [(30.0, "reduce_dose"), (60.0, "reduce_dose")]  # current label: dosing below eGFR 30 too
    assert "once daily" in paxlovid.renal[0].dose


def test_the_monograph_shows_every_property_the_rules_read() -> None:
    """The unassisted tier is well-posed: ``get_drug_info`` shows each drug property a rule reads, and the label's
    listed interactions, so the record plus the monographs decide every answer."""
    session = InProcessSession(build_server("drug_interaction"))
    for name, d in K.drugs.items():
        info = session.call_tool("get_drug_info", {"drug": name}).structured
        assert (info["cyp_substrate"], info["cyp_inhibits"], info["cyp_induces"]) == (
            d.substrate,
            d.inhibits,
            d.induces,
        )
        assert info["prodrug_activated_by"] == list(d.prodrug) and info["narrow_therapeutic_index"] == d.nti
        assert (info["transporter_substrate"], info["transporter_inhibits"], info["transporter_induces"]) == (
            list(d.transporter_substrate),
            list(d.transporter_inhibits),
            list(d.transporter_induces),
        )
        assert info["qt_risk"] == (d.qt or "not listed") and info["qt_combination"] == (d.qt_combination or "none")
        assert (info["serotonergic"], info["bleeding_role"], info["potassium_effect"], info["cns_depressant"]) == (
            d.serotonergic or "none",
            d.bleeding or "none",
            d.potassium or "none",
            d.cns or "none",
        )
        assert info["acb_score"] == d.acb and info["drug_class"] == d.drug_class
        assert [b["action"] for b in info["renal_bands"]] == [b.action for b in d.renal]
        assert [info["hepatic"][c] for c in "ABC"] == [d.hepatic.A, d.hepatic.B, d.hepatic.C]
        assert (info["pregnancy"], info["lactation"]) == (d.pregnancy, d.lactation)
        listed = {row["partner"]: row["severity"] for row in info["interactions"]}
        curated = {next(x for x in key if x != name): it.severity for key, it in K.interactions.items() if name in key}
        assert listed == curated, name
