"""Comorbidity burden: the Charlson index."""

from __future__ import annotations

from typing import Annotated, Literal

from healthgym.mcp_servers.calculators._fields import flag, pick, span
from healthgym.mcp_servers.calculators._scoring import at_least, up_to
from healthgym.mcp_servers.calculators.registry import calculator
from healthgym.mcp_servers.calculators.result import CalcResult


@calculator("Charlson Comorbidity Index (age-adjusted)")
def charlson(
    *,
    age_years: Annotated[float, span(0, 120, "Age, years")],
    myocardial_infarction: Annotated[bool, flag("there is a history of myocardial infarction")],
    heart_failure: Annotated[bool, flag("there is congestive heart failure")],
    peripheral_vascular_disease: Annotated[bool, flag("there is peripheral vascular disease")],
    cerebrovascular_disease: Annotated[bool, flag("there is a history of stroke or TIA")],
    dementia: Annotated[bool, flag("there is dementia")],
    chronic_pulmonary_disease: Annotated[bool, flag("there is chronic pulmonary disease")],
    connective_tissue_disease: Annotated[bool, flag("there is connective tissue disease")],
    peptic_ulcer_disease: Annotated[bool, flag("there is peptic ulcer disease")],
    liver_disease: Annotated[
        Literal["none", "mild", "moderate_to_severe"],
        pick(
            "Liver disease: none 0, mild (chronic hepatitis, cirrhosis without portal hypertension) 1, "
            "moderate to severe (portal hypertension) 3"
        ),
    ],
    diabetes: Annotated[
        Literal["none_or_diet_controlled", "uncomplicated", "end_organ_damage"],
        pick("Diabetes: none or diet-controlled 0, uncomplicated 1, with end-organ damage 2"),
    ],
    hemiplegia: Annotated[bool, flag("there is hemiplegia")],
    moderate_to_severe_ckd: Annotated[bool, flag("there is moderate to severe chronic kidney disease")],
    solid_tumor: Annotated[
        Literal["none", "localized", "metastatic"], pick("Solid tumour: none 0, localised 2, metastatic 6")
    ],
    leukemia: Annotated[bool, flag("there is leukaemia")],
    lymphoma: Annotated[bool, flag("there is lymphoma")],
    aids: Annotated[bool, flag("there is AIDS (not just HIV positivity)")],
) -> CalcResult:
    """Charlson Comorbidity Index with the age adjustment.

    1 point: MI, CHF, peripheral vascular disease, cerebrovascular disease, dementia, chronic pulmonary disease,
    connective tissue disease, peptic ulcer, mild liver disease, uncomplicated diabetes. 2 points: hemiplegia,
    moderate-severe CKD, diabetes with end-organ damage, localised solid tumour, leukaemia, lymphoma. 3 points:
    moderate-severe liver disease. 6 points: metastatic solid tumour, AIDS. Age 50-59 +1, 60-69 +2, 70-79 +3,
    >=80 +4. Charlson's groups: 0, 1-2, 3-4, >=5.

    Source: Charlson ME, Pompei P, Ales KL, MacKenzie CR. A new method of classifying prognostic comorbidity in
    longitudinal studies. J Chronic Dis 1987;40:373-83; age: Charlson M et al. Validation of a combined comorbidity
    index. J Clin Epidemiol 1994;47:1245-51.
    """
    points = {
        "age": at_least(age_years, ((80, 4), (70, 3), (60, 2), (50, 1)), 0),
        "myocardial_infarction": int(myocardial_infarction),
        "heart_failure": int(heart_failure),
        "peripheral_vascular_disease": int(peripheral_vascular_disease),
        "cerebrovascular_disease": int(cerebrovascular_disease),
        "dementia": int(dementia),
        "chronic_pulmonary_disease": int(chronic_pulmonary_disease),
        "connective_tissue_disease": int(connective_tissue_disease),
        "peptic_ulcer_disease": int(peptic_ulcer_disease),
        "liver_disease": {"none": 0, "mild": 1, "moderate_to_severe": 3}[liver_disease],
        "diabetes": {"none_or_diet_controlled": 0, "uncomplicated": 1, "end_organ_damage": 2}[diabetes],
        "hemiplegia": 2 * hemiplegia,
        "moderate_to_severe_ckd": 2 * moderate_to_severe_ckd,
        "solid_tumor": {"none": 0, "localized": 2, "metastatic": 6}[solid_tumor],
        "leukemia": 2 * leukemia,
        "lymphoma": 2 * lymphoma,
        "aids": 6 * aids,
    }
    total = sum(points.values())
    return CalcResult(
        calculator="charlson",
        value=total,
        unit="points",
        band=up_to(total, ((0, "0"), (2, "1-2"), (4, "3-4")), ">=5") + " (Charlson 1987 comorbidity group)",
        points=points,
        source="Charlson ME et al. J Chronic Dis 1987;40:373-83; Charlson M et al. J Clin Epidemiol 1994;47:1245-51.",
    )
