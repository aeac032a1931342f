"""The obstetric record: what the chart holds before any rule is applied.

Every record has the patient (age, G/P and TPAL, history, allergy) and the dating data (LMP and one ultrasound with
its CRL or biometry). The other sections are present when the encounter has them: blood pressure series, labs and
symptoms (antenatal or labour and delivery), glucose testing (24-28 weeks), GBS status, labour and the cervical
exam (admission), a
magnesium infusion being monitored, the delivery with blood types and the fetal-cell screen (postpartum), the
blood loss measured after a birth with vital signs, and antenatal testing (NST and ultrasound observations).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

_FROZEN = ConfigDict(extra="forbid", frozen=True)
Setting = Literal["prenatal_visit", "labor_delivery_admission", "antepartum_inpatient", "postpartum",
                  "antenatal_testing"]


class Patient(BaseModel):
    model_config = _FROZEN
    age: int
    gravida: int
    term: int = Field(description="TPAL: term births.")
    preterm: int = Field(description="TPAL: preterm births.")
    abortions: int = Field(description="TPAL: miscarriages and terminations.")
    living: int = Field(description="TPAL: living children.")
    chronic_hypertension: bool = Field(description="Hypertension known before pregnancy or before 20 weeks.")
    previous_infant_gbs: bool = Field(description="A previous infant had invasive GBS disease.")
    penicillin_allergy: str = Field(description="'none' or the reaction to penicillin, e.g. anaphylaxis, urticaria, "
                                    "rash_nonurticarial, gi_upset.")  # fmt: skip
    breastfeeding: bool = False


class Dating(BaseModel):
    model_config = _FROZEN
    lmp: str = Field(description="First day of the last menstrual period (ISO date); certain, regular 28-day cycles.")
    scan_date: str
    scan_method: Literal["crl", "biometry"]
    crl_mm: float | None = Field(default=None, description="Crown-rump length (first-trimester scan).")
    biometry_ga_days: int | None = Field(default=None, description="Gestational age by BPD/HC/AC/FL (Hadlock), days.")


class BpReading(BaseModel):
    model_config = _FROZEN
    minute: int = Field(description="Minutes after the first reading.")
    systolic: int
    diastolic: int


class Vitals(BaseModel):
    model_config = _FROZEN
    blood_pressures: list[BpReading]
    heart_rate: int
    temperature_c: float
    respiratory_rate: int


class Labs(BaseModel):
    model_config = _FROZEN
    platelets: float = Field(description="x10^9/L.")
    hemoglobin: float = Field(description="g/dL.")
    ast: float = Field(description="U/L.")
    alt: float = Field(description="U/L.")
    transaminase_uln: float = Field(description="Laboratory upper limit of normal for AST/ALT, U/L.")
    creatinine: float = Field(description="mg/dL.")
    urine_protein_creatinine_ratio: float | None = Field(default=None, description="mg/mg; None if not measured.")
    urine_protein_24h_mg: float | None = None
    urine_dipstick_protein: Literal["negative", "trace", "1+", "2+", "3+"]


class GlucoseTesting(BaseModel):
    model_config = _FROZEN
    approach: Literal["one_step", "two_step"] = Field(description="The institution's screening approach.")
    gct_threshold: int | None = Field(default=None, description="Two-step: the institution's 50 g GCT threshold.")
    ogtt_criteria: Literal["carpenter_coustan", "nddg", "iadpsg"]
    gct_50g: float | None = Field(default=None, description="1-h value after the 50 g challenge, mg/dL.")
    ogtt: dict[str, float] | None = Field(default=None, description="OGTT values by time point, mg/dL; None if the "
                                          "test has not been done.")  # fmt: skip


class GbsStatus(BaseModel):
    model_config = _FROZEN
    culture: Literal["positive", "negative", "unknown"]
    culture_date: str = Field(description="ISO date of the rectovaginal culture; '' when none.")
    bacteriuria_this_pregnancy: bool
    intrapartum_naat: Literal["positive", "negative", "not_done"]
    clindamycin_susceptible: Literal["yes", "no", "unknown"] = Field(
        description="Isolate susceptible to clindamycin and erythromycin without inducible resistance.")


class Labor(BaseModel):
    model_config = _FROZEN
    in_labor: bool
    membranes_ruptured_hours: float = Field(description="Hours since rupture of membranes; 0 if intact.")
    planned_cesarean_no_labor: bool


class CervicalExam(BaseModel):
    model_config = _FROZEN
    dilation_cm: int
    effacement_percent: int
    station: int = Field(description="cm above (-) or below (+) the ischial spines, -3 to +3.")
    consistency: Literal["firm", "medium", "soft"]
    position: Literal["posterior", "mid", "anterior"]


class Tracing(BaseModel):
    model_config = _FROZEN
    sample_interval_s: int = Field(description="Seconds between samples.")
    fhr_bpm: list[int] = Field(description="Fetal heart rate samples, bpm.")
    contraction_peaks_s: list[int] = Field(description="Seconds from the start of the tracing to each contraction's "
                                           "peak.")  # fmt: skip


class MagnesiumInfusion(BaseModel):
    model_config = _FROZEN
    rate_g_per_h: float
    hours_running: float
    patellar_reflexes: Literal["present", "diminished", "absent"]
    respiratory_rate: int
    serum_magnesium_mg_dl: float
    urine_output_ml_h: float


class Delivery(BaseModel):
    model_config = _FROZEN
    delivery_date: str
    mode: Literal["vaginal", "cesarean"]
    mother_rh: Literal["positive", "negative"]
    antibody_screen: Literal["negative", "anti_d_alloimmunized"]
    infant_rh: Literal["positive", "negative"]
    fetal_cell_screen: Literal["negative", "positive", "not_done"]
    kleihauer_betke_percent: float | None = None


class WeighedItem(BaseModel):
    model_config = _FROZEN
    item: str = Field(description="What was weighed, e.g. 'laparotomy sponges x5'.")
    wet_g: float
    dry_g: float = Field(description="Dry weight of the same items, g.")


class PostpartumBleeding(BaseModel):
    model_config = _FROZEN
    mode: Literal["vaginal", "cesarean"]
    minutes_since_birth: int
    weighed_items: list[WeighedItem]
    canister_ml: float = Field(description="Volume in the calibrated drape or suction canister, mL.")
    canister_non_blood_ml: float = Field(description="Amniotic fluid and irrigation collected in it, mL.")
    heart_rate: int
    systolic: int
    diastolic: int
    spo2: int = Field(description="Oxygen saturation, %.")
    bleeding_continues: bool = Field(description="Bleeding continues after fundal massage and oxytocin.")
    rbc_units_given: int = Field(description="Units of red cells transfused so far.")


class AntenatalTesting(BaseModel):
    model_config = _FROZEN
    indication: str
    nst_accelerations_20min: int = Field(description="Accelerations >= 15 bpm for >= 15 s in the 20-minute NST.")
    breathing_longest_s: int = Field(description="Longest episode of rhythmic fetal breathing in 30 minutes, s.")
    body_movements: int = Field(description="Discrete fetal body or limb movements in 30 minutes.")
    tone_episodes: int = Field(description="Episodes of extension with return to flexion (or hand opening/closing).")
    dvp_cm: float = Field(description="Single deepest vertical pocket of amniotic fluid, cm.")
    afi_cm: float = Field(description="Amniotic fluid index (sum of four quadrants), cm.")


class Record(BaseModel):
    """One obstetric encounter."""

    model_config = _FROZEN
    case_id: str
    setting: Setting
    encounter_date: str
    patient: Patient
    dating: Dating
    vitals: Vitals | None = None
    labs: Labs | None = None
    symptoms: list[str] = Field(default_factory=list)
    glucose: GlucoseTesting | None = None
    gbs: GbsStatus | None = None
    labor: Labor | None = None
    cervix: CervicalExam | None = None
    tracing: Tracing | None = None
    magnesium: MagnesiumInfusion | None = None
    delivery: Delivery | None = None
    bleeding: PostpartumBleeding | None = None
    antenatal: AntenatalTesting | None = None
