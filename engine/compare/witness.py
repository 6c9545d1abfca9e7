"""Witness referrals: small referrals that make a given rule true, to compare rulesets by.

A witness is found by solving a condition over the vocabulary, not by sampling: every fact
test becomes the set of values that satisfy it (or, under ``not``, that falsify it), ``all``
intersects those sets and ``any`` offers alternatives. From each solution we take, for every
fact, the value next to the edge of its allowed set and least concerning there (e.g.
"regularly" for "regularly or more"), and leave every other fact unknown. So a witness is
the smallest referral that reaches a rule, which is where two documents' thresholds show.

The bank built from a set of rulesets has, for every indicator and override of each:
its minimal witnesses; each of them with every qualifier it uses moved to every boundary
value (all values of an ordered category, both answers of a yes/no fact, each threshold
of a number from any of the rulesets, and one either side); and groups of indicator
witnesses merged to reach (and to fall one short of) each combination rule. Every witness
is checked on the fast channel of the ruleset it was made for, so coverage is a measured
fact, not an assumption.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from engine.compare.structural import concerns_of
from engine.evaluate.bulk import BulkEvaluator
from engine.evaluate.channels.operands import channel_operand, holds
from engine.load.catalogue import LoadedRuleset
from engine.model.condition import AllOf, Condition, FactTest, NotOf, fact_tests, facts_of
from engine.model.ruleset import Combination
from engine.model.vocabulary import BooleanFact, CategoryFact, FactValue, IntegerFact, Normalised, Vocabulary

Allowed = dict[str, frozenset[Normalised]]
"""One solution of a condition: for each fact it constrains, the values that satisfy it."""
MAX_ALTERNATIVES = 16
COMBINED = "combination of needs"
"""The concern witnesses for combination rules are filed under."""
WitnessKind = Literal["indicator", "override", "boundary", "combination"]


class Witness(BaseModel):
    """One witness referral, as normalised facts and as a plain referral."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    kind: WitnessKind
    ruleset: str
    rule: str
    concern: str
    facts: dict[str, FactValue]
    norm: dict[str, Normalised]


class WitnessBank(BaseModel):
    """The witnesses of a set of rulesets and what they are shown to reach."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    witnesses: list[Witness]
    indicators: int
    covered: int
    uncovered: list[str]
    combinations: int = 0
    combinations_unreached: list[str] = []
    """Combination rules no merged group of indicator witnesses was shown to fire."""

    @property
    def covered_all(self) -> bool:
        return not self.uncovered


def domain(fact: BooleanFact | CategoryFact | IntegerFact) -> tuple[Normalised, ...]:
    if isinstance(fact, BooleanFact):
        return (False, True)
    if isinstance(fact, CategoryFact):
        return tuple(range(len(fact.values)))
    return tuple(range(fact.minimum, fact.maximum + 1))


def solve(cond: Condition, vocab: Vocabulary, negated: bool = False) -> list[Allowed]:
    """Alternative solutions of ``cond`` (or of its negation), at most MAX_ALTERNATIVES."""
    if isinstance(cond, FactTest):
        fact = vocab.fact(cond.fact)
        operand = channel_operand(cond, vocab)
        values = frozenset(v for v in domain(fact) if holds(cond, operand, v) != negated)
        return [{cond.fact: values}] if values else []
    if isinstance(cond, NotOf):
        return solve(cond.not_, vocab, not negated)
    conjunctive = isinstance(cond, AllOf) != negated
    parts = [solve(c, vocab, negated) for c in (cond.all if isinstance(cond, AllOf) else cond.any)]
    if not conjunctive:
        return [s for p in parts for s in p][:MAX_ALTERNATIVES]
    out: list[Allowed] = [{}]
    for p in parts:
        merged: list[Allowed] = []
        for left, right in itertools.product(out, p):
            m = _intersect(left, right)
            if m is not None:
                merged.append(m)
            if len(merged) >= MAX_ALTERNATIVES:
                break
        out = merged
    return out


def _intersect(x: Allowed, y: Allowed) -> Allowed | None:
    out = dict(x)
    for f, vals in y.items():
        both = out[f] & vals if f in out else vals
        if not both:
            return None
        out[f] = both
    return out


def _least_concerning(fact: BooleanFact | CategoryFact | IntegerFact, values: list[Normalised]) -> Normalised:
    if isinstance(fact, BooleanFact):
        return min(values, key=lambda v: v == fact.worse)
    if isinstance(fact, IntegerFact) and fact.worse == "lower":
        return max(values, key=int)
    return min(values, key=int)


def pick(fact: BooleanFact | CategoryFact | IntegerFact, allowed: frozenset[Normalised]) -> Normalised:
    """The allowed value next to a disallowed one (the edge of the threshold), least concerning."""
    order = domain(fact)
    edge = [v for k, v in enumerate(order) if v in allowed and (
        (k > 0 and order[k - 1] not in allowed) or (k + 1 < len(order) and order[k + 1] not in allowed))]
    return _least_concerning(fact, edge or list(allowed))


def minimal_witnesses(cond: Condition, vocab: Vocabulary) -> list[dict[str, Normalised]]:
    out: list[dict[str, Normalised]] = []
    for allowed in solve(cond, vocab):
        w = {f: pick(vocab.fact(f), vals) for f, vals in allowed.items()}
        if w not in out:
            out.append(w)
    return out


def boundary_values(fact: BooleanFact | CategoryFact | IntegerFact, thresholds: set[int]) -> list[Normalised]:
    """Every value a qualifier can change at: all answers of small facts, thresholds ±1 of numbers."""
    if not isinstance(fact, IntegerFact):
        return list(domain(fact))
    near = {t + d for t in thresholds for d in (-1, 0, 1)}
    return sorted(v for v in near if fact.minimum <= v <= fact.maximum)


def number_thresholds(rulesets: Sequence[LoadedRuleset]) -> dict[str, set[int]]:
    """For each number fact, every value the rulesets' conditions compare it with."""
    vocab = rulesets[0].vocabulary
    out: dict[str, set[int]] = {}
    for lr in rulesets:
        for cond in lr.conditions:
            for t in fact_tests(cond):
                if isinstance(vocab.fact(t.fact), IntegerFact):
                    op = channel_operand(t, vocab)
                    out.setdefault(t.fact, set()).update(op if isinstance(op, tuple) else {op})
    return out


