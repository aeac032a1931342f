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

import re
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


HYPOVENTILATION_RR = 10
"""Respiratory rate below this (breaths/min) is hypoventilation needing bag-valve-mask ventilation: ESI Handbook v4
table 6-2 ('respiratory failure: hypoventilation'; 'major head trauma with hypoventilation') and ch. 3 (the overdose
with a respiratory rate of 6 is ESI 1); ACS 2021 field triage uses the same < 10/min red criterion."""
PAEDIATRIC_CRT_S = 3.0
"""Capillary refill longer than this (s) in a tachycardic child is shock with hypoperfusion: ESI Handbook v4 table
6-2 ('alteration in capillary refill time > 3-4 seconds', 'hypotension often a late finding in the prepubescent
patient'); APLS 2016 compensated shock (tachycardia and poor perfusion with a normal blood pressure)."""
PAEDIATRIC_YEARS = 16
"""Children for the paediatric hypoperfusion rule: the APLS normal-value tables run to 16 years."""
HYPOVENTILATION_TEXT = re.compile(r"hypoventilat|apnoe|apnea|agonal breath", re.IGNORECASE)
ARREST_TEXT = re.compile(r"pulseless|cardiac arrest|CPR in progress|intubated", re.IGNORECASE)
"""Handbook ch. 3, the first prompts at decision point A: is the patient intubated, apnoeic or pulseless?"""


def anaphylaxis_with_airway(arrival: Arrival) -> bool:
    """Anaphylaxis with respiratory or airway involvement: acute skin/mucosal involvement after an allergen exposure
    together with respiratory compromise (wheeze, stridor, hypoxaemia). ESI Handbook v4 table 6-2 lists the
    anaphylactic reaction with respiratory compromise among ESI 1 conditions; IM adrenaline is given at once (RCUK
    2021 anaphylaxis guideline; WAO 2020 criterion 1)."""
    al = arrival.allergy
    return al is not None and al.skin_mucosal and al.respiratory_compromise


def paediatric_hypoperfusion(arrival: Arrival) -> bool:
    """A child (under 16) with capillary refill > 3 s and a heart rate above the APLS normal range for age: shock
    with hypoperfusion even while the blood pressure is normal (see ``PAEDIATRIC_CRT_S``)."""
    if completed_years(arrival.age_days) >= PAEDIATRIC_YEARS:
        return False
    v = arrival.vitals
    return v.capillary_refill_s > PAEDIATRIC_CRT_S and v.heart_rate_bpm > normal_range(arrival.age_days).heart_rate[1]


def arrival_text(arrival: Arrival) -> list[str]:
    """The free text a triage nurse reads, in segments: the chief complaint, each sentence of the presentation, and
    each finding."""
    sentences = [part.strip() for part in re.split(r"(?<=[.;!?])\s+", arrival.presentation) if part.strip()]
    return [arrival.chief_complaint, *sentences, *arrival.findings]


def life_saving_reasons(arrival: Arrival) -> list[str]:
    """Decision point A: the facts that show the patient needs an immediate life-saving intervention.

    The handbook's prompts at A: intubated, apnoeic, pulseless, severe respiratory distress, SpO2 < 90%, acute
    mental status change or unresponsive (P or U on AVPU), hypotension with signs of hypoperfusion, and conditions
    needing the listed medications (hypoglycaemia with altered mental status needs D50); and the ESI 1 conditions of
    the handbook's table 6-2: hypoventilation (respiratory rate < 10/min), shock with hypoperfusion in a child before
    the blood pressure falls, and anaphylaxis with respiratory compromise.
    """
    v = arrival.vitals
    text = arrival_text(arrival)
    reasons = [f"{finding} -> {why}" for finding, why in LSI_FINDINGS.items() if finding in arrival.findings]
    arrest = next((t for t in text if _affirmed(ARREST_TEXT, t)), None)
    if arrest:
        reasons.append(f"intubated, apnoeic or pulseless ({arrest}) -> resuscitation now (ESI handbook ch. 3)")
    if v.spo2_percent < 90:
        reasons.append(f"SpO2 {v.spo2_percent}% < 90% -> emergent oxygenation/ventilation")
    if v.respiratory_rate_per_min < HYPOVENTILATION_RR or any(_affirmed(HYPOVENTILATION_TEXT, t) for t in text):
        reasons.append(
            f"hypoventilation (respiratory rate {v.respiratory_rate_per_min}/min, < {HYPOVENTILATION_RR} or "
            "described) -> bag-valve-mask ventilation (ESI handbook table 6-2)"
        )
    if arrival.mental_status in ("pain", "unresponsive"):
        avpu = "P" if arrival.mental_status == "pain" else "U"
        reasons.append(f"unresponsive ({avpu} on AVPU) -> airway protection and immediate physician evaluation")
    threshold = hypotension_threshold(arrival.age_days)
    if hypoperfused(arrival) and v.systolic_bp_mm_hg < threshold:
        reasons.append(
            f"hypotension for age (SBP {v.systolic_bp_mm_hg} < {threshold} mm Hg) with signs of hypoperfusion "
            f"(capillary refill {v.capillary_refill_s:g} s) -> significant IV fluid resuscitation"
        )
    elif paediatric_hypoperfusion(arrival):
        reasons.append(
            f"child in shock with hypoperfusion before hypotension (capillary refill {v.capillary_refill_s:g} s > "
            f"{PAEDIATRIC_CRT_S:g} s, heart rate {v.heart_rate_bpm}/min above the normal range for age) -> "
            "significant IV fluid resuscitation (ESI handbook table 6-2)"
        )
    if anaphylaxis_with_airway(arrival):
        reasons.append(
            "anaphylaxis with respiratory compromise (skin/mucosal involvement after "
            f"{arrival.allergy.allergen if arrival.allergy else 'an allergen'}) -> IM adrenaline at once (ESI "
            "handbook table 6-2; RCUK 2021)"
        )
    glucose = arrival.glucose_mg_dl
    if glucose is not None and glucose < HYPOGLYCAEMIA_MG_DL and arrival.mental_status != "alert":
        reasons.append(f"glucose {glucose} mg/dL with altered mental status -> IV dextrose (D50)")
    return reasons


