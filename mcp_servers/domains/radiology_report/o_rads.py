"""O-RADS US v2022 risk stratification and management of adnexal lesions (Strachowski LM, Jha P, Phillips CH et al.
O-RADS US v2022: An Update from the American College of Radiology's Ovarian-Adnexal Reporting and Data System US
Committee. Radiology 2023;308:e230685; ACR O-RADS US v2022 assessment categories table).

Categories (risk of malignancy): 0 incomplete evaluation (technical factors) -> repeat US or MRI; 1 normal
premenopausal ovary (follicle or corpus luteum <= 3 cm, a simple cyst <= 3 cm) -> no further management; 2 almost
certainly benign (< 1%): unilocular or bilocular smooth cysts < 10 cm; 3 low risk (1 to < 10%): smooth unilocular or
bilocular cysts and classic benign lesions >= 10 cm, a unilocular cyst with an irregular inner wall (< 3 mm), a
smooth multilocular cyst < 10 cm with colour score 1-3, a smooth solid lesion with colour score 1 -> US specialist
or MRI, management by a gynaecologist; 4 intermediate risk (10 to < 50%): a smooth multilocular cyst >= 10 cm or with
colour score 4, a multilocular cyst with an irregular inner wall or septation, a unilocular or bilocular cyst with a
solid component (1-3 papillary projections or a non-papillary solid component), a multilocular cyst with a solid
component and colour score 1-2, a smooth solid lesion with colour score 2-3 -> US specialist or MRI, gynaecologist
with gynaecologic oncology consultation; 5 high risk (>= 50%): a unilocular or bilocular cyst with >= 4 papillary
projections, a multilocular cyst with a solid component and colour score 3-4, a solid lesion with an irregular
outer contour or a smooth one with colour score 4, ascites and/or peritoneal nodules -> gynaecologic oncologist.

O-RADS 2 management (v2022, by menopausal status and size): simple cyst - premenopausal <= 5 cm none, > 5 cm
follow-up US; postmenopausal <= 3 cm none, > 3 cm follow-up US. Non-simple smooth cyst - premenopausal <= 3 cm
none, > 3 cm follow-up US; postmenopausal: US specialist or MRI. The classic benign lesions under 10 cm have their own
per-lesion management and are outside this gym's generated scope (the rule refuses them, as it does a bilocular
cyst with an irregular wall).
"""

from __future__ import annotations

from healthgym.mcp_servers.domains.radiology_report.classification import Classification
from healthgym.mcp_servers.domains.radiology_report.models import AdnexalLesion

SOURCE = "Strachowski LM et al. O-RADS US v2022. Radiology 2023;308:e230685 (ACR O-RADS US v2022 risk stratification " \
    "and management)"
CATEGORIES = ("o_rads_0", "o_rads_1", "o_rads_2", "o_rads_3", "o_rads_4", "o_rads_5")
RISK = {"o_rads_0": "N/A (incomplete)", "o_rads_1": "normal ovary", "o_rads_2": "< 1%", "o_rads_3": "1% to < 10%",
        "o_rads_4": "10% to < 50%", "o_rads_5": ">= 50%"}  # fmt: skip
RECOMMENDATIONS: dict[str, str] = {
    "repeat_us_or_mri": "Repeat US study or MRI.",
    "no_further_management": "No further management.",
    "us_followup": "Follow-up ultrasound (O-RADS 2 interval by menopausal status).",
    "us_specialist_or_mri": "US specialist or MRI for further characterisation.",
    "gynecologist_after_us_specialist_or_mri": "US specialist or MRI; management by a gynaecologist.",
    "gyn_onc_consultation": "US specialist or MRI; management by a gynaecologist with gynaecologic oncology "
    "consultation, or by a gynaecologic oncologist alone.",
    "gyn_oncologist": "Management by a gynaecologic oncologist.",
}
MANAGEMENT = {"o_rads_0": "repeat_us_or_mri", "o_rads_1": "no_further_management",
              "o_rads_3": "gynecologist_after_us_specialist_or_mri", "o_rads_4": "gyn_onc_consultation",
              "o_rads_5": "gyn_oncologist"}  # fmt: skip
"""Management of every category but 2, which depends on the lesion (``o_rads_2_management``)."""
LARGE_MM = 100
PHYSIOLOGIC_MM = 30


