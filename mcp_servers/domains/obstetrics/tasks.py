"""Task generation: ``generate(split, seed, index)`` builds the task about the encounter behind case ``index``.

Eleven slots cycle with the index (``cases.KIND_CYCLE``), so the 360-task test split holds 32-33 of each single kind
and 64 admissions:

- ``dating``: LMP and one ultrasound -> dating basis (LMP or ultrasound), ACOG CO 700 row, LMP-ultrasound
  discrepancy in days (exact) and gestational age on the encounter date in days (exact).
- ``gdm``: glucose testing read with the institution's approach -> diagnosis (no_gdm, ogtt_needed, gdm), the OGTT
  values at or above threshold (F1) and the gestational age in days (composite: dating + screening).
- ``hypertension``: blood pressure series, labs and symptoms -> ACOG PB 222 category, severe features (F1) and the
  gestational age in days (composite).
- ``magnesium``: a running magnesium infusion -> action, toxicity signs (F1), the severe features that indicate the
  infusion (F1) and the gestational age in days; calcium gluconate ordered when toxic (a critical action).
- ``anti_d``: a postpartum Rh work-up -> anti-D decision and, when indicated, 300 ug vial count (exact) and fetal
  bleed (mL, +-0.5); anti-D ordered when indicated.
- ``gbs``: intrapartum GBS status, labour and allergy -> what decides (the first applicable basis), the agent and
  the gestational age in days (composite: dating + GBS).
- ``fhr``: a 20-minute tracing sampled once a second -> baseline (exact), variability class, deceleration types
  (F1) and NICHD category (composite); a Category III tracing needs ``request_bedside_evaluation`` (critical).
- ``pph``: weighed items, canister and vital signs after a birth -> quantitative blood loss (mL, exact), PPH
  diagnosis (ACOG PB 183) and CMQCC stage (composite); a stage 3 haemorrhage needs the massive transfusion protocol
  ordered (critical).
- ``bpp``: antenatal NST and ultrasound observations -> BPP score (exact), modified BPP, management by score and the
  gestational age in days (composite: dating + BPP; the management of a 6/10 depends on 37 weeks).
- ``admission``: a labour and delivery admission (composite): gestational age (exact), hypertension category, GBS
  agent, Bishop score (exact), the admission tracing's NICHD category (Category III needs a bedside evaluation,
  critical), and the orders active at submission (order classes, F1) - writes graded on the final state.

Fields are graded exactly and averaged; partial credit only across fields and in the F1 of code sets (severe
features, orders), where each element is a separate clinical finding or order. Tiers alternate every eleven tasks.
"""

from __future__ import annotations

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
from healthgym.mcp_servers.domains.obstetrics.cases import DOMAIN, build_case
from healthgym.mcp_servers.domains.obstetrics.criteria import SOURCES
from healthgym.schemas import (
    ActionSpec,
    ChoiceAnswer,
    CodeSetAnswer,
    FieldsAnswer,
    NumericAnswer,
    Privileged,
    Rubric,
    Source,
    Split,
    Task,
    path_step,
    task_id,
)

VERSION = "1.1.0"
READS: dict[str, tuple[str, ...]] = {
    "dating": ("get_dating",),
    "gdm": ("get_dating", "get_glucose_tests"),
    "hypertension": ("get_patient", "get_dating", "get_vitals", "get_labs"),
    "magnesium": ("get_dating", "get_vitals", "get_labs", "get_magnesium_monitoring"),
    "anti_d": ("get_delivery",),
    "gbs": ("get_patient", "get_dating", "get_vitals", "get_gbs_and_labor"),
    "fhr": ("get_fhr_tracing",),
    "pph": ("get_postpartum_bleeding",),
    "bpp": ("get_dating", "get_antenatal_testing"),
    "admission": ("get_patient", "get_dating", "get_vitals", "get_labs", "get_gbs_and_labor", "get_cervical_exam",
                  "get_fhr_tracing"),
}
"""Record tools each kind must read before submitting."""
SYSTEMS_OF = {"dating": ("dating",), "gdm": ("dating", "gdm"), "hypertension": ("dating", "hypertension"),
              "magnesium": ("dating", "hypertension", "magnesium"), "anti_d": ("anti_d",), "gbs": ("dating", "gbs"),
              "fhr": ("fhr",), "pph": ("pph",), "bpp": ("dating", "bpp"),
              "admission": ("dating", "hypertension", "gbs", "bishop", "fhr")}
