"""The obstetrics tools: plain typed functions whose signatures are the MCP schemas.

Record tools rebuild the encounter from its id (``_case``), so every tool fails the same way on a bad id; a section
the encounter does not have comes back empty, not as an error. Reference tools return the published tables and the
shared drug table's pregnancy and lactation rows. Decision-support tools apply the rule modules (withheld in the
unassisted tier). Writes (orders, prescriptions, the submission) go to the episode's own state.
"""

from __future__ import annotations

from typing import Annotated, Literal

from mcp.server.fastmcp import Context
from mcp.server.fastmcp.exceptions import ToolError
from pydantic import BaseModel, Field

from healthgym.mcp_servers.clinic import episode_state
from healthgym.mcp_servers.domain import ToolKind
from healthgym.mcp_servers.domains.drug_interaction.knowledge import knowledge, normalize_name
from healthgym.mcp_servers.domains.obstetrics import (
    anti_d,
    bpp,
    dating,
    fhr,
    gbs,
    gdm,
    hemorrhage,
    hypertension,
    magnesium,
)
from healthgym.mcp_servers.domains.obstetrics.assessment import ORDER_CLASSES
from healthgym.mcp_servers.domains.obstetrics.cases import Case, build_case, parse_case_id
from healthgym.mcp_servers.domains.obstetrics.criteria import SOURCES, criteria_rows
from healthgym.mcp_servers.domains.obstetrics.models import (
    AntenatalTesting,
    CervicalExam,
    Dating,
    Delivery,
    GbsStatus,
    GlucoseTesting,
    Labor,
    Labs,
    MagnesiumInfusion,
    Patient,
    PostpartumBleeding,
    Tracing,
    Vitals,
)

CaseId = Annotated[str, Field(description="Case id, such as 'OB-5W1Q3ZK8M0RTA'.")]
SystemArg = Annotated[
    Literal["dating", "gdm", "hypertension", "magnesium", "anti_d", "gbs", "bishop", "fhr", "pph", "bpp"],
    Field(description="dating, gdm, hypertension, magnesium, anti_d, gbs, bishop, fhr, pph or bpp."),
]
OrderItem = Literal[tuple(ORDER_CLASSES)]  # type: ignore[valid-type]


def _case(case_id: str) -> Case:
    """The case behind a case id; a ``ToolError`` naming ``case_id`` if it is not one."""
    try:
        return build_case(*parse_case_id(case_id))
    except ValueError:
        raise ToolError(
            f"case_id {str(case_id)[:60]!r} not found; case ids look like 'OB-' followed by 13 base32 characters"
        ) from None


def active_orders(events: list[dict[str, str]], case_id: str) -> list[str]:
    """The orderable items active at the end of a sequence of place/cancel events for one case."""
    active: list[str] = []
    for e in events:
        if e.get("case_id") != case_id:
            continue
        if e.get("action") == "place" and e["order"] not in active:
            active.append(e["order"])
        elif e.get("action") == "cancel" and e["order"] in active:
            active.remove(e["order"])
    return active


# --- record --------------------------------------------------------------------------------------------------------


class Encounter(BaseModel):
    case_id: str
    setting: str
    encounter_date: str
    sections: list[str] = Field(description="Record sections this encounter holds.")
    active_orders: list[str] = Field(description="Orders active in this episode.")
    prescriptions: list[str] = Field(description="Medications prescribed in this episode.")
    escalations: list[str] = Field(description="Bedside evaluations requested in this episode.")


def get_encounter(case_id: CaseId, ctx: Context) -> Encounter:
    """The encounter: setting (prenatal visit, labour and delivery admission, antepartum inpatient, postpartum), its
    date, which record sections it holds, and the orders and prescriptions made in this episode."""
    r = _case(case_id).record
    sections = [k for k in ("vitals", "labs", "glucose", "gbs", "labor", "cervix", "tracing", "magnesium", "delivery",
                            "bleeding", "antenatal") if getattr(r, k)]
    state = episode_state(ctx)
    scripts = [p["drug"] for p in state.get("prescriptions") if p["case_id"] == r.case_id]
    calls = [e["reason"] for e in state.get("escalations") if e["case_id"] == r.case_id]
    return Encounter(case_id=r.case_id, setting=r.setting, encounter_date=r.encounter_date,
                     sections=["patient", "dating", *sections], active_orders=active_orders(state.get("orders"),
                     r.case_id), prescriptions=scripts, escalations=calls)  # fmt: skip


class PatientRecord(Patient):
    case_id: str


def get_patient(case_id: CaseId) -> PatientRecord:
    """The patient: age, gravidity and TPAL (term, preterm, abortions, living), chronic hypertension, a previous
    infant with GBS disease, penicillin allergy reaction, breastfeeding."""
    r = _case(case_id).record
    return PatientRecord(case_id=r.case_id, **r.patient.model_dump())


