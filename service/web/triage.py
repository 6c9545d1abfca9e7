"""Triage: choose the council, then answer a few questions at a time, then read the suggestion.

The journey runs on the same question engine as ``thresholds triage``: the screens are those of
:mod:`engine.triage.screens` (the child's age and immediate danger, the national safety checklist,
then the engine's next questions a few at a time), so a step never shows more than a dozen
questions and only questions that could still change the result. Every step has "Get the
suggestion now", which shows the current result (range, safety actions, questions left).

Answers are never lost: every POST saves the answers server-side (:mod:`service.web.answers`)
and redirects (Post/Redirect/Get), so Back, Forward, reload and a citation round trip all
land on GET pages drawn from the kept answers. The result page has "Check your answers" with
Change links, and every question to ask links to a page that answers it. Nothing is
pre-selected: an unanswered question is unknown, and "Not known" is an explicit answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from flask import abort, redirect, render_template, request, session, url_for

from engine.errors import UnknownRulesetError
from engine.evaluate.decision import replaced_by_ref
from engine.evaluate.evaluator import Evaluator
from engine.evaluate.suggestion import ReplacedBy, Suggestion
from engine.load.catalogue import Catalogue, LoadedRuleset
from engine.model.vocabulary import FactValue, IntegerFact
from engine.triage.questions import question_engine
from engine.triage.screens import (
    NONE_OF_THESE,
    NOT_KNOWN_YET,
    ConcernChoice,
    Screen,
    answer_checklist,
    next_screen,
    presenting_choices,
)
from service.context import services
from service.store.record import Recorded, RecordUnavailable
from service.web import answers, bp
from service.web.form import (
    NOT_KNOWN,
    AgeAnswer,
    DateAnswer,
    FormError,
    FormField,
    Section,
    form_field,
    parse,
    parse_age,
    parse_date,
)
from service.web.signin import page_requires, signed_in

log = logging.getLogger("thresholds.service")
AGE = "child_age_months"
COUNCIL = "triage_council"
"""Session keys remembering the council and referral date chosen last (not facts about a child)."""
AS_OF = "triage_as_of"
CONCERN = "concern"
"""The form field of "What is the main concern?" (on the opening step; ordering only, never a fact)."""
NOT_SURE_LABEL = "Not sure / several"


def authorities(cat: Catalogue) -> list[tuple[str, str]]:
    """(id, authority name) for every ruleset id, by name."""
    out = [(rid, cat.versions(rid)[-1].model.ruleset.authority) for rid in cat.ids()]
    return sorted(out, key=lambda p: p[1])


def indicator_counts(cat: Catalogue) -> dict[str, int]:
    """Local indicators encoded in each council's current ruleset (0: levels only)."""
    return {rid: len(cat.select(rid).model.indicators) for rid in cat.ids()}


def replacements(cat: Catalogue) -> dict[str, ReplacedBy]:
    """Councils whose current document has been (or may have been) replaced by one not encoded: the chooser says so."""
    return {rid: rep for rid in cat.ids() if (rep := replaced_by_ref(cat.select(rid).model.ruleset)) is not None}


def date_answer(values: Mapping[str, str], name: str = "as_of") -> DateAnswer:
    return DateAnswer(values.get(f"{name}-day", ""), values.get(f"{name}-month", ""), values.get(f"{name}-year", ""))


def record(items: Sequence[tuple[Mapping[str, FactValue], Suggestion]]) -> list[Recorded] | None:
    """Write every evaluation to the decision record; None if it cannot be written (fail closed)."""
    caller = signed_in()
    try:
        return services().record.write(caller.name if caller else "unknown", items)
    except RecordUnavailable:
        return None