DECIDE = {"dating": ("date_pregnancy",), "gdm": ("date_pregnancy", "classify_gdm"),
          "hypertension": ("date_pregnancy", "classify_hypertension"),
          "magnesium": ("date_pregnancy", "classify_hypertension", "check_magnesium"),
          "anti_d": ("assess_anti_d",), "gbs": ("date_pregnancy", "assess_gbs"),
          "fhr": ("measure_fhr", "classify_fhr"), "pph": ("stage_hemorrhage",),
          "bpp": ("date_pregnancy", "score_bpp"),
          "admission": ("date_pregnancy", "classify_hypertension", "assess_gbs", "score_bishop", "classify_fhr",
                        "recommend_orders")}  # fmt: skip
REPRESENTATIVE = {"gbs_penicillin": "penicillin_g", "gbs_cefazolin": "cefazolin", "gbs_clindamycin": "clindamycin",
                  "gbs_vancomycin": "vancomycin", "magnesium_sulfate": "magnesium_sulfate",
                  "acute_antihypertensive": "labetalol_iv", "calcium_gluconate": "calcium_gluconate",
                  "rh_immune_globulin": "rh_immune_globulin",
                  "massive_transfusion_protocol": "massive_transfusion_protocol"}  # fmt: skip
"""An orderable item for each order class (the reference clinician's choice)."""
ORDER_KINDS = {"magnesium": ("calcium_gluconate",), "anti_d": ("rh_immune_globulin",),
               "pph": ("massive_transfusion_protocol",)}
"""Single-question kinds whose answer also needs an order when the rule gives it."""
QUESTIONS = {
    "dating": ("Date this pregnancy by ACOG Committee Opinion 700 and report the dating basis, the ACOG re-dating row, "
               "the LMP-ultrasound discrepancy in days and the gestational age on the encounter date in days",
               ("dating_basis", "acog_row", "discrepancy_days", "ga_days")),
    "gdm": ("Read the gestational diabetes testing with this institution's approach and criteria and report the "
            "diagnosis, the OGTT values at or above their thresholds ([] when none or no OGTT), and the gestational "
            "age on the encounter date in days", ("gdm_diagnosis", "abnormal_values", "ga_days")),
    "hypertension": ("Classify the hypertensive disorder of pregnancy (ACOG PB 222), list its severe features, and "
                     "report the gestational age on the encounter date in days",
                     ("hypertension_category", "severe_features", "ga_days")),
    "magnesium": ("This patient is on magnesium sulfate for preeclampsia with severe features. Confirm the severe "
                  "features that indicate it, check for toxicity, place any order it calls for, and report the "
                  "action, the toxicity signs present ([] for none), the severe features and the gestational age on "
                  "the encounter date in days (delivery timing depends on it)",
                  ("magnesium_action", "toxicity_signs", "severe_features", "ga_days")),
    "anti_d": ("Decide on postpartum anti-D immunoglobulin, order it if indicated, and report the decision, the "
               "number of 300 ug vials and the fetal bleed in mL of whole blood (0 without a Kleihauer-Betke test) "
               "when it is indicated", ("anti_d_decision", "vials", "fetal_bleed_ml")),
    "gbs": ("Decide on intrapartum GBS prophylaxis (ACOG CO 797): report what decides it, the agent, and the "
            "gestational age on the encounter date in days", ("gbs_basis", "gbs_agent", "ga_days")),
    "fhr": ("Measure this fetal heart rate tracing by the NICHD definitions and report its baseline (bpm, rounded to "
            "5), variability, the deceleration types present ([] for none) and its NICHD category; act on the category",
            ("fhr_baseline_bpm", "fhr_variability", "fhr_decelerations", "fhr_category")),
    "pph": ("Quantify the blood loss after this birth from the weighed items and the canister, decide whether this "
            "is a postpartum haemorrhage (ACOG PB 183), stage it by the CMQCC obstetric haemorrhage stages and place "
            "any order the stage calls for. Report the quantitative blood loss in mL, the diagnosis and the stage",
            ("qbl_ml", "pph_diagnosis", "hemorrhage_stage")),
    "bpp": ("Score the biophysical profile of this antenatal test (Manning; ACOG PB 229), read the modified BPP, and "
            "report the BPP score, the modified BPP result, the management by score (it depends on the gestational "
            "age) and the gestational age on the encounter date in days",
            ("bpp_score", "modified_bpp", "bpp_management", "ga_days")),
    "admission": ("Admit this patient: date the pregnancy, classify any hypertensive disorder, decide GBS "
                  "prophylaxis, read the admission fetal heart rate tracing and act on its category, and place the "
                  "orders the admission needs with place_order (the orders active when you submit are graded). "
                  "Report the gestational age in days, the hypertension category, the GBS agent, the Bishop score and "
                  "the NICHD category of the tracing",
                  ("ga_days", "hypertension_category", "gbs_agent", "bishop_score", "fhr_category")),
}  # fmt: skip



