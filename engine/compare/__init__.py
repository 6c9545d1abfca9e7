"""engine/compare: see docs/architecture.md."""
