"""Each system's published criteria as table rows, for the reference tool and the knowledge base: what the
unassisted tier applies by hand. The rows restate the tables the rule modules implement (same sources)."""

from __future__ import annotations

from healthgym.mcp_servers.domains.radiology_report import (
    bi_rads,
    bosniak,
    communication,
    fleischner,
    li_rads,
    lung_rads,
    o_rads,
    ti_rads,
)

MEASUREMENT: dict[str, str] = {
    "fleischner": "Size = mean of long and short axes, rounded to the nearest whole millimetre (5.5 -> 6); the whole "
    "nodule for subsolid nodules. Several nodules: manage by the largest. Bands: <6, 6-8, >8 mm (solid); <6, >=6 mm "
    "(subsolid).",
    "lung_rads": "Size = mean of long and short axes to one decimal place (half up). Growth = mean diameter increase "
    "> 1.5 mm within 12 months (of the solid component for part-solid nodules). The exam takes the category of the "
    "most suspicious nodule.",
    "ti_rads": "Size = maximum diameter in any plane. Points = composition + echogenicity + shape + margin + every "
    "type of echogenic focus present; a spongiform nodule scores 0 and no further points are added.",
    "li_rads": "Size = largest outer-edge-to-outer-edge dimension. Threshold growth = size increase of a mass by >= "
    "50% in <= 6 months. Order: LR-TIV, LR-1 (definitely benign), LR-M (targetoid), then the diagnostic table.",
    "bosniak": "Walls and septa: thin <= 2 mm, minimally thickened 3 mm, thick >= 4 mm; few septa 1-3, many >= 4. "
    "Irregular = enhancing obtuse convex protrusion <= 3 mm; nodule = enhancing protrusion >= 4 mm with obtuse "
    "margins, or of any size with acute margins. Test from IV downwards.",
    "bi_rads": "Size = largest dimension of the mass. A screening mammogram is assessed 0, 1 or 2 only; a diagnostic "
    "ultrasound reads the mass with the ultrasound lexicon (shape, margin, orientation, echo pattern, posterior "
    "features). The exam takes the highest-ranked finding's assessment.",
    "o_rads": "Size = largest diameter of the lesion in any plane. Each lesion is categorised separately; the exam "
    "takes the highest category. Menopausal status decides O-RADS 1 and O-RADS 2 management.",
}

RISK = ("High risk: any smoking history or another known risk factor (family history of lung cancer, asbestos or "
        "radon exposure, emphysema, pulmonary fibrosis, upper-lobe location, spiculated margin); low risk: none.")


def _fleischner() -> list[tuple[str, str]]:
    return [(code, f"{desc}: low risk -> {low}; high risk -> {high}. {RISK if low != high else ''}".strip())
            for code, (desc, low, high) in fleischner.ROWS.items()]  # fmt: skip


def _lung_rads() -> list[tuple[str, str]]:
    return [
        ("lung_rads_1", "No lung nodules; or nodule(s) with specific calcifications (complete, central, popcorn, "
         "concentric rings) or fat-containing nodules."),
        ("lung_rads_2", "Perifissural/juxtapleural solid nodule(s) < 10 mm (smooth, triangular or lentiform). Solid: "
         "< 6 mm at baseline, or new < 4 mm. Part-solid: < 6 mm total at baseline. Ground-glass: < 30 mm (baseline, "
         "new or growing)."),
        ("lung_rads_3", "Solid: >= 6 to < 8 mm at baseline, or new 4 to < 6 mm. Part-solid: >= 6 mm total with solid "
         "component < 6 mm at baseline, or new < 6 mm total. Ground-glass: >= 30 mm at baseline or new."),
        ("lung_rads_4a", "Solid: >= 8 to < 15 mm at baseline, or growing < 8 mm, or new 6 to < 8 mm. Part-solid: >= 6 "
         "mm with solid component >= 6 to < 8 mm at baseline, or with a new or growing < 4 mm solid component."),
        ("lung_rads_4b", "Solid: >= 15 mm at baseline, or new or growing >= 8 mm. Part-solid: solid component >= 8 mm "
         "at baseline, or a new or growing >= 4 mm solid component."),
        ("lung_rads_4x", "Category 3 or 4 nodule with additional features or imaging findings that increase the "
         "suspicion of lung cancer (e.g. spiculation)."),
    ] + [(f"management {code}", text) for code, text in lung_rads.RECOMMENDATIONS.items()] + [
        (f"category {cat}", f"-> {rec}") for cat, rec in lung_rads.MANAGEMENT.items()]


