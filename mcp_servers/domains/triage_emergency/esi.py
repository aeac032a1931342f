"""The Emergency Severity Index, version 4, as the ESI Implementation Handbook defines it.

Four decision points, in order (Gilboy N, Tanabe P, Travers D, Rosenau AM. Emergency Severity Index (ESI): A Triage
Tool for Emergency Department Care, Version 4. Implementation Handbook 2012 Edition. AHRQ Publication No. 12-0014;
republished by the Emergency Nurses Association, 2020):

- A. Does the patient require an immediate life-saving intervention? Yes: ESI 1.
- B. Is this a high-risk situation, is the patient newly confused/lethargic/disoriented, or in severe pain or distress?
  Yes: ESI 2.
- C. How many different resources will the patient need? None: ESI 5; one: ESI 4; two or more: go to D.
- D. Are the danger-zone vital signs exceeded? Yes: consider ESI 2; no: ESI 3.

Where the handbook leaves a step to the nurse ("consider"), this module makes it deterministic and says so in the
rule's docstring, so a level can be graded: danger-zone vitals at D up-triage to ESI 2, and febrile infants of 1-3
months are ESI 2 like febrile neonates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from healthgym.mcp_servers.domains.triage_emergency.models import Arrival

HANDBOOK = (
    "Gilboy N, Tanabe P, Travers D, Rosenau AM. Emergency Severity Index (ESI) Version 4, Implementation Handbook, "
    "2012 Edition. AHRQ Publication No. 12-0014 (ENA, 2020)"
)
APLS = "Advanced Life Support Group. Advanced Paediatric Life Support, 6th ed. Wiley-Blackwell, 2016 (normal values)"
PALS = "American Heart Association. Pediatric Advanced Life Support Provider Manual, 2020 (hypotension by age)"
NEWS2_SOURCE = "Royal College of Physicians. National Early Warning Score (NEWS) 2. London: RCP, 2017"

# --- age ------------------------------------------------------------------------------------------------------------

DAYS_PER_MONTH = 30.4375
DAYS_PER_YEAR = 365.25


def completed_months(age_days: int) -> int:
    """Whole months of age (mean month of 30.4375 days), as ages are stated in the danger-zone table."""
    return int(age_days // DAYS_PER_MONTH)


def completed_years(age_days: int) -> int:
    """Whole years of age: an 8-year-old is 8 until the day before the 9th birthday."""
    return int(age_days // DAYS_PER_YEAR)


def age_text(age_days: int) -> str:
    """Age as a clinician says it: days in the first month, months until 2 years, then years."""
    if age_days < 31:
        return f"{age_days} days"
    if age_days < 2 * DAYS_PER_YEAR:
        months = completed_months(age_days)
        return f"{months} month{'s' if months != 1 else ''}"
    return f"{completed_years(age_days)} years"


# --- decision point D: danger-zone vital signs ------------------------------------------------------------------------


@dataclass(frozen=True)
class DangerZone:
    """One age row of the ESI danger-zone vital signs (handbook, decision point D)."""

    band: str
    max_heart_rate: int
    """Heart rate above this (beats/min) is in the danger zone."""
    max_respiratory_rate: int
    """Respiratory rate above this (breaths/min) is in the danger zone."""


DANGER_ZONES: tuple[DangerZone, ...] = (
    DangerZone("< 3 months", 180, 50),
    DangerZone("3 months - 3 years", 160, 40),
    DangerZone("3 - 8 years", 140, 30),
    DangerZone("> 8 years", 100, 20),
)
DANGER_SPO2 = 92
"""SpO2 below this percentage is in the danger zone at every age (handbook, decision point D)."""


def danger_zone(age_days: int) -> DangerZone:
    """The danger-zone row for an age: under 3 completed months, then under 3 completed years, then 3 to 8 completed
    years, then older than 8 (ESI v4 handbook, chapter 6 / algorithm figure)."""
    if completed_months(age_days) < 3:
        return DANGER_ZONES[0]
    years = completed_years(age_days)
    if years < 3:
        return DANGER_ZONES[1]
    if years <= 8:
        return DANGER_ZONES[2]
    return DANGER_ZONES[3]


def danger_zone_exceeded(arrival: Arrival) -> list[str]:
    """Every danger-zone vital sign the arrival exceeds: HR or RR above the age row, or SpO2 < 92%."""
    zone, v = danger_zone(arrival.age_days), arrival.vitals
    out = []
    if v.heart_rate_bpm > zone.max_heart_rate:
        out.append(f"heart rate {v.heart_rate_bpm}/min > {zone.max_heart_rate} ({zone.band})")
    if v.respiratory_rate_per_min > zone.max_respiratory_rate:
        out.append(f"respiratory rate {v.respiratory_rate_per_min}/min > {zone.max_respiratory_rate} ({zone.band})")
    if v.spo2_percent < DANGER_SPO2:
        out.append(f"SpO2 {v.spo2_percent}% < {DANGER_SPO2}%")
    return out


# --- normal ranges and hypotension by age ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NormalRange:
    """Normal heart rate, respiratory rate and systolic BP for an age group."""

    group: str
    min_days: int
    heart_rate: tuple[int, int]
    respiratory_rate: tuple[int, int]
    systolic_bp: tuple[int, int]
    source: str


NORMAL_RANGES: tuple[NormalRange, ...] = (
    NormalRange("under 1 year", 0, (110, 160), (30, 40), (70, 90), APLS),
    NormalRange("1-2 years", 365, (100, 150), (25, 35), (85, 95), APLS),
    NormalRange("2-5 years", 730, (95, 140), (25, 30), (85, 100), APLS),
    NormalRange("5-12 years", 1826, (80, 120), (20, 25), (90, 110), APLS),
    NormalRange("12-16 years", 4383, (60, 100), (15, 20), (100, 120), APLS),
    NormalRange("16 years and over", 5844, (51, 90), (12, 20), (111, 219), NEWS2_SOURCE + " (zero-score bands)"),
)


def normal_range(age_days: int) -> NormalRange:
    """The APLS normal values for children; for 16 and over, the NEWS2 bands that score zero."""
    return [row for row in NORMAL_RANGES if age_days >= row.min_days][-1]


def hypotension_threshold(age_days: int) -> int:
    """Systolic BP (mm Hg) below which a patient is hypotensive for age (PALS 2020): term neonate (0-28 days) 60;
    infant (1-12 months) 70; child 1-10 years 70 + 2 x age in years; over 10 years (and adults) 90."""
    if age_days <= 28:
        return 60
    years = completed_years(age_days)
    if years < 1:
        return 70
    if years <= 10:
        return 70 + 2 * years
    return 90


def hypoperfused(arrival: Arrival) -> bool:
    """Signs of hypoperfusion: central capillary refill longer than 2 seconds (APLS 2016; ATLS 10th ed.)."""
    return arrival.vitals.capillary_refill_s > 2


HYPOGLYCAEMIA_MG_DL = 70
"""ADA Standards of Care 2024, section 6: glucose < 70 mg/dL is hypoglycaemia; with altered mental status it is
level 3 (severe) and needs IV dextrose (D50 is on the ESI life-saving medication list)."""

FEVER_C = 38.0
"""ESI paediatric fever considerations use temperature > 38.0 C (100.4 F)."""


# --- decision point A -------------------------------------------------------------------------------------------------

LIFE_SAVING_INTERVENTIONS: dict[str, tuple[str, ...]] = {
    "Airway/breathing": ("BVM ventilation", "intubation", "surgical airway", "emergent CPAP", "emergent BiPAP"),
    "Electrical therapy": ("defibrillation", "emergent cardioversion", "external pacing"),
    "Procedures": ("chest needle decompression", "pericardiocentesis", "open thoracotomy", "intraosseous access"),
    "Hemodynamics": ("significant IV fluid resuscitation", "blood administration", "control of major bleeding"),
    "Medications": ("naloxone", "D50", "dopamine", "atropine", "adenosine"),
}
"""Immediate life-saving interventions (ESI handbook, decision point A table)."""

NOT_LIFE_SAVING: dict[str, tuple[str, ...]] = {
    "Airway/breathing": ("oxygen by nasal cannula", "oxygen by non-rebreather mask"),
    "Electrical therapy": ("cardiac monitor",),
    "Procedures": ("diagnostic tests: ECG, labs, ultrasound, FAST",),
    "Hemodynamics": ("IV access", "saline lock for medications"),
    "Medications": (
        "aspirin",
        "IV nitroglycerin",
        "antibiotics",
        "heparin",
        "pain medications",
        "respiratory treatments with beta-agonists",
    ),
}
"""Interventions that are not life-saving in the ESI sense (same table, right column)."""

SEVERE_RESPIRATORY_DISTRESS = "severe respiratory distress: speaking in single words, accessory muscle use"
LSI_FINDINGS: dict[str, str] = {
    SEVERE_RESPIRATORY_DISTRESS: (
        "severe respiratory distress needs emergent airway/breathing support (BiPAP, BVM, intubation)"
    ),
    "actively seizing on arrival, seizure lasting more than 5 minutes": (
        "status epilepticus: unresponsive, needs emergency anticonvulsants and airway protection"
    ),
    "uncontrolled external haemorrhage": "control of major bleeding",
}
"""Observed findings that by themselves mean an immediate life-saving intervention is needed (handbook, decision
point A: 'severe respiratory distress', 'unresponsive', control of major bleeding)."""


def life_saving_reasons(arrival: Arrival) -> list[str]:
    """Decision point A: the facts that show the patient needs an immediate life-saving intervention.

    The handbook's prompts at A: intubated, apnoeic, pulseless, severe respiratory distress, SpO2 < 90%, acute
    mental status change or unresponsive (P or U on AVPU), hypotension with signs of hypoperfusion, and conditions
    needing the listed medications (hypoglycaemia with altered mental status needs D50).
    """
    v = arrival.vitals
    reasons = [f"{finding} -> {why}" for finding, why in LSI_FINDINGS.items() if finding in arrival.findings]
    if v.spo2_percent < 90:
        reasons.append(f"SpO2 {v.spo2_percent}% < 90% -> emergent oxygenation/ventilation")
    if arrival.mental_status in ("pain", "unresponsive"):
        avpu = "P" if arrival.mental_status == "pain" else "U"
        reasons.append(f"unresponsive ({avpu} on AVPU) -> airway protection and immediate physician evaluation")
    threshold = hypotension_threshold(arrival.age_days)
    if hypoperfused(arrival) and v.systolic_bp_mm_hg < threshold:
        reasons.append(
            f"hypotension for age (SBP {v.systolic_bp_mm_hg} < {threshold} mm Hg) with signs of hypoperfusion "
            f"(capillary refill {v.capillary_refill_s:g} s) -> significant IV fluid resuscitation"
        )
    glucose = arrival.glucose_mg_dl
    if glucose is not None and glucose < HYPOGLYCAEMIA_MG_DL and arrival.mental_status != "alert":
        reasons.append(f"glucose {glucose} mg/dL with altered mental status -> IV dextrose (D50)")
    return reasons


# --- decision point B -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RedFlag:
    """A high-risk presentation (handbook, decision point B) as the nurse observes or is told it."""

    code: str
    finding: str
    """The finding exactly as it is written in an arrival's ``findings``."""
    concern: str
    source: str


