"""The factory core: AIFactory, declarations, the batch engine, registry, scope, provenance."""
