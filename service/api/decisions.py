"""The practitioner's decision over HTTP: record it beside a record, approve or reject downgrades, figures.

A worker (triage) records a decision on a record it can read. A downgrade from safety stays
pending until a different caller with the ``manager`` role approves or rejects it; approving
one's own decision or reviewing twice is 409 problem+json. Practice figures are for ``policy``.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, request
from pydantic import BaseModel, ConfigDict, Field

from engine.errors import FieldProblem, ThresholdsError
from engine.model.outcome import Outcome
from service.api import PREFIX
from service.api.records import RECORD_PARAM, _unavailable, visible
from service.auth import current_caller
from service.body import json_document
from service.config import REASON_CODE
from service.context import services
from service.openapi import Param, api_route
from service.problems import ApiProblem
from service.store import summary
from service.store.decision import CASE_REFERENCE, RATIONALE_MAX, Decision, DecisionConflict, DecisionInvalid
from service.store.practice import PracticeFigures
from service.store.record import RecordUnavailable

bp = Blueprint("decisions", __name__, url_prefix=PREFIX)
DECISION_ID = re.compile(r"^[0-9a-f]{32}$")
DECISION_PARAM = Param("decision_id", "path", "Decision id (32 hex digits).",
                       {"type": "string", "pattern": "^[0-9a-f]{32}$"})


class DecisionRequest(BaseModel):
    """What the practitioner decided (documentation of the body; validated by service.store.decision)."""

    model_config = ConfigDict(extra="forbid")
    case_reference: str = Field(pattern=CASE_REFERENCE.pattern, description="Opaque case reference (not a name).")
    outcome: Outcome = Field(description="The canonical outcome decided.")
    level: str | None = Field(default=None, min_length=1, max_length=40,
                              description="The local level id decided (must sit at that outcome; 409 otherwise).")
    reason_code: str | None = Field(default=None, pattern=REASON_CODE.pattern, description="Required when the "
                                    "decision differs from the suggestion, and one of the deployment's reason codes "
                                    "(GET .../decisions lists them); 409 otherwise.")
    rationale: str | None = Field(default=None, max_length=RATIONALE_MAX,
                                  description="Optional, never logged, left out of exports.")


class DecisionData(BaseModel):
    id: str
    record_id: str
    case_reference: str
    decided_by: str
    decided_at: str
    outcome: Outcome
    level: str | None
    direction: str = Field(description="agrees, override_up, override_down or no_suggestion.")
    reason_code: str | None
    status: str = Field(description="recorded, pending_approval, approved or rejected.")
    reviewed_by: str | None
    reviewed_at: str | None
    rationale: str | None = None


class DecisionList(BaseModel):
    decisions: list[DecisionData]
    reason_codes: list[str]


def _conflict(e: DecisionConflict) -> ApiProblem:
    return ApiProblem(409, "Decision conflict", str(e), kind=e.kind)


def _out(d: Decision, with_rationale: bool = True) -> dict[str, Any]:
    return DecisionData.model_validate(d.public(with_rationale)).model_dump(mode="json")


@api_route(bp, "/records/<record_id>/decisions", "POST", summary="Record the practitioner's decision",
           tag="decisions", role="triage", body=DecisionRequest, response=DecisionData, params=(RECORD_PARAM,),
           errors=(400, 404, 409, 413, 415, 422, 503), status=201)
def record_decision(record_id: str) -> Any:
    """Record what the practitioner decided beside the recorded suggestion (never edited). A decision
    below a child-protection-or-higher suggestion, or below one a national safety rule shaped, is
    `pending_approval` until a different manager reviews it. 409 if the record already has a standing
    decision."""
    rec = visible(record_id)
    doc = json_document()
    svc = services()
    levels: dict[str, Outcome] | None = None
    loaded = svc.live.catalogue.by_sha(rec.suggestion.ruleset.sha256)
    if loaded is not None:
        levels = {lv.id: lv.outcome for lv in loaded.model.levels}
    try:
        d = svc.decisions.record(rec.id, rec.suggestion, current_caller().name, doc, levels)
    except DecisionInvalid as e:
        if e.contextual:
            raise ApiProblem(409, "Decision does not fit this record", "The decision does not fit the recorded "
                             "suggestion, its ruleset or this deployment's reason codes.", kind="decision-inconsistent",
                             errors=e.problems) from None
        raise ApiProblem(422, "Invalid request", "The decision is not valid.", errors=e.problems) from None
    except DecisionConflict as e:
        raise _conflict(e) from None
    except RecordUnavailable:
        raise _unavailable() from None
    return _out(d), 201


@api_route(bp, "/records/<record_id>/decisions", "GET", summary="Decisions on a record", tag="decisions",
           role="triage", response=DecisionList, params=(RECORD_PARAM,), errors=(404, 503))
def record_decisions(record_id: str) -> Any:
    """Every decision recorded on this record, oldest first (a rejected one stays on file)."""
    rec = visible(record_id)
    try:
        found = services().decisions.for_record(rec.id)
    except RecordUnavailable:
        raise _unavailable() from None
    return {"decisions": [_out(d) for d in found], "reason_codes": list(services().settings.reason_codes)}


@api_route(bp, "/decisions/pending", "GET", summary="Downgrades awaiting a manager", tag="decisions",
           role="manager", response=DecisionList, errors=(503,))
def pending() -> Any:
    """Decisions below a safety-level suggestion that wait for a second person."""
    try:
        found = services().decisions.pending()
    except RecordUnavailable:
        raise _unavailable() from None
    return {"decisions": [_out(d) for d in found], "reason_codes": list(services().settings.reason_codes)}


def _review(decision_id: str, approve: bool) -> Any:
    if not DECISION_ID.match(decision_id):
        raise ApiProblem(404, "Decision not found", "decision ids are 32 hexadecimal digits")
    try:
        d = services().decisions.review(decision_id, current_caller().name, approve)
    except KeyError:
        raise ApiProblem(404, "Decision not found", f"no decision '{decision_id}'") from None
    except DecisionConflict as e:
        raise _conflict(e) from None
    except RecordUnavailable:
        raise _unavailable() from None
    return _out(d)


@api_route(bp, "/decisions/<decision_id>/approve", "POST", summary="Approve a downgrade", tag="decisions",
           role="manager", response=DecisionData, params=(DECISION_PARAM,), errors=(404, 409, 503))
def approve(decision_id: str) -> Any:
    """A different manager approves a pending downgrade. 409 for one's own decision or one already reviewed."""
    return _review(decision_id, True)


