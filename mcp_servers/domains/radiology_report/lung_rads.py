"""ACR Lung-RADS v2022 categories for lung cancer screening CT (ACR Lung-RADS v2022 assessment categories; Christensen
J et al. CHEST 2024;165:738-753).

Each nodule is categorized by type, mean diameter (long and short axes averaged, one decimal place) and whether it is
baseline, new or growing; the exam takes the category of its most suspicious nodule. Growth is an increase in mean
diameter of more than 1.5 mm within 12 months (of the solid component for part-solid nodules). Category 4X is a
category 3 or 4 nodule with additional features that increase suspicion (here: spiculation). Out of scope (never
generated): category 0, the S modifier, airway nodules, atypical cysts, and the stepped management of category 3/4
nodules that are stable at follow-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from healthgym.mcp_servers.domains.radiology_report.classification import Classification, mean_diameter
from healthgym.mcp_servers.domains.radiology_report.models import LungNodule, PriorMeasurement

SOURCE = "ACR Lung-RADS v2022 Assessment Categories (American College of Radiology, November 2022)"
CATEGORIES = ("lung_rads_1", "lung_rads_2", "lung_rads_3", "lung_rads_4a", "lung_rads_4b", "lung_rads_4x")
RECOMMENDATIONS: dict[str, str] = {
    "ldct_12mo": "Continue annual screening with LDCT in 12 months.",
    "ldct_6mo": "6-month LDCT.",
    "ldct_3mo": "3-month LDCT; PET/CT may be considered if there is a solid component >= 8 mm.",
    "diagnostic_ct_pet_or_tissue_sampling": "Diagnostic chest CT with or without contrast; PET/CT may be considered "
    "if there is a solid component >= 8 mm; tissue sampling; and/or referral for further clinical evaluation.",
}
MANAGEMENT = {
    "lung_rads_1": "ldct_12mo",
    "lung_rads_2": "ldct_12mo",
    "lung_rads_3": "ldct_6mo",
    "lung_rads_4a": "ldct_3mo",
    "lung_rads_4b": "diagnostic_ct_pet_or_tissue_sampling",
    "lung_rads_4x": "diagnostic_ct_pet_or_tissue_sampling",
}
GROWTH_MM = 1.5
"""Growth: mean diameter increase of more than 1.5 mm within a 12-month interval."""
GROWTH_WINDOW_MONTHS = 12
BENIGN_CALCIFICATION = ("complete", "central", "popcorn", "concentric")
PERIFISSURAL_MAX_MM = 10.0

Status = Literal["baseline", "new", "growing", "stable"]


def size(nodule: LungNodule) -> float:
    """Mean diameter of the whole nodule to one decimal place."""
    return mean_diameter(nodule.long_axis_mm, nodule.short_axis_mm, 1)


def solid_size(nodule: LungNodule) -> float:
    """Mean diameter of a part-solid nodule's solid component to one decimal place."""
    if nodule.solid_long_axis_mm is None or nodule.solid_short_axis_mm is None:
        raise ValueError(f"{nodule.finding_id}: a part-solid nodule needs solid component axes")
    return mean_diameter(nodule.solid_long_axis_mm, nodule.solid_short_axis_mm, 1)


def grew(current_mm: float, prior_mm: float, interval_months: int) -> bool:
    """More than 1.5 mm increase in mean diameter within 12 months."""
    if not 0 < interval_months <= GROWTH_WINDOW_MONTHS:
        raise ValueError(f"interval_months must be in 1..{GROWTH_WINDOW_MONTHS} for Lung-RADS growth, "
                         f"got {interval_months}")
    return current_mm - prior_mm > GROWTH_MM + 1e-9


def status(nodule: LungNodule, prior: PriorMeasurement | None, is_new: bool, interval_months: int) -> Status:
    """Baseline (no prior exam), new, growing or stable, comparing the mean diameter that the type is graded on."""
    if is_new:
        return "new"
    if prior is None:
        return "baseline"
    if nodule.density == "part_solid":
        if prior.solid_long_axis_mm is None or prior.solid_short_axis_mm is None:
            raise ValueError(f"{nodule.finding_id}: prior solid component axes are missing")
        before = mean_diameter(prior.solid_long_axis_mm, prior.solid_short_axis_mm, 1)
        return "growing" if grew(solid_size(nodule), before, interval_months) else "stable"
    if prior.long_axis_mm is None or prior.short_axis_mm is None:
        raise ValueError(f"{nodule.finding_id}: prior axes are missing")
    before = mean_diameter(prior.long_axis_mm, prior.short_axis_mm, 1)
    return "growing" if grew(size(nodule), before, interval_months) else "stable"


