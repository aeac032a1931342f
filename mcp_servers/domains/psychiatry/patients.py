"""Synthetic psychiatric patients, each a pure function of its opaque id.

A case is built from ``(split, seed, index)``: the task kind (``KIND_CYCLE``), a chart (history, mental status
examination, medications, vital signs, labs, ECG, neurological examination) and what only the patient knows until
asked: the answer to every item of every instrument and to every interview topic. The generator decides the
finding a task turns on first (an instrument band, a failing criterion, a C-SSRS level, an ANC row, a QTc category,
a Hunter rule) and builds the case around it, so every category is represented and each gold answer is decided by
the case with a margin (QTc values at least 4 ms from every cut-off; one failing criterion at most).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from healthgym.mcp_servers.clinic import case_rng
from healthgym.mcp_servers.clinic.ids import decode_case_id, encode_case_id
from healthgym.mcp_servers.domains.psychiatry import criteria, instruments, pharmacology
from healthgym.mcp_servers.domains.psychiatry.instruments import CSSRS_LEVELS, INSTRUMENTS, Instrument
from healthgym.schemas import Split

DOMAIN = "psychiatry"
PREFIX = "PSY"
Kind = Literal[
    "instrument", "criteria", "suicide_risk", "depression_workup", "clozapine", "qtc", "toxicity", "metabolic",
    "lithium",
]
KIND_CYCLE: tuple[Kind, ...] = (
    "instrument", "instrument", "instrument", "criteria", "criteria", "suicide_risk", "depression_workup",
    "clozapine", "qtc", "toxicity", "metabolic", "lithium",
)  # fmt: skip
"""Kind of task ``index`` (by ``index % 12``)."""
SCREENED = tuple(c for c in INSTRUMENTS if c != "cssrs")
"""Instruments of the instrument-scoring task (the C-SSRS has its own tasks)."""

SEROTONERGIC = ("sertraline", "fluoxetine", "escitalopram", "venlafaxine", "tramadol", "linezolid",
                "dextromethorphan", "duloxetine")  # fmt: skip
DOPAMINE_ANTAGONISTS = ("haloperidol", "olanzapine", "risperidone", "quetiapine", "aripiprazole",
                        "metoclopramide", "prochlorperazine")  # fmt: skip
SGAS = ("olanzapine", "risperidone", "quetiapine", "aripiprazole", "paliperidone", "lurasidone", "ziprasidone")
METABOLIC_VISITS = (4, 8, 12, 26, 39, 52, 65, 104, 156, 260)
"""Follow-up visit weeks: weeks 4/8/12, quarterly, annual and 5-year visits (ADA/APA 2004 schedule)."""
QT_ANTIPSYCHOTICS = ("haloperidol", "quetiapine", "ziprasidone", "chlorpromazine", "olanzapine", "risperidone")
OTHER_DRUGS = ("metformin 500 mg twice daily", "amlodipine 5 mg daily", "atorvastatin 20 mg daily",
               "levothyroxine 75 mcg daily", "omeprazole 20 mg daily", "salbutamol inhaler as needed")  # fmt: skip


class Medication(BaseModel):
    name: str
    dose: str
    drug_class: str
    months_on: float = Field(description="Months since the drug was started.")


class Lab(BaseModel):
    name: str
    value: float
    unit: str
    reference_range: str


class Vitals(BaseModel):
    heart_rate_bpm: int
    systolic_bp_mm_hg: int
    diastolic_bp_mm_hg: int
    respiratory_rate_per_min: int
    temperature_c: float
    spo2_percent: int


class Ecg(BaseModel):
    qt_ms: int
    heart_rate_bpm: int
    rhythm: str
    baseline_qtc_fridericia_ms: int = Field(description="QTc (Fridericia) on the ECG before the antipsychotic.")


class SgaMonitoring(BaseModel):
    """Metabolic monitoring visit on a second-generation antipsychotic."""

    drug: str
    weeks_on_treatment: int
    height_m: float
    baseline_weight_kg: float
    weight_kg: float = Field(description="Today's weight.")


class MentalStatus(BaseModel):
    appearance: str
    behaviour: str
    speech: str
    mood: str
    affect: str
    thought_process: str
    thought_content: str
    perception: str
    cognition: str
    insight_judgement: str


class PatientRecord(BaseModel):
    """The chart: what any clinician can read without asking the patient."""

    patient_id: str
    age: int
    sex: Literal["female", "male"]
    setting: str
    presenting_complaint: str
    psychiatric_history: list[str]
    medical_history: list[str]
    substance_use: str
    social_history: str
    medications: list[Medication]
    mental_status: MentalStatus
    vitals: Vitals
    labs: list[Lab]
    ecg: Ecg | None = None
    neuro_exam: dict[str, bool] = Field(default_factory=dict, description="Neuromuscular signs on examination.")
    benign_ethnic_neutropenia: bool = Field(default=False, description="Documented BEN (clozapine ANC table).")
    sga_monitoring: SgaMonitoring | None = None


class Hidden(BaseModel):
    """What the patient knows and says only when asked."""

    answers: dict[str, list[str]] = Field(description="Instrument code -> option label per item.")
    findings: dict[str, bool | float] = Field(description="Interview topic -> finding (absent topics: no / 0).")


class CaseFile(BaseModel):
    record: PatientRecord
    hidden: Hidden


@dataclass(frozen=True)
class Plan:
    kind: Kind
    instrument: str = ""
    disorder: str = ""
    failing: str | None = None
    extra: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    file: CaseFile
    plan: Plan

    @property
    def record(self) -> PatientRecord:
        return self.file.record


def case_id(split: Split, seed: int, index: int) -> str:
    return encode_case_id(PREFIX, DOMAIN, split, seed, index)


def parse_case_id(patient_id: str) -> tuple[Split, int, int]:
    return decode_case_id(PREFIX, DOMAIN, patient_id)


# --- instrument answers --------------------------------------------------------------------------------------------


def band_ranges(code: str, sex: str) -> list[tuple[str, int, int]]:
    """(band, lowest total, highest total) of each band, from the instrument's published cut-offs."""
    if code == "auditc":
        cut = instruments.auditc_cutoff(sex)
        return [("negative", 0, cut - 1), ("positive", cut, 12)]
    table = {
        "phq9": [("minimal", 0, 4), ("mild", 5, 9), ("moderate", 10, 14), ("moderately_severe", 15, 19),
                 ("severe", 20, 27)],
        "gad7": [("minimal", 0, 4), ("mild", 5, 9), ("moderate", 10, 14), ("severe", 15, 21)],
        "audit": [(instruments.AUDIT_ZONES[0], 0, 7), (instruments.AUDIT_ZONES[1], 8, 15),
                  (instruments.AUDIT_ZONES[2], 16, 19), (instruments.AUDIT_ZONES[3], 20, 40)],
        "cage": [("negative", 0, 1), ("positive", 2, 4)],
        "pcl5": [("below_cutoff", 0, 32), ("probable_ptsd", 33, 80)],
        "epds": [("low", 0, 9), ("possible_depression", 10, 12), ("probable_depression", 13, 30)],
        "asrs": [("negative", 0, 3), ("positive", 4, 6)],
        "scoff": [("negative", 0, 1), ("positive", 2, 5)],
        "mdq": [("negative", 0, 13), ("positive", 7, 13)],
    }  # fmt: skip
    return table[code]


