"""engine/triage: see docs/architecture.md."""
