"""service/store: see docs/architecture.md."""