@cache
def _levels(item: instruments.Item) -> tuple[int, ...]:
    return tuple(sorted({p for _, p in item.options}))


def points_for_total(
    inst: Instrument, total: int, rng: np.random.Generator, bounds: dict[int, tuple[int, int]] | None = None
) -> list[int]:
    """Item points summing to ``total`` (random spread), each within its allowed values and ``bounds``."""
    bounds = bounds or {}
    for _ in range(200):
        pts = []
        for i, item in enumerate(inst.items, 1):
            lo = bounds.get(i, (0, 99))[0]
            pts.append(min(v for v in _levels(item) if v >= lo))
        remaining = total - sum(pts)
        while remaining > 0:
            moves = []
            for i, item in enumerate(inst.items):
                hi = bounds.get(i + 1, (0, 99))[1]
                nxt = [v for v in _levels(item) if pts[i] < v <= min(hi, pts[i] + remaining)]
                if nxt:
                    moves.append((i, nxt[0]))
            if not moves:
                break
            i, v = moves[int(rng.integers(len(moves)))]
            remaining -= v - pts[i]
            pts[i] = v
        if remaining == 0:
            return pts
    raise RuntimeError(f"{inst.code}: no answers add up to {total} within {bounds}")


def labels_for(inst: Instrument, points: list[int], rng: np.random.Generator) -> list[str]:
    """An option label per item with the given points (several labels may score alike, e.g. ASRS 'never'/'rarely')."""
    out = []
    for item, p in zip(inst.items, points, strict=True):
        labels = [label for label, v in item.options if v == p]
        out.append(labels[int(rng.integers(len(labels)))] if len(labels) > 1 else labels[0])
    return out


