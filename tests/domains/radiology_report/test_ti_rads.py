"""ACR TI-RADS (Tessler 2017, Figure 1): points per feature, level boundaries and the FNA / follow-up thresholds."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.domains.radiology_report import ti_rads

from .builders import thyroid


def test_points_of_each_feature_match_figure_1() -> None:
    assert ti_rads.COMPOSITION == {"cystic": 0, "spongiform": 0, "mixed_cystic_solid": 1, "solid": 2}
    assert ti_rads.ECHOGENICITY == {"anechoic": 0, "hyperechoic": 1, "isoechoic": 1, "hypoechoic": 2,
                                    "very_hypoechoic": 3}
    assert ti_rads.SHAPE == {"wider_than_tall": 0, "taller_than_wide": 3}
    assert ti_rads.MARGIN == {"smooth": 0, "ill_defined": 0, "lobulated": 2, "irregular": 2,
                              "extrathyroidal_extension": 3}
    assert ti_rads.ECHOGENIC_FOCI == {"large_comet_tail": 0, "macrocalcification": 1, "peripheral_rim": 2,
                                      "punctate": 3}


def test_echogenic_foci_add_and_spongiform_scores_zero() -> None:
    """Echogenic foci: add every type present. Spongiform: do not add further points for other categories."""
    parts = ti_rads.points("solid", "hypoechoic", "taller_than_wide", "irregular", ["macrocalcification", "punctate"])
    assert parts == {"composition": 2, "echogenicity": 2, "shape": 3, "margin": 2, "echogenic_foci": 4}
    assert sum(ti_rads.points("spongiform", "isoechoic", "wider_than_tall", "smooth", ["punctate"]).values()) == 0


@pytest.mark.parametrize(("total", "level"), [(0, "tr1"), (2, "tr2"), (3, "tr3"), (4, "tr4"), (6, "tr4"),
                                               (7, "tr5"), (14, "tr5")])  # fmt: skip
def test_level_boundaries(total: int, level: str) -> None:
    assert ti_rads.level(total) == level


def test_one_point_has_no_level() -> None:
    with pytest.raises(ValueError, match="1 point"):
        ti_rads.level(1)


@pytest.mark.parametrize(
    ("level", "mm", "rec"),
    [
        ("tr3", 14, "no_fna"), ("tr3", 15, "us_followup_1_3_5y"), ("tr3", 24, "us_followup_1_3_5y"), ("tr3", 25, "fna"),
        ("tr4", 9, "no_fna"), ("tr4", 10, "us_followup_1_2_3_5y"), ("tr4", 14, "us_followup_1_2_3_5y"),
        ("tr4", 15, "fna"),
        ("tr5", 4, "no_fna"), ("tr5", 5, "us_followup_annual_5y"), ("tr5", 9, "us_followup_annual_5y"),
        ("tr5", 10, "fna"),
        ("tr2", 40, "no_fna"), ("tr1", 40, "no_fna"),
    ],
)  # fmt: skip
def test_fna_and_follow_up_size_thresholds(level: str, mm: int, rec: str) -> None:
    """TR3: FNA >= 2.5 cm, follow >= 1.5 cm; TR4: FNA >= 1.5 cm, follow >= 1 cm; TR5: FNA >= 1 cm, follow >= 0.5
    cm; TR1-TR2: no FNA."""
    assert ti_rads.recommendation(level, mm) == rec


@pytest.mark.parametrize(
    ("features", "size", "points", "level", "rec"),
    [
        # solid 2 + hypoechoic 2 = 4 -> TR4, 1.2 cm -> follow-up at 1, 2, 3 and 5 years
        ({"echogenicity": "hypoechoic"}, 12, 4, "tr4", "us_followup_1_2_3_5y"),
        # solid 2 + isoechoic 1 = 3 -> TR3, 2.5 cm -> FNA
        ({}, 25, 3, "tr3", "fna"),
        # mixed 1 + isoechoic 1 = 2 -> TR2
        ({"composition": "mixed_cystic_solid"}, 30, 2, "tr2", "no_fna"),
        # cystic 0 + anechoic 0 -> TR1
        ({"composition": "cystic", "echogenicity": "anechoic"}, 30, 0, "tr1", "no_fna"),
        # solid 2 + very hypoechoic 3 + taller-than-wide 3 + punctate 3 = 11 -> TR5, 1.0 cm -> FNA
        ({"echogenicity": "very_hypoechoic", "shape": "taller_than_wide", "echogenic_foci": ["punctate"]}, 10, 11,
         "tr5", "fna"),
    ],
)  # fmt: skip
def test_worked_nodules(features: dict, size: int, points: int, level: str, rec: str) -> None:
    total, result = ti_rads.classify(thyroid(size, **features))
    assert (total, result.category, result.recommendation) == (points, level, rec)
