"""Task generation: ``generate(split, seed, index)`` builds the task about patient ``case_id(split, seed, index)``.

Nine kinds by ``index % 12`` (``patients.KIND_CYCLE``); the 360-task test split holds 90 instrument tasks (10
instruments in rotation), 60 criteria tasks (7 disorders in rotation), 30 each of suicide risk, depression work-up,
clozapine ANC, QTc, serotonin toxicity versus NMS, metabolic monitoring and lithium. Tiers alternate every 12 tasks,
so each kind appears in both. Composite: suicide risk and depression work-up (writes graded on the final episode
state: the disposition and safety plan recorded), clozapine (three findings of one table row), metabolic monitoring
(due measures, weight change, switch) and lithium (band, level-raising drugs, monitoring): 150 of 360.

Grading: totals, symptom counts and the highest C-SSRS item exactly, QTc within 3 ms, weight change within 0.2
percentage points; bands, criteria, levels, dispositions and ANC rows as labels; the safety plan, the measures due
and the level-raising drugs by F1. Weights favour the fields a guess cannot hit: instrument total 3, QTc 2, weight
change 2, lithium band 2; yes/no-like fields 0.5 (safety plan, clozapine action, lithium monitoring, consider
switch); others 1.
"""

from __future__ import annotations

from healthgym.mcp_servers.domains.psychiatry import criteria, instruments, pharmacology, risk
from healthgym.mcp_servers.domains.psychiatry.patients import DOMAIN, SCREENED, Case, Kind, PatientRecord, build_case
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
COMPOSITE: frozenset[Kind] = frozenset({"suicide_risk", "depression_workup", "clozapine", "metabolic", "lithium"})
QTC_TOLERANCE_MS = 3.0
ORDERS: dict[str, str] = {
    "hold_clozapine": "interrupt clozapine",
    "anc_weekly": "ANC weekly",
    "anc_every_2_weeks": "ANC every 2 weeks",
    "anc_monthly": "ANC monthly",
    "anc_three_times_weekly": "ANC three times weekly",
    "anc_daily": "ANC daily",
    "hematology_consult": "hematology consultation",
    "stop_qt_prolonging_antipsychotic": "stop or switch the QT-prolonging antipsychotic",
    "repeat_ecg": "repeat 12-lead ECG",
    "check_potassium_magnesium": "check and correct potassium and magnesium",
    "stop_serotonergic_agents": "stop every serotonergic drug",
    "stop_dopamine_antagonist": "stop the dopamine antagonist",
    "benzodiazepine": "benzodiazepine for agitation",
    "active_cooling": "active cooling and supportive care",
    "constant_observation": "one-to-one constant observation",
    "hold_lithium": "withhold lithium and send an urgent level, renal function and electrolytes",
    "weight_bmi": "weight and BMI",
    "waist_circumference": "waist circumference",
    "blood_pressure": "blood pressure",
    "fasting_glucose": "fasting plasma glucose",
    "fasting_lipids": "fasting lipid profile",
}
"""Orderable actions (``place_order``)."""


Order = tuple[str, bool, str]
"""(order, critical, why)."""


def anc_orders(monitoring: str, action: str, category: str) -> list[Order]:
    """The ANC frequency the label gives, and a clozapine hold when it says interrupt (critical)."""
    out: list[Order] = [(f"anc_{monitoring}", False, f"ANC monitoring {monitoring} ({category}; clozapine label)")]
    if action != "continue":
        out.append(("hold_clozapine", True, f"{category}: the clozapine label says interrupt therapy"))
    return out


def qtc_orders(category: str) -> list[Order]:
    """High risk: stop the QT-prolonging antipsychotic (critical); prolonged: repeat the ECG (Drew 2010)."""
    if category == "high_risk":
        return [("stop_qt_prolonging_antipsychotic", True, "QTc > 500 ms or a rise > 60 ms (Drew 2010)")]
    if category == "prolonged":
        return [("repeat_ecg", False, "QTc above the 99th percentile: repeat the ECG and monitor (Drew 2010)")]
    return []