# --- choosing the council -----------------------------------------------------------------------
@bp.route("/triage", methods=["GET", "POST"], endpoint="triage_choose")
@page_requires("triage")
def choose() -> Any:
    cat = services().live.catalogue
    errors: list[FormError] = []
    if request.method == "POST":
        answer = date_answer(request.form)
        rid = request.form.get("ruleset", "")
        day, problem = parse_date(answer, "as_of")
        if rid not in cat.ids():
            errors.append(FormError("ruleset", "Select the council whose threshold document applies"))
        if problem:
            errors.append(problem)
        if not errors:
            try:
                with services().live.using() as ev:
                    loaded = ev.catalogue.select(rid, as_of=day)
            except UnknownRulesetError:
                errors.append(FormError("as_of-day", "No version of that council's threshold document was in "
                                                     "force on that date; choose another date or leave it blank"))
            else:
                session[COUNCIL] = rid
                session[AS_OF] = day.isoformat() if day else ""
                j = answers.start(rid, loaded.version, day.isoformat() if day else "")
                log.info("page triage start ruleset=%s", loaded.key)
                return redirect(url_for("web.triage_next", journey_id=j.id), code=303)
        chosen = rid
    else:
        remembered = session.get(AS_OF)
        day = dt.date.fromisoformat(remembered) if isinstance(remembered, str) and remembered else None
        answer = DateAnswer(str(day.day), str(day.month), str(day.year)) if day else DateAnswer()
        council = session.get(COUNCIL)
        chosen = council if isinstance(council, str) else ""
    return render_template("web/triage_choose.html", authorities=authorities(cat), counts=indicator_counts(cat),
                           replaced=replacements(cat), errors=errors, chosen=chosen,
                           date=answer, section="web.triage_choose"), 422 if errors else 200


# --- the journey --------------------------------------------------------------------------------
class Context:
    """A journey with its ruleset and question engine, for one request."""

    def __init__(self, journey: answers.Journey, ev: Evaluator) -> None:
        self.j = journey
        try:
            self.loaded: LoadedRuleset = ev.catalogue.select(self.j.ruleset, version=self.j.version)
        except UnknownRulesetError:
            abort(404, description="The threshold document of this triage is no longer in this service. "
                                   "Start a new triage.")
        self.engine = question_engine(ev.compiled(self.loaded))

    @classmethod
    def open(cls, journey_id: str) -> Context:
        """The journey with its ruleset chosen and compiled under one hold of the live rulesets."""
        journey = answers.load(journey_id)
        with services().live.using() as ev:
            return cls(journey, ev)

    @property
    def referral_date(self) -> dt.date:
        return dt.date.fromisoformat(self.j.as_of) if self.j.as_of else dt.date.today()

    def norm(self) -> dict[str, Any]:
        return dict(self.loaded.vocabulary.normalise(self.j.facts))

    def next(self) -> Screen | None:
        shown = {f for s in self.j.screens if s["kind"] == "checklist" for f in s["facts"]}
        return next_screen(self.engine, self.norm(), self.j.unknown(), shown, self.j.presenting)

    def concerns(self) -> list[ConcernChoice]:
        """The answers to "What is the main concern?" for this council's ruleset."""
        return presenting_choices(self.engine)

    def concern_label(self) -> str:
        """The main concern as the summary shows it."""
        if self.j.concern == answers.NOT_SURE:
            return NOT_SURE_LABEL
        return next((c.label for c in self.concerns() if c.concern == self.j.concern), "Not answered")

    def field(self, fact_id: str) -> FormField:
        return form_field(self.loaded.vocabulary.fact(fact_id))

    def ticked(self, screen: Screen) -> list[str]:
        """A checklist's boxes as last answered: the items ticked, or one of the exclusive answers."""
        facts = self.j.facts
        if screen.facts and all(facts.get(f) is False for f in screen.facts):
            return [NONE_OF_THESE]
        if screen.facts and all(f in self.j.not_known for f in screen.facts):
            return [NOT_KNOWN_YET]
        return [f for f in screen.facts if facts.get(f) is True]

    def shown(self, fact_id: str) -> str:
        """The current answer as a form value ('' when unanswered)."""
        if fact_id in self.j.not_known:
            return NOT_KNOWN
        v = self.j.facts.get(fact_id)
        if v is None:
            return ""
        if isinstance(v, bool):
            return "yes" if v else "no"
        return str(v)


