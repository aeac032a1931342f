"""Every instrument scored on hand-written answers at each published cut-off, both sides of the boundary.

Expected totals are added up by hand from the printed forms; bands are the cut-offs of the cited sources: PHQ-9
(Kroenke 2001: 5/10/15/20), GAD-7 (Spitzer 2006: 5/10/15), AUDIT (Babor 2001 WHO zones: 8/16/20), AUDIT-C (Bradley
2007: >= 3 women, >= 4 men), CAGE (Ewing 1984: >= 2), PCL-5 (NCPTSD / Bovin 2016: >= 33), EPDS (Cox 1987: >= 10
possible, >= 13 probable), MDQ (Hirschfeld 2000: 7 of 13 + same period + moderate/serious problem), ASRS v1.1 Part A
(Kessler 2005: 4 shaded answers), SCOFF (Morgan 1999: >= 2), C-SSRS screener (Columbia triage points).
"""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.domains.psychiatry.instruments import INSTRUMENTS, get_instrument, score

N, S, M, D = "not at all", "several days", "more than half the days", "nearly every day"


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        ([S] * 4 + [N] * 5, 4, "minimal"),
        ([S] * 5 + [N] * 4, 5, "mild"),
        ([D] * 3 + [N] * 6, 9, "mild"),
        ([D] * 3 + [S] + [N] * 5, 10, "moderate"),
        ([D] * 4 + [M] + [N] * 4, 14, "moderate"),
        ([D] * 5 + [N] * 4, 15, "moderately_severe"),
        ([D] * 6 + [S] + [N] * 2, 19, "moderately_severe"),
        ([D] * 6 + [M] + [N] * 2, 20, "severe"),
        ([D] * 9, 27, "severe"),
    ],
)
def test_phq9_cutoffs(answers: list[str], total: int, band: str) -> None:
    result = score("phq9", answers)
    assert (result.total, result.band) == (total, band)


def test_phq9_item_9_is_flagged_whatever_the_total() -> None:
    assert score("phq9", [N] * 8 + [S]).flags and score("phq9", [N] * 8 + [S]).band == "minimal"
    assert not score("phq9", [D] * 8 + [N]).flags


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        ([S] * 4 + [N] * 3, 4, "minimal"),
        ([S] * 5 + [N] * 2, 5, "mild"),
        ([D] * 3 + [N] * 4, 9, "mild"),
        ([D] * 3 + [S] + [N] * 3, 10, "moderate"),
        ([D] * 4 + [M] + [N] * 2, 14, "moderate"),
        ([D] * 5 + [N] * 2, 15, "severe"),
    ],
)
def test_gad7_cutoffs(answers: list[str], total: int, band: str) -> None:
    result = score("gad7", answers)
    assert (result.total, result.band) == (total, band)


AUDIT_ZERO = ["never", "1 or 2", "never", "never", "never", "never", "never", "never", "no", "no"]


def _audit(**changes: str) -> list[str]:
    answers = list(AUDIT_ZERO)
    for key, label in changes.items():
        answers[int(key[1:]) - 1] = label
    return answers


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        # 2-3 times a week (3) + 3 or 4 drinks (1) + monthly binge (2) + guilt less than monthly (1) = 7
        (_audit(i1="2 to 3 times a week", i2="3 or 4", i3="monthly", i7="less than monthly"), 7, "zone_i_low_risk"),
        (_audit(i1="2 to 3 times a week", i2="3 or 4", i3="monthly", i7="monthly"), 8, "zone_ii_hazardous"),
        # 4+/week (4) + 7-9 drinks (3) + weekly binge (3) + item 10 in the last year (4) + guilt monthly (2) = 16
        (_audit(i1="4 or more times a week", i2="7, 8 or 9", i3="weekly", i10="yes, during the last year",
                i7="monthly"), 16, "zone_iii_harmful"),
        (_audit(i1="4 or more times a week", i2="7, 8 or 9", i3="weekly", i10="yes, during the last year",
                i7="less than monthly"), 15, "zone_ii_hazardous"),
        # 4 + 3 + 3 + 4 (item 10) + 2 (item 9, not in the last year) + 3 (item 4 weekly) = 19
        (_audit(i1="4 or more times a week", i2="7, 8 or 9", i3="weekly", i10="yes, during the last year",
                i9="yes, but not in the last year", i4="weekly"), 19, "zone_iii_harmful"),
        (_audit(i1="4 or more times a week", i2="7, 8 or 9", i3="weekly", i10="yes, during the last year",
                i9="yes, but not in the last year", i4="daily or almost daily"), 20, "zone_iv_possible_dependence"),
    ],
)  # fmt: skip
def test_audit_zones(answers: list[str], total: int, band: str) -> None:
    result = score("audit", answers)
    assert (result.total, result.band) == (total, band)


def test_audit_items_9_and_10_score_0_2_4() -> None:
    assert score("audit", _audit(i9="yes, but not in the last year")).total == 2
    assert score("audit", _audit(i9="yes, during the last year", i10="yes, during the last year")).total == 8


@pytest.mark.parametrize(
    ("answers", "sex", "total", "band"),
    [
        (["monthly or less", "3 or 4", "never"], "female", 2, "negative"),
        (["2 to 4 times a month", "3 or 4", "never"], "female", 3, "positive"),
        (["2 to 4 times a month", "3 or 4", "never"], "male", 3, "negative"),
        (["2 to 4 times a month", "3 or 4", "less than monthly"], "male", 4, "positive"),
    ],
)
def test_auditc_cutoffs_differ_by_sex(answers: list[str], sex: str, total: int, band: str) -> None:
    result = score("auditc", answers, sex)
    assert (result.total, result.band) == (total, band)