class DatingRecord(Dating):
    case_id: str
    encounter_date: str


def get_dating(case_id: CaseId) -> DatingRecord:
    """Dating data: LMP (certain, regular 28-day cycles), the ultrasound's date and its crown-rump length or its
    biometry gestational age, and the encounter date."""
    r = _case(case_id).record
    return DatingRecord(case_id=r.case_id, encounter_date=r.encounter_date, **r.dating.model_dump())


class VitalsRecord(BaseModel):
    case_id: str
    vitals: Vitals | None = Field(description="Blood-pressure series with minutes, HR, temperature, RR; null if none.")


def get_vitals(case_id: CaseId) -> VitalsRecord:
    """Vital signs: every blood-pressure reading with its time (minutes after the first), heart rate, temperature
    (C) and respiratory rate."""
    r = _case(case_id).record
    return VitalsRecord(case_id=r.case_id, vitals=r.vitals)


class LabsRecord(BaseModel):
    case_id: str
    labs: Labs | None
    symptoms: list[str]


def get_labs(case_id: CaseId) -> LabsRecord:
    """Laboratory results (platelets, haemoglobin, AST, ALT with the laboratory's upper limit of normal, creatinine,
    urine protein/creatinine ratio, 24-hour protein, dipstick) and the symptoms reported."""
    r = _case(case_id).record
    return LabsRecord(case_id=r.case_id, labs=r.labs, symptoms=r.symptoms)


class GlucoseRecord(BaseModel):
    case_id: str
    glucose: GlucoseTesting | None


def get_glucose_tests(case_id: CaseId) -> GlucoseRecord:
    """Glucose testing for gestational diabetes: the institution's approach (one-step or two-step), its 50 g
    challenge threshold and OGTT criteria, the challenge value and the OGTT values (mg/dL)."""
    r = _case(case_id).record
    return GlucoseRecord(case_id=r.case_id, glucose=r.glucose)


class GbsRecord(BaseModel):
    case_id: str
    gbs: GbsStatus | None
    labor: Labor | None


def get_gbs_and_labor(case_id: CaseId) -> GbsRecord:
    """GBS status (culture result and date, bacteriuria this pregnancy, intrapartum NAAT, clindamycin
    susceptibility) and labour (in labour, hours since membranes ruptured, planned caesarean without labour)."""
    r = _case(case_id).record
    return GbsRecord(case_id=r.case_id, gbs=r.gbs, labor=r.labor)


class CervixRecord(BaseModel):
    case_id: str
    cervix: CervicalExam | None


def get_cervical_exam(case_id: CaseId) -> CervixRecord:
    """The cervical exam: dilation (cm), effacement (%), station (-3 to +3), consistency and position; null when
    none was recorded."""
    r = _case(case_id).record
    return CervixRecord(case_id=r.case_id, cervix=r.cervix)


class TracingRecord(BaseModel):
    case_id: str
    tracing: Tracing | None


def get_fhr_tracing(case_id: CaseId) -> TracingRecord:
    """The fetal heart rate tracing as recorded: one FHR sample (bpm) a second over 20 minutes, and the time of each
    contraction's peak (s); null when no tracing was recorded."""
    r = _case(case_id).record
    return TracingRecord(case_id=r.case_id, tracing=r.tracing)


class MagnesiumRecord(BaseModel):
    case_id: str
    magnesium: MagnesiumInfusion | None


def get_magnesium_monitoring(case_id: CaseId) -> MagnesiumRecord:
    """The running magnesium sulfate infusion's monitoring: rate, hours, patellar reflexes, respiratory rate, serum
    magnesium (mg/dL) and urine output (mL/h); null when no infusion is running."""
    r = _case(case_id).record
    return MagnesiumRecord(case_id=r.case_id, magnesium=r.magnesium)


class DeliveryRecord(BaseModel):
    case_id: str
    delivery: Delivery | None


def get_delivery(case_id: CaseId) -> DeliveryRecord:
    """The delivery: date, mode, maternal Rh(D) type and antibody screen, infant Rh(D) type, fetal-cell (rosette)
    screen and Kleihauer-Betke percentage."""
    r = _case(case_id).record
    return DeliveryRecord(case_id=r.case_id, delivery=r.delivery)


class BleedingRecord(BaseModel):
    case_id: str
    bleeding: PostpartumBleeding | None


def get_postpartum_bleeding(case_id: CaseId) -> BleedingRecord:
    """Blood loss after the birth as measured: each weighed item's wet and dry weight (g), the calibrated drape or
    canister volume and the amniotic fluid and irrigation in it (mL), vital signs, whether bleeding continues after
    fundal massage and oxytocin, and red cell units given; null when not recorded."""
    r = _case(case_id).record
    return BleedingRecord(case_id=r.case_id, bleeding=r.bleeding)


