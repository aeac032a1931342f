"""Knowledge base on PostgreSQL + pgvector: ingestion, embedders, hybrid search, corpus loaders."""
