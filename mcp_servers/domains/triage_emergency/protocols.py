"""Time-critical ED protocols: activation criteria, time targets and the guideline behind each.

``check`` evaluates one protocol's criteria against an arrival's facts and says, criterion by criterion, what was met
and on what evidence. Time targets are minutes from arrival (door time) unless the measure says otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from healthgym.mcp_servers.domains.triage_emergency.esi import (
    SEVERE_RESPIRATORY_DISTRESS,
    completed_years,
    hypoperfused,
    hypotension_threshold,
)
from healthgym.mcp_servers.domains.triage_emergency.models import Arrival
from healthgym.mcp_servers.domains.triage_emergency.scores import score

ProtocolCode = Literal["stemi", "stroke", "sepsis", "anaphylaxis", "major_trauma"]
PROTOCOL_CODES: tuple[ProtocolCode, ...] = ("stemi", "stroke", "sepsis", "anaphylaxis", "major_trauma")

STEMI_SOURCE = (
    "O'Gara PT et al. 2013 ACCF/AHA guideline for the management of ST-elevation myocardial infarction. "
    "Circulation 2013;127:e362-e425; Gulati M et al. 2021 AHA/ACC guideline for the evaluation and "
    "diagnosis of chest pain. Circulation 2021;144:e368-e454; Thygesen K et al. Fourth universal "
    "definition of myocardial infarction. Circulation 2018;138:e618-e651"
)
STROKE_SOURCE = (
    "Powers WJ et al. 2019 update to the 2018 guidelines for the early management of acute ischemic "
    "stroke (AHA/ASA). Stroke 2019;50:e344-e418; NINDS rt-PA stroke study group time targets (NINDS "
    "symposium 1997)"
)
SEPSIS_SOURCE = (
    "Evans L et al. Surviving Sepsis Campaign: international guidelines 2021. Crit Care Med "
    "2021;49:e1063-e1143; Levy MM, Evans LE, Rhodes A. The Surviving Sepsis Campaign bundle: 2018 "
    "update (hour-1 bundle). Crit Care Med 2018;46:997-1000; RCP NEWS2 2017; Weiss SL et al. SSC "
    "international guidelines for children. Pediatr Crit Care Med 2020;21:e52-e106; NICE CG151 "
    "Neutropenic sepsis 2012 (updated 2020)"
)
ANAPHYLAXIS_SOURCE = (
    "Cardona V et al. World Allergy Organization anaphylaxis guidance 2020. World Allergy Organ J "
    "2020;13:100472; Resuscitation Council UK. Emergency treatment of anaphylaxis: guidelines for "
    "healthcare providers, 2021"
)
TRAUMA_SOURCE = (
    "Newgard CD et al. National guideline for the field triage of injured patients (ACS COT 2021). "
    "J Trauma Acute Care Surg 2022;93:e49-e60; American College of Surgeons. Resources for Optimal Care "
    "of the Injured Patient, 2014 (highest-level activation criteria; surgeon within 15 minutes)"
)


@dataclass(frozen=True)
class TimeTarget:
    """A time target of a protocol, in minutes from arrival unless ``measure`` says otherwise."""

    measure: str
    minutes: int
    source: str


@dataclass(frozen=True)
class Protocol:
    """A time-critical ED protocol."""

    code: ProtocolCode
    name: str
    activation: str
    """The activation rule in one sentence."""
    criteria: tuple[str, ...]
    time_targets: tuple[TimeTarget, ...]
    actions: tuple[str, ...]
    source: str


PROTOCOLS: dict[str, Protocol] = {
    "stemi": Protocol(
        "stemi",
        "STEMI / primary PCI (cath lab activation)",
        "Ischaemic symptoms that began within 12 hours AND new ST elevation meeting the STEMI thresholds.",
        (
            "ischaemic chest pain with onset within 12 hours (reperfusion indicated: O'Gara 2013, class I)",
            "new ST elevation at the J point in two contiguous leads: >= 1 mm in leads other than V2-V3; in V2-V3 "
            ">= 2 mm in men >= 40 y, >= 2.5 mm in men < 40 y, >= 1.5 mm in women (Thygesen 2018)",
        ),
        (
            TimeTarget(
                "12-lead ECG acquired and read (door-to-ECG)",
                10,
                "Gulati 2021 AHA/ACC chest pain guideline; O'Gara 2013",
            ),
            TimeTarget(
                "primary PCI device time (door-to-balloon)", 90, "O'Gara 2013 ACCF/AHA STEMI guideline, class I"
            ),
            TimeTarget(
                "fibrinolysis if PCI cannot be done within 120 min of first medical contact (door-to-needle)",
                30,
                "O'Gara 2013 ACCF/AHA STEMI guideline, class I",
            ),
        ),
        (
            "aspirin 162-325 mg chewed",
            "activate the cath lab and interventional cardiologist",
            "P2Y12 inhibitor and anticoagulant per cath lab protocol",
            "continuous monitoring, defibrillator at hand",
        ),
        STEMI_SOURCE,
    ),
    "stroke": Protocol(
        "stroke",
        "Acute stroke (code stroke)",
        "A sudden focal neurological deficit, last known well within 24 hours, with hypoglycaemia excluded.",
        (
            "sudden focal neurological deficit (face, arm, leg weakness; speech or vision disturbance)",
            "last known well within 24 hours (IV thrombolysis to 4.5 h; mechanical thrombectomy to 24 h in selected "
            "patients with large-vessel occlusion: AHA/ASA 2019)",
            "blood glucose >= 50 mg/dL (hypoglycaemia is a stroke mimic; glucose is the only test required before "
            "alteplase: AHA/ASA 2019)",
        ),
        (
            TimeTarget("physician assessment (door-to-doctor)", 10, "NINDS 1997 targets"),
            TimeTarget("stroke team at the bedside", 15, "NINDS 1997 targets"),
            TimeTarget(
                "CT started (door-to-CT)",
                25,
                "NINDS 1997 targets; AHA/ASA 2019 aims for imaging within "
                "20 min of arrival in at least half of candidates",
            ),
            TimeTarget("CT interpreted", 45, "NINDS 1997 targets"),
            TimeTarget(
                "IV thrombolysis started (door-to-needle), if last known well within 4.5 h",
                60,
                "Powers 2019 AHA/ASA guideline",
            ),
        ),
        (
            "point-of-care glucose",
            "NIHSS by the stroke team",
            "non-contrast CT head and CT angiography",
            "IV alteplase or tenecteplase if eligible",
            "thrombectomy referral for large-vessel occlusion",
        ),
        STROKE_SOURCE,
    ),
    "sepsis": Protocol(
        "sepsis",
        "Sepsis hour-1 bundle",
        "Suspected infection with a severity marker (aged 16 and over: NEWS2 >= 5 or systolic BP < 90 mm Hg; under "
        "16: hypotension for age, capillary refill > 2 s or altered mental status), or fever within 6 weeks of "
        "chemotherapy.",
        (
            "suspected infection",
            "aged 16 and over: NEWS2 >= 5 (RCP 2017 urgent-response threshold; think sepsis) or systolic BP < 90 mm Hg",
            "under 16: hypotension for age, capillary refill > 2 s or altered mental status (SSC children 2020: septic "
            "shock or sepsis-associated organ dysfunction)",
            "fever within 6 weeks of chemotherapy: suspected neutropenic sepsis (NICE CG151)",
        ),
        (
            TimeTarget("lactate measured", 60, "Levy 2018 SSC hour-1 bundle"),
            TimeTarget("blood cultures before antimicrobials", 60, "Levy 2018 SSC hour-1 bundle"),
            TimeTarget(
                "broad-spectrum antimicrobials given",
                60,
                "Evans 2021 SSC: within 1 h for possible septic shock "
                "or a high likelihood of sepsis; within 3 h for possible sepsis without shock",
            ),
            TimeTarget(
                "30 mL/kg IV crystalloid started for hypotension or lactate >= 4 mmol/L",
                60,
                "Levy 2018 hour-1 bundle; Evans 2021 (within the first 3 h)",
            ),
            TimeTarget(
                "vasopressors if hypotensive during or after fluids, to MAP >= 65 mm Hg", 60, "Levy 2018 hour-1 bundle"
            ),
        ),
        (
            "measure lactate, remeasure if > 2 mmol/L",
            "blood cultures",
            "broad-spectrum antibiotics",
            "30 mL/kg crystalloid for hypotension or lactate >= 4",
            "vasopressors for MAP < 65 after fluids",
        ),
        SEPSIS_SOURCE,
    ),
    "anaphylaxis": Protocol(
        "anaphylaxis",
        "Anaphylaxis",
        "WAO 2020 criterion 1 (acute skin/mucosal involvement with respiratory compromise, reduced BP or end-organ "
        "dysfunction, or severe gastrointestinal symptoms) or criterion 2 (hypotension, bronchospasm or laryngeal "
        "involvement after exposure to a known allergen).",
        (
            "criterion 1: acute skin/mucosal involvement AND respiratory compromise, reduced BP/end-organ dysfunction "
            "or severe gastrointestinal symptoms",
            "criterion 2: exposure to a known allergen for the patient AND hypotension, bronchospasm or laryngeal "
            "involvement",
        ),
        (
            TimeTarget("IM adrenaline into the anterolateral thigh", 0, "RCUK 2021; WAO 2020: without delay"),
            TimeTarget("repeat IM adrenaline if no improvement", 5, "RCUK 2021: after 5 minutes"),
        ),
        (
            "IM adrenaline 1 mg/mL: adult and child > 12 y 500 micrograms (0.5 mL); 6-12 y 300 micrograms; "
            "6 months-6 y 150 micrograms; < 6 months 100-150 micrograms (RCUK 2021)",
            "lie flat (or sit if breathing is difficult), high-flow oxygen",
            "IV fluid bolus for shock",
            "refractory after two IM doses: adrenaline infusion with expert help (RCUK 2021)",
        ),
        ANAPHYLAXIS_SOURCE,
    ),
    "major_trauma": Protocol(
        "major_trauma",
        "Major trauma team activation (highest tier)",
        "Any ACS 2021 red criterion (injury pattern, or mental status and vital signs), or GCS < 9 from trauma.",
        (
            "injury pattern: penetrating injury to head, neck, torso or proximal extremity; skull deformity; spinal "
            "injury with new motor/sensory loss; flail chest; suspected pelvic fracture; two or more proximal long-"
            "bone fractures; crushed, degloved, mangled or pulseless extremity; amputation proximal to wrist or ankle;"
            " bleeding needing a tourniquet or packing",
            "unable to follow commands (GCS motor < 6), or GCS < 9 (ACS COT 2014)",
            "respiratory rate < 10 or > 29/min, respiratory distress or need for respiratory support, or SpO2 < 90%",
            "age 0-9: SBP < 70 + 2 x age; age 10-64: SBP < 90 or HR > SBP; age >= 65: SBP < 110 or HR > SBP",
        ),
        (
            TimeTarget("trauma team leader (surgeon) at the bedside", 15, "ACS Resources for Optimal Care 2014"),
            TimeTarget("primary survey begun", 0, "ATLS 10th ed.: on arrival"),
        ),
        (
            "pre-alert the trauma team",
            "primary survey (ABCDE)",
            "massive transfusion protocol if haemorrhagic shock",
            "trauma CT or theatre",
        ),
        TRAUMA_SOURCE,
    ),
}


class CriterionResult(BaseModel):
    criterion: str
    met: bool
    evidence: str


class TimeTargetDue(BaseModel):
    measure: str
    minutes_from_arrival: int
    due_by: str = Field(description="Clock time the target falls due, HH:MM.")
    source: str


class ProtocolCheck(BaseModel):
    """Whether an arrival meets a protocol's activation criteria, criterion by criterion."""

    arrival_id: str
    protocol: str
    name: str
    met: bool
    activation_rule: str
    criteria: list[CriterionResult]
    time_targets: list[TimeTargetDue]
    notes: list[str] = Field(default_factory=list)
    source: str


