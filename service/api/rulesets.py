"""Reading rulesets: the list, one version as data or as a readable document, the vocabulary."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Response, request

from engine.errors import FieldProblem
from engine.evaluate.decision import replaced_by_ref
from engine.load.catalogue import LoadedRuleset
from engine.render.ruleset_document import to_html, to_markdown
from service.api import PREFIX
from service.api.models import (
    RULESET_ID,
    VERSION,
    ReferralSchema,
    RulesetData,
    RulesetList,
    RulesetSummary,
    VersionSummary,
    VocabularyData,
)
from service.context import services
from service.openapi import Param, api_route
from service.problems import ApiProblem

bp = Blueprint("rulesets", __name__, url_prefix=PREFIX)

RULESET_PARAM = Param("ruleset_id", "path", "Authority id, e.g. 'kent'.", {"type": "string", "pattern": RULESET_ID})
SELECT = (
    Param("version", "query", "A specific version (default: the one in force).",
          {"type": "string", "pattern": VERSION}),
    Param("as_of", "query", "The version in force on this date.", {"type": "string", "format": "date"}),
)


def selected(ruleset_id: str) -> LoadedRuleset:
    """The version named by ?version= and/or ?as_of= (default today); 404 or 422 otherwise."""
    version = request.args.get("version")
    as_of_text = request.args.get("as_of")
    problems = []
    as_of = None
    if as_of_text is not None:
        try:
            as_of = dt.date.fromisoformat(as_of_text)
        except ValueError:
            problems.append(FieldProblem("/as_of", "must be a date written YYYY-MM-DD"))
    if problems:
        raise ApiProblem(422, "Invalid request", "The query parameters are invalid.", errors=problems)
    return services().live.catalogue.select(ruleset_id, version=version, as_of=as_of)


def _summary(versions: list[LoadedRuleset], current: LoadedRuleset) -> RulesetSummary:
    info = current.model.ruleset
    return RulesetSummary(id=current.id, authority=info.authority, partnership=info.partnership,
                          current_version=current.version, versions=[
                              VersionSummary(version=r.version, sha256=r.sha256,
                                             effective_from=r.model.ruleset.effective_from,
                                             effective_to=r.model.ruleset.effective_to,
                                             published=r.model.ruleset.published,
                                             document_title=r.model.ruleset.document.title,
                                             document_url=r.model.ruleset.document.url,
                                             coverage=r.model.ruleset.coverage,
                                             replaced_by=replaced_by_ref(r.model.ruleset)) for r in versions])


@api_route(bp, "/rulesets", "GET", summary="List rulesets", tag="rulesets", role=None, response=RulesetList)
def list_rulesets() -> Any:
    """Every authority with its versions, effective dates, sha256 and source coverage."""
    cat = services().live.catalogue
    return RulesetList(rulesets=[_summary(cat.versions(i), cat.select(i)) for i in cat.ids()]).model_dump(mode="json")


@api_route(bp, "/rulesets/<ruleset_id>", "GET", summary="One ruleset version as data", tag="rulesets",
           role=None, response=RulesetData, params=(RULESET_PARAM, *SELECT), errors=(404,))
def get_ruleset(ruleset_id: str) -> Any:
    """The ruleset file's content (levels, indicators, combinations, overrides) as JSON."""
    r = selected(ruleset_id)
    data = r.model.model_dump(mode="json", by_alias=True, exclude_none=True)
    return RulesetData(id=r.id, version=r.version, sha256=r.sha256, ruleset=data).model_dump(mode="json")


@api_route(bp, "/rulesets/<ruleset_id>/document", "GET", summary="One ruleset version as a readable document",
           tag="rulesets", role=None, params=(RULESET_PARAM, *SELECT, Param(
               "format", "query", "markdown (default) or html", {"type": "string", "enum": ["markdown", "html"]})),
           media=("text/markdown", "text/html"), errors=(404,))
def ruleset_document(ruleset_id: str) -> Response:
    """Levels, indicators in plain English with citations, overrides and coverage notes."""
    fmt = request.args.get("format", "markdown")
    if fmt not in ("markdown", "html"):
        raise ApiProblem(422, "Invalid request", "The query parameters are invalid.",
                         errors=[FieldProblem("/format", "must be 'markdown' or 'html'")])
    r = selected(ruleset_id)
    if fmt == "html":
        return Response(to_html(r), mimetype="text/html")
    return Response(to_markdown(r), mimetype="text/markdown")


@api_route(bp, "/vocabulary", "GET", summary="The fact vocabulary", tag="rulesets", role=None,
           response=VocabularyData)
def vocabulary() -> Any:
    """Every fact a referral can carry: type, allowed values (least to most concerning), question."""
    return services().live.catalogue.vocabulary.model_dump(mode="json", by_alias=True, exclude_none=True)


@api_route(bp, "/referral-schema", "GET", summary="JSON Schema of a referral", tag="rulesets", role=None,
           response=ReferralSchema)
def referral_schema() -> Any:
    """The JSON Schema (2020-12) of `{"facts": {...}}`, generated from the vocabulary."""
    return services().live.catalogue.vocabulary.referral_schema()
