"""The web pages: triage, compare and policy, server-rendered with GOV.UK Frontend patterns.

Registered by the app factory through ``service.api.OPTIONAL``. Pages need no JavaScript
(scripts are progressive enhancement, from this service only), use the GOV.UK generic header
and a system font (a council service must not look like GOV.UK), and render the engine's value
objects without computing anything of their own. ``security`` holds the headers, CSRF and
cookie settings; ``signin`` who is using the pages.

Rule: the pages may import the engine, ``service.context``, ``service.store`` and the shared
helpers; they must not import ``service.api`` modules, ``service.cli`` or ``service.app``. Only
the training pages (``classroom``, ``coding``) import ``service.training`` (below the pages in the
layers), inside their views, so that the trainee question model and the agreement computation
are reused and the other pages do not load the step library. Pages choose a ruleset and evaluate
it under one ``Live.using()`` hold, so a reload cannot swap the rulesets in between.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, render_template
from flask.blueprints import BlueprintSetupState
from werkzeug.exceptions import HTTPException

from service.web import security
from service.web.signin import dev_mode, signed_in

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static", static_url_path="/assets")


@bp.record_once
def _setup(state: BlueprintSetupState) -> None:
    app = state.app
    assert isinstance(app, Flask)
    security.configure(app, app.config["THRESHOLDS_SETTINGS"].instance)


@bp.before_request
def _csrf() -> None:
    security.check_csrf()


@bp.after_request
def _headers(response: Any) -> Any:
    return security.add_headers(response)


@bp.context_processor
def _context() -> dict[str, Any]:
    return {"signed_in_as": signed_in(), "dev_mode": dev_mode()}


bp.add_app_template_global(security.csrf_token, "csrf_token")


@bp.errorhandler(HTTPException)
def _error(e: HTTPException) -> Any:
    """Errors on pages are pages (the API keeps problem+json)."""
    titles = {400: "The form could not be sent", 403: "You cannot use this page", 404: "Page not found",
              405: "Page not found", 410: "Your answers are no longer kept", 413: "The form is too large",
              503: "Service unavailable"}
    code = e.code or 500
    title = titles.get(code, "Something went wrong")
    return render_template("web/error.html", title=title, detail=e.description, code=code), code


from service.web import (  # noqa: E402,F401  (routes register on bp)
    beside,
    classroom,
    coding,
    compare,
    decisions,
    drafts,
    pages,
    policy,
    triage,
)
