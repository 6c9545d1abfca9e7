"""From rule truth values to a suggestion: levels, overrides, combinations, questions.

The rules (applied to three-valued truth from the fast channel, after both channels agreed):

* the level is the highest level of any matched indicator or fired combination
  (the lowest level when nothing matched);
* every matched override sets a floor on the canonical outcome and adds its actions; the
  floor can only raise the suggestion, never lower it;
* an indicator, combination or override whose truth is still unknown and which could raise
  the suggestion (or, for overrides, add actions) makes its unknown facts open questions;
* "complete" means no unknown fact could change the suggestion or the required actions.

Everything here only ever takes maxima over rules that are true, so reporting a further or
worse concern can never lower the result (monotonicity), and treating unknown rules as true
gives a sound upper bound on every way the unknowns could be filled in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal
from urllib.parse import urlsplit

from engine import ENGINE_VERSION
from engine.evaluate.channels import Truth
from engine.evaluate.suggestion import (
    NO_SUGGESTION,
    STATEMENT,
    Completeness,
    FiredCombination,
    Headline,
    LevelRef,
    MatchedIndicator,
    OpenQuestion,
    ReplacedBy,
    ReportedFact,
    RequiredAction,
    RouteRef,
    RulesetRef,
    Suggestion,
)
from engine.load.catalogue import LoadedRuleset
from engine.model.outcome import Outcome
from engine.model.route import DERIVED_NOTE, SINGLE_AGENCY_NOTE, SOURCES, Route, derived_route
from engine.model.ruleset import Citation, Level, RulesetInfo
from engine.model.vocabulary import Domain, FactValue, Normalised
from engine.model.wording import answer, answers, describe


def level_ref(level: Level) -> LevelRef:
    return LevelRef(id=level.id, label=level.label, outcome=level.outcome, outcome_label=level.outcome.label)


def replaced_by_ref(info: RulesetInfo) -> ReplacedBy | None:
    """What every result of ``info`` says first when its document has been (or may have been) replaced."""
    rep = info.document.replaced_by
    if rep is None:
        return None
    return ReplacedBy(status=rep.status, title=rep.title, publisher=rep.publisher, url=rep.url, quote=rep.quote,
                      note=rep.note, source=rep.source, sentence=rep.sentence(info.authority),
                      notice=rep.notice(info.authority), mark=rep.mark())


def ruleset_ref(loaded: LoadedRuleset) -> RulesetRef:
    info = loaded.model.ruleset
    return RulesetRef(
        id=info.id, version=info.version, authority=info.authority, document=info.document.title,
        url=info.document.url, sha256=loaded.sha256, effective_from=info.effective_from,
        effective_to=info.effective_to, coverage_complete=info.coverage.complete,
        coverage_notes=info.coverage.notes, local_indicators=len(loaded.model.indicators),
        local_rules="encoded" if loaded.model.indicators or loaded.model.overrides else "none",
        replaced_by=replaced_by_ref(info),
    )


def level_route(level: Level) -> Route:
    """A level's route: as its (refreshed) document declares it, else derived from its canonical outcome."""
    return level.route.id if level.route is not None else derived_route(level.outcome)


def route_at(level: Level, outcome: Outcome) -> Route:
    """The route of a result at ``level`` whose canonical outcome is ``outcome`` (perhaps raised by a floor)."""
    return max(level_route(level), derived_route(outcome), key=lambda r: r.rank)


def route_ref(level: Level, outcome: Outcome, ceiling: Route | None = None) -> RouteRef:
    """The route of a result at ``level`` with canonical ``outcome``, and who leads.

    A safety floor can lift the outcome beyond the level's route (a baby's bruise under a universal level):
    the route then follows the outcome, since the reforms send every s47 matter through the multi-agency team.
    ``ceiling`` is the route of the highest result the unanswered questions could still reach.
    """
    own = level_route(level)
    route = route_at(level, outcome)
    basis: Literal["declared", "derived"]
    if route != own:
        basis, lead = "derived", route.lead
        note = (f"A safety rule raised the result to {outcome.label}, beyond the route of {level.id} {level.label} "
                f"({own.label}): the route follows the outcome.")
    elif level.route is not None:
        basis, lead = "declared", level.route.lead or route.lead
        note = level.route.note or f"Declared by the document for {level.id} {level.label}."
    else:
        basis, lead = "derived", route.lead
        note = DERIVED_NOTE + (f" {SINGLE_AGENCY_NOTE}" if level.outcome == Outcome.early_help_single_agency else "")
    return RouteRef(route=route, label=route.label, lead=lead, basis=basis, note=note,
                    could_rise_to=ceiling if ceiling is not None and ceiling.rank > route.rank else None,
                    cite=[Citation(document=c.document, section=c.section, url=c.url, quote=c.quote)
                          for c in SOURCES[route]])


