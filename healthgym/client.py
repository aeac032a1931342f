"""An MCP ``ClientSession`` that checks tool results against validators compiled once per output schema.

The mcp 1.x client validates every structured tool result with ``jsonschema.validate``, which first re-checks the
output schema against its metaschema: about 91% of an in-memory call to a healthgym server (bench/mcp_latency.py).
:class:`ClientSession` here does the same check with each schema's validator built once and kept while the server
lists the same schema (what mcp 2.x does), so a result that breaks its schema is still a ``RuntimeError``.

Two validators:

- ``jsonschema`` (default): the SDK's own library, the schema checked once. Safe with any server.
- ``fastjsonschema`` (``trusted_schemas=True``): several times faster, but it compiles each schema to Python code,
  so use it only with servers you trust, such as healthgym's own.

It also refuses NaN and infinite numbers in arguments, naming the argument: the SDK would send them as ``null``
and the server would report a missing number.

    from healthgym.client import ClientSession
    async with stdio_client(params) as (read, write), ClientSession(read, write, trusted_schemas=True) as session:
        await session.initialize()
        result = await session.call_tool("get_arrival", {"arrival_id": "ED-..."})
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from functools import lru_cache
from typing import Any

import anyio
import fastjsonschema
import mcp
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from mcp.server.fastmcp import FastMCP
from mcp.shared.memory import create_client_server_memory_streams
from mcp.types import CallToolResult
from referencing import Registry

from healthgym.mcp_servers.messages import non_finite_path

Check = Callable[[Any], str | None]
"""A compiled check: None when the value is valid, else the reason."""


def _jsonschema_check(schema: dict[str, Any]) -> Check:
    cls = validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, registry=Registry())  # $refs resolve within the schema only, as in the SDK

    def check(value: Any) -> str | None:
        error = best_match(validator.iter_errors(value))
        return None if error is None else error.message

    return check


@lru_cache(maxsize=1024)
def _fastjsonschema_compiled(schema_json: str) -> Callable[[Any], Any]:
    """One compiled validator per distinct schema in the process: every session of a run (one per server, per
    domain, per run of a bench) lists the same schemas, and compiling one costs about 10 ms."""
    return fastjsonschema.compile(json.loads(schema_json))


def _fastjsonschema_check(schema: dict[str, Any]) -> Check:
    validate = _fastjsonschema_compiled(json.dumps(schema, sort_keys=True))

    def check(value: Any) -> str | None:
        try:
            validate(value)
        except fastjsonschema.JsonSchemaValueException as err:
            return err.message
        return None

    return check


class ClientSession(mcp.ClientSession):
    """``mcp.ClientSession`` with compiled output validators and finite-number arguments.

    Args:
        trusted_schemas: compile output schemas with fastjsonschema (generated Python code: trusted servers only).
        Other arguments are those of ``mcp.ClientSession``.
    """

    def __init__(self, *args: Any, trusted_schemas: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._compile = _fastjsonschema_check if trusted_schemas else _jsonschema_check
        self._checks: dict[str, tuple[dict[str, Any], Check]] = {}

    async def call_tool(
        self,
        name: str,
        arguments: dict[str, Any] | None = None,
        read_timeout_seconds: timedelta | None = None,
        progress_callback: Any = None,
        *,
        meta: dict[str, Any] | None = None,
    ) -> CallToolResult:
        bad = non_finite_path(arguments or {}, "")
        if bad:
            raise ValueError(f"argument {bad[1:]!r} of {name} is not a finite number; JSON has no NaN or infinity")
        return await super().call_tool(name, arguments, read_timeout_seconds, progress_callback, meta=meta)

    async def _validate_tool_result(self, name: str, result: CallToolResult) -> None:
        if name not in self._tool_output_schemas:
            await self.list_tools()
        schema = self._tool_output_schemas.get(name)
        if schema is None:
            return
        if result.structuredContent is None:
            raise RuntimeError(f"Tool {name} has an output schema but did not return structured content")
        cached = self._checks.get(name)
        if cached is None or cached[0] is not schema:  # compiled again only when tools/list changed the schema
            try:
                cached = self._checks[name] = (schema, self._compile(schema))
            except Exception as err:  # jsonschema.SchemaError, fastjsonschema.JsonSchemaDefinitionException
                raise RuntimeError(f"Invalid schema for tool {name}: {err}") from err
        reason = cached[1](result.structuredContent)
        if reason is not None:
            raise RuntimeError(f"Invalid structured content returned by tool {name}: {reason}")


@asynccontextmanager
async def connect_in_memory(server: FastMCP, *, trusted_schemas: bool = False) -> AsyncIterator[ClientSession]:
    """An initialized :class:`ClientSession` to ``server`` running in this process over in-memory streams (what
    ``mcp.shared.memory.create_connected_server_and_client_session`` does with the SDK's session)."""
    lowlevel = server._mcp_server
    async with (
        create_client_server_memory_streams() as ((client_read, client_write), (server_read, server_write)),
        anyio.create_task_group() as tg,
    ):
        tg.start_soon(lambda: lowlevel.run(server_read, server_write, lowlevel.create_initialization_options()))
        try:
            async with ClientSession(client_read, client_write, trusted_schemas=trusted_schemas) as session:
                await session.initialize()
                yield session
        finally:
            tg.cancel_scope.cancel()


__all__ = ["ClientSession", "connect_in_memory"]
