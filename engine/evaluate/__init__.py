"""engine/evaluate: see docs/architecture.md."""
