"""Bosniak 2019 at each wall, septum, protrusion and attenuation boundary of Table 1."""

from __future__ import annotations

import pytest

from healthgym.mcp_servers.domains.radiology_report import bosniak

from .builders import protrusion, renal


@pytest.mark.parametrize(
    ("mass", "category"),
    [
        (renal(), "bosniak_i"),
        (renal(wall_thickness_mm=2, wall_enhancing=True, attenuation_hu=20), "bosniak_i"),
        (renal(attenuation_hu=-9), "bosniak_i"),
        (renal(attenuation_hu=21), "bosniak_ii"),
        (renal(attenuation_hu=69), "bosniak_ii"),
        (renal(attenuation_hu=70), "bosniak_ii"),
        (renal(calcification=True), "bosniak_ii"),
        (renal(septa_count=3, septa_thickness_mm=2, septa_enhancing=True), "bosniak_ii"),
        (renal(septa_count=4, septa_thickness_mm=2, septa_enhancing=True), "bosniak_iif"),
        (renal(wall_thickness_mm=3, wall_enhancing=True), "bosniak_iif"),
        (renal(septa_count=1, septa_thickness_mm=3, septa_enhancing=True), "bosniak_iif"),
        (renal(wall_thickness_mm=4, wall_enhancing=True), "bosniak_iii"),
        (renal(septa_count=2, septa_thickness_mm=4, septa_enhancing=True), "bosniak_iii"),
        (renal(wall_enhancing=True, protrusions=[protrusion(3)]), "bosniak_iii"),
        (renal(wall_enhancing=True, protrusions=[protrusion(4)]), "bosniak_iv"),
        (renal(wall_enhancing=True, protrusions=[protrusion(2, "acute")]), "bosniak_iv"),
        (renal(protrusions=[protrusion(6, enhancing=False)]), "bosniak_i"),
    ],
)  # fmt: skip
def test_classes(mass, category: str) -> None:
    """Thin <= 2 mm, minimally thickened 3 mm, thick >= 4 mm; few 1-3 septa, many >= 4; irregular <= 3 mm obtuse
    protrusion; nodule >= 4 mm obtuse or any acute protrusion; simple fluid -9 to 20 HU."""
    assert bosniak.classify(mass).category == category


def test_management() -> None:
    assert bosniak.MANAGEMENT == {
        "bosniak_i": "no_followup", "bosniak_ii": "no_followup", "bosniak_iif": "imaging_6mo_12mo_then_annual_5y",
        "bosniak_iii": "urology_surveillance_or_treatment", "bosniak_iv": "urology_treatment",
    }  # fmt: skip
