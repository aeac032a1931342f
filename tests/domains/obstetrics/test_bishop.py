"""Bishop score of the admission's cervical exam (Bishop 1964 table), through the calculators library."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.calculators.obstetrics import bishop_score
from healthgym.mcp_servers.domains.obstetrics import SPEC
from healthgym.mcp_servers.domains.obstetrics.cases import build_case


@pytest.mark.parametrize(("dilation", "points"), [(0, 0), (1, 1), (2, 1), (3, 2), (4, 2), (5, 3)])
def test_dilation_bands(dilation: int, points: int) -> None:
    r = bishop_score(dilation_cm=dilation, effacement_percent=0, station=-3, consistency="firm", position="posterior")
    assert r.points["dilation"] == points


@pytest.mark.parametrize(("effacement", "points"), [(30, 0), (40, 1), (50, 1), (60, 2), (70, 2), (80, 3)])
def test_effacement_bands(effacement: int, points: int) -> None:
    r = bishop_score(dilation_cm=0, effacement_percent=effacement, station=-3, consistency="firm", position="posterior")
    assert r.points["effacement"] == points


@pytest.mark.parametrize(("station", "points"), [(-3, 0), (-2, 1), (-1, 2), (0, 2), (1, 3), (2, 3)])
def test_station_bands(station: int, points: int) -> None:
    r = bishop_score(dilation_cm=0, effacement_percent=0, station=station, consistency="firm", position="posterior")
    assert r.points["station"] == points


def test_a_favourable_cervix() -> None:
    # 3 cm (2), 60% (2), station -1 (2), soft (2), anterior (2) = 10: favourable (> 8).
    r = bishop_score(dilation_cm=3, effacement_percent=60, station=-1, consistency="soft", position="anterior")
    assert (r.value, r.band) == (10, "favourable (>8)")


def test_admission_gold_is_the_calculator_on_the_recorded_exam() -> None:
    for index in (9, 10, 20, 21):  # the admissions of the first two cycles (cases.KIND_CYCLE)
        case = build_case("test", 0, index)
        c = case.record.cervix
        assert c is not None
        expected = bishop_score(dilation_cm=c.dilation_cm, effacement_percent=c.effacement_percent, station=c.station,
                                consistency=c.consistency, position=c.position).value
        assert SPEC.generate("test", 0, index).answer.fields["bishop_score"].value == expected
