"""``healthgym serve calculators`` as a desktop client sees it: an in-memory MCP session."""

from __future__ import annotations

from typing import Any

import anyio
from mcp.server.fastmcp import FastMCP
from mcp.shared.memory import create_connected_server_and_client_session
from mcp.types import CallToolResult, Tool

from healthgym.mcp_servers.calculators import CALCULATORS
from healthgym.mcp_servers.calculators.server import add_calculator_tools, build_calculators_server


async def _session(calls: list[tuple[str, dict[str, Any]]]) -> tuple[list[Tool], list[CallToolResult]]:
    server = build_calculators_server()
    async with create_connected_server_and_client_session(server._mcp_server) as client:
        tools = (await client.list_tools()).tools
        results = [await client.call_tool(name, arguments) for name, arguments in calls]
    return tools, results


def test_every_calculator_is_a_read_only_tool_with_a_renderable_schema() -> None:
    tools, _ = anyio.run(_session, [])
    by_name = {tool.name: tool for tool in tools}
    assert by_name.keys() == CALCULATORS.keys() | {"convert_units"}
    for name, spec in CALCULATORS.items():
        tool = by_name[name]
        assert tool.title == spec.title and "Source:" in (tool.description or "")
        assert tool.annotations is not None and tool.annotations.readOnlyHint is True
        properties = tool.inputSchema["properties"]
        assert properties.keys() == spec.inputs.model_fields.keys()
        assert all(prop.get("description") for prop in properties.values()), name
        assert set(tool.inputSchema.get("required", [])) == {
            field for field, info in spec.inputs.model_fields.items() if info.is_required()
        }
        assert tool.outputSchema is not None and {"value", "unit", "band", "points", "source"} <= set(
            tool.outputSchema["properties"]
        )
    creatinine = by_name["cockcroft_gault"].inputSchema["properties"]["creatinine_mg_dl"]
    assert (creatinine["minimum"], creatinine["maximum"]) == (0.1, 25)
    assert by_name["news2"].inputSchema["properties"]["consciousness"]["enum"][0] == "alert"


def test_tools_compute_convert_and_reject_out_of_range_input() -> None:
    calls = [
        ("cockcroft_gault", {"age_years": 60, "weight_kg": 72, "creatinine_mg_dl": 1.0, "sex": "male"}),
        ("convert_units", {"value": 88.4, "from_unit": "umol/L", "to_unit": "mg/dL", "analyte": "creatinine"}),
        ("cockcroft_gault", {"age_years": 60, "weight_kg": 72, "creatinine_mg_dl": 0, "sex": "male"}),
        ("mean_arterial_pressure", {"systolic_bp_mm_hg": 80, "diastolic_bp_mm_hg": 90}),
        ("gestational_age", {"lmp_date": "2022-01-06", "current_date": "2022-04-29"}),
    ]
    _, (crcl, converted, too_low, inverted, dated) = anyio.run(_session, calls)
    assert not crcl.isError and crcl.structuredContent is not None
    assert crcl.structuredContent["value"] == 80.0 and crcl.structuredContent["unit"] == "mL/min"
    assert converted.structuredContent is not None and abs(converted.structuredContent["result"] - 1.0) < 1e-4
    assert too_low.isError and "creatinine_mg_dl" in too_low.content[0].text  # type: ignore[union-attr]
    assert inverted.isError and "diastolic_bp_mm_hg" in inverted.content[0].text  # type: ignore[union-attr]
    assert dated.structuredContent is not None and dated.structuredContent["band"].startswith("16 weeks 1 days")


def test_a_domain_server_can_expose_the_calculators_it_needs() -> None:
    server = FastMCP("triage")
    add_calculator_tools(server, ["news2", "qsofa"])
    tools = anyio.run(server.list_tools)
    assert [tool.name for tool in tools] == ["news2", "qsofa"]
    assert all(tool.annotations is not None and tool.annotations.readOnlyHint for tool in tools)