@dataclass(frozen=True)
class Position:
    """Where a result sits: canonical outcome first, then the local level index."""

    outcome: Outcome
    level: int

    def key(self) -> tuple[int, int]:
        return (self.outcome.rank, self.level)


class DecisionTable:
    """Everything about one ruleset version that decisions need, computed once."""

    def __init__(self, loaded: LoadedRuleset) -> None:
        self.loaded = loaded
        m = loaded.model
        self.levels = m.levels
        self.level_index = loaded.level_index
        n_ind = len(m.indicators)
        self.n_indicators = n_ind
        self.indicator_level = [loaded.level_index[i.level] for i in m.indicators]
        self.indicator_domain: list[Domain] = [i.domain for i in m.indicators]
        self.rule_facts: list[tuple[str, ...]] = [r.facts for r in loaded.rules]
        self.combos = [
            (c, loaded.level_index[c.of_level], loaded.level_index[c.gives]) for c in m.combinations
        ]
        self.reads: frozenset[str] = frozenset(f for facts in self.rule_facts for f in facts)
        self.truth_of: Callable[[Mapping[str, Normalised]], Sequence[Truth]] | None = None
        """The fast channel's three-valued truth, bound at compile time (for bounds on settled facts)."""

    def bounds(self, facts: Mapping[str, Normalised], truth: Sequence[Truth]
               ) -> tuple[Mapping[str, Normalised], Sequence[Truth]]:
        """Facts and truth for what is still possible: facts that cannot apply to this child settled.

        A fact that cannot apply (the vocabulary's ``applies``, e.g. a baby's sexual activity) is
        neither asked nor counted as able to change the result; matched rules never use this.
        """
        settled = self.loaded.vocabulary.settled(facts)
        if self.truth_of is None or len(settled) == len(facts):
            return facts, truth
        return settled, self.truth_of(settled)

    def indicator_position(self, truth: Sequence[Truth]) -> Position:
        """Where the local indicators and combinations alone place the result."""
        level = 0
        for i in range(self.n_indicators):
            if truth[i] is True and self.indicator_level[i] > level:
                level = self.indicator_level[i]
        for ci, _ in self.combination_state(truth, optimistic=False):
            level = max(level, self.combos[ci][2])
        return self.place(level, Outcome.universal)

    def where(self, pos: Position) -> str:
        """A position in words, never pairing an outcome with a lower local label silently."""
        lv = self.levels[pos.level]
        authority = self.loaded.model.ruleset.authority
        if pos.outcome.rank > lv.outcome.rank:
            if lv.also_covers is not None and lv.also_covers.rank >= pos.outcome.rank:
                return f"{lv.id} {lv.label} ({pos.outcome.label}, which this level also covers)"
            return f"{pos.outcome.label}, above {authority}'s top level ({lv.id} {lv.label})"
        return f"{lv.id} {lv.label} ({pos.outcome.label})"

    @cached_property
    def ref(self) -> RulesetRef:
        return ruleset_ref(self.loaded)

    @cached_property
    def condition_text(self) -> list[str]:
        vocab = self.loaded.vocabulary
        return [describe(r.when, vocab) for r in self.loaded.rules]

    def place(self, level: int, floor: Outcome) -> Position:
        """Combine a local level with an outcome floor from overrides."""
        outcome = self.levels[level].outcome
        if floor.rank <= outcome.rank:
            return Position(outcome, level)
        for i in range(level, len(self.levels)):
            lv = self.levels[i]
            covers = lv.also_covers.rank if lv.also_covers is not None else -1
            if lv.outcome.rank >= floor.rank or covers >= floor.rank:
                return Position(floor, i)
        return Position(floor, len(self.levels) - 1)

    def combination_state(self, truth: Sequence[Truth], optimistic: bool) -> list[tuple[int, list[int]]]:
        """Fired combinations as (index, counted indicators); ``optimistic`` counts unknowns too."""
        fired = []
        for ci, (comb, of_level, _gives) in enumerate(self.combos):
            counted = [
                i for i in range(self.n_indicators)
                if self.indicator_level[i] >= of_level and (truth[i] is True or (optimistic and truth[i] is None))
            ]
            domains = {self.indicator_domain[i] for i in counted}
            if len(counted) >= comb.at_least and len(domains) >= comb.across_domains:
                fired.append((ci, counted))
        return fired

    def position(self, truth: Sequence[Truth], optimistic: bool = False) -> Position:
        """The result's position; ``optimistic`` treats unknown rules as true (an upper bound)."""
        def on(t: Truth) -> bool:
            return t is True or (optimistic and t is None)

        level = 0
        for i in range(self.n_indicators):
            if on(truth[i]) and self.indicator_level[i] > level:
                level = self.indicator_level[i]
        for ci, _ in self.combination_state(truth, optimistic):
            level = max(level, self.combos[ci][2])
        floor = Outcome.universal
        for rule in self.loaded.override_rules:
            if on(truth[rule.index]) and rule.override.minimum.rank > floor.rank:
                floor = rule.override.minimum
        return self.place(level, floor)


