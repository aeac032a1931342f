"""LI-RADS v2018 CT/MRI: every cell of the diagnostic table, threshold growth, and the categories tested first."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.domains.radiology_report import li_rads

from .builders import liver

TABLE = [
    # (APHE, size mm, capsule, washout, growth, category)
    (False, 19, False, False, False, "lr_3"), (False, 19, True, False, False, "lr_3"),
    (False, 19, True, True, False, "lr_4"), (False, 20, False, False, False, "lr_3"),
    (False, 20, False, True, False, "lr_4"), (False, 20, True, True, True, "lr_4"),
    (True, 9, False, False, False, "lr_3"), (True, 9, True, False, False, "lr_4"),
    (True, 9, True, True, False, "lr_4"), (True, 10, False, False, False, "lr_3"),
    (True, 10, True, False, False, "lr_4"), (True, 10, False, True, False, "lr_5"),
    (True, 19, False, False, True, "lr_5"), (True, 19, True, True, False, "lr_5"),
    (True, 20, False, False, False, "lr_4"), (True, 20, True, False, False, "lr_5"),
    (True, 20, True, True, True, "lr_5"),
]  # fmt: skip


@pytest.mark.parametrize(("aphe", "mm", "capsule", "washout", "growth", "category"), TABLE)
def test_diagnostic_table(aphe: bool, mm: int, capsule: bool, washout: bool, growth: bool, category: str) -> None:
    assert li_rads.table_category(aphe, mm, capsule, washout, growth) == category


@pytest.mark.parametrize(("prior", "months", "grew"), [(10, 6, True), (11, 6, False), (10, 7, False), (10, 3, True)])
def test_threshold_growth_is_50_percent_in_6_months(prior: int, months: int, grew: bool) -> None:
    assert li_rads.threshold_growth(15, prior, months) is grew


def test_threshold_growth_makes_a_10_19_mm_nonrim_aphe_observation_lr5() -> None:
    obs = liver(15)
    assert li_rads.classify(obs, None, 0).category == "lr_3"
    assert li_rads.classify(obs, 10, 5).category == "lr_5"
    assert li_rads.classify(obs, 10, 9).category == "lr_3"  # 50% over 9 months is not threshold growth in v2018
    assert li_rads.classify(liver(15, enhancing_capsule=True), None, 0).category == "lr_4"


def test_tiv_benign_and_targetoid_come_before_the_table() -> None:
    assert li_rads.classify(liver(30, nonperipheral_washout=True, tumor_in_vein=True), None, 0).category == "lr_tiv"
    assert li_rads.classify(liver(30, aphe="none", appearance="hemangioma"), None, 0).category == "lr_1"
    assert li_rads.classify(liver(30, aphe="rim"), None, 0).category == "lr_m"
    assert li_rads.classify(liver(30, targetoid_features=["peripheral_washout"]), None, 0).category == "lr_m"


def test_management_of_each_category() -> None:
    assert li_rads.MANAGEMENT == {
        "lr_1": "return_to_surveillance_6mo", "lr_3": "repeat_or_alternative_imaging_3_6mo",
        "lr_4": "mdd_imaging_3mo_or_biopsy", "lr_5": "mdd_hcc_management", "lr_m": "mdd_workup_often_biopsy",
        "lr_tiv": "mdd_workup_may_biopsy",
    }  # fmt: skip
