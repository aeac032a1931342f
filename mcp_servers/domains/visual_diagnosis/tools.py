"""The visual_diagnosis tools: plain typed functions whose signatures are the MCP schemas.

Record tools rebuild the study from its id and synthesize its signal on demand (cached per process): the image tools
return MCP image content (a PNG) next to their structured output; the signal tools return the samples; the
measurement tools are the ECG machine's and spirometer's measurement programs (``measure``, ``spirometry.measure``,
obstetrics' ``fhr.measure``), reading the signal, never the truth. A study of another kind comes back with
``available: false``, not an error. Reference tools return the published criteria. Decision support (the machine's
automated interpretation) applies the criteria to the measurements; it is withheld in the unassisted tier.
"""

from __future__ import annotations

import base64
import math
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
from mcp.server.fastmcp import Context
from mcp.server.fastmcp.exceptions import ToolError
from mcp.types import CallToolResult, ImageContent, TextContent
from pydantic import BaseModel, Field

from healthgym.mcp_servers.clinic import episode_state
from healthgym.mcp_servers.domain import ToolKind
from healthgym.mcp_servers.domains.obstetrics import fhr
from healthgym.mcp_servers.domains.visual_diagnosis import criteria, measure, render, rhythms, spirometry
from healthgym.mcp_servers.domains.visual_diagnosis.cases import DOMAIN, Case, build_case, parse_case_id
from healthgym.mcp_servers.domains.visual_diagnosis.ecg import DURATION_S, FS, LEADS
from healthgym.mcp_servers.domains.visual_diagnosis.models import Patient
from healthgym.mcp_servers.loaders import loaded_case

CaseId = Annotated[str, Field(description="Case id, such as 'VIS-5W1Q3ZK8M0RTA'.")]
LeadArg = Annotated[Literal[LEADS], Field(description="One of the 12 leads: I, II, III, aVR, aVL, aVF, V1-V6.")]  # type: ignore[valid-type]
SystemArg = Annotated[Literal[criteria.SYSTEMS], Field(description=", ".join(criteria.SYSTEMS) + ".")]  # type: ignore[valid-type]
ActionArg = Annotated[Literal[criteria.ACTIONS], Field(description="An action of get_action_catalogue.")]  # type: ignore[valid-type]


def _case(case_id: str) -> Case:
    """The case behind a case id; a ``ToolError`` naming ``case_id`` if it is not one."""
    try:
        return build_case(*parse_case_id(case_id))
    except ValueError:
        if loaded_case(DOMAIN, case_id) is not None:
            raise ToolError(f"case_id {case_id!r} is an image question loaded from a file: use get_vqa_image and "
                            "submit_answer(case_id, vqa_answer)") from None
        raise ToolError(
            f"case_id {str(case_id)[:60]!r} not found; case ids look like 'VIS-' followed by 13 base32 characters"
        ) from None


def _any_case_id(case_id: str) -> str:
    """The id of a generated case or of a case loaded from a user's file (``loaders``); ``ToolError`` otherwise."""
    if loaded_case(DOMAIN, case_id) is not None:
        return case_id
    return _case(case_id).record.case_id


@lru_cache(maxsize=128)
def ecg_signal(case_id: str) -> np.ndarray | None:
    """The (12, N) signal of an ECG study, or None for another study."""
    c = _case(case_id)
    return rhythms.signal(c.record.ecg) if c.record.ecg is not None else None


@lru_cache(maxsize=128)
def ecg_measurements(case_id: str) -> measure.Measurements | None:
    x = ecg_signal(case_id)
    return measure.measure(x) if x is not None else None


def _with_image(model: BaseModel, png: bytes | None) -> CallToolResult:
    """Structured output plus, when there is one, the PNG as MCP image content."""
    content: list[TextContent | ImageContent] = [TextContent(type="text", text=model.model_dump_json())]
    if png is not None:
        content.append(ImageContent(type="image", data=base64.b64encode(png).decode(), mimeType="image/png"))
    return CallToolResult(content=content, structuredContent=model.model_dump(mode="json"))


# --- record ----------------------------------------------------------------------------------------------------------


class CaseSummary(BaseModel):
    case_id: str
    study: str = Field(description="twelve_lead, rhythm_strip, spirometry or ctg.")
    patient: Patient
    urgent_actions_requested: list[str] = Field(description="Urgent actions requested in this episode.")


