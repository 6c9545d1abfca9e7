"""Step definitions, one module per part of a scenario (child, facts, authority, ...)."""