RED_FLAGS: tuple[RedFlag, ...] = (
    RedFlag(
        "acs_chest_pain",
        "central chest pressure radiating to the arm or jaw, with sweating",
        "possible acute coronary syndrome",
        HANDBOOK + ", ch. 4 (chest pain suspicious for ACS); "
        "Gulati M et al. 2021 AHA/ACC chest pain guideline, Circulation 2021;144:e368-e454",
    ),
    RedFlag(
        "focal_deficit",
        "sudden one-sided weakness, facial droop or speech disturbance",
        "possible acute stroke",
        HANDBOOK + ", ch. 4 (signs of stroke); Powers WJ et al. AHA/ASA 2019 "
        "acute ischemic stroke guideline, Stroke 2019;50:e344-e418",
    ),
    RedFlag(
        "thunderclap_headache",
        "sudden severe 'worst ever' headache, maximal within a minute",
        "possible subarachnoid haemorrhage",
        HANDBOOK + ", ch. 4 (sudden severe headache)",
    ),
    RedFlag(
        "suicidal_plan",
        "suicidal thoughts with a plan",
        "risk of self-harm",
        HANDBOOK + ", ch. 4 (suicidal or homicidal patients are high risk)",
    ),
    RedFlag(
        "intentional_overdose",
        "intentional overdose taken within the last few hours",
        "delayed toxicity and risk of self-harm",
        HANDBOOK + ", ch. 4 (overdose)",
    ),
    RedFlag(
        "testicular_pain",
        "sudden severe testicular pain",
        "possible testicular torsion: organ-threatening within hours",
        HANDBOOK + ", ch. 4 (testicular torsion)",
    ),
    RedFlag(
        "ectopic_features",
        "positive pregnancy test with lower abdominal pain and vaginal bleeding",
        "possible ectopic pregnancy",
        HANDBOOK + ", ch. 4 (possible ectopic pregnancy)",
    ),
    RedFlag(
        "neutropenic_fever",
        "fever within 6 weeks of chemotherapy",
        "possible neutropenic sepsis",
        HANDBOOK + ", ch. 4 (immunocompromised patient with fever); NICE CG151 Neutropenic sepsis, 2012 (updated 2020)",
    ),
    RedFlag(
        "high_energy_mechanism",
        "high-energy mechanism of injury",
        "occult major injury",
        HANDBOOK + ", ch. 4 (high-risk mechanism of injury); Newgard CD et al. National "
        "Guideline for the Field Triage of Injured Patients, J Trauma Acute Care Surg 2022;93:e49-e60",
    ),
    RedFlag(
        "anticoagulated_head_injury",
        "head strike while taking an anticoagulant",
        "intracranial haemorrhage",
        HANDBOOK + ", ch. 4 (high-risk situation); ACS 2021 field triage (EMS "
        "judgement: anticoagulant use); NICE NG232 Head injury, 2023 (CT within 8 h if anticoagulated)",
    ),
    RedFlag(
        "allergic_airway",
        "hives and lip swelling with wheeze after allergen exposure",
        "anaphylaxis",
        HANDBOOK + ", ch. 4; Cardona V et al. World Allergy Organization anaphylaxis guidance "
        "2020, World Allergy Organ J 2020;13:100472",
    ),
    RedFlag(
        "gi_bleed_syncope",
        "vomiting blood or black stools, with fainting",
        "significant gastrointestinal haemorrhage",
        HANDBOOK + ", ch. 4 (GI bleeding with signs of volume loss)",
    ),
    RedFlag(
        "pe_features",
        "pleuritic chest pain and breathlessness after recent surgery or immobilisation",
        "possible pulmonary embolism",
        HANDBOOK + ", ch. 4 (possible pulmonary embolism)",
    ),
    RedFlag(
        "chemical_eye",
        "chemical splash to the eye",
        "sight-threatening chemical burn needing immediate irrigation",
        HANDBOOK + ", ch. 4 (chemical splash to the eyes)",
    ),
)
RED_FLAG_BY_FINDING = {flag.finding: flag for flag in RED_FLAGS}
RED_FLAG_BY_CODE = {flag.code: flag for flag in RED_FLAGS}


