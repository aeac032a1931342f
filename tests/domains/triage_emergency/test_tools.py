"""The tools as an MCP client sees them: data for real arrival ids, errors that name the bad parameter, and reads
that show this episode's writes (and only this episode's)."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.clinic import EpisodeState
from healthgym.mcp_servers.domains.triage_emergency import SPEC
from healthgym.mcp_servers.domains.triage_emergency.arrivals import arrival_id, build_case, parse_arrival_id
from healthgym.mcp_servers.domains.triage_emergency.beds import ZONES
from healthgym.mcp_servers.domains.triage_emergency.cards import CARD
from healthgym.mcp_servers.domains.triage_emergency.esi import INTERVENTIONS, RED_FLAGS
from healthgym.mcp_servers.domains.triage_emergency.tools import ComplaintCode
from healthgym.mcp_servers.inprocess import InProcessSession
from healthgym.mcp_servers.server import build_server

ARRIVAL = arrival_id("test", 0, 5)


def call(session: InProcessSession, name: str, **arguments):
    result = session.call_tool(name, arguments)
    assert not result.is_error, result.text
    return result.structured


def test_tool_list_and_write_annotations(session: InProcessSession) -> None:
    tools = {t.name: t for t in session.list_tools()}
    assert len(SPEC.tools) >= 14 and {f.__name__ for f in SPEC.tools} <= set(tools)
    for name in SPEC.write_tools:
        assert tools[name].annotations.readOnlyHint is False
    assert tools["get_arrival"].annotations.readOnlyHint is True
    assert set(tools["check_protocol_criteria"].inputSchema["properties"]["protocol"]["enum"]) == {
        "stemi",
        "stroke",
        "sepsis",
        "anaphylaxis",
        "major_trauma",
    }


def test_complaint_codes_match_the_cards() -> None:
    assert set(ComplaintCode.__args__) == set(CARD)


def test_arrival_ids_round_trip() -> None:
    for split, seed, index in (("test", 0, 42), ("dev", 0, 7), ("train", 123, 100000)):
        aid = arrival_id(split, seed, index)
        assert parse_arrival_id(aid) == (split, seed, index)
        assert build_case(split, seed, index).arrival.arrival_id == aid
    assert arrival_id("test", 0, 42) != arrival_id("test", 0, 43) and "t0" not in arrival_id("test", 0, 42)


@pytest.mark.parametrize(
    "bad", ["ED-t0-00001", "ED-0000000000000", ARRIVAL.lower(), ARRIVAL[:-1] + "U", "", f"{ARRIVAL}; DROP"]
)
def test_bad_arrival_id_names_the_parameter(session: InProcessSession, bad: str) -> None:
    for tool in ("get_arrival", "esi_decision_support", "calculate_news2", "get_bed_status"):
        result = session.call_tool(tool, {"arrival_id": bad})
        assert result.is_error and "arrival_id" in result.text and "unknown arrival id" in result.text


@pytest.mark.parametrize(
    ("tool", "arguments", "names"),
    [
        ("check_protocol_criteria", {"arrival_id": ARRIVAL, "protocol": "mi"}, "protocol"),
        ("get_protocol", {"protocol": "STEMI!"}, "protocol"),
        ("get_complaint_card", {"complaint": "chest pain"}, "complaint"),
        ("assign_bed", {"arrival_id": ARRIVAL, "zone": "icu"}, "zone"),
        ("order_test", {"arrival_id": ARRIVAL, "test": "mri_knee"}, "test"),
        ("record_triage_note", {"arrival_id": ARRIVAL, "esi_level": 6, "note": "x"}, "esi_level"),
        ("submit_answer", {"esi_level": 9}, "esi_level"),
        ("get_esi_decision_point", {"point": "E"}, "point"),
        ("get_score_reference", {"score_name": "apache"}, "score_name"),
    ],
)
def test_bad_arguments_name_the_parameter(session: InProcessSession, tool: str, arguments: dict, names: str) -> None:
    result = session.call_tool(tool, arguments)
    assert result.is_error and names in result.text, result.text


def test_reads_return_data_for_a_test_arrival(session: InProcessSession) -> None:
    arrival = call(session, "get_arrival", arrival_id=ARRIVAL)
    assert arrival["arrival_id"] == ARRIVAL and arrival["vitals"]["heart_rate_bpm"] > 0
    vitals = call(session, "get_vital_signs", arrival_id=ARRIVAL)
    assert {r["name"] for r in vitals["readings"]} >= {"heart_rate", "respiratory_rate", "spo2"}
    esi = call(session, "esi_decision_support", arrival_id=ARRIVAL)
    assert 1 <= esi["esi_level"] <= 5 and esi["steps"][0]["point"] == "A"
    card = call(session, "get_complaint_card", complaint=arrival["complaint_card"])
    assert card["presentations"] and card["summary"]
    protocol = call(session, "get_protocol", protocol="stroke")
    assert {t["minutes_from_arrival"] for t in protocol["time_targets"]} >= {25, 60}


def test_scores_say_when_they_do_not_apply(session: InProcessSession) -> None:
    child = next(
        build_case("test", 0, i).arrival for i in range(360) if build_case("test", 0, i).arrival.age_years < 16
    )
    report = call(session, "calculate_news2", arrival_id=child.arrival_id)
    assert report["applicable"] is False and "16" in report["reason"] and report["value"] is None
    gcs = call(session, "calculate_gcs", arrival_id=child.arrival_id)
    n = child.neuro
    assert gcs["applicable"] and gcs["value"] == n.gcs_eye + n.gcs_verbal + n.gcs_motor


def test_bed_board_shows_this_episodes_assignment_only() -> None:
    server = build_server("triage_emergency")
    case = build_case("test", 0, 5)
    mine, other = InProcessSession(server, EpisodeState()), InProcessSession(server, EpisodeState())
    before = {z["zone"]: z for z in call(mine, "get_bed_status", arrival_id=ARRIVAL)["zones"]}
    assert before["resus"]["occupied"] == case.board.occupied["resus"]
    moved = call(mine, "assign_bed", arrival_id=ARRIVAL, zone="resus")
    assert moved["previous_zone"] == ""
    after = call(mine, "get_bed_status", arrival_id=ARRIVAL)
    assert after["assigned_zone"] == "resus"
    assert {z["zone"]: z["occupied"] for z in after["zones"]}["resus"] == before["resus"]["occupied"] + 1
    assert call(other, "get_bed_status", arrival_id=ARRIVAL)["assigned_zone"] == ""
    assert call(mine, "assign_bed", arrival_id=ARRIVAL, zone="acute")["previous_zone"] == "resus"
    assert call(mine, "get_arrival", arrival_id=ARRIVAL)["assigned_zone"] == "acute"


def test_fast_track_closed_at_night(session: InProcessSession) -> None:
    night = next(build_case("test", 0, i) for i in range(360) if not build_case("test", 0, i).board.fast_track_open)
    result = session.call_tool("assign_bed", {"arrival_id": night.arrival.arrival_id, "zone": "fast_track"})
    assert result.is_error and "zone" in result.text and "closed" in result.text


def test_writes_show_in_the_record(session: InProcessSession) -> None:
    first = call(session, "activate_protocol", arrival_id=ARRIVAL, protocol="sepsis")
    again = call(session, "activate_protocol", arrival_id=ARRIVAL, protocol="sepsis")
    assert first["already_active"] is False and again["already_active"] is True
    order = call(session, "order_test", arrival_id=ARRIVAL, test="poc_glucose")
    assert order["counts_as_esi_resource"] is False
    call(session, "record_triage_note", arrival_id=ARRIVAL, esi_level=1, note="hypotensive and mottled")
    record = call(session, "get_arrival", arrival_id=ARRIVAL)
    assert record["activated_protocols"] == ["sepsis"] and record["orders"] == ["poc_glucose"]
    assert record["triage_notes"] == ["ESI 1: hypotensive and mottled"]


def test_ecg_order_carries_the_10_minute_target(session: InProcessSession) -> None:
    chest = next(
        build_case("test", 0, i).arrival
        for i in range(360)
        if build_case("test", 0, i).arrival.complaint_card == "chest_pain"
    )
    order = call(session, "order_test", arrival_id=chest.arrival_id, test="ecg_12_lead")
    hours, minutes = map(int, chest.arrival_time.split(":"))
    due = (hours * 60 + minutes + 10) % 1440
    assert order["time_target"].startswith(f"by {due // 60:02d}:{due % 60:02d}")


def test_submit_once_and_records_the_writes(session: InProcessSession) -> None:
    """The zone and protocols of a submission are the episode's writes, not arguments a policy can claim."""
    call(session, "activate_protocol", arrival_id=ARRIVAL, protocol="stroke")
    call(session, "activate_protocol", arrival_id=ARRIVAL, protocol="stroke")
    call(session, "assign_bed", arrival_id=ARRIVAL, zone="resus")
    call(session, "assign_bed", arrival_id=ARRIVAL, zone="acute")
    claimed = session.call_tool("submit_answer", {"esi_level": 2, "protocols": ["sepsis"], "zone": "waiting_room"})
    assert claimed.is_error and "unknown argument" in claimed.text and "esi_level" in claimed.text
    echoed = call(session, "submit_answer", esi_level=2)
    assert echoed["esi_level"] == 2 and echoed["protocols"] == ["stroke"] and echoed["zone"] == "acute"
    assert session.state.submitted["esi_level"] == 2
    again = session.call_tool("submit_answer", {"esi_level": 3})
    assert again.is_error and "already submitted" in again.text