class AntenatalRecord(BaseModel):
    case_id: str
    antenatal: AntenatalTesting | None


def get_antenatal_testing(case_id: CaseId) -> AntenatalRecord:
    """Antenatal fetal testing as observed: NST accelerations in 20 minutes, the longest fetal breathing episode,
    body movements and tone episodes in 30 minutes, deepest vertical pocket and amniotic fluid index (cm); null when
    none was done."""
    r = _case(case_id).record
    return AntenatalRecord(case_id=r.case_id, antenatal=r.antenatal)


# --- reference ------------------------------------------------------------------------------------------------------


class CriterionRow(BaseModel):
    key: str
    criterion: str


class Criteria(BaseModel):
    system: str
    source: str
    rows: list[CriterionRow]


def get_criteria(system: SystemArg) -> Criteria:
    """A rule's published table: ACOG CO 700 dating and re-dating (with Robinson's CRL formula), GDM thresholds
    (IADPSG, Carpenter-Coustan, NDDG; ACOG PB 190), hypertensive disorders and severe features (ACOG PB 222, CO 767),
    magnesium toxicity (Sibai 2004), anti-D and Kleihauer-Betke dosing (ACOG PB 181, AABB), GBS prophylaxis (ACOG CO
    797), Bishop score (Bishop 1964), NICHD tracing categories (Macones 2008), postpartum haemorrhage stages (CMQCC
    toolkit, ACOG PB 183) and the biophysical profile (Manning 1980, ACOG PB 229)."""
    return Criteria(system=system, source=SOURCES[system],
                    rows=[CriterionRow(key=k, criterion=c) for k, c in criteria_rows(system)])  # fmt: skip


class DrugSafety(BaseModel):
    drug: str
    pregnancy: str
    pregnancy_note: str
    lactation: str
    lactation_note: str
    label: str


def get_drug_pregnancy_safety(
    drug: Annotated[str, Field(min_length=2, max_length=80, description="Drug name or brand, e.g. 'lisinopril'.")],
) -> DrugSafety:
    """A drug's pregnancy and lactation category (compatible, caution, avoid, contraindicated) with its note, from
    the drug table shared with the drug_interaction domain (labels, LactMed)."""
    k = knowledge()
    name = k.lookup.get(normalize_name(drug))
    if name is None:
        raise ToolError(f"drug {drug[:60]!r} is not in the drug table; give a generic name such as 'labetalol'")
    d = k.drugs[name]
    return DrugSafety(drug=name, pregnancy=d.pregnancy, pregnancy_note=d.pregnancy_note, lactation=d.lactation,
                      lactation_note=d.lactation_note, label=d.label)  # fmt: skip


class OrderCatalogue(BaseModel):
    orders: dict[str, str] = Field(description="Orderable item -> the order class it is graded as.")
    note: str


def get_order_catalogue() -> OrderCatalogue:
    """The orderable items and the class each counts as: first-line alternatives share a class (penicillin G or
    ampicillin, ACOG CO 797; IV labetalol, IV hydralazine or oral immediate-release nifedipine, ACOG CO 767)."""
    return OrderCatalogue(orders=ORDER_CLASSES, note="place_order places one item; cancel_order withdraws it; the "
                          "orders active at submission are graded.")  # fmt: skip


# --- decision support -----------------------------------------------------------------------------------------------


class CrlAge(BaseModel):
    crl_mm: float
    ga_days: int
    ga: str
    source: str


def crl_to_gestational_age(
    crl_mm: Annotated[float, Field(ge=3, le=84, description="Crown-rump length in mm (3-84).")],
) -> CrlAge:
    """Gestational age from crown-rump length: 8.052 x sqrt(CRL) + 23.73 days (Robinson & Fleming 1975)."""
    days = dating.crl_gestational_age_days(crl_mm)
    return CrlAge(crl_mm=crl_mm, ga_days=days, ga=dating.weeks_days(days), source=dating.CRL_SOURCE)


class DatingResult(BaseModel):
    case_id: str
    basis: str
    acog_row: str
    discrepancy_days: int
    edd: str
    ga_days: int
    ga: str
    reasons: list[str]


def date_pregnancy(case_id: CaseId) -> DatingResult:
    """Date the pregnancy by ACOG CO 700: LMP EDD (Naegele) unless the ultrasound differs by more than the row's
    threshold; the gestational age on the encounter date."""
    c = _case(case_id)
    d = c.assessment.dating
    return DatingResult(case_id=c.record.case_id, basis=d.basis, acog_row=d.row, discrepancy_days=d.discrepancy_days,
                        edd=d.edd.isoformat(), ga_days=c.assessment.ga_days, ga=dating.weeks_days(c.assessment.ga_days),
                        reasons=list(d.reasons))  # fmt: skip