def high_risk_reasons(arrival: Arrival) -> list[str]:
    """Decision point B: high-risk situations, new confusion/lethargy/disorientation, severe pain or distress.

    - a red-flag finding from the handbook's high-risk examples (``RED_FLAGS``);
    - febrile neonate (<= 28 days, > 38.0 C): the handbook says assign at least ESI 2;
    - febrile infant 1-3 months (> 38.0 C): the handbook says consider ESI 2; here always ESI 2, as febrile young
      infants need a full sepsis evaluation (Pantell RH et al. AAP febrile infant guideline, Pediatrics 2021;148);
    - new confusion (C) or lethargy (V on AVPU);
    - severe pain/distress: a rating >= 7/10 together with observed severe distress. A rating alone does not
      qualify: the handbook asks the nurse to confirm it by observation (the 10/10 patient eating ice cream is not
      ESI 2).
    """
    reasons = [
        f"high-risk: {RED_FLAG_BY_FINDING[f].concern} ({f})" for f in arrival.findings if f in RED_FLAG_BY_FINDING
    ]
    temp = arrival.vitals.temperature_c
    if temp > FEVER_C and arrival.age_days <= 28:
        reasons.append(f"high-risk: febrile neonate ({arrival.age}, {temp:g} C > 38.0 C)")
    elif temp > FEVER_C and completed_months(arrival.age_days) < 3:
        reasons.append(f"high-risk: febrile infant under 3 months ({arrival.age}, {temp:g} C > 38.0 C)")
    if arrival.mental_status == "new_confusion":
        reasons.append("new onset confusion/disorientation")
    if arrival.mental_status == "voice":
        reasons.append("lethargic: responds only to voice (V on AVPU)")
    if arrival.vitals.pain_score >= 7 and arrival.appearance == "severe distress":
        reasons.append(f"severe pain/distress: pain {arrival.vitals.pain_score}/10 with observed severe distress")
    return reasons


