"""Evaluating one referral under one ruleset: the live, cross-checked, recorded suggestion.

A "no suggestion" (the engine failed closed: channels disagreed, an error, over budget) is
still an answer, returned with HTTP 200 and ``kind: no_suggestion``, and it is recorded. If
the record cannot be written, no suggestion is returned at all: 503.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from flask import Blueprint, url_for

from engine.errors import FieldProblem, ReferralError
from engine.evaluate.suggestion import Suggestion
from engine.model.migration import migrate
from service.api import PREFIX
from service.api.models import EvaluateRequest, Evaluation, RecordRef
from service.auth import current_caller
from service.body import json_body
from service.context import services
from service.openapi import api_route
from service.problems import ApiProblem
from service.store.record import Recorded, RecordUnavailable

bp = Blueprint("evaluate", __name__, url_prefix=PREFIX)
log = logging.getLogger("thresholds.service")


def keep(items: Sequence[tuple[Mapping[str, Any], Suggestion]]) -> list[Recorded]:
    """Record every evaluation or fail closed with a 503 problem (and return nothing)."""
    try:
        return services().record.write(current_caller().name, items)
    except RecordUnavailable:
        raise ApiProblem(503, "Decision record unavailable",
                         "The evaluation could not be recorded, so no suggestion is returned. Use the threshold "
                         "document and consult a manager; if a child is in immediate danger, call 999.",
                         kind="record-unavailable", headers={"Retry-After": "30"}) from None


def ref(rec: Recorded) -> RecordRef:
    return RecordRef(id=rec.id, recorded_at=rec.recorded_at, url=url_for("records.get_record", record_id=rec.id))


def migrated_facts(facts: Mapping[str, Any], vocabulary_version: str | None) -> dict[str, Any]:
    """Facts in the current vocabulary: a declared older version is migrated, a bad one is a 422."""
    if vocabulary_version is None:
        return dict(facts)
    try:
        return migrate(facts, vocabulary_version).facts
    except ValueError as e:
        raise ReferralError([FieldProblem("/vocabulary_version", str(e))]) from None


@api_route(bp, "/evaluate", "POST", summary="Evaluate a referral under one ruleset", tag="evaluation",
           role="triage", body=EvaluateRequest, response=Evaluation, errors=(404, 503))
def evaluate() -> Any:
    """The suggestion for the referral facts under one authority's ruleset (the version in force
    today unless `version` or `as_of` is given), evaluated on both channels and recorded.

    `suggestion.kind` is `no_suggestion` when the engine failed closed: then use the threshold
    document and consult a manager. Facts that are not known are omitted or null."""
    req = json_body(EvaluateRequest)
    with services().live.using() as ev:
        loaded = ev.catalogue.select(req.ruleset, req.version, req.as_of)
        facts = migrated_facts(req.facts, req.vocabulary_version)
        suggestion = ev.evaluate(loaded, facts)
    (rec,) = keep([(facts, suggestion)])
    log.info("evaluated ruleset=%s kind=%s record=%s", loaded.key, suggestion.kind, rec.id)
    return Evaluation(record=ref(rec), suggestion=suggestion).model_dump(mode="json")