class GdmClassification(BaseModel):
    case_id: str
    applicable: bool
    diagnosis: str
    abnormal_values: list[str]
    reasons: list[str]


def classify_gdm(case_id: CaseId) -> GdmClassification:
    """Read the glucose testing with the institution's approach: IADPSG one-step, or the 50 g challenge then the
    100 g OGTT by Carpenter-Coustan or NDDG (ACOG PB 190)."""
    c = _case(case_id)
    g = c.assessment.gdm
    if g is None:
        return GdmClassification(case_id=c.record.case_id, applicable=False, diagnosis="", abnormal_values=[],
                                 reasons=["no glucose testing in this encounter"])  # fmt: skip
    return GdmClassification(case_id=c.record.case_id, applicable=True, diagnosis=g.diagnosis,
                             abnormal_values=list(g.abnormal), reasons=list(g.reasons))  # fmt: skip


class HypertensionClassification(BaseModel):
    case_id: str
    applicable: bool
    category: str
    severe_features: list[str]
    proteinuria: bool
    magnesium_indicated: bool
    acute_antihypertensive: bool
    reasons: list[str]


def classify_hypertension(case_id: CaseId) -> HypertensionClassification:
    """The hypertensive disorder of pregnancy (ACOG PB 222), its severe features, and whether magnesium sulfate and
    acute antihypertensive therapy (ACOG CO 767) are indicated."""
    c = _case(case_id)
    h = c.assessment.hypertension
    if h is None:
        return HypertensionClassification(case_id=c.record.case_id, applicable=False, category="", severe_features=[],
                                          proteinuria=False, magnesium_indicated=False, acute_antihypertensive=False,
                                          reasons=["no blood pressure and laboratory work-up in this encounter"])
    return HypertensionClassification(case_id=c.record.case_id, applicable=True, category=h.category,
                                      severe_features=list(h.severe_features), proteinuria=h.proteinuria,
                                      magnesium_indicated=h.magnesium_indicated,
                                      acute_antihypertensive=h.acute_antihypertensive, reasons=list(h.reasons))


class MagnesiumAssessment(BaseModel):
    case_id: str
    applicable: bool
    toxicity_signs: list[str]
    action: str
    reasons: list[str]


def check_magnesium(case_id: CaseId) -> MagnesiumAssessment:
    """Magnesium toxicity signs on the running infusion and the action: continue, reduce the rate and check the
    level (oliguria), or stop and give calcium gluconate (Sibai 2004; ACOG PB 222)."""
    c = _case(case_id)
    m = c.assessment.magnesium
    if m is None:
        return MagnesiumAssessment(case_id=c.record.case_id, applicable=False, toxicity_signs=[], action="",
                                   reasons=["no magnesium infusion running"])  # fmt: skip
    return MagnesiumAssessment(case_id=c.record.case_id, applicable=True, toxicity_signs=list(m.toxicity_signs),
                               action=m.action, reasons=list(m.reasons))  # fmt: skip


class AntiDResult(BaseModel):
    case_id: str
    applicable: bool
    decision: str
    fetal_bleed_ml: float
    vials: int
    reasons: list[str]


def assess_anti_d(case_id: CaseId) -> AntiDResult:
    """Postpartum anti-D immunoglobulin: whether it is indicated and how many 300 ug vials (Kleihauer-Betke dose
    with the AABB rounding rule; ACOG PB 181)."""
    c = _case(case_id)
    a = c.assessment.anti_d
    if a is None:
        return AntiDResult(case_id=c.record.case_id, applicable=False, decision="", fetal_bleed_ml=0, vials=0,
                           reasons=["no delivery in this encounter"])  # fmt: skip
    return AntiDResult(case_id=c.record.case_id, applicable=True, decision=a.decision, fetal_bleed_ml=a.fetal_bleed_ml,
                       vials=a.vials, reasons=list(a.reasons))  # fmt: skip


class KbDose(BaseModel):
    kb_percent: float
    fetal_bleed_ml: float
    vials: int
    rule: str


def kleihauer_betke_dose(
    kb_percent: Annotated[float, Field(ge=0, le=10, description="Fetal cells on Kleihauer-Betke, % (0-10).")],
) -> KbDose:
    """300 ug anti-D vials for a Kleihauer-Betke result: % x 50 = mL fetal blood; / 30; round (< 0.5 down, >= 0.5
    up); + 1 vial (AABB Technical Manual)."""
    bleed, vials = anti_d.vials_for(kb_percent)
    return KbDose(kb_percent=kb_percent, fetal_bleed_ml=bleed, vials=vials, rule=anti_d.SOURCE)


class GbsAssessment(BaseModel):
    case_id: str
    applicable: bool
    indicated: bool
    basis: str
    agent: str
    reasons: list[str]


