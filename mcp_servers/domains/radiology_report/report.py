"""The structured report's required elements and the checks that they are present and consistent with the study.

ACR Practice Parameter for Communication of Diagnostic Imaging Findings (2020): a report states the indication, the
examination and technique, the comparison studies, the findings, and an impression; each system's lexicon asks for
its category in the impression and its management recommendation (Fleischner 2017, Lung-RADS v2022, ACR TI-RADS,
LI-RADS v2018, Bosniak 2019, BI-RADS 5th edition, O-RADS US v2022). The submit tool runs these checks on the
submitted sections, so the grade reads what the report says, not what the agent claims about it.
"""

from __future__ import annotations

import re

from healthgym.mcp_servers.domains.radiology_report.assessment import Assessment
from healthgym.mcp_servers.domains.radiology_report.models import Study

ELEMENTS = ("indication", "technique", "comparison", "findings", "impression")
SOURCE = "ACR Practice Parameter for Communication of Diagnostic Imaging Findings (revised 2020)"
MODALITY_WORDS = {
    "CT": r"\bCT\b|computed tomograph",
    "MRI": r"\bMRI?\b|magnetic resonance",
    "US": r"\bUS\b|ultraso|sonograph",
    "MG": r"\bMG\b|mammogra",
}
NO_PRIOR = r"\bnone\b|no prior|not available|no comparison"
RULES: dict[str, str] = {
    "indication": "the indication section is not empty",
    "technique": "the technique section names the modality (CT, MRI or ultrasound)",
    "comparison": "the comparison section gives the prior exam's date (YYYY-MM-DD), or says 'none' when there is no "
    "prior exam",
    "findings": "the findings section states the size in mm of every classified finding (the size the system "
    "measures: Fleischner mean diameter in whole mm, Lung-RADS mean diameter to 0.1 mm, TI-RADS maximum diameter, "
    "LI-RADS diameter, Bosniak size, BI-RADS mass size, O-RADS maximum diameter) and names every other finding by its "
    "label",
    "impression": "the impression states the submitted category code (e.g. lung_rads_4a, tr4, lr_5, bosniak_iif)",
}


def _norm(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text).strip().lower()


def finding_sizes(study: Study) -> dict[str, float]:
    """The size each classified finding is reported by, in mm."""
    from healthgym.mcp_servers.domains.radiology_report import fleischner, lung_rads

    if study.system == "fleischner":
        return {n.finding_id: float(fleischner.size_mm(n)) for n in study.lung_nodules}
    if study.system == "lung_rads":
        return {n.finding_id: lung_rads.size(n) for n in study.lung_nodules}
    if study.system == "ti_rads":
        return {n.finding_id: float(n.max_diameter_mm) for n in study.thyroid_nodules}
    if study.system == "li_rads":
        return {o.finding_id: float(o.diameter_mm) for o in study.liver_observations}
    if study.system == "bi_rads":
        return {m.finding_id: float(m.size_mm) for m in study.breast_masses}
    if study.system == "o_rads":
        return {a.finding_id: float(a.max_diameter_mm) for a in study.adnexal_lesions}
    return {m.finding_id: float(m.size_mm) for m in study.renal_masses}


def check(study: Study, sections: dict[str, str], category: str) -> dict[str, str]:
    """Element -> '' when present and consistent, else what is wrong."""
    out: dict[str, str] = {}
    out["indication"] = "" if len(sections.get("indication", "").strip()) >= 3 else RULES["indication"]
    technique = sections.get("technique", "")
    out["technique"] = "" if re.search(MODALITY_WORDS[study.modality], technique, re.I) else RULES["technique"]
    comparison = sections.get("comparison", "")
    if study.comparison.prior_date:
        out["comparison"] = "" if study.comparison.prior_date in comparison else RULES["comparison"]
    else:
        out["comparison"] = "" if re.search(NO_PRIOR, comparison, re.I) else RULES["comparison"]
    findings = sections.get("findings", "")
    numbers = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", findings)]
    missing = [fid for fid, mm in finding_sizes(study).items() if not any(abs(n - mm) < 0.05 for n in numbers)]
    missing += [o.finding_id for o in study.other_findings if _norm(o.label) not in _norm(findings)]
    out["findings"] = f"{RULES['findings']}; missing {', '.join(missing)}" if missing else ""
    impression = sections.get("impression", "")
    out["impression"] = "" if category and _norm(category) in _norm(impression) else RULES["impression"]
    return out


def present_elements(study: Study, sections: dict[str, str], category: str) -> list[str]:
    """The elements that pass their check, in report order."""
    return [name for name, problem in check(study, sections, category).items() if not problem]


def draft(study: Study, a: Assessment) -> dict[str, str]:
    """A report that passes every check: the sections a careful radiologist writes from the assessment."""
    sizes = finding_sizes(study)
    lines = [f"{fid}: {mm:g} mm" for fid, mm in sizes.items()]
    lines += [f"{o.finding_id}: {o.label} - {o.description}" for o in study.other_findings]
    comparison = (f"Prior exam {study.comparison.prior_date} ({study.comparison.interval_months} months)"
                  if study.comparison.prior_date else "None")
    return {
        "indication": study.indication,
        "technique": f"{study.modality}: {study.technique}",
        "comparison": comparison,
        "findings": "; ".join(lines) or "No finding.",
        "impression": f"{a.exam.category}: " + "; ".join(a.exam.reasons[-2:]),
    }