def toxicity_orders(assessment: str) -> list[Order]:
    """Stop the culprit at once (critical): every serotonergic drug in serotonin toxicity (Boyer EW, Shannon M.
    N Engl J Med 2005;352:1112-20), the dopamine antagonist in NMS (Gurrera 2011)."""
    if assessment.startswith("st_"):
        return [("stop_serotonergic_agents", True, "serotonin toxicity: stop every serotonergic drug (Boyer 2005)")]
    if assessment == "nms":
        return [("stop_dopamine_antagonist", True, "NMS: stop the dopamine antagonist at once (Gurrera 2011)")]
    return []


def metabolic_orders(due: list[str]) -> list[Order]:
    """An order for every measure due this visit (the history is taken, not ordered) (ADA/APA 2004)."""
    return [(m, False, f"{m} due this visit (ADA/APA 2004 schedule)") for m in due if m in ORDERS]


def lithium_orders(band: str) -> list[Order]:
    """A toxic level (above 1.5 mmol/L, BNF) with toxic signs: withhold lithium now (critical)."""
    return [("hold_lithium", True, "lithium level in the toxic range (> 1.5 mmol/L, BNF)")] if band == "toxic" else []


def required_orders(case: Case) -> list[Order]:
    """The orders the case calls for, by its kind's rule."""
    r, plan = case.record, case.plan
    if plan.kind == "clozapine":
        advice = pharmacology.clozapine_anc(float(plan.extra["anc"]), float(plan.extra["months"]),  # type: ignore[arg-type]
                                            r.benign_ethnic_neutropenia)  # fmt: skip
        return anc_orders(advice.monitoring, advice.action, advice.category)
    if plan.kind == "qtc":
        return qtc_orders(str(plan.extra["category"]))
    if plan.kind == "toxicity":
        return toxicity_orders(str(plan.extra["assessment"]))
    if plan.kind == "lithium":
        return lithium_orders(str(plan.extra["band"]))
    if plan.kind == "metabolic":
        return metabolic_orders(pharmacology.metabolic_due(int(plan.extra["week"])))  # type: ignore[call-overload]
    return []


def cssrs_items_to_ask(points: list[int]) -> list[int]:
    """Items 1, 2 and 6, and 3-5 when item 2 is 'yes' (the screener's skip rule)."""
    return [1, 2, 3, 4, 5, 6] if points[1] else [1, 2, 6]


def _ask(pid: str, instrument: str, item: int, why: str) -> ActionSpec:
    return ActionSpec(tool="ask_instrument_item", arguments={"patient_id": pid, "instrument": instrument,
                      "item": item}, before="submit_answer", why=why)  # fmt: skip


def lithium_review_of(r: PatientRecord) -> pharmacology.LithiumReview:
    """The NICE / BNF lithium review of a chart (also what the assisted tool returns)."""
    lithium = next(m for m in r.medications if m.name == "lithium carbonate")
    labs = {lab.name: lab.value for lab in r.labs}
    return pharmacology.lithium_review(
        labs["lithium (12 h post-dose)"], lithium.months_on, r.age, [m.name for m in r.medications], labs["eGFR"],
        any(h.startswith("adherence to lithium: poor") for h in r.psychiatric_history),
    )



def _header(case: Case) -> str:
    r = case.record
    return (f"Patient {r.patient_id}: {r.age}-year-old {r.sex}, {r.setting}, presenting with "
            f"{r.presenting_complaint}.")  # fmt: skip


