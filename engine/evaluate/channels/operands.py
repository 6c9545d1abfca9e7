"""Condition operands as channel values, shared by both compilers so they cannot drift."""

from __future__ import annotations

from engine.model.condition import FactTest
from engine.model.vocabulary import CategoryFact, Vocabulary


def channel_operand(test: FactTest, vocab: Vocabulary) -> bool | int | tuple[bool | int, ...]:
    """The operand with category value ids replaced by their ranks (lists become tuples)."""
    fact = vocab.fact(test.fact)

    def one(v: object) -> bool | int:
        if isinstance(fact, CategoryFact):
            return fact.rank(str(v))
        assert isinstance(v, (bool, int))
        return v

    operand = test.operand
    if isinstance(operand, list):
        return tuple(one(v) for v in operand)
    return one(operand)