def due_by(arrival_time: str, minutes: int) -> str:
    hours, mins = (int(part) for part in arrival_time.split(":"))
    total = (hours * 60 + mins + minutes) % (24 * 60)
    return f"{total // 60:02d}:{total % 60:02d}"


Criteria = tuple[bool, list[CriterionResult], list[str]]


def st_elevation_threshold_mm(leads: str, sex: str, age_years: float) -> float:
    """New ST elevation at the J point meeting the STEMI threshold (Fourth Universal Definition of MI, Thygesen K et
    al. Circulation 2018;138:e618-51): >= 1 mm in two contiguous leads other than V2-V3; in V2-V3 >= 2 mm in men
    >= 40 years, >= 2.5 mm in men < 40 years, >= 1.5 mm in women of any age."""
    if leads != "V2, V3":
        return 1.0
    if sex == "female":
        return 1.5
    return 2.0 if age_years >= 40 else 2.5


def _stemi(a: Arrival) -> Criteria:
    c = a.cardiac
    texts = PROTOCOLS["stemi"].criteria
    if c is None:
        return (
            False,
            [
                CriterionResult(criterion=texts[0], met=False, evidence="no chest pain presentation"),
                CriterionResult(criterion=texts[1], met=False, evidence="no triage ECG"),
            ],
            [],
        )
    onset = c.symptom_onset_hours <= 12
    threshold = st_elevation_threshold_mm(c.st_leads, a.sex, a.age_years)
    st = c.ecg == "st_elevation" and c.st_elevation_mm >= threshold
    st_evidence = (
        f"ST elevation {c.st_elevation_mm:g} mm in {c.st_leads}; threshold {threshold:g} mm for these "
        f"leads in a {completed_years(a.age_days)}-year-old {a.sex}"
        if c.ecg == "st_elevation"
        else f"ECG: {c.ecg.replace('_', ' ')}, no ST elevation"
    )
    return (
        onset and st,
        [
            CriterionResult(criterion=texts[0], met=onset, evidence=f"pain began {c.symptom_onset_hours:g} h ago"),
            CriterionResult(criterion=texts[1], met=st, evidence=st_evidence),
        ],
        [],
    )