def get_case(case_id: CaseId, ctx: Context) -> CaseSummary:
    """The patient (age, sex, presentation, systolic BP, pulse), which study was done, and the urgent actions
    already requested in this episode."""
    r = _case(case_id).record
    done = [e["action"] for e in episode_state(ctx).get("actions") if e["case_id"] == r.case_id]
    return CaseSummary(case_id=r.case_id, study=r.study, patient=r.patient, urgent_actions_requested=done)


class EcgStudy(BaseModel):
    case_id: str
    available: bool
    layout: str = Field(description="3x4 12-lead + lead II rhythm strip, or lead II rhythm strip; '' if none.")
    sampling_rate_hz: int
    duration_s: float
    paper_speed_mm_s: int
    gain_mm_mv: int
    leads: list[str]


def get_ecg(case_id: CaseId) -> Annotated[CallToolResult, EcgStudy]:
    """The ECG as recorded: a PNG on the standard grid (25 mm/s, 10 mm/mV; 12-lead 3x4 layout over a 10 s lead II
    rhythm strip, or a lead II rhythm strip) returned as image content, with its acquisition settings. Samples:
    get_ecg_lead."""
    c = _case(case_id)
    x = ecg_signal(c.record.case_id)
    if x is None:
        return _with_image(EcgStudy(case_id=c.record.case_id, available=False, layout="", sampling_rate_hz=0,
                                    duration_s=0, paper_speed_mm_s=0, gain_mm_mv=0, leads=[]), None)  # fmt: skip
    twelve = c.record.study == "twelve_lead"
    p = c.record.patient
    header = f"{p.age} y {p.sex}  {'12-lead ECG' if twelve else 'Rhythm strip, lead II'}"
    study = EcgStudy(case_id=c.record.case_id, available=True, layout="12-lead 3x4 + II rhythm" if twelve else
                     "II rhythm strip", sampling_rate_hz=FS, duration_s=DURATION_S, paper_speed_mm_s=render.MM_PER_S,
                     gain_mm_mv=render.MM_PER_MV, leads=list(LEADS) if twelve else ["II"])  # fmt: skip
    return _with_image(study, render.ecg_png(x, header, twelve))


class LeadSignal(BaseModel):
    case_id: str
    available: bool
    lead: str
    sampling_rate_hz: int
    microvolts: list[int] = Field(description="Samples in microvolts, one per 1/sampling_rate_hz s.")


def get_ecg_lead(case_id: CaseId, lead: LeadArg) -> LeadSignal:
    """The sampled signal of one lead (microvolts at 250 Hz over 10 s). A rhythm strip has lead II only."""
    c = _case(case_id)
    x = ecg_signal(c.record.case_id)
    if x is None or (c.record.study == "rhythm_strip" and lead != "II"):
        return LeadSignal(case_id=c.record.case_id, available=False, lead=lead, sampling_rate_hz=0, microvolts=[])
    uv = np.rint(x[LEADS.index(lead)] * 1000).astype(int).tolist()
    return LeadSignal(case_id=c.record.case_id, available=True, lead=lead, sampling_rate_hz=FS, microvolts=uv)


class SpirometryStudy(BaseModel):
    case_id: str
    available: bool
    height_cm: int
    predicted_fvc_l: float
    predicted_fev1_l: float
    lln_fvc_l: float
    lln_fev1_fvc: float
    volume_l: list[float]
    expiratory_flow_l_s: list[float]
    inspiratory_flow_l_s: list[float]
    time_s: list[float] = Field(description="Time of each expiratory volume point (the volume-time curve).")


