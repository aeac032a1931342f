"""Fleischner Society 2017 guideline for incidental pulmonary nodules on CT (MacMahon H et al. Radiology
2017;284:228-243, Table 1).

Applies to incidental nodules in adults of 35 years or more; not to lung cancer screening, immunocompromised
patients or patients with known cancer. Size is the mean of long and short axes rounded to the nearest millimetre
(Bankier 2017); several nodules are managed by the largest (most suspicious) one. Risk is the guideline's footnote:
high risk with a history of smoking or another known risk factor (family history of lung cancer, asbestos or radon
exposure, emphysema, pulmonary fibrosis; upper-lobe location and spiculated margin of the nodule). The footnote's
"older age" has no threshold, so this gym draws low-risk patients younger than 60.
"""

from __future__ import annotations

from collections.abc import Sequence

from healthgym.mcp_servers.domains.radiology_report.classification import Classification, mean_diameter
from healthgym.mcp_servers.domains.radiology_report.models import LungNodule, Patient

SOURCE = "MacMahon H et al. Guidelines for management of incidental pulmonary nodules detected on CT images: from " \
    "the Fleischner Society 2017. Radiology 2017;284:228-243, Table 1"
PATIENT_RISK_FACTORS = ("family_history_lung_cancer", "asbestos_exposure", "radon_exposure", "emphysema",
                        "pulmonary_fibrosis")  # fmt: skip
UPPER_LOBES = ("RUL", "LUL")

RECOMMENDATIONS: dict[str, str] = {
    "no_routine_followup": "No routine follow-up.",
    "optional_ct_12mo": "Optional CT at 12 months.",
    "ct_6_12mo_then_consider_ct_18_24mo": "CT at 6-12 months, then consider CT at 18-24 months.",
    "ct_6_12mo_then_ct_18_24mo": "CT at 6-12 months, then CT at 18-24 months.",
    "consider_ct_3mo_pet_or_tissue_sampling": "Consider CT at 3 months, PET/CT, or tissue sampling.",
    "ct_3_6mo_then_consider_ct_18_24mo": "CT at 3-6 months, then consider CT at 18-24 months.",
    "ct_3_6mo_then_ct_18_24mo": "CT at 3-6 months, then CT at 18-24 months.",
    "ct_6_12mo_then_every_2y_until_5y": "CT at 6-12 months to confirm persistence, then CT every 2 years until 5 "
    "years.",
    "ct_3_6mo_then_annual_ct_5y": "CT at 3-6 months to confirm persistence; if unchanged and solid component remains "
    "<6 mm, annual CT for 5 years.",
    "ct_3_6mo_then_consider_ct_2y_4y": "CT at 3-6 months; if stable, consider CT at 2 and 4 years.",
    "ct_3_6mo_then_manage_most_suspicious": "CT at 3-6 months; subsequent management based on the most suspicious "
    "nodule(s).",
}
"""Recommendation code -> the guideline's wording (Table 1)."""

