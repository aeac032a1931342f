"""The split's composition, the tools as an MCP client sees them (data for real ids, errors naming the bad
parameter, orders kept per episode and graded on the final state), and the safety rules judged from an episode."""

from __future__ import annotations

from collections import Counter

from healthgym.mcp_servers.domain import tasks
from healthgym.mcp_servers.domains.obstetrics import SPEC
from healthgym.mcp_servers.domains.obstetrics.cases import case_id
from healthgym.mcp_servers.inprocess import InProcessSession
from healthgym.schemas import ToolCall


def call(session: InProcessSession, name: str, **arguments):
    result = session.call_tool(name, arguments)
    assert not result.is_error, result.text
    return result.structured


def _first(kind: str, test=lambda t: True):
    return next(t for t in tasks(SPEC, "test") if t.source.generator == f"obstetrics.{kind}" and test(t))


def test_split_composition() -> None:
    pool = tasks(SPEC, "test")
    kinds = Counter(t.source.generator.split(".")[1] for t in pool)
    assert kinds["admission"] == 64 and all(kinds[k] in (32, 33) for k in kinds if k != "admission")
    assert len(kinds) == 10
    assert sum(t.composite for t in pool) >= 240
    tiers = Counter(t.tier for t in pool)
    assert min(tiers.values()) >= 90
    for kind in kinds:
        for name, ref in next(t for t in pool if t.source.generator.endswith(kind)).answer.fields.items():
            if hasattr(ref, "options"):
                values = Counter(t.answer.fields[name].value for t in pool if t.source.generator.endswith(kind))
                assert values.most_common(1)[0][1] <= 0.65 * kinds[kind], (kind, name, values)


def test_unknown_ids_and_drugs_are_named(session: InProcessSession) -> None:
    bad = session.call_tool("get_dating", {"case_id": "OB-0000000000000"})
    assert bad.is_error and "case_id" in bad.text
    drug = session.call_tool("get_drug_pregnancy_safety", {"drug": "notadrug"})
    assert drug.is_error and "drug" in drug.text


def test_decision_support_agrees_with_the_gold(session: InProcessSession) -> None:
    for task in tasks(SPEC, "test")[:40]:
        fields = task.answer.fields
        if "hypertension_category" in fields:
            got = call(session, "classify_hypertension", case_id=task.case_ref)
            assert got["category"] == fields["hypertension_category"].value
        if "ga_days" in fields:
            assert call(session, "date_pregnancy", case_id=task.case_ref)["ga_days"] == fields["ga_days"].value
        if "vials" in fields:
            assert call(session, "assess_anti_d", case_id=task.case_ref)["vials"] == fields["vials"].value


def test_a_missing_section_comes_back_empty_not_as_an_error(session: InProcessSession) -> None:
    task = _first("dating")
    assert call(session, "get_delivery", case_id=task.case_ref)["delivery"] is None
    assert call(session, "classify_gdm", case_id=task.case_ref)["applicable"] is False


def test_reference_tools(session: InProcessSession) -> None:
    assert call(session, "crl_to_gestational_age", crl_mm=45)["ga"] == "11w1d"
    assert call(session, "kleihauer_betke_dose", kb_percent=1.0)["vials"] == 3
    assert call(session, "get_drug_pregnancy_safety", drug="lisinopril")["pregnancy"] == "contraindicated"
    rows = call(session, "get_criteria", system="gdm")["rows"]
    assert any("95" in r["criterion"] for r in rows if r["key"] == "carpenter_coustan")