def _risk_part(case: Case, pid: str) -> tuple[dict[str, object], list[ActionSpec], list[str], str]:
    """The C-SSRS screen, disposition and safety plan: fields, required actions, path and rationale."""
    answers = case.file.hidden.answers["cssrs"]
    points = [instruments.CSSRS_ITEMS[i].points(a) for i, a in enumerate(answers)]
    strat = risk.stratify(points, answers)
    required = [_ask(pid, "cssrs", i, "C-SSRS screener item (skip rule: 3-5 only after a yes to 2)")
                for i in cssrs_items_to_ask(points)]  # fmt: skip
    required.append(ActionSpec(tool="set_disposition", arguments={"patient_id": pid, "disposition": strat.disposition},
                               before="submit_answer", critical=strat.level == "high",
                               why=f"C-SSRS {strat.level} risk -> {strat.disposition}"))  # fmt: skip
    plan = list(risk.SAFETY_PLAN_ELEMENTS) if strat.safety_plan_required else []
    if plan:
        required.append(ActionSpec(tool="record_safety_plan", arguments={"patient_id": pid}, before="submit_answer",
                                   why="a positive screen leaves with a Stanley-Brown safety plan"))  # fmt: skip
    fields = {
        "risk_level": ChoiceAnswer(value=strat.level, options=list(instruments.CSSRS_LEVELS)),
        "disposition": ChoiceAnswer(value=strat.disposition, options=list(risk.DISPOSITION_CODES)),
        "safety_plan": CodeSetAnswer(codes=plan),
    }
    path = [path_step("ask_instrument_item", patient_id=pid, instrument="cssrs", item=i) for i in
            cssrs_items_to_ask(points)]  # fmt: skip
    path += [path_step("set_disposition", patient_id=pid, disposition=strat.disposition)]
    path += [path_step("record_safety_plan", patient_id=pid, elements=plan)] if plan else []
    why = (f"C-SSRS answers {answers}: positive items {strat.deciding_items} -> {strat.level} risk -> "
           f"{strat.disposition} ({strat.actions}); safety plan {'required' if plan else 'not required'}. "
           f"Sources: {'; '.join(strat.sources)}.")  # fmt: skip
    return fields, required, path, why


