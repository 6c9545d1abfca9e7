"""Browser-facing protections for the pages: headers, CSRF tokens and the session cookie.

The pages show referral facts about children, so nothing about a referral may be kept by the
browser beyond the form itself: every page is ``Cache-Control: no-store`` (which also keeps
result pages out of the back/forward cache) and the session cookie carries only the CSRF token
and who signed in, never facts. The Content Security Policy allows scripts, styles and
images only from this service, so an injected inline script cannot run, and the pages cannot
be framed (clickjacking).
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

from flask import Flask, Response, abort, request, session

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}
CSRF_FIELD = "csrf_token"
SECRET_FILE = "web-secret-key"


def secret_key(instance: Path) -> str:
    """THRESHOLDS_SECRET_KEY, else a random key kept in the instance folder.

    Kept in a file (created once, owner-only) rather than made per process so that gunicorn
    workers share it: a session signed by one worker must be read by the next.
    """
    given = os.environ.get("THRESHOLDS_SECRET_KEY", "")
    if given:
        return given
    path = instance / SECRET_FILE
    instance.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as f:
        key = secrets.token_hex(32)
        f.write(key)
    return key


def configure(app: Flask, instance: Path) -> None:
    """Session cookie settings: signed, Secure, HttpOnly, SameSite=Lax, not permanent."""
    if not app.secret_key:
        app.secret_key = secret_key(instance)
    app.config.update(
        SESSION_COOKIE_NAME="thresholds_session",
        SESSION_COOKIE_SECURE=True,   # browsers accept Secure cookies over http only on localhost
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )


def csrf_token() -> str:
    """This session's CSRF token (made on first use)."""
    token = session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[CSRF_FIELD] = token
    return token


def check_csrf() -> None:
    """Every POST must carry the session's token: 400 otherwise (another site cannot read it)."""
    if request.method != "POST":
        return
    expected = session.get(CSRF_FIELD)
    sent = request.form.get(CSRF_FIELD, "")
    if not isinstance(expected, str) or not hmac.compare_digest(expected, sent):
        abort(400, description="The form has expired or did not come from this service. Go back, reload the "
                               "page and send it again.")


def add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint == "web.static":
        response.headers["Cache-Control"] = "public, max-age=3600"
    else:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response
