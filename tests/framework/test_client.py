"""healthgym.client.ClientSession: the SDK's output check with validators compiled once, same verdicts."""

from __future__ import annotations

import anyio
import pytest

from healthgym.client import connect_in_memory
from healthgym.mcp_servers.server import build_server


@pytest.mark.parametrize("trusted_schemas", [False, True], ids=["jsonschema", "fastjsonschema"])
def test_validators_are_compiled_once_and_still_reject_bad_results(tiny_domain: str, trusted_schemas: bool) -> None:
    async def main() -> None:
        async with connect_in_memory(build_server(tiny_domain), trusted_schemas=trusted_schemas) as client:
            first = await client.call_tool("get_labs", {"patient_id": "TP-test-0-1"})
            compiled = client._checks["get_labs"]
            second = await client.call_tool("get_labs", {"patient_id": "TP-test-0-2"})
            assert not first.isError and not second.isError
            assert client._checks["get_labs"] is compiled  # not rebuilt per call

            stricter = {**client._tool_output_schemas["get_labs"], "required": ["sodium_mmol_l"]}
            client._tool_output_schemas["get_labs"] = stricter  # as if tools/list now said so
            with pytest.raises(RuntimeError, match="Invalid structured content returned by tool get_labs"):
                await client.call_tool("get_labs", {"patient_id": "TP-test-0-1"})

    anyio.run(main)