# --- decision point B -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RedFlag:
    """A high-risk presentation (handbook, decision point B) and how to recognise it in free text.

    ``patterns`` are regular expressions that must all match within one segment of the arrival's text (the chief
    complaint, one sentence of the presentation, or one finding), so the rule reads what the nurse is told in any
    wording, not one fixed string; ``phrasings`` are wordings the generator uses (the first is the canonical one).
    """

    code: str
    phrasings: tuple[str, ...]
    patterns: tuple[str, ...]
    concern: str
    source: str

    @property
    def finding(self) -> str:
        return self.phrasings[0]


RED_FLAGS: tuple[RedFlag, ...] = (
    RedFlag(
        "acs_chest_pain",
        (
            "central chest pressure radiating to the arm or jaw, with sweating",
            "crushing chest pain spreading into the left arm, clammy and sweaty",
            "tight chest pain going up into the jaw, sweating heavily",
        ),
        (r"chest (pain|pressure|tightness)|crushing chest|tight chest", r"radiat|spread|arm|jaw|sweat|clammy|diaphor"),
        "possible acute coronary syndrome",
        HANDBOOK + ", ch. 4 (chest pain suspicious for ACS); "
        "Gulati M et al. 2021 AHA/ACC chest pain guideline, Circulation 2021;144:e368-e454",
    ),
    RedFlag(
        "focal_deficit",
        (
            "sudden one-sided weakness, facial droop or speech disturbance",
            "suddenly could not lift one arm and the speech became slurred",
            "face dropped on one side and the words came out wrong, all of a sudden",
        ),
        (r"sudden|abrupt", r"weak|droop|dropped|slurred|speech|words came out wrong|could not lift"),
        "possible acute stroke",
        HANDBOOK + ", ch. 4 (signs of stroke); Powers WJ et al. AHA/ASA 2019 "
        "acute ischemic stroke guideline, Stroke 2019;50:e344-e418",
    ),
    RedFlag(
        "thunderclap_headache",
        (
            "sudden severe 'worst ever' headache, maximal within a minute",
            "thunderclap headache, the worst of their life",
            "headache like being hit on the back of the head, worst ever, peaked within seconds",
        ),
        (r"headache", r"worst|thunderclap|maximal within|peaked within"),
        "possible subarachnoid haemorrhage",
        HANDBOOK + ", ch. 4 (sudden severe headache)",
    ),
    RedFlag(
        "suicidal_plan",
        (
            "suicidal thoughts with a plan",
            "wants to end their life and has made a plan",
            "has planned how to kill themself",
        ),
        (r"suicid|end (their|his|her|my) life|kill (themself|themselves|himself|herself|myself)", r"plan"),
        "risk of self-harm",
        HANDBOOK + ", ch. 4 (suicidal or homicidal patients are high risk)",
    ),
    RedFlag(
        "intentional_overdose",
        (
            "intentional overdose taken within the last few hours",
            "took a deliberate overdose of tablets this morning",
            "swallowed a bottle of pills on purpose a few hours ago",
        ),
        (r"overdose|tablets|pills", r"intentional|deliberate|on purpose"),
        "delayed toxicity and risk of self-harm",
        HANDBOOK + ", ch. 4 (overdose)",
    ),
    RedFlag(
        "testicular_pain",
        (
            "sudden severe testicular pain",
            "abrupt, severe pain in one testicle",
            "sudden agonising scrotal pain",
        ),
        (r"testic|scrot", r"sudden|abrupt", r"severe|agonising|excruciating"),
        "possible testicular torsion: organ-threatening within hours",
        HANDBOOK + ", ch. 4 (testicular torsion)",
    ),
    RedFlag(
        "ectopic_features",
        (
            "positive pregnancy test with lower abdominal pain and vaginal bleeding",
            "positive home pregnancy test, one-sided pelvic pain and spotting",
            "pregnant by a home test, with lower abdominal pain and some bleeding",
        ),
        (r"pregnan", r"abdominal pain|pelvic pain", r"bleed|spotting"),
        "possible ectopic pregnancy",
        HANDBOOK + ", ch. 4 (possible ectopic pregnancy)",
    ),
    RedFlag(
        "neutropenic_fever",
        (
            "fever within 6 weeks of chemotherapy",
            "feverish, last chemotherapy cycle 10 days ago",
            "high temperature while on chemotherapy for cancer",
        ),
        (r"fever|temperature", r"chemo"),
        "possible neutropenic sepsis",
        HANDBOOK + ", ch. 4 (immunocompromised patient with fever); NICE CG151 Neutropenic sepsis, 2012 (updated 2020)",
    ),
    RedFlag(
        "high_energy_mechanism",
        (
            "high-energy mechanism of injury",
            "injured in a high-speed impact",
            "violent high-energy impact at the scene",
        ),
        (r"high[- ](energy|speed)",),
        "occult major injury",
        HANDBOOK + ", ch. 4 (high-risk mechanism of injury); Newgard CD et al. National "
        "Guideline for the Field Triage of Injured Patients, J Trauma Acute Care Surg 2022;93:e49-e60",
    ),
    RedFlag(
        "anticoagulated_head_injury",
        (
            "head strike while taking an anticoagulant",
            "hit the head and is on warfarin",
            "banged the head on a door frame, takes apixaban",
        ),
        (r"head", r"anticoagul|warfarin|apixaban|rivaroxaban|edoxaban|dabigatran"),
        "intracranial haemorrhage",
        HANDBOOK + ", ch. 4 (high-risk situation); ACS 2021 field triage (EMS "
        "judgement: anticoagulant use); NICE NG232 Head injury, 2023 (CT within 8 h if anticoagulated)",
    ),
    RedFlag(
        "gi_bleed_syncope",
        (
            "vomiting blood or black stools, with fainting",
            "passed black tarry stools and collapsed at home",
            "vomited fresh blood and then fainted",
        ),
        (r"vomit\w* (fresh )?blood|black (tarry )?stools|melaena|haematemesis", r"faint|collaps|syncop|passed out"),
        "significant gastrointestinal haemorrhage",
        HANDBOOK + ", ch. 4 (GI bleeding with signs of volume loss)",
    ),
    RedFlag(
        "pe_features",
        (
            "pleuritic chest pain and breathlessness after recent surgery or immobilisation",
            "sharp pain on breathing in and short of breath, two weeks after an operation",
            "breathless with pleuritic pain since a long-haul flight",
        ),
        (r"pleuritic|pain on breathing", r"breath", r"surgery|operation|immobili|flight"),
        "possible pulmonary embolism",
        HANDBOOK + ", ch. 4 (possible pulmonary embolism)",
    ),
    RedFlag(
        "chemical_eye",
        (
            "chemical splash to the eye",
            "bleach splashed into the eye",
            "oven cleaner sprayed in the eye",
        ),
        (r"\beyes?\b", r"chemical|bleach|alkali|acid|cleaner"),
        "sight-threatening chemical burn needing immediate irrigation",
        HANDBOOK + ", ch. 4 (chemical splash to the eyes)",
    ),
)
RED_FLAG_BY_CODE = {flag.code: flag for flag in RED_FLAGS}
_COMPILED = {flag.code: tuple(re.compile(p, re.IGNORECASE) for p in flag.patterns) for flag in RED_FLAGS}
_NEGATION = re.compile(r"\b(no|not|denies|denied|without|never)\b[^.;,]{0,25}$", re.IGNORECASE)