def sample_total(code: str, sex: str, rng: np.random.Generator) -> tuple[str, int]:
    """A band (uniform) and a total in it; half the time on the band's edge, so cut-offs are tested."""
    band, lo, hi = band_ranges(code, sex)[int(rng.integers(len(band_ranges(code, sex))))]
    total = int(rng.choice([lo, hi])) if rng.random() < 0.5 else int(rng.integers(lo, hi + 1))
    return band, total


def mdq_points(band: str, total: int, rng: np.random.Generator) -> list[int]:
    """MDQ points: items 1-13 with ``total`` yes, item 14 (same period), item 15 (problem level 0-3)."""
    part1 = [1] * total + [0] * (13 - total)
    rng.shuffle(part1)
    if band == "positive":
        return [*part1, 1, int(rng.integers(2, 4))]
    if total >= 7:  # negative despite 7+ symptoms: not at the same time, or at most a minor problem
        return [*part1, 0, int(rng.integers(0, 4))] if rng.random() < 0.5 else [*part1, 1, int(rng.integers(0, 2))]
    return [*part1, int(rng.integers(0, 2)), int(rng.integers(0, 4))]


def cssrs_points(level: str, rng: np.random.Generator) -> list[int]:
    """C-SSRS screener points for a level; items 3-5 are 'no' unless item 2 is 'yes' (the screen's skip rule)."""
    q = [0] * 6
    if level == "low":
        q[0] = 1
        q[1] = int(rng.random() < 0.5)
    elif level == "moderate":
        if rng.random() < 0.6:
            q[:3] = [1, 1, 1]
            q[5] = int(rng.random() < 0.3)
        else:
            q[0] = int(rng.random() < 0.5)
            q[5] = 1
    elif level == "high":
        route = int(rng.integers(3))
        if route == 2:
            q[0] = int(rng.random() < 0.5)
            q[5] = 2
        else:
            q[:3] = [1, 1, int(rng.random() < 0.7)]
            q[3] = 1 if route == 0 else int(rng.random() < 0.5)
            q[4] = 1 if route == 1 else 0
            q[5] = int(rng.integers(0, 3))
    return q


def _answers(
    rng: np.random.Generator, sex: str, plan: Plan, cssrs: list[int]
) -> tuple[dict[str, list[str]], dict[str, object]]:
    """Answers to every instrument: the planned one at its planned total, the others low; PHQ-9 item 9 and EPDS
    item 10 agree with C-SSRS item 1 (a wish to be dead)."""
    out: dict[str, list[str]] = {}
    meta: dict[str, object] = {}
    for code, inst in INSTRUMENTS.items():
        if code == "cssrs":
            pts = cssrs
        elif code == "mdq":
            band, total = sample_total(code, sex, rng) if plan.instrument == "mdq" else ("negative", 1)
            pts = mdq_points(band, total, rng)
        else:
            bounds = {}
            self_harm = {"phq9": 9, "epds": 10}.get(code)
            if self_harm:
                bounds[self_harm] = (1, 3) if cssrs[0] else (0, 0)
            if plan.instrument == code or (code == "phq9" and plan.kind == "depression_workup"):
                band, total = sample_total(code, sex, rng)
                ceiling = sum(min(_levels(it)[-1], bounds.get(it.number, (0, 99))[1]) for it in inst.items)
                total = min(max(total, 1 if self_harm and cssrs[0] else 0), ceiling)
            else:
                total = int(rng.integers(0, 3)) + (1 if self_harm and cssrs[0] else 0)
            pts = points_for_total(inst, total, rng, bounds)
        out[code] = labels_for(inst, pts, rng)
        meta[code] = pts
    return out, meta