def _step_screen(ctx: Context, step: int) -> Screen:
    if not 1 <= step <= len(ctx.j.screens):
        abort(404, description="That step of this triage has not been reached yet.")
    return Screen.model_validate(ctx.j.screens[step - 1])


@bp.get("/triage/<journey_id>/next", endpoint="triage_next")
@page_requires("triage")
def next_step(journey_id: str) -> Any:
    """Go on from the last step: show the next screen, or the result when nothing is left to ask."""
    ctx = Context.open(journey_id)
    screen = ctx.next()
    if screen is None:
        return redirect(url_for("web.triage_result", journey_id=journey_id), code=303)
    last = Screen.model_validate(ctx.j.screens[-1]) if ctx.j.screens else None
    if last != screen:
        ctx.j.screens.append(screen.model_dump(mode="json"))
        answers.save(ctx.j)
    return redirect(url_for("web.triage_step", journey_id=journey_id, step=len(ctx.j.screens)), code=303)


@bp.route("/triage/<journey_id>/step/<int:step>", methods=["GET", "POST"], endpoint="triage_step")
@page_requires("triage")
def step_page(journey_id: str, step: int) -> Any:
    ctx = Context.open(journey_id)
    screen = _step_screen(ctx, step)
    errors: list[FormError] = []
    if request.method == "POST":
        errors = _save(ctx, screen, request.form, concern=screen.kind == "opening")
        if not errors:
            del ctx.j.screens[step:]  # later screens are recomputed from the answers (which are all kept)
            answers.save(ctx.j)
            log.info("page triage step ruleset=%s step=%d kind=%s", ctx.loaded.key, step, screen.kind)
            if request.form.get("action") == "now":
                return redirect(url_for("web.triage_result", journey_id=journey_id), code=303)
            return redirect(url_for("web.triage_next", journey_id=journey_id), code=303)
    back = url_for("web.triage_step", journey_id=journey_id, step=step - 1) if step > 1 else url_for(
        "web.triage_choose")
    return render_template("web/journey_step.html", ctx=ctx, screen=screen, step=step, errors=errors,
                           form=request.form if errors else None, back=back, section="web.triage_choose",
                           ask_concern=screen.kind == "opening"), 422 if errors else 200


@bp.route("/triage/<journey_id>/concern", methods=["GET", "POST"], endpoint="triage_concern")
@page_requires("triage")
def concern_page(journey_id: str) -> Any:
    """Change the main concern (from "Check your answers"): it reorders the questions still to ask."""
    ctx = Context.open(journey_id)
    return _change(ctx, journey_id, Screen(kind="opening", title="Change your answer", facts=[]), concern=True)


@bp.route("/triage/<journey_id>/question/<fact_id>", methods=["GET", "POST"], endpoint="triage_question")
@page_requires("triage")
def question_page(journey_id: str, fact_id: str) -> Any:
    """Answer or change one question (from "Check your answers" or a question to ask)."""
    ctx = Context.open(journey_id)
    if fact_id not in ctx.engine.form:
        abort(404, description="This council's threshold document does not use that question.")
    screen = Screen(kind="opening" if fact_id == AGE else "questions", title="Change your answer", facts=[fact_id])
    return _change(ctx, journey_id, screen, concern=False)


def _change(ctx: Context, journey_id: str, screen: Screen, concern: bool) -> Any:
    """One answer changed from "Check your answers": saved, then back there; or the page with its errors."""
    errors: list[FormError] = []
    if request.method == "POST":
        errors = _save(ctx, screen, request.form, concern=concern)
        if not errors:
            answers.save(ctx.j)
            log.info("page triage change ruleset=%s", ctx.loaded.key)
            return redirect(url_for("web.triage_result", journey_id=journey_id) + "#check-answers", code=303)
    back = url_for("web.triage_result", journey_id=journey_id)
    return render_template("web/journey_step.html", ctx=ctx, screen=screen, step=None, errors=errors,
                           form=request.form if errors else None, back=back, section="web.triage_choose",
                           ask_concern=concern), 422 if errors else 200


