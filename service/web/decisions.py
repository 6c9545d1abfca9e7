"""Pages for the practitioner's decision: record it from the result page, the case-file summary,
the manager's approvals, and the practice figures for policy teams.

A worker sees and decides only the records they wrote (an admin sees all); the rest is the same
``service.store.decision`` rules as the API (a downgrade from safety waits for a different manager).
The practice chart is inline SVG (bars are SVG geometry, not styles, so the CSP holds).
"""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, request, url_for

from engine.model.outcome import ORDER, Outcome
from service.context import services
from service.store import summary
from service.store.decision import DecisionConflict, DecisionInvalid
from service.store.record import Recorded, RecordUnavailable
from service.web import bp
from service.web.signin import page_requires, signed_in


@bp.app_context_processor
def _decision_form() -> dict[str, Any]:
    """What the decision form (on the result page and the decision page) offers."""
    return {"decision_outcomes": ORDER, "decision_reason_codes": services().settings.reason_codes}


def _own(record_id: str, reviewers: bool = False) -> Recorded:
    """The record if the signed-in caller wrote it (or is admin, or with ``reviewers`` a manager who
    must read it to review a downgrade); 404 otherwise."""
    caller = signed_in()
    try:
        rec = services().record.get(record_id) if len(record_id) == 32 and record_id.isalnum() else None
    except RecordUnavailable:
        abort(503, description="The decision record cannot be read just now.")
    readers = ("admin", "manager") if reviewers else ("admin",)
    if rec is None or caller is None or (rec.caller != caller.name and caller.role not in readers):
        abort(404, description="There is no record with that id that you can read.")
    return rec


def _levels(rec: Recorded) -> dict[str, Outcome] | None:
    loaded = services().live.catalogue.by_sha(rec.suggestion.ruleset.sha256)
    return {lv.id: lv.outcome for lv in loaded.model.levels} if loaded else None


def _page(rec: Recorded, errors: list[dict[str, str]], posted: dict[str, str], status: int = 200) -> Any:
    try:
        found = services().decisions.for_record(rec.id)
    except RecordUnavailable:
        abort(503, description="The decision record cannot be read just now.")
    levels = _levels(rec)
    return render_template("web/record_decision.html", rec=rec, rec_id=rec.id, s=rec.suggestion, decisions=found,
                           errors=errors,
                           posted=posted, levels=levels or {}, open=any(d.status != "rejected" for d in found),
                           section="web.triage_choose"), status


@bp.get("/records/<record_id>/decision", endpoint="record_decision")
@page_requires("triage")
def decision_page(record_id: str) -> Any:
    return _page(_own(record_id), [], {})


@bp.post("/records/<record_id>/decision", endpoint="record_decision_post")
@page_requires("triage")
def decision_post(record_id: str) -> Any:
    rec = _own(record_id)
    fields = ("case_reference", "outcome", "level", "reason_code", "rationale")
    posted = {k: request.form.get(k, "").strip() for k in fields}
    body = {k: v for k, v in posted.items() if v}
    caller = signed_in()
    assert caller is not None
    try:
        services().decisions.record(rec.id, rec.suggestion, caller.name, body, _levels(rec))
    except DecisionInvalid as e:
        return _page(rec, [{"target": p.pointer.lstrip("/") or "outcome", "message": f"{p.pointer.lstrip('/')}: "
                            f"{p.message}"} for p in e.problems], posted, 422)
    except DecisionConflict as e:
        return _page(rec, [{"target": "outcome", "message": str(e)}], posted, 409)
    except RecordUnavailable:
        abort(503, description="The decision could not be written; nothing was recorded. Try again.")
    return redirect(url_for("web.record_decision", record_id=rec.id), code=303)


@bp.get("/records/<record_id>/summary", endpoint="record_summary")
@page_requires("triage")
def summary_page(record_id: str) -> Any:
    rec = _own(record_id, reviewers=True)
    try:
        found = services().decisions.for_record(rec.id)
    except RecordUnavailable:
        abort(503, description="The decision record cannot be read just now.")
    s = summary.build(rec, found, services().live.catalogue)
    return summary.html(s, css_href=url_for("web.static", filename="summary.css"))


@bp.get("/decisions/pending", endpoint="decisions_pending")
@page_requires("manager")
def pending() -> Any:
    try:
        found = services().decisions.pending()
    except RecordUnavailable:
        abort(503, description="The decision record cannot be read just now.")
    return render_template("web/decisions_pending.html", decisions=found, section="web.triage_choose",
                           error=request.args.get("error", ""))


@bp.post("/decisions/<decision_id>/review", endpoint="decision_review")
@page_requires("manager")
def review(decision_id: str) -> Any:
    caller = signed_in()
    assert caller is not None
    approve = request.form.get("review") == "approve"
    if request.form.get("review") not in ("approve", "reject"):
        abort(400, description="Choose approve or reject.")
    try:
        services().decisions.review(decision_id, caller.name, approve)
    except KeyError:
        abort(404, description="There is no such decision.")
    except DecisionConflict as e:
        found = services().decisions.pending()
        return render_template("web/decisions_pending.html", decisions=found, section="web.triage_choose",
                               error=str(e)), 409
    except RecordUnavailable:
        abort(503, description="The review could not be written. Try again.")
    return redirect(url_for("web.decisions_pending"), code=303)


@bp.get("/policy/practice", endpoint="policy_practice")
@page_requires("policy")
def practice() -> Any:
    try:
        figures = services().practice.figures()
    except RecordUnavailable:
        abort(503, description="The decision record cannot be read just now.")
    return render_template("web/policy_practice.html", f=figures, section="web.policy_index")
