"""Comparing rulesets for policy teams: the diff of two rulesets and the variation matrix.

Both run on the fast channel only (bulk work over hundreds or thousands of witness
referrals; its agreement with durable_rules is established by the differential tests), reuse
the live service's compiled rulesets, and record nothing: no referral of a real child is
involved, only witness referrals generated from the rulesets or a bank the caller sends.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated, Any

from flask import Blueprint, Response, request
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from engine.compare.comparison import RulesetComparison, compare
from engine.compare.scenarios import from_witnesses, parse_bank
from engine.compare.variation import MIN_INDICATORS, VariationMatrix, variation_matrix
from engine.compare.witness import witness_bank
from engine.errors import FieldProblem
from engine.evaluate.bulk import BulkEvaluator
from engine.load.catalogue import Catalogue, LoadedRuleset
from engine.render.diff_report import render as render_diff
from service.api import PREFIX
from service.api.models import IsoDate
from service.body import json_body
from service.context import services
from service.openapi import Param, api_route
from service.problems import ApiProblem

bp = Blueprint("variation", __name__, url_prefix=PREFIX)
log = logging.getLogger("thresholds.service")

SPEC = r"^[a-z][a-z0-9-]{0,63}(@[A-Za-z0-9][A-Za-z0-9._-]{0,39})?$"
MAX_API_SCENARIOS = 500
"""Bounded so that a request over the limit still fits the body cap (a 422, not a 413); larger
banks go through ``thresholds matrix --scenarios FILE``."""
Spec = Annotated[str, Field(pattern=SPEC, description="Authority id (version in force) or id@version.")]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DiffRequest(_Request):
    a: Spec
    b: Spec
    as_of: IsoDate | None = Field(default=None, description="Pick versions in force on this date.")


class ScenarioIn(_Request):
    id: str | None = Field(default=None, max_length=80)
    concern: str | None = Field(default=None, max_length=200)
    facts: dict[str, Any] = Field(max_length=1000)


class MatrixRequest(_Request):
    rulesets: list[Spec] | None = Field(default=None, min_length=1, max_length=200,
                                        description="Rulesets to compare; omit for every authority. With one "
                                        "ruleset the figures are trivial (kappa is null).")
    as_of: IsoDate | None = None
    scenarios: list[ScenarioIn] | None = Field(
        default=None, min_length=1, max_length=MAX_API_SCENARIOS,
        description="Referrals to evaluate; omit for the witness referrals of the rulesets compared.")
    min_indicators: Annotated[StrictInt, Field(ge=0, le=100_000)] = Field(
        default=MIN_INDICATORS, description="Stated coverage: rulesets with fewer local indicators are sparse and "
        "left out of the agreement figures (default 1: those with none).")
    include_sparse: StrictBool = Field(default=False, description="Count sparse rulesets in the agreement figures too.")


def _pick(cat: Catalogue, spec: str, as_of: dt.date | None) -> LoadedRuleset:
    """``id`` (the version in force on ``as_of``, default today) or ``id@version`` (that version)."""
    return cat.select(spec, as_of=as_of if "@" not in spec else None)


@api_route(bp, "/diff", "POST", summary="Compare two rulesets", tag="comparison", role="policy",
           body=DiffRequest, response=RulesetComparison, errors=(404,),
           params=(Param("format", "query", "json (default), markdown or html",
                         {"type": "string", "enum": ["json", "markdown", "html"]}),),
           media=("application/json", "text/markdown", "text/html"))
def diff() -> Any:
    """Structural diff (levels, indicators matched through the vocabulary, thresholds, combinations,
    local overrides, citations) and semantic diff (witness referrals that get a different canonical
    outcome, with both explanations; between versions, also those whose reasons changed)."""
    fmt = request.args.get("format", "json")
    if fmt not in ("json", "markdown", "html"):
        raise ApiProblem(422, "Invalid request", "The query parameters are invalid.",
                         errors=[FieldProblem("/format", "must be 'json', 'markdown' or 'html'")])
    req = json_body(DiffRequest)
    with services().live.using() as ev:
        a, b = _pick(ev.catalogue, req.a, req.as_of), _pick(ev.catalogue, req.b, req.as_of)
        result = compare(a, b, BulkEvaluator(source=ev.compiled))
    log.info("diff a=%s b=%s witnesses=%d differing=%d", a.key, b.key, result.semantic.witnesses_tried,
             result.semantic.differing)
    if fmt == "markdown":
        return Response(render_diff(result, "md"), mimetype="text/markdown")
    if fmt == "html":
        return Response(render_diff(result, "html"), mimetype="text/html")
    return result.model_dump(mode="json")


@api_route(bp, "/matrix", "POST", summary="Variation matrix across rulesets", tag="comparison", role="policy",
           body=MatrixRequest, response=VariationMatrix, errors=(404,))
def matrix() -> Any:
    """Every scenario under every chosen ruleset on the fast channel: outcome matrix, pairwise
    agreement, Fleiss' kappa and Krippendorff's ordinal alpha over the rulesets that meet the stated
    coverage (sparse ones are listed in `left_out` unless `include_sparse`), the most disputed concerns
    and a clustering order. Pictures are
    made by `thresholds matrix --out DIR`."""
    req = json_body(MatrixRequest)
    with services().live.using() as ev:
        cat = ev.catalogue
        specs = req.rulesets or cat.ids()
        chosen = [_pick(cat, s, req.as_of) for s in specs]
        bulk = BulkEvaluator(source=ev.compiled)
        if req.scenarios is not None:
            doc = [s.model_dump(exclude_none=True) for s in req.scenarios]
            scenarios = parse_bank({"scenarios": doc}, cat.vocabulary)
        else:
            scenarios = from_witnesses(witness_bank(chosen, bulk))
        m = variation_matrix(chosen, scenarios, bulk, min_indicators=req.min_indicators,
                             include_sparse=req.include_sparse)
    log.info("matrix rulesets=%d scenarios=%d", len(chosen), m.scenarios)
    return m.model_dump(mode="json")
