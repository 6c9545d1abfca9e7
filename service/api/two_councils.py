"""Same child, two councils, through the API: ``POST /api/v1/two-councils``.

The referral is evaluated live under council A and council B (both recorded, like /compare),
and the answer adds the rules matched on one side only, with citations, and the smallest change
of the facts that would make the two councils agree (``engine.compare.two_councils``).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated, Any

from flask import Blueprint
from pydantic import BaseModel, Field, StrictInt

from engine.compare.two_councils import MAX_CHANGES, TwoCouncils, beside
from service.api import PREFIX
from service.api.evaluate import keep, ref
from service.api.models import RULESET_ID, VERSION, Facts, IsoDate, RecordRef, _Request
from service.body import json_body
from service.context import services
from service.openapi import api_route

bp = Blueprint("two_councils", __name__, url_prefix=PREFIX)
log = logging.getLogger("thresholds.service")


class TwoCouncilsRequest(_Request):
    a: str = Field(pattern=RULESET_ID, description="Council A's authority id (the referral's own council).")
    a_version: str | None = Field(default=None, pattern=VERSION, description="A specific version of A.")
    b: str = Field(pattern=RULESET_ID, description="Council B's authority id, shown beside A.")
    as_of: IsoDate | None = Field(default=None, description="The versions in force on this date (default today).")
    max_changes: Annotated[StrictInt, Field(ge=1, le=MAX_CHANGES)] = Field(
        default=2, description="The most facts a change may alter in the search for agreement.")
    facts: Facts


class TwoCouncilsAnswer(BaseModel):
    records: list[RecordRef] = Field(description="Where A's and B's evaluations are kept (A first).")
    result: TwoCouncils


@api_route(bp, "/two-councils", "POST", summary="The same referral under two councils, and what would make them "
           "agree", tag="evaluation", role="triage", body=TwoCouncilsRequest, response=TwoCouncilsAnswer,
           errors=(404, 503))
def two_councils_route() -> Any:
    """Both suggestions (live, cross-checked, recorded), the rules matched under one council and
    not the other (with citations), and the changes of the fewest facts (at most `max_changes`)
    under which both suggest the same national outcome; `finding` says when none exists within
    the bound. This describes how the documents differ; it is not advice to record other facts."""
    req = json_body(TwoCouncilsRequest)
    day = dt.date.fromisoformat(req.as_of) if req.as_of else None
    with services().live.using() as ev:
        a = ev.catalogue.select(req.a, req.a_version, day)
        b = ev.catalogue.select(req.b, None, day)
        result = beside(ev, a, b, req.facts, req.max_changes)
    recs = keep([(req.facts, result.a), (req.facts, result.b)])
    log.info("two councils a=%s b=%s agree=%s searched=%s found=%d", a.key, b.key, result.agree, result.searched,
             result.smallest_found)
    return TwoCouncilsAnswer(records=[ref(r) for r in recs], result=result).model_dump(mode="json")
