"""Thresholds service: interfaces over the engine (command line; JSON API and pages to come)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The Flask service (see service.app.create_app); imported lazily so the CLI stays light."""
    from service.app import create_app as make

    return make(config)