def _solid(mm: float, state: Status) -> tuple[str, str]:
    if state == "baseline":
        cat = "2" if mm < 6 else "3" if mm < 8 else "4a" if mm < 15 else "4b"
        band = "<6" if mm < 6 else ">=6 to <8" if mm < 8 else ">=8 to <15" if mm < 15 else ">=15"
        return cat, f"solid {mm:g} mm at baseline ({band} mm)"
    if state == "new":
        cat = "2" if mm < 4 else "3" if mm < 6 else "4a" if mm < 8 else "4b"
        band = "<4" if mm < 4 else "4 to <6" if mm < 6 else "6 to <8" if mm < 8 else ">=8"
        return cat, f"new solid {mm:g} mm ({band} mm)"
    if state == "growing":
        return ("4a" if mm < 8 else "4b"), f"growing solid {mm:g} mm ({'<8' if mm < 8 else '>=8'} mm)"
    if mm < 6:
        return "2", f"stable solid {mm:g} mm (<6 mm)"
    raise ValueError("stable solid nodules >= 6 mm follow stepped management (out of scope)")


def _part_solid(total: float, solid: float, state: Status) -> tuple[str, str]:
    what = f"part-solid {total:g} mm with {solid:g} mm solid component"
    if state == "baseline":
        if total < 6:
            return "2", f"{what} at baseline (<6 mm total)"
        cat = "3" if solid < 6 else "4a" if solid < 8 else "4b"
        band = "<6" if solid < 6 else ">=6 to <8" if solid < 8 else ">=8"
        return cat, f"{what} at baseline (total >=6 mm, solid {band} mm)"
    if state in ("new", "growing"):
        if state == "new" and total < 6:
            return "3", f"new {what} (<6 mm total)"
        return ("4a" if solid < 4 else "4b"), f"{state} {what} (solid component {'<4' if solid < 4 else '>=4'} mm)"
    if total < 6:
        return "2", f"stable {what} (<6 mm total)"
    raise ValueError("stable part-solid nodules >= 6 mm follow stepped management (out of scope)")


def _ground_glass(mm: float, state: Status) -> tuple[str, str]:
    if mm < 30:
        return "2", f"{state} ground-glass {mm:g} mm (<30 mm)"
    if state in ("baseline", "new"):
        return "3", f"{state} ground-glass {mm:g} mm (>=30 mm)"
    raise ValueError("growing or stable ground-glass nodules >= 30 mm are out of scope")


def classify_nodule(nodule: LungNodule, state: Status) -> Classification:
    """The Lung-RADS category of one nodule."""
    fid = nodule.finding_id
    if nodule.calcification in BENIGN_CALCIFICATION or nodule.contains_fat:
        what = "fat-containing" if nodule.contains_fat else f"{nodule.calcification} calcification"
        return Classification("lung_rads", fid, "lung_rads_1", MANAGEMENT["lung_rads_1"],
                              (f"{fid}: benign {what} -> category 1",))  # fmt: skip
    mm = size(nodule)
    if nodule.density == "solid" and nodule.perifissural and mm < PERIFISSURAL_MAX_MM and state != "growing":
        cat, why = "2", f"perifissural/juxtapleural solid nodule {mm:g} mm (<10 mm)"
    elif nodule.density == "solid":
        cat, why = _solid(mm, state)
    elif nodule.density == "part_solid":
        cat, why = _part_solid(mm, solid_size(nodule), state)
    else:
        cat, why = _ground_glass(mm, state)
    reasons = [f"{fid}: {why} -> category {cat.upper()}"]
    if cat in ("3", "4a", "4b") and nodule.margin == "spiculated":
        cat = "4x"
        reasons.append(f"{fid}: category 3/4 nodule with spiculation (additional suspicious feature) -> 4X")
    code = f"lung_rads_{cat}"
    return Classification("lung_rads", fid, code, MANAGEMENT[code], tuple(reasons))


def classify_exam(classifications: Sequence[Classification]) -> Classification:
    """The exam's category: that of its most suspicious nodule (category 1 when there is none)."""
    if not classifications:
        return Classification("lung_rads", "", "lung_rads_1", MANAGEMENT["lung_rads_1"], ("no lung nodules",))
    worst = max(classifications, key=lambda c: CATEGORIES.index(c.category))
    reasons = tuple(r for c in classifications for r in c.reasons)
    why = f"exam category = most suspicious nodule ({worst.finding_id}); {RECOMMENDATIONS[worst.recommendation]}"
    return Classification("lung_rads", worst.finding_id, worst.category, worst.recommendation, (*reasons, why))