# --- decision point C: resources ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResourceType:
    """A row of the handbook's resource table; ``weight`` is how many resources it counts as (0: not a resource)."""

    code: str
    label: str
    weight: int


RESOURCE_TYPES: tuple[ResourceType, ...] = (
    ResourceType("labs", "Labs (blood, urine)", 1),
    ResourceType("ecg", "ECG", 1),
    ResourceType("xray", "Plain X-rays", 1),
    ResourceType("ct", "CT", 1),
    ResourceType("mri", "MRI", 1),
    ResourceType("ultrasound", "Ultrasound", 1),
    ResourceType("iv_fluids", "IV fluids (hydration)", 1),
    ResourceType("parenteral_medication", "IV, IM or nebulised medications", 1),
    ResourceType("specialty_consultation", "Specialty consultation", 1),
    ResourceType("simple_procedure", "Simple procedure (laceration repair, Foley catheter) = 1", 1),
    ResourceType("complex_procedure", "Complex procedure (procedural sedation) = 2", 2),
    ResourceType("history_and_physical", "History and physical examination (including pelvic)", 0),
    ResourceType("point_of_care_testing", "Point-of-care testing", 0),
    ResourceType("saline_lock", "Saline or heparin lock", 0),
    ResourceType("oral_medication", "PO medications", 0),
    ResourceType("prescription", "Prescription or prescription refill", 0),
    ResourceType("tetanus_immunization", "Tetanus immunisation", 0),
    ResourceType("phone_call", "Phone call to primary care physician", 0),
    ResourceType("simple_wound_care", "Simple wound care (dressings, recheck)", 0),
    ResourceType("crutches_splints_slings", "Crutches, splints, slings", 0),
)
"""The handbook's resource table (decision point C). Resources are counted by *type*, not by test: a CBC, chemistry
and urinalysis are one resource (labs); labs and a chest X-ray are two. Imaging modalities and the ECG are counted as
separate types, since each is a different department and turnaround (handbook: 'count the number of different types
of resources, not the individual tests')."""
RESOURCE_TYPE = {row.code: row for row in RESOURCE_TYPES}

