"""BI-RADS 5th edition and O-RADS US v2022 at each category boundary of their published tables, with the management
and likelihood each category carries, and the tasks and tools that use them."""

from __future__ import annotations

from typing import Any

import pytest

from healthgym.mcp_servers.domain import tasks
from healthgym.mcp_servers.domains.radiology_report import SPEC, bi_rads, communication, o_rads
from healthgym.mcp_servers.domains.radiology_report.models import AdnexalLesion, BreastMass
from healthgym.mcp_servers.inprocess import InProcessSession

# An oval, circumscribed, parallel, hypoechoic solid mass without shadowing: the Atlas's probably benign mass.
PROBABLY_BENIGN = {"shape": "oval", "margin": "circumscribed", "orientation": "parallel", "echo_pattern": "hypoechoic",
                   "posterior_features": "none"}  # fmt: skip


def us_mass(**kw: Any) -> BreastMass:
    return BreastMass(finding_id="F1", side="left", clock_position=2, size_mm=12, **PROBABLY_BENIGN | kw)


def mg_mass(**kw: Any) -> BreastMass:
    base = {"finding_id": "F1", "side": "right", "clock_position": 10, "size_mm": 9, "shape": "oval",
            "margin": "circumscribed", "density": "equal"}  # fmt: skip
    return BreastMass(**base | kw)


@pytest.mark.parametrize(("mass", "screening", "category"), [
    (mg_mass(), True, "bi_rads_0"),                                     # a mass at screening: recall
    (mg_mass(density="fat_containing"), True, "bi_rads_2"),             # fat-containing: benign at screening
    (us_mass(echo_pattern="anechoic", posterior_features="enhancement"), False, "bi_rads_2"),  # simple cyst
    (us_mass(echo_pattern="anechoic", posterior_features="none"), False, "bi_rads_4"),  # not a simple cyst
    (us_mass(), False, "bi_rads_3"),
    (us_mass(orientation="not_parallel"), False, "bi_rads_4"),          # one probably benign feature missing
    (us_mass(margin="microlobulated"), False, "bi_rads_4"),
    (us_mass(posterior_features="shadowing"), False, "bi_rads_4"),
    (us_mass(shape="irregular", margin="angular"), False, "bi_rads_4"),
    (us_mass(shape="irregular", margin="spiculated"), False, "bi_rads_5"),
    (us_mass(shape="oval", margin="spiculated"), False, "bi_rads_4"),   # spiculated but not irregular
    (us_mass(shape="irregular", margin="spiculated", biopsy_proven_malignancy=True), False, "bi_rads_6"),
])  # fmt: skip
def test_bi_rads_categories(mass: BreastMass, screening: bool, category: str) -> None:
    assert bi_rads.classify_mass(mass, screening).category == category


@pytest.mark.parametrize(("category", "management", "likelihood"), [
    ("bi_rads_0", "recall_additional_imaging", "N/A"), ("bi_rads_1", "routine_screening", "essentially 0%"),
    ("bi_rads_2", "routine_screening", "essentially 0%"),
    ("bi_rads_3", "short_interval_followup_6mo", "> 0% but <= 2%"),
    ("bi_rads_4", "tissue_diagnosis", "> 2% but < 95%"), ("bi_rads_5", "tissue_diagnosis", ">= 95%"),
    ("bi_rads_6", "surgical_excision_when_appropriate", "N/A"),
])  # fmt: skip
def test_bi_rads_assessment_table(category: str, management: str, likelihood: str) -> None:
    """The Atlas's assessment table (5th ed.): management and likelihood of malignancy of each category."""
    assert (bi_rads.MANAGEMENT[category], bi_rads.LIKELIHOOD[category]) == (management, likelihood)


def test_a_screening_exam_is_0_1_or_2_and_takes_its_most_urgent_finding() -> None:
    fat, solid = mg_mass(density="fat_containing"), mg_mass(finding_id="F2")
    assert bi_rads.classify_exam([], True).category == "bi_rads_1"
    both = [bi_rads.classify_mass(m, True) for m in (fat, solid)]
    assert bi_rads.classify_exam(both, True).category == "bi_rads_0"
    with pytest.raises(ValueError, match="density"):
        bi_rads.classify_mass(mg_mass(), False)


def lesion(kind: str = "unilocular_cyst", size: int = 40, **kw: Any) -> AdnexalLesion:
    return AdnexalLesion(finding_id="F1", side="right", max_diameter_mm=size, lesion_type=kind, **kw)


PRE, POST = "premenopausal", "postmenopausal"


