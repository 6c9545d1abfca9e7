"""The start page and signing in and out."""

from __future__ import annotations

import re
from typing import Any

from flask import redirect, render_template, request, session, url_for

from service.web import answers, bp
from service.web.form import FormError
from service.web.signin import dev_mode, sign_in, sign_out

_LOCAL_PATH = re.compile(r"/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@/%?]*")
"""A path on this service: printable URL characters only. Browsers drop tabs and newlines from
a URL, so '/\t/evil.example/' would become '//evil.example/' (another site), and a newline in a
Location header is an error: any character outside this set sends the user to the start page."""


def _safe_next(target: str | None) -> str:
    """Only a path on this service (never another site) may follow sign-in."""
    if target and len(target) <= 2000 and _LOCAL_PATH.fullmatch(target):
        return target
    return url_for("web.start")


@bp.get("/")
def start() -> Any:
    return render_template("web/start.html", section=None)


@bp.get("/favicon.ico")
def favicon() -> Any:
    """No icon (the GOV.UK crown is not ours to use); 204 so browsers do not log an error."""
    return "", 204


@bp.route("/sign-in", methods=["GET", "POST"], endpoint="sign_in")
def sign_in_page() -> Any:
    target = _safe_next(request.values.get("next"))
    if dev_mode():
        return redirect(target)
    errors: list[FormError] = []
    if request.method == "POST":
        key = request.form.get("api_key", "").strip()
        if not key:
            errors.append(FormError("api_key", "Enter your API key"))
        else:
            before = session.get(answers.OWNER)  # the replaced session's triage answers go with it
            if len(key) > 200 or sign_in(key) is None:
                errors.append(FormError("api_key", "That API key is not recognised or has been revoked"))
            else:
                answers.forget(before if isinstance(before, str) else None)
                return redirect(target, code=303)
    return render_template("web/sign_in.html", errors=errors, next=target, section=None), 401 if errors else 200


@bp.post("/sign-out", endpoint="sign_out")
def sign_out_page() -> Any:
    answers.forget()  # the triage answers kept for this session go with it
    sign_out()
    return redirect(url_for("web.sign_in"), code=303)

