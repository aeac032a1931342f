"""Lung-RADS v2022 categories at each size boundary of its table, for baseline, new and growing nodules."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.domains.radiology_report import lung_rads
from healthgym.mcp_servers.domains.radiology_report.models import PriorMeasurement

from .builders import nodule, part_solid


def cat(n, state="baseline") -> str:
    return lung_rads.classify_nodule(n, state).category


@pytest.mark.parametrize(
    ("mm", "baseline", "new", "growing"),
    [
        (3.9, "lung_rads_2", "lung_rads_2", "lung_rads_4a"),
        (4.0, "lung_rads_2", "lung_rads_3", "lung_rads_4a"),
        (5.9, "lung_rads_2", "lung_rads_3", "lung_rads_4a"),
        (6.0, "lung_rads_3", "lung_rads_4a", "lung_rads_4a"),
        (7.9, "lung_rads_3", "lung_rads_4a", "lung_rads_4a"),
        (8.0, "lung_rads_4a", "lung_rads_4b", "lung_rads_4b"),
        (14.9, "lung_rads_4a", "lung_rads_4b", "lung_rads_4b"),
        (15.0, "lung_rads_4b", "lung_rads_4b", "lung_rads_4b"),
    ],
)
def test_solid_nodule_boundaries(mm: float, baseline: str, new: str, growing: str) -> None:
    """Solid: 2 (<6 baseline, new <4); 3 (6 to <8 baseline, new 4 to <6); 4A (8 to <15 baseline, growing <8, new 6
    to <8); 4B (>=15 baseline, new or growing >=8)."""
    assert (cat(nodule(mm), "baseline"), cat(nodule(mm), "new"), cat(nodule(mm), "growing")) == (baseline, new, growing)


def test_mean_diameter_is_reported_to_one_decimal_half_up() -> None:
    """(6.0 + 5.9) / 2 = 5.95 -> 6.0 mm: category 3, not 2."""
    n = nodule(6.0, 5.9)
    assert lung_rads.size(n) == 6.0
    assert cat(n) == "lung_rads_3"


@pytest.mark.parametrize(
    ("total", "solid", "baseline", "new"),
    [
        (5.9, 3.0, "lung_rads_2", "lung_rads_3"),
        (6.0, 3.9, "lung_rads_3", "lung_rads_4a"),
        (10.0, 4.0, "lung_rads_3", "lung_rads_4b"),
        (10.0, 5.9, "lung_rads_3", "lung_rads_4b"),
        (10.0, 6.0, "lung_rads_4a", "lung_rads_4b"),
        (12.0, 7.9, "lung_rads_4a", "lung_rads_4b"),
        (12.0, 8.0, "lung_rads_4b", "lung_rads_4b"),
    ],
)
def test_part_solid_boundaries(total: float, solid: float, baseline: str, new: str) -> None:
    """Part-solid: 2 (<6 total at baseline); 3 (>=6 total with solid <6 at baseline, new <6 total); 4A (solid 6 to
    <8 at baseline, new or growing solid <4); 4B (solid >=8 at baseline, new or growing solid >=4)."""
    assert cat(part_solid(total, solid), "baseline") == baseline
    assert cat(part_solid(total, solid), "new") == new


@pytest.mark.parametrize(("mm", "baseline"), [(29.9, "lung_rads_2"), (30.0, "lung_rads_3")])
def test_ground_glass_boundary_at_30_mm(mm: float, baseline: str) -> None:
    assert cat(nodule(mm, density="ground_glass")) == baseline
    assert cat(nodule(mm, density="ground_glass"), "new") == baseline


def test_benign_features_perifissural_and_spiculation() -> None:
    assert cat(nodule(12.0, calcification="popcorn")) == "lung_rads_1"
    assert cat(nodule(9.0, contains_fat=True)) == "lung_rads_1"
    assert cat(nodule(9.0, perifissural=True)) == "lung_rads_2"
    assert cat(nodule(10.0, perifissural=True)) == "lung_rads_4a"  # the perifissural rule is < 10 mm
    assert cat(nodule(7.0, margin="spiculated")) == "lung_rads_4x"
    assert cat(nodule(5.0, margin="spiculated")) == "lung_rads_2"  # 4X only upgrades category 3 or 4


@pytest.mark.parametrize(("prior", "state"), [(4.5, "stable"), (4.4, "growing")])
def test_growth_is_more_than_1_5_mm_within_12_months(prior: float, state: str) -> None:
    n = nodule(6.0)
    before = PriorMeasurement(finding_id="F1", long_axis_mm=prior, short_axis_mm=prior)
    assert lung_rads.status(n, before, False, 12) == state
    with pytest.raises(ValueError, match="interval_months"):
        lung_rads.status(n, before, False, 13)


def test_exam_takes_its_most_suspicious_nodule() -> None:
    exam = lung_rads.classify_exam([lung_rads.classify_nodule(nodule(4.0, fid="F1"), "baseline"),
                                    lung_rads.classify_nodule(nodule(9.0, fid="F2"), "baseline")])
    assert (exam.category, exam.recommendation, exam.finding_id) == ("lung_rads_4a", "ldct_3mo", "F2")
    assert lung_rads.classify_exam([]).category == "lung_rads_1"
    assert lung_rads.MANAGEMENT["lung_rads_3"] == "ldct_6mo"
    assert lung_rads.MANAGEMENT["lung_rads_4x"] == "diagnostic_ct_pet_or_tissue_sampling"
