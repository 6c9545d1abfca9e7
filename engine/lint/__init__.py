"""engine/lint: see docs/architecture.md."""
