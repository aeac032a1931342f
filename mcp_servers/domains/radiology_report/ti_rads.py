"""ACR TI-RADS: points, levels and FNA / follow-up size thresholds for thyroid nodules on ultrasound (Tessler FN et
al. ACR Thyroid Imaging, Reporting and Data System (TI-RADS): White Paper of the ACR TI-RADS Committee. J Am Coll
Radiol 2017;14:587-595, Figure 1).

Points: composition + echogenicity + shape + margin + every type of echogenic focus present. A spongiform nodule
scores 0 and no further points are added (Figure 1 note). Levels: 0 points TR1, 2 points TR2, 3 points TR3, 4-6
points TR4, 7 or more TR5. The chart assigns no level to a total of exactly 1 point, so this gym never generates one
and the rule refuses it. Size is the maximum diameter in any plane.
"""

from __future__ import annotations

from collections.abc import Sequence

from healthgym.mcp_servers.domains.radiology_report.classification import Classification
from healthgym.mcp_servers.domains.radiology_report.models import ThyroidNodule

SOURCE = "Tessler FN et al. ACR TI-RADS White Paper. J Am Coll Radiol 2017;14:587-595, Figure 1"
COMPOSITION = {"cystic": 0, "spongiform": 0, "mixed_cystic_solid": 1, "solid": 2}
ECHOGENICITY = {"anechoic": 0, "hyperechoic": 1, "isoechoic": 1, "hypoechoic": 2, "very_hypoechoic": 3}
SHAPE = {"wider_than_tall": 0, "taller_than_wide": 3}
MARGIN = {"smooth": 0, "ill_defined": 0, "lobulated": 2, "irregular": 2, "extrathyroidal_extension": 3}
ECHOGENIC_FOCI = {"large_comet_tail": 0, "macrocalcification": 1, "peripheral_rim": 2, "punctate": 3}
CATEGORIES = ("tr1", "tr2", "tr3", "tr4", "tr5")
LEVEL_NAMES = {"tr1": "benign", "tr2": "not suspicious", "tr3": "mildly suspicious", "tr4": "moderately suspicious",
               "tr5": "highly suspicious"}  # fmt: skip
THRESHOLDS_MM: dict[str, tuple[int, int]] = {"tr3": (25, 15), "tr4": (15, 10), "tr5": (10, 5)}
"""Level -> (FNA if >= mm, follow-up if >= mm)."""
FOLLOW_UP = {"tr3": "us_followup_1_3_5y", "tr4": "us_followup_1_2_3_5y", "tr5": "us_followup_annual_5y"}
RECOMMENDATIONS: dict[str, str] = {
    "no_fna": "No FNA; no ultrasound follow-up.",
    "us_followup_1_3_5y": "Ultrasound follow-up at 1, 3 and 5 years (TR3).",
    "us_followup_1_2_3_5y": "Ultrasound follow-up at 1, 2, 3 and 5 years (TR4).",
    "us_followup_annual_5y": "Ultrasound follow-up annually for up to 5 years (TR5).",
    "fna": "Fine-needle aspiration.",
}


def points(composition: str, echogenicity: str, shape: str, margin: str, foci: Sequence[str]) -> dict[str, int]:
    """Points per feature (Figure 1); unknown terms raise ``ValueError`` naming the feature and the allowed terms."""
    tables = {"composition": (COMPOSITION, composition), "echogenicity": (ECHOGENICITY, echogenicity),
              "shape": (SHAPE, shape), "margin": (MARGIN, margin)}  # fmt: skip
    out: dict[str, int] = {}
    for name, (table, term) in tables.items():
        if term not in table:
            raise ValueError(f"{name} {term!r} is not a TI-RADS term; allowed: {', '.join(table)}")
        out[name] = table[term]
    for focus in foci:
        if focus not in ECHOGENIC_FOCI:
            raise ValueError(f"echogenic_foci {focus!r} is not a TI-RADS term; allowed: {', '.join(ECHOGENIC_FOCI)}")
    out["echogenic_foci"] = sum(ECHOGENIC_FOCI[f] for f in set(foci))
    if composition == "spongiform":
        out = dict.fromkeys(out, 0)
    return out


def level(total: int) -> str:
    """TR level of a point total."""
    if total < 0:
        raise ValueError(f"points must be >= 0, got {total}")
    if total == 1:
        raise ValueError("a total of 1 point has no TI-RADS level in Figure 1 (TR1 = 0 points, TR2 = 2 points)")
    return "tr1" if total == 0 else "tr2" if total == 2 else "tr3" if total == 3 else "tr4" if total <= 6 else "tr5"


def recommendation(category: str, max_diameter_mm: float) -> str:
    """FNA or follow-up by level and maximum diameter (TR1-TR2: neither)."""
    if category not in THRESHOLDS_MM:
        return "no_fna"
    fna, follow = THRESHOLDS_MM[category]
    return "fna" if max_diameter_mm >= fna else FOLLOW_UP[category] if max_diameter_mm >= follow else "no_fna"


def classify(nodule: ThyroidNodule) -> tuple[int, Classification]:
    """Point total and classification of one nodule."""
    parts = points(nodule.composition, nodule.echogenicity, nodule.shape, nodule.margin, nodule.echogenic_foci)
    total = sum(parts.values())
    category = level(total)
    rec = recommendation(category, nodule.max_diameter_mm)
    spongiform = " (spongiform: no further points)" if nodule.composition == "spongiform" else ""
    reasons = [f"{nodule.finding_id}: " + ", ".join(f"{k} {v}" for k, v in parts.items()) + f"{spongiform} = {total}"
               f" points -> {category.upper()} ({LEVEL_NAMES[category]})"]  # fmt: skip
    if category in THRESHOLDS_MM:
        fna, follow = THRESHOLDS_MM[category]
        reasons.append(f"{category.upper()}: FNA if >= {fna / 10:g} cm, follow-up if >= {follow / 10:g} cm; nodule "
                       f"{nodule.max_diameter_mm / 10:g} cm -> {RECOMMENDATIONS[rec]}")  # fmt: skip
    return total, Classification("ti_rads", nodule.finding_id, category, rec, tuple(reasons))