def assess_gbs(case_id: CaseId) -> GbsAssessment:
    """Intrapartum GBS prophylaxis: whether it is indicated (culture, bacteriuria, history, or risk factors with
    unknown status, using the gestational age dated by ACOG CO 700) and the agent given the penicillin allergy and
    clindamycin susceptibility (ACOG CO 797)."""
    c = _case(case_id)
    g = c.assessment.gbs
    if g is None:
        return GbsAssessment(case_id=c.record.case_id, applicable=False, indicated=False, basis="", agent="",
                             reasons=["not an intrapartum encounter"])  # fmt: skip
    return GbsAssessment(case_id=c.record.case_id, applicable=True, indicated=g.indicated, basis=g.basis, agent=g.agent,
                         reasons=list(g.reasons))  # fmt: skip


class BishopResult(BaseModel):
    case_id: str
    applicable: bool
    score: int
    points: dict[str, int]
    source: str


def score_bishop(case_id: CaseId) -> BishopResult:
    """Bishop score of the recorded cervical exam: dilation, effacement, station 0-3 each, consistency and position
    0-2 each (Bishop 1964; the calculators library's bishop_score)."""
    c = _case(case_id)
    a = c.assessment
    return BishopResult(case_id=c.record.case_id, applicable=a.bishop is not None, score=a.bishop or 0,
                        points=a.bishop_points, source=SOURCES["bishop"])  # fmt: skip


class DecelerationRow(BaseModel):
    kind: str
    onset_s: int
    nadir_s: int
    end_s: int
    depth_bpm: float
    lag_after_peak_s: int | None


class FhrMeasurement(BaseModel):
    case_id: str
    applicable: bool
    baseline_bpm: int
    variability_bpm: int
    variability: str
    accelerations: int
    decelerations: list[DecelerationRow]
    deceleration_types: list[str]
    recurrent: list[str]
    reasons: list[str]


def measure_fhr(case_id: CaseId) -> FhrMeasurement:
    """Measure the tracing by the NICHD definitions: baseline (rounded to 5 bpm), variability amplitude and class,
    accelerations, and each deceleration typed by its onset-to-nadir time and timing against the contractions
    (Macones 2008)."""
    c = _case(case_id)
    m = c.assessment.tracing
    if m is None:
        return FhrMeasurement(case_id=c.record.case_id, applicable=False, baseline_bpm=0, variability_bpm=0,
                              variability="", accelerations=0, decelerations=[], deceleration_types=[], recurrent=[],
                              reasons=["no tracing in this encounter"])  # fmt: skip
    rows = [DecelerationRow(kind=d.kind, onset_s=d.onset_s, nadir_s=d.nadir_s, end_s=d.end_s, depth_bpm=d.depth_bpm,
                            lag_after_peak_s=d.lag_s) for d in m.decelerations]  # fmt: skip
    return FhrMeasurement(case_id=c.record.case_id, applicable=True, baseline_bpm=m.baseline_bpm,
                          variability_bpm=m.variability_bpm, variability=m.variability, accelerations=m.accelerations,
                          decelerations=rows, deceleration_types=list(m.types), recurrent=list(m.recurrent),
                          reasons=list(m.reasons[:-1]))  # fmt: skip


class FhrCategory(BaseModel):
    case_id: str
    applicable: bool
    category: str
    reasons: list[str]


def classify_fhr(case_id: CaseId) -> FhrCategory:
    """The NICHD three-tier category of the tracing from its measured features (Macones 2008; ACOG PB 106)."""
    c = _case(case_id)
    m = c.assessment.tracing
    if m is None:
        return FhrCategory(case_id=c.record.case_id, applicable=False, category="",
                           reasons=["no tracing in this encounter"])  # fmt: skip
    return FhrCategory(case_id=c.record.case_id, applicable=True, category=m.category, reasons=list(m.reasons))


class OrderPlan(BaseModel):
    case_id: str
    order_classes: list[str]
    reasons: list[str]


def recommend_orders(case_id: CaseId) -> OrderPlan:
    """The order classes the encounter needs: the GBS agent, magnesium sulfate, an acute antihypertensive, calcium
    gluconate for magnesium toxicity, anti-D immunoglobulin, the massive transfusion protocol for a stage 3
    haemorrhage (from the rules above)."""
    c = _case(case_id)
    a = c.assessment
    why = [*(a.gbs.reasons if a.gbs else ()), *(a.hypertension.reasons[-1:] if a.hypertension else ()),
           *(a.magnesium.reasons[-1:] if a.magnesium else ()), *(a.anti_d.reasons[-1:] if a.anti_d else ()),
           *(a.hemorrhage.reasons[-1:] if a.hemorrhage else ())]
    return OrderPlan(case_id=c.record.case_id, order_classes=list(a.orders), reasons=why)


