"""The JSON API under /api/v1: one blueprint per module, registered from one list.

To add an endpoint group (e.g. diff or variation): write ``service/api/<noun>.py`` with
``bp = Blueprint("<noun>", __name__, url_prefix=PREFIX)`` and routes declared with
``service.openapi.api_route(bp, ..., role="policy", body=..., response=...)``, then add the
module to the list below. The web pages (service/web) plug in the same way.

Rule: the API may import the engine, ``service.context`` (the live rulesets and the record),
``service.store`` and the service's shared helpers (auth, body, openapi, problems, limits);
it must not import ``service.web``, ``service.cli``, ``service.training`` or ``service.app``.
Only the composition root (``service.app``) and the command line that serves it reach it.
"""

from __future__ import annotations

import importlib

from flask import Blueprint

PREFIX = "/api/v1"

MODULES = [
    "service.api.meta",
    "service.api.rulesets",
    "service.api.evaluate",
    "service.api.compare",
    "service.api.records",
    "service.api.admin",
    "service.api.variation",
    "service.api.questions",
    "service.api.decisions",
    "service.api.drafts",
    "service.api.two_councils",
]
"""Blueprint modules, each exposing ``bp``. Add new modules here (one line each)."""

OPTIONAL = ["service.web"]
"""Modules registered only if present (the web pages are built by a later issue)."""


def blueprints() -> list[Blueprint]:
    out: list[Blueprint] = []
    for name in MODULES:
        out.append(importlib.import_module(name).bp)
    for name in OPTIONAL:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:
                raise
            continue
        out.append(module.bp)
    return out
