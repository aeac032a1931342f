"""The eight pathways: their investigations, the rule of each phase, and how a case of each is drawn.

Each pathway is a chain of phases over one patient: triage (a score from the calculators server), investigations
(ordered, their results then readable), diagnosis (a rule over the results), treatment (a rule over the diagnosis
and the contraindications found in earlier phases, with drug interactions checked against drug_interaction's rule
table), and disposition (a rule over the diagnosis and severity). The rules reuse the other domains' own code: the
scores are the calculators' functions, the pregnancy classification is obstetrics' ``hypertension.classify``, and
interactions are drug_interaction's ``assess_pair``.

Every threshold cites its source in the function that applies it. A draw keeps margins around every threshold it
samples near, so the gold is the unique answer of the rules, not a coin toss at a boundary.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from healthgym.mcp_servers.calculators.registry import get_calculator
from healthgym.mcp_servers.domains.cross_domain.patients import Patient, Value, Vitals
from healthgym.mcp_servers.domains.drug_interaction.knowledge import knowledge, normalize_name
from healthgym.mcp_servers.domains.drug_interaction.rules import assess_pair
from healthgym.mcp_servers.domains.obstetrics import hypertension as obstetric_hypertension

# ---------------------------------------------------------------------------------------------------------------------
# Shared rules


ScoreCall = tuple[str, dict[str, Value]]
"""A calculators-server tool and its arguments: the phase-1 score of a pathway is that call's ``value``."""


def calculate(call: ScoreCall) -> float:
    """The value of a calculator call, by the calculators' own function (what the calculators server returns)."""
    name, arguments = call
    return get_calculator(name).func(**arguments).value


def news2_call(p: Patient) -> ScoreCall:
    """NEWS2 (Royal College of Physicians 2017), scale 1, from the arrival vital signs."""
    return "news2", p.vitals.model_dump(exclude={"diastolic_bp_mm_hg"})


def news2_total(p: Patient) -> float:
    return calculate(news2_call(p))


def penicillin_allergic(p: Patient) -> bool:
    return "penicillin" in p.allergies


def asthmatic(p: Patient) -> bool:
    return "asthma" in p.conditions


@cache
def _drug(name: str):
    k = knowledge()
    return k.drugs[k.lookup[normalize_name(name)]]


def interacting(drug: str, medications: list[str]) -> list[str]:
    """Current medications with which ``drug`` has a major or contraindicated interaction (drug_interaction's
    ``assess_pair``: the curated table and the mechanism rules, e.g. CredibleMeds QT for fluoroquinolones)."""
    return [m for m in medications if assess_pair(_drug(drug), _drug(m)).severity in ("major", "contraindicated")]


def result(p: Patient, test: str, key: str) -> Value:
    return p.results[test][key]


# ---------------------------------------------------------------------------------------------------------------------
# Drawing helpers


def _vitals(
    rng: random.Random,
    *,
    hr=(70, 95),
    sbp=(115, 140),
    rr=(13, 18),
    spo2=(96, 99),
    temp=(36.5, 37.4),
    consciousness="alert",
    oxygen=False,
    dbp_gap=(35, 50),
) -> Vitals:
    systolic = rng.randint(*sbp)
    return Vitals(
        heart_rate_bpm=rng.randint(*hr),
        systolic_bp_mm_hg=systolic,
        diastolic_bp_mm_hg=max(30, systolic - rng.randint(*dbp_gap)),
        respiratory_rate_per_min=rng.randint(*rr),
        spo2_percent=rng.randint(*spo2),
        on_supplemental_oxygen=oxygen,
        temperature_c=round(rng.uniform(*temp), 1),
        consciousness=consciousness,
    )


def _labs(rng: random.Random, **over: float) -> dict[str, float]:
    base = {
        "hb_g_dl": round(rng.uniform(12.5, 15.5), 1),
        "wbc_10e9_l": round(rng.uniform(5.0, 10.0), 1),
        "platelets_10e9_l": float(rng.randint(170, 380)),
        "creatinine_mg_dl": round(rng.uniform(0.7, 1.05), 2),
        "urea_mmol_l": round(rng.uniform(3.5, 6.5), 1),
        "inr": round(rng.uniform(0.9, 1.15), 2),
        "glucose_mmol_l": round(rng.uniform(4.6, 7.2), 1),
    }
    return base | over


BACKGROUND_MEDS = (
    "atorvastatin",
    "metformin",
    "amlodipine",
    "ramipril",
    "omeprazole",
    "levothyroxine",
    "citalopram",
    "sertraline",
    "methadone",
    "ondansetron",
    "amiodarone",
    "bisoprolol",
)
QT_MEDS = ("citalopram", "methadone", "amiodarone", "ondansetron", "escitalopram", "haloperidol")


def _meds(rng: random.Random, k: tuple[int, int] = (0, 3), pool: tuple[str, ...] = BACKGROUND_MEDS) -> list[str]:
    return sorted(rng.sample(pool, rng.randint(*k)))


# ---------------------------------------------------------------------------------------------------------------------
# Pathway definition


@dataclass(frozen=True)
class Pathway:
    name: str
    title: str
    score_name: str
    """What the phase-1 number is, e.g. 'HEART score (calculators.heart_score)'."""
    score_tolerance: float
    tests: tuple[str, ...]
    diagnoses: tuple[str, ...]
    treatments: tuple[str, ...]
    dispositions: tuple[str, ...]
    score_call: Callable[[Patient], ScoreCall]
    """The calculators-server call whose value is the phase-1 score (``calculate`` gives the value)."""
    diagnose: Callable[[Patient], str]
    treat: Callable[[Patient, str], str]
    dispose: Callable[[Patient, str], str]
    draw: Callable[[random.Random, str, str], Patient]
    """``draw(rng, target_diagnosis, case_id)``: a patient whose rules should give ``target_diagnosis``."""
    sources: tuple[str, ...]


def _patient(case_id: str, pathway: str, **fields) -> Patient:
    fields.setdefault("conditions", [])
    fields.setdefault("medications", [])
    fields.setdefault("allergies", [])
    fields.setdefault("features", [])
    return Patient(case_id=case_id, pathway=pathway, **fields)


# --- chest pain -------------------------------------------------------------------------------------------------------

HEART_RISK = (
    "hypertension",
    "hypercholesterolaemia",
    "diabetes",
    "smoker",
    "family_history_premature_cvd",
    "obesity",
    "prior_myocardial_infarction",
)


def chest_heart_call(p: Patient) -> ScoreCall:
    """HEART score (Six 2008; Backus 2013); the ECG and troponin come from the investigations."""
    history = next(f for f in p.features if f.endswith("_suspicious"))
    c = set(p.conditions)
    return "heart_score", dict(
        history=history,
        ecg=str(result(p, "ecg", "category")),
        age_years=p.age_years,
        hypertension="hypertension" in c,
        hypercholesterolemia="hypercholesterolaemia" in c,
        diabetes="diabetes" in c,
        smoker="smoker" in c,
        family_history="family_history_premature_cvd" in c,
        obesity="obesity" in c,
        atherosclerotic_disease="prior_myocardial_infarction" in c,
        troponin_times_uln=float(result(p, "troponin", "troponin_times_uln")),
    )


def chest_heart(p: Patient) -> float:
    return calculate(chest_heart_call(p))


