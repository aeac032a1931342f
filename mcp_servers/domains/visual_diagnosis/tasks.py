"""Task generation: ``generate(split, seed, index)`` builds the task about the study behind case ``index``.

Six slots cycle with the index (``cases.KIND_CYCLE``), so the 360-task test split holds 60 rhythm strips, 120 12-lead
ECGs, 60 interval measurements, 60 spirometries and 60 CTGs:

- ``rhythm_strip``: a 10 s lead II strip -> rhythm (choice, with partial credit for clinically adjacent rhythms,
  ``criteria.RHYTHM_PARTIAL``), ventricular rate (+-5/min) and the urgent actions requested (F1).
- ``twelve_lead``: a 12-lead ECG -> rhythm, findings (F1: each finding is a separate diagnosis) and the urgent
  actions requested (F1); a STEMI needs cath-lab activation, complete heart block or Mobitz II pacing, VT
  synchronized cardioversion (critical actions).
- ``intervals``: a 12-lead ECG in a sinus rhythm -> ventricular rate (+-5/min), PR (+-20 ms), QRS (+-16 ms), QTc
  (Bazett, +-30 ms), frontal axis (+-15 degrees): the tolerances of ``rhythms.TOLERANCES``.
- ``spirometry``: a flow-volume loop -> pattern (ATS/ERS), FEV1/FVC (+-0.02) and FEV1 % predicted (+-3).
- ``ctg``: a 20-minute CTG -> baseline (exact, rounded to 5), variability class, deceleration types (F1), NICHD
  category and the actions requested (an obstetric bedside evaluation for Category III, critical).

Fields are averaged; every task is composite (several findings, and writes graded on the final state). Tiers
alternate every six tasks.
"""

from __future__ import annotations

from healthgym.mcp_servers.domains.obstetrics import fhr
from healthgym.mcp_servers.domains.visual_diagnosis import criteria, spirometry
from healthgym.mcp_servers.domains.visual_diagnosis.cases import DOMAIN, build_case
from healthgym.mcp_servers.domains.visual_diagnosis.rhythms import TOLERANCES
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

VERSION = "1.0.0"
STUDY_TOOL = {"rhythm_strip": "get_ecg", "twelve_lead": "get_ecg", "intervals": "get_ecg",
              "spirometry": "get_spirometry", "ctg": "get_ctg"}  # fmt: skip
READS: dict[str, tuple[str, ...]] = {
    "rhythm_strip": ("get_case", "get_ecg", "measure_ecg_rhythm", "measure_ecg_intervals"),
    "twelve_lead": ("get_case", "get_ecg", "measure_ecg_rhythm", "measure_ecg_intervals", "measure_ecg_leads"),
    "intervals": ("get_case", "get_ecg", "measure_ecg_rhythm", "measure_ecg_intervals"),
    "spirometry": ("get_case", "get_spirometry", "measure_flow_volume"),
    "ctg": ("get_case", "get_ctg"),
}
"""Record tools each kind reads (the reference clinician's reads; the study itself is required)."""
SYSTEMS_OF = {"rhythm_strip": ("rhythm", "actions"), "twelve_lead": ("rhythm", "conduction", "ischemia", "actions"),
              "intervals": ("intervals",), "spirometry": ("spirometry",), "ctg": ("ctg",)}  # fmt: skip
DECIDE = {"rhythm_strip": ("interpret_ecg",), "twelve_lead": ("interpret_ecg",), "intervals": (),
          "spirometry": ("interpret_spirometry",), "ctg": ("classify_ctg",)}  # fmt: skip
CRITICAL_ACTIONS = ("activate_cath_lab", "transcutaneous_pacing", "synchronized_cardioversion",
                    "obstetric_bedside_evaluation")  # fmt: skip
QUESTIONS = {
    "rhythm_strip": ("Read this rhythm strip: report the rhythm and the ventricular rate, and request any urgent "
                     "action it calls for with request_urgent_action", ("rhythm", "ventricular_rate")),
    "twelve_lead": ("Interpret this 12-lead ECG: report the rhythm and every finding, and request any urgent action it "
                    "calls for with request_urgent_action", ("rhythm", "findings")),
    "intervals": ("Measure this 12-lead ECG: report the ventricular rate, PR interval, QRS duration, QTc (Bazett) and "
                  "frontal QRS axis", ("ventricular_rate", "pr_ms", "qrs_ms", "qtc_ms", "axis_deg")),
    "spirometry": ("Interpret this spirometry by the ATS/ERS strategy: report the pattern, the FEV1/FVC ratio and FEV1 "
                   "% predicted", ("spirometry_pattern", "fev1_fvc", "fev1_percent_predicted")),
    "ctg": ("Read this cardiotocograph by the NICHD definitions: report the baseline (bpm, rounded to 5), the "
            "variability, the deceleration types present ([] for none) and the category; request any urgent action "
            "it calls for", ("fhr_baseline_bpm", "fhr_variability", "fhr_decelerations", "fhr_category")),
}  # fmt: skip