def _ti_rads() -> list[tuple[str, str]]:
    tables = {"composition": ti_rads.COMPOSITION, "echogenicity": ti_rads.ECHOGENICITY, "shape": ti_rads.SHAPE,
              "margin": ti_rads.MARGIN, "echogenic_foci (add every type present)": ti_rads.ECHOGENIC_FOCI}
    rows = [(name, ", ".join(f"{term} {pts}" for term, pts in table.items())) for name, table in tables.items()]
    rows += [("levels", "0 points TR1; 2 points TR2; 3 points TR3; 4-6 points TR4; >= 7 points TR5 (1 point: no "
              "level in the chart).")]
    rows += [(cat, f"{ti_rads.LEVEL_NAMES[cat]}: FNA if >= {fna} mm; follow-up ({ti_rads.FOLLOW_UP[cat]}) if >= "
              f"{follow} mm; otherwise no_fna") for cat, (fna, follow) in ti_rads.THRESHOLDS_MM.items()]
    rows += [("tr1", "benign: no_fna"), ("tr2", "not suspicious: no_fna")]
    return rows


def _li_rads() -> list[tuple[str, str]]:
    return [
        ("lr_tiv", "Unequivocal enhancing soft tissue in vein."),
        ("lr_1", "Definitely benign (e.g. simple cyst, hemangioma)."),
        ("lr_m", "Targetoid: rim APHE, peripheral washout, delayed central enhancement or targetoid restriction."),
        ("table: no APHE, < 20 mm", "0 or 1 additional major feature -> lr_3; >= 2 -> lr_4."),
        ("table: no APHE, >= 20 mm", "0 features -> lr_3; >= 1 -> lr_4."),
        ("table: nonrim APHE, < 10 mm", "0 features -> lr_3; >= 1 -> lr_4."),
        ("table: nonrim APHE, 10-19 mm", "0 features -> lr_3; 1 feature: enhancing capsule only -> lr_4, "
         "nonperipheral washout or threshold growth -> lr_5; >= 2 -> lr_5."),
        ("table: nonrim APHE, >= 20 mm", "0 features -> lr_4; >= 1 -> lr_5."),
        ("additional major features", "enhancing capsule, nonperipheral washout, threshold growth (>= 50% in <= 6 "
         "months)."),
    ] + [(f"management {cat}", f"{rec}: {li_rads.RECOMMENDATIONS[rec]}") for cat, rec in li_rads.MANAGEMENT.items()]


def _bosniak() -> list[tuple[str, str]]:
    return [
        ("bosniak_iv", "One or more enhancing nodules (>= 4 mm convex protrusion with obtuse margins, or a convex "
         "protrusion of any size with acute margins)."),
        ("bosniak_iii", "One or more enhancing thick (>= 4 mm) or enhancing irregular (<= 3 mm obtuse convex "
         "protrusion) walls or septa."),
        ("bosniak_iif", "Smooth minimally thickened (3 mm) enhancing wall, or smooth minimal thickening (3 mm) of one "
         "or more enhancing septa, or many (>= 4) smooth thin (<= 2 mm) enhancing septa."),
        ("bosniak_ii", "Thin (<= 2 mm) wall with few (1-3) thin septa (may enhance), any calcification; homogeneous "
         "hyperattenuating (>= 70 HU) at noncontrast CT; homogeneous nonenhancing > 20 HU at renal mass protocol CT."),
        ("bosniak_i", "Well-defined thin (<= 2 mm) smooth wall; homogeneous simple fluid (-9 to 20 HU); no septa or "
         "calcifications; the wall may enhance."),
    ] + [(f"management {cat}", f"{rec}: {bosniak.RECOMMENDATIONS[rec]}") for cat, rec in bosniak.MANAGEMENT.items()]


