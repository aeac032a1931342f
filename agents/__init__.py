"""LangGraph and pydantic-ai agents over the healthgym MCP servers, the reference clinician, and evaluation."""
