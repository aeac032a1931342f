"""The synthetic clinic and its MCP servers: one server per clinical domain, plus calculators and the knowledge base."""
