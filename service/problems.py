"""RFC 9457 problem details (``application/problem+json``) for every error the API returns.

Every error a client can cause becomes a problem with a title, a detail that says what is
wrong, and, for invalid fields, one entry per field located by JSON Pointer. Bodies are built
on werkzeug's own ``HTTPException.get_response()`` so headers such as ``Allow`` (405) and
``WWW-Authenticate`` (401) survive. Anything unexpected becomes a bare 500 problem with no
stack trace and no request content; the log names only the exception type.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from flask import Flask
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from engine.errors import FieldProblem, Problem, ReferralError, RulesetError, UnknownRulesetError, did_you_mean

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://thresholds.invalid/problems/"
"""Problem type URIs: stable identifiers (documented in docs/api.md), not fetched."""

log = logging.getLogger("thresholds.service")


class ApiProblem(HTTPException):
    """An HTTP error with a problem+json body; raise it anywhere inside a request."""

    def __init__(self, status: int, title: str, detail: str, kind: str | None = None,
                 errors: Sequence[FieldProblem] = (), headers: dict[str, str] | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        super().__init__(description=detail)
        self.code = status
        self.title = title
        self.kind = kind or title.lower().replace(" ", "-")
        self.errors = list(errors)
        self.extra_headers = headers or {}
        self.extra = extra or {}


def _hinted(p: Problem | FieldProblem) -> dict[str, Any]:
    """A problem's detail in words, and its "did you mean" names as data when it has any."""
    out: dict[str, Any] = {"detail": p.message + did_you_mean(p.suggestions)}
    if p.suggestions:
        out["suggestions"] = list(p.suggestions)
    return out


def field_errors(problems: Iterable[FieldProblem]) -> list[dict[str, Any]]:
    return [{"pointer": p.pointer or "/", **_hinted(p)} for p in problems]


def file_errors(problems: Iterable[Problem]) -> list[dict[str, Any]]:
    return [{"file": p.file, "line": p.line, "column": p.column, **_hinted(p)} for p in problems]


def render(e: HTTPException) -> Response:
    """The problem+json response for any HTTP error, keeping werkzeug's headers."""
    response = e.get_response()
    status = e.code or 500
    body: dict[str, Any] = {
        "type": TYPE_BASE + (e.kind if isinstance(e, ApiProblem) else str(status)),
        "title": e.title if isinstance(e, ApiProblem) else (e.name or "Error"),
        "status": status,
        "detail": e.description or "",
    }
    if isinstance(e, ApiProblem):
        if e.errors:
            body["errors"] = field_errors(e.errors)
        body.update(e.extra)
        for k, v in e.extra_headers.items():
            response.headers[k] = v
    # backslashreplace: a stray surrogate in a message becomes a JSON escape, never a 500
    response.set_data(json.dumps(body, ensure_ascii=False).encode("utf-8", "backslashreplace"))
    response.mimetype = MEDIA_TYPE
    return response


class NoValuesInLogs(logging.Filter):
    """Drop tracebacks and exception messages from log records.

    Flask logs an exception it cannot hand to a handler (one raised inside a handler) with its
    full traceback, and a traceback ends with the exception's message, which may quote what a
    client sent ("not 17300"). Operational logs must never hold fact values, so such a record
    keeps only the chain of exception types.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            chain: list[str] = []
            exc: BaseException | None = record.exc_info[1]
            while exc is not None and len(chain) < 5:
                chain.append(type(exc).__name__)
                exc = exc.__cause__ or exc.__context__
            record.msg = f"unhandled error types={'<-'.join(chain)}"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True


def install(app: Flask) -> None:
    """Register the handlers that turn every error into problem+json."""
    app.logger.addFilter(NoValuesInLogs())

    @app.errorhandler(HTTPException)
    def _http(e: HTTPException) -> Response:
        return render(e)

    @app.errorhandler(ReferralError)
    def _referral(e: ReferralError) -> Response:
        return render(ApiProblem(422, "Invalid referral", "The referral facts do not fit the vocabulary.",
                                 errors=e.problems))

    @app.errorhandler(UnknownRulesetError)
    def _unknown(e: UnknownRulesetError) -> Response:
        return render(ApiProblem(404, "Unknown ruleset", str(e),
                                 extra={"suggestions": list(e.suggestions)} if e.suggestions else None))

    @app.errorhandler(RulesetError)
    def _ruleset(e: RulesetError) -> Response:
        return render(ApiProblem(422, "Invalid ruleset files", "The ruleset files could not be loaded.",
                                 extra={"files": file_errors(e.problems)}))

    @app.errorhandler(Exception)
    def _unexpected(e: Exception) -> Response:
        # The message of an unexpected exception may echo request content: log the type only.
        log.error("unhandled error type=%s", type(e).__name__)
        return render(InternalServerError("An internal error occurred; no suggestion was made."))