def test_reference_tools_expose_the_rules_the_unassisted_tier_applies(session: InProcessSession) -> None:
    a = call(session, "get_esi_decision_point", point="A")
    text = " ".join(c["criterion"] for c in a["criteria"])
    assert a["if_yes"] == "ESI 1" and "respiratory rate < 10" in text and "capillary refill > 3" in text
    assert "anaphylaxis with respiratory compromise" in text and "naloxone" in text
    b = call(session, "get_esi_decision_point", point="B")
    assert len(b["criteria"]) == len(RED_FLAGS) + 4
    tables = call(session, "get_vital_sign_tables")
    assert [(r["heart_rate_above"], r["respiratory_rate_above"]) for r in tables["danger_zone"]] == [
        (180, 50), (160, 40), (140, 30), (100, 20),
    ]  # fmt: skip
    assert tables["danger_zone_spo2_below"] == 92
    resources = call(session, "get_resource_table")
    listed = {item: row["counts"] for row in resources["rows"] for item in row["interventions"]}
    assert set(listed) == set(INTERVENTIONS) and listed["procedural sedation and fracture reduction"] == 2
    news2 = call(session, "get_score_reference", score_name="news2")
    assert "Respiration <=8: 3" in news2["criteria"] and "Royal College of Physicians" in news2["source"]
    policy = call(session, "get_placement_policy")
    assert "ESI 1 -> resus" in policy["policy"] and {z["zone"] for z in policy["zones"]} == set(ZONES)
    assert SPEC.tool_kinds["get_esi_decision_point"] == "reference"
    assert SPEC.withheld("unassisted") >= {"esi_decision_support", "check_protocol_criteria", "calculate_news2"}
