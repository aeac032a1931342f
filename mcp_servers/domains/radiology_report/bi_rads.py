"""ACR BI-RADS Atlas, 5th edition: assessment categories 0-6, their management and likelihood of malignancy, applied
to breast masses described with the Atlas lexicon (D'Orsi CJ, Sickles EA, Mendelson EB, Morris EA et al. ACR BI-RADS
Atlas, Breast Imaging Reporting and Data System. Reston, VA: American College of Radiology; 2013).

Assessment table (Atlas 5th ed.): 0 incomplete, needs additional imaging (recall), likelihood N/A; 1 negative and 2
benign, routine screening, essentially 0%; 3 probably benign, short-interval (6-month) follow-up, > 0% but <= 2%; 4
suspicious, tissue diagnosis, > 2% but < 95% (4A > 2-10%, 4B > 10-50%, 4C > 50-< 95%); 5 highly suggestive of
malignancy, tissue diagnosis, >= 95%; 6 known biopsy-proven malignancy, surgical excision when clinically
appropriate, N/A.

The features read here are the Atlas's own examples of each category, made explicit as a rule:
- a mass in a known biopsy-proven malignancy -> 6;
- a screening mammogram is assessed 0, 1 or 2 only: a fat-containing mass (lipoma, oil cyst, hamartoma) is benign
  (2), any other mass is recalled for diagnostic work-up (0), no finding is negative (1);
- diagnostic ultrasound: a simple cyst (anechoic, circumscribed, oval or round, posterior enhancement) is benign (2);
  a solid mass that is oval, circumscribed and parallel, hypo- or isoechoic without posterior shadowing is probably
  benign (3); an irregular mass with a spiculated margin is highly suggestive of malignancy (5); every other mass is
  suspicious (4). The 4A/4B/4C subdivision is the radiologist's judgement of likelihood, not a lexicon rule, so the
  gym grades category 4 whole.
"""

from __future__ import annotations

from collections.abc import Sequence

from healthgym.mcp_servers.domains.radiology_report.classification import Classification
from healthgym.mcp_servers.domains.radiology_report.models import BreastMass

SOURCE = "ACR BI-RADS Atlas, 5th edition (D'Orsi CJ et al., American College of Radiology, 2013), assessment categories"
CATEGORIES = ("bi_rads_1", "bi_rads_2", "bi_rads_3", "bi_rads_0", "bi_rads_4", "bi_rads_5", "bi_rads_6")
"""In order of how the exam is assessed when findings differ: an incomplete screening exam (0) outranks benign
findings; suspicious findings outrank it (never combined here)."""
RECOMMENDATIONS: dict[str, str] = {
    "recall_additional_imaging": "Recall for additional imaging and/or comparison with prior examinations.",
    "routine_screening": "Routine mammography screening.",
    "short_interval_followup_6mo": "Short-interval (6-month) follow-up or continued surveillance mammography.",
    "tissue_diagnosis": "Tissue diagnosis (biopsy).",
    "surgical_excision_when_appropriate": "Surgical excision when clinically appropriate.",
}
MANAGEMENT = {"bi_rads_0": "recall_additional_imaging", "bi_rads_1": "routine_screening",
              "bi_rads_2": "routine_screening", "bi_rads_3": "short_interval_followup_6mo",
              "bi_rads_4": "tissue_diagnosis", "bi_rads_5": "tissue_diagnosis",
              "bi_rads_6": "surgical_excision_when_appropriate"}  # fmt: skip
LIKELIHOOD = {"bi_rads_0": "N/A", "bi_rads_1": "essentially 0%", "bi_rads_2": "essentially 0%",
              "bi_rads_3": "> 0% but <= 2%", "bi_rads_4": "> 2% but < 95%", "bi_rads_5": ">= 95%",
              "bi_rads_6": "N/A"}  # fmt: skip
NAMES = {"bi_rads_0": "incomplete", "bi_rads_1": "negative", "bi_rads_2": "benign", "bi_rads_3": "probably benign",
         "bi_rads_4": "suspicious", "bi_rads_5": "highly suggestive of malignancy",
         "bi_rads_6": "known biopsy-proven malignancy"}  # fmt: skip


def _category(mass: BreastMass, screening: bool) -> tuple[str, str]:
    if mass.biopsy_proven_malignancy:
        return "bi_rads_6", "known biopsy-proven malignancy"
    if screening:
        if mass.density == "fat_containing":
            return "bi_rads_2", "fat-containing mass at screening (lipoma, oil cyst or hamartoma)"
        return "bi_rads_0", "mass at screening that needs diagnostic work-up"
    if mass.density:
        raise ValueError("a diagnostic breast study here is an ultrasound: density is a mammographic term")
    if (mass.echo_pattern == "anechoic" and mass.margin == "circumscribed" and mass.shape in ("oval", "round")
            and mass.posterior_features == "enhancement"):
        return "bi_rads_2", "simple cyst (anechoic, circumscribed, oval/round, posterior enhancement)"
    solid_echo = mass.echo_pattern in ("hypoechoic", "isoechoic")
    if (mass.shape == "oval" and mass.margin == "circumscribed" and mass.orientation == "parallel" and solid_echo
            and mass.posterior_features in ("none", "enhancement")):
        return "bi_rads_3", "oval, circumscribed, parallel solid mass without shadowing (probably benign)"
    if mass.shape == "irregular" and mass.margin == "spiculated":
        return "bi_rads_5", "irregular mass with a spiculated margin"
    return "bi_rads_4", "solid mass without the probably benign features"


def classify_mass(mass: BreastMass, screening: bool) -> Classification:
    """The BI-RADS category of one mass on a screening mammogram or a diagnostic ultrasound."""
    category, why = _category(mass, screening)
    rec = MANAGEMENT[category]
    return Classification("bi_rads", mass.finding_id, category, rec, (
        f"{mass.finding_id}: {why} -> BI-RADS {category[-1]} ({NAMES[category]}; likelihood of malignancy "
        f"{LIKELIHOOD[category]})", f"{RECOMMENDATIONS[rec]} ({SOURCE})"))  # fmt: skip


def classify_exam(findings: Sequence[Classification], screening: bool) -> Classification:
    """The exam's assessment: the highest-ranked finding's, or negative (1) without findings."""
    if not findings:
        return Classification("bi_rads", "", "bi_rads_1", "routine_screening", (
            f"no finding on the {'screening mammogram' if screening else 'diagnostic ultrasound'} -> BI-RADS 1 "
            "(negative; likelihood essentially 0%)", f"{RECOMMENDATIONS['routine_screening']} ({SOURCE})"))
    return max(findings, key=lambda c: CATEGORIES.index(c.category))