def o_rads_2_management(simple: bool, diameter_mm: int, menopausal: str) -> str:
    """The v2022 O-RADS 2 management of a smooth unilocular or bilocular cyst under 10 cm."""
    if menopausal == "premenopausal":
        return "no_further_management" if diameter_mm <= (50 if simple else 30) else "us_followup"
    if simple:
        return "no_further_management" if diameter_mm <= 30 else "us_followup"
    return "us_specialist_or_mri"


def _category(lesion: AdnexalLesion, menopausal: str) -> tuple[str, str]:
    kind, size, cs = lesion.lesion_type, lesion.max_diameter_mm, lesion.color_score
    smooth_fluid = lesion.inner_wall == "smooth" and lesion.solid_component == "none"
    if lesion.simple and (kind != "unilocular_cyst" or not smooth_fluid):
        raise ValueError("a simple cyst is unilocular with a smooth inner wall and no solid component")
    if lesion.incomplete_evaluation:
        return "o_rads_0", "features cannot be characterised for technical reasons"
    if lesion.ascites_or_peritoneal_nodules:
        return "o_rads_5", "ascites and/or peritoneal nodules"
    if menopausal not in ("premenopausal", "postmenopausal"):
        raise ValueError(f"menopausal status {menopausal!r} is needed: premenopausal or postmenopausal")
    if kind in ("follicle", "corpus_luteum"):
        if menopausal != "premenopausal" or size > PHYSIOLOGIC_MM:
            raise ValueError(f"a {kind} is a premenopausal ovary's physiologic finding <= 3 cm")
        return "o_rads_1", f"{kind} <= 3 cm in a premenopausal ovary"
    if kind == "classic_benign":
        if size < LARGE_MM:
            raise ValueError("classic benign lesions < 10 cm have per-lesion management outside this gym's scope")
        return "o_rads_3", f"classic benign lesion ({lesion.classic_benign}) >= 10 cm"
    if kind == "solid":
        if lesion.outer_contour == "irregular":
            return "o_rads_5", "solid lesion with an irregular outer contour"
        return {1: ("o_rads_3", "smooth solid lesion, colour score 1"), 4: ("o_rads_5", "smooth solid lesion, colour "
                "score 4")}.get(cs, ("o_rads_4", f"smooth solid lesion, colour score {cs}"))
    solid = lesion.solid_component
    if kind == "multilocular_cyst":
        if solid != "none":
            return ("o_rads_5", f"multilocular cyst with a solid component, colour score {cs}") if cs >= 3 else (
                "o_rads_4", f"multilocular cyst with a solid component, colour score {cs}")
        if lesion.inner_wall == "irregular":
            return "o_rads_4", "multilocular cyst with an irregular inner wall or septation"
        if cs == 4 or size >= LARGE_MM:
            return "o_rads_4", f"smooth multilocular cyst, {size} mm, colour score {cs}"
        return "o_rads_3", f"smooth multilocular cyst < 10 cm, colour score {cs}"
    # unilocular or bilocular cyst
    if solid == "papillary_ge4":
        return "o_rads_5", "unilocular/bilocular cyst with >= 4 papillary projections"
    if solid != "none":
        return "o_rads_4", f"unilocular/bilocular cyst with a solid component ({solid})"
    if lesion.inner_wall == "irregular":
        if kind == "bilocular_cyst":
            raise ValueError("a bilocular cyst with an irregular inner wall is outside this gym's generated scope")
        return "o_rads_3", "unilocular cyst with an irregular inner wall (< 3 mm)"
    if lesion.simple and menopausal == "premenopausal" and size <= PHYSIOLOGIC_MM:
        return "o_rads_1", "simple cyst <= 3 cm in a premenopausal ovary (follicle)"
    if size >= LARGE_MM:
        return "o_rads_3", f"smooth {kind.replace('_', ' ')} >= 10 cm"
    return "o_rads_2", f"{'simple' if lesion.simple else 'non-simple smooth'} {kind.replace('_', ' ')} < 10 cm"


def classify(lesion: AdnexalLesion, menopausal: str) -> Classification:
    """The O-RADS US v2022 category and management of one adnexal lesion."""
    category, why = _category(lesion, menopausal)
    if category == "o_rads_2":
        rec = o_rads_2_management(lesion.simple, lesion.max_diameter_mm, menopausal)
    else:
        rec = MANAGEMENT[category]
    return Classification("o_rads", lesion.finding_id, category, rec, (
        f"{lesion.finding_id}: {why} ({lesion.max_diameter_mm} mm, {menopausal or 'menopausal status unknown'}) -> "
        f"O-RADS {category[-1]} (risk {RISK[category]})", f"{RECOMMENDATIONS[rec]} ({SOURCE})"))  # fmt: skip
