"""LI-RADS v2018 CT/MRI diagnostic algorithm and management for observations in patients at high risk for HCC
(American College of Radiology. CT/MRI LI-RADS v2018 Core; Chernyak V et al. Radiology 2018;289:816-830).

Algorithm: tumour in vein -> LR-TIV; definitely benign (simple cyst, hemangioma) -> LR-1; targetoid (rim APHE or
another targetoid feature) -> LR-M; otherwise the diagnostic table by APHE (none / nonrim), size (largest
dimension: <10, 10-19, >=20 mm) and count of additional major features (enhancing capsule, nonperipheral washout,
threshold growth = size increase of >= 50% in <= 6 months). In the 10-19 mm nonrim APHE cell with one feature the
observation is LR-4 if the feature is capsule only and LR-5 if it is washout or threshold growth. Ancillary features
are out of scope (never generated), so LR-2 does not occur here.
"""

from __future__ import annotations

from healthgym.mcp_servers.domains.radiology_report.classification import Classification
from healthgym.mcp_servers.domains.radiology_report.models import LiverObservation

SOURCE = "ACR CT/MRI LI-RADS v2018 Core (diagnostic table and management); Chernyak V et al. Radiology " \
    "2018;289:816-830"
CATEGORIES = ("lr_1", "lr_3", "lr_4", "lr_5", "lr_m", "lr_tiv")
RECOMMENDATIONS: dict[str, str] = {
    "return_to_surveillance_6mo": "Return to routine surveillance in 6 months.",
    "repeat_or_alternative_imaging_3_6mo": "Repeat or alternative diagnostic imaging in 3-6 months.",
    "mdd_imaging_3mo_or_biopsy": "Multidisciplinary discussion for tailored workup: repeat or alternative "
    "diagnostic imaging in <= 3 months, or biopsy.",
    "mdd_hcc_management": "Multidisciplinary discussion for consensus management (definite HCC; biopsy not needed).",
    "mdd_workup_often_biopsy": "Multidisciplinary discussion for tailored workup, which often includes biopsy.",
    "mdd_workup_may_biopsy": "Multidisciplinary discussion for tailored workup, which may include biopsy.",
}
MANAGEMENT = {
    "lr_1": "return_to_surveillance_6mo",
    "lr_3": "repeat_or_alternative_imaging_3_6mo",
    "lr_4": "mdd_imaging_3mo_or_biopsy",
    "lr_5": "mdd_hcc_management",
    "lr_m": "mdd_workup_often_biopsy",
    "lr_tiv": "mdd_workup_may_biopsy",
}
THRESHOLD_GROWTH_FRACTION = 0.5
THRESHOLD_GROWTH_MONTHS = 6


def threshold_growth(diameter_mm: float, prior_mm: float | None, interval_months: int) -> bool:
    """Size increase of a mass by >= 50% in <= 6 months (v2018)."""
    if prior_mm is None or interval_months <= 0 or interval_months > THRESHOLD_GROWTH_MONTHS:
        return False
    return diameter_mm >= prior_mm * (1 + THRESHOLD_GROWTH_FRACTION) - 1e-9


def table_category(aphe: bool, diameter_mm: float, capsule: bool, washout: bool, growth: bool) -> str:
    """The v2018 CT/MRI diagnostic table."""
    count = capsule + washout + growth
    if not aphe:
        if diameter_mm < 20:
            return "lr_3" if count < 2 else "lr_4"
        return "lr_3" if count == 0 else "lr_4"
    if diameter_mm < 10:
        return "lr_3" if count == 0 else "lr_4"
    if diameter_mm < 20:
        if count == 0:
            return "lr_3"
        if count == 1:
            return "lr_4" if capsule else "lr_5"
        return "lr_5"
    return "lr_4" if count == 0 else "lr_5"


def classify(obs: LiverObservation, prior_mm: float | None, interval_months: int) -> Classification:
    """The LI-RADS category of one observation."""
    fid = obs.finding_id
    if obs.tumor_in_vein:
        cat, why = "lr_tiv", "enhancing soft tissue in vein -> LR-TIV"
    elif obs.appearance in ("simple_cyst", "hemangioma"):
        cat, why = "lr_1", f"definitely benign ({obs.appearance.replace('_', ' ')}) -> LR-1"
    elif obs.aphe == "rim" or obs.targetoid_features:
        feats = (["rim APHE"] if obs.aphe == "rim" else []) + [f.replace("_", " ") for f in obs.targetoid_features]
        cat, why = "lr_m", f"targetoid ({', '.join(feats)}) -> LR-M"
    else:
        growth = threshold_growth(obs.diameter_mm, prior_mm, interval_months)
        cat = table_category(obs.aphe == "nonrim", obs.diameter_mm, obs.enhancing_capsule,
                             obs.nonperipheral_washout, growth)  # fmt: skip
        feats = [name for name, on in (("enhancing capsule", obs.enhancing_capsule),
                                       ("nonperipheral washout", obs.nonperipheral_washout),
                                       ("threshold growth", growth)) if on]  # fmt: skip
        why = (f"{'nonrim APHE' if obs.aphe == 'nonrim' else 'no APHE'}, {obs.diameter_mm} mm, additional major "
               f"features: {', '.join(feats) or 'none'} -> {cat.upper().replace('_', '-')}")  # fmt: skip
    rec = MANAGEMENT[cat]
    return Classification("li_rads", fid, cat, rec, (f"{fid}: {why}", f"{RECOMMENDATIONS[rec]} ({SOURCE})"))
