"""What a fact test means, stated once: operands as channel values and the meaning of each operator.

Both channels, the linter's fact space and the diff's witness builder derive from this table, so
the fast channel's generated Python, durable_rules' compiled rules and the three-valued checks
that explain and compare rulesets cannot disagree on what ``at_least 3`` or ``in [...]`` means.
"""

from __future__ import annotations

import operator as op
from collections.abc import Callable
from dataclasses import dataclass

from engine.model.condition import FactTest, Operator
from engine.model.vocabulary import CategoryFact, Normalised, Vocabulary

ChannelOperand = bool | int | tuple[bool | int, ...]


@dataclass(frozen=True)
class Meaning:
    """One operator: how a known value is tested, and how each channel writes that test."""

    holds: Callable[[Normalised, ChannelOperand], bool]
    """Whether a known channel value passes the test (unknown values are handled by the caller)."""
    python: str
    """The Python operator the fast channel emits (``value <python> operand``)."""
    durable: str | None
    """durable_rules' comparison (``$gte`` ...); None where the test is written as equality or a disjunction."""
    negation: Operator | None
    """The ordering operator testing the opposite (``at_least`` and ``below``), for durable's negated form."""


def _in(v: Normalised, operand: ChannelOperand) -> bool:
    assert isinstance(operand, tuple)
    return v in operand


def _ordered(compare: Callable[[int, int], bool]) -> Callable[[Normalised, ChannelOperand], bool]:
    def holds(v: Normalised, operand: ChannelOperand) -> bool:
        assert not isinstance(operand, tuple)
        return compare(v, operand)
    return holds


OPERATORS: dict[Operator, Meaning] = {
    "is": Meaning(op.eq, "==", None, None),
    "in": Meaning(_in, "in", None, None),
    "at_least": Meaning(_ordered(op.ge), ">=", "$gte", "below"),
    "at_most": Meaning(_ordered(op.le), "<=", "$lte", "above"),
    "below": Meaning(_ordered(op.lt), "<", "$lt", "at_least"),
    "above": Meaning(_ordered(op.gt), ">", "$gt", "at_most"),
}


def holds(test: FactTest, operand: ChannelOperand, value: Normalised) -> bool:
    """Whether a known channel value passes a fact test (``operand`` from ``channel_operand``)."""
    return OPERATORS[test.operator].holds(value, operand)


def channel_operand(test: FactTest, vocab: Vocabulary) -> ChannelOperand:
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