def chest_diagnose(p: Patient) -> str:
    """ESC 2014 aortic guidelines: exclude dissection before antithrombotics; ESC 2023 ACS: ST elevation -> STEMI;
    ESC 2019 PE: a CTPA filling defect confirms PE; a troponin above the 99th centile URL without ST elevation ->
    NSTEMI (4th universal definition); otherwise low-risk chest pain."""
    if result(p, "ct_aortogram", "intimal_flap"):
        return "aortic_dissection"
    if result(p, "ecg", "st_elevation"):
        return "stemi"
    if result(p, "ctpa", "filling_defect"):
        return "pulmonary_embolism"
    if float(result(p, "troponin", "troponin_times_uln")) > 1.0:
        return "nstemi"
    return "low_risk_chest_pain"


def chest_treat(p: Patient, dx: str) -> str:
    """ESC 2023: primary PCI for STEMI, DAPT + anticoagulation for NSTEMI; ESC 2014: BP control and surgery for type
    A dissection; ESC 2019: anticoagulation for PE; HEART <= 3 -> early discharge (Backus 2013), else observation."""
    if dx == "low_risk_chest_pain":
        return "discharge_with_followup" if chest_heart(p) <= 3 else "serial_troponin_observation"
    return {
        "stemi": "primary_pci",
        "nstemi": "dapt_anticoagulation",
        "aortic_dissection": "bp_control_surgical_referral",
        "pulmonary_embolism": "anticoagulation",
    }[dx]


def chest_dispose(p: Patient, dx: str) -> str:
    if dx == "low_risk_chest_pain":
        return "discharge" if chest_heart(p) <= 3 else "clinical_decision_unit"
    return {
        "stemi": "cath_lab",
        "nstemi": "coronary_care_unit",
        "aortic_dissection": "cardiothoracic_surgery",
        "pulmonary_embolism": "medical_ward",
    }[dx]


def chest_draw(rng: random.Random, dx: str, cid: str) -> Patient:
    age = rng.randint(35, 85)
    history = {
        "stemi": "highly_suspicious",
        "nstemi": rng.choice(["highly_suspicious", "moderately_suspicious"]),
        "aortic_dissection": "moderately_suspicious",
        "pulmonary_embolism": "slightly_suspicious",
        "low_risk_chest_pain": rng.choice(["slightly_suspicious", "moderately_suspicious"]),
    }[dx]
    features = [history]
    if dx == "aortic_dissection":
        features.append("tearing_pain_radiating_to_back")
    if dx == "pulmonary_embolism":
        features.append("pleuritic_pain_and_breathlessness")
    ecg = {
        "stemi": "significant_st_deviation",
        "nstemi": rng.choice(["significant_st_deviation", "nonspecific_repolarization"]),
        "aortic_dissection": rng.choice(["normal", "nonspecific_repolarization"]),
        "pulmonary_embolism": rng.choice(["normal", "nonspecific_repolarization"]),
        "low_risk_chest_pain": rng.choice(["normal", "normal", "nonspecific_repolarization"]),
    }[dx]
    trop = {
        "stemi": rng.uniform(3, 60),
        "nstemi": rng.uniform(1.6, 40),
        "aortic_dissection": rng.uniform(0.1, 0.8),
        "pulmonary_embolism": rng.uniform(0.2, 2.5),
        "low_risk_chest_pain": rng.uniform(0.05, 0.7),
    }[dx]
    risk = rng.sample(HEART_RISK, rng.randint(0, 4 if dx in ("stemi", "nstemi") else 2))
    if dx == "aortic_dissection" and "hypertension" not in risk:
        risk.append("hypertension")
    vitals = _vitals(
        rng,
        hr=(100, 125) if dx == "pulmonary_embolism" else (65, 105),
        sbp=(150, 185) if dx == "aortic_dissection" else (105, 150),
        spo2=(90, 95) if dx == "pulmonary_embolism" else (95, 99),
        rr=(20, 26) if dx == "pulmonary_embolism" else (14, 20),
    )
    return _patient(
        cid,
        "chest_pain",
        age_years=float(age),
        sex=rng.choice(["male", "female"]),
        weight_kg=float(rng.randint(55, 110)),
        complaint="central chest pain",
        onset_hours=round(rng.uniform(0.5, 6), 1),
        vitals=vitals,
        conditions=sorted(risk),
        medications=_meds(rng),
        allergies=rng.choice([[], [], ["penicillin"]]),
        features=features,
        labs=_labs(rng),
        results={
            "ecg": {"category": ecg, "st_elevation": dx == "stemi"},
            "troponin": {"troponin_times_uln": round(trop, 2)},
            "ct_aortogram": {"intimal_flap": dx == "aortic_dissection"},
            "ctpa": {"filling_defect": dx == "pulmonary_embolism"},
            "chest_xray": {"widened_mediastinum": dx == "aortic_dissection" and rng.random() < 0.6},
        },
    )


# --- stroke -----------------------------------------------------------------------------------------------------------

THROMBOLYSIS_WINDOW_H = 4.5
INR_MAX = 1.7
PLATELETS_MIN = 100
SURGERY_DAYS = 14
HYPOGLYCAEMIA_MMOL_L = 2.8


def thrombolysis_contraindications(p: Patient) -> list[str]:
    """AHA/ASA 2019 acute ischaemic stroke guideline, IV alteplase exclusions: onset > 4.5 h, haemorrhage on CT,
    INR > 1.7, platelets < 100 x10^9/L, a DOAC taken, major surgery within 14 days (relative; treated as exclusion
    here), and active gastrointestinal bleeding."""
    out = []
    if p.onset_hours > THROMBOLYSIS_WINDOW_H:
        out.append(f"onset {p.onset_hours} h > {THROMBOLYSIS_WINDOW_H} h")
    ct = p.results.get("ct_head", {})
    if ct.get("haemorrhage"):
        out.append("haemorrhage on CT head")
    coag = p.results.get("coagulation", {})
    if float(coag.get("inr", p.labs.get("inr", 1.0))) > INR_MAX:
        out.append(f"INR > {INR_MAX}")
    if float(coag.get("platelets_10e9_l", p.labs.get("platelets_10e9_l", 250))) < PLATELETS_MIN:
        out.append(f"platelets < {PLATELETS_MIN} x10^9/L")
    if {"apixaban", "rivaroxaban", "dabigatran"} & set(p.medications):
        out.append("direct oral anticoagulant taken")
    if p.days_since_surgery is not None and p.days_since_surgery <= SURGERY_DAYS:
        out.append(f"major surgery {p.days_since_surgery} days ago")
    if p.pathway == "upper_gi_bleed":
        out.append("active gastrointestinal bleeding")
    return out


def stroke_diagnose(p: Patient) -> str:
    """AHA/ASA 2019: check glucose first (hypoglycaemia < 2.8 mmol/L, 50 mg/dL, mimics stroke); non-contrast CT
    excludes haemorrhage; CT angiography shows a large-vessel occlusion."""
    if float(result(p, "capillary_glucose", "glucose_mmol_l")) < HYPOGLYCAEMIA_MMOL_L:
        return "hypoglycaemia_stroke_mimic"
    if result(p, "ct_head", "haemorrhage"):
        return "intracerebral_haemorrhage"
    if result(p, "ct_angiogram", "large_vessel_occlusion"):
        return "ischaemic_stroke_large_vessel_occlusion"
    return "ischaemic_stroke"


def stroke_treat(p: Patient, dx: str) -> str:
    """AHA/ASA 2019: alteplase within 4.5 h without exclusions; thrombectomy for LVO (within 6 h here); aspirin
    when neither applies; ICH: BP lowering and anticoagulant reversal (AHA/ASA 2022 ICH); hypoglycaemia: glucose."""
    eligible = not thrombolysis_contraindications(p)
    if dx == "ischaemic_stroke_large_vessel_occlusion":
        return "thrombolysis_and_thrombectomy" if eligible else "thrombectomy"
    if dx == "ischaemic_stroke":
        return "thrombolysis" if eligible else "aspirin"
    return {
        "intracerebral_haemorrhage": "bp_lowering_anticoagulant_reversal",
        "hypoglycaemia_stroke_mimic": "iv_glucose",
    }[dx]