class HemorrhageStage(BaseModel):
    case_id: str
    applicable: bool
    qbl_ml: int
    vital_sign_triggers: list[str]
    diagnosis: str
    stage: str
    reasons: list[str]


def stage_hemorrhage(case_id: CaseId) -> HemorrhageStage:
    """Quantitative blood loss from the weighed items and canister, the PPH diagnosis (ACOG PB 183: >= 1000 mL or
    loss with signs of hypovolaemia) and the CMQCC stage (0-3)."""
    c = _case(case_id)
    h = c.assessment.hemorrhage
    if h is None:
        return HemorrhageStage(case_id=c.record.case_id, applicable=False, qbl_ml=0, vital_sign_triggers=[],
                               diagnosis="", stage="", reasons=["no blood loss measured in this encounter"])
    return HemorrhageStage(case_id=c.record.case_id, applicable=True, qbl_ml=h.qbl_ml,
                           vital_sign_triggers=list(h.vital_sign_trigger), diagnosis=h.diagnosis, stage=h.stage,
                           reasons=list(h.reasons))  # fmt: skip


class BppResult(BaseModel):
    case_id: str
    applicable: bool
    points: dict[str, int]
    score: int
    interpretation: str
    oligohydramnios: bool
    modified_bpp: str
    management: str
    reasons: list[str]


def score_bpp(case_id: CaseId) -> BppResult:
    """The biophysical profile (Manning 1980: NST, breathing, movement, tone, fluid, 2 points each), the modified BPP
    (NST + DVP > 2 cm) and the management by score and gestational age (ACOG PB 229)."""
    c = _case(case_id)
    b = c.assessment.bpp
    if b is None:
        return BppResult(case_id=c.record.case_id, applicable=False, points={}, score=0, interpretation="",
                         oligohydramnios=False, modified_bpp="", management="",
                         reasons=["no antenatal testing in this encounter"])  # fmt: skip
    return BppResult(case_id=c.record.case_id, applicable=True, points=b.points, score=b.score,
                     interpretation=b.interpretation, oligohydramnios=b.oligohydramnios, modified_bpp=b.modified,
                     management=b.management, reasons=list(b.reasons))  # fmt: skip


# --- writes -----------------------------------------------------------------------------------------------------------


class OrderResult(BaseModel):
    case_id: str
    order: str
    order_class: str
    active_orders: list[str]


def place_order(case_id: CaseId, order: Annotated[OrderItem, Field(description="An item of get_order_catalogue.")],
                ctx: Context) -> OrderResult:
    """Place an order (antibiotic, magnesium sulfate, antihypertensive, calcium gluconate, anti-D immunoglobulin,
    oxytocin, the massive transfusion protocol) for this patient."""
    r = _case(case_id).record
    state = episode_state(ctx)
    state.add("orders", {"case_id": r.case_id, "order": order, "action": "place"})
    return OrderResult(case_id=r.case_id, order=order, order_class=ORDER_CLASSES[order],
                       active_orders=active_orders(state.get("orders"), r.case_id))


def cancel_order(case_id: CaseId, order: Annotated[OrderItem, Field(description="An active order to withdraw.")],
                 ctx: Context) -> OrderResult:
    """Withdraw an active order."""
    r = _case(case_id).record
    state = episode_state(ctx)
    if order not in active_orders(state.get("orders"), r.case_id):
        raise ToolError(f"order {order!r} is not active for this case; active: "
                        f"{', '.join(active_orders(state.get('orders'), r.case_id)) or 'none'}")
    state.add("orders", {"case_id": r.case_id, "order": order, "action": "cancel"})
    return OrderResult(case_id=r.case_id, order=order, order_class=ORDER_CLASSES[order],
                       active_orders=active_orders(state.get("orders"), r.case_id))


class Escalation(BaseModel):
    case_id: str
    reason: str


def request_bedside_evaluation(
    case_id: CaseId,
    reason: Annotated[str, Field(min_length=2, max_length=500, description="Why, e.g. 'Category III tracing'.")],
    ctx: Context,
) -> Escalation:
    """Call the attending obstetrician and team to the bedside now for evaluation and expedited delivery, as a
    Category III tracing requires (ACOG PB 106)."""
    r = _case(case_id).record
    episode_state(ctx).add("escalations", {"case_id": r.case_id, "reason": reason})
    return Escalation(case_id=r.case_id, reason=reason)


class Prescription(BaseModel):
    case_id: str
    drug: str
    dose: str