INTERVENTIONS: dict[str, str] = {
    # labs
    "CBC and metabolic panel": "labs",
    "troponin": "labs",
    "urinalysis and urine culture": "labs",
    "throat swab culture": "labs",
    "blood cultures and lactate": "labs",
    "serum hCG, CBC and blood group": "labs",
    "venous blood gas and ketones": "labs",
    "paracetamol and salicylate levels": "labs",
    "coagulation screen and group and crossmatch": "labs",
    "lipase and liver panel": "labs",
    # ECG and imaging
    "12-lead ECG": "ecg",
    "chest X-ray": "xray",
    "ankle X-ray": "xray",
    "forearm X-ray": "xray",
    "CT head": "ct",
    "CT angiography of head and neck": "ct",
    "CT abdomen and pelvis": "ct",
    "CT pulmonary angiography": "ct",
    "trauma CT (head to pelvis)": "ct",
    "MRI brain": "mri",
    "pelvic ultrasound": "ultrasound",
    "scrotal Doppler ultrasound": "ultrasound",
    "right upper quadrant ultrasound": "ultrasound",
    "abdominal ultrasound": "ultrasound",
    # fluids and parenteral drugs
    "IV fluid bolus": "iv_fluids",
    "IV antibiotics": "parenteral_medication",
    "IV analgesia": "parenteral_medication",
    "IV antiemetic": "parenteral_medication",
    "IM antiemetic and analgesic": "parenteral_medication",
    "nebulised salbutamol": "parenteral_medication",
    "nebulised bronchodilators": "parenteral_medication",
    "IV insulin infusion": "parenteral_medication",
    "IM adrenaline": "parenteral_medication",
    "IV anticonvulsant": "parenteral_medication",
    "IV antiplatelet and anticoagulant therapy": "parenteral_medication",
    "IV acetylcysteine if level above treatment line": "parenteral_medication",
    # consultations and procedures
    "cardiology consultation": "specialty_consultation",
    "stroke team consultation": "specialty_consultation",
    "surgical consultation": "specialty_consultation",
    "orthopaedic consultation": "specialty_consultation",
    "urology consultation": "specialty_consultation",
    "gynaecology consultation": "specialty_consultation",
    "psychiatry consultation": "specialty_consultation",
    "ophthalmology consultation": "specialty_consultation",
    "neurosurgical consultation": "specialty_consultation",
    "trauma team": "specialty_consultation",
    "laceration repair": "simple_procedure",
    "urinary catheter": "simple_procedure",
    "eye irrigation": "simple_procedure",
    "procedural sedation and fracture reduction": "complex_procedure",
    # not resources
    "history and physical examination": "history_and_physical",
    "point-of-care glucose": "point_of_care_testing",
    "point-of-care urine pregnancy test": "point_of_care_testing",
    "point-of-care urine dipstick": "point_of_care_testing",
    "saline lock": "saline_lock",
    "oral analgesia": "oral_medication",
    "oral antipyretic": "oral_medication",
    "oral antihistamine": "oral_medication",
    "oral rehydration": "oral_medication",
    "oral steroids": "oral_medication",
    "prescription": "prescription",
    "prescription refill": "prescription",
    "tetanus immunisation": "tetanus_immunization",
    "phone call to primary care physician": "phone_call",
    "simple wound care": "simple_wound_care",
    "suture removal and dressing": "simple_wound_care",
    "splint and crutches": "crutches_splints_slings",
    "sling": "crutches_splints_slings",
}
"""Every intervention an arrival's work-up can name, mapped to its row of the resource table."""


