"""engine/load: see docs/architecture.md."""