def no_suggestion(table: DecisionTable, reason: str, channels: Sequence[str] = ()) -> Suggestion:
    return Suggestion(
        kind="no_suggestion", statement=NO_SUGGESTION, reason=reason, ruleset=table.ref,
        engine_version=ENGINE_VERSION, channels=list(channels), evaluated_at=_now(),
    )


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def decide(table: DecisionTable, facts: Mapping[str, Normalised], truth: Sequence[Truth],
           channels: Sequence[str], reported: Mapping[str, FactValue] | None = None) -> Suggestion:
    """The explained suggestion for normalised facts and their rule truth values.

    ``reported`` is the facts as written (a :class:`~engine.model.referral.Referral`'s), when
    the caller has them; otherwise they are derived from ``facts``.
    """
    loaded = table.loaded
    vocab = loaded.vocabulary
    model = loaded.model
    current = table.position(truth)
    if reported is None:
        reported = vocab.denormalise(facts)

    def reported_facts(rule: int) -> list[ReportedFact]:
        out = []
        for f in table.rule_facts[rule]:
            if f in reported:
                fact = vocab.fact(f)
                out.append(ReportedFact(fact=f, label=fact.label, value=reported[f],
                                        answer=answer(vocab, f, reported[f])))
        return out

    matched = [
        MatchedIndicator(
            id=ind.id, level=level_ref(table.levels[table.indicator_level[i]]), domain=ind.domain,
            says=ind.says, condition=table.condition_text[i], facts=reported_facts(i), cite=ind.cite,
        )
        for i, ind in enumerate(model.indicators) if truth[i] is True
    ]
    matched.sort(key=lambda m: (-table.level_index[m.level.id], m.id))
    combos = [
        FiredCombination(
            id=table.combos[ci][0].id, says=table.combos[ci][0].says,
            gives=level_ref(table.levels[table.combos[ci][2]]),
            counted=[model.indicators[i].id for i in counted], cite=table.combos[ci][0].cite,
        )
        for ci, counted in table.combination_state(truth, optimistic=False)
    ]
    own = _own_first(model.ruleset.document.url)
    actions: list[RequiredAction] = []
    for rule in loaded.override_rules:
        if truth[rule.index] is True:
            ov = rule.override
            actions.append(RequiredAction(
                rule=ov.id, origin=rule.origin, title=ov.title or ov.says,
                says=ov.says, minimum=ov.minimum, actions=list(ov.actions), condition=table.condition_text[rule.index],
                cite=own(ov.cite)))
    for oa in loaded.national.outcome_actions:
        if current.outcome.rank >= oa.outcome.rank:
            actions.append(RequiredAction(
                rule=f"outcome-{oa.outcome.value}", origin="outcome", title=oa.title or oa.outcome.label,
                says=f"Required whenever the suggestion reaches {oa.outcome.label}.", minimum=oa.outcome,
                actions=list(oa.actions), condition=f"suggestion reaches {oa.outcome.label}", cite=own(oa.cite)))
    # the chosen council's own rules first, then by the outcome they require
    actions.sort(key=lambda a: (a.origin != "local", -a.minimum.rank))

    settled, bounds = table.bounds(facts, truth)
    questions = open_questions(table, settled, bounds, current)
    upper = table.position(bounds, optimistic=True)
    undecided_override = any(bounds[r.index] is None for r in loaded.override_rules)
    complete = upper.key() == current.key() and not undecided_override
    if complete:
        note = "No unknown fact could change this suggestion or the required actions."
    else:
        note = (f"{len(questions)} unanswered question(s) could change this suggestion or add required "
                f"actions; the highest outcome still possible is {upper.outcome.label}.")
    completeness = Completeness(
        complete=complete, facts_reported=len(facts), facts_unknown_that_matter=len(questions),
        highest_reachable=upper.outcome, highest_reachable_level=level_ref(table.levels[upper.level]),
        note=note,
    )
    level = table.levels[current.level]
    level_note = None
    covered = level.also_covers is not None and level.also_covers.rank >= current.outcome.rank
    if current.outcome.rank > level.outcome.rank and covered:
        level_note = (f"A safety override requires at least {current.outcome.label}; this authority's "
                      f"{level.label} level also covers it." + (f" {level.note}" if level.note else ""))
    elif current.outcome.rank > level.outcome.rank:
        level_note = (f"A national or local safety override requires at least {current.outcome.label}, "
                      f"beyond the top of this authority's scale ({level.label}).")
    elif level.note:
        level_note = level.note
    not_used = [ReportedFact(fact=f, label=vocab.fact(f).label, value=reported[f], answer=answer(vocab, f, reported[f]))
                for f in vocab.by_id if f in reported and f not in table.reads]  # vocabulary order: deterministic
    return Suggestion(
        kind="suggestion", statement=STATEMENT, outcome=current.outcome, outcome_label=current.outcome.label,
        level=level_ref(level), level_note=level_note, route=route_ref(
            level, current.outcome, route_at(table.levels[upper.level], upper.outcome)),
        required_actions=actions, matched_indicators=matched,
        combinations=combos, open_questions=questions, completeness=completeness,
        headline=headline(table, truth, current, upper, complete, questions), facts_not_used=not_used,
        ruleset=table.ref, engine_version=ENGINE_VERSION, channels=list(channels), evaluated_at=_now(),
    )