def stroke_dispose(p: Patient, dx: str) -> str:
    return {
        "hypoglycaemia_stroke_mimic": "medical_ward",
        "intracerebral_haemorrhage": "neurosurgery",
        "ischaemic_stroke_large_vessel_occlusion": "neurointerventional_suite",
        "ischaemic_stroke": "stroke_unit",
    }[dx]


def stroke_draw(rng: random.Random, dx: str, cid: str) -> Patient:
    ischaemic = dx.startswith("ischaemic")
    contraindicated = ischaemic and rng.random() < 0.5
    onset = round(rng.uniform(0.5, 4.0), 1)
    meds = _meds(rng, (0, 2))
    inr, platelets, surgery = round(rng.uniform(0.9, 1.3), 2), float(rng.randint(150, 350)), None
    if contraindicated:
        why = rng.choice(["late", "inr", "platelets", "doac", "surgery"])
        if why == "late":
            onset = round(rng.uniform(5.0, 5.9), 1)  # thrombectomy window kept (6 h) so LVO still goes to the suite
        elif why == "inr":
            inr, meds = round(rng.uniform(2.0, 3.5), 2), sorted({*meds, "warfarin"})
        elif why == "platelets":
            platelets = float(rng.randint(40, 85))
        elif why == "doac":
            meds = sorted({*meds, rng.choice(["apixaban", "rivaroxaban"])})
        else:
            surgery = rng.randint(3, 12)
    glucose = round(rng.uniform(1.6, 2.5), 1) if dx == "hypoglycaemia_stroke_mimic" else round(rng.uniform(4.5, 9.0), 1)
    return _patient(
        cid,
        "stroke",
        age_years=float(rng.randint(45, 90)),
        sex=rng.choice(["male", "female"]),
        weight_kg=float(rng.randint(50, 105)),
        complaint="sudden facial droop, arm weakness and slurred speech",
        onset_hours=onset,
        days_since_surgery=surgery,
        vitals=_vitals(
            rng,
            hr=(52, 118),
            sbp=(140, 180),
            dbp_gap=(60, 80),
            rr=(11, 25),
            spo2=(91, 99),
            temp=(35.8, 38.3),
            consciousness=rng.choice(["alert", "alert", "new_confusion", "voice"]),
        ),
        conditions=sorted(rng.sample(["hypertension", "atrial_fibrillation", "diabetes", "smoker"], rng.randint(0, 2))),
        medications=meds,
        features=["left_sided_weakness", "dysarthria"],
        labs=_labs(rng, inr=inr, platelets_10e9_l=platelets),
        results={
            "capillary_glucose": {"glucose_mmol_l": glucose},
            "ct_head": {"haemorrhage": dx == "intracerebral_haemorrhage"},
            "ct_angiogram": {"large_vessel_occlusion": dx == "ischaemic_stroke_large_vessel_occlusion"},
            "coagulation": {"inr": inr, "platelets_10e9_l": platelets},
        },
    )


# --- sepsis -----------------------------------------------------------------------------------------------------------

LACTATE_HIGH = 2.0
MAP_SHOCK = 65


def map_call(p: Patient) -> ScoreCall:
    """Mean arterial pressure of the arrival reading."""
    return "mean_arterial_pressure", {
        "systolic_bp_mm_hg": p.vitals.systolic_bp_mm_hg,
        "diastolic_bp_mm_hg": p.vitals.diastolic_bp_mm_hg,
    }


def _map(p: Patient) -> float:
    return calculate(map_call(p))


def sepsis_diagnose(p: Patient) -> str:
    """The source of sepsis (SSC 2021: identify the source): consolidation on chest X-ray -> pneumonia; a collection on
    CT -> intra-abdominal infection; nitrite-positive urine -> urinary tract infection; otherwise the spreading
    erythema on examination -> cellulitis."""
    if result(p, "chest_xray", "consolidation"):
        return "pneumonia"
    if result(p, "ct_abdomen", "collection"):
        return "intra_abdominal_infection"
    if result(p, "urinalysis", "nitrites"):
        return "urinary_tract_infection"
    return "cellulitis"


def sepsis_treat(p: Patient, dx: str) -> str:
    """Empirical antibiotics (IDSA/ATS CAP 2019, NICE NG112, NICE NG141, SIS/IDSA 2017 intra-abdominal): penicillin
    allergy avoids penicillins; a fluoroquinolone with a major interaction among current drugs (drug_interaction's
    rules, e.g. QT prolongation) gives way to doxycycline for pneumonia."""
    allergic = penicillin_allergic(p)
    if dx == "pneumonia":
        if not allergic:
            return "amoxicillin-clavulanate"
        return "doxycycline" if interacting("levofloxacin", p.medications) else "levofloxacin"
    if dx == "urinary_tract_infection":
        return "ciprofloxacin" if allergic else "ceftriaxone"
    if dx == "cellulitis":  # NICE NG141: flucloxacillin; clarithromycin if penicillin-allergic
        return "clarithromycin" if allergic else "flucloxacillin"
    return "ciprofloxacin_metronidazole" if allergic else "piperacillin-tazobactam"


def sepsis_dispose(p: Patient, dx: str) -> str:
    """SSC 2021 / Sepsis-3: MAP < 65 mm Hg with lactate > 2 mmol/L (septic shock) -> ICU; lactate > 2 or NEWS2 >= 5
    (RCP 2017 urgent response) -> HDU; otherwise the medical ward."""
    lactate = float(result(p, "lactate", "lactate_mmol_l"))
    if _map(p) < MAP_SHOCK and lactate > LACTATE_HIGH:
        return "icu"
    if lactate > LACTATE_HIGH or news2_total(p) >= 5:
        return "hdu"
    return "medical_ward"


def sepsis_draw(rng: random.Random, dx: str, cid: str) -> Patient:
    band = rng.choice(["shock", "hdu", "ward"])
    if band == "shock":
        vitals = _vitals(
            rng, hr=(110, 135), sbp=(70, 82), dbp_gap=(30, 35), rr=(22, 30), spo2=(91, 95), temp=(38.4, 39.8)
        )
        lactate = rng.uniform(3.0, 7.0)
    elif band == "hdu":
        vitals = _vitals(
            rng, hr=(95, 120), sbp=(100, 115), dbp_gap=(30, 40), rr=(20, 26), temp=(38.2, 39.5), spo2=(93, 97)
        )
        lactate = rng.uniform(2.4, 3.8)
    else:
        vitals = _vitals(rng, hr=(80, 104), sbp=(115, 140), rr=(12, 20), temp=(37.0, 38.8), spo2=(96, 99))
        lactate = rng.uniform(0.8, 1.7)
    allergic = rng.random() < 0.5
    meds = _meds(rng, (0, 3))
    if allergic and dx == "pneumonia" and rng.random() < 0.5:
        meds = sorted({*meds, rng.choice(QT_MEDS)})
    complaint = {
        "pneumonia": "fever, cough and breathlessness",
        "urinary_tract_infection": "fever, rigors and dysuria",
        "intra_abdominal_infection": "fever and abdominal pain",
        "cellulitis": "fever and a painful red leg",
    }[dx]
    return _patient(
        cid,
        "sepsis",
        age_years=float(rng.randint(25, 88)),
        sex=rng.choice(["male", "female"]),
        weight_kg=float(rng.randint(50, 105)),
        complaint=complaint,
        onset_hours=round(rng.uniform(6, 72), 1),
        vitals=vitals,
        conditions=sorted(rng.sample(["diabetes", "copd", "chronic_kidney_disease"], rng.randint(0, 1))),
        medications=meds,
        allergies=["penicillin"] if allergic else [],
        features=["spreading_erythema_left_leg"] if dx == "cellulitis" else [],
        labs=_labs(rng, wbc_10e9_l=round(rng.uniform(13, 24), 1)),
        results={
            "chest_xray": {"consolidation": dx == "pneumonia"},
            "ct_abdomen": {"collection": dx == "intra_abdominal_infection"},
            "urinalysis": {
                "nitrites": dx == "urinary_tract_infection",
                "leukocytes": dx == "urinary_tract_infection" or rng.random() < 0.2,
            },
            "lactate": {"lactate_mmol_l": round(lactate, 1)},
            "blood_cultures": {"status": "taken; results pending at 48 h"},
        },
    )