class _Builder:
    def __init__(self, rulesets: Sequence[LoadedRuleset], bulk: BulkEvaluator) -> None:
        self.rulesets = rulesets
        self.bulk = bulk
        self.vocab = rulesets[0].vocabulary
        self.thresholds: dict[str, set[int]] = number_thresholds(rulesets)
        self.seen: set[frozenset[tuple[str, Normalised]]] = set()
        self.reached: set[tuple[str, str]] = set()
        self.out: list[Witness] = []

    def add(self, kind: WitnessKind, lr: LoadedRuleset, rule: str, concern: str, norm: dict[str, Normalised]) -> None:
        key = frozenset(norm.items())
        if key in self.seen:
            return
        self.seen.add(key)
        self.out.append(Witness(id=f"w{len(self.out) + 1}", kind=kind, ruleset=lr.key, rule=rule, concern=concern,
                                facts=self.vocab.denormalise(norm), norm=dict(sorted(norm.items()))))

    def rule(self, lr: LoadedRuleset, index: int, rid: str, cond: Condition,
             kind: WitnessKind) -> dict[str, Normalised] | None:
        """Witnesses (and boundary variants) for one rule; the first one shown to reach it."""
        concern = " + ".join(concerns_of(cond, self.vocab))
        first: dict[str, Normalised] | None = None
        for norm in minimal_witnesses(cond, self.vocab):
            if self.bulk.truth(lr, norm)[index] is not True:
                continue
            first = first or norm
            self.add(kind, lr, rid, concern, norm)
            for f in facts_of(cond):
                for v in boundary_values(self.vocab.fact(f), self.thresholds.get(f, set())):
                    if norm.get(f) != v:
                        self.add("boundary", lr, rid, concern, {**norm, f: v})
        return first

    def combinations(self, lr: LoadedRuleset, firsts: dict[int, dict[str, Normalised]]) -> None:
        """Indicator witnesses merged to reach each combination rule, and to fall one short."""
        table = self.bulk.table(lr)
        dom = table.indicator_domain
        for ci, (comb, of_level, _gives) in enumerate(table.combos):
            eligible = [i for i in sorted(firsts) if table.indicator_level[i] >= of_level]

            def enough(group: list[int], comb: Combination = comb) -> bool:
                return len(group) >= comb.at_least and len({dom[g] for g in group}) >= comb.across_domains

            for seed in eligible:
                group, norm = [seed], dict(firsts[seed])
                while not enough(group):
                    domains = {dom[g] for g in group}
                    options = [(i, m) for i in eligible if i not in group
                               for m in [_merge(norm, firsts[i])] if m is not None]
                    if not options:
                        break
                    i, norm = min(options, key=lambda o: (dom[o[0]] in domains, o[0]))
                    group.append(i)
                if not enough(group):
                    continue
                fired = {c for c, _ in table.combination_state(self.bulk.truth(lr, norm), optimistic=False)}
                if ci in fired:
                    self.reached.add((lr.key, comb.id))
                    self.add("combination", lr, comb.id, COMBINED, norm)
                short: dict[str, Normalised] = {}
                for g in group[:-1]:
                    short.update(firsts[g])
                self.add("combination", lr, comb.id, COMBINED, short)


def _merge(x: dict[str, Normalised], y: dict[str, Normalised]) -> dict[str, Normalised] | None:
    for f, v in y.items():
        if f in x and x[f] != v:
            return None
    return {**x, **y}


def witness_bank(rulesets: Sequence[LoadedRuleset], bulk: BulkEvaluator | None = None) -> WitnessBank:
    """Witnesses for every indicator, override and combination of ``rulesets`` (deduplicated)."""
    if not rulesets:
        return WitnessBank(witnesses=[], indicators=0, covered=0, uncovered=[])
    bulk = bulk or BulkEvaluator(rulesets)
    b = _Builder(rulesets, bulk)
    uncovered: list[str] = []
    total = 0
    for lr in _unique(rulesets):
        firsts: dict[int, dict[str, Normalised]] = {}
        for i, ind in enumerate(lr.model.indicators):
            total += 1
            first = b.rule(lr, i, ind.id, ind.when, "indicator")
            if first is None:
                uncovered.append(f"{lr.key} {ind.id}")
            else:
                firsts[i] = first
        for rule in lr.override_rules:
            b.rule(lr, rule.index, rule.id, rule.when, "override")
        b.combinations(lr, firsts)
    combos = [(lr.key, c.id) for lr in _unique(rulesets) for c in lr.model.combinations]
    return WitnessBank(witnesses=b.out, indicators=total, covered=total - len(uncovered), uncovered=uncovered,
                       combinations=len(combos),
                       combinations_unreached=[f"{k} {cid}" for k, cid in combos if (k, cid) not in b.reached])


def _unique(rulesets: Sequence[LoadedRuleset]) -> list[LoadedRuleset]:
    seen: set[str] = set()
    out = []
    for r in rulesets:
        if r.sha256 not in seen:
            seen.add(r.sha256)
            out.append(r)
    return out