def _own_first(document_url: str) -> Callable[[Sequence[Citation]], list[Citation]]:
    """Order citations with the chosen council's own document (same web host) first."""
    host = urlsplit(document_url).hostname or ""

    def order(cites: Sequence[Citation]) -> list[Citation]:
        def own(c: Citation) -> bool:
            return bool(host) and urlsplit(c.url or c.mirror or "").hostname == host
        return sorted(cites, key=lambda c: not own(c))
    return order


def headline(table: DecisionTable, truth: Sequence[Truth], current: Position, upper: Position, complete: bool,
             questions: Sequence[OpenQuestion]) -> Headline:
    """The first line: the range when the result could still rise; what decided the level."""
    loaded = table.loaded
    info = loaded.model.ruleset
    n = table.n_indicators
    base = table.indicator_position(truth)
    raising = [(r.override, r.origin) for r in loaded.override_rules
               if truth[r.index] is True and r.override.minimum.rank == current.outcome.rank]
    decided_by: Literal["indicators", "national_rule", "local_rule", "nothing_known"]
    decided_rule: str | None
    kind: Literal["range", "level", "no_local_rules"]
    if current.key() > base.key() and raising:
        ov, origin = raising[0]
        decided_by = "national_rule" if origin == "national" else "local_rule"
        decided_rule = ov.id
        decided = (f"Raised to {current.outcome.label} by a {'national' if origin == 'national' else 'local'} safety "
                   f"rule: {ov.title or ov.says}")
    elif any(truth[i] is True for i in range(n)):
        top = max((i for i in range(n) if truth[i] is True), key=lambda i: table.indicator_level[i])
        decided_by = "indicators"
        decided_rule = loaded.model.indicators[top].id
        decided = (f"Decided by {info.authority}'s indicators: the highest matched is "
                   f"\u201c{loaded.model.indicators[top].says}\u201d at {table.levels[table.indicator_level[top]].id}.")
    else:
        decided_by = "nothing_known"
        decided_rule = None
        lowest = table.levels[0]
        decided = (f"Nothing reported matched an indicator of {info.authority}'s document or a safety rule: "
                   f"{lowest.id} {lowest.label} is the lowest level, not a finding.")
    ask = [q.question for q in questions[:3]]
    could_rise = not complete and upper.key() > current.key()
    if not loaded.model.indicators and not loaded.model.overrides:
        kind = "no_local_rules"
        text = (f"No local indicators are encoded for {info.authority}: only the national safety rules were applied. "
                f"Read {info.authority}'s document: {info.document.url}.")
        if current.outcome.rank > Outcome.universal.rank:
            text += f" National safety rules require at least {current.outcome.label}."
        summary = text
        if could_rise:
            summary += f" Could be up to {upper.outcome.label}."
            text += f" Could be up to {upper.outcome.label}; ask first: {'; '.join(ask)}"
    elif could_rise:
        kind = "range"
        summary = f"Not complete: so far at least {table.where(current)}; could be up to {table.where(upper)}."
        text = f"{summary} Ask first: {'; '.join(ask)}"
    else:
        kind = "level"
        text = summary = table.where(current) + ("" if complete else
                                                 "; unanswered safety questions could still add required actions")
    return Headline(kind=kind, text=text, summary=summary, floor=current.outcome, ceiling=upper.outcome,
                    decided_by=decided_by, decided=decided, decided_rule=decided_rule,
                    ask_first=ask)


