"""Then: what the suggestion should say (level, actions, citations, questions, completeness).

Every check reads the :class:`~engine.evaluate.suggestion.Suggestion` value the live evaluator made and
says, when it fails, what the suggestion actually was, so a trainer can see why.
"""

from __future__ import annotations

from typing import Literal

from engine.evaluate.suggestion import Suggestion
from engine.model.route import ROUTES, Route
from service.training.library import REGISTRY as R
from service.training.registry import StepError
from service.training.state import Evaluation, Expectation, ScenarioState
from service.training.wording import resolve_fact, resolve_level, unquote

SECTION = "What the suggestion should say"
Relation = Literal["exact", "at_least", "at_most"]
_WORDS = {"exact": "", "at_least": "at least ", "at_most": "at most "}


def _suggestion(ev: Evaluation) -> Suggestion:
    s = ev.suggestion
    assert s is not None, "checks run only in check mode"
    if s.kind != "suggestion":
        raise AssertionError(f"{ev.loaded.key} made no suggestion: {s.reason}")
    return s


def summary(ev: Evaluation) -> str:
    """The actual result, for failure messages."""
    s = _suggestion(ev)
    assert s.level is not None and s.outcome is not None
    matched = ", ".join(m.id for m in s.matched_indicators) or "no indicator"
    actions = ", ".join(a.rule for a in s.required_actions) or "none"
    return (f"{ev.loaded.key} suggested {s.level.id} {s.level.label} ({s.outcome.value}); matched: {matched}; "
            f"required actions: {actions}")


def check_level(state: ScenarioState, level: str, relation: Relation, authority: str | None) -> None:
    for ev in state.results(authority):
        target = resolve_level(ev.loaded, level)
        if state.mode == "collect":
            state.expectations.append(Expectation(relation, target, ev.loaded.id))
            continue
        s = _suggestion(ev)
        assert s.level is not None and s.outcome is not None
        if target.level is not None:
            got, want = ev.loaded.level_index[s.level.id], ev.loaded.level_index[target.level.id]
        else:
            got, want = s.outcome.rank, target.outcome.rank
        ok = {"exact": got == want, "at_least": got >= want, "at_most": got <= want}[relation]
        if not ok:
            raise AssertionError(f"expected {_WORDS[relation]}{target.describe()}, but {summary(ev)}")


@R.then("the suggested level is {level}", example='the suggested level is "L4"', section=SECTION)
def level_is(state: ScenarioState, level: str) -> None:
    """The suggested level: a local level id (L3), its label (Intensive Support), "L3 Intensive Support",
    or a canonical outcome (child_protection, "child in need"). With several authorities evaluated,
    every one must agree; use "under <authority> ..." to check one."""
    check_level(state, level, "exact", None)


@R.then("the suggested level is at least {level}", example="the suggested level is at least child_in_need",
        section=SECTION)
def level_at_least(state: ScenarioState, level: str) -> None:
    """The suggested level is this level or higher (local levels in the authority's order; outcomes
    on the national scale)."""
    check_level(state, level, "at_least", None)


@R.then("the suggested level is at most {level}", example='the suggested level is at most "L2"', section=SECTION)
def level_at_most(state: ScenarioState, level: str) -> None:
    """The suggested level is this level or lower."""
    check_level(state, level, "at_most", None)


@R.then("the canonical outcome is {outcome}", example="the canonical outcome is child_protection",
        section=SECTION)
def outcome_is(state: ScenarioState, outcome: str) -> None:
    """The canonical outcome on the national scale (universal, early_help_single_agency,
    early_help_multi_agency, child_in_need, child_protection, immediate_protection)."""
    check_level(state, outcome, "exact", None)


@R.then("under {authority} the suggested level is {level}", example='under Kent the suggested level is "L3"',
        section=SECTION)
def under_level_is(state: ScenarioState, authority: str, level: str) -> None:
    """The suggested level under one of the authorities evaluated."""
    check_level(state, level, "exact", authority)


@R.then("under {authority} the suggested level is at least {level}",
        example="under Kent the suggested level is at least Intensive Support", section=SECTION)