def resource_types(interventions: list[str]) -> list[ResourceType]:
    """The distinct resource types (weight > 0) among the interventions, in table order."""
    codes = {INTERVENTIONS[item] for item in interventions}
    return [row for row in RESOURCE_TYPES if row.code in codes and row.weight > 0]


def resource_count(interventions: list[str]) -> int:
    """ESI resources: one per different type, a complex procedure counting two (handbook, decision point C)."""
    return sum(row.weight for row in resource_types(interventions))


# --- the paediatric fever consideration at D ------------------------------------------------------------------------


def child_fever_floor(arrival: Arrival) -> str | None:
    """Handbook, paediatric fever considerations, 3 months to 3 years: consider ESI 3 when the child has a fever
    (> 38.0 C) and a temperature > 39.0 C, incomplete immunisations or no obvious source. Applied here as a floor:
    such a child is never ESI 4 or 5."""
    months, temp = completed_months(arrival.age_days), arrival.vitals.temperature_c
    if not (months >= 3 and completed_years(arrival.age_days) < 3 and temp > FEVER_C):
        return None
    why = []
    if temp > 39.0:
        why.append(f"temperature {temp:g} C > 39.0 C")
    fever = arrival.child_fever
    if fever is not None and not fever.immunizations_complete:
        why.append("incomplete immunisations")
    if fever is None or not fever.obvious_source:
        why.append("no obvious source of fever")
    return "; ".join(why) or None


