"""One referral under several (or all) authorities, side by side on the national outcome scale.

Local level numbers are labels, not a shared scale, so the columns are aligned by canonical
outcome. Every column is a live, cross-checked evaluation and is recorded like ``/evaluate``.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint

from engine.evaluate.across import across_councils
from engine.model.outcome import ORDER
from service.api import PREFIX
from service.api.evaluate import keep, ref
from service.api.models import AlignedCell, AlignedOutcome, ComparedRuleset, CompareRequest, Comparison
from service.body import json_body
from service.context import services
from service.openapi import api_route

bp = Blueprint("compare", __name__, url_prefix=PREFIX)
log = logging.getLogger("thresholds.service")


@api_route(bp, "/compare", "POST", summary="Compare a referral across rulesets", tag="evaluation",
           role="triage", body=CompareRequest, response=Comparison, errors=(404, 503))
def compare() -> Any:
    """The referral evaluated under each listed authority (or every one), with the suggestions
    aligned by canonical outcome. An authority named in `rulesets` that has no version in force
    on `as_of` is a 404; when every authority is compared, such authorities are listed in
    `not_in_force`."""
    req = json_body(CompareRequest)
    day = req.as_of
    with services().live.using() as ev:
        across = across_councils(ev, req.facts, sorted(set(req.rulesets)) if req.rulesets else None, day,
                                 strict=bool(req.rulesets))
    results, missing = across.results, list(across.not_in_force)
    recs = keep([(req.facts, s) for _, s in results])
    columns = [ComparedRuleset(ruleset=r.key, record=ref(rec), suggestion=s) for (r, s), rec in zip(results, recs)]
    aligned = [AlignedOutcome(outcome=o, label=o.label, rulesets=[
        AlignedCell(ruleset=c.ruleset, level=c.suggestion.level.id if c.suggestion.level else None,
                    level_label=c.suggestion.level.label if c.suggestion.level else None)
        for c in columns if c.suggestion.outcome == o]) for o in ORDER]
    log.info("compared rulesets=%d records=%d", len(columns), len(recs))
    return Comparison(results=columns, outcomes=aligned,
                      no_suggestion=[c.ruleset for c in columns if c.suggestion.kind == "no_suggestion"],
                      not_in_force=missing).model_dump(mode="json")
