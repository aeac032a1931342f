"""An OpenAI-compatible chat-completions server whose "model" is a domain's reference solver, for offline tests of
the ``--base-url`` path.

Stateless like a real endpoint: each request carries the conversation, and the solver of the task named in its
user message is replayed over the tool results in it to choose the next call.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from healthgym.mcp_servers.domain import TaskView
from healthgym.mcp_servers.domains import get_domain
from healthgym.schemas import Task


def _text(content: Any) -> str:
    if isinstance(content, list):
        return "".join(block.get("text", "") for block in content if isinstance(block, dict))
    return content or ""


def _result(content: Any) -> dict[str, Any]:
    try:
        value = json.loads(_text(content))
    except ValueError:
        return {"error": _text(content)}
    return value if isinstance(value, dict) else {"result": value}


def _reply(body: dict[str, Any], message: dict[str, Any], finish_reason: str) -> JSONResponse:
    messages = body["messages"]
    return JSONResponse(
        {
            "id": f"chatcmpl-{uuid.uuid4().hex[:8]}",
            "object": "chat.completion",
            "created": 0,
            "model": body["model"],
            "choices": [{"index": 0, "finish_reason": finish_reason, "message": message}],
            "usage": {
                "prompt_tokens": len(json.dumps(messages)) // 4,
                "completion_tokens": 12,
                "total_tokens": len(json.dumps(messages)) // 4 + 12,
            },
        }
    )


def fake_openai_app(tasks: Sequence[Task], api_key: str | None = None) -> Starlette:
    """The endpoint; with ``api_key``, a request without ``Authorization: Bearer <api_key>`` gets OpenAI's 401."""
    by_prompt = {task.prompt: task for task in tasks}

    async def completions(request: Request) -> JSONResponse:
        if api_key is not None and request.headers.get("authorization") != f"Bearer {api_key}":
            error = {
                "message": "Incorrect API key provided",
                "type": "invalid_request_error",
                "code": "invalid_api_key",
            }
            return JSONResponse({"error": error}, status_code=401)
        body = await request.json()
        messages = body["messages"]
        prompt = next(_text(m["content"]) for m in messages if m["role"] == "user")
        task = by_prompt.get(prompt)
        if task is None:  # not a task: a plain answer, as a chat model gives (healthgym eval's model check)
            return _reply(body, {"role": "assistant", "content": "OK"}, "stop")
        solver = get_domain(task.domain).solve(TaskView.of(task))
        call = next(solver)
        for message in messages:
            if message["role"] == "tool":
                call = solver.send(_result(message["content"]))
        tool_calls = [
            {
                "id": f"call_{uuid.uuid4().hex[:8]}",
                "type": "function",
                "function": {"name": call.name, "arguments": json.dumps(call.arguments)},
            }
        ]
        return _reply(body, {"role": "assistant", "content": None, "tool_calls": tool_calls}, "tool_calls")

    return Starlette(routes=[Route("/v1/chat/completions", completions, methods=["POST"])])
