#!/usr/bin/env bash
# Evaluate a model served by a local OpenAI-compatible server, next to the reference clinician.
#
#   vLLM:   vllm serve Qwen/Qwen3-8B --enable-auto-tool-choice --tool-call-parser hermes --port 8000
#   Ollama: ollama pull qwen3:8b && ollama serve          (OpenAI-compatible API at http://localhost:11434/v1)
#
# Needs the OpenAI client for the framework used: pip install "pydantic-ai-slim[openai]"
# (or: pip install "langchain>=1" langchain-openai, for --agent langgraph).
set -euo pipefail
BASE_URL=${BASE_URL:-http://localhost:8000/v1}
MODEL=${MODEL:-Qwen/Qwen3-8B}
LIMIT=${LIMIT:-20}
export OPENAI_API_KEY=${OPENAI_API_KEY:-EMPTY}   # local servers accept any key

healthgym eval --agent reference --limit "$LIMIT" --out runs/reference
healthgym eval --agent pydantic-ai --model "openai:$MODEL" --base-url "$BASE_URL" \
    --limit "$LIMIT" --concurrency 4 --out runs/pydantic-ai
healthgym eval --agent langgraph --shape workflow --model "openai:$MODEL" --base-url "$BASE_URL" \
    --limit "$LIMIT" --concurrency 4 --out runs/langgraph-workflow
healthgym eval --compare runs/reference runs/pydantic-ai runs/langgraph-workflow --out runs/compare