def get_spirometry(case_id: CaseId) -> Annotated[CallToolResult, SpirometryStudy]:
    """The flow-volume loop as a PNG (image content) and its samples: volume, expiratory and inspiratory flow and
    the volume-time curve, with the report's predicted values and lower limits of normal."""
    c = _case(case_id)
    s = c.record.spirometry
    if s is None:
        return _with_image(SpirometryStudy(case_id=c.record.case_id, available=False, height_cm=0, predicted_fvc_l=0,
                                           predicted_fev1_l=0, lln_fvc_l=0, lln_fev1_fvc=0, volume_l=[],
                                           expiratory_flow_l_s=[], inspiratory_flow_l_s=[], time_s=[]), None)
    lp = spirometry.loop(s)
    study = SpirometryStudy(case_id=c.record.case_id, available=True, height_cm=s.height_cm,
                            predicted_fvc_l=s.predicted_fvc_l, predicted_fev1_l=s.predicted_fev1_l,
                            lln_fvc_l=s.lln_fvc_l, lln_fev1_fvc=s.lln_fev1_fvc, volume_l=lp.volume_l.tolist(),
                            expiratory_flow_l_s=lp.expiratory_flow_l_s.tolist(),
                            inspiratory_flow_l_s=lp.inspiratory_flow_l_s.tolist(), time_s=lp.time_s.tolist())
    p = c.record.patient
    png = render.spirometry_png(study.volume_l, study.expiratory_flow_l_s, study.inspiratory_flow_l_s,
                                f"{p.age} y {p.sex} {s.height_cm} cm")
    return _with_image(study, png)


class CtgStudy(BaseModel):
    case_id: str
    available: bool
    gestational_weeks: int
    sample_interval_s: int
    fhr_bpm: list[int]
    contraction_peaks_s: list[int]


def get_ctg(case_id: CaseId) -> Annotated[CallToolResult, CtgStudy]:
    """The cardiotocograph as a PNG (image content) and its samples: FHR once a second over 20 minutes and the
    contraction peak times."""
    c = _case(case_id)
    g = c.record.ctg
    if g is None:
        return _with_image(CtgStudy(case_id=c.record.case_id, available=False, gestational_weeks=0,
                                    sample_interval_s=0, fhr_bpm=[], contraction_peaks_s=[]), None)  # fmt: skip
    study = CtgStudy(case_id=c.record.case_id, available=True, gestational_weeks=g.gestational_weeks,
                     sample_interval_s=1, fhr_bpm=g.fhr_bpm, contraction_peaks_s=g.contraction_peaks_s)
    return _with_image(study, render.ctg_png(g.fhr_bpm, g.contraction_peaks_s, f"{g.gestational_weeks} weeks"))


class RhythmMeasurement(BaseModel):
    case_id: str
    available: bool
    ventricular_rate: float
    rr_ms: list[float]
    rr_cv: float = Field(description="RR coefficient of variation.")
    atrial_waves_s: list[float] = Field(description="Atrial deflections found outside QRS-T (s).")
    atrial_rate: float = Field(description="Per minute from consecutive atrial waves; 0 when too few.")
    atrial_cv: float = Field(description="Robust CV of consecutive atrial intervals.")
    v1_wave_rate: float = Field(description="Per minute, of V1 deflections outside the QRS (flutter waves).")
    v1_wave_cv: float
    v1_waves_per_beat: float
    pr_ms: list[float | None] = Field(description="Per beat PR (ms); null when no atrial wave precedes the QRS.")
    method: str


def measure_ecg_rhythm(case_id: CaseId) -> RhythmMeasurement:
    """Rhythm measurements from the signal: R peaks (neurokit2), ventricular rate, RR intervals and their
    variability, atrial waves with their rate and regularity, and the PR of each beat (Kligfield 2007)."""
    c = _case(case_id)
    m = ecg_measurements(c.record.case_id)
    if m is None:
        return RhythmMeasurement(case_id=c.record.case_id, available=False, ventricular_rate=0, rr_ms=[], rr_cv=0,
                                 atrial_waves_s=[], atrial_rate=0, atrial_cv=0, v1_wave_rate=0, v1_wave_cv=0,
                                 v1_waves_per_beat=0,
                                 pr_ms=[], method="")
    return RhythmMeasurement(case_id=c.record.case_id, available=True, ventricular_rate=m.ventricular_rate,
                             rr_ms=list(m.rr_ms), rr_cv=m.rr_cv, atrial_waves_s=list(m.atrial_waves_s),
                             atrial_rate=m.atrial_rate, atrial_cv=m.atrial_cv, v1_wave_rate=m.v1_wave_rate,
                             v1_wave_cv=m.v1_wave_cv, v1_waves_per_beat=m.v1_waves_per_beat,
                             pr_ms=list(m.pr_ms),
                             method="neurokit2 R peaks; atrial waves on QRS-T-blanked lead II; flutter waves on "
                             "V1")  # fmt: skip


