"""Triage: choose the authority (and date), answer the referral questions, read the suggestion.

The form lists only the facts the chosen ruleset reads, with the questions that could trigger
a safety rule first (the order of engine/questions.py), then the rest by Assessment Framework
domain. The referral is posted, evaluated on both channels and written to the decision record
like an API evaluation; the result page is rendered straight from the POST (no redirect, no
copy in the session or the URL) and is ``no-store``, so the browser keeps nothing beyond the form.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from flask import abort, redirect, render_template, request, url_for

from engine.catalogue import Catalogue, LoadedRuleset
from engine.errors import UnknownRulesetError
from engine.questions import QuestionEngine
from engine.suggestion import Suggestion
from engine.vocabulary import FactValue
from service.app import services
from service.record import Recorded, RecordUnavailable
from service.web import bp
from service.web.form import DateAnswer, FormError, Posted, Section, parse, parse_date, sections
from service.web.signin import page_requires, signed_in

log = logging.getLogger("thresholds.service")
FIRST_QUESTIONS = 12
"""At most this many safety questions lead the form; the rest follow by domain."""


def authorities(cat: Catalogue) -> list[tuple[str, str]]:
    """(id, authority name) for every ruleset id, by name."""
    out = [(rid, cat.versions(rid)[-1].model.ruleset.authority) for rid in cat.ids()]
    return sorted(out, key=lambda p: p[1])


def indicator_counts(cat: Catalogue) -> dict[str, int]:
    """Local indicators encoded in each council's current ruleset (0: levels only)."""
    return {rid: len(cat.get(rid).model.indicators) for rid in cat.ids()}


def date_answer(values: Mapping[str, str]) -> DateAnswer:
    return DateAnswer(values.get("as_of-day", ""), values.get("as_of-month", ""), values.get("as_of-year", ""))


def record(items: Sequence[tuple[Mapping[str, FactValue], Suggestion]]) -> list[Recorded] | None:
    """Write every evaluation to the decision record; None if it cannot be written (fail closed)."""
    caller = signed_in()
    try:
        return services().record.write(caller.name if caller else "unknown", items)
    except RecordUnavailable:
        return None


def triage_sections(loaded: LoadedRuleset) -> list[Section]:
    with services().live.using() as ev:
        engine = QuestionEngine(ev.compiled(loaded))
        first = [q.fact for q in engine.next_questions({}, limit=FIRST_QUESTIONS).questions
                 if q.opening or q.safety]
        return sections(loaded.vocabulary, engine.form, first)


@bp.get("/triage", endpoint="triage_choose")
@page_requires("triage")
def choose() -> Any:
    cat = services().live.catalogue
    errors: list[FormError] = []
    answer = date_answer(request.args)
    if request.args.get("chosen"):
        rid = request.args.get("ruleset", "")
        day, problem = parse_date(answer, "as_of")
        if rid not in cat.ids():
            errors.append(FormError("ruleset", "Select the council whose threshold document applies"))
        if problem:
            errors.append(problem)
        if not errors:
            try:
                loaded = cat.get(rid, as_of=day)
            except UnknownRulesetError:
                errors.append(FormError("as_of-day", "No version of that council's threshold document was in "
                                                     "force on that date; choose another date or leave it blank"))
            else:
                args: dict[str, Any] = {"version": loaded.version} | ({"as_of": day.isoformat()} if day else {})
                return redirect(url_for("web.triage_form", ruleset_id=rid, **args), code=303)
    return render_template("web/triage_choose.html", authorities=authorities(cat), counts=indicator_counts(cat),
                           errors=errors,
                           chosen=request.args.get("ruleset", ""), date=answer, section="web.triage_choose"), \
        422 if errors else 200


def _loaded(ruleset_id: str, version: str | None) -> LoadedRuleset:
    try:
        return services().live.catalogue.get(ruleset_id, version=version or None)
    except UnknownRulesetError:
        abort(404, description=f"There is no threshold document '{ruleset_id}'"
                               + (f" version '{version}'" if version else "") + " in this service.")


@bp.get("/triage/<ruleset_id>", endpoint="triage_form")
@page_requires("triage")
def form(ruleset_id: str) -> Any:
    loaded = _loaded(ruleset_id, request.args.get("version"))
    return render_template("web/triage_form.html", loaded=loaded, sections=triage_sections(loaded), posted=None,
                           errors=[], as_of=request.args.get("as_of", ""), section="web.triage_choose")


@bp.post("/triage/<ruleset_id>", endpoint="triage_result")
@page_requires("triage")
def result(ruleset_id: str) -> Any:
    loaded = _loaded(ruleset_id, request.form.get("version"))
    secs = triage_sections(loaded)
    posted: Posted = parse(loaded.vocabulary, secs, request.form)
    if posted.errors:
        return render_template("web/triage_form.html", loaded=loaded, sections=secs, posted=posted,
                               errors=posted.errors, as_of=request.form.get("as_of", ""),
                               section="web.triage_choose"), 422
    with services().live.using() as ev:
        suggestion = ev.evaluate(loaded, posted.facts)
    recs = record([(posted.facts, suggestion)])
    if recs is None:
        return render_template("web/unrecorded.html", section="web.triage_choose"), 503
    log.info("page triage ruleset=%s kind=%s record=%s", loaded.key, suggestion.kind, recs[0].id)
    return render_template("web/result.html", s=suggestion, rec=recs[0], loaded=loaded,
                           today=dt.date.today().isoformat(), section="web.triage_choose")
