"""engine/render: see docs/architecture.md."""
