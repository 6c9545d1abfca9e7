"""Who is calling: API keys with roles, checked before any route body runs.

``Authorization: Bearer <key>``. No key, an unknown key or a revoked key is 401 (with
``WWW-Authenticate``); a valid key whose role is too low is 403. In local development mode
(``THRESHOLDS_AUTH=off``, allowed only on loopback) every request acts as the caller
``local-dev`` with the admin role. Routes declare the role they need with ``@requires``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, g, request
from sqlalchemy.exc import SQLAlchemyError

from service.problems import ApiProblem
from service.store.keys import ROLES, Caller, KeyStore, includes

F = TypeVar("F", bound=Callable[..., Any])
DEV_CALLER = Caller("local-dev", "admin", None)
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="thresholds"'}


def current_caller() -> Caller:
    """The authenticated caller of this request (raises 401 if there is none)."""
    cached: Caller | None = g.get("thresholds_caller")
    if cached is not None:
        return cached
    if current_app.config["THRESHOLDS_SETTINGS"].dev_mode:
        caller = DEV_CALLER
    else:
        header = request.headers.get("Authorization", "")
        scheme, _, key = header.partition(" ")
        if not header:
            raise ApiProblem(401, "Unauthorized", "send an API key: 'Authorization: Bearer <key>'",
                             headers=_CHALLENGE)
        if scheme.lower() != "bearer" or not key.strip() or len(key) > 200:
            raise ApiProblem(401, "Unauthorized", "the Authorization header must be 'Bearer <key>'",
                             headers=_CHALLENGE)
        store: KeyStore = current_app.extensions["thresholds"].keys
        try:
            found = store.lookup(key.strip())
        except SQLAlchemyError:
            raise ApiProblem(503, "Service unavailable", "API keys cannot be checked just now",
                             kind="record-unavailable") from None
        if found is None:
            raise ApiProblem(401, "Unauthorized", "unknown or revoked API key", headers=_CHALLENGE)
        caller = found
    g.thresholds_caller = caller
    return caller


def requires(role: str) -> Callable[[F], F]:
    """Allow the route only to callers whose role grants ``role`` (service.store.keys.GRANTS)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")

    def wrap(view: F) -> F:
        @functools.wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            caller = current_caller()
            if not includes(caller.role, role):
                raise ApiProblem(403, "Forbidden", f"this needs the '{role}' role; the key has '{caller.role}'")
            return view(*args, **kwargs)

        checked.required_role = role  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return wrap