def open_questions(table: DecisionTable, facts: Mapping[str, Normalised], truth: Sequence[Truth],
                   current: Position) -> list[OpenQuestion]:
    """Unknown facts whose answers could raise the suggestion or trigger a safety override.

    Ordered: safety overrides first, then by how high an answer could raise the result,
    then vocabulary order.
    """
    loaded = table.loaded
    vocab = loaded.vocabulary
    n = table.n_indicators
    best: dict[str, tuple[bool, Position, list[str]]] = {}

    def consider(fact_ids: Sequence[str], safety: bool, pos: Position, via: str) -> None:
        for f in fact_ids:
            if f in facts:
                continue
            prev = best.get(f)
            if prev is None:
                best[f] = (safety, pos, [via])
            else:
                s, p, v = prev
                best[f] = (s or safety, p if p.key() >= pos.key() else pos, v + [via] if via not in v else v)

    model = loaded.model
    for i, ind in enumerate(model.indicators):
        if truth[i] is None:
            pos = table.place(table.indicator_level[i], Outcome.universal)
            if pos.key() > current.key():
                consider(table.rule_facts[i], False, pos, ind.id)
    for rule in loaded.override_rules:
        if truth[rule.index] is None:
            pos = table.place(current.level, max(rule.override.minimum, current.outcome, key=lambda o: o.rank))
            consider(rule.facts, True, pos, rule.id)
    fired = {ci for ci, _ in table.combination_state(truth, optimistic=False)}
    for ci, _counted in table.combination_state(truth, optimistic=True):
        comb, of_level, gives = table.combos[ci]
        if ci in fired:
            continue
        pos = table.place(gives, Outcome.universal)
        if pos.key() <= current.key():
            continue
        for i in range(n):
            if truth[i] is None and table.indicator_level[i] >= of_level:
                consider(table.rule_facts[i], False, pos, comb.id)
    order = {f.id: k for k, f in enumerate(vocab.facts)}
    items = sorted(best.items(), key=lambda kv: (not kv[1][0], -kv[1][1].outcome.rank, -kv[1][1].level,
                                                 order[kv[0]]))
    out = []
    for f, (safety, pos, via) in items:
        fact = vocab.fact(f)
        rises = pos.key() > current.key()
        effect = (f"could lead to {table.where(pos)}" if rises
                  else "could add required actions (the level cannot rise)")
        out.append(OpenQuestion(
            fact=f, question=fact.question, hint=fact.hint, answers=answers(vocab, f), safety=safety,
            could_raise_to=level_ref(table.levels[pos.level]), could_raise_outcome=pos.outcome, via=via,
            can_raise=rises, effect=effect))
    return out
