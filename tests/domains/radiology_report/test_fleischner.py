"""Fleischner 2017 Table 1 at every size boundary, for each risk group, with the guideline's rounding."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.domains.radiology_report import fleischner
from healthgym.mcp_servers.domains.radiology_report.models import Patient

from .builders import NEVER_SMOKER, SMOKER, nodule, part_solid


@pytest.mark.parametrize(
    ("long", "short", "size"),
    [(5.0, 4.0, 5), (6.0, 5.0, 6), (7.0, 4.0, 6), (8.0, 8.0, 8), (9.0, 8.0, 9), (6.4, 4.5, 5)],
)
def test_size_is_the_mean_of_two_axes_rounded_half_up(long: float, short: float, size: int) -> None:
    """Bankier 2017: average of long and short axes, rounded to the nearest millimetre (5.5 -> 6, 8.5 -> 9)."""
    assert fleischner.size_mm(nodule(long, short)) == size


@pytest.mark.parametrize(
    ("long", "short", "row", "low", "high"),
    [
        # Table 1, solid single: <6 mm | 6-8 mm | >8 mm
        (5.0, 5.0, "fleischner_solid_single_lt6", "no_routine_followup", "optional_ct_12mo"),
        (6.0, 5.0, "fleischner_solid_single_6_8", "ct_6_12mo_then_consider_ct_18_24mo", "ct_6_12mo_then_ct_18_24mo"),
        (8.0, 8.0, "fleischner_solid_single_6_8", "ct_6_12mo_then_consider_ct_18_24mo", "ct_6_12mo_then_ct_18_24mo"),
        (9.0, 8.0, "fleischner_solid_single_gt8", "consider_ct_3mo_pet_or_tissue_sampling",
         "consider_ct_3mo_pet_or_tissue_sampling"),
    ],
)  # fmt: skip
def test_single_solid_nodule_rows(long: float, short: float, row: str, low: str, high: str) -> None:
    assert fleischner.classify(NEVER_SMOKER, [nodule(long, short)]).category == row
    assert fleischner.classify(NEVER_SMOKER, [nodule(long, short)]).recommendation == low
    assert fleischner.classify(SMOKER, [nodule(long, short)]).recommendation == high


@pytest.mark.parametrize(
    ("largest", "row", "low", "high"),
    [
        (5.0, "fleischner_solid_multiple_lt6", "no_routine_followup", "optional_ct_12mo"),
        (6.0, "fleischner_solid_multiple_6_8", "ct_3_6mo_then_consider_ct_18_24mo", "ct_3_6mo_then_ct_18_24mo"),
        (9.0, "fleischner_solid_multiple_gt8", "ct_3_6mo_then_consider_ct_18_24mo",
         "ct_3_6mo_then_consider_ct_18_24mo"),
    ],
)  # fmt: skip
def test_multiple_solid_nodules_are_managed_by_the_largest(largest: float, row: str, low: str, high: str) -> None:
    nodules = [nodule(3.0, fid="F1"), nodule(largest, fid="F2"), nodule(4.0, fid="F3")]
    result = fleischner.classify(NEVER_SMOKER, nodules)
    assert (result.category, result.finding_id, result.recommendation) == (row, "F2", low)
    assert fleischner.classify(SMOKER, nodules).recommendation == high


@pytest.mark.parametrize(
    ("nodules", "row", "rec"),
    [
        ([nodule(5.0, density="ground_glass")], "fleischner_ggn_single_lt6", "no_routine_followup"),
        ([nodule(6.0, density="ground_glass")], "fleischner_ggn_single_ge6", "ct_6_12mo_then_every_2y_until_5y"),
        ([part_solid(5.0, 2.0)], "fleischner_part_solid_single_lt6", "no_routine_followup"),
        ([part_solid(6.0, 3.0)], "fleischner_part_solid_single_ge6", "ct_3_6mo_then_annual_ct_5y"),
        ([nodule(5.0, density="ground_glass"), part_solid(4.0, 2.0, fid="F2")], "fleischner_subsolid_multiple_lt6",
         "ct_3_6mo_then_consider_ct_2y_4y"),
        ([nodule(4.0, density="ground_glass"), part_solid(7.0, 3.0, fid="F2")], "fleischner_subsolid_multiple_ge6",
         "ct_3_6mo_then_manage_most_suspicious"),
    ],
)  # fmt: skip
def test_subsolid_rows_do_not_depend_on_risk(nodules: list, row: str, rec: str) -> None:
    for patient in (NEVER_SMOKER, SMOKER):
        result = fleischner.classify(patient, nodules)
        assert (result.category, result.recommendation) == (row, rec)


def test_risk_factors_of_the_table_footnote() -> None:
    """Smoking, a listed exposure or disease, an upper-lobe or spiculated nodule each make the patient high risk."""
    assert fleischner.risk_factors(NEVER_SMOKER, [nodule(7.0)]) == []
    family = Patient(age=45, sex="male", smoking_status="never", pack_years=0,
                     risk_factors=["family_history_lung_cancer"])
    assert fleischner.risk_factors(family, [nodule(7.0)]) == ["family_history_lung_cancer"]
    assert fleischner.risk_factors(NEVER_SMOKER, [nodule(7.0, lobe="LUL")]) == ["F1 upper lobe"]
    assert fleischner.risk_factors(NEVER_SMOKER, [nodule(7.0, margin="spiculated")]) == ["F1 spiculated"]
    assert fleischner.classify(NEVER_SMOKER, [nodule(7.0, lobe="RUL")]).recommendation == "ct_6_12mo_then_ct_18_24mo"


def test_mixed_solid_and_subsolid_sets_are_refused() -> None:
    with pytest.raises(ValueError, match="mixed solid and subsolid"):
        fleischner.classify(SMOKER, [nodule(5.0), nodule(5.0, density="ground_glass", fid="F2")])
