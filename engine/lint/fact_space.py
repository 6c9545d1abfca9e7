"""The space of referrals a condition can see, enumerated exactly, for static checks.

The linter must answer questions such as "can this indicator ever fire?", "whenever this
one fires, does that one fire too?" and "can a worse answer stop it firing?". Conditions are
small and every fact has few *distinct* values as far as a condition is concerned: booleans
have two, categories a handful, and an integer fact only changes truth at the operands the
conditions compare it with. So instead of a solver we enumerate representative values
(every boolean and category value, and for integers each operand, its neighbours and the
range ends), which decides these questions exactly, with "not known" as one more value when
three-valued answers matter. A cap on the number of combinations keeps a pathological file
from turning the linter into a denial of service: past it, a question is answered ``None``
(not checked), never guessed.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence

from engine.evaluate.channels.operands import OPERATORS, channel_operand
from engine.model.condition import AllOf, AnyOf, Condition, FactTest, NotOf, Operator, fact_tests, facts_of
from engine.model.vocabulary import BooleanFact, CategoryFact, IntegerFact, Normalised, Vocabulary

MAX_COMBINATIONS = 200_000
"""Above this many assignments a question is reported as not checked."""

Assignment = Mapping[str, Normalised | None]
"""Fact id -> channel value; ``None`` (or absent) means not known."""


OperandCache = dict[int, "tuple[FactTest, Operator, bool | int | tuple[bool | int, ...]]"]
"""id(test) -> (test, operator, operand); the test is kept so its id cannot be reused meanwhile."""


def truth(cond: Condition, vocab: Vocabulary, values: Assignment, cache: OperandCache | None = None) -> bool | None:
    """Three-valued (Kleene) truth of a condition, exactly as the fast channel computes it.

    ``cache`` memoises each test's channel operand (keyed by the test object) across the
    many assignments one question enumerates.
    """
    if isinstance(cond, FactTest):
        v = values.get(cond.fact)
        if v is None:
            return None
        if cache is None:
            op, operand = cond.operator, channel_operand(cond, vocab)
        else:
            hit = cache.get(id(cond))
            if hit is None:
                hit = cache[id(cond)] = (cond, cond.operator, channel_operand(cond, vocab))
            op, operand = hit[1], hit[2]
        return OPERATORS[op].holds(v, operand)
    if isinstance(cond, AllOf):
        parts = [truth(c, vocab, values, cache) for c in cond.all]
        if any(p is False for p in parts):
            return False
        return None if any(p is None for p in parts) else True
    if isinstance(cond, AnyOf):
        parts = [truth(c, vocab, values, cache) for c in cond.any]
        if any(p is True for p in parts):
            return True
        return None if any(p is None for p in parts) else False
    assert isinstance(cond, NotOf)
    inner = truth(cond.not_, vocab, values, cache)
    return None if inner is None else not inner


class FactSpace:
    """Representative values of each fact, from least to most concerning where ordered."""

    def __init__(self, vocab: Vocabulary, conditions: Iterable[Condition]) -> None:
        self.vocab = vocab
        operands: dict[str, set[int]] = {}
        for cond in conditions:
            for t in fact_tests(cond):
                fact = vocab.by_id.get(t.fact)
                if isinstance(fact, IntegerFact):
                    raw = t.operand if isinstance(t.operand, list) else [t.operand]
                    operands.setdefault(t.fact, set()).update(int(v) for v in raw)
        self._operands = operands
        self.cache: OperandCache = {}

    def values(self, fact_id: str) -> list[Normalised]:
        """Every value that can change a condition's truth, in order of concern."""
        fact = self.vocab.fact(fact_id)
        if isinstance(fact, BooleanFact):
            return [not fact.worse, fact.worse]
        if isinstance(fact, CategoryFact):
            return list(range(len(fact.values)))
        points = {fact.minimum, fact.maximum}
        for v in self._operands.get(fact_id, set()):
            points.update(p for p in (v - 1, v, v + 1) if fact.minimum <= p <= fact.maximum)
        ordered = sorted(points)
        return list(reversed(ordered)) if fact.worse == "lower" else ordered

    def worse_values(self, fact_id: str, value: Normalised) -> list[Normalised]:
        """Values more concerning than ``value``; none for context facts such as age."""
        fact = self.vocab.fact(fact_id)
        if isinstance(fact, IntegerFact) and fact.worse == "none":
            return []
        vals = self.values(fact_id)
        return vals[vals.index(value) + 1:]

    def size(self, facts: Sequence[str], unknown: bool) -> int:
        n = 1
        for f in facts:
            n *= len(self.values(f)) + (1 if unknown else 0)
        return n

    def assignments(self, facts: Sequence[str], unknown: bool) -> Iterator[dict[str, Normalised | None]]:
        """Every combination of representative values (with "not known" when ``unknown``)."""
        choices: list[list[Normalised | None]] = []
        for f in facts:
            vals: list[Normalised | None] = list(self.values(f))
            choices.append(vals + [None] if unknown else vals)
        for combo in itertools.product(*choices):
            yield dict(zip(facts, combo))


def satisfiable(cond: Condition, space: FactSpace) -> bool | None:
    """Can the condition be true for some referral? ``None`` when too large to check."""
    facts = facts_of(cond)
    if space.size(facts, unknown=False) > MAX_COMBINATIONS:
        return None
    return any(truth(cond, space.vocab, a, space.cache) is True for a in space.assignments(facts, unknown=False))


def implies(a: Condition, b: Condition, space: FactSpace) -> bool | None:
    """Is ``b`` true on every referral, complete or not, where ``a`` is true?

    Unknown facts are included, so "a implies b" means b cannot even be left open by a
    referral that matches a. ``None`` when too large to check.
    """
    fa, fb = facts_of(a), facts_of(b)
    if not set(fa) & set(fb):
        return False  # b would be unknown when only a's facts are reported
    facts = list(dict.fromkeys([*fa, *fb]))
    if space.size(facts, unknown=True) > MAX_COMBINATIONS:
        return None
    vocab = space.vocab
    found = False
    for asg in space.assignments(facts, unknown=True):
        if truth(a, vocab, asg, space.cache) is True:
            found = True
            if truth(b, vocab, asg, space.cache) is not True:
                return False
    return found


def monotonicity_breaks(cond: Condition, space: FactSpace) -> list[str] | None:
    """Facts for which a *worse* answer can turn the condition from true to not true.

    Empty when the condition respects every fact's risk direction. ``None`` when too large.
    """
    facts = facts_of(cond)
    if space.size(facts, unknown=False) > MAX_COMBINATIONS:
        return None
    vocab = space.vocab
    broken: dict[str, None] = {}
    for asg in space.assignments(facts, unknown=False):
        if truth(cond, vocab, asg, space.cache) is not True:
            continue
        for f in facts:
            if f in broken:
                continue
            for worse in space.worse_values(f, asg[f]):  # type: ignore[arg-type]
                if truth(cond, vocab, {**asg, f: worse}, space.cache) is not True:
                    broken[f] = None
                    break
    return list(broken)