def _affirmed(pattern: re.Pattern[str], segment: str) -> bool:
    """The pattern occurs in the segment and is not negated just before ('no chest pain', 'denies weakness')."""
    return any(not _NEGATION.search(segment[: m.start()]) for m in pattern.finditer(segment))


def red_flags_in(segments: list[str]) -> list[tuple[RedFlag, str]]:
    """Every red flag whose patterns all match one segment of free text, with that segment."""
    out = []
    for flag in RED_FLAGS:
        hit = next((seg for seg in segments if all(_affirmed(p, seg) for p in _COMPILED[flag.code])), None)
        if hit is not None:
            out.append((flag, hit))
    return out


def high_risk_reasons(arrival: Arrival) -> list[str]:
    """Decision point B: high-risk situations, new confusion/lethargy/disorientation, severe pain or distress.

    - a high-risk presentation from the handbook's examples (``RED_FLAGS``), recognised in the free text of the
      chief complaint, the presentation and the findings;
    - febrile neonate (<= 28 days, > 38.0 C): the handbook says assign at least ESI 2;
    - febrile infant 1-3 months (> 38.0 C): the handbook says consider ESI 2; here always ESI 2, as febrile young
      infants need a full sepsis evaluation (Pantell RH et al. AAP febrile infant guideline, Pediatrics 2021;148);
    - new confusion (C) or lethargy (V on AVPU);
    - severe pain/distress: a rating >= 7/10 together with observed severe distress. A rating alone does not
      qualify: the handbook asks the nurse to confirm it by observation (the 10/10 patient eating ice cream is not
      ESI 2).
    """
    reasons = [f"high-risk: {flag.concern} ({text})" for flag, text in red_flags_in(arrival_text(arrival))]
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
