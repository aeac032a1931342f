"""Venous thromboembolism: Wells (PE and DVT), PERC and the Caprini surgical risk score."""

from __future__ import annotations

from typing import Annotated, Literal

from healthgym.mcp_servers.calculators._fields import Sex, flag, pick, span
from healthgym.mcp_servers.calculators._scoring import up_to
from healthgym.mcp_servers.calculators.registry import calculator
from healthgym.mcp_servers.calculators.result import CalcResult, CalculatorInputError

HeartRate = Annotated[float, span(0, 300, "Heart rate, beats/min")]


@calculator("Wells' criteria for pulmonary embolism")
def wells_pe(
    *,
    clinical_signs_dvt: Annotated[bool, flag("there are clinical signs and symptoms of DVT")],
    pe_most_likely: Annotated[bool, flag("PE is the most likely diagnosis, or equally likely")],
    heart_rate_bpm: HeartRate,
    immobilization_or_recent_surgery: Annotated[
        bool, flag("immobilised for 3 or more days, or surgery in the previous 4 weeks")
    ],
    previous_pe_or_dvt: Annotated[bool, flag("there is a previously documented PE or DVT")],
    hemoptysis: Annotated[bool, flag("there is haemoptysis")],
    malignancy: Annotated[bool, flag("there is malignancy treated within 6 months, or palliative")],
) -> CalcResult:
    """Wells score for PE, 0-12.5: DVT signs 3, PE most likely 3, heart rate >100 1.5, immobilisation/surgery 1.5,
    previous PE/DVT 1.5, haemoptysis 1, malignancy 1.

    Three tiers: <2 low, 2-6 moderate, >6 high; two tiers: <=4 PE unlikely, >4 PE likely.

    Source: Wells PS et al. Derivation of a simple clinical model to categorize patients probability of pulmonary
    embolism. Thromb Haemost 2000;83:416-20.
    """
    points = {
        "clinical_signs_dvt": 3.0 * clinical_signs_dvt,
        "pe_most_likely": 3.0 * pe_most_likely,
        "heart_rate_over_100": 1.5 * (heart_rate_bpm > 100),
        "immobilization_or_surgery": 1.5 * immobilization_or_recent_surgery,
        "previous_pe_or_dvt": 1.5 * previous_pe_or_dvt,
        "hemoptysis": 1.0 * hemoptysis,
        "malignancy": 1.0 * malignancy,
    }
    total = sum(points.values())
    tier = "low (<2)" if total < 2 else "moderate (2-6)" if total <= 6 else "high (>6)"
    two_tier = "PE likely (>4)" if total > 4 else "PE unlikely (<=4)"
    return CalcResult(
        calculator="wells_pe",
        value=total,
        unit="points",
        band=f"{tier}; {two_tier}",
        points=points,
        source="Wells PS et al. Thromb Haemost 2000;83:416-20.",
    )


@calculator("Wells' criteria for deep vein thrombosis")
def wells_dvt(
    *,
    active_cancer: Annotated[bool, flag("there is active cancer (treatment within 6 months, or palliative)")],
    paralysis_or_cast: Annotated[bool, flag("paralysis, paresis or recent plaster immobilisation of the leg")],
    bedridden_or_major_surgery: Annotated[
        bool, flag("bedridden recently for 3 or more days, or major surgery within 12 weeks")
    ],
    localized_tenderness: Annotated[bool, flag("there is localised tenderness along the deep venous system")],
    entire_leg_swollen: Annotated[bool, flag("the entire leg is swollen")],
    calf_swelling_over_3cm: Annotated[bool, flag("calf swelling exceeds the other side by more than 3 cm")],
    pitting_edema: Annotated[bool, flag("there is pitting oedema confined to the symptomatic leg")],
    collateral_superficial_veins: Annotated[bool, flag("there are collateral (non-varicose) superficial veins")],
    previous_dvt: Annotated[bool, flag("there is a previously documented DVT")],
    alternative_diagnosis_as_likely: Annotated[
        bool, flag("an alternative diagnosis is at least as likely as DVT (scores -2)")
    ],
) -> CalcResult:
    """Wells score for DVT, -2 to 9: one point per criterion, -2 when an alternative diagnosis is as likely.

    Two tiers (2003): >=2 DVT likely, <2 unlikely. Three tiers (1997): <=0 low, 1-2 moderate, >=3 high.

    Source: Wells PS et al. Evaluation of D-dimer in the diagnosis of suspected deep-vein thrombosis. N Engl J Med
    2003;349:1227-35; Wells PS et al. Lancet 1997;350:1795-8.
    """
    points = {
        "active_cancer": int(active_cancer),
        "paralysis_or_cast": int(paralysis_or_cast),
        "bedridden_or_major_surgery": int(bedridden_or_major_surgery),
        "localized_tenderness": int(localized_tenderness),
        "entire_leg_swollen": int(entire_leg_swollen),
        "calf_swelling_over_3cm": int(calf_swelling_over_3cm),
        "pitting_edema": int(pitting_edema),
        "collateral_superficial_veins": int(collateral_superficial_veins),
        "previous_dvt": int(previous_dvt),
        "alternative_diagnosis": -2 * alternative_diagnosis_as_likely,
    }
    total = sum(points.values())
    tier = up_to(total, ((0, "low (<=0)"), (2, "moderate (1-2)")), "high (>=3)")
    two_tier = "DVT likely (>=2)" if total >= 2 else "DVT unlikely (<2)"
    return CalcResult(
        calculator="wells_dvt",
        value=total,
        unit="points",
        band=f"{two_tier}; {tier}",
        points=points,
        source="Wells PS et al. N Engl J Med 2003;349:1227-35.",
    )


