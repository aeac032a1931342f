"""Model backends: LangChain and pydantic-ai model strings, a local transformers chat model, the scripted clinician.

``--model`` takes, for either framework:

- ``scripted``: the domain's reference solver played as a model (:mod:`healthgym.agents.scripted`); offline;
- a directory: a local transformers chat model (tokenizer with a chat template that renders tools); tool calls are
  read from its text with :func:`healthgym.rl.parsing.parse_action` (JSON, hermes ``<tool_call>``, qwen3-coder XML);
- anything else: a model string of the framework, e.g. ``openai:gpt-4.1``, ``anthropic:claude-sonnet-4-5``; with
  ``base_url``, an OpenAI-compatible endpoint such as a local vLLM (``http://localhost:8000/v1``) or Ollama
  (``http://localhost:11434/v1``) server, ``openai:MODEL`` naming the served model.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import ConfigDict, Field

from healthgym.rl.parsing import parse_action

SCRIPTED = "scripted"


def _require(module: str, install: str) -> None:
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise ImportError(f"this model backend needs {module!r}: pip install {install}")


class TransformersChat:
    """A local causal LM with a chat template, generating one assistant message at a time (greedy by default).

    Args:
        model: a directory holding the model and tokenizer, or a loaded ``PreTrainedModel``.
        tokenizer: the tokenizer, when ``model`` is a loaded model.
        max_new_tokens: generation budget per assistant message.
        temperature: 0 for greedy decoding.
    """

    def __init__(
        self, model: str | Path | Any, tokenizer: Any = None, *, max_new_tokens: int = 256, temperature: float = 0.0
    ) -> None:
        _require("transformers", '"healthgym[rl]"')
        if isinstance(model, str | Path):
            from transformers import AutoModelForCausalLM

            from healthgym.rl.tiny import load_tokenizer

            path = Path(model)
            if not path.is_dir():
                raise FileNotFoundError(f"no model directory at {path}")
            tokenizer = load_tokenizer(path)
            model = AutoModelForCausalLM.from_pretrained(path)
        if tokenizer is None:
            raise ValueError("pass the tokenizer with a loaded model")
        if not tokenizer.chat_template:
            raise ValueError("the tokenizer has no chat template; a chat model needs one that renders tools")
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.max_new_tokens = max_new_tokens
        self.temperature = temperature
        self.name = getattr(model.config, "_name_or_path", "") or type(model).__name__
        self._lock = threading.Lock()

    def generate(self, messages: list[dict[str, Any]], tools: Sequence[dict[str, Any]] = ()) -> tuple[str, int, int]:
        """The assistant's next message for OpenAI-style ``messages`` and ``tools``; with prompt and completion
        token counts."""
        import torch

        ids = self.tokenizer.apply_chat_template(
            messages, tools=list(tools) or None, add_generation_prompt=True, return_tensors="pt", return_dict=True
        )["input_ids"]
        sample = self.temperature > 0
        with self._lock, torch.inference_mode():  # one generation at a time: a CPU model uses every core anyway
            out = self.model.generate(
                ids,
                attention_mask=torch.ones_like(ids),
                max_new_tokens=self.max_new_tokens,
                do_sample=sample,
                temperature=self.temperature if sample else None,
                top_p=None,
                top_k=None,
                pad_token_id=self.tokenizer.pad_token_id,
                eos_token_id=self.tokenizer.eos_token_id,
            )
        completion = out[0, ids.shape[1] :]
        return self.tokenizer.decode(completion, skip_special_tokens=True), int(ids.shape[1]), int(completion.shape[0])


def openai_tool(name: str, description: str | None, parameters: dict[str, Any]) -> dict[str, Any]:
    return {"type": "function", "function": {"name": name, "description": description or "", "parameters": parameters}}


def _tool_calls(text: str) -> list[dict[str, Any]]:
    return (
        [{"name": c.name, "args": c.arguments, "id": f"call_{uuid.uuid4().hex[:12]}"} for c in parse_action(text).calls]
        if text.strip()
        else []
    )


class TransformersChatModel(BaseChatModel):
    """A LangChain chat model over :class:`TransformersChat`; tool calls are parsed from the generated text."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    chat: TransformersChat = Field(exclude=True)
    tools: list[dict[str, Any]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "healthgym-transformers"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> TransformersChatModel:
        from langchain_core.utils.function_calling import convert_to_openai_tool

        return self.model_copy(update={"tools": [convert_to_openai_tool(t) for t in tools]})

    def _generate(
        self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None, **kwargs: Any
    ) -> ChatResult:
        from langchain_core.messages import convert_to_openai_messages

        chat_messages = convert_to_openai_messages(messages)
        for message in chat_messages:  # chat templates render arguments as objects, OpenAI sends JSON text
            for call in message.get("tool_calls", []):
                call["function"]["arguments"] = json.loads(call["function"]["arguments"] or "{}")
        text, prompt_tokens, completion_tokens = self.chat.generate(chat_messages, self.tools)
        message = AIMessage(
            content=text,
            tool_calls=_tool_calls(text) if self.tools else [],
            usage_metadata={
                "input_tokens": prompt_tokens,
                "output_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        )
        return ChatResult(generations=[ChatGeneration(message=message)])


def transformers_function_model(chat: TransformersChat) -> Any:
    """A pydantic-ai ``FunctionModel`` over :class:`TransformersChat`."""
    from pydantic_ai.messages import (
        ModelRequest,
        ModelResponse,
        RetryPromptPart,
        SystemPromptPart,
        TextPart,
        ToolCallPart,
        ToolReturnPart,
        UserPromptPart,
    )
    from pydantic_ai.models.function import AgentInfo, FunctionModel
    from pydantic_ai.usage import RequestUsage

    def to_chat(messages: list[Any], instructions: str | None) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = [{"role": "system", "content": instructions}] if instructions else []
        for message in messages:
            if isinstance(message, ModelRequest):
                for part in message.parts:
                    if isinstance(part, SystemPromptPart):
                        out.append({"role": "system", "content": part.content})
                    elif isinstance(part, UserPromptPart):
                        out.append({"role": "user", "content": str(part.content)})
                    elif isinstance(part, ToolReturnPart | RetryPromptPart):
                        out.append(
                            {
                                "role": "tool",
                                "content": part.model_response_str()
                                if isinstance(part, ToolReturnPart)
                                else part.model_response(),
                            }
                        )
            else:
                text = "".join(p.content for p in message.parts if isinstance(p, TextPart))
                calls = [
                    {
                        "type": "function",
                        "id": p.tool_call_id,
                        "function": {"name": p.tool_name, "arguments": p.args_as_dict()},
                    }
                    for p in message.parts
                    if isinstance(p, ToolCallPart)
                ]
                out.append({"role": "assistant", "content": text, **({"tool_calls": calls} if calls else {})})
        return out

    def generate(messages: list[Any], info: AgentInfo) -> ModelResponse:
        tools = [
            openai_tool(t.name, t.description, t.parameters_json_schema)
            for t in [*info.function_tools, *info.output_tools]
        ]
        text, prompt_tokens, completion_tokens = chat.generate(to_chat(messages, info.instructions), tools)
        calls = [ToolCallPart(c["name"], c["args"], tool_call_id=c["id"]) for c in _tool_calls(text)]
        return ModelResponse(
            parts=[TextPart(text), *calls] if text else calls or [TextPart("")],
            usage=RequestUsage(input_tokens=prompt_tokens, output_tokens=completion_tokens),
        )

    return FunctionModel(generate, model_name=f"transformers:{chat.name}")


def langchain_model(spec: str, *, base_url: str | None = None, chat: TransformersChat | None = None) -> BaseChatModel:
    """A LangChain chat model for ``spec`` (a model string, or a local model directory; see the module docstring).

    ``chat`` reuses an already loaded transformers model (one load per run, not per episode).
    """
    if chat is not None or Path(spec).is_dir():
        return TransformersChatModel(chat=chat or TransformersChat(spec))
    _require("langchain", '"langchain>=1" and the provider package, e.g. langchain-openai or langchain-anthropic')
    from langchain.chat_models import init_chat_model

    kwargs: dict[str, Any] = {}
    if base_url:  # an OpenAI-compatible server: a bare name is the served model's, as for pydantic-ai below
        kwargs = {"base_url": base_url, "api_key": os.environ.get("OPENAI_API_KEY", "EMPTY")}
        spec = spec if ":" in spec else f"openai:{spec}"
    return init_chat_model(spec, **kwargs)


def pydantic_ai_model(spec: str, *, base_url: str | None = None, chat: TransformersChat | None = None) -> Any:
    """A pydantic-ai model for ``spec`` (a model string, or a local model directory; see the module docstring)."""
    if chat is not None or Path(spec).is_dir():
        return transformers_function_model(chat or TransformersChat(spec))
    if not base_url:
        return spec
    _require("openai", '"pydantic-ai-slim[openai]"')
    from pydantic_ai.models.openai import OpenAIChatModel
    from pydantic_ai.providers.openai import OpenAIProvider

    name = spec.split(":", 1)[1] if spec.startswith("openai:") else spec
    provider = OpenAIProvider(base_url=base_url, api_key=os.environ.get("OPENAI_API_KEY", "EMPTY"))
    return OpenAIChatModel(name, provider=provider)
