"""Generated referrals for property, differential and load tests (and the benchmark).

Referrals are dicts of *raw* facts, exactly as a referral's JSON carries them (booleans,
category value ids, whole numbers); a fact is either absent, ``None`` (both mean "not
known") or a valid value. Generation is biased toward the facts a ruleset reads, because a
referral made of facts no rule reads exercises nothing; integer facts take the boundary
values of the ruleset's own comparisons (each threshold, one either side, the bounds) so
that off-by-one errors in either channel would show.

Two generators share one :class:`FactSpace` per ruleset:

* :func:`referrals`: a hypothesis strategy, for property tests that should shrink;
* :func:`random_referral`: a seeded ``random.Random`` generator, for the 10,000-referral
  differential test and the benchmark, where hypothesis's per-example overhead would
  dominate.

Both produce four shapes: ``sparse`` (mostly unknown), ``mixed``, ``dense`` (few unknowns,
small enough to brute-force every completion) and ``full`` (every fact the ruleset reads
is known).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from hypothesis import strategies as st

from engine.load.catalogue import LoadedRuleset
from engine.model.condition import fact_tests
from engine.model.vocabulary import (
    AGE_FACT,
    BooleanFact,
    CategoryFact,
    FactValue,
    IntegerFact,
    Vocabulary,
    least_concerning,
)

SHAPES: tuple[str, ...] = ("sparse", "mixed", "dense", "full")
# Chance (in percent) that a fact the ruleset reads is reported, per shape.
KNOWN_PERCENT: dict[str, int] = {"sparse": 15, "mixed": 50, "dense": 92, "full": 100}
# Chance that a fact no rule reads is reported anyway (it must change nothing).
IRRELEVANT_PERCENT = 3
# Chance (in percent) that a reported fact takes a concerning value rather than the least
# concerning one; drawn once per referral. Uniform values would put nearly every referral
# with many facts at the top level, and the properties need results spread over every level.
CONCERN_PERCENT: tuple[int, ...] = (0, 2, 5, 10, 25, 50)

Referral = dict[str, FactValue | None]


def fact_values(fact: BooleanFact | CategoryFact | IntegerFact, thresholds: Sequence[int] = ()) -> list[FactValue]:
    """The values worth trying for one fact, least to most concerning where ordered.

    Integers: the bounds plus every threshold a rule compares against and one either side,
    clipped to the fact's range; between two of these, every value behaves the same.
    """
    if isinstance(fact, BooleanFact):
        return [not fact.worse, fact.worse]
    if isinstance(fact, CategoryFact):
        return list(fact.value_ids)
    points = {fact.minimum, fact.maximum}
    for t in thresholds:
        points.update(v for v in (t - 1, t, t + 1) if fact.minimum <= v <= fact.maximum)
    ordered = sorted(points)
    return list(reversed(ordered)) if fact.worse == "lower" else ordered


def worse_values(fact: BooleanFact | CategoryFact | IntegerFact, value: FactValue,
                 thresholds: Sequence[int] = ()) -> list[FactValue]:
    """Values strictly worse than ``value`` in the fact's risk direction ([] for worse: none)."""
    if isinstance(fact, BooleanFact):
        return [fact.worse] if value != fact.worse else []
    if isinstance(fact, CategoryFact):
        return list(fact.value_ids[fact.value_ids.index(str(value)) + 1:])
    if fact.worse == "none":
        return []
    assert isinstance(value, int)
    candidates = set(fact_values(fact, thresholds)) | {fact.minimum, fact.maximum}
    if fact.worse == "higher":
        return sorted(v for v in candidates if isinstance(v, int) and v > value)
    return sorted((v for v in candidates if isinstance(v, int) and v < value), reverse=True)


@dataclass(frozen=True)
class FactSpace:
    """The facts one ruleset reads and the values worth generating for each."""

    loaded: LoadedRuleset

    @property
    def vocabulary(self) -> Vocabulary:
        return self.loaded.vocabulary

    @cached_property
    def thresholds(self) -> dict[str, list[int]]:
        """Integer operands of every comparison, per integer fact."""
        out: dict[str, list[int]] = {}
        conds = self.loaded.conditions
        for cond in conds:
            for t in fact_tests(cond):
                fact = self.vocabulary.fact(t.fact)
                if isinstance(fact, IntegerFact):
                    ops = t.operand if isinstance(t.operand, list) else [t.operand]
                    out.setdefault(t.fact, []).extend(int(v) for v in ops)
        return out

    @cached_property
    def relevant(self) -> list[str]:
        """Fact ids read by any indicator or override, in vocabulary order."""
        read = {t.fact for r in self._conditions for t in fact_tests(r)}
        return [f.id for f in self.vocabulary.facts if f.id in read]

    @cached_property
    def irrelevant(self) -> list[str]:
        read = set(self.relevant)
        return [f.id for f in self.vocabulary.facts if f.id not in read]

    @property
    def _conditions(self) -> list[Any]:
        return self.loaded.conditions

    @cached_property
    def _values(self) -> dict[str, list[FactValue]]:
        return {f.id: fact_values(f, self.thresholds.get(f.id, ())) for f in self.vocabulary.facts}

    def values(self, fact_id: str) -> list[FactValue]:
        """The values worth trying (shared list: do not modify)."""
        return self._values[fact_id]

    def worse(self, fact_id: str, value: FactValue) -> list[FactValue]:
        return worse_values(self.vocabulary.fact(fact_id), value, self.thresholds.get(fact_id, ()))

    def completions(self, referral: Mapping[str, FactValue | None], facts: Sequence[str],
                    limit: int, rng: random.Random) -> Iterator[Referral]:
        """Ways of filling in ``facts``: every one if there are at most ``limit``, else a sample.

        A sample always includes the all-least and all-most concerning completions.
        """
        choices = [self.values(f) for f in facts]
        total = 1
        for c in choices:
            total *= len(c)
            if total > limit:
                break
        if total <= limit:
            combos: Iterator[tuple[FactValue, ...]] = itertools.product(*choices)
        else:
            extremes = [tuple(c[0] for c in choices), tuple(c[-1] for c in choices)]
            sample = (tuple(rng.choice(c) for c in choices) for _ in range(limit - 2))
            combos = itertools.chain(extremes, sample)
        for combo in combos:
            filled: Referral = dict(referral)
            filled.update(zip(facts, combo))
            yield filled