@api_route(bp, "/decisions/<decision_id>/reject", "POST", summary="Reject a downgrade", tag="decisions",
           role="manager", response=DecisionData, params=(DECISION_PARAM,), errors=(404, 409, 503))
def reject(decision_id: str) -> Any:
    """A different manager rejects a pending downgrade; the worker may then record a new decision."""
    return _review(decision_id, False)


@api_route(bp, "/practice", "GET", summary="Practice figures", tag="decisions", role="policy",
           response=PracticeFigures, errors=(503,))
def practice() -> Any:
    """Agreement between suggestions and decisions (percentage and linear weighted kappa), override rates
    by rule, council, ruleset version and reason code, and the downgrades from safety levels."""
    try:
        return services().practice.figures().model_dump(mode="json")
    except RecordUnavailable:
        raise _unavailable() from None




@api_route(bp, "/records/<record_id>/summary", "GET", summary="Case-file summary", tag="decisions", role="triage",
           params=(RECORD_PARAM, Param("format", "query", "html (default, with print CSS) or pdf (A4)",
                                       {"type": "string", "enum": ["html", "pdf"]})),
           media=("text/html", "application/pdf"), errors=(404, 422, 503))
def case_summary(record_id: str) -> Any:
    """One or two printed pages for the case file: the answers given and those left unknown, the
    suggestion and its range, what decided it, required safety actions, the decision with reason and
    approver, and the ruleset, version, sha256, engine version and time. No rationale."""
    fmt = request.args.get("format", "html")
    if fmt not in ("html", "pdf"):
        raise ApiProblem(422, "Invalid request", "The query parameters are invalid.",
                         errors=[FieldProblem("/format", "must be 'html' or 'pdf'")])
    rec = visible(record_id)
    try:
        found = services().decisions.for_record(rec.id)
    except RecordUnavailable:
        raise _unavailable() from None
    s = summary.build(rec, found, services().live.catalogue)
    doc = summary.html(s)
    if fmt == "html":
        return Response(doc, mimetype="text/html")
    try:
        return Response(summary.pdf(doc), mimetype="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="summary-{rec.id}.pdf"'})
    except ThresholdsError as e:
        raise ApiProblem(503, "PDF unavailable", str(e), kind="pdf-unavailable") from None
