"""The reference reader: reads the study and its measurements with the record tools and applies the criteria.

Assisted tier: the machine's interpretation (``interpret_ecg``, ``interpret_spirometry``, ``classify_ctg``).
Unassisted tier: reads the published criteria with ``get_criteria`` and applies the criteria functions in Python to
the measurements the record tools returned (rhythm from rate, regularity, QRS width and atrial activity; findings from
intervals and per-lead measurements; the spirometry pattern from the measured indices and the report's LLNs; the NICHD
reading of the FHR series), the way a clinician applies a published table. Either way it requests the urgent actions
the reading calls for, then submits. For a question loaded from a user's VQA file it looks at the image and abstains
(submits no answer): reading an arbitrary image needs a model that sees.
"""

from __future__ import annotations

from typing import Any

from healthgym.mcp_servers.domain import Solver, TaskView
from healthgym.mcp_servers.domains.obstetrics import fhr
from healthgym.mcp_servers.domains.visual_diagnosis import criteria, spirometry
from healthgym.mcp_servers.domains.visual_diagnosis.measure import Measurements
from healthgym.mcp_servers.domains.visual_diagnosis.tasks import DECIDE, QUESTIONS, READS, SYSTEMS_OF
from healthgym.schemas import ToolCall


def _kind(prompt: str) -> str:
    asks = prompt[prompt.rfind("submit_answer(") :]
    if asks == "submit_answer(case_id, vqa_answer).":
        return "vqa"
    return next(k for k, (_, f) in QUESTIONS.items() if asks == f"submit_answer(case_id, {', '.join(f)}).")


def measurements(rhythm: dict[str, Any], intervals: dict[str, Any], leads: dict[str, Any] | None) -> Measurements:
    """The measurement program's output rebuilt from what the three measurement tools returned."""
    rows = {row["lead"]: row for row in (leads or {}).get("leads", [])}

    def per_lead(key: str) -> dict[str, float]:
        return {lead: float(row[key]) for lead, row in rows.items()}

    return Measurements(
        r_peaks_s=(), rr_ms=tuple(rhythm["rr_ms"]), ventricular_rate=rhythm["ventricular_rate"], rr_cv=rhythm["rr_cv"],
        atrial_waves_s=tuple(rhythm["atrial_waves_s"]), atrial_rate=rhythm["atrial_rate"],
        atrial_cv=rhythm["atrial_cv"], v1_wave_rate=rhythm["v1_wave_rate"], v1_wave_cv=rhythm["v1_wave_cv"],
        v1_waves_per_beat=rhythm["v1_waves_per_beat"], pr_ms=tuple(rhythm["pr_ms"]), qrs_ms=intervals["qrs_ms"],
        qt_ms=intervals["qt_ms"], qtc_bazett_ms=intervals["qtc_bazett_ms"],
        qtc_fridericia_ms=intervals["qtc_fridericia_ms"], axis_deg=intervals["axis_deg"], st_mv=per_lead("st_mv"),
        t_amplitude_mv=per_lead("t_amplitude_mv"), qrs_net_mv_s=per_lead("qrs_net_area_mv_s"),
        terminal_qrs_mv=per_lead("terminal_qrs_mv"), initial_qrs_mv=per_lead("initial_qrs_mv"),
        noise_mv=per_lead("noise_mv"),
    )  # fmt: skip


def solve(view: TaskView) -> Solver:
    cid = view.case_ref
    kind = _kind(view.prompt)
    if kind == "vqa":  # a user's image question: the rule-based reader cannot see, so it looks and abstains
        yield ToolCall(name="get_vqa_image", arguments={"case_id": cid})
        yield ToolCall(name="submit_answer", arguments={"case_id": cid})
        return
    got: dict[str, dict[str, Any]] = {}
    for tool in READS[kind]:
        got[tool] = yield ToolCall(name=tool, arguments={"case_id": cid})
    patient = got["get_case"]["patient"]
    answer: dict[str, Any] = {"case_id": cid}
    actions: list[str] = []
    if view.tier == "unassisted":
        for system in SYSTEMS_OF[kind]:
            yield ToolCall(name="get_criteria", arguments={"system": system})
        if kind in ("rhythm_strip", "twelve_lead", "intervals"):
            m = measurements(got["measure_ecg_rhythm"], got["measure_ecg_intervals"], got.get("measure_ecg_leads"))
            rhythm = criteria.classify_rhythm(m)
            found = criteria.read_findings(m, rhythm, patient["sex"], patient["age"]) if kind == "twelve_lead" else []
            answer |= {"rhythm": rhythm, "findings": found}
            actions = criteria.urgent_actions(rhythm, found)
        if kind == "spirometry":
            study, measured = got["get_spirometry"], got["measure_flow_volume"]
            sm = spirometry.SpiroMeasurement(**{k: v for k, v in measured.items() if k not in ("case_id", "available")})
            answer["spirometry_pattern"] = spirometry.interpret(sm, study["lln_fev1_fvc"], study["lln_fvc_l"])
        if kind == "ctg":
            series = got["get_ctg"]
            t = fhr.measure(series["fhr_bpm"], series["contraction_peaks_s"])
            answer |= {"fhr_baseline_bpm": t.baseline_bpm, "fhr_variability": t.variability,
                       "fhr_decelerations": list(t.types), "fhr_category": t.category}
            actions = ["obstetric_bedside_evaluation"] if t.category == "III" else []
    else:
        for tool in DECIDE[kind]:
            out = yield ToolCall(name=tool, arguments={"case_id": cid})
            if tool == "interpret_ecg":
                answer |= {"rhythm": out["rhythm"], "findings": out["findings"]}
                actions = out["urgent_actions"]
            elif tool == "interpret_spirometry":
                answer["spirometry_pattern"] = out["pattern"]
            else:
                answer |= {"fhr_baseline_bpm": out["baseline_bpm"], "fhr_variability": out["variability"],
                           "fhr_decelerations": out["deceleration_types"], "fhr_category": out["category"]}
                actions = ["obstetric_bedside_evaluation"] if out["category"] == "III" else []
    if kind in ("rhythm_strip", "intervals"):
        answer["ventricular_rate"] = got["measure_ecg_rhythm"]["ventricular_rate"]
    if kind == "rhythm_strip":
        actions = [a for a in actions if a in criteria.urgent_actions(answer["rhythm"], [])]
    if kind == "intervals":
        iv = got["measure_ecg_intervals"]
        answer |= {"pr_ms": iv["pr_ms"] if iv["pr_ms"] is not None else -1, "qrs_ms": iv["qrs_ms"],
                   "qtc_ms": iv["qtc_bazett_ms"], "axis_deg": iv["axis_deg"]}
    if kind == "spirometry":
        measured = got["measure_flow_volume"]
        answer |= {"fev1_fvc": measured["fev1_fvc"], "fev1_percent_predicted": measured["fev1_percent_predicted"]}
    for action in actions:
        yield ToolCall(name="request_urgent_action", arguments={"case_id": cid, "action": action,
                                                                "reason": f"{kind} reading"})
    _, asked = QUESTIONS[kind]
    yield ToolCall(name="submit_answer", arguments={"case_id": cid, **{k: answer[k] for k in asked if k in answer}})
