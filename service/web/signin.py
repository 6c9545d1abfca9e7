"""Who is using the pages: sign-in with one of the service's API keys, or local development mode.

Staff paste the API key they were issued (``thresholds keys create``); the session then holds
the caller's name, role and the key's sha256 (never the key), and every request checks that
the key is still not revoked, so revoking a key signs its pages out at once. The roles are the
API's (service.store.keys.GRANTS). In local development mode (``THRESHOLDS_AUTH=off``, loopback
only) every page acts as ``local-dev`` with the admin role, as the API does, and every page
says so in a banner.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, current_app, g, redirect, request, session, url_for
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from service.auth import DEV_CALLER
from service.store.database import api_keys
from service.store.keys import ROLES, Caller, digest, includes

F = TypeVar("F", bound=Callable[..., Any])


def dev_mode() -> bool:
    return bool(current_app.config["THRESHOLDS_SETTINGS"].dev_mode)


def signed_in() -> Caller | None:
    """The caller of this request, or None when nobody is signed in (or the key was revoked)."""
    if "web_caller" in g:
        cached: Caller | None = g.web_caller
        return cached
    caller: Caller | None = None
    if dev_mode():
        caller = DEV_CALLER
    else:
        sha = session.get("key_sha256")
        if isinstance(sha, str):
            caller = _by_digest(sha)
            if caller is None:
                session.pop("key_sha256", None)
    g.web_caller = caller
    return caller


def _by_digest(sha: str) -> Caller | None:
    engine = current_app.extensions["thresholds"].keys.engine
    try:
        with engine.connect() as conn:
            row = conn.execute(select(api_keys).where(api_keys.c.key_sha256 == sha)).mappings().first()
    except SQLAlchemyError:
        abort(503, description="Sign-in cannot be checked just now. Try again in a minute.")
    if row is None or row["revoked_at"] is not None:
        return None
    return Caller(row["caller"], row["role"], row["id"])


def sign_in(key: str) -> Caller | None:
    """Check a pasted key; on success remember its digest in the session (never the key)."""
    try:
        caller: Caller | None = current_app.extensions["thresholds"].keys.lookup(key)
    except SQLAlchemyError:
        abort(503, description="Sign-in cannot be checked just now. Try again in a minute.")
    if caller is None:
        return None
    session.clear()
    session["key_sha256"] = digest(key)
    g.web_caller = caller
    return caller


def sign_out() -> None:
    session.clear()


def page_requires(role: str) -> Callable[[F], F]:
    """Pages for ``role`` and above: sign-in page if nobody is signed in, 403 if the role is too low."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")

    def wrap(view: F) -> F:
        @functools.wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            caller = signed_in()
            if caller is None:
                return redirect(url_for("web.sign_in", next=request.path))
            if not includes(caller.role, role):
                abort(403, description=f"This page needs the '{role}' role; you are signed in with the "
                                       f"'{caller.role}' role.")
            return view(*args, **kwargs)

        return checked  # type: ignore[return-value]

    return wrap
