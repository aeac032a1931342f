"""The structured study: what a radiologist has measured and described, before any classification system is applied.

Findings are typed by organ (lung nodule, thyroid nodule, liver observation, renal cystic mass, breast mass, adnexal
lesion) with the lexicon terms their classification system reads; the comparison holds the prior exam's measurements
for growth.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Exam = Literal["ct_chest", "ldct_screening", "us_thyroid", "mri_liver", "ct_renal", "mg_screening", "us_breast",
               "us_pelvis"]
System = Literal["fleischner", "lung_rads", "ti_rads", "li_rads", "bosniak", "bi_rads", "o_rads"]
SYSTEMS: tuple[System, ...] = ("fleischner", "lung_rads", "ti_rads", "li_rads", "bosniak", "bi_rads", "o_rads")
SYSTEM_OF_EXAM: dict[str, System] = {
    "ct_chest": "fleischner",
    "ldct_screening": "lung_rads",
    "us_thyroid": "ti_rads",
    "mri_liver": "li_rads",
    "ct_renal": "bosniak",
    "mg_screening": "bi_rads",
    "us_breast": "bi_rads",
    "us_pelvis": "o_rads",
}
"""The system each exam is read with: incidental nodules on diagnostic chest CT (Fleischner), lung cancer screening
LDCT (Lung-RADS), thyroid ultrasound (TI-RADS), liver MRI in a patient at risk for HCC (LI-RADS), renal mass protocol
CT (Bosniak), screening mammography and diagnostic breast ultrasound (BI-RADS), pelvic ultrasound of an adnexal lesion
(O-RADS US)."""

_FROZEN = ConfigDict(extra="forbid", frozen=True)


class Patient(BaseModel):
    """Who was imaged, with the risk factors the systems ask about."""

    model_config = _FROZEN
    age: int
    sex: Literal["female", "male"]
    smoking_status: Literal["never", "former", "current"]
    pack_years: int = Field(description="Cigarette pack-years (0 for never smokers).")
    years_since_quit: int | None = Field(default=None, description="Former smokers only.")
    risk_factors: list[str] = Field(
        default_factory=list,
        description="Lung cancer risk factors other than smoking: family_history_lung_cancer, asbestos_exposure, "
        "radon_exposure, emphysema, pulmonary_fibrosis.",
    )
    liver_disease: str = Field(default="", description="HCC risk: cirrhosis (with cause), chronic hepatitis B, or ''.")
    known_cancer: bool = False
    immunocompromised: bool = False
    menopausal_status: Literal["", "premenopausal", "postmenopausal"] = Field(
        default="", description="Adnexal imaging (O-RADS): premenopausal or postmenopausal; '' otherwise.")


class LungNodule(BaseModel):
    """A pulmonary nodule on CT; axes measured on lung windows to one decimal place."""

    model_config = _FROZEN
    finding_id: str
    lobe: Literal["RUL", "RML", "RLL", "LUL", "lingula", "LLL"]
    density: Literal["solid", "part_solid", "ground_glass"]
    long_axis_mm: float
    short_axis_mm: float
    solid_long_axis_mm: float | None = Field(default=None, description="Solid component of a part-solid nodule.")
    solid_short_axis_mm: float | None = None
    margin: Literal["smooth", "lobulated", "spiculated"] = "smooth"
    calcification: Literal["none", "complete", "central", "popcorn", "concentric"] = "none"
    contains_fat: bool = False
    perifissural: bool = Field(default=False, description="Smooth triangular/lentiform nodule on a fissure or pleura.")


class ThyroidNodule(BaseModel):
    """A thyroid nodule on ultrasound described with the ACR TI-RADS lexicon (Grant 2015)."""

    model_config = _FROZEN
    finding_id: str
    lobe: Literal["right", "left", "isthmus"]
    max_diameter_mm: int = Field(description="Maximum diameter in any plane.")
    composition: Literal["cystic", "spongiform", "mixed_cystic_solid", "solid"]
    echogenicity: Literal["anechoic", "hyperechoic", "isoechoic", "hypoechoic", "very_hypoechoic"]
    shape: Literal["wider_than_tall", "taller_than_wide"]
    margin: Literal["smooth", "ill_defined", "lobulated", "irregular", "extrathyroidal_extension"]
    echogenic_foci: list[Literal["large_comet_tail", "macrocalcification", "peripheral_rim", "punctate"]] = Field(
        default_factory=list, description="Every type seen; [] for none."
    )


class LiverObservation(BaseModel):
    """A liver observation on multiphase MRI described with the LI-RADS v2018 lexicon."""

    model_config = _FROZEN
    finding_id: str
    segment: Literal["II", "III", "IVa", "IVb", "V", "VI", "VII", "VIII"]
    diameter_mm: int = Field(description="Largest outer-edge-to-outer-edge dimension.")
    appearance: Literal["solid", "simple_cyst", "hemangioma"]
    aphe: Literal["none", "nonrim", "rim"] = Field(description="Arterial phase hyperenhancement.")
    nonperipheral_washout: bool = False
    enhancing_capsule: bool = False
    targetoid_features: list[
        Literal["peripheral_washout", "delayed_central_enhancement", "targetoid_restriction"]
    ] = Field(default_factory=list, description="LR-M targetoid features other than rim APHE.")
    tumor_in_vein: bool = Field(default=False, description="Unequivocal enhancing soft tissue in a vein.")


class Protrusion(BaseModel):
    """A convex protrusion from a renal cyst's wall or septum."""

    model_config = _FROZEN
    size_mm: int
    margin: Literal["obtuse", "acute"]
    enhancing: bool


