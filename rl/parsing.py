"""Turn an agent's text into tool calls.

Accepted forms (several calls per action are allowed in each):

- JSON: ``{"name": ..., "arguments": {...}}``, a list of those, or OpenAI function-call messages
  (``{"tool_calls": [{"type": "function", "function": {"name": ..., "arguments": "<json>"}}]}``), optionally inside a
  fenced code block;
- hermes (Qwen2.5, Hermes, many chat templates): ``<tool_call>{"name": ..., "arguments": {...}}</tool_call>``;
- qwen3-coder XML: ``<tool_call><function=NAME><parameter=ARG>value</parameter></function></tool_call>``.

Parsing never raises: anything unusable comes back as an error message the env shows the agent.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from healthgym.schemas import ToolCall

MAX_ACTION_CHARS = 65_536
"""Longer actions are cut before parsing, so a runaway generation costs bounded time."""

_TOOL_CALL_OPEN = re.compile(r"<tool_call>()")
_XML_FUNCTION_OPEN = re.compile(r"<function=([^>\s]{1,128})>")
_XML_PARAMETER_OPEN = re.compile(r"<parameter=([^>\s]{1,128})>")
_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)

FORMAT_HELP = (
    'Call a tool with JSON {"name": "<tool>", "arguments": {...}}, or <tool_call>{...}</tool_call>, '
    "or <tool_call><function=NAME><parameter=ARG>value</parameter></function></tool_call>."
)


@dataclass
class ParsedAction:
    calls: list[ToolCall] = field(default_factory=list)
    error: str | None = None


def _tagged(text: str, opening: re.Pattern[str], closing: str, *, unclosed_runs_to_end: bool) -> list[tuple[str, str]]:
    """``(name, body)`` of each ``opening``...``closing`` span, left to right, in time linear in ``text``.

    Each search resumes after the previous closing tag, and an opening without a closing ends the scan (no later
    span can close either), so unclosed tags cost one pass, not one pass each (the regex ``<parameter=(...)>(.*?)
    </parameter>`` took 9 s on 64 KB of unclosed tags). Names are at most 128 characters.
    """
    spans: list[tuple[str, str]] = []
    pos = 0
    while (match := opening.search(text, pos)) is not None:
        end = text.find(closing, match.end())
        if end < 0:
            if unclosed_runs_to_end:
                spans.append((match.group(1), text[match.end():]))
            break
        spans.append((match.group(1), text[match.end():end]))
        pos = end + len(closing)
    return spans


def _xml_value(raw: str) -> Any:
    text = raw.strip("\n")
    try:
        return json.loads(text)
    except ValueError:
        return text


def _call_from_obj(obj: Any) -> ToolCall | None:
    """A ToolCall from one JSON object in any of the accepted shapes, or None."""
    if not isinstance(obj, dict):
        return None
    if isinstance(obj.get("function"), dict):  # OpenAI tool_call entry
        call = _call_from_obj(obj["function"])
        if call is not None and isinstance(obj.get("id"), str):
            call.id = obj["id"]
        return call
    name = obj.get("name")
    if not isinstance(name, str) or not name:
        return None
    args = obj.get("arguments", obj.get("parameters", {}))
    if isinstance(args, str):  # OpenAI encodes arguments as a JSON string
        try:
            args = json.loads(args) if args.strip() else {}
        except ValueError:
            return ToolCall(name=name, arguments={"__invalid_json__": args[:200]})
    if not isinstance(args, dict):
        return ToolCall(name=name, arguments={"__invalid_arguments__": repr(args)[:200]})
    return ToolCall(name=name, arguments=args)


def _calls_from_json(value: Any) -> list[ToolCall]:
    if isinstance(value, dict) and isinstance(value.get("tool_calls"), list):
        value = value["tool_calls"]
    items = value if isinstance(value, list) else [value]
    return [c for c in (_call_from_obj(item) for item in items) if c is not None]


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def parse_action(action: Any) -> ParsedAction:
    """Parse an action of any type (str, bytes, other) into tool calls; never raises."""
    if isinstance(action, bytes | bytearray):
        action = bytes(action).decode("utf-8", errors="replace")
    if not isinstance(action, str):
        return ParsedAction(error=f"Action must be text, got {type(action).__name__}. {FORMAT_HELP}")
    text = action[:MAX_ACTION_CHARS].strip()
    if not text:
        return ParsedAction(error=f"Empty action. {FORMAT_HELP}")

    blocks = [body for _, body in _tagged(text, _TOOL_CALL_OPEN, "</tool_call>", unclosed_runs_to_end=True)]
    if blocks:
        calls: list[ToolCall] = []
        for block in blocks:
            functions = _tagged(block, _XML_FUNCTION_OPEN, "</function>", unclosed_runs_to_end=True)
            if functions:
                for name, body in functions:
                    parameters = _tagged(body, _XML_PARAMETER_OPEN, "</parameter>", unclosed_runs_to_end=False)
                    args = {k: _xml_value(v) for k, v in parameters}
                    calls.append(ToolCall(name=name.strip(), arguments=args))
            else:
                calls += _calls_from_json(_loads(block.strip()))
        if calls:
            return ParsedAction(calls=calls)
        return ParsedAction(error=f"Found <tool_call> but could not read a tool name and arguments. {FORMAT_HELP}")

    for candidate in [text, *_FENCE.findall(text)]:
        calls = _calls_from_json(_loads(candidate.strip()))
        if calls:
            return ParsedAction(calls=calls)
    start = text.find("{")
    if start >= 0:  # JSON after some prose
        try:
            obj, _ = json.JSONDecoder().raw_decode(text[start:])
        except (ValueError, RecursionError):
            obj = None
        calls = _calls_from_json(obj)
        if calls:
            return ParsedAction(calls=calls)
    return ParsedAction(error=f"No tool call found. {FORMAT_HELP}")