# --- DKA --------------------------------------------------------------------------------------------------------------

KETONES_DKA = 3.0
PH_DKA = 7.3
BICARB_DKA = 15.0
GLUCOSE_DKA = 11.0
GLUCOSE_HHS = 30.0
OSMOLALITY_HHS = 320.0
POTASSIUM_MIN = 3.5


def osmolality(p: Patient) -> float:
    """JBDS 2022 HHS: calculated osmolality = 2 Na + glucose + urea (all mmol/L)."""
    e = p.results["electrolytes"]
    return 2 * float(e["sodium_mmol_l"]) + float(e["glucose_mmol_l"]) + p.labs["urea_mmol_l"]


def dka_gap_call(p: Patient) -> ScoreCall:
    """Anion gap, Na - (Cl + HCO3)."""
    e = p.results["electrolytes"]
    return "anion_gap", {
        "sodium_mmol_l": float(e["sodium_mmol_l"]),
        "chloride_mmol_l": float(e["chloride_mmol_l"]),
        "bicarbonate_mmol_l": float(e["bicarbonate_mmol_l"]),
    }


def dka_diagnose(p: Patient) -> str:
    """JBDS-IP 2021: DKA = ketones >= 3 mmol/L and (pH < 7.3 or HCO3 < 15) with glucose > 11 mmol/L or known
    diabetes; euglycaemic DKA when glucose <= 11 (SGLT2 inhibitors); JBDS 2022: HHS = osmolality >= 320 mOsm/kg,
    glucose >= 30 mmol/L without significant ketonaemia or acidosis; otherwise hyperglycaemia without a crisis."""
    e = p.results["electrolytes"]
    ketones = float(result(p, "blood_ketones", "ketones_mmol_l"))
    acidotic = float(result(p, "blood_gas", "ph")) < PH_DKA or float(e["bicarbonate_mmol_l"]) < BICARB_DKA
    if ketones >= KETONES_DKA and acidotic:
        return "diabetic_ketoacidosis" if float(e["glucose_mmol_l"]) > GLUCOSE_DKA else "euglycaemic_dka"
    if osmolality(p) >= OSMOLALITY_HHS and float(e["glucose_mmol_l"]) >= GLUCOSE_HHS:
        return "hyperosmolar_hyperglycaemic_state"
    return "hyperglycaemia_without_crisis"


def dka_treat(p: Patient, dx: str) -> str:
    """JBDS-IP 2021: do not start insulin while K < 3.5 mmol/L (replace potassium first); DKA: fixed-rate insulin
    and fluids; euglycaemic DKA: insulin with a glucose infusion; JBDS 2022 HHS: fluids first."""
    if dx in ("diabetic_ketoacidosis", "euglycaemic_dka"):
        if float(p.results["electrolytes"]["potassium_mmol_l"]) < POTASSIUM_MIN:
            return "potassium_replacement_before_insulin"
        return "fixed_rate_insulin_and_fluids" if dx == "diabetic_ketoacidosis" else "insulin_with_glucose_infusion"
    return "iv_fluids_first" if dx == "hyperosmolar_hyperglycaemic_state" else "subcutaneous_insulin_adjustment"


def hhs_high_risk(p: Patient) -> bool:
    """JBDS-IP 2022 HHS: level 2 care for any of osmolality > 350 mOsm/kg, Na > 160, K < 3.5 or > 6 mmol/L, HR > 100
    or < 60, SBP < 90 mm Hg, SpO2 < 92%, reduced consciousness."""
    e, v = p.results["electrolytes"], p.vitals
    potassium = float(e["potassium_mmol_l"])
    return (
        osmolality(p) > 350
        or float(e["sodium_mmol_l"]) > 160
        or not 3.5 <= potassium <= 6
        or not 60 <= v.heart_rate_bpm <= 100
        or v.systolic_bp_mm_hg < 90
        or v.spo2_percent < 92
        or v.consciousness != "alert"
    )


def dka_dispose(p: Patient, dx: str) -> str:
    """JBDS-IP 2021 severe DKA (pH < 7.0, HCO3 < 5, K < 3.5 ... -> HDU/level 2 care); HHS with a high-risk feature
    (``hhs_high_risk``) -> HDU; other DKA and HHS -> ward; no crisis -> discharge with diabetes team follow-up."""
    if dx in ("diabetic_ketoacidosis", "euglycaemic_dka"):
        e = p.results["electrolytes"]
        severe = (
            float(result(p, "blood_gas", "ph")) < 7.0
            or float(e["bicarbonate_mmol_l"]) < 5
            or float(e["potassium_mmol_l"]) < POTASSIUM_MIN
        )
        return "hdu" if severe else "medical_ward"
    if dx == "hyperosmolar_hyperglycaemic_state":
        return "hdu" if hhs_high_risk(p) else "medical_ward"
    return "discharge"


def dka_draw(rng: random.Random, dx: str, cid: str) -> Patient:
    sodium = rng.randint(130, 142)
    if dx in ("diabetic_ketoacidosis", "euglycaemic_dka"):
        severe = rng.random() < 0.25
        ph = round(rng.uniform(6.88, 6.97) if severe else rng.uniform(7.08, 7.24), 2)
        bicarb = round(rng.uniform(6, 13), 1)
        ketones = round(rng.uniform(3.6, 7.0), 1)
        glucose = round(rng.uniform(16, 28) if dx == "diabetic_ketoacidosis" else rng.uniform(6.5, 10.2), 1)
        potassium = round(rng.uniform(2.6, 3.3) if rng.random() < 0.3 else rng.uniform(3.8, 5.6), 1)
    elif dx == "hyperosmolar_hyperglycaemic_state":
        high = rng.random() < 0.5
        sodium = rng.randint(152, 158) if high else rng.randint(146, 149)
        ph, bicarb, ketones = (
            round(rng.uniform(7.33, 7.42), 2),
            round(rng.uniform(18, 26), 1),
            round(rng.uniform(0.2, 1.4), 1),
        )
        glucose, potassium = (
            round(rng.uniform(45, 60) if high else rng.uniform(34, 39), 1),
            round(rng.uniform(3.8, 5.2), 1),
        )
    else:
        ph, bicarb, ketones = (
            round(rng.uniform(7.35, 7.44), 2),
            round(rng.uniform(21, 27), 1),
            round(rng.uniform(0.1, 1.2), 1),
        )
        glucose, potassium = round(rng.uniform(13, 22), 1), round(rng.uniform(3.8, 5.0), 1)
    chloride = round(sodium - bicarb - rng.uniform(8, 30 if ketones >= 3 else 14), 1)
    meds = ["insulin glargine"] if rng.random() < 0.5 else ["metformin"]
    if dx == "euglycaemic_dka":
        meds = sorted({*meds, rng.choice(["empagliflozin", "dapagliflozin"])})
    return _patient(
        cid,
        "dka",
        age_years=float(rng.randint(18, 80)),
        sex=rng.choice(["male", "female"]),
        weight_kg=float(rng.randint(50, 110)),
        complaint="vomiting, abdominal pain and polyuria",
        onset_hours=round(rng.uniform(12, 72), 1),
        vitals=_vitals(
            rng,
            hr=(80, 99) if dx == "hyperosmolar_hyperglycaemic_state" and sodium < 150 else (95, 125),
            sbp=(95, 130),
            rr=(18, 30),
            temp=(36.2, 37.4),
        ),
        conditions=["diabetes"],
        medications=meds,
        labs=_labs(rng, urea_mmol_l=round(rng.uniform(6, 8.5) if sodium < 150 else rng.uniform(8, 14), 1)),
        results={
            "electrolytes": {
                "sodium_mmol_l": float(sodium),
                "chloride_mmol_l": chloride,
                "bicarbonate_mmol_l": bicarb,
                "potassium_mmol_l": potassium,
                "glucose_mmol_l": glucose,
            },
            "blood_gas": {"ph": ph},
            "blood_ketones": {"ketones_mmol_l": ketones},
        },
    )


