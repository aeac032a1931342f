"""One tool call, checked the same way on every transport: arguments in, bounded and schema-valid result out.

The MCP server's ``tools/call`` handler and the env's in-process session both go through :class:`ToolCalls`, so a
client over stdio or HTTP and the Gym env receive the same answer and the same error text for the same call.

What it adds to FastMCP's own path (pydantic argument model, ``convert_result``):

- unknown argument names are an error naming the allowed ones (pydantic ignores extra keys, so
  ``submit_answer({"severity": "major"})`` used to submit an empty answer);
- NaN and infinite numbers in arguments are an error naming the argument (JSON has no such numbers; a Python
  client turns them into ``null`` before sending);
- every output schema declares JSON Schema draft-07: mcp 1.x clients re-check the schema against its metaschema on
  every call (``jsonschema.validate``), and the draft-07 metaschema is 8-12x cheaper to check than 2020-12, which
  is what a schema without ``$schema`` is checked against. Pydantic's output schemas use nothing draft-07 lacks
  (``$ref`` into ``$defs`` resolves as a plain JSON pointer);
- structured output is validated by a validator compiled once per tool (fastjsonschema: 30 us for the 10 KB
  schema of ``get_arrival``, where ``jsonschema.validate`` took 40 ms) and checked for NaN and infinity, which JSON
  turns into ``null`` and so into a result that breaks its own schema and that the official client rejects;
- results and error texts are bounded (:data:`MAX_RESULT_CHARS`, :data:`MAX_ERROR_CHARS`), so no argument echoed
  in an error and no accumulated state makes a megabyte response.
"""

from __future__ import annotations

import json
from collections.abc import Coroutine
from typing import Any

import fastjsonschema
from mcp.server.fastmcp import FastMCP
from mcp.server.fastmcp.exceptions import ToolError
from mcp.server.fastmcp.tools import Tool
from mcp.types import CallToolResult, ContentBlock, TextContent

from healthgym.mcp_servers.messages import non_finite_path

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
"""The ``$schema`` every output schema declares (see the module docstring for why)."""
MAX_RESULT_CHARS = 1_000_000
"""Largest tool result, in characters of its JSON text; a larger one is an error naming the size."""
MAX_ERROR_CHARS = 2_000
"""Longest error text; longer ones (an echoed argument) are cut with a note of how much was cut."""

Result = tuple[list[ContentBlock], dict[str, Any] | None]


def bounded_error(text: str) -> str:
    """``text`` cut to :data:`MAX_ERROR_CHARS`, saying how many characters were cut."""
    if len(text) <= MAX_ERROR_CHARS:
        return text
    return f"{text[:MAX_ERROR_CHARS]}... [{len(text) - MAX_ERROR_CHARS} more characters cut]"


def declare_draft07(tool: Tool) -> None:
    """Declare draft-07 on the tool's output schema, in place (the schema ``tools/list`` returns)."""
    schema = tool.fn_metadata.output_schema
    if schema is not None and "$schema" not in schema:
        tool.fn_metadata.output_schema = {"$schema": DRAFT_07, **schema}
        tool.__dict__.pop("output_schema", None)  # Tool.output_schema is a cached_property over fn_metadata


class ToolCalls:
    """The checks around every call of one server's tools. Build it after the last tool is added."""

    def __init__(self, server: FastMCP) -> None:
        self.tools: dict[str, Tool] = {tool.name: tool for tool in server._tool_manager.list_tools()}
        self._allowed: dict[str, frozenset[str]] = {}
        self._validators: dict[str, Any] = {}
        for name, tool in self.tools.items():
            declare_draft07(tool)
            self._allowed[name] = frozenset(tool.parameters.get("properties", {}))

    def _validator(self, name: str) -> Any:
        """The tool's compiled output validator, or None; compiled on first use (about 20 ms a schema, so a server
        with 65 tools starts without paying for the ones a session never calls)."""
        validate = self._validators.get(name)
        if validate is None and self.tools[name].output_schema is not None:
            validate = self._validators[name] = fastjsonschema.compile(self.tools[name].output_schema)
        return validate

    def prepare(self, name: str, arguments: Any) -> Tool:
        """The tool to run; ``ToolError`` for an unknown tool, non-object arguments, unknown or non-finite ones."""
        tool = self.tools.get(name)
        if tool is None:
            raise ToolError(bounded_error(f"Unknown tool: {name!r}. Available tools: {', '.join(sorted(self.tools))}"))
        if not isinstance(arguments, dict):
            raise ToolError(f"Arguments of {name} must be a JSON object, got {type(arguments).__name__}")
        unknown = [key for key in arguments if key not in self._allowed[name]]
        if unknown:
            allowed = ", ".join(sorted(self._allowed[name])) or "none"
            raise ToolError(
                bounded_error(f"Error executing tool {name}: unknown argument(s) {', '.join(map(repr, unknown))}; "
                              f"allowed: {allowed}")
            )
        bad = non_finite_path(arguments, "")
        if bad:
            raise ToolError(f"Error executing tool {name}: argument {bad[1:]!r} is not a finite number "
                            "(NaN and infinity have no JSON form)")
        return tool

    def finish(self, name: str, result: Any) -> Result:
        """Check a converted result (``Tool.run(..., convert_result=True)``): schema-valid and bounded."""
        if isinstance(result, CallToolResult):  # a tool returning content blocks (an image) with its structured output
            result = (result.content, result.structuredContent)
        content, structured = result if isinstance(result, tuple) else (result, None)
        content = list(content)
        size = sum(len(block.text) for block in content if isinstance(block, TextContent))
        if size > MAX_RESULT_CHARS:
            raise ToolError(f"Error executing tool {name}: the result is {size:,} characters, over the "
                            f"{MAX_RESULT_CHARS:,} limit")
        validate = self._validator(name)
        if validate is not None:
            if structured is None:
                raise ToolError(f"Output validation error: {name} returned no structured output for its schema")
            try:
                json.dumps(structured, allow_nan=False)  # C speed; only a failure pays for the walk below
            except ValueError:
                where = (non_finite_path(structured, "") or ".?")[1:]
                raise ToolError(f"Output validation error: {name}: result field {where!r} is not a finite number "
                                "(JSON has no NaN or infinity; it would reach the client as null)") from None
            try:
                validate(structured)
            except fastjsonschema.JsonSchemaValueException as err:
                raise ToolError(bounded_error(f"Output validation error: {name}: {err.message}")) from None
        return content, structured


def run_to_completion(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine that never suspends (a sync tool behind FastMCP's async wrapper) without an event loop."""
    try:
        coro.send(None)
    except StopIteration as stop:
        return stop.value
    coro.close()
    raise RuntimeError("coroutine suspended; it needs an event loop")


def tool_calls(server: FastMCP) -> ToolCalls:
    """The :class:`ToolCalls` of a server built by :func:`~healthgym.mcp_servers.server.create_server`."""
    calls = getattr(server, "_healthgym_calls", None)
    if calls is None:
        calls = server._healthgym_calls = ToolCalls(server)  # type: ignore[attr-defined]
    return calls
