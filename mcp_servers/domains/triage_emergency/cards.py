"""Complaint cards and the presentations (scenarios) the arrival generator draws from.

A complaint card is what a triage nurse looks up for a chief complaint: what the presentation looks like, its red
flags, and the work-up the ED usually needs. A scenario is one way a complaint presents: the facts it fixes (age
range, vital-sign profile, findings, work-up, family-specific facts). Scenarios never state a triage level or a
protocol decision; ``levels`` only records which ESI levels the scenario is built to produce, and the generator checks
the level computed by ``esi.assess`` against it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from healthgym.mcp_servers.domains.triage_emergency.esi import DAYS_PER_YEAR, HANDBOOK, SEVERE_RESPIRATORY_DISTRESS
from healthgym.mcp_servers.domains.triage_emergency.models import Appearance, MentalStatus, Sex

# --- ages -------------------------------------------------------------------------------------------------------------

AgeSpan = tuple[int, int]
"""Inclusive range of ages in days."""

NEONATE: AgeSpan = (5, 27)
YOUNG_INFANT: AgeSpan = (35, 85)
TODDLER: AgeSpan = (100, 1050)
"""3 completed months to under 3 years: the '3 months - 3 years' danger-zone row, away from both edges."""
CHILD: AgeSpan = (1135, 3210)
"""3 to 8 completed years."""
OLDER_CHILD: AgeSpan = (3325, 5800)
"""9 to 15 years."""


def years(lo: float, hi: float) -> AgeSpan:
    return int(lo * DAYS_PER_YEAR), int((hi + 1) * DAYS_PER_YEAR) - 1


ADULT = years(18, 64)
OLDER = years(65, 92)

# --- vital-sign profiles -----------------------------------------------------------------------------------------

VitalSpec = tuple[float, float] | str
"""``(lo, hi)``: drawn uniformly; ``"normal"``: the age-normal range; ``"hypotensive"``: below the PALS/adult
hypotension threshold for age; ``"dz"``: set by the task plan either inside or outside the ESI danger zone."""


@dataclass(frozen=True)
class Scenario:
    """One presentation of a chief complaint."""

    code: str
    card: str
    complaint: str
    ages: tuple[AgeSpan, ...]
    presentation: tuple[str, ...]
    workup: tuple[str, ...]
    levels: tuple[int, ...]
    findings: tuple[str, ...] = ()
    red_flags: tuple[str, ...] = ()
    lsi: tuple[str, ...] = ()
    vitals: Mapping[str, VitalSpec] = field(default_factory=dict)
    mental: tuple[MentalStatus, ...] = ("alert",)
    appearance: tuple[Appearance, ...] = ("no distress", "mild distress")
    pain: tuple[int, int] = (0, 2)
    sex: Sex | None = None
    modes: tuple[str, ...] = ("walk-in", "private vehicle")
    history: tuple[str, ...] = ()
    medications: tuple[str, ...] = ()
    glucose: tuple[int, int] | None = None
    gcs: tuple[tuple[int, int], tuple[int, int], tuple[int, int]] | None = None
    """(eye, verbal, motor) ranges overriding the ones implied by the mental status."""
    spo2_target: str = ""
    family: str = ""
    """'cardiac', 'stroke', 'infection', 'allergy', 'trauma' or 'child_fever': builds the matching fact block."""
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def danger_controlled(self) -> bool:
        return any(spec == "dz" for spec in self.vitals.values())


DZ = {"hr": "dz", "rr": "dz", "spo2": "dz"}
"""Heart rate, respiratory rate and SpO2 all set by the task plan (respiratory and infective presentations)."""
DZ_HR_RR = {"hr": "dz", "rr": "dz"}
FEVER = (38.3, 39.6)
SHOCK = {"sbp": "hypotensive", "crt": (3.5, 5.5)}
COOL = "pale, cool, clammy skin"
MOTTLED = "mottled peripheries"

SCENARIOS: tuple[Scenario, ...] = (
    # ---------------------------------------------------------------- decision point A: life-saving intervention
    Scenario(
        "anaphylactic_shock",
        "allergic_reaction",
        "allergic reaction",
        (ADULT,),
        (
            "Collapsed {onset} min after {allergen}; itchy rash spreading over the body.",
            "Sudden swelling of the lips and a rash {onset} min after {allergen}, then felt faint.",
        ),
        ("IM adrenaline", "IV fluid bolus", "nebulised bronchodilators", "CBC and metabolic panel"),
        (1,),
        findings=("generalised hives", "lip and tongue swelling", "audible wheeze", COOL),
        vitals={**SHOCK, "hr": (118, 142), "rr": (24, 30), "spo2": (90, 94)},
        mental=("alert", "new_confusion"),
        appearance=("severe distress",),
        pain=(2, 5),
        modes=("ambulance",),
        family="allergy",
        params={"skin": True, "resp": True, "gi": False},
    ),
    Scenario(
        "anaphylactic_shock_child",
        "allergic_reaction",
        "allergic reaction",
        (CHILD,),
        ("Vomiting, a spreading rash and pale {onset} min after eating {allergen}.",),
        ("IM adrenaline", "IV fluid bolus", "CBC and metabolic panel"),
        (1,),
        findings=("generalised hives", "facial swelling", "repeated vomiting", COOL),
        vitals={**SHOCK, "hr": (135, 160), "rr": (26, 30), "spo2": (92, 95)},
        appearance=("severe distress",),
        pain=(2, 5),
        modes=("ambulance", "private vehicle"),
        family="allergy",
        params={"skin": True, "resp": False, "gi": True, "allergens": ("peanuts", "cashew nuts")},
    ),
    Scenario(
        "septic_shock",
        "fever_adult",
        "fever and confusion",
        (ADULT, OLDER),
        ("Two days of fever and {source_symptom}; today drowsy and confused, per family.",),
        ("blood cultures and lactate", "CBC and metabolic panel", "IV fluid bolus", "IV antibiotics", "chest X-ray"),
        (1,),
        findings=(MOTTLED, "warm to the touch centrally"),
        vitals={**SHOCK, "hr": (115, 138), "rr": (24, 32), "spo2": (90, 94), "temp": FEVER},
        mental=("new_confusion",),
        appearance=("moderate distress", "severe distress"),
        pain=(0, 3),
        modes=("ambulance",),
        family="infection",
        params={"wbc": (16.0, 26.0)},
    ),
    Scenario(
        "haemorrhagic_trauma",
        "major_trauma",
        "injury",
        (ADULT,),
        ("{mechanism}; bleeding heavily at the scene.",),
        ("trauma team", "coagulation screen and group and crossmatch", "trauma CT (head to pelvis)", "IV fluid bolus"),
        (1,),
        findings=(COOL, "anxious and restless"),
        vitals={**SHOCK, "hr": (125, 145), "rr": (22, 28), "spo2": (94, 98)},
        mental=("alert", "new_confusion"),
        appearance=("severe distress",),
        pain=(7, 10),
        modes=("ambulance", "helicopter"),
        family="trauma",
        params={
            "mechanisms": ("Stabbed in the abdomen", "Stabbed in the chest"),
            "penetrating": True,
            "injuries": ("penetrating injury to the torso",),
        },
    ),
    Scenario(
        "opioid_overdose",
        "overdose_poisoning",
        "found unresponsive",
        (ADULT,),
        ("Found slumped by friends with drug paraphernalia nearby.", "Found unresponsive in a public toilet."),
        ("venous blood gas and ketones", "paracetamol and salicylate levels", "12-lead ECG"),
        (1,),
        findings=("pinpoint pupils", "snoring respirations"),
        vitals={"rr": (4, 7), "spo2": (78, 88), "hr": (55, 72), "sbp": (100, 125)},
        mental=("pain", "unresponsive"),
        appearance=("no distress",),
        pain=(0, 0),
        modes=("ambulance",),
    ),
    Scenario(
        "severe_asthma",
        "breathing_difficulty",
        "shortness of breath",
        (years(18, 45), OLDER_CHILD),
        ("Known asthmatic, wheezy for a day and worse despite the inhaler.",),
        ("nebulised bronchodilators", "venous blood gas and ketones", "chest X-ray"),
        (1,),
        lsi=(SEVERE_RESPIRATORY_DISTRESS,),
        findings=("widespread wheeze",),
        vitals={"spo2": (85, 89), "rr": (32, 40), "hr": (118, 140)},
        appearance=("severe distress",),
        pain=(0, 3),
        modes=("ambulance", "private vehicle"),
        history=("asthma, two previous admissions",),
        medications=("salbutamol inhaler", "beclometasone inhaler"),
    ),
    Scenario(
        "hypoglycaemia",
        "diabetes_problem",
        "confusion",
        (ADULT, OLDER),
        ("Partner found them sweaty and talking nonsense; took insulin but skipped dinner.",),
        ("CBC and metabolic panel",),
        (1,),
        findings=("sweaty",),
        vitals={"hr": (88, 100)},
        mental=("new_confusion", "voice"),
        appearance=("mild distress",),
        glucose=(28, 52),
        modes=("ambulance",),
        history=("type 1 diabetes",),
        medications=("insulin glargine", "insulin aspart"),
    ),
    Scenario(
        "severe_head_injury",
        "head_injury",
        "head injury",
        (ADULT, OLDER),
        ("{mechanism}; not woken up properly since.",),
        ("CT head", "neurosurgical consultation", "trauma team", "CBC and metabolic panel"),
        (1,),
        findings=("boggy scalp swelling", "unequal pupils"),
        vitals={"sbp": (150, 180), "hr": (55, 72), "rr": (12, 18)},
        mental=("pain",),
        appearance=("no distress",),
        pain=(0, 0),
        gcs=((1, 2), (2, 2), (4, 5)),
        modes=("ambulance",),
        family="trauma",
        params={"mechanisms": ("Fell down a flight of stairs", "Assaulted with a bat")},
    ),
    Scenario(
        "heart_block",
        "syncope_dizziness",
        "dizziness",
        (OLDER,),
        ("Dizzy and nearly fainted twice today; feels weak.",),
        ("12-lead ECG", "CBC and metabolic panel", "cardiology consultation"),
        (1,),
        findings=(COOL, "pulse slow and regular", "monitor: complete heart block"),
        vitals={**SHOCK, "hr": (28, 38), "rr": (16, 20)},
        mental=("alert", "new_confusion"),
        appearance=("moderate distress",),
        modes=("ambulance",),
        history=("hypertension",),
        medications=("amlodipine",),
    ),
    Scenario(
        "status_epilepticus",
        "seizure",
        "seizure",
        (ADULT, CHILD),
        ("Seizure started at home about 15 minutes ago and has not stopped.",),
        ("IV anticonvulsant", "CBC and metabolic panel", "CT head"),
        (1,),
        lsi=("actively seizing on arrival, seizure lasting more than 5 minutes",),
        vitals={"spo2": (90, 94), "hr": "normal"},
        glucose=(90, 140),
        mental=("unresponsive",),
        appearance=("no distress",),
        gcs=((1, 1), (1, 2), (1, 3)),
        modes=("ambulance",),
        history=("epilepsy",),
        medications=("levetiracetam",),
    ),
    Scenario(
        "infant_septic",
        "fever_child",
        "floppy and feverish",
        (TODDLER,),
        ("Fever since yesterday; now floppy and hard to wake.",),
        ("blood cultures and lactate", "CBC and metabolic panel", "IV fluid bolus", "IV antibiotics"),
        (1,),
        findings=(MOTTLED, "non-blanching rash on the legs"),
        vitals={"crt": (4.0, 5.5), "hr": (170, 195), "rr": (42, 55), "temp": (39.2, 40.2)},
        mental=("pain",),
        appearance=("no distress",),
        gcs=((2, 2), (2, 3), (4, 4)),
        modes=("ambulance", "private vehicle"),
        family="infection",
        params={"sources": ("no clear source",)},
    ),
    # ---------------------------------------------------------------- decision point B: high risk
    Scenario(
        "stemi",
        "chest_pain",
        "chest pain",
        (years(40, 64), OLDER),
        ("Central chest pain started {onset} ago while {activity}.",),
        (
            "12-lead ECG",
            "troponin",
            "CBC and metabolic panel",
            "cardiology consultation",
            "IV antiplatelet and anticoagulant therapy",
        ),
        (2,),
        red_flags=("acs_chest_pain",),
        findings=("nausea",),
        appearance=("moderate distress", "severe distress"),
        pain=(5, 9),
        modes=("ambulance", "walk-in"),
        family="cardiac",
        params={"kind": "stemi"},
    ),
    Scenario(
        "stemi_subthreshold",
        "chest_pain",
        "chest pain",
        (years(30, 64), OLDER),
        ("Chest tightness for {onset}, came on while {activity}.",),
        ("12-lead ECG", "troponin", "CBC and metabolic panel", "cardiology consultation"),
        (2,),
        red_flags=("acs_chest_pain",),
        appearance=("mild distress", "moderate distress"),
        pain=(4, 7),
        modes=("walk-in", "ambulance"),
        family="cardiac",
        params={"kind": "subthreshold"},
    ),
    Scenario(
        "acs_chest_pain",
        "chest_pain",
        "chest pain",
        (years(35, 64), OLDER),
        ("Intermittent central chest pain over {onset}, now easing.", "Chest pain on exertion, began {onset} ago."),
        ("12-lead ECG", "troponin", "CBC and metabolic panel", "chest X-ray"),
        (2,),
        red_flags=("acs_chest_pain",),
        appearance=("mild distress", "moderate distress"),
        pain=(2, 6),
        family="cardiac",
        params={"kind": "acs"},
    ),
    Scenario(
        "chest_pain_low_risk",
        "chest_pain",
        "chest pain",
        (years(18, 39),),
        ("Sharp left-sided chest pain for {onset}, worse when pressing on the chest wall.",),
        ("12-lead ECG", "troponin", "chest X-ray"),
        (2, 3),
        findings=("pain reproducible on palpation",),
        vitals=DZ,
        appearance=("no distress", "mild distress"),
        pain=(2, 5),
        family="cardiac",
        params={"kind": "low_risk"},
    ),
    Scenario(
        "stroke_acute",
        "stroke_symptoms",
        "weakness",
        (years(45, 64), OLDER),
        ("Family noticed {deficit_lower} {lkw} ago.",),
        ("CT head", "CT angiography of head and neck", "CBC and metabolic panel", "stroke team consultation"),
        (2,),
        red_flags=("focal_deficit",),
        vitals={"sbp": (150, 190)},
        appearance=("mild distress",),
        glucose=(85, 180),
        modes=("ambulance", "private vehicle"),
        family="stroke",
        params={"lkw": (0.5, 4.0)},
        history=("hypertension", "atrial fibrillation"),
        medications=("ramipril",),
    ),
    Scenario(
        "stroke_late",
        "stroke_symptoms",
        "weakness",
        (OLDER,),
        ("Has had {deficit_lower} since the day before yesterday; came when it did not improve.",),
        ("CT head", "CBC and metabolic panel", "MRI brain", "stroke team consultation"),
        (2,),
        red_flags=("focal_deficit",),
        vitals={"sbp": (145, 180)},
        appearance=("no distress", "mild distress"),
        glucose=(85, 180),
        family="stroke",
        params={"lkw": (30.0, 60.0)},
        history=("hypertension", "type 2 diabetes"),
    ),
    Scenario(
        "sepsis_confused",
        "fever_adult",
        "fever and confusion",
        (OLDER,),
        ("Fever and {source_symptom} for two days; more muddled than usual since this morning.",),
        (
            "blood cultures and lactate",
            "CBC and metabolic panel",
            "urinalysis and urine culture",
            "IV antibiotics",
            "chest X-ray",
        ),
        (2,),
        vitals={"temp": FEVER, "hr": (92, 112), "rr": (18, 24), "sbp": (100, 135), "spo2": (93, 97)},
        mental=("new_confusion",),
        appearance=("mild distress",),
        modes=("ambulance", "private vehicle"),
        family="infection",
        params={"wbc": (12.5, 21.0)},
    ),
    Scenario(
        "neutropenic_fever",
        "fever_adult",
        "fever",
        (years(25, 75),),
        ("Feverish and shivery since last night; on chemotherapy for {cancer}.",),
        ("blood cultures and lactate", "CBC and metabolic panel", "IV antibiotics", "chest X-ray"),
        (2,),
        red_flags=("neutropenic_fever",),
        vitals={"temp": (38.2, 39.0), "hr": (80, 98), "rr": (14, 19)},
        family="infection",
        params={"chemo": True, "wbc": (0.3, 1.2), "sources": ("no clear source",)},
    ),
    Scenario(
        "suicidal",
        "mental_health",
        "suicidal thoughts",
        (ADULT, OLDER_CHILD),
        ("Brought in by a friend after sending goodbye messages.", "Says they cannot go on and has a plan."),
        ("psychiatry consultation", "CBC and metabolic panel"),
        (2,),
        red_flags=("suicidal_plan",),
        appearance=("moderate distress",),
        modes=("walk-in", "police"),
        history=("depression",),
    ),
    Scenario(
        "intentional_overdose",
        "overdose_poisoning",
        "overdose",
        (years(18, 50),),
        ("Took about {tablets} paracetamol tablets two hours ago after an argument.",),
        (
            "paracetamol and salicylate levels",
            "CBC and metabolic panel",
            "IV acetylcysteine if level above treatment line",
            "psychiatry consultation",
        ),
        (2,),
        red_flags=("intentional_overdose",),
        appearance=("mild distress", "moderate distress"),
    ),
    Scenario(
        "testicular_torsion",
        "testicular_pain",
        "testicular pain",
        (OLDER_CHILD, years(18, 25)),
        ("Woke with sudden severe pain in the left testicle and vomited.",),
        ("scrotal Doppler ultrasound", "urology consultation", "IV analgesia"),
        (2,),
        red_flags=("testicular_pain",),
        sex="male",
        appearance=("moderate distress", "severe distress"),
        pain=(6, 9),
    ),
    Scenario(
        "ectopic",
        "pregnancy_bleeding",
        "abdominal pain in pregnancy",
        (years(18, 40),),
        ("Seven weeks since the last period; lower abdominal pain and spotting today.",),
        (
            "serum hCG, CBC and blood group",
            "pelvic ultrasound",
            "gynaecology consultation",
            "point-of-care urine pregnancy test",
        ),
        (2,),
        red_flags=("ectopic_features",),
        sex="female",
        appearance=("mild distress", "moderate distress"),
        pain=(3, 6),
    ),
    Scenario(
        "thunderclap_headache",
        "headache",
        "headache",
        (years(25, 64),),
        ("Sudden explosive headache while {activity}, the worst of their life.",),
        ("CT head", "CBC and metabolic panel", "IV analgesia"),
        (2,),
        red_flags=("thunderclap_headache",),
        findings=("photophobia",),
        appearance=("moderate distress", "severe distress"),
        pain=(7, 10),
    ),
    Scenario(
        "high_mechanism",
        "major_trauma",
        "injury",
        (ADULT,),
        ("{mechanism}; walking at the scene, complains of {complaint_site} pain.",),
        ("trauma CT (head to pelvis)", "CBC and metabolic panel", "IV analgesia"),
        (2,),
        red_flags=("high_energy_mechanism",),
        appearance=("mild distress", "moderate distress"),
        pain=(3, 6),
        modes=("ambulance",),
        family="trauma",
        params={
            "mechanisms": (
                "Driver in a rollover crash at speed",
                "Motorcyclist thrown from the bike",
                "Pedestrian struck by a car at about 50 km/h",
                "Fell about 4 metres from scaffolding",
            ),
            "criteria": True,
        },
    ),
    Scenario(
        "anatomic_major_trauma",
        "major_trauma",
        "injury",
        (ADULT,),
        ("{mechanism}.",),
        ("trauma team", "trauma CT (head to pelvis)", "CBC and metabolic panel", "IV analgesia"),
        (2,),
        red_flags=("high_energy_mechanism",),
        appearance=("moderate distress",),
        pain=(5, 7),
        vitals={"sbp": (105, 135), "hr": (80, 98)},
        modes=("ambulance", "helicopter"),
        family="trauma",
        params={
            "mechanisms": (
                "Motorcyclist thrown from the bike",
                "Shot in the thigh",
                "Crushed between a forklift and a wall",
            ),
            "criteria": True,
            "anatomic": True,
        },
    ),
    Scenario(
        "anticoagulated_fall",
        "head_injury",
        "fall",
        (years(70, 92),),
        ("Tripped at home and hit the head on a table; no loss of consciousness.",),
        ("CT head", "CBC and metabolic panel"),
        (2,),
        red_flags=("anticoagulated_head_injury",),
        findings=("small forehead bruise",),
        vitals={"sbp": (125, 170)},
        modes=("ambulance", "private vehicle"),
        history=("atrial fibrillation",),
        medications=("apixaban",),
        family="trauma",
        params={"mechanisms": ("Ground-level fall with head strike",)},
    ),
    Scenario(
        "renal_colic_severe",
        "back_flank_pain",
        "flank pain",
        (years(25, 60),),
        ("Sudden severe right loin pain coming in waves, radiating to the groin.",),
        ("urinalysis and urine culture", "CT abdomen and pelvis", "IV analgesia", "CBC and metabolic panel"),
        (2,),
        findings=("writhing, cannot keep still", "vomiting"),
        appearance=("severe distress",),
        pain=(8, 10),
        vitals={"hr": (80, 99)},
    ),
    Scenario(
        "sickle_crisis",
        "pain_crisis",
        "pain crisis",
        (years(18, 35),),
        ("Known sickle cell disease; severe pain in the back and legs like previous crises.",),
        ("IV analgesia", "CBC and metabolic panel", "IV fluid bolus"),
        (2,),
        findings=("crying out with pain",),
        appearance=("severe distress",),
        pain=(8, 10),
        history=("sickle cell disease (HbSS)",),
        medications=("hydroxyurea", "folic acid"),
    ),
    Scenario(
        "allergic_airway",
        "allergic_reaction",
        "allergic reaction",
        (ADULT, CHILD),
        ("Hives and swollen lips {onset} min after {allergen}; now wheezy.",),
        ("IM adrenaline", "nebulised bronchodilators", "oral antihistamine"),
        (1,),
        findings=("hives and lip swelling", "audible wheeze"),
        vitals={"spo2": (93, 96)},
        appearance=("moderate distress",),
        pain=(0, 2),
        family="allergy",
        params={"skin": True, "resp": True, "gi": False},
    ),
    Scenario(
        "gi_bleed",
        "gi_bleeding",
        "vomiting blood",
        (OLDER,),
        ("Vomited blood twice this morning and fainted in the bathroom.",),
        (
            "CBC and metabolic panel",
            "coagulation screen and group and crossmatch",
            "IV fluid bolus",
            "surgical consultation",
        ),
        (2,),
        red_flags=("gi_bleed_syncope",),
        findings=("pale",),
        vitals={"hr": (92, 108), "sbp": (110, 128)},
        appearance=("mild distress",),
        history=("osteoarthritis",),
        medications=("ibuprofen",),
    ),
    Scenario(
        "pulmonary_embolism",
        "breathing_difficulty",
        "shortness of breath",
        (years(25, 60),),
        ("Breathless and sharp chest pain on breathing in, ten days after {surgery}.",),
        ("12-lead ECG", "CBC and metabolic panel", "CT pulmonary angiography"),
        (2,),
        red_flags=("pe_features",),
        vitals={"hr": (95, 112), "spo2": (93, 96)},
        appearance=("mild distress",),
        pain=(3, 6),
    ),
    Scenario(
        "chemical_eye",
        "eye_problem",
        "eye injury",
        (ADULT,),
        ("Splashed drain cleaner into the right eye ten minutes ago.",),
        ("eye irrigation", "ophthalmology consultation"),
        (2,),
        red_flags=("chemical_eye",),
        appearance=("moderate distress",),
        pain=(5, 7),
    ),
    Scenario(
        "neonatal_fever",
        "fever_child",
        "fever",
        (NEONATE,),
        ("Parents measured a fever this evening; feeding a little less.",),
        ("blood cultures and lactate", "urinalysis and urine culture", "CBC and metabolic panel", "IV antibiotics"),
        (2,),
        vitals={"temp": (38.2, 39.0)},
        appearance=("no distress",),
        family="child_fever",
        params={"sources": ("",)},
    ),
    Scenario(
        "young_infant_fever",
        "fever_child",
        "fever",
        (YOUNG_INFANT,),
        ("Hot to touch since this afternoon; otherwise feeding.",),
        ("urinalysis and urine culture", "blood cultures and lactate", "CBC and metabolic panel"),
        (2,),
        vitals={"temp": (38.2, 39.3)},
        appearance=("no distress",),
        family="child_fever",
        params={"sources": ("", "runny nose")},
    ),
    # ---------------------------------------------------------------- decision points C/D: two or more resources
    Scenario(
        "pneumonia",
        "fever_adult",
        "cough and fever",
        (ADULT, OLDER),
        ("Productive cough and fever for three days, breathless on stairs.",),
        ("chest X-ray", "CBC and metabolic panel", "blood cultures and lactate", "IV antibiotics"),
        (2, 3),
        findings=("crackles at the right base",),
        vitals={**DZ, "temp": FEVER},
        family="infection",
        params={"sources": ("community-acquired pneumonia",), "wbc": (11.0, 19.0)},
    ),
    Scenario(
        "pyelonephritis",
        "urinary_symptoms",
        "flank pain and fever",
        (years(18, 50),),
        ("Burning urine for three days, now fever and right loin pain.",),
        ("urinalysis and urine culture", "CBC and metabolic panel", "IV fluid bolus", "IV antibiotics"),
        (2, 3),
        findings=("right renal angle tenderness",),
        vitals={**DZ_HR_RR, "temp": FEVER},
        sex="female",
        pain=(3, 6),
        appearance=("mild distress", "moderate distress"),
        family="infection",
        params={"sources": ("urinary tract (pyelonephritis)",), "wbc": (12.5, 20.0)},
    ),
    Scenario(
        "cellulitis",
        "wound",
        "red swollen leg",
        (ADULT, OLDER),
        ("Spreading redness of the lower leg for three days despite oral antibiotics.",),
        ("CBC and metabolic panel", "IV antibiotics", "blood cultures and lactate"),
        (2, 3),
        findings=("hot, red, tender shin with a marked spreading edge",),
        vitals={**DZ_HR_RR, "temp": (37.6, 38.8)},
        pain=(3, 5),
        family="infection",
        params={"sources": ("skin and soft tissue (cellulitis)",)},
    ),
    Scenario(
        "copd_exacerbation",
        "breathing_difficulty",
        "shortness of breath",
        (OLDER,),
        ("More breathless than usual for two days with greener sputum.",),
        ("nebulised bronchodilators", "chest X-ray", "venous blood gas and ketones", "oral steroids"),
        (2, 3),
        findings=("prolonged expiration with scattered wheeze",),
        vitals={**DZ, "temp": (36.6, 37.9)},
        spo2_target="88-92%",
        history=("COPD with hypercapnic respiratory failure, target SpO2 88-92%",),
        medications=("tiotropium", "salbutamol inhaler"),
        appearance=("mild distress",),
    ),
    Scenario(
        "appendicitis",
        "abdominal_pain",
        "abdominal pain",
        (years(18, 45), OLDER_CHILD),
        ("Pain started around the navel yesterday and moved to the right lower abdomen; off food.",),
        ("CBC and metabolic panel", "CT abdomen and pelvis", "IV fluid bolus", "IV analgesia", "surgical consultation"),
        (2, 3),
        findings=("tender in the right iliac fossa",),
        vitals={**DZ_HR_RR, "temp": (37.4, 38.4)},
        pain=(4, 6),
        appearance=("mild distress", "moderate distress"),
    ),
    Scenario(
        "cholecystitis",
        "abdominal_pain",
        "abdominal pain",
        (years(35, 75),),
        ("Constant right upper abdominal pain since a fatty meal last night, with nausea.",),
        ("CBC and metabolic panel", "lipase and liver panel", "right upper quadrant ultrasound", "IV analgesia"),
        (2, 3),
        findings=("tender right upper quadrant, positive Murphy's sign",),
        vitals={**DZ_HR_RR, "temp": (37.2, 38.4)},
        pain=(4, 6),
        appearance=("mild distress", "moderate distress"),
    ),
    Scenario(
        "renal_colic",
        "back_flank_pain",
        "flank pain",
        (years(25, 60),),
        ("Left loin pain on and off since this morning, radiating to the groin.",),
        ("urinalysis and urine culture", "CT abdomen and pelvis", "IV analgesia"),
        (2, 3),
        vitals=DZ_HR_RR,
        pain=(4, 6),
        appearance=("mild distress", "moderate distress"),
    ),
    Scenario(
        "syncope",
        "syncope_dizziness",
        "fainted",
        (OLDER,),
        ("Fainted while standing in a queue; back to normal within a minute.",),
        ("12-lead ECG", "CBC and metabolic panel"),
        (2, 3),
        vitals=DZ,
        history=("hypertension",),
        medications=("bendroflumethiazide",),
    ),
    Scenario(
        "dka",
        "diabetes_problem",
        "vomiting",
        (years(18, 40),),
        ("Vomiting and thirsty for a day; ran out of insulin.",),
        ("venous blood gas and ketones", "CBC and metabolic panel", "IV fluid bolus", "IV insulin infusion"),
        (2, 3),
        findings=("dry mucous membranes", "ketotic breath"),
        vitals=DZ_HR_RR,
        glucose=(380, 560),
        history=("type 1 diabetes",),
        medications=("insulin glargine", "insulin aspart"),
    ),
    Scenario(
        "dehydration_child",
        "vomiting_diarrhoea_child",
        "vomiting and diarrhoea",
        (TODDLER, CHILD),
        ("Vomiting and diarrhoea for two days, not keeping fluids down, fewer wet nappies.",),
        ("CBC and metabolic panel", "IV fluid bolus", "IV antiemetic"),
        (2, 3),
        findings=("dry lips", "sunken eyes"),
        vitals={**DZ_HR_RR, "temp": (37.0, 38.0)},
        appearance=("mild distress",),
        glucose=(70, 110),
    ),
    Scenario(
        "forearm_fracture",
        "limb_injury",
        "arm injury",
        (CHILD, OLDER_CHILD, ADULT),
        ("Fell on an outstretched hand; the forearm looks bent.",),
        ("forearm X-ray", "procedural sedation and fracture reduction", "oral analgesia", "sling"),
        (2, 3),
        findings=("angulated forearm deformity, hand warm and pink",),
        vitals=DZ_HR_RR,
        pain=(5, 7),
        appearance=("moderate distress",),
    ),
    # ---------------------------------------------------------------- one resource
    Scenario(
        "ankle_injury",
        "limb_injury",
        "ankle injury",
        (ADULT, OLDER_CHILD),
        ("Twisted the ankle playing football; cannot bear weight.",),
        ("ankle X-ray", "splint and crutches", "oral analgesia"),
        (4,),
        findings=("tender over the lateral malleolus",),
        pain=(4, 8),
        appearance=("mild distress",),
    ),
    Scenario(
        "laceration",
        "wound",
        "cut",
        (ADULT, CHILD),
        ("Cut the {site} on {object} an hour ago; bleeding controlled with pressure.",),
        ("laceration repair", "tetanus immunisation", "simple wound care"),
        (4,),
        findings=("3 cm clean laceration",),
        pain=(2, 4),
    ),
    Scenario(
        "uti",
        "urinary_symptoms",
        "burning urine",
        (years(18, 50),),
        ("Burning and frequency of urine for two days; no fever, no loin pain.",),
        ("urinalysis and urine culture", "point-of-care urine pregnancy test", "prescription"),
        (4,),
        sex="female",
        pain=(1, 3),
    ),
    Scenario(
        "sore_throat",
        "sore_throat",
        "sore throat",
        (years(18, 30), OLDER_CHILD),
        ("Sore throat and fever for two days; swallowing fluids.",),
        ("throat swab culture", "oral antipyretic", "prescription"),
        (4,),
        findings=("red tonsils with exudate",),
        vitals={"temp": (37.6, 38.5)},
        pain=(3, 5),
    ),
    Scenario(
        "migraine",
        "headache",
        "headache",
        (years(18, 50),),
        ("Usual migraine since this morning with nausea; home medication has not worked.",),
        ("IM antiemetic and analgesic",),
        (4,),
        findings=("sitting quietly in a dark corner, chatting normally",),
        history=("migraine",),
        pain=(7, 8),
        appearance=("mild distress",),
    ),
    Scenario(
        "asthma_mild",
        "breathing_difficulty",
        "wheeze",
        (ADULT, CHILD, OLDER_CHILD),
        ("Wheezy since a cold started; inhaler helps for a few hours.",),
        ("nebulised salbutamol", "oral steroids"),
        (4,),
        findings=("mild expiratory wheeze, speaking in full sentences",),
        history=("asthma",),
        medications=("salbutamol inhaler",),
    ),
    Scenario(
        "toddler_fever_high",
        "fever_child",
        "fever",
        (TODDLER,),
        ("Fever since yesterday and pulling at the ear.",),
        ("oral antipyretic", "prescription"),
        (3,),
        vitals={"temp": (39.2, 39.9)},
        family="child_fever",
        params={"sources": ("red bulging ear drum",)},
    ),
    Scenario(
        "toddler_fever_no_source",
        "fever_child",
        "fever",
        (TODDLER,),
        ("Fever for a day; eating less, no cough or runny nose.",),
        ("urinalysis and urine culture", "oral antipyretic"),
        (3,),
        vitals={"temp": (38.3, 38.9)},
        family="child_fever",
        params={"sources": ("",)},
    ),
    Scenario(
        "toddler_fever_unimmunised",
        "fever_child",
        "fever",
        (TODDLER,),
        ("Runny nose and fever since this morning.",),
        ("oral antipyretic",),
        (3,),
        vitals={"temp": (38.3, 38.9)},
        family="child_fever",
        params={"sources": ("runny nose and cough",), "unimmunised": True},
    ),
    # ---------------------------------------------------------------- no resources
    Scenario(
        "toddler_fever_otitis",
        "fever_child",
        "fever",
        (TODDLER,),
        ("Runny nose, pulling at the ear, fever since last night.",),
        ("oral antipyretic", "prescription"),
        (5,),
        vitals={"temp": (38.2, 38.9)},
        family="child_fever",
        params={"sources": ("red bulging ear drum",)},
    ),
    Scenario(
        "poison_ivy",
        "rash",
        "itchy rash",
        (CHILD, OLDER_CHILD, ADULT),
        ("Itchy blistering rash on the arms after clearing brush yesterday.",),
        ("prescription",),
        (5,),
        findings=("linear vesicles on both forearms",),
    ),
    Scenario(
        "medication_refill",
        "medication_request",
        "ran out of medication",
        (years(40, 70),),
        ("Ran out of blood pressure tablets yesterday; doctor's office closed.",),
        ("prescription refill",),
        (5,),
        vitals={"sbp": (146, 158)},
        history=("hypertension",),
        medications=("amlodipine",),
    ),
    Scenario(
        "common_cold",
        "cough_cold",
        "cough and cold",
        (ADULT,),
        ("Runny nose, sneezing and a dry cough for three days.",),
        ("oral antipyretic",),
        (5,),
    ),
    Scenario(
        "suture_removal",
        "wound",
        "suture removal",
        (ADULT, CHILD),
        ("Here to have stitches taken out, placed ten days ago.",),
        ("suture removal and dressing",),
        (5,),
        findings=("healed wound, no redness",),
    ),
    Scenario(
        "insect_bite",
        "rash",
        "insect bite",
        (ADULT, CHILD),
        ("Swollen itchy bite on the forearm since yesterday.",),
        ("oral antihistamine",),
        (5,),
        findings=("4 cm red itchy swelling around a bite, no other symptoms",),
    ),
    Scenario(
        "dental_pain",
        "dental_pain",
        "toothache",
        (ADULT,),
        ("Toothache in a lower molar for three days.",),
        ("oral analgesia", "phone call to primary care physician"),
        (5,),
        pain=(4, 6),
        appearance=("mild distress",),
    ),
    Scenario(
        "urticaria",
        "allergic_reaction",
        "itchy rash",
        (ADULT, CHILD),
        ("Itchy raised rash since this morning; no swelling of the lips, no breathing trouble.",),
        ("oral antihistamine",),
        (5,),
        findings=("scattered wheals on the trunk",),
        family="allergy",
        params={"skin": True, "resp": False, "gi": False, "allergens": ("a new washing powder", "unknown")},
    ),
)
SCENARIO = {s.code: s for s in SCENARIOS}


# --- complaint cards --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """What triage needs to know about a chief complaint."""

    code: str
    title: str
    summary: str
    red_flags: tuple[str, ...]
    """Codes of ``esi.RED_FLAGS`` that belong to this complaint."""
    source: str = HANDBOOK


CARDS: tuple[Card, ...] = (
    Card(
        "chest_pain",
        "Chest pain",
        "Chest pain suspicious for acute coronary syndrome (pressure, radiation to arm or jaw, sweating, exertional) "
        "is a high-risk situation (ESI 2) even with normal vital signs. Obtain a 12-lead ECG within 10 minutes of "
        "arrival (AHA/ACC 2021) and activate the STEMI pathway when it meets STEMI criteria. Sharp chest-wall pain "
        "reproducible on palpation in a young patient without risk factors is not high risk; it usually needs an ECG "
        "and labs (ESI 3).",
        ("acs_chest_pain", "pe_features"),
    ),
    Card(
        "stroke_symptoms",
        "Weakness, facial droop or speech disturbance",
        "A sudden focal neurological deficit is a high-risk situation (ESI 2). Establish the last-known-well time "
        "and check glucose; a deficit within 24 hours of last known well activates the stroke pathway (AHA/ASA "
        "2019: IV thrombolysis to 4.5 h, thrombectomy to 24 h in selected patients).",
        ("focal_deficit",),
    ),
    Card(
        "breathing_difficulty",
        "Shortness of breath or wheeze",
        "Severe respiratory distress (single words, accessory muscles) or SpO2 below 90% needs immediate "
        "life-saving intervention (ESI 1). Pleuritic pain with breathlessness after surgery or immobility suggests "
        "pulmonary embolism (ESI 2). Mild wheeze needing one nebuliser is one resource (ESI 4). In COPD with a "
        "prescribed target of 88-92%, use the NEWS2 SpO2 scale 2.",
        ("pe_features",),
    ),
    Card(
        "abdominal_pain",
        "Abdominal pain",
        "Most abdominal pain needs labs, imaging and IV medication (ESI 3, or 2 with danger-zone vital signs). "
        "Severe pain with observed severe distress is ESI 2.",
        (),
    ),
    Card(
        "fever_adult",
        "Fever in an adult",
        "Fever with new confusion, hypotension or poor perfusion needs urgent sepsis care. Fever within 6 weeks of "
        "chemotherapy is possible neutropenic sepsis (ESI 2; antibiotics within 1 hour). Screen with NEWS2: a score "
        "of 5 or more with suspected infection triggers the sepsis pathway.",
        ("neutropenic_fever",),
    ),
    Card(
        "fever_child",
        "Fever in a child",
        "ESI paediatric fever considerations: 0-28 days with temperature > 38.0 C: at least ESI 2; 1-3 months "
        "> 38.0 C: ESI 2; 3 months-3 years: at least ESI 3 if temperature > 39.0 C, incomplete immunisations or no "
        "obvious source. A floppy, mottled child responding only to pain is ESI 1.",
        (),
    ),
    Card(
        "major_trauma",
        "Injury from a high-energy mechanism",
        "A high-energy mechanism is a high-risk situation (ESI 2). Hypotension with poor perfusion needs immediate "
        "resuscitation (ESI 1). ACS 2021 red criteria (penetrating torso injury, pelvic or two proximal long-bone "
        "fractures, SBP < 90, GCS motor < 6, RR < 10 or > 29, SpO2 < 90%) activate the major trauma team.",
        ("high_energy_mechanism",),
    ),
    Card(
        "head_injury",
        "Head injury",
        "Responding only to pain or less is ESI 1. A head strike while anticoagulated is high risk (ESI 2; CT "
        "within 8 hours, NICE NG232).",
        ("anticoagulated_head_injury",),
    ),
    Card(
        "allergic_reaction",
        "Allergic reaction",
        "Skin or mucosal signs with breathing difficulty, low blood pressure or severe gut symptoms is anaphylaxis "
        "(WAO 2020): IM adrenaline without delay. With shock, or with airway or breathing involvement, it is ESI 1 "
        "(ESI handbook table 6-2). Hives alone, without systemic features, is not anaphylaxis.",
        (),
    ),
    Card(
        "overdose_poisoning",
        "Overdose or poisoning",
        "An unresponsive patient or one with slow breathing needs naloxone or ventilation (ESI 1). Any intentional "
        "overdose is high risk (ESI 2) even when the patient looks well.",
        ("intentional_overdose",),
    ),
    Card("seizure", "Seizure", "A patient still seizing on arrival is in status epilepticus (ESI 1).", ()),
    Card(
        "headache",
        "Headache",
        "Sudden severe 'worst ever' headache is possible subarachnoid haemorrhage (ESI 2). A typical migraine "
        "needing one parenteral medication is ESI 4 even with a pain rating of 7 or 8 if the patient is not in "
        "severe distress.",
        ("thunderclap_headache",),
    ),
    Card(
        "syncope_dizziness",
        "Fainting or dizziness",
        "Bradycardia or hypotension with poor perfusion needs immediate intervention (ESI 1). Older patients with "
        "syncope need an ECG and labs (ESI 3, or 2 with danger-zone vital signs).",
        (),
    ),
    Card(
        "mental_health",
        "Mental health crisis",
        "Suicidal thoughts with a plan are a high-risk situation (ESI 2).",
        ("suicidal_plan",),
    ),
    Card(
        "testicular_pain",
        "Testicular pain",
        "Sudden severe testicular pain is possible torsion (ESI 2): the testis is salvageable for about 6 hours.",
        ("testicular_pain",),
    ),
    Card(
        "pregnancy_bleeding",
        "Abdominal pain or bleeding in early pregnancy",
        "A positive pregnancy test with abdominal pain and vaginal bleeding is possible ectopic pregnancy (ESI 2).",
        ("ectopic_features",),
    ),
    Card(
        "limb_injury",
        "Limb injury",
        "An X-ray alone is one resource (ESI 4); splints and crutches are not resources. A displaced fracture "
        "needing procedural sedation adds a complex procedure, which counts as two resources.",
        (),
    ),
    Card(
        "wound",
        "Wound or skin infection",
        "Laceration repair is a simple procedure (one resource); tetanus immunisation and simple wound care are "
        "not resources. Cellulitis needing IV antibiotics and labs is two resources.",
        (),
    ),
    Card(
        "urinary_symptoms",
        "Urinary symptoms",
        "Simple cystitis needs urine tests only (labs: one resource, ESI 4). Fever with loin pain suggests "
        "pyelonephritis, needing labs, IV fluids and IV antibiotics.",
        (),
    ),
    Card("sore_throat", "Sore throat", "A throat swab culture is one resource (labs), so ESI 4.", ()),
    Card("rash", "Rash or bite", "A rash needing examination and a prescription uses no resources (ESI 5).", ()),
    Card("medication_request", "Medication request", "A prescription refill is not a resource (ESI 5).", ()),
    Card("cough_cold", "Cough and cold", "Upper respiratory symptoms in a well adult need no resources (ESI 5).", ()),
    Card("dental_pain", "Dental pain", "Oral analgesia and referral are not resources (ESI 5).", ()),
    Card(
        "eye_problem",
        "Eye problem",
        "A chemical splash to the eye needs irrigation at once (high risk, ESI 2).",
        ("chemical_eye",),
    ),
    Card(
        "vomiting_diarrhoea_child",
        "Vomiting and diarrhoea in a child",
        "A dehydrated child needing labs and IV fluids uses two resources; compare heart and respiratory rates "
        "with the danger-zone row for the child's age.",
        (),
    ),
    Card(
        "diabetes_problem",
        "Diabetes problem",
        "Low glucose with altered mental status needs IV dextrose (ESI 1). Suspected DKA needs labs, IV fluids "
        "and insulin (ESI 3, or 2 with danger-zone vital signs).",
        (),
    ),
    Card(
        "back_flank_pain",
        "Back or flank pain",
        "Renal colic with observed severe distress and pain of 7 or more is ESI 2; otherwise labs, CT and IV "
        "analgesia make it ESI 3.",
        (),
    ),
    Card(
        "pain_crisis", "Pain crisis", "A sickle cell crisis with severe pain and observed severe distress is ESI 2.", ()
    ),
    Card(
        "gi_bleeding",
        "Gastrointestinal bleeding",
        "Vomiting blood or black stools with fainting is a high-risk situation (ESI 2).",
        ("gi_bleed_syncope",),
    ),
)
CARD = {c.code: c for c in CARDS}
