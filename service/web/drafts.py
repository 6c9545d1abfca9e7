"""Trying a draft revision on a page (policy role): paste or upload the draft, read what it would change.

The trial itself is ``service.drafts.try_draft`` (shared with the API): validation and lint
with line and column, the diff against the version in force on witness referrals, and the
recorded referrals' facts replayed under both. The draft never goes live: it is checked in a
private copy of the rulesets and compiled by a private evaluator, so the catalogue, triage and
the variation pages never see it, and nothing is recorded. The draft is sent with POST (and
its CSRF token) and never kept after the answer.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import render_template, request

from engine.errors import Problem, RulesetError, ThresholdsError
from engine.render import diff_report
from service.context import services
from service.drafts import MAX_DRAFT_BYTES, too_large, try_draft
from service.store.record import RecordUnavailable
from service.web import bp
from service.web.form import FormError
from service.web.signin import page_requires

log = logging.getLogger("thresholds.service")


def _page(errors: list[FormError], problems: list[Problem], text: str, code: int = 200, **result: Any) -> Any:
    return render_template("web/policy_draft.html", errors=errors, problems=problems, text=text,
                           max_bytes=MAX_DRAFT_BYTES, section="web.policy_index", **result), code


@bp.get("/policy/draft", endpoint="policy_draft")
@page_requires("policy")
def form() -> Any:
    return _page([], [], "")


def _sent() -> tuple[str, str, FormError | None]:
    """(text, name, problem) from the upload if a file was chosen, else from the text box."""
    upload = request.files.get("draft_file")
    if upload is not None and upload.filename:
        raw = upload.read(MAX_DRAFT_BYTES + 1)
        try:
            return raw.decode("utf-8"), upload.filename, None
        except UnicodeDecodeError as e:
            return "", upload.filename, FormError("draft_file", f"The file is not UTF-8 text (byte {e.start + 1})")
    return request.form.get("draft_text", ""), "draft.yaml", None


@bp.post("/policy/draft", endpoint="policy_draft_try")
@page_requires("policy")
def trial() -> Any:
    text, name, problem = _sent()
    if problem is None and not text.strip():
        problem = FormError("draft_text", "Paste the draft ruleset, or choose a file to upload")
    if problem is None and (big := too_large(text)):
        problem = FormError("draft_text", big[0].upper() + big[1:])
    if problem is not None:
        return _page([problem], [], text if problem.target == "draft_text" else "", 422)
    try:
        with services().live.using() as ev:  # the catalogue in service is read, never changed; the trial is slow
            cat = ev.catalogue                # and compiles privately, so it runs without holding the reload lock
        result = try_draft(cat, services().record.engine, text, name)
    except RulesetError as e:
        log.info("page draft rejected problems=%d", len(e.problems))
        errors = [FormError("draft-problems", f"The draft cannot be used: {len(e.problems)} problem"
                                              f"{'' if len(e.problems) == 1 else 's'}, listed with line and column")]
        return _page(errors, list(e.problems), text, 422)
    except RecordUnavailable:
        return _page([FormError("draft_text", "The decision record cannot be read just now, so recorded "
                                              "referrals cannot be replayed: try again later")], [], text, 503)
    except ThresholdsError as e:
        return _page([FormError("draft_text", str(e))], [], text, 422)
    log.info("page draft in_force=%s draft=%s warnings=%d recorded=%d", result.in_force, result.draft,
             len(result.warnings), result.recorded.referrals)
    return _page([], [], text, trial=result, report=diff_report.build(result.comparison))