# --- paediatric fever -------------------------------------------------------------------------------------------------

RED_FEATURES = (
    "non_blanching_rash",
    "neck_stiffness",
    "bulging_fontanelle",
    "grunting",
    "appears_ill_to_professional",
    "no_response_to_social_cues",
)
AMBER_FEATURES = (
    "reduced_activity",
    "poor_feeding",
    "nasal_flaring",
    "capillary_refill_3s_or_more",
    "reduced_urine_output",
)


def traffic_light(p: Patient) -> str:
    """NICE NG143 traffic-light table (fever in under 5s): any red feature (or SpO2 <= 92% not listed here) -> red;
    any amber feature or SpO2 <= 95% -> amber; otherwise green."""
    if set(RED_FEATURES) & set(p.features):
        return "red"
    if set(AMBER_FEATURES) & set(p.features) or p.vitals.spo2_percent <= 95:
        return "amber"
    return "green"


def paeds_fluids_call(p: Patient) -> ScoreCall:
    """Maintenance fluid rate by Holliday-Segar (mL/h), NICE NG29."""
    return "maintenance_fluids", {"weight_kg": p.weight_kg}


def paeds_diagnose(p: Patient) -> str:
    """NICE NG143 / CG102: CSF pleocytosis (WCC > 20 /uL beyond the neonatal period) -> bacterial meningitis;
    consolidation on chest X-ray -> pneumonia; nitrite-positive urine -> UTI (NICE NG224); otherwise a viral illness."""
    if float(result(p, "lumbar_puncture", "csf_wcc_per_ul")) > 20:
        return "bacterial_meningitis"
    if result(p, "chest_xray", "consolidation"):
        return "pneumonia"
    if result(p, "urinalysis", "nitrites"):
        return "urinary_tract_infection"
    return "viral_illness"


def paeds_treat(p: Patient, dx: str) -> str:
    """NICE NG240 meningitis: IV ceftriaxone; NICE NG138 child CAP: amoxicillin (clarithromycin if penicillin
    allergic); NICE NG224: oral cephalexin for UTI; viral: antipyretics and safety netting (NICE NG143)."""
    if dx == "pneumonia":
        return "clarithromycin" if penicillin_allergic(p) else "amoxicillin"
    return {
        "bacterial_meningitis": "ceftriaxone",
        "urinary_tract_infection": "cephalexin",
        "viral_illness": "antipyretics_safety_net",
    }[dx]


def paeds_dispose(p: Patient, dx: str) -> str:
    """Meningitis -> paediatric HDU; NICE NG143: red -> paediatric ward, amber -> paediatric assessment unit,
    green -> home with safety netting."""
    if dx == "bacterial_meningitis":
        return "paediatric_hdu"
    return {"red": "paediatric_ward", "amber": "paediatric_assessment_unit", "green": "discharge"}[traffic_light(p)]


def paeds_draw(rng: random.Random, dx: str, cid: str) -> Patient:
    age = round(rng.uniform(0.5, 4.9), 1)
    weight = round(8 + 2.2 * age + rng.uniform(-1, 1.5), 1)
    light = "red" if dx == "bacterial_meningitis" else rng.choice(["red", "amber", "green"])
    features = {
        "red": rng.sample(RED_FEATURES, rng.randint(1, 2)),
        "amber": rng.sample(AMBER_FEATURES, rng.randint(1, 2)),
        "green": [],
    }[light]
    return _patient(
        cid,
        "paediatric_fever",
        age_years=age,
        sex=rng.choice(["male", "female"]),
        weight_kg=weight,
        complaint="fever for two days",
        onset_hours=round(rng.uniform(12, 60), 1),
        vitals=_vitals(
            rng, hr=(110, 150), sbp=(85, 105), dbp_gap=(30, 40), rr=(24, 36), spo2=(96, 99), temp=(38.1, 39.9)
        ),
        allergies=["penicillin"] if rng.random() < 0.3 else [],
        features=sorted(features),
        labs=_labs(rng, hb_g_dl=round(rng.uniform(10.8, 13.0), 1)),
        results={
            "urinalysis": {"nitrites": dx == "urinary_tract_infection", "leukocytes": dx == "urinary_tract_infection"},
            "chest_xray": {"consolidation": dx == "pneumonia"},
            "lumbar_puncture": {
                "csf_wcc_per_ul": float(rng.randint(250, 2500) if dx == "bacterial_meningitis" else rng.randint(0, 5))
            },
            "blood_tests": {"crp_mg_l": float(rng.randint(40, 200) if dx != "viral_illness" else rng.randint(2, 18))},
        },
    )


# --- post-operative deterioration -------------------------------------------------------------------------------------

HB_DROP_G_DL = 2.0


def postop_diagnose(p: Patient) -> str:
    """NICE CG50 / NEWS2 escalation, then the cause: haemoglobin fallen >= 2 g/dL from the pre-operative value ->
    haemorrhage; CTPA filling defect -> PE; a collection on CT -> anastomotic leak; consolidation -> pneumonia;
    atrial fibrillation on ECG -> new AF."""
    if p.labs["preop_hb_g_dl"] - float(result(p, "fbc", "hb_g_dl")) >= HB_DROP_G_DL:
        return "postoperative_haemorrhage"
    if result(p, "ctpa", "filling_defect"):
        return "pulmonary_embolism"
    if result(p, "ct_abdomen", "collection"):
        return "anastomotic_leak"
    if result(p, "chest_xray", "consolidation"):
        return "hospital_acquired_pneumonia"
    return "new_atrial_fibrillation"


def postop_treat(p: Patient, dx: str) -> str:
    """Haemorrhage: transfusion and surgical review (NICE NG24); PE: LMWH (ESC 2019); leak / HAP: broad-spectrum
    antibiotics, non-penicillin if allergic (NICE NG139); AF: rate control, a calcium-channel blocker if asthmatic
    (ESC 2020 AF; beta-blockers avoided in asthma, BNF)."""
    if dx in ("anastomotic_leak", "hospital_acquired_pneumonia"):
        return "ciprofloxacin_metronidazole" if penicillin_allergic(p) else "piperacillin-tazobactam"
    if dx == "new_atrial_fibrillation":
        return "rate_control_calcium_channel_blocker" if asthmatic(p) else "rate_control_beta_blocker"
    return {"postoperative_haemorrhage": "transfusion_and_surgical_review", "pulmonary_embolism": "anticoagulation"}[dx]


