"""Tools return images and signals, the env hands images to the policy, grading gives the documented partial credit,
and the safety rules fire on missed STEMI, VT and complete heart block."""

from __future__ import annotations

import base64
import io
import sys

import anyio
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.types import ImageContent
from PIL import Image

from healthgym.mcp_servers.domain import tasks
from healthgym.mcp_servers.domains import get_domain
from healthgym.mcp_servers.domains.visual_diagnosis import render
from healthgym.mcp_servers.domains.visual_diagnosis.cases import Case
from healthgym.mcp_servers.inprocess import InProcessSession
from healthgym.rl.env import HealthGymEnv
from healthgym.schemas import ToolCall

SPEC = get_domain("visual_diagnosis")
PNG = b"\x89PNG\r\n\x1a\n"


def _first(cases: list[Case], **want: str) -> Case:
    return next(c for c in cases if all(getattr(c.plan, k) == v for k, v in want.items()))


def test_get_ecg_returns_a_png_on_the_standard_grid(session: InProcessSession, test_cases: list[Case]) -> None:
    case = _first(test_cases, kind="twelve_lead")
    out = session.call_tool("get_ecg", {"case_id": case.record.case_id})
    assert not out.is_error and out.structured is not None
    assert out.structured["paper_speed_mm_s"] == 25 and out.structured["gain_mm_mv"] == 10
    (image,) = out.images
    data = base64.b64decode(image["data"])
    assert image["mime_type"] == "image/png" and data.startswith(PNG)
    png = Image.open(io.BytesIO(data))
    # 10 s at 25 mm/s is 250 mm of trace, 4 px/mm, with the 8 mm calibration margin
    assert png.width == (8 + 250 + 2) * render.PX_PER_MM
    assert png.height == (10 + 4 * render.ROW_MM + 4) * render.PX_PER_MM
    assert "iVBOR" not in out.text  # the image travels as image content, not inside the text


def test_studies_of_another_kind_answer_without_an_image(session: InProcessSession, test_cases: list[Case]) -> None:
    case = _first(test_cases, kind="spirometry")
    out = session.call_tool("get_ecg", {"case_id": case.record.case_id})
    assert out.structured == {**out.structured, "available": False} and out.images == []
    loop = session.call_tool("get_spirometry", {"case_id": case.record.case_id})
    assert loop.images and loop.structured["available"] and len(loop.structured["volume_l"]) == 200


def test_lead_signal_is_the_sampled_signal(session: InProcessSession, test_cases: list[Case]) -> None:
    strip = _first(test_cases, kind="rhythm_strip")
    ii = session.call_tool("get_ecg_lead", {"case_id": strip.record.case_id, "lead": "II"}).structured
    assert ii["available"] and ii["sampling_rate_hz"] == 250 and len(ii["microvolts"]) == 2500
    v1 = session.call_tool("get_ecg_lead", {"case_id": strip.record.case_id, "lead": "V1"}).structured
    assert not v1["available"]  # a rhythm strip records lead II only


def test_the_env_puts_images_in_info(test_cases: list[Case]) -> None:
    task = next(t for t in tasks(SPEC, "test") if t.source.generator.endswith("ctg"))
    env = HealthGymEnv("visual_diagnosis", "test")
    env.reset(options={"task_id": task.id})
    obs, _, _, _, info = env.step(f'{{"name": "get_ctg", "arguments": {{"case_id": "{task.case_ref}"}}}}')
    (image,) = info["images"]
    assert image["tool"] == "get_ctg" and base64.b64decode(image["data"]).startswith(PNG)
    assert "fhr_bpm" in obs and "iVBOR" not in obs
    assert "images" not in info["trajectory"].model_dump_json()  # trajectories stay text-sized


def test_a_real_stdio_client_receives_the_image(test_cases: list[Case]) -> None:
    case_id = _first(test_cases, kind="rhythm_strip").record.case_id
    params = StdioServerParameters(command=sys.executable, args=["-m", "healthgym", "serve", "visual_diagnosis"])

    async def main() -> None:
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            result = await session.call_tool("get_ecg", {"case_id": case_id})
            images = [b for b in result.content if isinstance(b, ImageContent)]
            assert not result.isError and len(images) == 1
            assert base64.b64decode(images[0].data).startswith(PNG)
            assert result.structuredContent["layout"] == "II rhythm strip"

    anyio.run(main)


def _task(target: str, kind: str = "twelve_lead"):
    return next(t for t in tasks(SPEC, "test") if t.privileged.key_evidence == [f"target {target}"]
                and t.source.generator.endswith(kind))  # fmt: skip


def _submit(task, **fields) -> ToolCall:
    return ToolCall(name="submit_answer", arguments={"case_id": task.case_ref, **fields})


def _act(task, action: str) -> ToolCall:
    return ToolCall(name="request_urgent_action", arguments={"case_id": task.case_ref, "action": action,
                                                             "reason": "test"})


def test_missed_stemi_vt_and_complete_heart_block_are_safety_events() -> None:
    stemi = _task("stemi_inferior")
    assert any("missed STEMI" in e for e in SPEC.safety(stemi, [_submit(stemi)]))
    assert SPEC.safety(stemi, [_act(stemi, "activate_cath_lab"), _submit(stemi)]) == []
    vt = _task("ventricular_tachycardia")
    assert any("ventricular tachycardia" in e for e in SPEC.safety(vt, [_submit(vt)]))
    assert SPEC.safety(vt, [_act(vt, "synchronized_cardioversion")]) == []
    chb = _task("third_degree_av_block")
    assert any("complete heart block" in e for e in SPEC.safety(chb, [_submit(chb)]))
    assert SPEC.safety(chb, [_act(chb, "transcutaneous_pacing")]) == []


def test_shocking_artefact_is_unsafe() -> None:
    task = _task("artefact")
    events = SPEC.safety(task, [_act(task, "synchronized_cardioversion")])
    assert events and "artefact" in events[0]


def test_critical_actions_are_in_the_rubric() -> None:
    stemi = _task("stemi_anterior")
    critical = [a for a in stemi.rubric.required_actions if a.critical]
    assert [(a.tool, a.arguments["action"]) for a in critical] == [("request_urgent_action", "activate_cath_lab")]


def test_rhythm_partial_credit_and_interval_tolerances() -> None:
    chb = _task("third_degree_av_block", "rhythm_strip")
    rate = chb.answer.fields["ventricular_rate"].value
    near = SPEC.grade(chb, {"rhythm": "second_degree_av_block_mobitz_ii", "ventricular_rate": rate,
                            "actions": ["transcutaneous_pacing"]})  # fmt: skip
    assert near.details["rhythm"] == 0.5 and not near.correct
    far = SPEC.grade(chb, {"rhythm": "second_degree_av_block_mobitz_i", "ventricular_rate": rate,
                           "actions": ["transcutaneous_pacing"]})  # fmt: skip
    assert far.details["rhythm"] == 0.0
    task = _task("long_qt", "intervals")
    fields = task.answer.fields
    exact = {k: a.value for k, a in fields.items()}
    assert SPEC.grade(task, exact).correct
    assert not SPEC.grade(task, exact | {"qtc_ms": exact["qtc_ms"] - 31}).correct
    assert SPEC.grade(task, exact | {"qtc_ms": exact["qtc_ms"] - 29}).correct