def prescribe_medication(
    case_id: CaseId,
    drug: Annotated[str, Field(min_length=2, max_length=80, description="Generic drug name from the drug table.")],
    dose: Annotated[str, Field(min_length=1, max_length=200, description="Dose, route and frequency.")],
    ctx: Context,
) -> Prescription:
    """Prescribe a medication from the shared drug table (check get_drug_pregnancy_safety first)."""
    r = _case(case_id).record
    name = knowledge().lookup.get(normalize_name(drug))
    if name is None:
        raise ToolError(f"drug {drug[:60]!r} is not in the drug table; give a generic name such as 'labetalol'")
    episode_state(ctx).add("prescriptions", {"case_id": r.case_id, "drug": name, "dose": dose})
    return Prescription(case_id=r.case_id, drug=name, dose=dose)


Category = Literal[("", *hypertension.CATEGORIES)]  # type: ignore[valid-type]
Feature = Literal[hypertension.SEVERE_FEATURES]  # type: ignore[valid-type]
OgttPoint = Literal["fasting", "1h", "2h", "3h"]
ToxicitySign = Literal[magnesium.SIGNS]  # type: ignore[valid-type]


class Submission(BaseModel):
    """The stored answer; ``orders`` is the episode's final order state (classes), not a claim."""

    case_id: str
    ga_days: int
    dating_basis: str
    acog_row: str
    discrepancy_days: int
    gdm_diagnosis: str
    abnormal_values: list[str]
    hypertension_category: str
    severe_features: list[str]
    magnesium_action: str
    toxicity_signs: list[str]
    anti_d_decision: str
    vials: int
    fetal_bleed_ml: float
    gbs_basis: str
    gbs_agent: str
    bishop_score: int
    fhr_baseline_bpm: int
    fhr_variability: str
    fhr_decelerations: list[str]
    fhr_category: str
    qbl_ml: int
    pph_diagnosis: str
    hemorrhage_stage: str
    bpp_score: int
    modified_bpp: str
    bpp_management: str
    orders: list[str]


def submit_answer(
    ctx: Context,
    case_id: CaseId,
    ga_days: Annotated[int, Field(ge=-1, le=320, description="Gestational age on the encounter date, days; -1 if not "
                                  "asked.")] = -1,  # fmt: skip
    dating_basis: Annotated[Literal["", "lmp", "ultrasound"], Field(description="lmp or ultrasound.")] = "",
    acog_row: Annotated[Literal[("", *dating.ROW_CODES)], Field(description="ACOG CO 700 row code.")] = "",  # type: ignore[valid-type]
    discrepancy_days: Annotated[int, Field(ge=-1, le=200, description="|US GA - LMP GA| at the scan; -1 if not "
                                           "asked.")] = -1,  # fmt: skip
    gdm_diagnosis: Annotated[Literal[("", *gdm.DIAGNOSES)], Field(description="no_gdm, ogtt_needed or gdm.")] = "",  # type: ignore[valid-type]
    abnormal_values: Annotated[list[OgttPoint], Field(description="OGTT values at/above threshold; [] for none.")] = [],  # noqa: B006
    hypertension_category: Annotated[Category, Field(description="ACOG PB 222 category code.")] = "",
    severe_features: Annotated[list[Feature], Field(description="Severe features present; [] for none.")] = [],  # noqa: B006
    magnesium_action: Annotated[Literal[("", *magnesium.ACTIONS)], Field(description="Magnesium action code.")] = "",  # type: ignore[valid-type]
    toxicity_signs: Annotated[list[ToxicitySign], Field(description="Magnesium toxicity signs; [] for none.")] = [],  # noqa: B006
    anti_d_decision: Annotated[Literal[("", *anti_d.DECISIONS)], Field(description="Anti-D decision code.")] = "",  # type: ignore[valid-type]
    vials: Annotated[int, Field(ge=-1, le=30, description="300 ug anti-D vials; -1 if not asked.")] = -1,
    fetal_bleed_ml: Annotated[float, Field(ge=-1, le=1000, description="Fetal whole blood, mL; -1 if not asked.")] = -1,
    gbs_basis: Annotated[Literal[("", *gbs.BASES)], Field(description="What decides GBS prophylaxis.")] = "",  # type: ignore[valid-type]
    gbs_agent: Annotated[Literal[("", *gbs.AGENTS)], Field(description="none or the GBS agent.")] = "",  # type: ignore[valid-type]
    bishop_score: Annotated[int, Field(ge=-1, le=13, description="Bishop score; -1 if not asked.")] = -1,
    fhr_baseline_bpm: Annotated[int, Field(ge=-1, le=240, description="FHR baseline, bpm; -1 if not asked.")] = -1,
    fhr_variability: Annotated[Literal[("", *fhr.VARIABILITY)], Field(description="absent, minimal, moderate or "  # type: ignore[valid-type]
                               "marked.")] = "",  # fmt: skip
    fhr_decelerations: Annotated[list[Literal[fhr.DECELERATIONS]], Field(  # type: ignore[valid-type]
        description="Deceleration types present; [] for none.")] = [],  # noqa: B006
    fhr_category: Annotated[Literal[("", *fhr.CATEGORIES)], Field(description="NICHD category I, II or III.")] = "",  # type: ignore[valid-type]
    qbl_ml: Annotated[int, Field(ge=-1, le=20000, description="Quantitative blood loss, mL; -1 if not asked.")] = -1,
    pph_diagnosis: Annotated[Literal[("", *hemorrhage.DIAGNOSES)], Field(description="pph or no_pph.")] = "",  # type: ignore[valid-type]
    hemorrhage_stage: Annotated[Literal[("", *hemorrhage.STAGES)], Field(description="CMQCC stage_0 to stage_3.")] = "",  # type: ignore[valid-type]
    bpp_score: Annotated[int, Field(ge=-1, le=10, description="Biophysical profile score; -1 if not asked.")] = -1,
    modified_bpp: Annotated[Literal[("", *bpp.MODIFIED)], Field(description="normal or abnormal.")] = "",  # type: ignore[valid-type]
    bpp_management: Annotated[Literal[("", *bpp.MANAGEMENT)], Field(description="Management by BPP score.")] = "",  # type: ignore[valid-type]
) -> Submission:
    """Submit the answer once, with the fields the task asks for; the orders active in this episode are recorded
    with it. A second submission is refused."""
    state = episode_state(ctx)
    if state.submitted is not None:
        raise ToolError("submit_answer: an answer was already submitted in this episode; case_id and the other "
                        "fields cannot be changed")
    r = _case(case_id).record
    orders = sorted({ORDER_CLASSES[o] for o in active_orders(state.get("orders"), r.case_id)})
    answer = Submission(case_id=r.case_id, ga_days=ga_days, dating_basis=dating_basis, acog_row=acog_row,
                        discrepancy_days=discrepancy_days, gdm_diagnosis=gdm_diagnosis,
                        abnormal_values=list(abnormal_values), hypertension_category=hypertension_category,
                        severe_features=list(severe_features), magnesium_action=magnesium_action,
                        toxicity_signs=list(toxicity_signs), anti_d_decision=anti_d_decision, vials=vials,
                        fetal_bleed_ml=fetal_bleed_ml, gbs_basis=gbs_basis, gbs_agent=gbs_agent,
                        bishop_score=bishop_score, fhr_baseline_bpm=fhr_baseline_bpm, fhr_variability=fhr_variability,
                        fhr_decelerations=list(fhr_decelerations), fhr_category=fhr_category, qbl_ml=qbl_ml,
                        pph_diagnosis=pph_diagnosis, hemorrhage_stage=hemorrhage_stage, bpp_score=bpp_score,
                        modified_bpp=modified_bpp, bpp_management=bpp_management, orders=orders)  # fmt: skip
    state.submitted = answer.model_dump()
    return answer