def generate(split: Split, seed: int, index: int) -> Task:
    """Task ``index`` of ``(split, seed)``: a pure function of its arguments."""
    case = build_case(split, seed, index)
    r, plan, kind = case.record, case.plan, case.plan.kind
    pid = r.patient_id
    read = ActionSpec(tool="get_patient_record", arguments={"patient_id": pid}, before="submit_answer",
                      why="read the chart before answering")  # fmt: skip
    required: list[ActionSpec] = [read]
    path = [path_step("get_patient_record", patient_id=pid)]
    fields: dict[str, ChoiceAnswer | NumericAnswer | CodeSetAnswer] = {}
    weights: dict[str, float] = {}
    evidence: list[str] = [f"{r.age} {r.sex}, {r.setting}: {r.presenting_complaint}"]
    hidden = case.file.hidden
    budget_extra = 0

    if kind == "instrument":
        inst = instruments.get_instrument(plan.instrument)
        result = instruments.score(inst.code, hidden.answers[inst.code], r.sex)
        fields["total"] = NumericAnswer(value=result.total, unit="points", tolerance=0)
        fields["band"] = ChoiceAnswer(value=result.band, options=list(inst.bands))
        weights["total"] = 3.0
        required += [_ask(pid, inst.code, i, f"{inst.code} item {i}") for i in range(1, len(inst.items) + 1)]
        path += [path_step("ask_instrument_item", patient_id=pid, instrument=inst.code, item=i)
                 for i in range(1, len(inst.items) + 1)]  # fmt: skip
        rationale = (f"{inst.title}: item points {result.item_points} -> total {result.total}, band {result.band}. "
                     f"Rule: {inst.scoring} Source: {inst.source}.")  # fmt: skip
        evidence.append(f"answers: {hidden.answers[inst.code]}")
        if result.flags:
            cssrs_points = [instruments.CSSRS_ITEMS[i].points(a) for i, a in enumerate(hidden.answers["cssrs"])]
            required += [_ask(pid, "cssrs", i, "self-harm item positive: screen suicide risk (C-SSRS)")
                         for i in cssrs_items_to_ask(cssrs_points)]  # fmt: skip
            rationale += f" {'; '.join(result.flags)}."
            budget_extra = 10
        prompt = (f"{_header(case)} Administer the {inst.title} (instrument '{inst.code}'): ask the patient every "
                  "item with ask_instrument_item, score it by its published rule and submit "
                  f"submit_answer(total=..., band=...), band being one of {', '.join(inst.bands)}.")  # fmt: skip
        budget = len(inst.items) + 6 + budget_extra
    elif kind == "criteria":
        d = criteria.get_disorder(plan.disorder)
        result_c = criteria.evaluate(d.code, hidden.findings)
        fields["failed_criterion"] = ChoiceAnswer(value=plan.failing or "none",
                                                  options=["none", *(c.code for c in d.criteria)])  # fmt: skip
        fields["symptom_count"] = NumericAnswer(value=result_c.symptom_count, unit="symptoms", tolerance=0)
        required += [
            ActionSpec(tool="ask_interview_question", arguments={"patient_id": pid, "topic": t},
                       before="submit_answer", why=f"evidence for the {d.code} criteria")
            for t in d.topics
        ]  # fmt: skip
        path += [path_step("get_criteria_checklist", disorder=d.code)]
        path += [path_step("ask_interview_question", patient_id=pid, topic=t) for t in d.topics]
        rationale = "; ".join(f"{c.code} {'met' if c.met else 'NOT met'} ({', '.join(c.evidence)})"
                              for c in result_c.criteria)  # fmt: skip
        rationale = f"{d.title}: {rationale}. Symptom count {result_c.symptom_count}. Source: {criteria.DSM}."
        prompt = (f"{_header(case)} Evaluate the DSM-5-TR criteria for {d.title} (disorder '{d.code}') by "
                  "interviewing the patient (ask_interview_question) and submit submit_answer(failed_criterion=..., "
                  "symptom_count=...): failed_criterion is 'none' when every criterion is met, otherwise the code of "
                  "the one criterion that is not met (at most one is not); symptom_count is how many of the "
                  "disorder's listed symptoms are present.")  # fmt: skip
        budget = len(d.topics) + 6
    elif kind in ("suicide_risk", "depression_workup"):
        risk_fields, risk_required, risk_path, rationale = _risk_part(case, pid)
        if kind == "depression_workup":
            phq = instruments.score("phq9", hidden.answers["phq9"], r.sex)
            fields["phq9_total"] = NumericAnswer(value=phq.total, unit="points", tolerance=0)
            required += [_ask(pid, "phq9", i, f"PHQ-9 item {i}") for i in range(1, 10)]
            path += [path_step("ask_instrument_item", patient_id=pid, instrument="phq9", item=i) for i in range(1, 10)]
            rationale = f"PHQ-9 item points {phq.item_points} -> {phq.total} ({phq.band}). " + rationale
            prompt = (f"{_header(case)} Depression work-up: administer the PHQ-9, screen suicide risk with the "
                      "C-SSRS screener (instrument 'cssrs', following its skip rule), record the disposition with "
                      "set_disposition and, when the screen is positive, a safety plan with record_safety_plan; "
                      "then submit submit_answer(phq9_total=..., risk_level=...). The disposition and safety plan "
                      "are graded as recorded.")  # fmt: skip
        else:
            cssrs_points = [instruments.CSSRS_ITEMS[i].points(a) for i, a in enumerate(hidden.answers["cssrs"])]
            highest = instruments.score("cssrs", hidden.answers["cssrs"], r.sex).total
            fields["highest_item"] = NumericAnswer(value=highest, unit="item", tolerance=0)
            evidence.append(f"C-SSRS points {cssrs_points}")
            prompt = (f"{_header(case)} Screen this patient for suicide risk with the C-SSRS screener (instrument "
                      "'cssrs', following its skip rule), stratify the risk, record the disposition with "
                      "set_disposition and, when the screen is positive, a safety plan with record_safety_plan; "
                      "then submit submit_answer(risk_level=..., highest_item=...), highest_item being the number of "
                      "the highest item answered 'yes' (0 if none). The disposition and safety plan are graded as "
                      "recorded.")  # fmt: skip
        fields.update(risk_fields)  # type: ignore[arg-type]
        weights["safety_plan"] = 0.5
        required += risk_required
        path += risk_path
        budget = 9 + (9 if kind == "depression_workup" else 0) + 6
    elif kind == "clozapine":
        advice = pharmacology.clozapine_anc(float(plan.extra["anc"]), float(plan.extra["months"]),  # type: ignore[arg-type]
                                            r.benign_ethnic_neutropenia)  # fmt: skip
        fields["anc_category"] = ChoiceAnswer(value=advice.category, options=list(pharmacology.ANC_CATEGORIES))
        fields["anc_action"] = ChoiceAnswer(value=advice.action, options=list(pharmacology.ANC_ACTIONS))
        fields["anc_monitoring"] = ChoiceAnswer(value=advice.monitoring, options=list(pharmacology.ANC_MONITORING))
        weights["anc_action"] = 0.5  # continue is the action of three of the five categories
        rationale = f"ANC {advice.anc_per_ul:g}/uL, {advice.months_on_clozapine:g} months: {advice.rule}. Source: " \
                    f"{advice.source}."
        evidence.append(f"ANC {advice.anc_per_ul:g}/uL; BEN {r.benign_ethnic_neutropenia}; months "
                        f"{advice.months_on_clozapine:g}")  # fmt: skip
        prompt = (f"{_header(case)} Review today's absolute neutrophil count for this patient on clozapine against "
                  "the label's ANC monitoring table, place the orders it calls for with place_order, and submit "
                  "submit_answer(anc_category=..., anc_action=..., anc_monitoring=...).")  # fmt: skip
        path += [path_step("get_clozapine_anc_table", population="ben" if r.benign_ethnic_neutropenia else "general")]
        budget = 10
    elif kind == "qtc":
        ecg = r.ecg
        assert ecg is not None
        q = pharmacology.assess_qtc(ecg.qt_ms, ecg.heart_rate_bpm, ecg.baseline_qtc_fridericia_ms, r.sex)
        fields["qtc_ms"] = NumericAnswer(value=q.qtc_ms, unit="ms", tolerance=QTC_TOLERANCE_MS)
        fields["qtc_category"] = ChoiceAnswer(value=q.category, options=list(pharmacology.QTC_CATEGORIES))
        weights["qtc_ms"] = 2.0
        rationale = (f"QT {ecg.qt_ms} ms at {ecg.heart_rate_bpm}/min -> QTc (Fridericia) {q.qtc_ms} ms, baseline "
                     f"{ecg.baseline_qtc_fridericia_ms} ms (change {q.change_ms}): {q.category}. Rule: {q.rule}. "
                     f"Source: {q.source}.")  # fmt: skip
        evidence.append(f"ECG QT {ecg.qt_ms} ms, HR {ecg.heart_rate_bpm}, baseline QTc "
                        f"{ecg.baseline_qtc_fridericia_ms}")
        prompt = (f"{_header(case)} From today's ECG, compute the QTc with Fridericia's formula, classify the "
                  "torsade risk on the antipsychotic (normal, prolonged or high_risk), place any order it calls for "
                  "with place_order, and submit submit_answer(qtc_ms=..., qtc_category=...).")  # fmt: skip
        path += [path_step("get_qtc_guidance")]
        budget = 8
    elif kind == "lithium":
        review = lithium_review_of(r)
        fields["lithium_band"] = ChoiceAnswer(value=review.band, options=list(pharmacology.LITHIUM_BANDS))
        fields["interacting_drugs"] = CodeSetAnswer(codes=review.interacting_drugs)
        fields["lithium_monitoring"] = ChoiceAnswer(value=review.monitoring,
                                                    options=["every_3_months", "every_6_months"])  # fmt: skip
        weights.update(lithium_band=2.0, lithium_monitoring=0.5)
        rationale = (f"Lithium {review.level_mmol_l} mmol/L -> {review.band}; interacting {review.interacting_drugs}; "
                     f"{review.monitoring} ({'; '.join(review.reasons_for_3_monthly) or 'no 3-monthly reason'}). "
                     f"Rule: {review.rule}. Sources: {'; '.join(review.sources)}.")  # fmt: skip
        evidence.append(f"age {r.age}; medications {[m.name for m in r.medications]}; history {r.psychiatric_history}")
        prompt = (f"{_header(case)} Review this patient's lithium: classify today's level (below_target, target, "
                  "upper_target, above_target or toxic), list the drugs in the medication list that raise the lithium "
                  "level, decide how often the level should be measured from now on (NICE), place any order the "
                  "result calls for with place_order, and submit submit_answer(lithium_band=..., "
                  "interacting_drugs=[...], lithium_monitoring=...).")  # fmt: skip
        path += [path_step("get_lithium_guidance")]
        budget = 8
    elif kind == "metabolic":
        m = r.sga_monitoring
        assert m is not None
        review = pharmacology.metabolic_review(m.weeks_on_treatment, m.baseline_weight_kg, m.weight_kg)
        fields["measures_due"] = CodeSetAnswer(codes=review.due)
        fields["weight_gain_percent"] = NumericAnswer(value=review.weight_gain_percent, unit="%", tolerance=0.2)
        fields["consider_switch"] = ChoiceAnswer(value="yes" if review.consider_switch else "no", options=["yes", "no"])
        weights.update(weight_gain_percent=2.0, consider_switch=0.5)
        rationale = (f"Week {m.weeks_on_treatment} of {m.drug}: due {review.due}; weight {m.baseline_weight_kg} -> "
                     f"{m.weight_kg} kg ({review.weight_gain_percent:+.1f}%), consider switch "
                     f"{review.consider_switch}. Rule: {review.rule}. Source: {review.source}.")  # fmt: skip
        evidence.append(f"{m.drug} week {m.weeks_on_treatment}, weight {m.baseline_weight_kg} -> {m.weight_kg} kg")
        prompt = (f"{_header(case)} Metabolic monitoring on a second-generation antipsychotic (ADA/APA consensus): "
                  "which measures are due at this visit (order each one that can be ordered with place_order), what "
                  "is the weight change since baseline in percent, and should a switch be considered for weight "
                  "gain? Submit submit_answer(measures_due=[...], weight_gain_percent=..., consider_switch=...) with "
                  f"measures from {', '.join(pharmacology.METABOLIC_MEASURES)}.")  # fmt: skip
        path += [path_step("get_metabolic_monitoring_schedule")]
        budget = 12
    else:
        exam = r.neuro_exam
        sero = [m.name for m in r.medications if m.drug_class == "serotonergic"]
        anta = [m.name for m in r.medications if m.drug_class == "dopamine antagonist"]
        ck = next(lab.value for lab in r.labs if lab.name == "creatine kinase") / 200
        t = pharmacology.assess_toxicity(exam, r.vitals.temperature_c, ck, sero, anta)
        fields["assessment"] = ChoiceAnswer(value=t.assessment, options=list(pharmacology.ASSESSMENTS))
        rationale = (f"{t.assessment}: Hunter rule {t.hunter_rule}; NMS core features {t.nms_core_features}. "
                     f"{t.rule}. Sources: {'; '.join(t.sources)}.")  # fmt: skip
        evidence.append(f"exam {[s for s, v in exam.items() if v]}, T {r.vitals.temperature_c}, CK x{ck:g} ULN, "
                        f"serotonergic {sero}, dopamine antagonists {anta}")  # fmt: skip
        prompt = (f"{_header(case)} Is this serotonin toxicity, neuroleptic malignant syndrome, or neither? Apply "
                  "the Hunter decision rules in order and the NMS core features, place the orders the assessment "
                  "calls for with place_order, and submit submit_answer(assessment=...), one of "
                  f"{', '.join(pharmacology.ASSESSMENTS)} (st_<rule> names the first Hunter rule met).")  # fmt: skip
        path += [path_step("get_serotonin_nms_criteria")]
        budget = 8

    for order, critical, why in required_orders(case):
        required.append(ActionSpec(tool="place_order", arguments={"patient_id": pid, "order": order},
                                   before="submit_answer", critical=critical, why=why))  # fmt: skip
        path.append(path_step("place_order", patient_id=pid, order=order))
    path.append(path_step("submit_answer", **{k: "..." for k in fields if k not in ("disposition", "safety_plan")}))
    return Task(
        id=task_id(DOMAIN, f"{DOMAIN}.{kind}", split, seed, index),
        domain=DOMAIN,
        split=split,
        prompt=prompt,
        case_ref=pid,
        tier="unassisted" if (index // 12) % 2 else "assisted",
        composite=kind in COMPOSITE,
        answer=FieldsAnswer(fields=fields, weights=weights),
        privileged=Privileged(rationale=rationale, key_evidence=evidence, reference_path=path),
        rubric=Rubric(required_actions=required, max_tool_calls=budget),
        source=Source(generator=f"{DOMAIN}.{kind}", version=VERSION),
    )


__all__ = [
    "COMPOSITE", "ORDERS", "SCREENED", "VERSION", "generate", "lithium_orders", "lithium_review_of",
    "metabolic_orders", "required_orders",
]  # fmt: skip