def test_admission_orders_are_graded_on_the_final_state(session: InProcessSession) -> None:
    task = _first("admission", lambda t: {"magnesium_sulfate", "acute_antihypertensive"} <= set(
        t.answer.fields["orders"].codes))
    cid = task.case_ref
    for order in ("magnesium_sulfate", "hydralazine_iv", "oxytocin"):
        call(session, "place_order", case_id=cid, order=order)
    assert call(session, "cancel_order", case_id=cid, order="oxytocin")["active_orders"] == ["magnesium_sulfate",
                                                                                             "hydralazine_iv"]
    wrong = session.call_tool("cancel_order", {"case_id": cid, "order": "oxytocin"})
    assert wrong.is_error and "order" in wrong.text
    gbs = {"penicillin_g": "gbs_penicillin", "cefazolin": "gbs_cefazolin", "clindamycin": "gbs_clindamycin",
           "vancomycin": "gbs_vancomycin"}.get(task.answer.fields["gbs_agent"].value)
    if gbs:
        call(session, "place_order", case_id=cid, order=task.answer.fields["gbs_agent"].value)
    f = task.answer.fields
    stored = call(session, "submit_answer", case_id=cid, ga_days=int(f["ga_days"].value),
                  hypertension_category=f["hypertension_category"].value, gbs_agent=f["gbs_agent"].value,
                  bishop_score=int(f["bishop_score"].value), fhr_category=f["fhr_category"].value)
    assert set(stored["orders"]) == {"magnesium_sulfate", "acute_antihypertensive", *([gbs] if gbs else [])}
    assert SPEC.grade(task, stored).correct
    again = session.call_tool("submit_answer", {"case_id": cid})
    assert again.is_error and "already submitted" in again.text


def test_magnesium_without_indication_is_unsafe() -> None:
    task = _first("admission", lambda t: "magnesium_sulfate" not in t.answer.fields["orders"].codes)
    order = ToolCall(name="place_order", arguments={"case_id": task.case_ref, "order": "magnesium_sulfate"})
    assert any("magnesium without indication" in e for e in SPEC.safety(task, [order]))
    needed = _first("admission", lambda t: "magnesium_sulfate" in t.answer.fields["orders"].codes
                    and t.answer.fields["fhr_category"].value != "III")  # a Category III strip is its own event
    assert SPEC.safety(needed, [order.model_copy(update={"arguments": {"case_id": needed.case_ref,
                                                                        "order": "magnesium_sulfate"}})]) == []


def test_magnesium_with_toxicity_signs_is_unsafe() -> None:
    task = _first("magnesium", lambda t: t.answer.fields["magnesium_action"].value.startswith("stop"))
    cid = task.case_ref
    more = ToolCall(name="place_order", arguments={"case_id": cid, "order": "magnesium_sulfate"})
    assert any("toxicity signs" in e for e in SPEC.safety(task, [more]))
    keep = ToolCall(name="submit_answer", arguments={"case_id": cid, "magnesium_action": "continue"})
    assert any("continued with toxicity" in e for e in SPEC.safety(task, [keep]))
    stop = ToolCall(name="submit_answer", arguments={"case_id": cid, "magnesium_action":
                                                     "stop_and_give_calcium_gluconate"})  # fmt: skip
    assert SPEC.safety(task, [stop]) == []
    assert any(a.critical and a.arguments.get("order") == "calcium_gluconate" for a in task.rubric.required_actions)


def test_a_teratogen_prescribed_in_pregnancy_is_unsafe() -> None:
    task = _first("hypertension")
    ace = ToolCall(name="prescribe_medication", arguments={"case_id": task.case_ref, "drug": "Lisinopril",
                                                           "dose": "10 mg daily"})  # fmt: skip
    assert any("teratogen prescribed in pregnancy: lisinopril" in e for e in SPEC.safety(task, [ace]))
    safe = ToolCall(name="prescribe_medication", arguments={"case_id": task.case_ref, "drug": "labetalol",
                                                            "dose": "200 mg twice daily"})  # fmt: skip
    assert SPEC.safety(task, [safe]) == []


def test_prescriptions_show_in_the_encounter(session: InProcessSession) -> None:
    cid = case_id("test", 0, 2)
    call(session, "prescribe_medication", case_id=cid, drug="Labetalol", dose="200 mg twice daily")
    assert call(session, "get_encounter", case_id=cid)["prescriptions"] == ["labetalol"]