@calculator("PERC rule for pulmonary embolism")
def perc(
    *,
    age_years: Annotated[float, span(18, 120, "Age, years")],
    heart_rate_bpm: HeartRate,
    spo2_percent: Annotated[float, span(0, 100, "Oxygen saturation on room air, %")],
    unilateral_leg_swelling: Annotated[bool, flag("there is unilateral leg swelling")],
    hemoptysis: Annotated[bool, flag("there is haemoptysis")],
    recent_surgery_or_trauma: Annotated[bool, flag("surgery or trauma needing hospital care within 4 weeks")],
    prior_pe_or_dvt: Annotated[bool, flag("there is a prior PE or DVT")],
    hormone_use: Annotated[bool, flag("the patient uses oral contraceptives, hormone replacement or oestrogens")],
) -> CalcResult:
    """Number of PERC criteria met, 0-8: age >=50, heart rate >=100, SaO2 <95%, unilateral leg swelling,
    haemoptysis, recent surgery or trauma, prior PE/DVT, hormone use.

    With low clinical probability, zero criteria rules out PE without D-dimer testing.

    Source: Kline JA et al. Clinical criteria to prevent unnecessary diagnostic testing in emergency department
    patients with suspected pulmonary embolism. J Thromb Haemost 2004;2:1247-55.
    """
    points = {
        "age_50_or_more": int(age_years >= 50),
        "heart_rate_100_or_more": int(heart_rate_bpm >= 100),
        "spo2_below_95": int(spo2_percent < 95),
        "unilateral_leg_swelling": int(unilateral_leg_swelling),
        "hemoptysis": int(hemoptysis),
        "recent_surgery_or_trauma": int(recent_surgery_or_trauma),
        "prior_pe_or_dvt": int(prior_pe_or_dvt),
        "hormone_use": int(hormone_use),
    }
    total = sum(points.values())
    return CalcResult(
        calculator="perc",
        value=total,
        unit="criteria",
        band="PERC negative (0 criteria)" if total == 0 else "PERC positive: PE cannot be ruled out by PERC",
        points=points,
        source="Kline JA et al. J Thromb Haemost 2004;2:1247-55.",
    )


CapriniSurgery = Literal[
    "none",
    "minor",
    "major_over_45_min",
    "laparoscopic_over_45_min",
    "arthroscopic",
    "elective_major_lower_extremity_arthroplasty",
]
CapriniMobility = Literal["ambulatory", "medical_patient_at_bed_rest", "confined_to_bed_over_72_hours"]

_CAPRINI_ONE_POINT = (
    "prior_major_surgery_within_month",
    "varicose_veins",
    "inflammatory_bowel_disease",
    "swollen_legs",
    "acute_myocardial_infarction",
    "heart_failure_within_month",
    "sepsis_within_month",
    "serious_lung_disease_within_month",
    "copd",
    "other_risk_factor",
)
_CAPRINI_TWO_POINTS = ("malignancy", "plaster_cast_within_month", "central_venous_access")
_CAPRINI_THREE_POINTS = (
    "history_of_vte",
    "family_history_thrombosis",
    "factor_v_leiden",
    "prothrombin_20210a",
    "elevated_homocysteine",
    "lupus_anticoagulant",
    "anticardiolipin_antibodies",
    "heparin_induced_thrombocytopenia",
    "other_thrombophilia",
)
_CAPRINI_FIVE_POINTS = (
    "hip_pelvis_leg_fracture_within_month",
    "stroke_within_month",
    "multiple_trauma_within_month",
    "spinal_cord_injury_paralysis_within_month",
)
_CAPRINI_WOMEN = ("oral_contraceptive_or_hrt", "pregnant_or_postpartum", "adverse_pregnancy_history")