def _bi_rads() -> list[tuple[str, str]]:
    return [
        ("bi_rads_6", "Known biopsy-proven malignancy at the site."),
        ("screening", "Screening mammogram: a fat-containing mass (lipoma, oil cyst, hamartoma) -> bi_rads_2; any "
         "other mass -> bi_rads_0 (recall); no finding -> bi_rads_1. Screening exams are assessed 0, 1 or 2 only."),
        ("bi_rads_2 (ultrasound)", "Simple cyst: anechoic, circumscribed margin, oval or round, posterior "
         "enhancement."),
        ("bi_rads_3 (ultrasound)", "Solid mass that is oval, circumscribed, parallel, hypoechoic or isoechoic, with no "
         "posterior shadowing (none or enhancement)."),
        ("bi_rads_5 (ultrasound)", "Irregular shape with a spiculated margin."),
        ("bi_rads_4 (ultrasound)", "Every other mass (suspicious; 4A/4B/4C by the radiologist's judgement of "
         "likelihood)."),
        ("exam", "Rank for the exam's assessment: 1 < 2 < 3 < 0 < 4 < 5 < 6; no finding -> bi_rads_1."),
    ] + [(f"{cat} likelihood", f"{bi_rads.NAMES[cat]}; likelihood of malignancy {bi_rads.LIKELIHOOD[cat]}; "
          f"management {bi_rads.MANAGEMENT[cat]}") for cat in sorted(bi_rads.CATEGORIES)]


def _o_rads() -> list[tuple[str, str]]:
    return [
        ("o_rads_0", "Lesion features cannot be characterised (incomplete evaluation)."),
        ("o_rads_5 (ascites)", "Ascites and/or peritoneal nodules."),
        ("o_rads_1", "Premenopausal: follicle or corpus luteum <= 30 mm, or a simple cyst <= 30 mm."),
        ("o_rads_2", "Unilocular or bilocular cyst with a smooth inner wall, no solid component, < 100 mm (not O-RADS "
         "1)."),
        ("o_rads_3", "Smooth unilocular or bilocular cyst >= 100 mm; classic benign lesion (hemorrhagic cyst, "
         "dermoid, endometrioma, paraovarian cyst) >= 100 mm; unilocular cyst with an irregular inner wall (< 3 mm); "
         "smooth multilocular cyst < 100 mm with colour score 1-3; smooth solid lesion with colour score 1."),
        ("o_rads_4", "Smooth multilocular cyst >= 100 mm or colour score 4; multilocular cyst with an irregular inner "
         "wall or septation; unilocular or bilocular cyst with a solid component (papillary_1_3 or nonpapillary); "
         "multilocular cyst with a solid component and colour score 1-2; smooth solid lesion with colour score 2-3."),
        ("o_rads_5", "Unilocular or bilocular cyst with >= 4 papillary projections (papillary_ge4); multilocular cyst "
         "with a solid component and colour score 3-4; solid lesion with an irregular outer contour; smooth solid "
         "lesion with colour score 4; ascites and/or peritoneal nodules."),
        ("o_rads_2 management", "Simple cyst: premenopausal <= 50 mm no_further_management, > 50 mm us_followup; "
         "postmenopausal <= 30 mm no_further_management, > 30 mm us_followup. Non-simple smooth cyst: premenopausal "
         "<= 30 mm no_further_management, > 30 mm us_followup; postmenopausal us_specialist_or_mri."),
    ] + [(f"{cat} management", f"risk {o_rads.RISK[cat]}; {rec}: {o_rads.RECOMMENDATIONS[rec]}")
         for cat, rec in o_rads.MANAGEMENT.items()]


ROWS = {"fleischner": _fleischner, "lung_rads": _lung_rads, "ti_rads": _ti_rads, "li_rads": _li_rads,
        "bosniak": _bosniak, "bi_rads": _bi_rads, "o_rads": _o_rads}  # fmt: skip


def criteria_rows(system: str) -> list[tuple[str, str]]:
    """The table rows of ``system`` (``KeyError`` if it is not one)."""
    return ROWS[system]()


COMMUNICATION_ROWS = [
    ("immediate", "Emergent findings needing immediate or urgent intervention: "
     + ", ".join(communication.EMERGENT) + ". Call the referring clinician now."),
    ("expedited", "Categories highly suspicious for malignancy: " + ", ".join(communication.SUSPICIOUS_CATEGORIES)
     + ", and tr5 meeting the FNA size threshold. Communicate directly within days."),
    ("routine", "Everything else: the signed report."),
]