def postop_dispose(p: Patient, dx: str) -> str:
    """Bleeding and leaks return to theatre; otherwise NEWS2 (RCP 2017): >= 7 emergency response -> ICU, 5-6 -> HDU,
    lower -> surgical ward."""
    if dx in ("postoperative_haemorrhage", "anastomotic_leak"):
        return "return_to_theatre"
    score = news2_total(p)
    return "icu" if score >= 7 else "hdu" if score >= 5 else "surgical_ward"


def postop_draw(rng: random.Random, dx: str, cid: str) -> Patient:
    band = rng.choice(["icu", "hdu", "ward"])
    vitals = {
        "icu": _vitals(rng, hr=(118, 140), sbp=(84, 99), rr=(24, 30), spo2=(90, 93), temp=(37.0, 38.9)),
        "hdu": _vitals(rng, hr=(111, 125), sbp=(101, 110), rr=(21, 24), spo2=(94, 95), temp=(36.8, 37.9)),
        "ward": _vitals(rng, hr=(92, 110), sbp=(112, 135), rr=(14, 20), spo2=(96, 99), temp=(36.5, 37.9)),
    }[band]
    preop = round(rng.uniform(12.5, 15.0), 1)
    hb = round(preop - (rng.uniform(2.6, 5.0) if dx == "postoperative_haemorrhage" else rng.uniform(0.2, 1.3)), 1)
    return _patient(
        cid,
        "post_operative",
        age_years=float(rng.randint(40, 88)),
        sex=rng.choice(["male", "female"]),
        weight_kg=float(rng.randint(50, 110)),
        complaint="deterioration on the surgical ward after a bowel resection",
        onset_hours=round(rng.uniform(1, 12), 1),
        vitals=vitals,
        days_since_surgery=rng.randint(1, 6),
        conditions=sorted(rng.sample(["asthma", "hypertension", "diabetes", "copd"], rng.randint(0, 2))),
        medications=sorted({"enoxaparin", *_meds(rng, (0, 2))}),
        allergies=["penicillin"] if rng.random() < 0.4 else [],
        labs=_labs(rng, preop_hb_g_dl=preop),
        results={
            "fbc": {"hb_g_dl": hb},
            "ctpa": {"filling_defect": dx == "pulmonary_embolism"},
            "ct_abdomen": {"collection": dx == "anastomotic_leak"},
            "chest_xray": {"consolidation": dx == "hospital_acquired_pneumonia"},
            "ecg": {"rhythm": "atrial_fibrillation" if dx == "new_atrial_fibrillation" else "sinus_tachycardia"},
        },
    )


# --- upper GI bleed ---------------------------------------------------------------------------------------------------


def ugib_gbs_call(p: Patient) -> ScoreCall:
    """Glasgow-Blatchford score (Blatchford 2000); urea mmol/L x 2.8 = BUN mg/dL."""
    c = set(p.conditions)
    return "glasgow_blatchford", dict(
        bun_mg_dl=round(p.labs["urea_mmol_l"] * 2.8, 1),
        hemoglobin_g_dl=p.labs["hb_g_dl"],
        sex=p.sex,
        systolic_bp_mm_hg=p.vitals.systolic_bp_mm_hg,
        heart_rate_bpm=p.vitals.heart_rate_bpm,
        melena="melaena" in p.features,
        syncope="syncope" in p.features,
        hepatic_disease="liver_cirrhosis" in c,
        cardiac_failure="heart_failure" in c,
    )


def ugib_gbs(p: Patient) -> float:
    return calculate(ugib_gbs_call(p))


def ugib_diagnose(p: Patient) -> str:
    """The endoscopic source (NICE CG141: endoscopy within 24 h): varices, peptic ulcer or Mallory-Weiss tear; no
    source with Glasgow-Blatchford <= 1 is a low-risk bleed (NICE CG141 / Stanley 2009)."""
    finding = str(result(p, "endoscopy", "finding"))
    return {
        "oesophageal_varices": "variceal_bleed",
        "peptic_ulcer": "peptic_ulcer_bleed",
        "mallory_weiss_tear": "mallory_weiss_tear",
        "no_source": "low_risk_bleed",
    }[finding]


def ugib_treat(p: Patient, dx: str) -> str:
    """Baveno VII: terlipressin and antibiotics for variceal bleeding; NICE CG141: endoscopic haemostasis and PPI
    for a bleeding ulcer; supportive PPI for a Mallory-Weiss tear; outpatient review for a low-risk bleed."""
    return {
        "variceal_bleed": "terlipressin_and_antibiotics",
        "peptic_ulcer_bleed": "endoscopic_haemostasis_ppi",
        "mallory_weiss_tear": "supportive_ppi",
        "low_risk_bleed": "outpatient_review",
    }[dx]


def ugib_dispose(p: Patient, dx: str) -> str:
    """Variceal bleeding -> HDU (Baveno VII); Glasgow-Blatchford >= 12 -> HDU; low-risk -> discharge (GBS 0-1,
    NICE CG141); otherwise the medical ward."""
    if dx == "low_risk_bleed":
        return "discharge"
    return "hdu" if dx == "variceal_bleed" or ugib_gbs(p) >= 12 else "medical_ward"


def ugib_draw(rng: random.Random, dx: str, cid: str) -> Patient:
    low = dx == "low_risk_bleed"
    severe = dx == "variceal_bleed" and rng.random() < 0.5 or dx == "peptic_ulcer_bleed" and rng.random() < 0.5
    if low:
        vitals = _vitals(rng, hr=(65, 95), sbp=(112, 140))
        labs = _labs(rng, hb_g_dl=round(rng.uniform(13.2, 15.5), 1), urea_mmol_l=round(rng.uniform(3.0, 6.2), 1))
        features, conditions = ["coffee_ground_vomit"], []
    elif severe:  # Glasgow-Blatchford >= 13: urea >= 10 (4), Hb < 10 (6), SBP < 100 (>= 2), HR >= 100 (1)
        vitals = _vitals(rng, hr=(101, 125), sbp=(82, 98), dbp_gap=(30, 40))
        labs = _labs(rng, hb_g_dl=round(rng.uniform(6.5, 9.5), 1), urea_mmol_l=round(rng.uniform(11, 24), 1))
        features = sorted(rng.sample(["melaena", "syncope", "haematemesis"], rng.randint(1, 3)))
    else:  # Glasgow-Blatchford <= 11: urea < 10 (<= 3), Hb >= 10 (<= 3), SBP >= 110, HR < 100
        vitals = _vitals(rng, hr=(75, 98), sbp=(110, 135))
        labs = _labs(rng, hb_g_dl=round(rng.uniform(10.3, 12.5), 1), urea_mmol_l=round(rng.uniform(7, 9.6), 1))
        features = sorted(rng.sample(["melaena", "haematemesis"], rng.randint(1, 2)))
    if not low:
        conditions = (
            ["liver_cirrhosis"]
            if dx == "variceal_bleed"
            else rng.sample(["heart_failure", "hypertension"], rng.randint(0, 1))
        )
    finding = {
        "variceal_bleed": "oesophageal_varices",
        "peptic_ulcer_bleed": "peptic_ulcer",
        "mallory_weiss_tear": "mallory_weiss_tear",
        "low_risk_bleed": "no_source",
    }[dx]
    meds = _meds(rng, (0, 2), ("atorvastatin", "amlodipine", "ramipril", "levothyroxine", "naproxen", "aspirin"))
    return _patient(
        cid,
        "upper_gi_bleed",
        age_years=float(rng.randint(25, 88)),
        sex=rng.choice(["male", "female"]),
        weight_kg=float(rng.randint(50, 105)),
        complaint="vomiting blood",
        onset_hours=round(rng.uniform(2, 24), 1),
        vitals=vitals,
        conditions=sorted(conditions),
        medications=meds,
        features=features,
        labs=labs,
        results={
            "endoscopy": {"finding": finding},
            "coagulation": {"inr": labs["inr"]},
            "group_and_save": {"status": "sample held"},
        },
    )