class IntervalMeasurement(BaseModel):
    case_id: str
    available: bool
    pr_ms: float | None = Field(description="Median PR of beats with a preceding atrial wave; null when none.")
    qrs_ms: float
    qt_ms: float
    rr_median_ms: float
    qtc_bazett_ms: float
    qtc_fridericia_ms: float
    axis_deg: float


def measure_ecg_intervals(case_id: CaseId) -> IntervalMeasurement:
    """Global intervals over all leads (earliest QRS onset to latest offset; T end), QTc by Bazett and
    Fridericia, and the frontal QRS axis (Kligfield 2007; Rautaharju 2009; Surawicz 2009)."""
    c = _case(case_id)
    m = ecg_measurements(c.record.case_id)
    if m is None:
        return IntervalMeasurement(case_id=c.record.case_id, available=False, pr_ms=None, qrs_ms=0, qt_ms=0,
                                   rr_median_ms=0, qtc_bazett_ms=0, qtc_fridericia_ms=0, axis_deg=0)
    prs = sorted(p for p in m.pr_ms if p is not None)
    return IntervalMeasurement(case_id=c.record.case_id, available=True, pr_ms=prs[len(prs) // 2] if prs else None,
                               qrs_ms=m.qrs_ms, qt_ms=m.qt_ms, rr_median_ms=float(np.median(m.rr_ms)) if m.rr_ms else 0,
                               qtc_bazett_ms=m.qtc_bazett_ms, qtc_fridericia_ms=m.qtc_fridericia_ms,
                               axis_deg=m.axis_deg)  # fmt: skip


class LeadMeasurement(BaseModel):
    lead: str
    st_mv: float = Field(description="ST deviation at J+40 ms against the PR segment (mV).")
    t_amplitude_mv: float
    qrs_net_area_mv_s: float
    initial_qrs_mv: float = Field(description="Mean of the first 20 ms of the QRS (negative: septal q).")
    terminal_qrs_mv: float = Field(description="Mean of the last 40 ms of the QRS (positive: terminal R').")
    noise_mv: float = Field(description="40+ Hz noise level (artefact when >= 0.05 mV).")


class LeadMeasurements(BaseModel):
    case_id: str
    available: bool
    leads: list[LeadMeasurement]


def measure_ecg_leads(case_id: CaseId) -> LeadMeasurements:
    """Per-lead measurements: ST deviation (Wagner 2009), T amplitude, net QRS area and the initial and terminal
    QRS forces (Surawicz 2009), and high-frequency noise (artefact; Knight 1999)."""
    c = _case(case_id)
    m = ecg_measurements(c.record.case_id)
    if m is None:
        return LeadMeasurements(case_id=c.record.case_id, available=False, leads=[])
    rows = [LeadMeasurement(lead=lead, st_mv=m.st_mv[lead], t_amplitude_mv=m.t_amplitude_mv[lead],
                            qrs_net_area_mv_s=m.qrs_net_mv_s[lead], initial_qrs_mv=m.initial_qrs_mv[lead],
                            terminal_qrs_mv=m.terminal_qrs_mv[lead], noise_mv=m.noise_mv[lead]) for lead in LEADS]
    return LeadMeasurements(case_id=c.record.case_id, available=True, leads=rows)


class FlowVolumeMeasurement(BaseModel):
    case_id: str
    available: bool
    fvc_l: float
    fev1_l: float
    fev1_fvc: float
    pef_l_s: float
    pif_l_s: float
    fef50_l_s: float
    fif50_l_s: float
    empey_index: float = Field(description="FEV1 (mL) / PEF (L/min).")
    fev1_percent_predicted: float


def measure_flow_volume(case_id: CaseId) -> FlowVolumeMeasurement:
    """The spirometer's measurements from the curves: FVC, FEV1 (at 1 s of the volume-time curve), FEV1/FVC, PEF,
    PIF, FEF50, FIF50, the Empey index and FEV1 % predicted (Pellegrino 2005; Miller & Hyatt 1973)."""
    c = _case(case_id)
    s = c.record.spirometry
    if s is None:
        return FlowVolumeMeasurement(case_id=c.record.case_id, available=False, fvc_l=0, fev1_l=0, fev1_fvc=0,
                                     pef_l_s=0, pif_l_s=0, fef50_l_s=0, fif50_l_s=0, empey_index=0,
                                     fev1_percent_predicted=0)  # fmt: skip
    lp = spirometry.loop(s)
    m = spirometry.measure(lp.volume_l, lp.expiratory_flow_l_s, lp.inspiratory_flow_l_s, lp.time_s, s.predicted_fev1_l)
    return FlowVolumeMeasurement(case_id=c.record.case_id, available=True, **m.__dict__)


class DecelerationRow(BaseModel):
    onset_s: int
    nadir_s: int
    end_s: int
    depth_bpm: float
    onset_to_nadir_s: int
    lag_after_contraction_peak_s: int | None


class CtgMeasurement(BaseModel):
    case_id: str
    available: bool
    baseline_bpm: int
    variability_bpm: int = Field(description="Median peak-to-trough amplitude over 1-minute windows.")
    accelerations: int
    decelerations: list[DecelerationRow]


def measure_ctg(case_id: CaseId) -> CtgMeasurement:
    """The monitor's measurements of the FHR: baseline (rounded to 5 bpm), variability amplitude, accelerations
    and each deceleration's timing and depth, untyped (obstetrics' NICHD measurement, Macones 2008)."""
    c = _case(case_id)
    g = c.record.ctg
    if g is None:
        return CtgMeasurement(case_id=c.record.case_id, available=False, baseline_bpm=0, variability_bpm=0,
                              accelerations=0, decelerations=[])  # fmt: skip
    m = fhr.measure(g.fhr_bpm, g.contraction_peaks_s)
    rows = [DecelerationRow(onset_s=d.onset_s, nadir_s=d.nadir_s, end_s=d.end_s, depth_bpm=d.depth_bpm,
                            onset_to_nadir_s=d.nadir_s - d.onset_s, lag_after_contraction_peak_s=d.lag_s)
            for d in m.decelerations]  # fmt: skip
    return CtgMeasurement(case_id=c.record.case_id, available=True, baseline_bpm=m.baseline_bpm,
                          variability_bpm=m.variability_bpm, accelerations=m.accelerations, decelerations=rows)


class VqaImage(BaseModel):
    case_id: str
    available: bool
    question: str = Field(description="The file's question about the image; '' for a generated study.")
    mime_type: str


def get_vqa_image(case_id: CaseId) -> Annotated[CallToolResult, VqaImage]:
    """The image of a question loaded from a user's VQA file (VQA-RAD, SLAKE, PathVQA style), as image content, with
    its question; a generated study has none (use get_ecg, get_spirometry or get_ctg)."""
    vqa = loaded_case(DOMAIN, case_id)
    if vqa is None:
        cid = _case(case_id).record.case_id
        return _with_image(VqaImage(case_id=cid, available=False, question="", mime_type=""), None)
    out = VqaImage(case_id=vqa.case_id, available=True, question=vqa.question, mime_type=vqa.mime_type)
    data = Path(vqa.image_path).read_bytes()
    return CallToolResult(content=[TextContent(type="text", text=out.model_dump_json()),
                                   ImageContent(type="image", data=base64.b64encode(data).decode(),
                                                mimeType=vqa.mime_type)],
                          structuredContent=out.model_dump(mode="json"))  # fmt: skip


# --- reference -------------------------------------------------------------------------------------------------------


class CriterionRow(BaseModel):
    key: str
    criterion: str


class Criteria(BaseModel):
    system: str
    source: str
    rows: list[CriterionRow]


def get_criteria(system: SystemArg) -> Criteria:
    """Published criteria: rhythm (Mason 2007; bradycardia, SVT, AF guidelines), intervals and QTc (Kligfield
    2007; Rautaharju 2009), conduction (Surawicz 2009), ischemia and STEMI with Sgarbossa (Wagner 2009; Thygesen
    2018), hyperkalaemia (Mattu 2000), artefact (Knight 1999), urgent actions (STEMI, ACLS, VA guidelines),
    spirometry (ATS/ERS 2005, 2022; Miller & Hyatt 1973) and CTG (NICHD 2008)."""
    return Criteria(system=system, source=criteria.SOURCES[system],
                    rows=[CriterionRow(key=k, criterion=c) for k, c in criteria.criteria_rows(system)])  # fmt: skip


class Territory(BaseModel):
    finding: str
    leads: list[str]


class LeadTerritories(BaseModel):
    territories: list[Territory]
    st_elevation_threshold_mv: dict[str, float] = Field(description="Threshold per lead for this sex and age.")
    source: str


def get_lead_territories(
    sex: Annotated[Literal["female", "male"], Field(description="Patient sex (the V2-V3 threshold depends on it).")],
    age: Annotated[int, Field(ge=0, le=120, description="Patient age in years.")],
) -> LeadTerritories:
    """Contiguous lead groups of each ST-elevation territory and each lead's ST-elevation threshold for a patient of
    this sex and age (Thygesen 2018; Wagner 2009)."""
    return LeadTerritories(territories=[Territory(finding=t, leads=list(v)) for t, v in criteria.TERRITORIES.items()],
                           st_elevation_threshold_mv={lead: criteria.st_threshold(lead, sex, age) for lead in LEADS},
                           source=criteria.SOURCES["ischemia"])  # fmt: skip


class ActionCatalogue(BaseModel):
    actions: dict[str, str] = Field(description="Action -> what it is for.")
    source: str


def get_action_catalogue() -> ActionCatalogue:
    """The urgent actions request_urgent_action accepts and the reading each answers."""
    rows = dict(criteria.criteria_rows("actions"))
    what = {"activate_cath_lab": rows["stemi"], "transcutaneous_pacing": rows["pacing"],
            "synchronized_cardioversion": rows["ventricular_tachycardia"], "adenosine": rows["svt"],
            "iv_calcium": rows["hyperkalaemia"], "repeat_ecg": rows["artefact"],
            "obstetric_bedside_evaluation": "Category III FHR tracing: attending and team to the bedside (ACOG PB 106)"}
    return ActionCatalogue(actions=what, source=criteria.SOURCES["actions"])


# --- decision support ------------------------------------------------------------------------------------------------


class EcgInterpretation(BaseModel):
    case_id: str
    available: bool
    rhythm: str
    findings: list[str]
    urgent_actions: list[str]
    statements: list[str]


def interpret_ecg(case_id: CaseId) -> EcgInterpretation:
    """The machine's automated interpretation: the criteria (``get_criteria``) applied to this ECG's measurements -
    rhythm, findings and the urgent actions they call for."""
    c = _case(case_id)
    m = ecg_measurements(c.record.case_id)
    if m is None:
        return EcgInterpretation(case_id=c.record.case_id, available=False, rhythm="", findings=[], urgent_actions=[],
                                 statements=["not an ECG study"])  # fmt: skip
    p = c.record.patient
    rhythm = criteria.classify_rhythm(m)
    found = criteria.read_findings(m, rhythm, p.sex, p.age) if c.record.study == "twelve_lead" else []
    statements = [f"ventricular rate {m.ventricular_rate:.0f}/min, RR CV {m.rr_cv}, atrial rate {m.atrial_rate:.0f}",
                  f"QRS {m.qrs_ms:.0f} ms, QTc {m.qtc_bazett_ms:.0f} ms, axis {m.axis_deg:.0f}",
                  f"{rhythm}; findings: {', '.join(found) or 'none'} ({criteria.SOURCES['rhythm'][:60]}...)"]
    return EcgInterpretation(case_id=c.record.case_id, available=True, rhythm=rhythm, findings=found,
                             urgent_actions=criteria.urgent_actions(rhythm, found), statements=statements)


class SpirometryInterpretation(BaseModel):
    case_id: str
    available: bool
    pattern: str
    fev1_fvc: float
    fev1_percent_predicted: float
    statements: list[str]


def interpret_spirometry(case_id: CaseId) -> SpirometryInterpretation:
    """The spirometry pattern by the ATS/ERS strategy (LLN-based) with the upper-airway indices (Empey; FEF50/FIF50)."""
    c = _case(case_id)
    s = c.record.spirometry
    if s is None:
        return SpirometryInterpretation(case_id=c.record.case_id, available=False, pattern="", fev1_fvc=0,
                                        fev1_percent_predicted=0, statements=["not a spirometry study"])
    lp = spirometry.loop(s)
    m = spirometry.measure(lp.volume_l, lp.expiratory_flow_l_s, lp.inspiratory_flow_l_s, lp.time_s, s.predicted_fev1_l)
    pattern = spirometry.interpret(m, s.lln_fev1_fvc, s.lln_fvc_l)
    return SpirometryInterpretation(case_id=c.record.case_id, available=True, pattern=pattern, fev1_fvc=m.fev1_fvc,
                                    fev1_percent_predicted=m.fev1_percent_predicted,
                                    statements=[f"FEV1/FVC {m.fev1_fvc} (LLN {s.lln_fev1_fvc}); FVC {m.fvc_l} L (LLN "
                                                f"{s.lln_fvc_l}); Empey {m.empey_index}; {pattern}"])


class CtgClassification(BaseModel):
    case_id: str
    available: bool
    baseline_bpm: int
    variability: str
    deceleration_types: list[str]
    category: str
    reasons: list[str]


def classify_ctg(case_id: CaseId) -> CtgClassification:
    """The NICHD reading: variability class, deceleration types and the three-tier category (Macones 2008)."""
    c = _case(case_id)
    g = c.record.ctg
    if g is None:
        return CtgClassification(case_id=c.record.case_id, available=False, baseline_bpm=0, variability="",
                                 deceleration_types=[], category="", reasons=["not a CTG study"])  # fmt: skip
    m = fhr.measure(g.fhr_bpm, g.contraction_peaks_s)
    return CtgClassification(case_id=c.record.case_id, available=True, baseline_bpm=m.baseline_bpm,
                             variability=m.variability, deceleration_types=list(m.types), category=m.category,
                             reasons=list(m.reasons))  # fmt: skip


class Qtc(BaseModel):
    qt_ms: float
    rr_ms: float
    bazett_ms: float
    fridericia_ms: float
    source: str


def calculate_qtc(
    qt_ms: Annotated[float, Field(gt=100, le=800, description="QT interval, ms (100-800).")],
    rr_ms: Annotated[float, Field(ge=200, le=3000, description="RR interval, ms (200-3000).")],
) -> Qtc:
    """QTc by Bazett (QT / sqrt(RR s)) and Fridericia (QT / cbrt(RR s)) (Rautaharju 2009, Part IV)."""
    rr = rr_ms / 1000
    return Qtc(qt_ms=qt_ms, rr_ms=rr_ms, bazett_ms=round(qt_ms / math.sqrt(rr), 1),
               fridericia_ms=round(qt_ms / rr ** (1 / 3), 1), source=criteria.SOURCES["intervals"])  # fmt: skip


# --- writes ----------------------------------------------------------------------------------------------------------


class ActionResult(BaseModel):
    case_id: str
    action: str
    requested: list[str]


def request_urgent_action(
    case_id: CaseId,
    action: ActionArg,
    reason: Annotated[str, Field(min_length=2, max_length=500, description="Why, e.g. 'inferior STEMI'.")],
    ctx: Context,
) -> ActionResult:
    """Request an urgent action now (cath-lab activation, transcutaneous pacing, synchronized cardioversion,
    adenosine, IV calcium, a repeat ECG, an obstetric bedside evaluation); the actions requested by submission are
    graded."""
    r = _case(case_id).record
    state = episode_state(ctx)
    state.add("actions", {"case_id": r.case_id, "action": action, "reason": reason})
    done = sorted({e["action"] for e in state.get("actions") if e["case_id"] == r.case_id})
    return ActionResult(case_id=r.case_id, action=action, requested=done)


Rhythm = Literal[("", *criteria.RHYTHMS)]  # type: ignore[valid-type]
Finding = Literal[criteria.FINDINGS]  # type: ignore[valid-type]


class Submission(BaseModel):
    """The stored answer; ``actions`` are the urgent actions requested in the episode, not a claim."""

    case_id: str
    rhythm: str
    ventricular_rate: float
    findings: list[str]
    pr_ms: float
    qrs_ms: float
    qtc_ms: float
    axis_deg: float
    spirometry_pattern: str
    fev1_fvc: float
    fev1_percent_predicted: float
    fhr_baseline_bpm: int
    fhr_variability: str
    fhr_decelerations: list[str]
    fhr_category: str
    vqa_answer: str
    actions: list[str]


def submit_answer(
    ctx: Context,
    case_id: CaseId,
    rhythm: Annotated[Rhythm, Field(description="The rhythm code; '' if not asked.")] = "",
    ventricular_rate: Annotated[float, Field(ge=-1, le=400, description="Ventricular rate /min; -1 if not "
                                             "asked.")] = -1,  # fmt: skip
    findings: Annotated[list[Finding], Field(description="ECG findings present; [] for none.")] = [],  # noqa: B006
    pr_ms: Annotated[float, Field(ge=-1, le=1000, description="PR interval ms; -1 if not asked.")] = -1,
    qrs_ms: Annotated[float, Field(ge=-1, le=400, description="QRS duration ms; -1 if not asked.")] = -1,
    qtc_ms: Annotated[float, Field(ge=-1, le=800, description="QTc (Bazett) ms; -1 if not asked.")] = -1,
    axis_deg: Annotated[float, Field(ge=-180, le=180, description="Frontal QRS axis, degrees.")] = 0,
    spirometry_pattern: Annotated[Literal[("", *spirometry.PATTERNS)], Field(  # type: ignore[valid-type]
        description="normal, obstructive, restrictive_pattern or upper_airway_obstruction.")] = "",
    fev1_fvc: Annotated[float, Field(ge=-1, le=1.5, description="FEV1/FVC ratio; -1 if not asked.")] = -1,
    fev1_percent_predicted: Annotated[float, Field(ge=-1, le=250, description="FEV1 % predicted; -1 if not "
                                                   "asked.")] = -1,  # fmt: skip
    fhr_baseline_bpm: Annotated[int, Field(ge=-1, le=240, description="FHR baseline bpm; -1 if not asked.")] = -1,
    fhr_variability: Annotated[Literal[("", *fhr.VARIABILITY)], Field(  # type: ignore[valid-type]
        description="absent, minimal, moderate or marked.")] = "",
    fhr_decelerations: Annotated[list[Literal[fhr.DECELERATIONS]], Field(  # type: ignore[valid-type]
        description="Deceleration types present; [] for none.")] = [],  # noqa: B006
    fhr_category: Annotated[Literal[("", *fhr.CATEGORIES)], Field(description="NICHD category.")] = "",  # type: ignore[valid-type]
    vqa_answer: Annotated[str, Field(max_length=300, description="Answer to a loaded image question; '' if not "
                                     "asked.")] = "",  # fmt: skip
) -> Submission:
    """Submit the reading once, with the fields the task asks for; the urgent actions requested in this episode are
    recorded with it. A second submission is refused."""
    state = episode_state(ctx)
    if state.submitted is not None:
        raise ToolError("submit_answer: an answer was already submitted in this episode; case_id and the other "
                        "fields cannot be changed")
    cid = _any_case_id(case_id)
    actions = sorted({e["action"] for e in state.get("actions") if e["case_id"] == cid})
    answer = Submission(case_id=cid, rhythm=rhythm, ventricular_rate=ventricular_rate, findings=list(findings),
                        pr_ms=pr_ms, qrs_ms=qrs_ms, qtc_ms=qtc_ms, axis_deg=axis_deg,
                        spirometry_pattern=spirometry_pattern, fev1_fvc=fev1_fvc,
                        fev1_percent_predicted=fev1_percent_predicted, fhr_baseline_bpm=fhr_baseline_bpm,
                        fhr_variability=fhr_variability, fhr_decelerations=list(fhr_decelerations),
                        fhr_category=fhr_category, vqa_answer=vqa_answer, actions=actions)  # fmt: skip
    state.submitted = answer.model_dump()
    return answer


TOOLS = [
    get_case, get_ecg, get_ecg_lead, get_spirometry, get_ctg, get_vqa_image, measure_ecg_rhythm, measure_ecg_intervals,
    measure_ecg_leads, measure_flow_volume, measure_ctg, get_criteria, get_lead_territories, get_action_catalogue,
    interpret_ecg, interpret_spirometry, classify_ctg, calculate_qtc, request_urgent_action, submit_answer,
]  # fmt: skip
TOOL_KINDS: dict[str, ToolKind] = {
    **dict.fromkeys(("get_case", "get_ecg", "get_ecg_lead", "get_spirometry", "get_ctg", "get_vqa_image",
                     "measure_ecg_rhythm",
                     "measure_ecg_intervals", "measure_ecg_leads", "measure_flow_volume", "measure_ctg"), "record"),
    **dict.fromkeys(("get_criteria", "get_lead_territories", "get_action_catalogue"), "reference"),
    **dict.fromkeys(("interpret_ecg", "interpret_spirometry", "classify_ctg", "calculate_qtc"), "decision_support"),
    **dict.fromkeys(("request_urgent_action", "submit_answer"), "write"),
}  # fmt: skip
"""Kind of every tool. The measurement tools are record tools: the machine's measurements printed with the study,
read from the signal (calipers), not an interpretation; the interpretation is decision support."""