@pytest.mark.parametrize(("adnexal", "status", "category", "management"), [
    (lesion(incomplete_evaluation=True), PRE, "o_rads_0", "repeat_us_or_mri"),
    (lesion("follicle", 30), PRE, "o_rads_1", "no_further_management"),
    (lesion(size=30, simple=True), PRE, "o_rads_1", "no_further_management"),      # simple cyst <= 3 cm: follicle
    (lesion(size=31, simple=True), PRE, "o_rads_2", "no_further_management"),
    (lesion(size=50, simple=True), PRE, "o_rads_2", "no_further_management"),      # premenopausal simple <= 5 cm
    (lesion(size=51, simple=True), PRE, "o_rads_2", "us_followup"),
    (lesion(size=30, simple=True), POST, "o_rads_2", "no_further_management"),     # postmenopausal simple <= 3 cm
    (lesion(size=31, simple=True), POST, "o_rads_2", "us_followup"),
    (lesion(size=30), PRE, "o_rads_2", "no_further_management"),                   # non-simple smooth <= 3 cm
    (lesion(size=31), PRE, "o_rads_2", "us_followup"),
    (lesion(size=20), POST, "o_rads_2", "us_specialist_or_mri"),
    (lesion("bilocular_cyst", 99), POST, "o_rads_2", "us_specialist_or_mri"),
    (lesion("bilocular_cyst", 100), POST, "o_rads_3", "gynecologist_after_us_specialist_or_mri"),  # >= 10 cm
    (lesion(size=100, simple=True), PRE, "o_rads_3", "gynecologist_after_us_specialist_or_mri"),
    (lesion("classic_benign", 100, classic_benign="dermoid_cyst"), PRE, "o_rads_3",
     "gynecologist_after_us_specialist_or_mri"),
    (lesion(inner_wall="irregular"), POST, "o_rads_3", "gynecologist_after_us_specialist_or_mri"),
    (lesion("multilocular_cyst", 99, color_score=3), PRE, "o_rads_3", "gynecologist_after_us_specialist_or_mri"),
    (lesion("multilocular_cyst", 100, color_score=3), PRE, "o_rads_4", "gyn_onc_consultation"),
    (lesion("multilocular_cyst", 60, color_score=4), PRE, "o_rads_4", "gyn_onc_consultation"),
    (lesion("multilocular_cyst", 60, inner_wall="irregular"), PRE, "o_rads_4", "gyn_onc_consultation"),
    (lesion(solid_component="papillary_1_3"), PRE, "o_rads_4", "gyn_onc_consultation"),
    (lesion(solid_component="nonpapillary", color_score=4), POST, "o_rads_4", "gyn_onc_consultation"),
    (lesion(solid_component="papillary_ge4"), POST, "o_rads_5", "gyn_oncologist"),
    (lesion("multilocular_cyst", solid_component="nonpapillary", color_score=2), PRE, "o_rads_4",
     "gyn_onc_consultation"),
    (lesion("multilocular_cyst", solid_component="nonpapillary", color_score=3), PRE, "o_rads_5", "gyn_oncologist"),
    (lesion("solid", color_score=1), POST, "o_rads_3", "gynecologist_after_us_specialist_or_mri"),
    (lesion("solid", color_score=2), POST, "o_rads_4", "gyn_onc_consultation"),
    (lesion("solid", color_score=3), POST, "o_rads_4", "gyn_onc_consultation"),
    (lesion("solid", color_score=4), POST, "o_rads_5", "gyn_oncologist"),
    (lesion("solid", outer_contour="irregular"), POST, "o_rads_5", "gyn_oncologist"),
    (lesion(size=20, ascites_or_peritoneal_nodules=True), PRE, "o_rads_5", "gyn_oncologist"),
])  # fmt: skip
def test_o_rads_categories_and_management(adnexal: AdnexalLesion, status: str, category: str, management: str) -> None:
    got = o_rads.classify(adnexal, status)
    assert (got.category, got.recommendation) == (category, management)


def test_o_rads_refuses_what_it_does_not_cover() -> None:
    with pytest.raises(ValueError, match="follicle"):
        o_rads.classify(lesion("follicle", 20), POST)
    with pytest.raises(ValueError, match="classic benign"):
        o_rads.classify(lesion("classic_benign", 60, classic_benign="endometrioma"), PRE)
    with pytest.raises(ValueError, match="simple"):
        o_rads.classify(lesion("multilocular_cyst", simple=True), PRE)


def test_category_5_of_either_system_needs_expedited_communication() -> None:
    for code in ("bi_rads_5", "o_rads_5"):
        assert code in communication.SUSPICIOUS_CATEGORIES


def _first(kind: str, category: str):
    return next(t for t in tasks(SPEC, "test") if t.source.generator == f"radiology_report.{kind}"
                and t.answer.fields["category"].value == category)  # fmt: skip


def test_the_tasks_and_tools_agree(session: InProcessSession) -> None:
    screening = _first("bi_rads", "bi_rads_0")
    header = session.call_tool("get_study", {"study_id": screening.case_ref}).structured
    assert (header["exam"], header["modality"]) == ("mg_screening", "MG")
    got = session.call_tool("classify_study", {"study_id": screening.case_ref}).structured
    assert (got["category"], got["recommendation"]) == ("bi_rads_0", "recall_additional_imaging")
    high = _first("o_rads", "o_rads_5")
    assert [a for a in high.rubric.required_actions if a.tool == "communicate_finding"]
    findings = session.call_tool("get_findings", {"study_id": high.case_ref}).structured
    assert findings["adnexal_lesions"] and not findings["breast_masses"]