# --- pregnancy with hypertension --------------------------------------------------------------------------------------


def _obstetric_findings(p: Patient) -> obstetric_hypertension.Findings:
    bloods = p.results["pre_eclampsia_bloods"]
    readings = (
        obstetric_hypertension.Reading(0, p.vitals.systolic_bp_mm_hg, p.vitals.diastolic_bp_mm_hg),
        obstetric_hypertension.Reading(
            int(result(p, "repeat_bp", "minutes_after")),
            int(result(p, "repeat_bp", "systolic_mm_hg")),
            int(result(p, "repeat_bp", "diastolic_mm_hg")),
        ),
    )
    return obstetric_hypertension.Findings(
        ga_days=7 * (p.gestation_weeks or 0),
        chronic_hypertension="chronic_hypertension" in p.conditions,
        readings=readings,
        upcr=float(result(p, "urine_protein_creatinine_ratio", "upcr_mg_mg")),
        protein_24h_mg=None,
        dipstick="negative",
        platelets=float(bloods["platelets_10e9_l"]),
        ast=float(bloods["ast_u_l"]),
        alt=float(bloods["alt_u_l"]),
        transaminase_uln=40.0,
        creatinine=float(bloods["creatinine_mg_dl"]),
        symptoms=tuple(s for s in obstetric_hypertension.SYMPTOMS if s in p.features),
    )


def pregnancy_diagnose(p: Patient) -> str:
    """ACOG Practice Bulletin 222 categories, by obstetrics' own ``hypertension.classify``."""
    return obstetric_hypertension.classify(_obstetric_findings(p)).category


def pregnancy_treat(p: Patient, dx: str) -> str:
    """ACOG PB 222 / NICE NG133: magnesium sulfate and an acute antihypertensive for severe features; otherwise an
    oral antihypertensive; labetalol unless asthma (beta-blockers contraindicated, BNF), then nifedipine."""
    severe = obstetric_hypertension.classify(_obstetric_findings(p)).magnesium_indicated
    drug = "nifedipine" if asthmatic(p) else "labetalol"
    return f"magnesium_and_{drug}" if severe else f"oral_{drug}"


PLANNED_BIRTH_WEEKS = 37


def pregnancy_dispose(p: Patient, dx: str) -> str:
    """NICE NG133: pre-eclampsia at 37 weeks or later -> labour ward for planned birth (1.5.3); pre-eclampsia with
    severe features -> obstetric HDU (level 2 care); other pre-eclampsia or severe hypertension -> antenatal ward
    (admit); gestational or chronic hypertension below the severe range -> day assessment unit."""
    if "preeclampsia" in dx and (p.gestation_weeks or 0) >= PLANNED_BIRTH_WEEKS:
        return "labour_ward"
    if dx.endswith("with_severe_features"):
        return "obstetric_hdu"
    return "antenatal_ward" if "preeclampsia" in dx or dx.startswith("severe") else "day_assessment_unit"


PREGNANCY_TARGETS = (
    "gestational_hypertension",
    "severe_gestational_hypertension",
    "preeclampsia_without_severe_features",
    "preeclampsia_with_severe_features",
    "chronic_hypertension",
    "superimposed_preeclampsia",
    "superimposed_preeclampsia_with_severe_features",
)


def pregnancy_draw(rng: random.Random, dx: str, cid: str) -> Patient:
    chronic = dx.startswith(("chronic", "superimposed"))
    asthma = rng.random() < 0.5
    severe = dx.endswith("with_severe_features") or dx == "severe_gestational_hypertension"
    protein = "preeclampsia" in dx
    sbp = (
        rng.randint(162, 175)
        if dx == "severe_gestational_hypertension" or severe and rng.random() < 0.6
        else rng.randint(142, 154)
    )
    dbp = rng.randint(92, 104)
    repeat = (rng.randint(sbp - 4, sbp + 4), rng.randint(92, 104))
    minutes = rng.randint(20, 60) if sbp >= 160 else rng.randint(250, 360)
    features: list[str] = []
    platelets, alt = float(rng.randint(160, 320)), float(rng.randint(12, 35))
    if severe and sbp < 160:
        organ = rng.choice(["platelets", "alt", "symptom"])
        if organ == "platelets":
            platelets = float(rng.randint(55, 90))
        elif organ == "alt":
            alt = float(rng.randint(95, 220))
        else:
            features.append(rng.choice(["headache_unresponsive", "visual_disturbance", "ruq_epigastric_pain"]))
    if sbp >= 160:
        repeat = (rng.randint(161, 175), repeat[1])
    return _patient(
        cid,
        "pregnancy_hypertension",
        age_years=float(rng.randint(19, 43)),
        sex="female",
        weight_kg=float(rng.randint(58, 105)),
        complaint="raised blood pressure at an antenatal visit",
        onset_hours=round(rng.uniform(1, 8), 1),
        gestation_weeks=rng.randint(24, 40),
        vitals=Vitals(
            heart_rate_bpm=rng.randint(75, 100),
            systolic_bp_mm_hg=sbp,
            diastolic_bp_mm_hg=dbp,
            respiratory_rate_per_min=rng.randint(14, 18),
            spo2_percent=rng.randint(97, 99),
            on_supplemental_oxygen=False,
            temperature_c=round(rng.uniform(36.5, 37.3), 1),
            consciousness="alert",
        ),
        conditions=sorted({*(["chronic_hypertension"] if chronic else []), *(["asthma"] if asthma else [])}),
        medications=[("nifedipine" if asthma else "labetalol")] if chronic and rng.random() < 0.5 else [],
        features=features,
        labs=_labs(rng),
        results={
            "repeat_bp": {
                "minutes_after": float(minutes),
                "systolic_mm_hg": float(repeat[0]),
                "diastolic_mm_hg": float(repeat[1]),
            },
            "urine_protein_creatinine_ratio": {
                "upcr_mg_mg": round(rng.uniform(0.45, 2.5) if protein else rng.uniform(0.05, 0.2), 2)
            },
            "pre_eclampsia_bloods": {
                "platelets_10e9_l": platelets,
                "ast_u_l": round(alt * 0.9, 0),
                "alt_u_l": alt,
                "creatinine_mg_dl": round(rng.uniform(0.5, 0.85), 2),
            },
        },
    )


# ---------------------------------------------------------------------------------------------------------------------