# --- the chart -----------------------------------------------------------------------------------------------------

NORMAL_MSE = MentalStatus(
    appearance="appropriately dressed, good hygiene", behaviour="calm, cooperative, good eye contact",
    speech="normal rate, volume and tone", mood="'okay'", affect="euthymic, full range",
    thought_process="linear and goal-directed", thought_content="no delusions; see risk assessment",
    perception="no hallucinations", cognition="alert, oriented x3", insight_judgement="good",
)  # fmt: skip


def _vitals(rng: np.random.Generator, temperature: float | None = None, hr: int | None = None) -> Vitals:
    return Vitals(
        heart_rate_bpm=hr if hr is not None else int(rng.integers(62, 96)),
        systolic_bp_mm_hg=int(rng.integers(108, 142)), diastolic_bp_mm_hg=int(rng.integers(64, 88)),
        respiratory_rate_per_min=int(rng.integers(12, 19)),
        temperature_c=temperature if temperature is not None else round(float(rng.uniform(36.3, 37.4)), 1),
        spo2_percent=int(rng.integers(95, 100)),
    )  # fmt: skip


def _basic_labs(rng: np.random.Generator) -> list[Lab]:
    return [
        Lab(name="sodium", value=int(rng.integers(136, 145)), unit="mmol/L", reference_range="135-145"),
        Lab(name="potassium", value=round(float(rng.uniform(3.6, 4.9)), 1), unit="mmol/L",
            reference_range="3.5-5.0"),
        Lab(name="creatinine", value=int(rng.integers(55, 105)), unit="umol/L", reference_range="45-110"),
        Lab(name="TSH", value=round(float(rng.uniform(0.6, 3.8)), 2), unit="mIU/L", reference_range="0.4-4.0"),
    ]  # fmt: skip


def _med(name: str, dose: str, drug_class: str, months: float) -> Medication:
    return Medication(name=name, dose=dose, drug_class=drug_class, months_on=months)


COMPLAINTS: dict[str, str] = {
    "phq9": "low mood and poor sleep for some weeks; attends for a depression screen",
    "gad7": "constant worry and tension; attends for an anxiety screen",
    "audit": "referred after a fall at a party; alcohol screen requested",
    "auditc": "annual review; brief alcohol consumption screen",
    "cage": "liver enzymes raised on routine bloods; alcohol screen requested",
    "pcl5": "poor sleep and irritability since a serious road traffic collision",
    "epds": "postnatal check; screening for perinatal depression",
    "mdq": "recurrent depression; the team asks about past elevated mood periods",
    "asrs": "lifelong disorganisation at work; asks about ADHD",
    "scoff": "concern from family about eating and weight",
    "major_depressive_disorder": "low mood, tiredness and loss of interest",
    "generalized_anxiety_disorder": "persistent worry and tension",
    "panic_disorder": "sudden attacks of fear with palpitations",
    "ptsd": "distress after a traumatic event",
    "bipolar_i": "family describe a period of unusual energy and behaviour",
    "bipolar_ii": "recurrent depression with brief periods of high energy",
    "adhd_adult": "difficulty with attention and organisation at work",
}


def _mse_for(kind: Kind, findings: dict[str, bool | float], level: str) -> MentalStatus:
    mse = NORMAL_MSE.model_copy()
    if findings.get("depressed_mood") or kind in ("depression_workup", "suicide_risk"):
        mse = mse.model_copy(update={"mood": "'low'", "affect": "constricted, dysphoric",
                                     "speech": "quiet, reduced spontaneity"})  # fmt: skip
    if findings.get("elevated_mood") or findings.get("irritable_mood"):
        mse = mse.model_copy(update={"mood": "reports feeling 'fine' now", "affect": "euthymic"})
    if level in ("moderate", "high"):
        mse = mse.model_copy(update={"thought_content": "speaks of hopelessness; ask about suicidal thoughts"})
    return mse


