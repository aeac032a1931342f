"""Magnesium toxicity (Sibai 2004), anti-D with the Kleihauer-Betke dose (AABB rounding), and GBS prophylaxis (ACOG
CO 797), each at its boundaries."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.domains.obstetrics import anti_d, gbs, magnesium


def test_magnesium_thresholds() -> None:
    ok = magnesium.check("diminished", 12, 8.4, 30)
    assert (ok.toxicity_signs, ok.action) == ((), "continue")
    assert magnesium.check("present", 14, 6.0, 29).action == "reduce_rate_check_level"
    assert magnesium.check("present", 11, 6.0, 50).toxicity_signs == ("respiratory_depression",)
    assert magnesium.check("present", 14, 8.5, 50).toxicity_signs == ("serum_level_above_therapeutic",)
    both = magnesium.check("absent", 10, 6.0, 20)
    assert both.action == "stop_and_give_calcium_gluconate" and len(both.toxicity_signs) == 2


@pytest.mark.parametrize(("kb", "bleed", "vials"), [
    (1.0, 50, 3),   # AABB: 50 mL / 30 = 1.67 -> 2, + 1 = 3
    (0.3, 15, 2),   # 0.5 rounds up -> 1, + 1
    (0.2, 10, 1),   # 0.33 rounds down -> 0, + 1
    (0.9, 45, 3),   # 1.5 -> 2, + 1
    (0.8, 40, 2),   # 1.33 -> 1, + 1
    (1.2, 60, 3),   # 2.0 -> 2, + 1
])  # fmt: skip
def test_kleihauer_betke_vials(kb: float, bleed: float, vials: int) -> None:
    assert anti_d.vials_for(kb) == (bleed, vials)


def test_anti_d_decisions() -> None:
    rh_positive = anti_d.postpartum("positive", False, "positive", "not_done", None)
    assert rh_positive.decision == "not_indicated_mother_rh_positive"
    infant_negative = anti_d.postpartum("negative", False, "negative", "not_done", None)
    assert infant_negative.decision == "not_indicated_infant_rh_negative"
    assert anti_d.postpartum("negative", True, "positive", "negative", None).decision == "not_indicated_alloimmunized"
    standard = anti_d.postpartum("negative", False, "positive", "negative", None)
    assert (standard.decision, standard.vials) == ("indicated", 1)
    assert anti_d.postpartum("negative", False, "positive", "positive", 1.0).vials == 3


TERM = {"culture": "unknown", "culture_age_days": None, "bacteriuria": False, "previous_infant_gbs": False,
        "ga_days": 270, "rom_hours": 4.0, "temp_c": 37.0, "naat": "not_done", "planned_cs_no_labor": False}


@pytest.mark.parametrize(("change", "indicated"), [
    ({}, False),
    ({"ga_days": 258}, True), ({"ga_days": 259}, False),
    ({"rom_hours": 18.0}, True), ({"rom_hours": 17.9}, False),
    ({"temp_c": 38.0}, True), ({"temp_c": 37.9}, False),
    ({"naat": "positive"}, True),
    ({"culture": "positive", "culture_age_days": 35, "ga_days": 287}, True),  # 5 weeks old, taken at 36w0d
    ({"culture": "positive", "culture_age_days": 36, "ga_days": 290}, False),  # stale: unknown status, no risk
    ({"culture": "positive", "culture_age_days": 18}, True),  # taken at 36w0d (252 days)
    ({"culture": "positive", "culture_age_days": 19}, False),  # taken at 35w6d: not a valid term screen
    ({"culture": "negative", "culture_age_days": 19, "rom_hours": 20.0}, True),  # invalid negative: risk-based
    ({"culture": "negative", "culture_age_days": 30, "ga_days": 250}, False),  # preterm: any culture within 5 weeks
    ({"culture": "negative", "culture_age_days": 10, "rom_hours": 24.0}, False),
    ({"culture": "negative", "culture_age_days": 10, "bacteriuria": True}, True),
    ({"previous_infant_gbs": True, "culture": "negative", "culture_age_days": 10}, True),
    ({"culture": "positive", "culture_age_days": 10, "planned_cs_no_labor": True}, False),
])  # fmt: skip
def test_gbs_indications(change: dict, indicated: bool) -> None:
    assert (gbs.indication(**TERM | change)[0] in gbs.INDICATING) is indicated


def test_gbs_basis_is_the_first_that_applies() -> None:
    assert gbs.indication(**TERM | {"planned_cs_no_labor": True, "bacteriuria": True})[0] == "planned_cesarean"
    assert gbs.indication(**TERM | {"culture": "negative", "culture_age_days": 10, "rom_hours": 20.0})[0] == (
        "negative_culture")
    assert gbs.indication(**TERM | {"ga_days": 250, "temp_c": 38.5})[0] == "unknown_with_risk_factor"


@pytest.mark.parametrize(("reaction", "susceptible", "agent"), [
    ("none", "unknown", "penicillin_g"), ("rash_nonurticarial", "no", "cefazolin"),
    ("anaphylaxis", "yes", "clindamycin"), ("urticaria", "no", "vancomycin"), ("angioedema", "unknown", "vancomycin"),
])  # fmt: skip
def test_gbs_agents_for_penicillin_allergy(reaction: str, susceptible: str, agent: str) -> None:
    assert gbs.agent(True, reaction, susceptible)[0] == agent
    assert gbs.agent(False, reaction, susceptible)[0] == "none"