def _save(ctx: Context, screen: Screen, form: Mapping[str, str], concern: bool = False) -> list[FormError]:
    """Save a posted screen's answers into the journey; the problems if any answer is invalid.

    ``concern``: the screen asks "What is the main concern?" (kept beside the facts, never as one).
    """
    j = ctx.j
    if screen.kind == "checklist":
        ticked = request.form.getlist("checklist")
        exclusive = [t for t in ticked if t in (NONE_OF_THESE, NOT_KNOWN_YET)]
        items = [t for t in ticked if t not in (NONE_OF_THESE, NOT_KNOWN_YET)]
        try:
            if len(exclusive) > 1:
                raise ValueError("Select 'None of these' or 'Not known yet', not both")
            result = answer_checklist(screen, items, exclusive[0] if exclusive else None)
        except ValueError as e:
            return [FormError("checklist", str(e))]
        for f in screen.facts:
            if f in result.facts:
                j.answer(f, result.facts[f])
            elif f in result.not_known:
                j.answer(f, None, not_known=True)
            else:
                j.answer(f, None)  # unticked: unanswered, asked again on the next checklist
        return []
    fields = [ctx.field(f) for f in screen.facts if f != AGE]
    posted = parse(ctx.loaded.vocabulary, [Section("screen", screen.title, tuple(fields))], form)
    errors = list(posted.errors)
    age: int | None = None
    if AGE in screen.facts:
        entry = AgeAnswer(form.get("age-years", "")[:8], form.get("age-months", "")[:8],
                          date_answer(form, "birth"))
        fact = ctx.loaded.vocabulary.fact(AGE)
        assert isinstance(fact, IntegerFact)
        age, problem = parse_age(entry, ctx.referral_date, fact.maximum)
        if problem:
            errors.insert(0, problem)
    named = form.get(CONCERN, "")[:64] if concern else ""
    if named not in ("", answers.NOT_SURE) and named not in {c.concern for c in ctx.concerns()}:
        errors.append(FormError(CONCERN, "Choose the main concern from the list, or 'Not sure / several'"))
    if errors:
        return errors
    if concern:
        j.concern = named
    if AGE in screen.facts:
        entry_not_known = form.get("age-not-known") == "yes"
        j.answer(AGE, age, not_known=entry_not_known and age is None, skipped=age is None)
        j.age_entry = {k: form.get(k, "")[:8] for k in ("age-years", "age-months", "birth-day", "birth-month",
                                                        "birth-year")} if age is not None else {}
    for ff in fields:
        raw = posted.answers.get(ff.id, "")
        j.answer(ff.id, posted.facts.get(ff.id), not_known=raw == NOT_KNOWN, skipped=raw == "")
    return []


@bp.get("/triage/<journey_id>/result", endpoint="triage_result")
@page_requires("triage")
def result_page(journey_id: str) -> Any:
    journey = answers.load(journey_id)
    with services().live.using() as ev:  # choose and evaluate against one set of rulesets
        ctx = Context(journey, ev)
        suggestion = ev.evaluate(ctx.loaded, ctx.j.facts)
    key = hashlib.sha256(json.dumps(ctx.j.facts, sort_keys=True).encode()).hexdigest()
    if ctx.j.record_id is None or ctx.j.recorded_facts != key:
        recs = record([(ctx.j.facts, suggestion)])
        if recs is None:
            return render_template("web/unrecorded.html", section="web.triage_choose"), 503
        ctx.j.record_id, ctx.j.recorded_facts = recs[0].id, key
        answers.save(ctx.j)
        log.info("page triage ruleset=%s kind=%s record=%s", ctx.loaded.key, suggestion.kind, recs[0].id)
    rows = [(ctx.field(f), ctx.shown(f)) for f in ctx.engine.form
            if f in ctx.j.facts or f in ctx.j.not_known or f in ctx.j.skipped]
    return render_template("web/result.html", s=suggestion, rec_id=ctx.j.record_id, loaded=ctx.loaded, ctx=ctx,
                           rows=rows, more=ctx.next() is not None, today=dt.date.today().isoformat(),
                           section="web.triage_choose")
