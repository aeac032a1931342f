"""The stdio transport of the SDK, except that a malformed line gets a JSON-RPC error reply.

``mcp.server.stdio.stdio_server`` hands a line it cannot parse to the session as an exception, which logs it and
answers nothing, so a client whose request was garbled (or nested too deep for the parser) waits for its timeout.
Here :func:`~healthgym.mcp_servers.messages.check_message` vets each line first: a parse error is answered with
``id: null``, a too-deep request with its own id. Lines are read as bytes and must be UTF-8.
"""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import mcp.types as types
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
from mcp.server.fastmcp import FastMCP
from mcp.shared.message import SessionMessage

from healthgym.mcp_servers.messages import INVALID_REQUEST, BadMessage, check_message, request_id


@asynccontextmanager
async def stdio_streams() -> AsyncIterator[
    tuple[MemoryObjectReceiveStream[SessionMessage | Exception], MemoryObjectSendStream[SessionMessage]]
]:
    """Read and write streams over this process's stdin and stdout, as ``mcp.server.stdio.stdio_server``."""
    stdin = anyio.wrap_file(sys.stdin.buffer)
    stdout = anyio.wrap_file(sys.stdout.buffer)
    read_writer, read_stream = anyio.create_memory_object_stream[SessionMessage | Exception](0)
    write_stream, write_reader = anyio.create_memory_object_stream[SessionMessage](0)
    lock = anyio.Lock()

    async def emit(data: bytes) -> None:
        async with lock:
            await stdout.write(data + b"\n")
            await stdout.flush()

    async def reader() -> None:
        async with read_writer:
            async for line in stdin:
                if not line.strip():
                    continue
                bad = check_message(line)
                if bad is not None:
                    await emit(bad.reply_bytes())
                    continue
                try:
                    message = types.JSONRPCMessage.model_validate_json(line)
                except ValueError as err:  # JSON, but not a JSON-RPC message
                    reason = f"Invalid request: {str(err)[:300]}"
                    bad = BadMessage(INVALID_REQUEST, reason, request_id(json.loads(line)))
                    await emit(bad.reply_bytes())
                    continue
                await read_writer.send(SessionMessage(message))

    async def writer() -> None:
        async with write_reader:
            async for session_message in write_reader:
                await emit(session_message.message.model_dump_json(by_alias=True, exclude_none=True).encode())

    async with anyio.create_task_group() as tg:
        tg.start_soon(reader)
        tg.start_soon(writer)
        yield read_stream, write_stream


async def run_stdio(server: FastMCP) -> None:
    """Serve ``server`` over stdio until stdin closes (what ``FastMCP.run_stdio_async`` does, with the reader above)."""
    async with stdio_streams() as (read_stream, write_stream):
        await server._mcp_server.run(read_stream, write_stream, server._mcp_server.create_initialization_options())