def under_at_least(state: ScenarioState, authority: str, level: str) -> None:
    """At least this level under one authority."""
    check_level(state, level, "at_least", authority)


@R.then("under {authority} the suggested level is at most {level}",
        example="under Kent the suggested level is at most early_help_multi_agency", section=SECTION)
def under_at_most(state: ScenarioState, authority: str, level: str) -> None:
    """At most this level under one authority."""
    check_level(state, level, "at_most", authority)


def _route(words: str) -> Route:
    """A Families First route from a trainer's words: its id (family_help) or its name (Family Help)."""
    key = unquote(words).strip().lower().replace("-", " ").replace("_", " ")
    for r in ROUTES:
        if key in (r.value.replace("_", " "), r.label.lower()) or r.label.lower().startswith(key + " "):
            return r
    raise StepError(f"'{unquote(words)}' is not a Families First route; routes: "
                    + ", ".join(r.value for r in ROUTES))


def check_route(state: ScenarioState, words: str, authority: str | None) -> None:
    want = _route(words)
    for ev, s in _each(state, authority):
        if s.route is None or s.route.route != want:
            got = s.route.route.value if s.route else "none"
            raise AssertionError(f"expected the {want.value} route, but the route is {got} "
                                 f"({s.route.basis if s.route else 'no suggestion'}); {summary(ev)}")


@R.then("the Families First route is {route}", example="the Families First route is Family Help", section=SECTION)
def route_is(state: ScenarioState, route: str) -> None:
    """The Families First route beside the canonical outcome: universal, family help, child protection or
    immediate protection. A refreshed document declares it; a legacy one has it derived from the outcome."""
    check_route(state, route, None)


@R.then("under {authority} the Families First route is {route}",
        example="under Kent the Families First route is universal", section=SECTION)
def under_route_is(state: ScenarioState, authority: str, route: str) -> None:
    """The Families First route under one of the authorities evaluated."""
    check_route(state, route, authority)


@R.then("under {authority} the lead practitioner is {text}",
        example='under Brighton & Hove the lead practitioner is "Family Help Lead Practitioner"', section=SECTION)
def under_lead_is(state: ScenarioState, authority: str, text: str) -> None:
    """Who leads on the route (the document's words, else the national role) contains these words."""
    want = unquote(text).lower()
    for ev, s in _each(state, authority):
        if s.route is None or want not in s.route.lead.lower():
            raise AssertionError(f"the lead is '{s.route.lead if s.route else 'none'}', not '{unquote(text)}'; "
                                 f"{summary(ev)}")


def _each(state: ScenarioState, authority: str | None = None) -> list[tuple[Evaluation, Suggestion]]:
    """The evaluations a check applies to: all of them, or one authority's."""
    if state.mode == "collect":
        state.results(authority)
        return []
    return [(ev, _suggestion(ev)) for ev in state.results(authority)]


@R.then("a required action is {text}", example='a required action is "urgent paediatric"', section=SECTION)
def required_action(state: ScenarioState, text: str) -> None:
    """Some required action (from a safety override or the outcome) contains these words."""
    want = unquote(text).lower()
    for ev, s in _each(state):
        texts = [t for a in s.required_actions for t in (a.says, *a.actions)]
        if not any(want in t.lower() for t in texts):
            raise AssertionError(f"no required action mentions '{unquote(text)}'; {summary(ev)}")


@R.then("the safety override {rule} applies", example='the safety override "non-mobile-bruise-or-injury" applies',
        section=SECTION)
def override_applies(state: ScenarioState, rule: str) -> None:
    """A national or local safety override (by id) applies."""
    want = unquote(rule)
    for ev, s in _each(state):
        if want not in {a.rule for a in s.required_actions}:
            raise AssertionError(f"the safety override '{want}' does not apply; {summary(ev)}")


@R.then("no safety override applies", example="no safety override applies", section=SECTION)
def no_override(state: ScenarioState) -> None:
    """No national or local safety override applies (outcome actions are not overrides)."""
    for ev, s in _each(state):
        rules = [a.rule for a in s.required_actions if a.origin != "outcome"]
        if rules:
            raise AssertionError(f"safety overrides apply: {', '.join(rules)}; {summary(ev)}")


