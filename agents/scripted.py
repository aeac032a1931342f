"""Offline models that play a scripted policy: LangChain and pydantic-ai models driven by a solver generator.

A script is a :data:`~healthgym.mcp_servers.domain.Solver`: it yields tool calls and receives each call's structured
result (``{"error": text}`` when the call failed), like the domains' reference clinicians. Wrapped as a chat model,
the script makes one tool call per assistant turn, reading the previous call's result from the framework's own
messages, so it exercises the whole agent (tool schemas, MCP sessions, message plumbing) with no model download,
network or API key. Driven by a domain's ``solve``, the agent must reach the reference clinician's score.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import ConfigDict, Field

from healthgym.mcp_servers.domain import Solver
from healthgym.schemas import ToolCall

WAITING_TEXT = "No tool call this step: the next one I need is {name}."


class ScriptedPolicy:
    """One episode of a script, stepped by the model wrapper: the pending call and the id it was sent under."""

    def __init__(self, solver: Solver) -> None:
        self._solver = solver
        self._started = False
        self.pending: ToolCall | None = None
        self.sent_id: str | None = None
        self.calls = 0
        self.compute_s = 0.0
        """Seconds spent inside the script itself (the model's own time, for overhead measurements)."""

    def advance(self, result: dict[str, Any] | None) -> ToolCall | None:
        """The next call: the first one, or the one after ``result`` (the result of the call last sent)."""
        start = time.perf_counter()
        try:
            if not self._started:
                self._started = True
                self.pending = next(self._solver)
            elif self.sent_id is not None:
                self.sent_id = None
                self.pending = self._solver.send(result or {})
        except StopIteration:
            self.pending = None
        finally:
            self.compute_s += time.perf_counter() - start
        return self.pending

    def send(self, call_id: str) -> ToolCall:
        assert self.pending is not None
        self.sent_id = call_id
        self.calls += 1
        return self.pending


def _tool_message_result(message: ToolMessage) -> dict[str, Any]:
    """The structured result a solver expects, from a LangChain tool message (MCP adapter or error)."""
    content = message.content
    text = (
        content
        if isinstance(content, str)
        else "\n".join(block.get("text", "") if isinstance(block, dict) else str(block) for block in content)
    )
    if message.status == "error":
        return {"error": text}
    artifact = message.artifact if isinstance(message.artifact, dict) else {}
    if isinstance(artifact.get("structured_content"), dict):
        return artifact["structured_content"]
    try:
        value = json.loads(text)
    except ValueError:
        return {"result": text}
    return value if isinstance(value, dict) else {"result": value}


class ScriptedChatModel(BaseChatModel):
    """A LangChain chat model that plays a script, one tool call per turn.

    When the script's next call is not among the tools bound for this step (a workflow phase that offers other
    tools), it answers with text and keeps the call for a later step.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)
    policy: ScriptedPolicy = Field(exclude=True)
    bound: tuple[str, ...] = ()

    @property
    def _llm_type(self) -> str:
        return "healthgym-scripted"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedChatModel:
        names = tuple(getattr(t, "name", None) or t["function"]["name"] for t in tools)
        return self.model_copy(update={"bound": names})

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        policy = self.policy
        result = None
        if policy.sent_id is not None:
            reply = next(
                (m for m in reversed(messages) if isinstance(m, ToolMessage) and m.tool_call_id == policy.sent_id), None
            )
            result = _tool_message_result(reply) if reply is not None else {"error": "no result"}
        call = policy.advance(result)
        if call is None:
            message = AIMessage(content="The script has ended.")
        elif call.name not in self.bound:
            message = AIMessage(content=WAITING_TEXT.format(name=call.name))
        else:
            call_id = f"call_{policy.calls}"
            policy.send(call_id)
            message = AIMessage(content="", tool_calls=[{"name": call.name, "args": call.arguments, "id": call_id}])
        return ChatResult(generations=[ChatGeneration(message=message)])

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        """The same step, on the event loop: the default runs ``_generate`` in a worker thread, whose hand-off
        would be counted as framework overhead."""
        return self._generate(messages, stop, **kwargs)


def scripted_function_model(policy: ScriptedPolicy) -> Any:
    """A pydantic-ai ``FunctionModel`` that plays a script, one tool call per turn. The healthgym pydantic-ai agent
    names its typed output tool after the domain's submit tool, so the script's submit call is the final output."""
    from pydantic_ai.messages import ModelRequest, ModelResponse, TextPart, ToolCallPart, ToolReturnPart
    from pydantic_ai.models.function import AgentInfo, FunctionModel

    async def play(messages: list[Any], info: AgentInfo) -> ModelResponse:  # async: no worker-thread hand-off
        result = None
        if policy.sent_id is not None:
            last = messages[-1]
            parts = last.parts if isinstance(last, ModelRequest) else []
            reply = next((p for p in parts if getattr(p, "tool_call_id", None) == policy.sent_id), None)
            if isinstance(reply, ToolReturnPart) and reply.outcome == "success":
                content = reply.content
                result = content if isinstance(content, dict) else {"result": content}
            else:
                result = {"error": str(getattr(reply, "content", "no result"))}
        call = policy.advance(result)
        if call is None:
            return ModelResponse(parts=[TextPart("The script has ended.")])
        call_id = f"call_{policy.calls}"
        policy.send(call_id)
        return ModelResponse(parts=[ToolCallPart(call.name, call.arguments, tool_call_id=call_id)])

    return FunctionModel(play, model_name="healthgym-scripted")
