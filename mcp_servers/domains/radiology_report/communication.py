"""When a finding must be communicated directly to the referring clinician (ACR Practice Parameter for Communication
of Diagnostic Imaging Findings, revised 2020 (Resolution 37)).

The parameter names the findings that need nonroutine, direct communication: (1) findings that suggest a need for
immediate or urgent intervention, and (3) findings that the interpreting physician reasonably believes may be
seriously adverse to the patient's health and are unexpected by the treating physician. This gym makes both lists
explicit: ``immediate`` for the emergent findings in ``EMERGENT`` (call the clinician now), ``expedited`` for a
category that is highly suspicious for malignancy (direct communication within days), ``routine`` otherwise (the
signed report).
"""

from __future__ import annotations

from collections.abc import Sequence

from healthgym.mcp_servers.domains.radiology_report.classification import Classification
from healthgym.mcp_servers.domains.radiology_report.models import OtherFinding

SOURCE = "ACR Practice Parameter for Communication of Diagnostic Imaging Findings (revised 2020, Resolution 37)"
URGENCIES = ("routine", "expedited", "immediate")
EMERGENT: dict[str, str] = {
    "pulmonary_embolism": "Pulmonary embolism",
    "pneumothorax": "Pneumothorax",
    "aortic_dissection": "Aortic dissection",
    "free_intraperitoneal_air": "Free intraperitoneal air",
    "portal_venous_gas": "Portal venous gas",
}
"""Findings that need immediate or urgent intervention (the parameter's first group)."""
NON_EMERGENT: dict[str, str] = {
    "coronary_artery_calcification": "Coronary artery calcification",
    "hiatal_hernia": "Small hiatal hernia",
    "simple_renal_cyst_contralateral": "Simple cortical cyst of the other kidney",
    "hepatic_steatosis": "Hepatic steatosis",
    "cholelithiasis": "Cholelithiasis without inflammation",
    "thyroid_colloid_nodule": "Small colloid cyst",
}
"""Incidental findings reported routinely."""
SUSPICIOUS_CATEGORIES: dict[str, str] = {
    "fleischner_solid_single_gt8": "solid nodule > 8 mm (PET/CT or tissue sampling considered)",
    "lung_rads_4b": "Lung-RADS 4B (very suspicious)",
    "lung_rads_4x": "Lung-RADS 4X (very suspicious)",
    "lr_5": "LR-5 (definitely HCC)",
    "lr_m": "LR-M (probably or definitely malignant, not HCC specific)",
    "lr_tiv": "LR-TIV (tumour in vein)",
    "bosniak_iv": "Bosniak IV (most are malignant)",
    "bi_rads_5": "BI-RADS 5 (highly suggestive of malignancy, >= 95%)",
    "o_rads_5": "O-RADS 5 (high risk, >= 50%)",
}
"""Categories highly suspicious for malignancy (the parameter's third group), communicated within days; TI-RADS
TR5 counts when the nodule meets the FNA size threshold (see ``required``)."""


def required(classifications: Sequence[Classification], others: Sequence[OtherFinding]) -> tuple[str, list[str]]:
    """The urgency of the direct communication the study needs, and why."""
    emergent = [f"{o.finding_id}: {EMERGENT[o.label]} -> immediate" for o in others if o.label in EMERGENT]
    if emergent:
        return "immediate", emergent
    suspicious = [f"{c.finding_id}: {SUSPICIOUS_CATEGORIES[c.category]} -> expedited" for c in classifications
                  if c.category in SUSPICIOUS_CATEGORIES]  # fmt: skip
    suspicious += [f"{c.finding_id}: TR5 at FNA size -> expedited" for c in classifications
                   if c.category == "tr5" and c.recommendation == "fna"]  # fmt: skip
    if suspicious:
        return "expedited", suspicious
    return "routine", ["no emergent finding and no category highly suspicious for malignancy"]


def at_least(given: str, needed: str) -> bool:
    """Whether a communication of urgency ``given`` satisfies one of urgency ``needed``."""
    return URGENCIES.index(given) >= URGENCIES.index(needed)
