"""Postpartum haemorrhage (QBL, ACOG PB 183 definition, CMQCC stages) and the biophysical profile (Manning 1980; ACOG
PB 229), each at the boundaries of its published table; and the tasks and tools that use them."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.domain import tasks
from healthgym.mcp_servers.domains.obstetrics import SPEC, bpp, hemorrhage
from healthgym.mcp_servers.inprocess import InProcessSession

CALM = {"heart_rate": 88, "systolic": 118, "diastolic": 72, "spo2": 98}


def test_qbl_is_wet_minus_dry_plus_canister_minus_amniotic_fluid() -> None:
    # Two laparotomy sponge packs (wet 410 g, dry 90 g; wet 265 g, dry 45 g) and a canister of 900 mL holding 350 mL
    # of amniotic fluid: 320 + 220 + 550 = 1090 mL.
    assert hemorrhage.quantify([(410, 90), (265, 45)], 900, 350) == 1090
    with pytest.raises(ValueError, match="non_blood_ml"):
        hemorrhage.quantify([], 100, 200)


@pytest.mark.parametrize(("mode", "qbl", "continues", "rbc", "stage", "diagnosis"), [
    ("vaginal", 500, False, 0, "stage_0", "no_pph"),      # stage 1 starts above 500 mL after a vaginal birth
    ("vaginal", 501, False, 0, "stage_1", "no_pph"),      # stage 1, but not PPH by the reVITALize definition
    ("vaginal", 999, True, 0, "stage_2", "no_pph"),       # continued bleeding after stage 1 measures
    ("cesarean", 1000, False, 0, "stage_0", "pph"),       # >= 1000 mL is PPH; stage 1 needs > 1000 at caesarean
    ("cesarean", 1001, False, 0, "stage_1", "pph"),
    ("cesarean", 900, True, 0, "stage_0", "no_pph"),      # continued bleeding below the stage 1 volume: stage 0
    ("cesarean", 1500, True, 2, "stage_2", "pph"),        # up to 1500 mL and 2 units: still stage 2
    ("cesarean", 1501, False, 0, "stage_3", "pph"),       # > 1500 mL
    ("vaginal", 800, True, 3, "stage_3", "no_pph"),       # > 2 units of red cells
])  # fmt: skip
def test_cmqcc_stage_boundaries(mode: str, qbl: int, continues: bool, rbc: int, stage: str, diagnosis: str) -> None:
    got = hemorrhage.stage(mode, qbl, **CALM, bleeding_continues=continues, rbc_units=rbc)
    assert (got.stage, got.diagnosis) == (stage, diagnosis)


@pytest.mark.parametrize(("vitals", "trigger"), [
    ({"heart_rate": 110}, "heart_rate_ge_110"), ({"systolic": 85}, "systolic_le_85"),
    ({"diastolic": 45}, "diastolic_le_45"), ({"spo2": 94}, "spo2_lt_95"),
])  # fmt: skip
def test_a_vital_sign_trigger_is_stage_1_and_pph_whatever_the_volume(vitals: dict[str, int], trigger: str) -> None:
    got = hemorrhage.stage("vaginal", 300, **CALM | vitals, bleeding_continues=False, rbc_units=0)
    assert (got.vital_sign_trigger, got.stage, got.diagnosis) == ((trigger,), "stage_1", "pph")
    below = {"heart_rate": 109, "systolic": 86, "diastolic": 46, "spo2": 95}
    assert hemorrhage.stage("vaginal", 300, **below, bleeding_continues=False, rbc_units=0).stage == "stage_0"


NORMAL = {"accelerations_20min": 2, "breathing_longest_s": 30, "body_movements": 3, "tone_episodes": 1, "dvp_cm": 2.1}
"""Each component exactly at its normal boundary (Manning 1980; ACOG PB 229)."""


@pytest.mark.parametrize(("change", "component"), [
    ({"accelerations_20min": 1}, "nst"), ({"breathing_longest_s": 29}, "breathing"),
    ({"body_movements": 2}, "movement"), ({"tone_episodes": 0}, "tone"), ({"dvp_cm": 2.0}, "fluid"),
])  # fmt: skip
def test_each_bpp_component_scores_2_at_its_boundary_and_0_just_below(change: dict, component: str) -> None:
    assert bpp.score(**NORMAL, ga_days=250).score == 10
    got = bpp.score(**NORMAL | change, ga_days=250)
    assert got.score == 8 and got.points[component] == 0


@pytest.mark.parametrize(("change", "ga_days", "score", "interpretation", "management", "modified"), [
    ({}, 250, 10, "normal", "routine_surveillance", "normal"),
    ({"accelerations_20min": 0}, 250, 8, "normal", "routine_surveillance", "abnormal"),   # nonreactive NST: full BPP
    ({"dvp_cm": 1.5}, 250, 8, "normal", "oligohydramnios_evaluation", "abnormal"),        # 8/10 with oligohydramnios
    ({"tone_episodes": 0, "body_movements": 1}, 258, 6, "equivocal", "repeat_bpp_24h", "normal"),  # 36 6/7 weeks
    ({"tone_episodes": 0, "body_movements": 1}, 259, 6, "equivocal", "deliver", "normal"),         # 37 0/7 weeks
    ({"tone_episodes": 0, "dvp_cm": 2.0}, 230, 6, "equivocal", "deliver", "abnormal"),    # 6/10 with oligohydramnios
    ({"tone_episodes": 0, "body_movements": 0, "breathing_longest_s": 0}, 230, 4, "abnormal", "deliver", "normal"),
])  # fmt: skip
def test_bpp_interpretation_and_management(change: dict, ga_days: int, score: int, interpretation: str,
                                           management: str, modified: str) -> None:
    got = bpp.score(**NORMAL | change, ga_days=ga_days)
    assert (got.score, got.interpretation, got.management, got.modified) == (score, interpretation, management,
                                                                             modified)


def _first(kind: str, **where: str):
    return next(t for t in tasks(SPEC, "test") if t.source.generator == f"obstetrics.{kind}" and all(
        t.answer.fields[k].value == v for k, v in where.items()))  # fmt: skip


def test_a_stage_3_haemorrhage_task_requires_the_massive_transfusion_protocol() -> None:
    task = _first("pph", hemorrhage_stage="stage_3")
    critical = [a for a in task.rubric.required_actions if a.critical]
    assert [a.arguments["order"] for a in critical] == ["massive_transfusion_protocol"]
    assert not [a for a in _first("pph", hemorrhage_stage="stage_2").rubric.required_actions if a.critical]


def test_the_tools_agree_with_the_gold(session: InProcessSession) -> None:
    task = _first("pph", hemorrhage_stage="stage_1")
    got = session.call_tool("stage_hemorrhage", {"case_id": task.case_ref}).structured
    assert got["qbl_ml"] == task.answer.fields["qbl_ml"].value and got["stage"] == "stage_1"
    bleeding = session.call_tool("get_postpartum_bleeding", {"case_id": task.case_ref}).structured["bleeding"]
    assert hemorrhage.quantify([(i["wet_g"], i["dry_g"]) for i in bleeding["weighed_items"]], bleeding["canister_ml"],
                               bleeding["canister_non_blood_ml"]) == got["qbl_ml"]  # fmt: skip
    task = _first("bpp", bpp_management="repeat_bpp_24h")
    got = session.call_tool("score_bpp", {"case_id": task.case_ref}).structured
    assert (got["score"], got["management"]) == (6, "repeat_bpp_24h")
    assert task.answer.fields["ga_days"].value < bpp.TERM_DAYS
    assert session.call_tool("score_bpp", {"case_id": _first("pph").case_ref}).structured["applicable"] is False
