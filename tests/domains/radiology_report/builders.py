"""Findings with only the features a test is about; everything else benign."""

from __future__ import annotations

from typing import Any

from healthgym.mcp_servers.domains.radiology_report.models import (
    LiverObservation,
    LungNodule,
    Patient,
    Protrusion,
    RenalMass,
    ThyroidNodule,
)

NEVER_SMOKER = Patient(age=45, sex="female", smoking_status="never", pack_years=0)
SMOKER = Patient(age=62, sex="male", smoking_status="former", pack_years=30, years_since_quit=5)


def nodule(long: float, short: float | None = None, fid: str = "F1", **kw: Any) -> LungNodule:
    base: dict[str, Any] = {"lobe": "RLL", "density": "solid", "margin": "smooth"}
    return LungNodule(finding_id=fid, long_axis_mm=long, short_axis_mm=long if short is None else short, **base | kw)


def part_solid(total: float, solid: float, fid: str = "F1") -> LungNodule:
    return nodule(total, density="part_solid", solid_long_axis_mm=solid, solid_short_axis_mm=solid, fid=fid)


def thyroid(size_mm: int = 20, **kw: Any) -> ThyroidNodule:
    base: dict[str, Any] = {"lobe": "right", "composition": "solid", "echogenicity": "isoechoic",
                            "shape": "wider_than_tall", "margin": "smooth", "echogenic_foci": []}
    return ThyroidNodule(finding_id="F1", max_diameter_mm=size_mm, **base | kw)


def liver(diameter_mm: int, aphe: str = "nonrim", **kw: Any) -> LiverObservation:
    base: dict[str, Any] = {"segment": "VII", "appearance": "solid"}
    return LiverObservation(finding_id="F1", diameter_mm=diameter_mm, aphe=aphe, **base | kw)


def renal(**kw: Any) -> RenalMass:
    base: dict[str, Any] = {"side": "left", "size_mm": 30, "wall_thickness_mm": 1, "wall_enhancing": False,
                            "septa_count": 0, "septa_thickness_mm": 0, "septa_enhancing": False, "attenuation_hu": 8}
    return RenalMass(finding_id="F1", **base | kw)


def protrusion(size_mm: int, margin: str = "obtuse", enhancing: bool = True) -> Protrusion:
    return Protrusion(size_mm=size_mm, margin=margin, enhancing=enhancing)