PATHWAYS: dict[str, Pathway] = {
    p.name: p
    for p in (
        Pathway(
            "chest_pain",
            "Chest pain",
            "HEART score (calculators heart_score)",
            0,
            ("ecg", "troponin", "chest_xray", "ct_aortogram", "ctpa"),
            ("stemi", "nstemi", "aortic_dissection", "pulmonary_embolism", "low_risk_chest_pain"),
            (
                "primary_pci",
                "dapt_anticoagulation",
                "bp_control_surgical_referral",
                "anticoagulation",
                "serial_troponin_observation",
                "discharge_with_followup",
            ),
            (
                "cath_lab",
                "coronary_care_unit",
                "cardiothoracic_surgery",
                "medical_ward",
                "clinical_decision_unit",
                "discharge",
            ),
            chest_heart_call,
            chest_diagnose,
            chest_treat,
            chest_dispose,
            chest_draw,
            (
                "ESC 2023 ACS guidelines",
                "ESC 2014 aortic diseases guidelines",
                "ESC 2019 acute PE guidelines",
                "Backus BE et al. Int J Cardiol 2013;168:2153-8 (HEART)",
            ),
        ),
        Pathway(
            "stroke",
            "Suspected stroke",
            "NEWS2 (calculators news2)",
            0,
            ("capillary_glucose", "ct_head", "ct_angiogram", "coagulation"),
            (
                "hypoglycaemia_stroke_mimic",
                "intracerebral_haemorrhage",
                "ischaemic_stroke_large_vessel_occlusion",
                "ischaemic_stroke",
            ),
            (
                "thrombolysis",
                "thrombolysis_and_thrombectomy",
                "thrombectomy",
                "aspirin",
                "bp_lowering_anticoagulant_reversal",
                "iv_glucose",
            ),
            ("stroke_unit", "neurointerventional_suite", "neurosurgery", "medical_ward"),
            news2_call,
            stroke_diagnose,
            stroke_treat,
            stroke_dispose,
            stroke_draw,
            (
                "Powers WJ et al. AHA/ASA 2019 acute ischaemic stroke guideline",
                "AHA/ASA 2022 ICH guideline",
                "NICE NG128",
            ),
        ),
        Pathway(
            "sepsis",
            "Sepsis",
            "NEWS2 (calculators news2)",
            0,
            ("chest_xray", "urinalysis", "ct_abdomen", "lactate", "blood_cultures"),
            ("pneumonia", "urinary_tract_infection", "intra_abdominal_infection", "cellulitis"),
            (
                "amoxicillin-clavulanate",
                "levofloxacin",
                "doxycycline",
                "ceftriaxone",
                "ciprofloxacin",
                "piperacillin-tazobactam",
                "ciprofloxacin_metronidazole",
                "flucloxacillin",
                "clarithromycin",
            ),
            ("icu", "hdu", "medical_ward"),
            news2_call,
            sepsis_diagnose,
            sepsis_treat,
            sepsis_dispose,
            sepsis_draw,
            (
                "Surviving Sepsis Campaign 2021",
                "NICE NG51",
                "IDSA/ATS CAP 2019",
                "NICE NG141",
                "Singer M et al. JAMA 2016",
            ),
        ),
        Pathway(
            "dka",
            "Hyperglycaemic emergency",
            "anion gap, mmol/L (calculators anion_gap)",
            0.5,
            ("electrolytes", "blood_gas", "blood_ketones"),
            (
                "diabetic_ketoacidosis",
                "euglycaemic_dka",
                "hyperosmolar_hyperglycaemic_state",
                "hyperglycaemia_without_crisis",
            ),
            (
                "potassium_replacement_before_insulin",
                "fixed_rate_insulin_and_fluids",
                "insulin_with_glucose_infusion",
                "iv_fluids_first",
                "subcutaneous_insulin_adjustment",
            ),
            ("hdu", "medical_ward", "discharge"),
            dka_gap_call,
            dka_diagnose,
            dka_treat,
            dka_dispose,
            dka_draw,
            ("JBDS-IP 2021 DKA guideline", "JBDS-IP 2022 HHS guideline", "Kitabchi AE et al. ADA 2009"),
        ),
        Pathway(
            "paediatric_fever",
            "Fever in a child under 5",
            "maintenance fluid rate, mL/h (calculators maintenance_fluids)",
            1,
            ("urinalysis", "chest_xray", "lumbar_puncture", "blood_tests"),
            ("bacterial_meningitis", "pneumonia", "urinary_tract_infection", "viral_illness"),
            ("ceftriaxone", "amoxicillin", "clarithromycin", "cephalexin", "antipyretics_safety_net"),
            ("paediatric_hdu", "paediatric_ward", "paediatric_assessment_unit", "discharge"),
            paeds_fluids_call,
            paeds_diagnose,
            paeds_treat,
            paeds_dispose,
            paeds_draw,
            (
                "NICE NG143 fever in under 5s",
                "NICE NG224 UTI in under 16s",
                "NICE NG138",
                "NICE NG240",
                "Holliday MA, Segar WE. Pediatrics 1957",
            ),
        ),
        Pathway(
            "post_operative",
            "Post-operative deterioration",
            "NEWS2 (calculators news2)",
            0,
            ("fbc", "ctpa", "ct_abdomen", "chest_xray", "ecg"),
            (
                "postoperative_haemorrhage",
                "pulmonary_embolism",
                "anastomotic_leak",
                "hospital_acquired_pneumonia",
                "new_atrial_fibrillation",
            ),
            (
                "transfusion_and_surgical_review",
                "anticoagulation",
                "piperacillin-tazobactam",
                "ciprofloxacin_metronidazole",
                "rate_control_beta_blocker",
                "rate_control_calcium_channel_blocker",
            ),
            ("return_to_theatre", "icu", "hdu", "surgical_ward"),
            news2_call,
            postop_diagnose,
            postop_treat,
            postop_dispose,
            postop_draw,
            ("NICE CG50", "Royal College of Physicians NEWS2 2017", "ESC 2019 acute PE", "ESC 2020 AF", "NICE NG24"),
        ),
        Pathway(
            "upper_gi_bleed",
            "Upper gastrointestinal bleeding",
            "Glasgow-Blatchford score (calculators glasgow_blatchford)",
            0,
            ("endoscopy", "coagulation", "group_and_save"),
            ("variceal_bleed", "peptic_ulcer_bleed", "mallory_weiss_tear", "low_risk_bleed"),
            ("terlipressin_and_antibiotics", "endoscopic_haemostasis_ppi", "supportive_ppi", "outpatient_review"),
            ("hdu", "medical_ward", "discharge"),
            ugib_gbs_call,
            ugib_diagnose,
            ugib_treat,
            ugib_dispose,
            ugib_draw,
            ("NICE CG141", "Baveno VII 2022", "Blatchford O et al. Lancet 2000;356:1318-21"),
        ),
        Pathway(
            "pregnancy_hypertension",
            "Hypertension in pregnancy",
            "mean arterial pressure, mm Hg (calculators mean_arterial_pressure)",
            1,
            ("repeat_bp", "urine_protein_creatinine_ratio", "pre_eclampsia_bloods"),
            (
                "gestational_hypertension",
                "severe_gestational_hypertension",
                "preeclampsia_without_severe_features",
                "preeclampsia_with_severe_features",
                "chronic_hypertension",
                "superimposed_preeclampsia",
                "superimposed_preeclampsia_with_severe_features",
            ),
            ("magnesium_and_labetalol", "magnesium_and_nifedipine", "oral_labetalol", "oral_nifedipine"),
            ("labour_ward", "obstetric_hdu", "antenatal_ward", "day_assessment_unit"),
            map_call,
            pregnancy_diagnose,
            pregnancy_treat,
            pregnancy_dispose,
            pregnancy_draw,
            ("ACOG Practice Bulletin 222 (2020)", "NICE NG133", "BNF: labetalol contraindicated in asthma"),
        ),
    )
}
"""Pathway name -> its definition, in a fixed order."""

TARGETS: dict[str, tuple[str, ...]] = {name: p.diagnoses for name, p in PATHWAYS.items()} | {
    "pregnancy_hypertension": PREGNANCY_TARGETS
}
"""The diagnoses a draw aims at (every diagnosis of a pathway, except the rarer pregnancy categories that the
classification reaches from them)."""


__all__ = ["PATHWAYS", "TARGETS", "Pathway", "ScoreCall", "calculate", "interacting", "thrombolysis_contraindications"]
