"""GDM: IADPSG one-step, the 50 g challenge, and Carpenter-Coustan / NDDG at each threshold (ACOG PB 190 Table 1)."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.domains.obstetrics import gdm

NORMAL_75 = {"fasting": 85.0, "1h": 150.0, "2h": 130.0}


@pytest.mark.parametrize(("point", "at"), [("fasting", 92), ("1h", 180), ("2h", 153)])
def test_one_iadpsg_value_at_its_threshold_is_gdm(point: str, at: int) -> None:
    assert gdm.one_step(NORMAL_75 | {point: at}).diagnosis == "gdm"
    below = gdm.one_step(NORMAL_75 | {point: at - 1})
    assert below.diagnosis == "no_gdm" and below.abnormal == ()


@pytest.mark.parametrize("threshold", [130, 135, 140])
def test_challenge_threshold_is_met_or_exceeded(threshold: int) -> None:
    assert gdm.two_step(threshold - 1, threshold, "carpenter_coustan", None).diagnosis == "no_gdm"
    assert gdm.two_step(threshold, threshold, "carpenter_coustan", None).diagnosis == "ogtt_needed"


def test_carpenter_coustan_thresholds_need_two_values() -> None:
    cc_limits = {"fasting": 95.0, "1h": 180.0, "2h": 155.0, "3h": 140.0}
    assert gdm.two_step(150, 140, "carpenter_coustan", cc_limits).abnormal == ("fasting", "1h", "2h", "3h")
    one = {"fasting": 95.0, "1h": 179.0, "2h": 154.0, "3h": 139.0}
    assert gdm.two_step(150, 140, "carpenter_coustan", one).diagnosis == "no_gdm"
    two = one | {"3h": 140.0}
    assert gdm.two_step(150, 140, "carpenter_coustan", two).diagnosis == "gdm"


def test_nddg_reads_the_same_values_higher() -> None:
    # Values at every Carpenter-Coustan threshold are all below NDDG (105/190/165/145).
    values = {"fasting": 95.0, "1h": 180.0, "2h": 155.0, "3h": 140.0}
    assert gdm.two_step(150, 140, "nddg", values).diagnosis == "no_gdm"
    nddg = {"fasting": 105.0, "1h": 189.0, "2h": 165.0, "3h": 144.0}
    result = gdm.two_step(150, 140, "nddg", nddg)
    assert (result.diagnosis, result.abnormal) == ("gdm", ("fasting", "2h"))


def test_bad_inputs_are_named() -> None:
    with pytest.raises(ValueError, match="gct_threshold 145"):
        gdm.two_step(150, 145, "nddg", None)
    with pytest.raises(ValueError, match="3h"):
        gdm.two_step(150, 140, "nddg", {"fasting": 90.0, "1h": 150.0, "2h": 130.0})