def cited_texts(s: Suggestion) -> list[str]:
    """Everything an explanation cites: indicator ids and wording, combinations, overrides, sources."""
    out: list[str] = []
    for m in s.matched_indicators:
        c = m.cite
        out += [m.id, m.says, c.section, c.url or "", c.document or "", c.quote or ""]
    for cb in s.combinations:
        out += [cb.id, cb.says, cb.cite.section, cb.cite.url or ""]
    for a in s.required_actions:
        out += [a.rule, a.says]
        for c in a.cite:
            out += [c.section, c.url or "", c.document or "", c.quote or ""]
    return [t for t in out if t]


@R.then("the explanation cites {text}", example='the explanation cites "kent-l4-non-mobile-bruise-or-injury"',
        section=SECTION)
def explanation_cites(state: ScenarioState, text: str) -> None:
    """The explanation cites this indicator, combination or override id, or these words from a matched
    indicator, its source section, URL or quote. This is how an exercise's answer is traced to the
    threshold document. With several authorities evaluated, every explanation must cite it."""
    _cites(state, text, None)


def _cites(state: ScenarioState, text: str, authority: str | None) -> None:
    want = unquote(text).lower()
    for ev, s in _each(state, authority):
        if not any(want in t.lower() for t in cited_texts(s)):
            raise AssertionError(f"the explanation does not cite '{unquote(text)}'; {summary(ev)}")


@R.then("under {authority} the explanation cites {text}",
        example='under Kent the explanation cites "kent-l3-young-carer-affecting-outcomes"', section=SECTION)
def under_explanation_cites(state: ScenarioState, authority: str, text: str) -> None:
    """One authority's explanation cites this id or these words (when several were evaluated)."""
    _cites(state, text, authority)


@R.then("the explanation does not cite {text}", example='the explanation does not cite "kent-l4-frequently-missing"',
        section=SECTION)
def explanation_not_cites(state: ScenarioState, text: str) -> None:
    """Nothing in the explanation cites this id or these words."""
    want = unquote(text).lower()
    for ev, s in _each(state):
        if any(want in t.lower() for t in cited_texts(s)):
            raise AssertionError(f"the explanation cites '{unquote(text)}'; {summary(ev)}")


@R.then("a question to ask is {text}", example='a question to ask is "immediate danger"', section=SECTION)
def question_to_ask(state: ScenarioState, text: str) -> None:
    """Some open question (an unknown fact whose answer could raise the level) contains these words."""
    want = unquote(text).lower()
    for _ev, s in _each(state):
        if not any(want in q.question.lower() for q in s.open_questions):
            raise AssertionError(f"no open question mentions '{unquote(text)}'; open questions: "
                                 + "; ".join(q.question for q in s.open_questions[:8]))


@R.then("the practitioner should be asked about {fact}",
        example="the practitioner should be asked about Independently mobile", section=SECTION)
def asked_about(state: ScenarioState, fact: str) -> None:
    """An open question asks about this fact (by label or id)."""
    f = resolve_fact(state.catalogue.vocabulary, fact)
    for _ev, s in _each(state):
        if f.id not in {q.fact for q in s.open_questions}:
            raise AssertionError(f"no open question asks about {f.id}; asked: "
                                 + ", ".join(q.fact for q in s.open_questions[:12]))


def _complete_step(word: str, expect: bool) -> None:
    def step(state: ScenarioState) -> None:
        for _ev, s in _each(state):
            assert s.completeness is not None
            if s.completeness.complete != expect:
                raise AssertionError(f"the suggestion is {'complete' if not expect else 'incomplete'}: "
                                     f"{s.completeness.note}")

    step.__doc__ = ("No unknown fact could change the suggestion." if expect else
                    "Some unknown fact could still change the suggestion or add required actions.")
    R.then(f"the suggestion is {word}", example=f"the suggestion is {word}", section=SECTION)(step)


_complete_step("complete", True)
_complete_step("incomplete", False)
