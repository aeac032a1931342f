"""Bosniak classification, version 2019, of cystic renal masses at CT (Silverman SG et al. Bosniak Classification of
Cystic Renal Masses, Version 2019: An Update Proposal and Needs Assessment. Radiology 2019;292:475-488, Table 1 and
management).

Walls and septa: thin <= 2 mm, minimally thickened 3 mm, thick >= 4 mm; few septa 1-3, many >= 4; an irregular wall
or septum has an obtuse-margined convex protrusion <= 3 mm; a nodule is an enhancing protrusion >= 4 mm with obtuse
margins or of any size with acute margins. Classes are tested from the most suspicious down: IV (an enhancing
nodule), III (an enhancing thick or irregular wall or septum), IIF (a minimally thickened enhancing wall or septum,
or many thin enhancing septa), I (thin smooth wall, homogeneous simple fluid -9 to 20 HU, no septa, no
calcification), and II for the remaining well-defined cystic masses (few thin septa, calcification, homogeneous
hyperattenuating >= 70 HU, or homogeneous nonenhancing > 20 HU at renal mass protocol CT).
"""

from __future__ import annotations

from healthgym.mcp_servers.domains.radiology_report.classification import Classification
from healthgym.mcp_servers.domains.radiology_report.models import RenalMass

SOURCE = "Silverman SG et al. Bosniak Classification of Cystic Renal Masses, Version 2019. Radiology " \
    "2019;292:475-488"
CATEGORIES = ("bosniak_i", "bosniak_ii", "bosniak_iif", "bosniak_iii", "bosniak_iv")
RECOMMENDATIONS: dict[str, str] = {
    "no_followup": "No follow-up imaging (benign).",
    "imaging_6mo_12mo_then_annual_5y": "Follow-up CT or MRI at 6 months, 12 months, then annually for 5 years.",
    "urology_surveillance_or_treatment": "Urologic consultation: active surveillance or treatment (about half are "
    "malignant).",
    "urology_treatment": "Urologic consultation for treatment (most are malignant; active surveillance in selected "
    "patients).",
}
MANAGEMENT = {
    "bosniak_i": "no_followup",
    "bosniak_ii": "no_followup",
    "bosniak_iif": "imaging_6mo_12mo_then_annual_5y",
    "bosniak_iii": "urology_surveillance_or_treatment",
    "bosniak_iv": "urology_treatment",
}
THIN_MM = 2
THICK_MM = 4
MANY_SEPTA = 4
NODULE_OBTUSE_MM = 4
SIMPLE_FLUID_HU = (-9, 20)
HYPERATTENUATING_HU = 70


def classify(mass: RenalMass) -> Classification:
    """The Bosniak 2019 class of one cystic renal mass."""
    fid = mass.finding_id
    enhancing = [p for p in mass.protrusions if p.enhancing]
    nodules = [p for p in enhancing if p.margin == "acute" or p.size_mm >= NODULE_OBTUSE_MM]
    irregular = [p for p in enhancing if p.margin == "obtuse" and p.size_mm < NODULE_OBTUSE_MM]
    wall = mass.wall_thickness_mm if mass.wall_enhancing else 0
    septum = mass.septa_thickness_mm if (mass.septa_enhancing and mass.septa_count) else 0
    thickest = max(wall, septum)
    if nodules:
        n = nodules[0]
        cat, why = "bosniak_iv", f"enhancing nodule ({n.size_mm} mm convex protrusion, {n.margin} margins)"
    elif thickest >= THICK_MM or irregular:
        why = (f"enhancing thick wall/septum ({thickest} mm)" if thickest >= THICK_MM
               else f"enhancing irregular wall/septum ({irregular[0].size_mm} mm obtuse protrusion)")
        cat = "bosniak_iii"
    elif thickest == THIN_MM + 1:
        cat, why = "bosniak_iif", "smooth minimally thickened (3 mm) enhancing wall or septum"
    elif mass.septa_count >= MANY_SEPTA and mass.septa_enhancing:
        cat, why = "bosniak_iif", f"many ({mass.septa_count}) smooth thin enhancing septa"
    elif (mass.wall_thickness_mm <= THIN_MM and mass.septa_count == 0 and not mass.calcification
          and mass.homogeneous and SIMPLE_FLUID_HU[0] <= mass.attenuation_hu <= SIMPLE_FLUID_HU[1]):
        cat, why = "bosniak_i", f"thin smooth wall, simple fluid {mass.attenuation_hu} HU, no septa or calcification"
    else:
        parts = [f"{mass.septa_count} thin septa"] if mass.septa_count else []
        parts += ["calcification"] if mass.calcification else []
        if mass.attenuation_hu >= HYPERATTENUATING_HU:
            parts.append(f"homogeneous hyperattenuating {mass.attenuation_hu} HU")
        elif mass.attenuation_hu > SIMPLE_FLUID_HU[1]:
            parts.append(f"homogeneous nonenhancing {mass.attenuation_hu} HU")
        cat, why = "bosniak_ii", ", ".join(parts) or "well-defined cystic mass"
    rec = MANAGEMENT[cat]
    label = cat.replace("bosniak_", "").upper()
    return Classification("bosniak", fid, cat, rec,
                          (f"{fid}: {why} -> Bosniak {label}", f"{RECOMMENDATIONS[rec]} ({SOURCE})"))  # fmt: skip