@calculator("Caprini VTE risk score (2005)")
def caprini(
    *,
    age_years: Annotated[float, span(18, 120, "Age, years")],
    sex: Annotated[Sex, pick("Sex (three items apply to women only)")],
    surgery: Annotated[
        CapriniSurgery,
        pick(
            "Planned surgery: none 0, minor 1, major >45 min 2, laparoscopic >45 min 2, arthroscopic 2, "
            "elective major lower-extremity arthroplasty 5"
        ),
    ],
    mobility: Annotated[
        CapriniMobility, pick("Mobility: ambulatory 0, medical patient at bed rest 1, confined to bed >72 h 2")
    ],
    bmi_kg_m2: Annotated[float, span(10, 100, "Body mass index, kg/m2 (above 25 scores 1)")],
    prior_major_surgery_within_month: Annotated[bool, flag("major surgery in the past month")],
    varicose_veins: Annotated[bool, flag("there are varicose veins")],
    inflammatory_bowel_disease: Annotated[bool, flag("there is a history of inflammatory bowel disease")],
    swollen_legs: Annotated[bool, flag("the legs are currently swollen")],
    acute_myocardial_infarction: Annotated[bool, flag("there is an acute myocardial infarction")],
    heart_failure_within_month: Annotated[bool, flag("congestive heart failure in the past month")],
    sepsis_within_month: Annotated[bool, flag("sepsis in the past month")],
    serious_lung_disease_within_month: Annotated[bool, flag("serious lung disease, e.g. pneumonia, in the past month")],
    copd: Annotated[bool, flag("pulmonary function is abnormal (COPD)")],
    other_risk_factor: Annotated[bool, flag("another risk factor the clinician records")],
    malignancy: Annotated[bool, flag("there is present or previous malignancy")],
    plaster_cast_within_month: Annotated[bool, flag("an immobilising plaster cast in the past month")],
    central_venous_access: Annotated[bool, flag("there is central venous access")],
    history_of_vte: Annotated[bool, flag("there is a history of DVT or PE")],
    family_history_thrombosis: Annotated[bool, flag("there is a family history of thrombosis")],
    factor_v_leiden: Annotated[bool, flag("factor V Leiden is positive")],
    prothrombin_20210a: Annotated[bool, flag("prothrombin 20210A is positive")],
    elevated_homocysteine: Annotated[bool, flag("serum homocysteine is elevated")],
    lupus_anticoagulant: Annotated[bool, flag("lupus anticoagulant is positive")],
    anticardiolipin_antibodies: Annotated[bool, flag("anticardiolipin antibodies are elevated")],
    heparin_induced_thrombocytopenia: Annotated[bool, flag("there is heparin-induced thrombocytopenia")],
    other_thrombophilia: Annotated[bool, flag("there is another congenital or acquired thrombophilia")],
    hip_pelvis_leg_fracture_within_month: Annotated[bool, flag("hip, pelvis or leg fracture in the past month")],
    stroke_within_month: Annotated[bool, flag("stroke in the past month")],
    multiple_trauma_within_month: Annotated[bool, flag("multiple trauma in the past month")],
    spinal_cord_injury_paralysis_within_month: Annotated[
        bool, flag("acute spinal cord injury with paralysis in the past month")
    ],
    oral_contraceptive_or_hrt: Annotated[bool, flag("(women) oral contraceptives or hormone replacement")] = False,
    pregnant_or_postpartum: Annotated[bool, flag("(women) pregnant or postpartum within a month")] = False,
    adverse_pregnancy_history: Annotated[
        bool,
        flag(
            "(women) unexplained stillbirth, 3+ spontaneous abortions, or premature birth with toxaemia or growth "
            "restriction"
        ),
    ] = False,
) -> CalcResult:
    """Caprini score: age 41-60 1, 61-74 2, >=75 3; BMI >25 1; surgery and mobility as chosen; then 1, 2, 3 or 5
    points per risk factor on the 2005 form (history of DVT/PE counts once). The three women-only items default to
    False and must be False for men.

    Risk (ACCP 2012, general surgery): 0 very low, 1-2 low, 3-4 moderate, >=5 high.

    Source: Caprini JA. Thrombosis risk assessment as a guide to quality patient care. Dis Mon 2005;51:70-8;
    bands: Gould MK et al. Prevention of VTE in nonorthopedic surgical patients. Chest 2012;141:e227S-77S.
    """
    given = dict(locals())  # the keyword arguments, by name
    women_items = [name for name in _CAPRINI_WOMEN if given[name]]
    if sex == "male" and women_items:
        raise CalculatorInputError(f"caprini: {women_items} apply to women only; set them False for sex='male'")
    points: dict[str, float] = {
        "age": up_to(age_years, ((40, 0), (60, 1), (74, 2)), 3),
        "bmi_over_25": int(bmi_kg_m2 > 25),
        "surgery": {"none": 0, "minor": 1, "elective_major_lower_extremity_arthroplasty": 5}.get(surgery, 2),
        "mobility": {"ambulatory": 0, "medical_patient_at_bed_rest": 1, "confined_to_bed_over_72_hours": 2}[mobility],
    }
    for weight, names in (
        (1, _CAPRINI_ONE_POINT + _CAPRINI_WOMEN),
        (2, _CAPRINI_TWO_POINTS),
        (3, _CAPRINI_THREE_POINTS),
        (5, _CAPRINI_FIVE_POINTS),
    ):
        points.update({name: weight * given[name] for name in names if given[name]})
    total = sum(points.values())
    band = up_to(total, ((0, "very low (0)"), (2, "low (1-2)"), (4, "moderate (3-4)")), "high (>=5)")
    return CalcResult(
        calculator="caprini",
        value=total,
        unit="points",
        band=band,
        points=points,
        source="Caprini JA. Dis Mon 2005;51:70-8; Gould MK et al. Chest 2012;141:e227S-77S.",
    )
