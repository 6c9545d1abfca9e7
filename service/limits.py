"""Rate limits and transport headers for a service reachable beyond loopback.

One client must not be able to starve a council's front door: off loopback every caller gets a
request budget per API key (per address when it sends none), and the expensive comparison
endpoints (matrix, diff, compare), which evaluate many referrals per request, share a smaller
budget of their own. Over a budget the answer is 429 problem+json with ``Retry-After``.
flask-limiter does the counting (fixed windows, in process memory by default, so each gunicorn
worker counts separately; ``THRESHOLDS_RATE_LIMIT_STORAGE`` takes a shared store such as
``redis://``). Health is never limited: a load balancer must always be able to ask.

Off loopback the service is meant to sit behind TLS, so responses also carry
``Strict-Transport-Security``. On loopback (development, tests) neither applies unless
``THRESHOLDS_RATE_LIMITS=on``.
"""

from __future__ import annotations

import hashlib

from flask import Flask, Response, request
from flask_limiter import Limiter

from service.config import Settings, is_loopback

EXPENSIVE = ("variation.matrix", "variation.diff", "compare.compare", "web.compare_result", "web.policy_diff",
             "web.policy_variation", "web.policy_draft_try", "drafts.try_draft_route",
             "two_councils.two_councils_route", "web.record_beside")
"""Endpoints that evaluate many referrals or rulesets per request."""
EXEMPT = ("meta.health", "static", "web.static")
HSTS = "max-age=31536000; includeSubDomains"


def caller() -> str:
    """The budget a request counts against: its API key (hashed; never the key), else its address."""
    auth = request.headers.get("Authorization", "")
    if auth[:7].lower() == "bearer " and auth[7:].strip():
        return "key:" + hashlib.sha256(auth[7:].strip().encode("utf-8", "replace")).hexdigest()[:16]
    return "addr:" + (request.remote_addr or "unknown")


def limits_on(settings: Settings) -> bool:
    return settings.rate_limits == "on" or (settings.rate_limits == "auto" and not is_loopback(settings.host))


def install(app: Flask, settings: Settings) -> None:
    """Per-caller limits (and HSTS) when the service is reachable beyond loopback."""
    if not is_loopback(settings.host):
        @app.after_request
        def _hsts(response: Response) -> Response:
            response.headers["Strict-Transport-Security"] = HSTS
            return response

    if not limits_on(settings):
        return
    limiter = Limiter(caller, app=app, default_limits=[settings.rate_limit], headers_enabled=True,
                      storage_uri=settings.rate_limit_storage, strategy="fixed-window",
                      default_limits_exempt_when=lambda: request.endpoint in EXEMPT)
    expensive = limiter.shared_limit(settings.rate_limit_expensive, scope="expensive", override_defaults=False)
    for endpoint in EXPENSIVE:
        view = app.view_functions.get(endpoint)
        if view is not None:
            app.view_functions[endpoint] = expensive(view)  # type: ignore[assignment]
    app.extensions["thresholds_limiter"] = limiter