ROWS: dict[str, tuple[str, str, str]] = {
    # row code: (description, low-risk recommendation, high-risk recommendation)
    "fleischner_solid_single_lt6": ("single solid nodule <6 mm", "no_routine_followup", "optional_ct_12mo"),
    "fleischner_solid_single_6_8": ("single solid nodule 6-8 mm", "ct_6_12mo_then_consider_ct_18_24mo",
                                     "ct_6_12mo_then_ct_18_24mo"),
    "fleischner_solid_single_gt8": ("single solid nodule >8 mm", "consider_ct_3mo_pet_or_tissue_sampling",
                                     "consider_ct_3mo_pet_or_tissue_sampling"),
    "fleischner_solid_multiple_lt6": ("multiple solid nodules, largest <6 mm", "no_routine_followup",
                                       "optional_ct_12mo"),
    "fleischner_solid_multiple_6_8": ("multiple solid nodules, largest 6-8 mm", "ct_3_6mo_then_consider_ct_18_24mo",
                                       "ct_3_6mo_then_ct_18_24mo"),
    "fleischner_solid_multiple_gt8": ("multiple solid nodules, largest >8 mm", "ct_3_6mo_then_consider_ct_18_24mo",
                                       "ct_3_6mo_then_consider_ct_18_24mo"),
    "fleischner_ggn_single_lt6": ("single ground-glass nodule <6 mm", "no_routine_followup", "no_routine_followup"),
    "fleischner_ggn_single_ge6": ("single ground-glass nodule >=6 mm", "ct_6_12mo_then_every_2y_until_5y",
                                   "ct_6_12mo_then_every_2y_until_5y"),
    "fleischner_part_solid_single_lt6": ("single part-solid nodule <6 mm", "no_routine_followup",
                                          "no_routine_followup"),
    "fleischner_part_solid_single_ge6": ("single part-solid nodule >=6 mm", "ct_3_6mo_then_annual_ct_5y",
                                          "ct_3_6mo_then_annual_ct_5y"),
    "fleischner_subsolid_multiple_lt6": ("multiple subsolid nodules, largest <6 mm",
                                          "ct_3_6mo_then_consider_ct_2y_4y", "ct_3_6mo_then_consider_ct_2y_4y"),
    "fleischner_subsolid_multiple_ge6": ("multiple subsolid nodules, largest >=6 mm",
                                          "ct_3_6mo_then_manage_most_suspicious",
                                          "ct_3_6mo_then_manage_most_suspicious"),
}  # fmt: skip
"""Table 1, one row per nodule type, number and size band: the recommendation for low- and high-risk patients."""


def size_mm(nodule: LungNodule) -> int:
    """Mean of long and short axes, rounded to the nearest millimetre (whole nodule for subsolid nodules)."""
    return int(mean_diameter(nodule.long_axis_mm, nodule.short_axis_mm, 0))


def risk_factors(patient: Patient, nodules: Sequence[LungNodule]) -> list[str]:
    """The Table 1 footnote risk factors present; any one makes the patient high risk."""
    found = [f"{patient.smoking_status} smoker"] if patient.smoking_status != "never" else []
    found += [f for f in patient.risk_factors if f in PATIENT_RISK_FACTORS]
    found += [f"{n.finding_id} spiculated" for n in nodules if n.margin == "spiculated"]
    found += [f"{n.finding_id} upper lobe" for n in nodules if n.lobe in UPPER_LOBES]
    return found


def row(nodules: Sequence[LungNodule]) -> tuple[str, LungNodule]:
    """The Table 1 row of the nodules and the nodule that guides it (the largest)."""
    if not nodules:
        raise ValueError("Fleischner needs at least one nodule")
    solid = [n.density == "solid" for n in nodules]
    if any(solid) and not all(solid):
        raise ValueError("mixed solid and subsolid nodules are managed by the most suspicious; not generated here")
    guide = max(nodules, key=lambda n: (size_mm(n), n.long_axis_mm))
    size = size_mm(guide)
    if len(nodules) == 1:
        if guide.density == "solid":
            band = "lt6" if size < 6 else "6_8" if size <= 8 else "gt8"
            return f"fleischner_solid_single_{band}", guide
        kind = "ggn" if guide.density == "ground_glass" else "part_solid"
        return f"fleischner_{kind}_single_{'lt6' if size < 6 else 'ge6'}", guide
    if all(solid):
        band = "lt6" if size < 6 else "6_8" if size <= 8 else "gt8"
        return f"fleischner_solid_multiple_{band}", guide
    return f"fleischner_subsolid_multiple_{'lt6' if size < 6 else 'ge6'}", guide


def classify(patient: Patient, nodules: Sequence[LungNodule]) -> Classification:
    """Table 1 row and recommendation for the patient's incidental nodules."""
    code, guide = row(nodules)
    description, low, high = ROWS[code]
    factors = risk_factors(patient, nodules)
    recommendation = high if factors else low
    risk = f"high risk ({', '.join(factors)})" if factors else "low risk (no risk factor)"
    reasons = (
        f"{guide.finding_id}: {guide.density} nodule, mean diameter {size_mm(guide)} mm "
        f"({guide.long_axis_mm:g} x {guide.short_axis_mm:g} mm)",
        f"{len(nodules)} nodule(s) -> {description}",
        risk,
        f"{RECOMMENDATIONS[recommendation]} ({SOURCE})",
    )
    return Classification("fleischner", guide.finding_id, code, recommendation, reasons)
