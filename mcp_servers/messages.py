"""What a JSON-RPC message must be before the MCP SDK parses it, and the error reply when it is not.

The SDK's transports answer a malformed message badly: over stdio a line that is not JSON, or nested deeper than
its parser allows, gets no reply at all (the client waits for its timeout); over streamable HTTP invalid UTF-8 or
deep nesting is a 500; a ``NaN`` or ``Infinity`` token (which Python's json writes) becomes ``null`` and the tool
reports a missing number. :func:`check_message` finds these cases first so each transport can answer a JSON-RPC
error (JSON-RPC 2.0 §5.1: -32700 parse error, -32600 invalid request, -32602 invalid params naming the argument)
carrying the request's id when it can be read, so the client's pending request fails at once.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
INVALID_PARAMS = -32602
MAX_DEPTH = 32
"""Deepest nesting of arrays and objects accepted in a message. Tool arguments are flat (tests/domains'
contract), so a JSON-RPC request needs about 4 levels; 32 leaves room for any client's ``_meta``."""

_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}:,]')
_ID_VALUE = re.compile(r'\s*(-?\d+|"(?:[^"\\]|\\.)*")')


@dataclass(frozen=True)
class BadMessage:
    """Why a message was refused, and the JSON-RPC error reply to send."""

    code: int
    message: str
    id: str | int | None

    def reply(self) -> dict[str, Any]:
        return {"jsonrpc": "2.0", "id": self.id, "error": {"code": self.code, "message": self.message}}

    def reply_bytes(self) -> bytes:
        return json.dumps(self.reply()).encode()


def non_finite_path(value: Any, path: str) -> str | None:
    """The path of the first NaN or infinite float in ``value``, or None."""
    if isinstance(value, float):
        return None if math.isfinite(value) else path
    if isinstance(value, dict):
        for key, item in value.items():
            found = non_finite_path(item, f"{path}.{key}")
            if found:
                return found
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            found = non_finite_path(item, f"{path}[{i}]")
            if found:
                return found
    return None


def _depth_exceeds(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def _top_level_id(text: str) -> str | int | None:
    """The ``id`` member of the outermost object, found by a linear scan that needs no full parse."""
    depth = 0
    expect_key = False
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "{[":
            depth += 1
            expect_key = token == "{" and depth == 1
        elif token in "}]":
            depth -= 1
        elif token == ",":
            expect_key = depth == 1
        elif token == ":":
            expect_key = False
        elif expect_key and token == '"id"':
            rest = text[match.end():].lstrip()
            if rest.startswith(":"):
                value = _ID_VALUE.match(rest, 1)
                if value:
                    try:
                        return json.loads(value.group(1))
                    except ValueError:
                        return None
            return None
    return None


def check_message(raw: bytes | str) -> BadMessage | None:
    """None when ``raw`` is UTF-8 JSON nested at most :data:`MAX_DEPTH` deep; otherwise the error to reply."""
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            return BadMessage(PARSE_ERROR, f"Parse error: the message is not valid UTF-8 ({err.reason} at byte "
                                           f"{err.start})", None)
    else:
        text = raw
    try:
        value = json.loads(text, parse_constant=float)  # NaN, Infinity: not JSON (RFC 8259 §6), refused below
    except RecursionError:
        return BadMessage(INVALID_REQUEST, f"Invalid request: JSON nested deeper than {MAX_DEPTH} levels",
                          _top_level_id(text))
    except ValueError as err:
        return BadMessage(PARSE_ERROR, f"Parse error: {str(err)[:200]}", None)
    if _depth_exceeds(value, MAX_DEPTH):
        return BadMessage(INVALID_REQUEST, f"Invalid request: JSON nested deeper than {MAX_DEPTH} levels",
                          request_id(value))
    where = non_finite_path(value, "")
    if where is not None:  # the SDK would read the number as null and report a missing value (input_value=None)
        name = where.removeprefix(".params.arguments.") if where.startswith(".params.arguments.") else where[1:]
        return BadMessage(INVALID_PARAMS, f"Invalid params: argument {name!r} is not a finite number (NaN and "
                                          "Infinity are not JSON numbers)", request_id(value))
    return None


def request_id(value: Any) -> str | int | None:
    """The JSON-RPC id of a parsed message, or None when it has no usable one."""
    found = value.get("id") if isinstance(value, dict) else None
    return found if isinstance(found, str | int) and not isinstance(found, bool) else None
