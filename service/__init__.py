"""Thresholds service: the interfaces over the engine (command line, JSON API, web pages).

Layers, each importing only those below (pyproject.toml's contract, run by ``make test``):
``cli`` <- ``api`` | ``web`` <- ``training`` <- ``context`` (the shared services: live
rulesets, record, keys) <- ``store``; all may import the engine, which never imports the
service. ``app`` is the composition root that nothing imports: ``create_app`` below reaches it
lazily, so the command line does not load Flask until it serves.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The Flask service (see service.app.create_app); imported lazily so the CLI stays light."""
    from service.app import create_app as make

    return make(config)


def import_app_code() -> None:
    """Import the app's code without building anything (service.app.import_code), lazily like create_app."""
    from service.app import import_code

    import_code()
