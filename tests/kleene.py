"""A reference three-valued (Kleene) reading of conditions, written for tests only.

Deliberately independent of both channels: it reads the condition model and *raw* referral
values (category value ids, not ranks) directly, with no generated code and no shared operand
helper, so a bug in either compiler shows up as a disagreement with this third reading.
"""

from __future__ import annotations

from collections.abc import Mapping

from engine.model.condition import AllOf, AnyOf, Condition, FactTest, NotOf
from engine.model.vocabulary import CategoryFact, FactValue, Vocabulary

Truth = bool | None


def _order(vocab: Vocabulary, fact_id: str, value: object) -> int:
    fact = vocab.fact(fact_id)
    if isinstance(fact, CategoryFact):
        return [v.id for v in fact.values].index(str(value))
    assert isinstance(value, int) and not isinstance(value, bool)
    return value


def fact_test_truth(test: FactTest, facts: Mapping[str, FactValue | None], vocab: Vocabulary) -> Truth:
    value = facts.get(test.fact)
    if value is None:
        return None
    op, operand = test.operator, test.operand
    if op == "is":
        return value == operand and type(value) is type(operand)
    if op == "in":
        return any(value == o and type(value) is type(o) for o in operand)
    have, want = _order(vocab, test.fact, value), _order(vocab, test.fact, operand)
    return {
        "at_least": have >= want,
        "at_most": have <= want,
        "below": have < want,
        "above": have > want,
    }[op]


def truth(cond: Condition, facts: Mapping[str, FactValue | None], vocab: Vocabulary) -> Truth:
    """True, False, or None when the unknown facts leave the answer open."""
    if isinstance(cond, FactTest):
        return fact_test_truth(cond, facts, vocab)
    if isinstance(cond, NotOf):
        inner = truth(cond.not_, facts, vocab)
        return None if inner is None else not inner
    parts = [truth(c, facts, vocab) for c in (cond.all if isinstance(cond, AllOf) else cond.any)]
    if isinstance(cond, AllOf):
        return False if False in parts else (None if None in parts else True)
    assert isinstance(cond, AnyOf)
    return True if True in parts else (None if None in parts else False)
