"""Thresholds engine: threshold documents as rulesets, evaluated and explained.

Data flows one way: vocabulary -> ruleset -> compiled channels -> decision -> suggestion ->
renderers. Nothing in ``engine`` imports ``service``.

The stages, each a package that imports only the ones below it (pyproject.toml's layering
contract, run by ``make test``): ``model`` (values, no I/O) <- ``load`` (files to a checked
catalogue) <- ``evaluate`` (facts to a suggestion) <- ``triage`` | ``compare`` | ``lint``
(independent of each other) <- ``render`` (text, Markdown, HTML). ``errors`` is shared by all.
Only ``evaluate.channels.durable`` imports durable_rules.
"""

from __future__ import annotations

ENGINE_VERSION = "1.0.0"
"""Bumped whenever a change could alter a suggestion; recorded in every result."""