# --- the algorithm ----------------------------------------------------------------------------------------------------

DecisionPoint = Literal["A", "B", "C", "D"]


class EsiStep(BaseModel):
    """One decision point as it was answered for this arrival."""

    point: DecisionPoint
    question: str
    answer: str
    reasons: list[str] = Field(default_factory=list)
    outcome: str = Field(description="The level assigned here, or the next decision point.")


class EsiAssessment(BaseModel):
    """The ESI level of an arrival with the decision points that led to it."""

    arrival_id: str
    esi_level: int = Field(ge=1, le=5)
    decided_at: DecisionPoint
    steps: list[EsiStep]
    resources: int = Field(description="ESI resources predicted (decision point C).")
    source: str = HANDBOOK


def assess(arrival: Arrival) -> EsiAssessment:
    """Walk decision points A to D in order and stop at the first that assigns a level."""
    steps: list[EsiStep] = []
    count = resource_count(arrival.anticipated_workup)

    def done(level: int, point: DecisionPoint) -> EsiAssessment:
        return EsiAssessment(
            arrival_id=arrival.arrival_id, esi_level=level, decided_at=point, steps=steps, resources=count
        )

    lsi = life_saving_reasons(arrival)
    steps.append(
        EsiStep(
            point="A",
            question="Does the patient require an immediate life-saving intervention?",
            answer="yes" if lsi else "no",
            reasons=lsi,
            outcome="ESI 1" if lsi else "go to B",
        )
    )
    if lsi:
        return done(1, "A")
    risk = high_risk_reasons(arrival)
    steps.append(
        EsiStep(
            point="B",
            question="High-risk situation, new confusion/lethargy/disorientation, or severe pain/distress?",
            answer="yes" if risk else "no",
            reasons=risk,
            outcome="ESI 2" if risk else "go to C",
        )
    )
    if risk:
        return done(2, "B")
    types = [f"{row.label} (counts {row.weight})" for row in resource_types(arrival.anticipated_workup)]
    if count < 2:
        level = 5 - count
        floor = child_fever_floor(arrival)
        steps.append(
            EsiStep(
                point="C",
                question="How many different resources are needed?",
                answer=str(count),
                reasons=types,
                outcome=f"ESI {level}",
            )
        )
        if floor:
            steps.append(
                EsiStep(
                    point="D",
                    question="Paediatric fever consideration (3 months - 3 years)?",
                    answer="yes",
                    reasons=[floor],
                    outcome="ESI 3",
                )
            )
            return done(3, "D")
        return done(level, "C")
    steps.append(
        EsiStep(
            point="C",
            question="How many different resources are needed?",
            answer=str(count),
            reasons=types,
            outcome="two or more: go to D",
        )
    )
    danger = danger_zone_exceeded(arrival)
    steps.append(
        EsiStep(
            point="D",
            question="Danger-zone vital signs exceeded?",
            answer="yes" if danger else "no",
            reasons=danger,
            outcome="ESI 2" if danger else "ESI 3",
        )
    )
    return done(2 if danger else 3, "D")
