"""Health, the OpenAPI document and its offline documentation page (no CDN, no script)."""

from __future__ import annotations

import html
from typing import Any

from flask import Blueprint, Response, url_for

from engine import ENGINE_VERSION
from service.api import PREFIX
from service.api.models import Health
from service.context import services
from service.limits import limits_on
from service.openapi import OPERATIONS, api_route, build_spec

bp = Blueprint("meta", __name__, url_prefix=PREFIX)


@api_route(bp, "/health", "GET", summary="Service health", tag="service", role=None, response=Health)
def health() -> Any:
    """Which ruleset versions are loaded (with sha256), and whether the last reload was rejected.

    `status` is `degraded` when the last reload failed: the service keeps serving the last good
    versions and `last_reload.errors` says what is wrong in which file, line and column."""
    svc = services()
    return Health.model_validate({**svc.live.health(), "engine_version": ENGINE_VERSION,
                                  "dev_mode": svc.settings.dev_mode}).model_dump(mode="json")


@bp.get("/openapi.json")
def openapi() -> Any:
    svc = services()
    with svc.live.using() as ev:
        return build_spec(ev.catalogue.vocabulary, ev.catalogue.ids(), dev_mode=svc.settings.dev_mode,
                          rate_limited=limits_on(svc.settings))


@bp.get("/docs")
def docs() -> Response:
    """A server-rendered list of every operation: readable offline, with no JavaScript."""
    rows = []
    for op in sorted(OPERATIONS, key=lambda o: (o.tag, o.path, o.method)):
        role = html.escape(op.role) if op.role else "none"
        rows.append(f"<tr><td>{html.escape(op.tag)}</td><td><code>{op.method.upper()} {html.escape(op.path)}</code>"
                    f"</td><td>{html.escape(op.summary)}</td><td>{role}</td></tr>")
    spec = url_for("meta.openapi")
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Thresholds API</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}}td,th{{padding:.3rem .6rem;
text-align:left;border-bottom:1px solid #ccc}}code{{font-size:1rem}}</style></head>
<body><h1>Thresholds API {html.escape(ENGINE_VERSION)}</h1>
<p>Every result is a suggestion for a qualified practitioner, who decides.</p>
<p>The machine-readable description is the <a href="{spec}">OpenAPI 3.1 document</a>. Send API keys as
<code>Authorization: Bearer &lt;key&gt;</code>; errors are RFC 9457 problem details.</p>
<table><thead><tr><th>Group</th><th>Operation</th><th>What it does</th><th>Role needed</th></tr></thead>
<tbody>{''.join(rows)}</tbody></table></body></html>"""
    return Response(page, mimetype="text/html")