class RenalMass(BaseModel):
    """A cystic renal mass on renal mass protocol CT (noncontrast and nephrographic phases)."""

    model_config = _FROZEN
    finding_id: str
    side: Literal["right", "left"]
    size_mm: int
    wall_thickness_mm: int
    wall_enhancing: bool
    septa_count: int
    septa_thickness_mm: int = Field(description="Thickest septum; 0 when there are none.")
    septa_enhancing: bool
    protrusions: list[Protrusion] = Field(default_factory=list)
    attenuation_hu: int = Field(description="Fluid attenuation at noncontrast CT (Hounsfield units).")
    homogeneous: bool = True
    calcification: bool = False


class BreastMass(BaseModel):
    """A breast mass described with the ACR BI-RADS Atlas (5th ed.) lexicon: mammographic density on a mammogram,
    orientation, echo pattern and posterior features on ultrasound."""

    model_config = _FROZEN
    finding_id: str
    side: Literal["right", "left"]
    clock_position: int = Field(description="Clock-face position, 1-12.")
    size_mm: int = Field(description="Largest dimension.")
    shape: Literal["oval", "round", "irregular"]
    margin: Literal["circumscribed", "obscured", "indistinct", "angular", "microlobulated", "spiculated"]
    density: Literal["", "fat_containing", "low", "equal", "high"] = Field(default="", description="Mammography.")
    orientation: Literal["", "parallel", "not_parallel"] = Field(default="", description="Ultrasound.")
    echo_pattern: Literal["", "anechoic", "hyperechoic", "complex_cystic_solid", "hypoechoic", "isoechoic",
                          "heterogeneous"] = Field(default="", description="Ultrasound.")
    posterior_features: Literal["", "none", "enhancement", "shadowing", "combined"] = Field(
        default="", description="Ultrasound.")
    biopsy_proven_malignancy: bool = Field(default=False, description="Known cancer proven by biopsy at this site.")


class AdnexalLesion(BaseModel):
    """An adnexal lesion on pelvic ultrasound described with the O-RADS US v2022 lexicon."""

    model_config = _FROZEN
    finding_id: str
    side: Literal["right", "left"]
    max_diameter_mm: int = Field(description="Largest diameter in any plane.")
    lesion_type: Literal["follicle", "corpus_luteum", "classic_benign", "unilocular_cyst", "bilocular_cyst",
                         "multilocular_cyst", "solid"]
    classic_benign: Literal["", "hemorrhagic_cyst", "dermoid_cyst", "endometrioma", "paraovarian_cyst"] = ""
    simple: bool = Field(default=False, description="Simple cyst: anechoic, smooth thin wall, no solid component, "
                         "no internal vascularity.")  # fmt: skip
    inner_wall: Literal["smooth", "irregular"] = Field(default="smooth", description="Inner wall or septations.")
    solid_component: Literal["none", "papillary_1_3", "papillary_ge4", "nonpapillary"] = "none"
    outer_contour: Literal["smooth", "irregular"] = Field(default="smooth", description="Solid lesions.")
    color_score: int = Field(default=1, description="O-RADS colour score 1 (no flow) to 4 (very strong flow).")
    incomplete_evaluation: bool = Field(default=False, description="Features not characterisable (technical).")
    ascites_or_peritoneal_nodules: bool = Field(default=False, description="Ascites and/or peritoneal nodules seen "
                                                "with the lesion.")  # fmt: skip


class OtherFinding(BaseModel):
    """A finding outside the system being applied (e.g. an incidental pulmonary embolism)."""

    model_config = _FROZEN
    finding_id: str
    label: str = Field(description="Code of the finding, e.g. pulmonary_embolism.")
    description: str


class PriorMeasurement(BaseModel):
    """A finding's size on the prior exam."""

    model_config = _FROZEN
    finding_id: str
    long_axis_mm: float | None = None
    short_axis_mm: float | None = None
    solid_long_axis_mm: float | None = None
    solid_short_axis_mm: float | None = None
    diameter_mm: int | None = None


class Comparison(BaseModel):
    """The prior exam, when there is one."""

    model_config = _FROZEN
    prior_date: str = Field(default="", description="ISO date of the prior exam; '' when there is none.")
    interval_months: int = Field(default=0, description="Months between the prior and this exam.")
    measurements: list[PriorMeasurement] = Field(default_factory=list)
    new_findings: list[str] = Field(default_factory=list, description="Finding ids absent on the prior exam.")


class Study(BaseModel):
    """One imaging study with its structured findings."""

    model_config = _FROZEN
    study_id: str
    exam: Exam
    modality: Literal["CT", "MRI", "US", "MG"]
    date: str
    indication: str
    technique: str
    patient: Patient
    comparison: Comparison
    lung_nodules: list[LungNodule] = Field(default_factory=list)
    thyroid_nodules: list[ThyroidNodule] = Field(default_factory=list)
    liver_observations: list[LiverObservation] = Field(default_factory=list)
    renal_masses: list[RenalMass] = Field(default_factory=list)
    breast_masses: list[BreastMass] = Field(default_factory=list)
    adnexal_lesions: list[AdnexalLesion] = Field(default_factory=list)
    other_findings: list[OtherFinding] = Field(default_factory=list)

    @property
    def system(self) -> System:
        return SYSTEM_OF_EXAM[self.exam]

    def finding_ids(self) -> list[str]:
        groups = (self.lung_nodules, self.thyroid_nodules, self.liver_observations, self.renal_masses,
                  self.breast_masses, self.adnexal_lesions)
        return [f.finding_id for group in groups for f in group] + [f.finding_id for f in self.other_findings]
