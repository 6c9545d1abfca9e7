"""Thresholds engine: threshold documents as rulesets, evaluated and explained.

Data flows one way: vocabulary -> ruleset -> compiled channels -> decision -> suggestion ->
renderers. Nothing in ``engine`` imports ``service``.
"""

from __future__ import annotations

ENGINE_VERSION = "1.0.0"
"""Bumped whenever a change could alter a suggestion; recorded in every result."""