def generate(split: Split, seed: int, index: int) -> Task:
    """Task ``index`` of ``(split, seed)``: a pure function of its arguments."""
    case = build_case(split, seed, index)
    p, r, a = case.plan, case.record, case.assessment
    kind, cid = p.kind, r.case_id
    fields: dict[str, ChoiceAnswer | NumericAnswer | CodeSetAnswer] = {}
    rationale: list[str] = []
    if kind == "dating" or kind == "admission":
        d = a.dating
        if kind == "dating":
            fields |= {"dating_basis": ChoiceAnswer(value=d.basis, options=["lmp", "ultrasound"]),
                       "acog_row": ChoiceAnswer(value=d.row, options=list(dating.ROW_CODES)),
                       "discrepancy_days": NumericAnswer(value=float(d.discrepancy_days), unit="days", tolerance=0)}
        fields["ga_days"] = NumericAnswer(value=float(a.ga_days), unit="days", tolerance=0)
        rationale += [*d.reasons, f"GA on {r.encounter_date}: {a.ga_days} days ({dating.weeks_days(a.ga_days)})"]
    if kind == "gdm":
        assert a.gdm is not None
        fields = {"gdm_diagnosis": ChoiceAnswer(value=a.gdm.diagnosis, options=list(gdm.DIAGNOSES)),
                  "abnormal_values": CodeSetAnswer(codes=list(a.gdm.abnormal)),
                  "ga_days": NumericAnswer(value=float(a.ga_days), unit="days", tolerance=0)}
        rationale += a.gdm.reasons
    if kind in ("hypertension", "admission"):
        assert a.hypertension is not None
        h = a.hypertension
        fields["hypertension_category"] = ChoiceAnswer(value=h.category, options=list(hypertension.CATEGORIES))
        if kind == "hypertension":
            fields["severe_features"] = CodeSetAnswer(codes=list(h.severe_features))
            fields["ga_days"] = NumericAnswer(value=float(a.ga_days), unit="days", tolerance=0)
        rationale += h.reasons
    if kind == "magnesium":
        assert a.magnesium is not None
        assert a.hypertension is not None
        fields = {"magnesium_action": ChoiceAnswer(value=a.magnesium.action, options=list(magnesium.ACTIONS)),
                  "toxicity_signs": CodeSetAnswer(codes=list(a.magnesium.toxicity_signs)),
                  "severe_features": CodeSetAnswer(codes=list(a.hypertension.severe_features)),
                  "ga_days": NumericAnswer(value=float(a.ga_days), unit="days", tolerance=0)}
        rationale += a.magnesium.reasons
    if kind == "anti_d":
        assert a.anti_d is not None
        fields = {"anti_d_decision": ChoiceAnswer(value=a.anti_d.decision, options=list(anti_d.DECISIONS))}
        if a.anti_d.decision == "indicated":  # the dose is graded only when there is one to give
            fields |= {"vials": NumericAnswer(value=float(a.anti_d.vials), unit="vials", tolerance=0),
                       "fetal_bleed_ml": NumericAnswer(value=a.anti_d.fetal_bleed_ml, unit="mL", tolerance=0.5)}
        rationale += a.anti_d.reasons
    if kind in ("gbs", "admission"):
        assert a.gbs is not None
        if kind == "gbs":
            fields["gbs_basis"] = ChoiceAnswer(value=a.gbs.basis, options=list(gbs.BASES))
            fields["ga_days"] = NumericAnswer(value=float(a.ga_days), unit="days", tolerance=0)
        fields["gbs_agent"] = ChoiceAnswer(value=a.gbs.agent, options=list(gbs.AGENTS))
        rationale += a.gbs.reasons
    if kind == "admission":
        assert a.tracing is not None
        fields["fhr_category"] = ChoiceAnswer(value=a.tracing.category, options=list(fhr.CATEGORIES))
        rationale += a.tracing.reasons[-1:]
    if kind == "fhr":
        assert a.tracing is not None
        m = a.tracing
        fields = {"fhr_baseline_bpm": NumericAnswer(value=float(m.baseline_bpm), unit="bpm", tolerance=0),
                  "fhr_variability": ChoiceAnswer(value=m.variability, options=list(fhr.VARIABILITY)),
                  "fhr_decelerations": CodeSetAnswer(codes=list(m.types)),
                  "fhr_category": ChoiceAnswer(value=m.category, options=list(fhr.CATEGORIES))}
        rationale += m.reasons
    if kind == "pph":
        assert a.hemorrhage is not None
        h = a.hemorrhage
        fields = {"qbl_ml": NumericAnswer(value=float(h.qbl_ml), unit="mL", tolerance=0),
                  "pph_diagnosis": ChoiceAnswer(value=h.diagnosis, options=list(hemorrhage.DIAGNOSES)),
                  "hemorrhage_stage": ChoiceAnswer(value=h.stage, options=list(hemorrhage.STAGES))}
        rationale += h.reasons
    if kind == "bpp":
        assert a.bpp is not None
        b = a.bpp
        fields = {"bpp_score": NumericAnswer(value=float(b.score), unit="points", tolerance=0),
                  "modified_bpp": ChoiceAnswer(value=b.modified, options=list(bpp.MODIFIED)),
                  "bpp_management": ChoiceAnswer(value=b.management, options=list(bpp.MANAGEMENT)),
                  "ga_days": NumericAnswer(value=float(a.ga_days), unit="days", tolerance=0)}
        rationale += [*a.dating.reasons, *b.reasons]
    if kind == "admission":
        assert a.bishop is not None
        fields["bishop_score"] = NumericAnswer(value=float(a.bishop), unit="points", tolerance=0)
        fields["orders"] = CodeSetAnswer(codes=list(a.orders))
        rationale.append(f"Bishop {a.bishop} ({a.bishop_points})")
    question, asked = QUESTIONS[kind]
    prompt = (f"{r.setting.replace('_', ' ').capitalize()} {cid} on {r.encounter_date}. {question}. Answer with "
              f"submit_answer(case_id, {', '.join(asked)}).")
    before = "submit_answer"
    required = [ActionSpec(tool=t, arguments={"case_id": cid}, before=before, why="read the record the rule needs")
                for t in READS[kind]]  # fmt: skip
    path = [path_step("get_encounter", case_id=cid)] + [path_step(t, case_id=cid) for t in READS[kind]]
    if p.tier == "unassisted":
        for system in SYSTEMS_OF[kind]:
            required.append(ActionSpec(tool="get_criteria", arguments={"system": system}, before=before,
                                       why=f"apply the published criteria ({SOURCES[system]})"))  # fmt: skip
            path.append(path_step("get_criteria", system=system))
    else:
        path += [path_step(t, case_id=cid) for t in DECIDE[kind]]
    orders = a.orders if kind == "admission" else tuple(o for o in ORDER_KINDS.get(kind, ()) if o in a.orders)
    for order in orders:
        item = REPRESENTATIVE[order]
        path.append(path_step("place_order", case_id=cid, order=item))
        if order in ("magnesium_sulfate", "calcium_gluconate", "rh_immune_globulin", "massive_transfusion_protocol"):
            required.append(ActionSpec(
                tool="place_order", arguments={"case_id": cid, "order": item}, before=before,
                critical=order != "rh_immune_globulin", why=" ".join(rationale[-1:])))  # fmt: skip
    if kind in ("fhr", "admission") and a.tracing is not None and a.tracing.category == "III":
        path.append(path_step("request_bedside_evaluation", case_id=cid, reason="Category III tracing"))
        required.append(ActionSpec(tool="request_bedside_evaluation", arguments={"case_id": cid}, before=before,
                                   critical=True, why=f"Category III tracing ({fhr.SOURCE})"))
    path.append(path_step("submit_answer", case_id=cid, **dict.fromkeys(asked, "...")))
    composite = kind in ("gdm", "hypertension", "magnesium", "gbs", "fhr", "pph", "bpp", "admission")
    return Task(
        id=task_id(DOMAIN, f"{DOMAIN}.{kind}", split, seed, index),
        domain=DOMAIN,
        split=split,
        prompt=prompt,
        case_ref=cid,
        tier=p.tier,  # type: ignore[arg-type]
        composite=composite,
        answer=FieldsAnswer(fields=fields),
        privileged=Privileged(rationale=" ".join(rationale), key_evidence=[f"target {p.target}"],
                              reference_path=path),  # fmt: skip
        rubric=Rubric(required_actions=required, max_tool_calls=len(path) + 4),
        source=Source(generator=f"{DOMAIN}.{kind}", version=VERSION),
    )