TOOLS = [
    get_encounter, get_patient, get_dating, get_vitals, get_labs, get_glucose_tests, get_gbs_and_labor,
    get_cervical_exam, get_fhr_tracing, get_magnesium_monitoring, get_delivery, get_postpartum_bleeding,
    get_antenatal_testing, get_criteria,
    get_drug_pregnancy_safety, get_order_catalogue, crl_to_gestational_age, date_pregnancy, classify_gdm,
    classify_hypertension, check_magnesium, assess_anti_d, kleihauer_betke_dose, assess_gbs, score_bishop, measure_fhr,
    classify_fhr, stage_hemorrhage, score_bpp, recommend_orders, place_order, cancel_order, prescribe_medication,
    request_bedside_evaluation,
    submit_answer,
]  # fmt: skip
TOOL_KINDS: dict[str, ToolKind] = {
    **dict.fromkeys(("get_encounter", "get_patient", "get_dating", "get_vitals", "get_labs", "get_glucose_tests",
                     "get_gbs_and_labor", "get_cervical_exam", "get_fhr_tracing", "get_magnesium_monitoring",
                     "get_delivery", "get_postpartum_bleeding", "get_antenatal_testing"), "record"),
    **dict.fromkeys(("get_criteria", "get_drug_pregnancy_safety", "get_order_catalogue"), "reference"),
    **dict.fromkeys(("crl_to_gestational_age", "date_pregnancy", "classify_gdm", "classify_hypertension",
                     "check_magnesium", "assess_anti_d", "kleihauer_betke_dose", "assess_gbs", "score_bishop",
                     "measure_fhr", "classify_fhr", "stage_hemorrhage", "score_bpp", "recommend_orders"),
                    "decision_support"),
    **dict.fromkeys(("place_order", "cancel_order", "prescribe_medication", "request_bedside_evaluation",
                     "submit_answer"), "write"),
}  # fmt: skip
"""Kind of every tool (see ``ToolKind``): the decision-support ones are withheld in the unassisted tier."""
