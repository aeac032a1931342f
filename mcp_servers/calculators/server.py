"""``healthgym serve calculators``: every calculator as one read-only MCP tool, for desktop clients.

Each tool's input schema is the calculator's signature (flat arguments with units and bounds in their
descriptions) and its structured output is a ``CalcResult``. ``convert_units`` brings a measurement to the unit a
calculator asks for; ``add_calculator_tools`` lets a domain server expose the calculators it needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from mcp.server.fastmcp import FastMCP
from mcp.server.fastmcp.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import Field

from healthgym.mcp_servers.calculators.registry import CALCULATORS, get_calculator
from healthgym.mcp_servers.calculators.result import CalculatorInputError
from healthgym.mcp_servers.calculators.units import ANALYTES, convert

INSTRUCTIONS = (
    "Clinical calculators. Each tool takes its inputs in the unit named by the argument (e.g. creatinine_mg_dl); "
    "use convert_units first when a note reports another unit. A missing or implausible input is an error naming "
    "the argument: ask for the value, never guess it. Results carry the value, unit, band and per-criterion points."
)
READ_ONLY = ToolAnnotations(readOnlyHint=True, destructiveHint=False, idempotentHint=True, openWorldHint=False)


def convert_units(
    value: Annotated[float, Field(description="The measured value.")],
    from_unit: Annotated[str, Field(description="Its unit, e.g. 'umol/L', 'lb', 'degrees fahrenheit', 'kPa'.")],
    to_unit: Annotated[str, Field(description="The unit the calculator asks for, e.g. 'mg/dL', 'kg', 'C'.")],
    analyte: Annotated[
        str | None,
        Field(description=f"Substance, needed between mass and molar units: one of {', '.join(sorted(ANALYTES))}."),
    ] = None,
) -> float:
    """Convert a measurement between units (mass, length, temperature, pressure, counts, concentrations)."""
    try:
        return convert(value, from_unit, to_unit, analyte)
    except CalculatorInputError as exc:
        raise ToolError(str(exc)) from exc


def add_calculator_tools(server: FastMCP, names: Iterable[str]) -> None:
    """Register the named calculators on ``server`` as read-only tools (a domain exposes the ones it needs)."""
    for name in names:
        spec = get_calculator(name)
        server.add_tool(
            spec.func,
            name=name,
            title=spec.title,
            description=spec.description,
            annotations=READ_ONLY,
            structured_output=True,
        )


def build_calculators_server(*, host: str = "127.0.0.1", port: int = 8000) -> FastMCP:
    """A FastMCP server with one tool per registered calculator plus ``convert_units``."""
    server = FastMCP("healthgym-calculators", instructions=INSTRUCTIONS, host=host, port=port)
    add_calculator_tools(server, sorted(CALCULATORS))
    server.add_tool(convert_units, title="Convert units", annotations=READ_ONLY, structured_output=True)
    return server