def _stroke(a: Arrival) -> Criteria:
    n, texts = a.neuro, PROTOCOLS["stroke"].criteria
    deficit = bool(n.focal_deficits)
    lkw = n.last_known_well_hours
    window = lkw is not None and lkw <= 24
    glucose_ok = a.glucose_mg_dl is not None and a.glucose_mg_dl >= 50
    notes = []
    if deficit and window:
        notes.append(
            f"last known well {lkw:g} h ago: "
            + (
                "within the 4.5 h IV thrombolysis window"
                if lkw <= 4.5
                else "beyond 4.5 h: thrombectomy assessment only (to 24 h, AHA/ASA 2019)"
            )
        )
    return (
        deficit and window and glucose_ok,
        [
            CriterionResult(
                criterion=texts[0], met=deficit, evidence=", ".join(n.focal_deficits) or "no focal deficit"
            ),
            CriterionResult(
                criterion=texts[1],
                met=window,
                evidence="last known well unknown" if lkw is None else f"last known well {lkw:g} h ago",
            ),
            CriterionResult(
                criterion=texts[2],
                met=glucose_ok,
                evidence="glucose not measured" if a.glucose_mg_dl is None else f"glucose {a.glucose_mg_dl} mg/dL",
            ),
        ],
        notes,
    )