@lru_cache(maxsize=1024)
def build_case(split: Split, seed: int, index: int) -> Case:
    """The case of ``(split, seed, index)``; a pure function of its arguments (cached: every tool call of an episode
    rebuilds its patient from the id; callers only read the case)."""
    rng = case_rng(DOMAIN, split, seed, index)
    kind = KIND_CYCLE[index % len(KIND_CYCLE)]
    turn = index // len(KIND_CYCLE)
    pid = case_id(split, seed, index)
    sex = "female" if rng.random() < 0.5 else "male"
    age = int(rng.integers(19, 76))
    plan = Plan(kind=kind)
    findings: dict[str, bool | float] = {}
    level = "none"
    setting = "outpatient psychiatry clinic"
    complaint = ""
    meds: list[Medication] = []
    labs = _basic_labs(rng)
    vitals = _vitals(rng)
    ecg: Ecg | None = None
    monitoring: SgaMonitoring | None = None
    exam: dict[str, bool] = {}
    ben = False
    history = ["no previous psychiatric admissions"]
    medical = ["no significant medical history"] if rng.random() < 0.6 else [str(rng.choice(
        ["hypertension", "asthma", "type 2 diabetes", "hypothyroidism (treated)", "migraine"]))]  # fmt: skip

    if kind == "instrument":
        slot = KIND_CYCLE[: index % len(KIND_CYCLE)].count("instrument")
        code = SCREENED[(3 * turn + slot) % len(SCREENED)]
        if code == "epds":
            sex, age = "female", int(rng.integers(19, 44))
        plan = Plan(kind=kind, instrument=code)
        complaint = COMPLAINTS[code]
        setting = "perinatal clinic, 6 weeks postpartum" if code == "epds" else "primary care clinic"
        level = CSSRS_LEVELS[int(rng.integers(4))] if code in ("phq9", "epds") else "none"
    elif kind == "criteria":
        slot = KIND_CYCLE[: index % len(KIND_CYCLE)].count("criteria")
        code = criteria.DISORDER_CODES[(3 * turn + slot) % len(criteria.DISORDER_CODES)]
        disorder = criteria.get_disorder(code)
        options = [None, *(c.code for c in disorder.criteria)]
        failing = options[int(rng.integers(len(options)))]
        findings = criteria.sample_findings(code, failing, rng)
        plan = Plan(kind=kind, disorder=code, failing=failing)
        complaint = COMPLAINTS[code]
        if code == "adhd_adult":
            age = max(age, 19)
        if findings.get("substance_or_medical_cause"):
            medical = [str(rng.choice(["hyperthyroidism, untreated (TSH suppressed)",
                                       "daily stimulant use (amphetamine) disclosed on review",
                                       "started high-dose prednisolone 5 weeks ago"]))]  # fmt: skip
    elif kind in ("suicide_risk", "depression_workup"):
        level = CSSRS_LEVELS[int(rng.integers(4))]
        findings = criteria.sample_findings("major_depressive_disorder", None, rng)
        plan = Plan(kind=kind)
        setting = "emergency department" if kind == "suicide_risk" else "primary care clinic"
        complaint = ("brought in by a friend after saying they 'can't go on'" if kind == "suicide_risk"
                     else "low mood for over a month; asks for help")  # fmt: skip
        if rng.random() < 0.5:
            meds.append(_med("sertraline", "50 mg daily", "SSRI", float(rng.integers(1, 12))))
    elif kind == "clozapine":
        category = pharmacology.ANC_CATEGORIES[int(rng.integers(len(pharmacology.ANC_CATEGORIES)))]
        shared = category in ("normal_range", "severe_neutropenia")  # rows of both populations' tables
        ben = category == "ben_neutropenia" or (shared and rng.random() < 0.5)
        rows = pharmacology.ANC_TABLE["ben" if ben else "general"]
        row = [r[1] for r in rows].index(category)
        floor = 1000 if ben else 1500
        bands = ([(floor, 4200)] + ([(1000, 1490)] if not ben else []) + [(500, 990), (100, 490)])
        lo, hi = bands[row]
        anc = int(rng.choice([lo, hi])) if rng.random() < 0.4 else int(rng.integers(lo // 10, hi // 10 + 1)) * 10
        months = float(rng.choice([1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 13, 18, 24, 36, 60]))
        meds.append(_med("clozapine", f"{int(rng.choice([200, 300, 350, 400, 450]))} mg daily", "antipsychotic",
                         months))  # fmt: skip
        labs.append(Lab(name="absolute neutrophil count", value=anc, unit="cells/uL", reference_range=">= 1500"))
        labs.append(Lab(name="white cell count", value=round(anc / 1000 + float(rng.uniform(1.5, 3.0)), 1),
                        unit="x10^9/L", reference_range="4.0-11.0"))  # fmt: skip
        history = ["schizophrenia, treatment-resistant (two antipsychotic trials failed)"]
        setting = "clozapine clinic"
        complaint = "routine clozapine review with today's blood count"
        if ben:
            medical.append("benign ethnic neutropenia (Duffy-null), baseline ANC about 1200 cells/uL")
        plan = Plan(kind=kind, extra={"anc": anc, "months": months, "ben": ben})
    elif kind == "qtc":
        category = pharmacology.QTC_CATEGORIES[int(rng.integers(3))]
        drug = str(rng.choice(QT_ANTIPSYCHOTICS))
        ecg = _qtc_ecg(category, sex, rng)
        meds.append(_med(drug, "started last week", "antipsychotic", 0.25))
        setting = "inpatient psychiatry ward"
        complaint = "acute psychosis; ECG repeated after starting an antipsychotic"
        history = ["schizophrenia"]
        vitals = _vitals(rng, hr=ecg.heart_rate_bpm)
        plan = Plan(kind=kind, extra={"category": category})
    elif kind == "lithium":
        six_monthly = rng.random() < 0.4  # no NICE reason for 3-monthly levels
        age = int(rng.integers(22, 59)) if six_monthly or rng.random() < 0.7 else int(rng.integers(70, 86))
        bands = pharmacology.LITHIUM_BANDS[:2] if six_monthly else pharmacology.LITHIUM_BANDS
        band = bands[int(rng.integers(len(bands)))]
        low, high = {"below_target": (0.3, 0.55), "target": (0.6, 0.75), "upper_target": (0.8, 1.0),
                     "above_target": (1.1, 1.4), "toxic": (1.6, 2.6)}[band]  # fmt: skip
        level = round(float(rng.uniform(low, high)), 2)
        months = float(rng.choice([18, 24, 36, 60] if six_monthly else [3, 6, 9, 18, 24, 36, 60]))
        egfr = int(rng.integers(30, 55)) if not six_monthly and rng.random() < 0.25 else int(rng.integers(66, 110))
        poor = not six_monthly and rng.random() < 0.2
        raisers = list(pharmacology.LITHIUM_RAISERS)
        n_raise = 0 if six_monthly else int(rng.choice([0, 1, 1, 2]))
        for drug in [str(d) for d in rng.choice(raisers, size=n_raise, replace=False)]:
            meds.append(_med(drug, "daily", pharmacology.LITHIUM_RAISERS[drug], float(rng.integers(1, 24))))
        for drug in [str(d) for d in rng.choice(pharmacology.LITHIUM_NEUTRAL, size=int(rng.integers(0, 3)),
                                                replace=False)]:  # fmt: skip
            meds.append(_med(drug, "daily", "other", float(rng.integers(1, 24))))
        meds.insert(0, _med("lithium carbonate", f"{int(rng.choice([400, 600, 800, 1000]))} mg at night",
                            "mood stabiliser", months))  # fmt: skip
        creatinine = int(rng.integers(125, 190)) if egfr < 60 else int(rng.integers(55, 100))
        labs = [lab for lab in labs if lab.name != "creatinine"]
        labs += [Lab(name="creatinine", value=creatinine, unit="umol/L", reference_range="45-110"),
                 Lab(name="lithium (12 h post-dose)", value=level, unit="mmol/L", reference_range="0.6-0.8 (NICE)"),
                 Lab(name="eGFR", value=egfr, unit="mL/min/1.73m2", reference_range=">= 90")]  # fmt: skip
        history = ["bipolar I disorder", f"adherence to lithium: {'poor, misses doses' if poor else 'good'}"]
        if band == "toxic":
            mse = "coarse tremor, ataxia and confusion since yesterday"
        else:
            mse = "fine tremor only" if rng.random() < 0.5 else "no tremor"
        setting = "mood disorders clinic"
        complaint = f"lithium review; {mse}"
        plan = Plan(kind=kind, extra={"band": band, "poor_adherence": poor})
    elif kind == "metabolic":
        week = int(rng.choice(METABOLIC_VISITS))
        drug = str(rng.choice(SGAS))
        baseline = round(float(rng.uniform(52, 110)), 1)
        switch = rng.random() < 0.5
        gain = float(rng.uniform(6.0, 14.0) if switch else rng.uniform(-3.0, 4.0))
        height = round(float(rng.uniform(1.52, 1.92)), 2)
        monitoring = SgaMonitoring(drug=drug, weeks_on_treatment=week, height_m=height,
                                   baseline_weight_kg=baseline,
                                   weight_kg=round(baseline * (1 + gain / 100), 1))  # fmt: skip
        meds.append(_med(drug, "daily", "antipsychotic", round(week / 4.345, 1)))
        history = [str(rng.choice(["schizophrenia", "bipolar I disorder", "schizoaffective disorder"]))]
        setting = "community mental health clinic"
        complaint = f"review on {drug}, week {week} of treatment"
        plan = Plan(kind=kind, extra={"week": week})
    else:
        target = pharmacology.ASSESSMENTS[int(rng.integers(len(pharmacology.ASSESSMENTS)))]
        tox = _toxicity(target, rng)
        exam, temperature, ck, serotonergic, antagonists = tox
        for drug in serotonergic:
            meds.append(_med(drug, "dose increased 2 days ago", "serotonergic", 3.0))
        for drug in antagonists:
            meds.append(_med(drug, "started 3 days ago", "dopamine antagonist", 0.1))
        labs.append(Lab(name="creatine kinase", value=int(ck * 200), unit="U/L", reference_range="<= 200"))
        vitals = _vitals(rng, temperature=temperature, hr=int(rng.integers(98, 130)))
        setting = "emergency department"
        complaint = "agitation, sweating and fever"
        plan = Plan(kind=kind, extra={"assessment": target})

    cssrs = cssrs_points(level, rng)
    if kind == "instrument" and level != "none":
        cssrs[0] = 1  # a screening patient at risk endorses the self-harm item, so the screen can find the risk
    answers, points = _answers(rng, sex, plan, cssrs)
    if kind == "instrument" and plan.instrument == "mdq":
        history = ["recurrent depressive episodes"]
    record = PatientRecord(
        patient_id=pid, age=age, sex=sex, setting=setting, presenting_complaint=complaint,
        psychiatric_history=history, medical_history=medical,
        substance_use=str(rng.choice(["no alcohol or drugs", "social alcohol at weekends", "ex-smoker",
                                      "cannabis occasionally"])),
        social_history=str(rng.choice(["lives with partner, works full time", "lives alone, unemployed",
                                       "lives with parents, student", "lives with partner and children"])),
        medications=meds + ([_med(*str(rng.choice(OTHER_DRUGS)).split(" ", 1), "other", 12.0)]
                            if rng.random() < 0.4 else []),
        mental_status=_mse_for(kind, findings, level), vitals=vitals, labs=labs, ecg=ecg, neuro_exam=exam,
        benign_ethnic_neutropenia=ben, sga_monitoring=monitoring,
    )  # fmt: skip
    return Case(CaseFile(record=record, hidden=Hidden(answers=answers, findings=findings)), plan)


def _qtc_ecg(category: str, sex: str, rng: np.random.Generator) -> Ecg:
    """An ECG whose Fridericia QTc falls in ``category`` at least 4 ms from every cut-off (and a baseline)."""
    cut = pharmacology.prolonged_cutoff(sex)
    for _ in range(500):
        hr = int(rng.integers(55, 111))
        baseline = int(rng.integers(395, 456))
        target = float(rng.uniform(390, 545))
        rr = 60.0 / hr
        qt = round(target * rr ** (1 / 3))
        qtc = pharmacology.fridericia(qt, hr)
        margins = (abs(qtc - cut), abs(qtc - 500), abs(qtc - baseline - 60))
        if min(margins) >= 4 and pharmacology.qtc_category(qtc, baseline, sex) == category:
            return Ecg(qt_ms=qt, heart_rate_bpm=hr, rhythm="sinus rhythm", baseline_qtc_fridericia_ms=baseline)
    raise RuntimeError(f"no ECG for QTc category {category}")


def _toxicity(
    target: str, rng: np.random.Generator
) -> tuple[dict[str, bool], float, float, list[str], list[str]]:
    """Examination, temperature, CK (x upper limit) and drugs for which the assessment is ``target``."""
    for _ in range(500):
        exam = {sign: False for sign in pharmacology.EXAM_SIGNS}
        temp = round(float(rng.uniform(37.0, 39.6)), 1)
        ck = round(float(rng.uniform(0.5, 3.5)), 1)
        sero = [str(d) for d in rng.choice(SEROTONERGIC, size=int(rng.integers(1, 3)), replace=False)]
        anta = [str(rng.choice(DOPAMINE_ANTAGONISTS))] if rng.random() < 0.3 else []
        agit_sweat = {"agitation": rng.random() < 0.7, "diaphoresis": rng.random() < 0.7}
        if not any(agit_sweat.values()):
            agit_sweat["agitation"] = True
        if target == "st_spontaneous_clonus":
            exam.update(spontaneous_clonus=True, inducible_clonus=rng.random() < 0.5, hyperreflexia=True,
                        tremor=rng.random() < 0.5, **agit_sweat)  # fmt: skip
        elif target == "st_inducible_clonus":
            exam.update(inducible_clonus=True, ocular_clonus=rng.random() < 0.3, tremor=rng.random() < 0.4,
                        **agit_sweat)  # fmt: skip
        elif target == "st_ocular_clonus":
            exam.update(ocular_clonus=True, tremor=rng.random() < 0.4, **agit_sweat)
        elif target == "st_tremor_hyperreflexia":
            exam.update(tremor=True, hyperreflexia=True, agitation=rng.random() < 0.5)
        elif target == "st_hypertonia_fever_clonus":
            temp = round(float(rng.uniform(38.3, 40.5)), 1)
            exam.update(hypertonia=True, inducible_clonus=rng.random() < 0.5, altered_mental_status=True)
            exam["ocular_clonus"] = not exam["inducible_clonus"] or rng.random() < 0.5
        elif target == "nms":
            sero = sero[:1] if rng.random() < 0.4 else []
            anta = [str(rng.choice(DOPAMINE_ANTAGONISTS))]
            temp = round(float(rng.uniform(38.3, 40.8)), 1)
            ck = round(float(rng.uniform(4.0, 60.0)), 1)
            exam.update(lead_pipe_rigidity=True, bradyreflexia=True, altered_mental_status=True,
                        diaphoresis=rng.random() < 0.7, tremor=rng.random() < 0.5)  # fmt: skip
        else:
            variant = int(rng.integers(3))
            if variant == 0:  # antipsychotic rigidity without fever or CK rise: extrapyramidal effects
                anta = [str(rng.choice(DOPAMINE_ANTAGONISTS))]
                sero = []
                temp = round(float(rng.uniform(36.6, 37.9)), 1)
                exam.update(lead_pipe_rigidity=True, tremor=rng.random() < 0.5,
                            altered_mental_status=rng.random() < 0.5)
            elif variant == 1:  # serotonergic drug, tremor and agitation without hyperreflexia or clonus
                exam.update(tremor=True, **agit_sweat)
            else:  # fever from infection on both drug kinds, no clonus or rigidity
                anta = [str(rng.choice(DOPAMINE_ANTAGONISTS))]
                temp = round(float(rng.uniform(38.3, 39.8)), 1)
                exam.update(diaphoresis=True, altered_mental_status=rng.random() < 0.5)
        got = pharmacology.assess_toxicity(exam, temp, ck, sero, anta).assessment
        if got == target:
            return exam, temp, ck, sero, anta
    raise RuntimeError(f"no toxicity case for {target}")