def generate(split: Split, seed: int, index: int) -> Task:
    """Task ``index`` of ``(split, seed)``: a pure function of its arguments."""
    case = build_case(split, seed, index)
    p, r = case.plan, case.record
    kind, cid = p.kind, r.case_id
    fields: dict[str, ChoiceAnswer | NumericAnswer | CodeSetAnswer] = {}
    rationale: list[str] = []
    actions: list[str] = []
    if case.ecg is not None:
        t = case.ecg
        rationale.append(f"{t.rhythm} at {t.ventricular_rate}/min; findings {', '.join(t.findings) or 'none'}; PR "
                         f"{t.pr_ms} ms, QRS {t.qrs_ms} ms, QT {t.qt_ms} ms, QTc {t.qtc_ms} ms, axis {t.axis_deg}")
        if kind in ("rhythm_strip", "twelve_lead"):
            fields["rhythm"] = ChoiceAnswer(value=t.rhythm, options=list(criteria.RHYTHMS),
                                            partial=criteria.RHYTHM_PARTIAL.get(t.rhythm, {}))  # fmt: skip
            actions = [a for a in t.actions if kind == "twelve_lead" or a in criteria.urgent_actions(t.rhythm, [])]
        if kind in ("rhythm_strip", "intervals"):
            fields["ventricular_rate"] = NumericAnswer(value=t.ventricular_rate, unit="/min",
                                                       tolerance=TOLERANCES["ventricular_rate"])
        if kind == "twelve_lead":
            fields["findings"] = CodeSetAnswer(codes=list(t.findings))
        if kind == "intervals":
            if t.pr_ms is not None:
                fields["pr_ms"] = NumericAnswer(value=t.pr_ms, unit="ms", tolerance=TOLERANCES["pr_ms"])
            fields |= {"qrs_ms": NumericAnswer(value=t.qrs_ms, unit="ms", tolerance=TOLERANCES["qrs_ms"]),
                       "qtc_ms": NumericAnswer(value=t.qtc_ms, unit="ms", tolerance=TOLERANCES["qtc_ms"]),
                       "axis_deg": NumericAnswer(value=t.axis_deg, unit="degrees", tolerance=TOLERANCES["axis_deg"])}
    if kind == "spirometry":
        s = r.spirometry
        assert s is not None
        lp = spirometry.loop(s)
        m = spirometry.measure(lp.volume_l, lp.expiratory_flow_l_s, lp.inspiratory_flow_l_s, lp.time_s,
                               s.predicted_fev1_l)
        fields = {"spirometry_pattern": ChoiceAnswer(value=case.spirometry_pattern or "", options=list(
                      spirometry.PATTERNS)),
                  "fev1_fvc": NumericAnswer(value=m.fev1_fvc, unit="ratio", tolerance=0.02),
                  "fev1_percent_predicted": NumericAnswer(value=m.fev1_percent_predicted, unit="%", tolerance=3)}
        rationale.append(f"{case.spirometry_pattern}: FEV1/FVC {m.fev1_fvc}, FEV1 {m.fev1_percent_predicted}% pred, "
                         f"Empey {m.empey_index}, FEF50/FIF50 {m.fef50_l_s}/{m.fif50_l_s}")
    if kind == "ctg":
        assert case.ctg is not None
        m2 = case.ctg
        fields = {"fhr_baseline_bpm": NumericAnswer(value=float(m2.baseline_bpm), unit="bpm", tolerance=0),
                  "fhr_variability": ChoiceAnswer(value=m2.variability, options=list(fhr.VARIABILITY)),
                  "fhr_decelerations": CodeSetAnswer(codes=list(m2.types)),
                  "fhr_category": ChoiceAnswer(value=m2.category, options=list(fhr.CATEGORIES))}
        actions = ["obstetric_bedside_evaluation"] if m2.category == "III" else []
        rationale += list(m2.reasons)
    if kind != "intervals" and kind != "spirometry":
        fields["actions"] = CodeSetAnswer(codes=actions)
    question, asked = QUESTIONS[kind]
    prompt = (f"Case {cid}: {r.patient.age}-year-old {r.patient.sex}, {r.patient.presentation}. {question}. Answer "
              f"with submit_answer(case_id, {', '.join(asked)}).")
    before = "submit_answer"
    required = [ActionSpec(tool=t, arguments={"case_id": cid}, before=before, why="read the study and its measurements")
                for t in READS[kind]]  # fmt: skip
    path = [path_step(t, case_id=cid) for t in READS[kind]]
    if p.tier == "unassisted":
        for system in SYSTEMS_OF[kind]:
            required.append(ActionSpec(tool="get_criteria", arguments={"system": system}, before=before,
                                       why=f"apply the published criteria ({criteria.SOURCES[system][:80]})"))
            path.append(path_step("get_criteria", system=system))
    else:
        path += [path_step(t, case_id=cid) for t in DECIDE[kind]]
    for action in actions:
        path.append(path_step("request_urgent_action", case_id=cid, action=action, reason="..."))
        required.append(ActionSpec(tool="request_urgent_action", arguments={"case_id": cid, "action": action},
                                   before=before, critical=action in CRITICAL_ACTIONS,
                                   why=dict(criteria.criteria_rows("actions")).get(action, action)))  # fmt: skip
    path.append(path_step("submit_answer", case_id=cid, **dict.fromkeys(asked, "...")))
    return Task(
        id=task_id(DOMAIN, f"{DOMAIN}.{kind}", split, seed, index),
        domain=DOMAIN,
        split=split,
        prompt=prompt,
        case_ref=cid,
        tier=p.tier,  # type: ignore[arg-type]
        composite=True,
        answer=FieldsAnswer(fields=fields),
        privileged=Privileged(rationale=" ".join(rationale), key_evidence=[f"target {p.target}"],
                              reference_path=path),  # fmt: skip
        rubric=Rubric(required_actions=required, max_tool_calls=len(path) + 4),
        source=Source(generator=f"{DOMAIN}.{kind}", version=VERSION),
    )
