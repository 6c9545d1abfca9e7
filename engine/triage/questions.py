"""Next questions: ask only what can change the answer, safety first, and stop honestly.

Front-door staff should not tick through a hundred boxes. Given the facts known so far, this
module lists the unknown facts whose answers could still change the suggestion or the
required actions, most important first, and says exactly what each possible answer would
do (which indicators and safety rules it would trigger, with their sources, and where the
suggestion would then stand).

Which facts are asked: the open questions of :func:`engine.evaluate.decision.open_questions`, i.e.
unknown facts of still-undecided rules that could raise the level, complete a combination
or trigger an override. That set is sound: a fact outside it cannot change the result under
any way of filling in the other unknowns, because decided rules stay decided (three-valued
logic) and every other rule can only act through the maxima that the decision table takes.

Order: the opening facts (the child's age: the national rules read it), then facts of the
safety overrides, ranked among themselves by what their safety rules can require (immediate
protection before child protection), then relatedness, then the rule nearest to firing (most
of its facts known) and how many safety rules the fact feeds; then every other fact, by how
far an answer could raise the suggestion, then facts about a concern or domain already
reported, then the rule nearest to being decided, then facts that settle more rules.
Vocabulary order breaks the remaining ties, so the order is deterministic.

Honest stopping: ``complete`` is true only when no unknown fact (asked, not yet asked, or
answered "not known") could change the suggestion or the required actions; otherwise the
result gives the highest outcome still reachable (a sound upper bound) and the questions
that could reach it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.evaluate.channels import Truth
from engine.evaluate.decision import DecisionTable, Position, level_ref, open_questions
from engine.evaluate.evaluator import Compiled
from engine.evaluate.suggestion import STATEMENT, LevelRef, OpenQuestion, RulesetRef
from engine.model.condition import FactTest, fact_tests
from engine.model.outcome import Outcome
from engine.model.ruleset import Citation
from engine.model.vocabulary import BooleanFact, CategoryFact, Domain, FactValue, Normalised, normalise_value
from engine.triage.answers import PossibleAnswer, possible_answers

OPENING_FACTS: tuple[str, ...] = ("child_age_months",)
"""Asked before anything else when they matter: the national safety rules read the age."""


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TriggeredIndicator(_Value):
    id: str
    says: str
    level: LevelRef
    domain: Domain
    cite: Citation


class TriggeredOverride(_Value):
    id: str
    origin: Literal["national", "local"]
    says: str
    minimum: Outcome
    actions: list[str]
    cite: list[Citation]


class AnswerEffect(_Value):
    """What one answer would do, with every other unknown fact still unknown."""

    answer: str = Field(description="The answer in plain words.")
    value: FactValue = Field(description="The value to put in the referral for this answer.")
    minimum: int | None = Field(default=None, description="For numbers: the lowest value this answer stands for.")
    maximum: int | None = Field(default=None, description="For numbers: the highest value this answer stands for.")
    indicators: list[TriggeredIndicator] = Field(description="Indicators this answer would match.")
    combinations: list[str] = Field(description="Combination rules this answer would fire (their wording).")
    overrides: list[TriggeredOverride] = Field(description="Safety rules this answer would trigger.")
    outcome: Outcome = Field(description="The suggested outcome after this answer.")
    level: LevelRef = Field(description="The suggested level after this answer.")
    raises: bool = Field(description="The answer raises the suggestion.")
    highest_reachable: Outcome = Field(description="The highest outcome still possible after this answer.")
    complete: bool = Field(description="After this answer no unknown fact could change the result.")


class NextQuestion(_Value):
    fact: str
    label: str
    question: str
    hint: str | None
    kind: Literal["boolean", "category", "integer"]
    domain: Domain
    concern: str
    opening: bool = Field(description="Asked first because the national safety rules read it.")
    safety: bool = Field(description="An answer could trigger a safety override (national or local).")
    safety_floor: Outcome | None = Field(description="The highest outcome the safety rules it could trigger "
                                                     "require (None when it is not a safety question).")
    could_reach: LevelRef = Field(description="The highest level an answer could lead to.")
    could_reach_outcome: Outcome
    related: bool = Field(description="About a concern or domain already reported.")
    via: list[str] = Field(description="Rules (indicators, combinations, overrides) an answer could complete.")
    why: str = Field(description="Why this question is asked, in plain words.")
    answers: list[AnswerEffect]


class Questions(_Value):
    """The next questions for a partial referral: the value every interface renders."""

    statement: str
    ruleset: RulesetRef
    outcome: Outcome = Field(description="The suggested outcome on the facts known so far.")
    outcome_label: str
    level: LevelRef
    required_actions: list[str] = Field(description="Ids of the safety rules whose actions apply now.")
    complete: bool = Field(description="No unknown fact could change the suggestion or the required actions.")
    highest_reachable: Outcome
    highest_reachable_label: str
    highest_reachable_level: LevelRef
    facts_known: int
    facts_in_form: int = Field(description="How many facts this ruleset reads (the full form).")
    questions_total: int = Field(description="How many questions could still change the result (not counting "
                                             "those answered 'not known').")
    not_known_that_matter: list[str] = Field(description="Facts answered 'not known' that could still change "
                                                         "the result.")
    questions: list[NextQuestion]
    note: str


def is_complete(table: DecisionTable, truth: Sequence[Truth]) -> bool:
    """No completion of the unknowns can change the position or the required actions."""
    if any(truth[r.index] is None for r in table.loaded.override_rules):
        return False
    return table.position(truth, optimistic=True).key() == table.position(truth).key()


def question_engine(compiled: Compiled) -> QuestionEngine:
    """The question engine of a compiled ruleset version, built on first use and then kept with it.

    Requests reuse it instead of rebuilding the fact tests and answer intervals each time. Two
    threads that race build two equal engines and one is kept: nothing is shared half-built.
    """
    qe = compiled.derived.get(QuestionEngine)
    if not isinstance(qe, QuestionEngine):
        qe = QuestionEngine(compiled)
        compiled.derived[QuestionEngine] = qe
    return qe


class QuestionEngine:
    """The next-question engine for one compiled ruleset version (precomputed once)."""

    def __init__(self, compiled: Compiled) -> None:
        self.compiled = compiled
        self.table = compiled.table
        loaded = compiled.loaded
        self.vocab = loaded.vocabulary
        self.override_origin = {r.id: r.origin for r in loaded.override_rules}
        self.override_minimum = {r.id: r.override.minimum for r in loaded.override_rules}
        self.tests: dict[str, list[FactTest]] = {}
        for cond in loaded.conditions:
            for t in fact_tests(cond):
                self.tests.setdefault(t.fact, []).append(t)
        self.order = {f.id: k for k, f in enumerate(self.vocab.facts)}
        self.form = sorted(self.tests, key=self.order.__getitem__)
        self.rule_of = {r.id: r.index for r in loaded.rules}
        self._answers: dict[str, list[PossibleAnswer]] = {}

    def possible(self, fact_id: str) -> list[PossibleAnswer]:
        """The answers worth trying for a fact (integers: one per interval between cut points)."""
        if fact_id not in self._answers:
            self._answers[fact_id] = possible_answers(self.vocab.fact(fact_id), self.tests.get(fact_id, ()))
        return self._answers[fact_id]

    def next_questions(self, facts: Mapping[str, Normalised], not_known: Collection[str] = (),
                       limit: int | None = None, presenting: Collection[str] = ()) -> Questions:
        """The ranked questions for normalised ``facts``; ``limit`` caps how many carry answer effects."""
        table = self.table
        truth = self.compiled.fast.truth(facts)
        current = table.position(truth)
        settled, bounds = table.bounds(facts, truth)
        upper = table.position(bounds, optimistic=True)
        complete = is_complete(table, bounds)
        concerns, domains = self._reported(facts, truth)
        ranked = sorted(open_questions(table, settled, bounds, current),
                        key=lambda q: self._rank(q, facts, concerns, domains, presenting))
        asked = [q for q in ranked if q.fact not in not_known]
        unknown_matter = [q.fact for q in ranked if q.fact in not_known]
        chosen = asked if limit is None else asked[:max(limit, 0)]
        questions = [self._question(q, facts, truth, current, concerns, domains) for q in chosen]
        if complete:
            note = "No unknown fact could change this suggestion or the required actions."
        else:
            note = (f"{len(asked) + len(unknown_matter)} unanswered question(s) could still change this suggestion "
                    f"or add required actions; the highest outcome still possible is {upper.outcome.label}.")
            if unknown_matter:
                note += f" {len(unknown_matter)} of them were answered 'not known'."
        return Questions(
            statement=STATEMENT, ruleset=table.ref, outcome=current.outcome, outcome_label=current.outcome.label,
            level=level_ref(table.levels[current.level]), required_actions=self.actions(truth, current),
            complete=complete, highest_reachable=upper.outcome, highest_reachable_label=upper.outcome.label,
            highest_reachable_level=level_ref(table.levels[upper.level]), facts_known=len(facts),
            facts_in_form=len(self.form), questions_total=len(asked), not_known_that_matter=unknown_matter,
            questions=questions, note=note)

    def order_of_questions(self, facts: Mapping[str, Normalised], not_known: Collection[str] = (),
                           presenting: Collection[str] = ()) -> list[str]:
        """Only the ranked fact ids (no answer effects): what bulk simulations need."""
        truth = self.compiled.fast.truth(facts)
        current = self.table.position(truth)
        concerns, domains = self._reported(facts, truth)
        settled, bounds = self.table.bounds(facts, truth)
        ranked = sorted(open_questions(self.table, settled, bounds, current),
                        key=lambda q: self._rank(q, facts, concerns, domains, presenting))
        return [q.fact for q in ranked if q.fact not in not_known]

    def actions(self, truth: Sequence[Truth], pos: Position) -> list[str]:
        """Ids of the overrides and outcome steps whose actions apply (as in the suggestion)."""
        loaded = self.compiled.loaded
        out = [r.id for r in loaded.override_rules if truth[r.index] is True]
        out += [f"outcome-{oa.outcome.value}" for oa in loaded.national.outcome_actions
                if pos.outcome.rank >= oa.outcome.rank]
        return out

    # --- ranking ---------------------------------------------------------------------------
    def _rank(self, q: OpenQuestion, facts: Mapping[str, Normalised], concerns: set[str],
              domains: set[Domain], presenting: Collection[str] = ()
              ) -> tuple[int, int, int, int, int, float, int, int, int]:
        """Sort key (smaller first). The opening facts and immediate-protection questions lead;
        then the facts of the presenting concern, when the worker has named one; then the other
        safety facts, ranked among themselves by their safety rules (the outcome those can
        require, then closeness to firing, then how many), and the others by how far an answer
        could raise the suggestion, then relatedness and closeness. Naming a concern only
        reorders: which questions are open, and so "complete", does not change."""
        level = self.table.level_index[q.could_raise_to.id] if q.could_raise_to else 0
        related = self._related(q.fact, concerns, domains)
        safety = [v for v in q.via if v in self.override_origin]
        floor = self.safety_floor(safety)
        urgent = q.fact in OPENING_FACTS or (floor is not None and floor == Outcome.immediate_protection)
        lead = 0 if urgent else 1 if self.vocab.fact(q.fact).concern in presenting else 2
        if q.fact in OPENING_FACTS or safety:
            tier = 0 if q.fact in OPENING_FACTS else 1
            return (lead, tier, -(floor.rank if floor else 0), -related, -q.could_raise_outcome.rank,
                    -self._nearness(safety, facts), -len(safety), -level, self.order[q.fact])
        return (lead, 2, -q.could_raise_outcome.rank, -level, -related, -self._nearness(q.via, facts), -len(q.via),
                0, self.order[q.fact])

    def concerns_matching(self, words: str) -> list[str]:
        """Concern ids of this ruleset's form with a word in its label, question or concern starting ``words``."""
        needle = " ".join(words.lower().replace("_", " ").split())
        if not needle:
            return []
        found: list[str] = []
        for fid in self.form:
            fact = self.vocab.fact(fid)
            hay = " ".join((fact.label, fact.question, fact.concern.replace("_", " "))).lower()
            if re.search(rf"\b{re.escape(needle)}", hay) and fact.concern not in found and fid not in OPENING_FACTS:
                found.append(fact.concern)
        return found

    def safety_floor(self, rules: list[str]) -> Outcome | None:
        """The highest outcome these safety rules can require (None for no safety rule)."""
        floors = [self.override_minimum[r] for r in rules if r in self.override_minimum]
        return max(floors, key=lambda o: o.rank) if floors else None

    def _related(self, fact_id: str, concerns: set[str], domains: set[Domain]) -> int:
        fact = self.vocab.fact(fact_id)
        return 2 if fact.concern in concerns else 1 if fact.domain in domains else 0

    def _nearness(self, via: list[str], facts: Mapping[str, Normalised]) -> float:
        """How close the nearest rule is to being decided: the share of its facts already known."""
        best = 0.0
        for rid in via:
            k = self.rule_of.get(rid)
            if k is None:
                continue  # a combination: it counts indicators, not facts
            reads = self.table.rule_facts[k]
            best = max(best, sum(1 for f in reads if f in facts) / len(reads))
        return best

    def _reported(self, facts: Mapping[str, Normalised], truth: Sequence[Truth]) -> tuple[set[str], set[Domain]]:
        """Concerns and domains already reported: concerning answers and matched indicators."""
        concerns: set[str] = set()
        domains: set[Domain] = set()
        for fid, v in facts.items():
            fact = self.vocab.fact(fid)
            concerning = (isinstance(fact, BooleanFact) and v is fact.worse) or (
                isinstance(fact, CategoryFact) and int(v) > 0)
            if concerning:
                concerns.add(fact.concern)
                domains.add(fact.domain)
        for i in range(self.table.n_indicators):
            if truth[i] is True:
                domains.add(self.table.indicator_domain[i])
        return concerns, domains

    # --- one question and its answers --------------------------------------------------------
    def _question(self, q: OpenQuestion, facts: Mapping[str, Normalised], truth: Sequence[Truth],
                  current: Position, concerns: set[str], domains: set[Domain]) -> NextQuestion:
        fact = self.vocab.fact(q.fact)
        opening = q.fact in OPENING_FACTS
        safety_rules = [v for v in q.via if v in self.override_origin]
        reach = q.could_raise_to or level_ref(self.table.levels[current.level])
        if opening:
            why = "Asked first: the national safety rules depend on it."
        elif safety_rules:
            why = "An answer could trigger the safety rule(s): " + ", ".join(safety_rules) + "."
            if not q.can_raise:
                why += " It could add required actions; the level cannot rise."
        else:
            why = (f"An answer could lead to {reach.id} {reach.label} ({q.could_raise_outcome.label}) through: "
                   + ", ".join(q.via[:5]) + (" ..." if len(q.via) > 5 else "") + ".")
        return NextQuestion(
            fact=fact.id, label=fact.label, question=fact.question, hint=fact.hint, kind=fact.type,
            domain=fact.domain, concern=fact.concern, opening=opening, safety=q.safety,
            safety_floor=self.safety_floor(safety_rules), could_reach=reach,
            could_reach_outcome=q.could_raise_outcome, related=self._related(q.fact, concerns, domains) > 0,
            via=list(q.via), why=why, answers=self.effects(q.fact, facts, truth, current))

    def effects(self, fact_id: str, facts: Mapping[str, Normalised], truth: Sequence[Truth],
                current: Position) -> list[AnswerEffect]:
        """Evaluate every possible answer on the fast channel and say what it would trigger."""
        table, loaded = self.table, self.compiled.loaded
        fact = self.vocab.fact(fact_id)
        fired_before = {ci for ci, _ in table.combination_state(truth, optimistic=False)}
        out = []
        for pa in self.possible(fact_id):
            t2 = self.compiled.fast.truth({**facts, fact_id: normalise_value(fact, pa.value)})
            pos = table.position(t2)
            indicators = [
                TriggeredIndicator(id=ind.id, says=ind.says, level=level_ref(table.levels[table.indicator_level[i]]),
                                   domain=ind.domain, cite=ind.cite)
                for i, ind in enumerate(loaded.model.indicators) if t2[i] is True and truth[i] is not True]
            overrides = [
                TriggeredOverride(id=r.id, origin=r.origin, says=r.override.says, minimum=r.override.minimum,
                                  actions=list(r.override.actions), cite=list(r.override.cite))
                for r in loaded.override_rules if t2[r.index] is True and truth[r.index] is not True]
            combos = [table.combos[ci][0].says for ci, _ in table.combination_state(t2, optimistic=False)
                      if ci not in fired_before]
            _, b2 = table.bounds({**facts, fact_id: normalise_value(fact, pa.value)}, t2)
            out.append(AnswerEffect(
                answer=pa.label, value=pa.value, minimum=pa.minimum, maximum=pa.maximum, indicators=indicators,
                combinations=combos, overrides=overrides, outcome=pos.outcome,
                level=level_ref(table.levels[pos.level]), raises=pos.key() > current.key(),
                highest_reachable=table.position(b2, optimistic=True).outcome, complete=is_complete(table, b2)))
        return out