def _sepsis(a: Arrival) -> Criteria:
    texts, v = PROTOCOLS["sepsis"].criteria, a.vitals
    infection = a.infection is not None
    adult = a.age_years >= 16
    results = [
        CriterionResult(
            criterion=texts[0],
            met=infection,
            evidence=a.infection.suspected_source if a.infection else "no suspected infection",
        )
    ]
    if adult:
        news = score(a, "news2")
        marker = (news.value or 0) >= 5 or v.systolic_bp_mm_hg < 90
        results.append(
            CriterionResult(
                criterion=texts[1],
                met=marker,
                evidence=f"NEWS2 {news.value:g}, systolic BP {v.systolic_bp_mm_hg} mm Hg",
            )
        )
    else:
        threshold = hypotension_threshold(a.age_days)
        signs = [
            s
            for s, hit in (
                (f"SBP {v.systolic_bp_mm_hg} < {threshold}", v.systolic_bp_mm_hg < threshold),
                (f"capillary refill {v.capillary_refill_s:g} s", hypoperfused(a)),
                (f"mental status {a.mental_status}", a.mental_status != "alert"),
            )
            if hit
        ]
        marker = bool(signs)
        results.append(
            CriterionResult(
                criterion=texts[2],
                met=marker,
                evidence="; ".join(signs) or "normal blood pressure, perfusion and mental status for age",
            )
        )
    neutropenic = a.infection is not None and a.infection.chemotherapy_within_6_weeks and v.temperature_c > 38.0
    results.append(
        CriterionResult(
            criterion=texts[3],
            met=neutropenic,
            evidence=f"chemotherapy within 6 weeks, temperature {v.temperature_c:g} C"
            if neutropenic
            else "no recent chemotherapy with fever",
        )
    )
    return (infection and marker) or neutropenic, results, []


def _reduced_bp(a: Arrival) -> bool:
    """WAO 2020: systolic BP below the age-specific threshold (adults < 90 mm Hg)."""
    return a.vitals.systolic_bp_mm_hg < hypotension_threshold(a.age_days)


def adrenaline_dose(age_days: int) -> str:
    """IM adrenaline dose by age (Resuscitation Council UK 2021)."""
    years = completed_years(age_days)
    if years > 12:
        return "500 micrograms IM (0.5 mL of 1 mg/mL)"
    if years >= 6:
        return "300 micrograms IM (0.3 mL of 1 mg/mL)"
    if age_days >= 182:
        return "150 micrograms IM (0.15 mL of 1 mg/mL)"
    return "100-150 micrograms IM (0.1-0.15 mL of 1 mg/mL)"


