"""LangGraph and pydantic-ai agents over the healthgym MCP servers, the reference clinician, and evaluation.

Names are imported on first use, so ``import healthgym.agents`` stays cheap and the frameworks (the ``agents``
extra) are needed only by the agents that use them.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Connection": "connections",
    "EpisodeLog": "episode",
    "EpisodeSession": "episode",
    "EvalConfig": "evaluation",
    "LangGraphServers": "langgraph_agent",
    "PydanticServers": "pydantic_agent",
    "RecordingSession": "episode",
    "ScriptedChatModel": "scripted",
    "ScriptedPolicy": "scripted",
    "TransformersChat": "models",
    "TransformersChatModel": "models",
    "answer_model": "pydantic_agent",
    "build_clinical_workflow": "langgraph_agent",
    "build_tool_loop": "langgraph_agent",
    "domain_answer_model": "pydantic_agent",
    "grade_episode": "episode",
    "langchain_model": "models",
    "local_http_servers": "connections",
    "open_langgraph_agent": "langgraph_agent",
    "open_langgraph_servers": "langgraph_agent",
    "open_pydantic_agent": "pydantic_agent",
    "open_pydantic_servers": "pydantic_agent",
    "play_langgraph": "langgraph_agent",
    "play_pydantic": "pydantic_agent",
    "play_reference": "reference",
    "play_transformers": "hf_agent",
    "pydantic_ai_model": "models",
    "run_eval": "evaluation",
    "score_domains": "scorecard",
    "scorecard_table": "scorecard",
    "scripted_function_model": "scripted",
    "transformers_function_model": "models",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'healthgym.agents' has no attribute {name!r}")
    return getattr(import_module(f"healthgym.agents.{module}"), name)


def __dir__() -> list[str]:
    return __all__