def unknown_relevant(space: FactSpace, referral: Mapping[str, FactValue | None]) -> list[str]:
    """Facts the ruleset reads that this referral leaves unknown."""
    return [f for f in space.relevant if referral.get(f) is None]


# --- hypothesis -------------------------------------------------------------------------

@st.composite
def referrals(draw: st.DrawFn, space: FactSpace, shapes: Sequence[str] = SHAPES) -> Referral:
    """A referral for one ruleset; unknown facts are sometimes absent, sometimes ``None``."""
    shape = draw(st.sampled_from(list(shapes)))
    percent = KNOWN_PERCENT[shape]
    concern = draw(st.sampled_from(CONCERN_PERCENT))
    out: Referral = {}
    for f in space.relevant:
        if percent < 100 and draw(st.integers(0, 99)) >= percent:
            if draw(st.booleans()):
                out[f] = None
            continue
        out[f] = draw(_value(space, f, concern))
    for f in space.irrelevant:
        if draw(st.integers(0, 99)) < IRRELEVANT_PERCENT:
            out[f] = draw(_value(space, f, 50))
    return out


def _value(space: FactSpace, fact_id: str, concern: int) -> st.SearchStrategy[FactValue]:
    """The least concerning value, or (``concern`` percent of the time) any other."""
    fact = space.vocabulary.fact(fact_id)
    values = space.values(fact_id)
    if isinstance(fact, IntegerFact):
        anything = st.one_of(st.sampled_from(values), st.integers(fact.minimum, fact.maximum))
        if fact.worse == "none":
            return anything
    else:
        anything = st.sampled_from(values[1:])
    return st.integers(0, 99).flatmap(lambda n: anything if n < concern else st.just(values[0]))


# --- seeded random ----------------------------------------------------------------------

def random_referral(space: FactSpace, rng: random.Random, shape: str | None = None) -> Referral:
    """The same distribution as :func:`referrals`, from a seeded generator."""
    shape = shape or rng.choice(SHAPES)
    percent = KNOWN_PERCENT[shape]
    concern = rng.choice(CONCERN_PERCENT)
    out: Referral = {}
    for f in space.relevant:
        if rng.randrange(100) >= percent:
            if rng.random() < 0.5:
                out[f] = None
            continue
        out[f] = _random_value(space, f, rng, concern)
    for f in space.irrelevant:
        if rng.randrange(100) < IRRELEVANT_PERCENT:
            out[f] = _random_value(space, f, rng, 50)
    return out


def _random_value(space: FactSpace, fact_id: str, rng: random.Random, concern: int) -> FactValue:
    fact = space.vocabulary.fact(fact_id)
    values = space.values(fact_id)
    if isinstance(fact, IntegerFact) and (fact.worse == "none" or rng.randrange(100) < concern):
        return rng.randint(fact.minimum, fact.maximum) if rng.random() < 0.3 else rng.choice(values)
    if rng.randrange(100) < concern:
        return rng.choice(values[1:])
    return values[0]


def applicable(vocab: Vocabulary, known: Mapping[str, object], filled: Mapping[str, Any]) -> dict[str, Any]:
    """A completion of unknown facts that respects the vocabulary's ``applies`` (a child's age).

    The vocabulary declares some values impossible for a child (a 4-month-old is not sexually
    active), and the engine neither asks such a fact nor lets it raise its bounds. A completion
    of the unknowns is a possible child, so an unknown fact that cannot apply to the completed
    age takes its least concerning value. Reported facts are never changed.
    """
    out = dict(filled)
    age = out.get(AGE_FACT, known.get(AGE_FACT))
    if not isinstance(age, int) or isinstance(age, bool):
        return out
    for fid in vocab.inapplicable({AGE_FACT: age}):
        if fid not in known and fid in out:
            fact = vocab.fact(fid)
            out[fid] = (fact.value_ids[0] if isinstance(fact, CategoryFact) and isinstance(out[fid], str)
                        else least_concerning(fact))
    return out
