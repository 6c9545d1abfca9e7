"""Trying a draft revision through the API (policy role): ``POST /api/v1/drafts``.

The same trial as the policy page (``service.drafts.try_draft``): the draft's YAML is validated
and linted in a private copy of the rulesets, compared with the version in force on witness
referrals, and the facts recorded under that authority are replayed under both versions. The
draft never goes live and nothing is recorded. A draft that cannot be used is a 422 whose
``files`` entries give line and column in the draft; an invalid body is a 422 with JSON pointers.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint
from pydantic import BaseModel, ConfigDict, Field

from engine.errors import FieldProblem, Problem, ThresholdsError
from service.api import PREFIX
from service.body import json_body
from service.context import services
from service.drafts import MAX_DRAFT_BYTES, DraftTrial, too_large, try_draft
from service.openapi import api_route
from service.problems import ApiProblem, file_errors
from service.store.record import RecordUnavailable

bp = Blueprint("drafts", __name__, url_prefix=PREFIX)
log = logging.getLogger("thresholds.service")


class DraftRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    yaml: str = Field(min_length=1, max_length=MAX_DRAFT_BYTES,
                      description="The draft ruleset's YAML; it must say `status: draft` and a new version.")
    name: str = Field(default="draft.yaml", min_length=1, max_length=120, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
                      description="The file name problems and findings are located by.")


@api_route(bp, "/drafts", "POST", summary="Try a draft revision without it going live", tag="comparison",
           role="policy", body=DraftRequest, response=DraftTrial, errors=(503,))
def try_draft_route() -> Any:
    """Validation and lint findings (line and column), the diff against the authority's version in
    force on witness referrals, and recorded referrals' facts replayed under both versions (how many
    would move up or down, by concern and by outcome). The draft is never in force, never offered
    for triage and nothing is recorded."""
    req = json_body(DraftRequest)
    big = too_large(req.yaml)
    if big:
        raise ApiProblem(422, "Invalid request", "The request body is invalid.", errors=[FieldProblem("/yaml", big)])
    try:
        with services().live.using() as ev:  # read the catalogue in service (never changed); the trial is slow
            cat = ev.catalogue                # and compiles privately, so it runs without holding the reload lock
        trial: DraftTrial = try_draft(cat, services().record.engine, req.yaml, req.name)
    except RecordUnavailable:
        raise ApiProblem(503, "Decision record unavailable", "The decision record cannot be read, so recorded "
                         "referrals cannot be replayed; try again later.", kind="record-unavailable",
                         headers={"Retry-After": "30"}) from None
    except ThresholdsError as e:
        problems = getattr(e, "problems", None) or [Problem(req.name, 1, 1, str(e))]
        raise ApiProblem(422, "Invalid draft", "The draft cannot be used as a ruleset.", kind="invalid-draft",
                         extra={"files": file_errors(problems)}) from None
    log.info("draft in_force=%s draft=%s warnings=%d recorded=%d", trial.in_force, trial.draft, len(trial.warnings),
             trial.recorded.referrals)
    return trial.model_dump(mode="json")