def _anaphylaxis(a: Arrival) -> Criteria:
    texts, al = PROTOCOLS["anaphylaxis"].criteria, a.allergy
    if al is None:
        return False, [CriterionResult(criterion=t, met=False, evidence="no allergen exposure") for t in texts], []
    organ = a.mental_status != "alert" or hypoperfused(a)
    systemic = [
        name
        for name, hit in (
            ("respiratory compromise", al.respiratory_compromise),
            ("reduced blood pressure", _reduced_bp(a)),
            ("end-organ dysfunction", organ),
            ("severe GI symptoms", al.severe_gi),
        )
        if hit
    ]
    first = al.skin_mucosal and bool(systemic)
    second = al.known_allergy and (al.respiratory_compromise or _reduced_bp(a))
    skin = "skin/mucosal involvement" if al.skin_mucosal else "no skin/mucosal involvement"
    met = first or second
    return (
        met,
        [
            CriterionResult(
                criterion=texts[0], met=first, evidence=f"{skin}; {', '.join(systemic) or 'no systemic signs'}"
            ),
            CriterionResult(
                criterion=texts[1],
                met=second,
                evidence=f"{al.allergen} ({'known' if al.known_allergy else 'not a known'} allergen)",
            ),
        ],
        [f"dose for {a.age}: {adrenaline_dose(a.age_days)}"] if met else [],
    )


def _major_trauma(a: Arrival) -> Criteria:
    texts, v, t = PROTOCOLS["major_trauma"].criteria, a.vitals, a.trauma
    if t is None:
        return False, [CriterionResult(criterion=c, met=False, evidence="no injury") for c in texts], []
    n = a.neuro
    gcs = n.gcs_eye + n.gcs_verbal + n.gcs_motor
    neuro = n.gcs_motor < 6 or gcs < 9
    breathing = [
        s
        for s, hit in (
            (f"RR {v.respiratory_rate_per_min}", not 10 <= v.respiratory_rate_per_min <= 29),
            (f"SpO2 {v.spo2_percent}%", v.spo2_percent < 90),
            ("severe respiratory distress", SEVERE_RESPIRATORY_DISTRESS in a.findings),
        )
        if hit
    ]
    years, sbp, hr = completed_years(a.age_days), v.systolic_bp_mm_hg, v.heart_rate_bpm
    if years <= 9:
        limit, shock_hr = 70 + 2 * years, False
    else:
        limit, shock_hr = (110 if years >= 65 else 90), hr > sbp
    circulation = sbp < limit or shock_hr
    results = [
        CriterionResult(criterion=texts[0], met=bool(t.injuries), evidence="; ".join(t.injuries) or "none found"),
        CriterionResult(criterion=texts[1], met=neuro, evidence=f"GCS {gcs} (motor {n.gcs_motor})"),
        CriterionResult(
            criterion=texts[2],
            met=bool(breathing),
            evidence="; ".join(breathing) or f"RR {v.respiratory_rate_per_min}, SpO2 {v.spo2_percent}%",
        ),
        CriterionResult(
            criterion=texts[3], met=circulation, evidence=f"SBP {sbp} (limit {limit} at age {years}), HR {hr}"
        ),
    ]
    notes = [
        f"mechanism criterion (ACS 2021 yellow: trauma centre, not by itself a full activation): {c}"
        for c in t.mechanism_criteria
    ]
    return any(r.met for r in results), results, notes


EVALUATORS: dict[str, Callable[[Arrival], Criteria]] = {
    "stemi": _stemi,
    "stroke": _stroke,
    "sepsis": _sepsis,
    "anaphylaxis": _anaphylaxis,
    "major_trauma": _major_trauma,
}


def check(arrival: Arrival, code: str) -> ProtocolCheck:
    """Evaluate protocol ``code`` for the arrival."""
    protocol = PROTOCOLS[code]
    met, criteria, notes = EVALUATORS[code](arrival)
    return ProtocolCheck(
        arrival_id=arrival.arrival_id,
        protocol=code,
        name=protocol.name,
        met=met,
        activation_rule=protocol.activation,
        criteria=criteria,
        time_targets=[
            TimeTargetDue(
                measure=t.measure,
                minutes_from_arrival=t.minutes,
                due_by=due_by(arrival.arrival_time, t.minutes),
                source=t.source,
            )
            for t in protocol.time_targets
        ],
        notes=notes,
        source=protocol.source,
    )


def met_protocols(arrival: Arrival) -> list[str]:
    """Codes of every protocol whose activation criteria the arrival meets, in ``PROTOCOL_CODES`` order."""
    return [code for code in PROTOCOL_CODES if check(arrival, code).met]