@pytest.mark.parametrize(("code", "yes", "band"), [("cage", 1, "negative"), ("cage", 2, "positive"),
                                                   ("scoff", 1, "negative"), ("scoff", 2, "positive")])
def test_cage_and_scoff_two_yes_is_positive(code: str, yes: int, band: str) -> None:
    n = len(INSTRUMENTS[code].items)
    result = score(code, ["yes"] * yes + ["no"] * (n - yes))
    assert (result.total, result.band) == (yes, band)


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        # 10 x 'quite a bit' (3) + 'moderately' (2) + 9 x 'not at all' = 32
        (["quite a bit"] * 10 + ["moderately"] + ["not at all"] * 9, 32, "below_cutoff"),
        (["quite a bit"] * 11 + ["not at all"] * 9, 33, "probable_ptsd"),
        (["extremely"] * 20, 80, "probable_ptsd"),
    ],
)
def test_pcl5_cutoff_33(answers: list[str], total: int, band: str) -> None:
    result = score("pcl5", answers)
    assert (result.total, result.band) == (total, band)


EPDS_ZERO = ["0"] * 10
"""EPDS answers are recorded as each item's points (its wording is not reproduced: RCPsych terms)."""


def _epds(**changes: str) -> list[str]:
    answers = list(EPDS_ZERO)
    for key, label in changes.items():
        answers[int(key[1:]) - 1] = label
    return answers


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        (EPDS_ZERO, 0, "low"),
        (_epds(i3="3", i1="2", i4="2", i8="2"), 9, "low"),                          # 9: below the 10 cut-off
        (_epds(i3="3", i1="3", i4="2", i8="2"), 10, "possible_depression"),         # Cox 1987: >= 10 possible
        (_epds(i3="3", i1="3", i4="3", i8="3"), 12, "possible_depression"),
        (_epds(i3="3", i1="3", i4="3", i8="3", i9="1"), 13, "probable_depression"), # >= 13 probable
        (["3"] * 10, 30, "probable_depression"),
    ],
)  # fmt: skip
def test_epds_cutoffs(answers: list[str], total: int, band: str) -> None:
    result = score("epds", answers)
    assert (result.total, result.band) == (total, band)


def test_epds_and_mdq_wording_is_not_reproduced() -> None:
    """EPDS (RCPsych: written permission to distribute or republish) and MDQ (UTMB copyright): numbered items only."""
    for code in ("epds", "mdq"):
        inst = get_instrument(code)
        assert all("wording not reproduced" in item.text for item in inst.items), code
        assert "not reproduced" in inst.licence
    with pytest.raises(ValueError, match="item 1"):
        score("epds", ["as much as i always could"] + ["0"] * 9)


def test_epds_item_10_is_flagged() -> None:
    assert score("epds", _epds(i10="1")).flags and not score("epds", EPDS_ZERO).flags


@pytest.mark.parametrize(
    ("yes", "same_time", "problem", "band"),
    [
        (7, "yes", "moderate problem", "positive"),
        (13, "yes", "serious problem", "positive"),
        (6, "yes", "serious problem", "negative"),
        (7, "no", "serious problem", "negative"),
        (7, "yes", "minor problem", "negative"),
    ],
)
def test_mdq_needs_all_three_parts(yes: int, same_time: str, problem: str, band: str) -> None:
    result = score("mdq", ["yes"] * yes + ["no"] * (13 - yes) + [same_time, problem])
    assert (result.total, result.band) == (yes, band)


@pytest.mark.parametrize(
    ("answers", "shaded", "band"),
    [
        # items 1-3 shade from 'sometimes'; items 4-6 only from 'often'
        (["sometimes", "sometimes", "sometimes", "sometimes", "sometimes", "sometimes"], 3, "negative"),
        (["sometimes", "sometimes", "sometimes", "often", "rarely", "never"], 4, "positive"),
        (["rarely", "rarely", "rarely", "very often", "often", "often"], 3, "negative"),
        (["very often"] * 6, 6, "positive"),
    ],
)
def test_asrs_shaded_zones(answers: list[str], shaded: int, band: str) -> None:
    result = score("asrs", answers)
    assert (result.total, result.band) == (shaded, band)


@pytest.mark.parametrize(
    ("answers", "highest", "level"),
    [
        (["no"] * 5 + ["no"], 0, "none"),
        (["yes", "no", "no", "no", "no", "no"], 1, "low"),
        (["yes", "yes", "no", "no", "no", "no"], 2, "low"),
        (["yes", "yes", "yes", "no", "no", "no"], 3, "moderate"),
        (["no", "no", "no", "no", "no", "yes, more than 3 months ago"], 6, "moderate"),
        (["yes", "yes", "no", "yes", "no", "no"], 4, "high"),
        (["yes", "yes", "yes", "no", "yes", "no"], 5, "high"),
        (["no", "no", "no", "no", "no", "yes, within the past 3 months"], 6, "high"),
    ],
)
def test_cssrs_triage_levels(answers: list[str], highest: int, level: str) -> None:
    result = score("cssrs", answers)
    assert (result.total, result.band) == (highest, level)


def test_a_wrong_label_names_the_item_and_the_options() -> None:
    with pytest.raises(ValueError, match="item 1: answer 'sometimes'.*'not at all'"):
        score("phq9", ["sometimes"] + [N] * 8)


def test_no_copyrighted_cognitive_screen_is_reproduced() -> None:
    assert not {"mmse", "moca"} & set(INSTRUMENTS)
    assert all(inst.licence and inst.source for inst in INSTRUMENTS.values())
