"""The decision record over HTTP: read a record, replay it, list one's own, statistics.

A caller sees only the records it wrote, unless it is an admin; another caller's record is
reported as not found, so record ids cannot be probed. Statistics carry counts only.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, request

from engine.errors import FieldProblem
from service.api import PREFIX
from service.api.models import RecordData, RecordList, Statistics
from service.auth import current_caller
from service.context import services
from service.openapi import Param, api_route
from service.problems import ApiProblem
from service.store.record import Recorded, RecordUnavailable
from service.store.replay import NotReplayable, ReplayResult, replay

bp = Blueprint("records", __name__, url_prefix=PREFIX)
RECORD_ID = re.compile(r"^[0-9a-f]{32}$")
RECORD_PARAM = Param("record_id", "path", "Record id (32 hex digits).", {"type": "string", "pattern": "^[0-9a-f]{32}$"})


def _unavailable() -> ApiProblem:
    return ApiProblem(503, "Decision record unavailable", "The decision record cannot be read just now.",
                      kind="record-unavailable", headers={"Retry-After": "30"})


def visible(record_id: str) -> Recorded:
    """The record if this caller may see it; 404 otherwise (existence is not revealed)."""
    if not RECORD_ID.match(record_id):
        raise ApiProblem(404, "Record not found", "record ids are 32 hexadecimal digits")
    try:
        rec = services().record.get(record_id)
    except RecordUnavailable:
        raise _unavailable() from None
    caller = current_caller()
    if rec is None or (rec.caller != caller.name and caller.role != "admin"):
        raise ApiProblem(404, "Record not found", f"no record '{record_id}' that this caller can read")
    return rec


@api_route(bp, "/records", "GET", summary="List recent records", tag="records", role="triage", response=RecordList,
           params=(Param("limit", "query", "At most this many (1-500, default 50).",
                         {"type": "integer", "minimum": 1, "maximum": 500}),), errors=(503,))
def list_records() -> Any:
    """Your own records, newest first (an admin sees every caller's). No facts are listed."""
    text = request.args.get("limit", "50")
    if not text.isdigit() or not 1 <= int(text) <= 500:
        raise ApiProblem(422, "Invalid request", "The query parameters are invalid.",
                         errors=[FieldProblem("/limit", "must be a whole number from 1 to 500")])
    caller = current_caller()
    try:
        rows = services().record.recent(None if caller.role == "admin" else caller.name, int(text))
    except RecordUnavailable:
        raise _unavailable() from None
    return RecordList.model_validate({"records": rows}).model_dump(mode="json")


@api_route(bp, "/records/<record_id>", "GET", summary="Read one record", tag="records", role="triage",
           response=RecordData, params=(RECORD_PARAM,), errors=(404, 503))
def get_record(record_id: str) -> Any:
    """Who asked, when, the facts as sent and the whole suggestion as returned."""
    rec = visible(record_id)
    return RecordData(id=rec.id, recorded_at=rec.recorded_at, caller=rec.caller, facts=rec.facts,
                      suggestion=rec.suggestion).model_dump(mode="json")


@api_route(bp, "/records/<record_id>/replay", "POST", summary="Replay a record", tag="records", role="triage",
           response=ReplayResult, params=(RECORD_PARAM,), errors=(404, 409, 503))
def replay_record(record_id: str) -> Any:
    """Evaluate the recorded facts again under the recorded ruleset version (found by sha256) with
    today's engine, and report whether the suggestion is identical (evaluation time aside), or
    every difference by JSON Pointer. 409 if that ruleset version is no longer loaded."""
    rec = visible(record_id)
    with services().live.using() as ev:
        try:
            result = replay(ev, rec)
        except NotReplayable as e:
            raise ApiProblem(409, "Ruleset version not loaded", str(e), kind="not-replayable") from None
    return result.model_dump(mode="json")


@api_route(bp, "/records/statistics", "GET", summary="Record statistics", tag="records", role="policy",
           response=Statistics, errors=(503,))
def statistics() -> Any:
    """How many evaluations each ruleset version gave at each outcome (counts only)."""
    try:
        rows = services().record.statistics()
    except RecordUnavailable:
        raise _unavailable() from None
    return Statistics.model_validate({"counts": rows}).model_dump(mode="json")
