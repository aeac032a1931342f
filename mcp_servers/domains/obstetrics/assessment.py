"""A record read with every rule that applies to it: one function, used by the decision-support tools, the task
generator, the grader and the reference clinician's unassisted path."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from healthgym.mcp_servers.calculators.obstetrics import bishop_score
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
from healthgym.mcp_servers.domains.obstetrics.models import Record

ORDER_CLASSES: dict[str, str] = {
    "penicillin_g": "gbs_penicillin",
    "ampicillin": "gbs_penicillin",
    "cefazolin": "gbs_cefazolin",
    "clindamycin": "gbs_clindamycin",
    "vancomycin": "gbs_vancomycin",
    "magnesium_sulfate": "magnesium_sulfate",
    "labetalol_iv": "acute_antihypertensive",
    "hydralazine_iv": "acute_antihypertensive",
    "nifedipine_ir_oral": "acute_antihypertensive",
    "calcium_gluconate": "calcium_gluconate",
    "rh_immune_globulin": "rh_immune_globulin",
    "oxytocin": "oxytocin",
    "massive_transfusion_protocol": "massive_transfusion_protocol",
}
"""Orderable item -> the order class graded: interchangeable first-line choices share a class (penicillin G or
ampicillin, ACOG CO 797; IV labetalol, IV hydralazine or immediate-release oral nifedipine, ACOG CO 767)."""
GBS_ORDER = {"penicillin_g": "gbs_penicillin", "cefazolin": "gbs_cefazolin", "clindamycin": "gbs_clindamycin",
             "vancomycin": "gbs_vancomycin"}  # fmt: skip


@dataclass(frozen=True)
class Assessment:
    dating: dating.Dating
    ga_days: int
    """Gestational age on the encounter date by the final EDD (antepartum records)."""
    gdm: gdm.GdmResult | None
    hypertension: hypertension.HypertensionResult | None
    magnesium: magnesium.MagnesiumCheck | None
    anti_d: anti_d.AntiD | None
    gbs: gbs.GbsResult | None
    bishop: int | None
    """Bishop score of the cervical exam (the calculators library's ``bishop_score``, Bishop 1964)."""
    bishop_points: dict[str, int]
    tracing: fhr.Measurement | None
    hemorrhage: hemorrhage.Hemorrhage | None
    bpp: bpp.Bpp | None
    orders: tuple[str, ...]
    """Order classes the encounter needs (sorted)."""


def us_ga_days(record: Record) -> int:
    """Ultrasound gestational age at the scan: Robinson CRL formula or the biometry's own estimate."""
    d = record.dating
    if d.scan_method == "crl":
        if d.crl_mm is None:
            raise ValueError("a CRL scan needs crl_mm")
        return dating.crl_gestational_age_days(d.crl_mm)
    if d.biometry_ga_days is None:
        raise ValueError("a biometry scan needs biometry_ga_days")
    return d.biometry_ga_days


def hypertension_findings(record: Record, ga_days: int) -> hypertension.Findings:
    if record.vitals is None or record.labs is None:
        raise ValueError("hypertension needs vitals and labs")
    v, lab = record.vitals, record.labs
    return hypertension.Findings(
        ga_days=ga_days, chronic_hypertension=record.patient.chronic_hypertension,
        readings=tuple(hypertension.Reading(r.minute, r.systolic, r.diastolic) for r in v.blood_pressures),
        upcr=lab.urine_protein_creatinine_ratio, protein_24h_mg=lab.urine_protein_24h_mg,
        dipstick=lab.urine_dipstick_protein, platelets=lab.platelets, ast=lab.ast, alt=lab.alt,
        transaminase_uln=lab.transaminase_uln, creatinine=lab.creatinine, symptoms=tuple(record.symptoms),
    )  # fmt: skip


def assess(record: Record) -> Assessment:
    """Apply every rule whose data the record holds."""
    d = record.dating
    dated = dating.date_pregnancy(date.fromisoformat(d.lmp), date.fromisoformat(d.scan_date), us_ga_days(record))
    encounter = date.fromisoformat(record.encounter_date)
    ga = dated.ga_days(encounter)
    g = record.glucose
    glucose = None
    if g is not None:
        if g.approach == "one_step":
            glucose = gdm.one_step(g.ogtt or {})
        else:
            glucose = gdm.two_step(g.gct_50g or 0.0, g.gct_threshold or 0, g.ogtt_criteria, g.ogtt)
    htn = hypertension.classify(hypertension_findings(record, ga)) if record.labs is not None else None
    m = record.magnesium
    mag = magnesium.check(m.patellar_reflexes, m.respiratory_rate, m.serum_magnesium_mg_dl,
                          m.urine_output_ml_h) if m is not None else None  # fmt: skip
    dl = record.delivery
    rh = anti_d.postpartum(dl.mother_rh, dl.antibody_screen == "anti_d_alloimmunized", dl.infant_rh,
                           dl.fetal_cell_screen, dl.kleihauer_betke_percent) if dl is not None else None  # fmt: skip
    strep = None
    if record.gbs is not None and record.labor is not None:
        s, lab = record.gbs, record.labor
        age = (encounter - date.fromisoformat(s.culture_date)).days if s.culture_date else None
        temp = record.vitals.temperature_c if record.vitals else 37.0
        strep = gbs.prophylaxis(s.culture, age, s.bacteriuria_this_pregnancy, record.patient.previous_infant_gbs, ga,
                                lab.membranes_ruptured_hours, temp, s.intrapartum_naat, lab.planned_cesarean_no_labor,
                                record.patient.penicillin_allergy, s.clindamycin_susceptible)  # fmt: skip
    bishop, points = None, {}
    if record.cervix is not None:
        c = record.cervix
        scored = bishop_score(dilation_cm=c.dilation_cm, effacement_percent=c.effacement_percent, station=c.station,
                              consistency=c.consistency, position=c.position)  # fmt: skip
        bishop, points = int(scored.value), dict(scored.points)
    tracing = fhr.measure(record.tracing.fhr_bpm, record.tracing.contraction_peaks_s) if record.tracing else None
    bleed = None
    if record.bleeding is not None:
        b = record.bleeding
        qbl = hemorrhage.quantify([(w.wet_g, w.dry_g) for w in b.weighed_items], b.canister_ml, b.canister_non_blood_ml)
        bleed = hemorrhage.stage(b.mode, qbl, b.heart_rate, b.systolic, b.diastolic, b.spo2, b.bleeding_continues,
                                 b.rbc_units_given)  # fmt: skip
    profile = None
    if record.antenatal is not None:
        t = record.antenatal
        profile = bpp.score(t.nst_accelerations_20min, t.breathing_longest_s, t.body_movements, t.tone_episodes,
                            t.dvp_cm, ga)  # fmt: skip
    orders: set[str] = set()
    if strep is not None and strep.agent != "none":
        orders.add(GBS_ORDER[strep.agent])
    if htn is not None and record.setting == "labor_delivery_admission":
        if htn.magnesium_indicated:
            orders.add("magnesium_sulfate")
        if htn.acute_antihypertensive:
            orders.add("acute_antihypertensive")
    if mag is not None and mag.toxicity_signs:
        orders.add("calcium_gluconate")
    if rh is not None and rh.decision == "indicated":
        orders.add("rh_immune_globulin")
    if bleed is not None and bleed.stage == "stage_3":
        orders.add("massive_transfusion_protocol")
    return Assessment(dated, ga, glucose, htn, mag, rh, strep, bishop, points, tracing, bleed, profile,
                      tuple(sorted(orders)))
