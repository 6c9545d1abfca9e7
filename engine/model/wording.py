"""Conditions and fact values in plain English.

Used by explanations ("why this level") and by the readable view of a whole ruleset, so a
policy officer reads the same words the triage worker sees.
"""

from __future__ import annotations

from engine.model.condition import AllOf, AnyOf, Condition, FactTest, NotOf
from engine.model.vocabulary import BooleanFact, CategoryFact, FactValue, IntegerFact, Vocabulary


def answer(vocab: Vocabulary, fact_id: str, value: FactValue) -> str:
    """A reported value in words: 'yes', 'regularly', '4 months'."""
    fact = vocab.fact(fact_id)
    if isinstance(fact, BooleanFact):
        return "yes" if value is True else "no"
    if isinstance(fact, CategoryFact):
        for v in fact.values:
            if v.id == value:
                return v.label
        return str(value)
    return f"{value} {fact.unit}"


def answers(vocab: Vocabulary, fact_id: str) -> list[str]:
    """The possible answers to a fact's question, least to most concerning where ordered."""
    fact = vocab.fact(fact_id)
    if isinstance(fact, BooleanFact):
        return ["no", "yes"] if fact.worse else ["yes", "no"]
    if isinstance(fact, CategoryFact):
        return [v.label for v in fact.values]
    return [f"a number of {fact.unit} from {fact.minimum} to {fact.maximum}"]


def _value_label(fact: CategoryFact, value_id: object) -> str:
    for v in fact.values:
        if v.id == value_id:
            return f"\u201c{v.label}\u201d"
    return str(value_id)


def describe_test(test: FactTest, vocab: Vocabulary) -> str:
    fact = vocab.fact(test.fact)
    name = fact.label
    op, operand = test.operator, test.operand
    if isinstance(fact, BooleanFact):
        return f"{name}: {'yes' if operand else 'no'}"
    if isinstance(fact, CategoryFact):
        if op == "is":
            return f"{name}: {_value_label(fact, operand)}"
        if op == "in":
            return f"{name}: " + " or ".join(_value_label(fact, v) for v in operand)
        if op == "at_least":
            tail = "" if operand == fact.values[-1].id else " or more concerning"
            return f"{name}: {_value_label(fact, operand)}{tail}"
        tail = "" if operand == fact.values[0].id else " or less concerning"
        return f"{name}: {_value_label(fact, operand)}{tail}"
    assert isinstance(fact, IntegerFact)
    unit = fact.unit
    words = {"is": "exactly", "at_least": "at least", "at_most": "at most", "below": "under", "above": "over"}
    if op == "in":
        return f"{name}: " + " or ".join(str(v) for v in operand) + f" {unit}"
    return f"{name}: {words[op]} {operand} {unit}"


def describe(cond: Condition, vocab: Vocabulary) -> str:
    """A condition as one plain-English sentence fragment."""
    if isinstance(cond, FactTest):
        return describe_test(cond, vocab)
    if isinstance(cond, AllOf):
        parts = [_group(c, vocab) for c in cond.all]
        return parts[0] if len(parts) == 1 else "; and ".join(parts)
    if isinstance(cond, AnyOf):
        parts = [_group(c, vocab) for c in cond.any]
        return parts[0] if len(parts) == 1 else "; or ".join(parts)
    assert isinstance(cond, NotOf)
    return f"not ({describe(cond.not_, vocab)})"


def _group(cond: Condition, vocab: Vocabulary) -> str:
    text = describe(cond, vocab)
    return f"({text})" if isinstance(cond, (AllOf, AnyOf)) and len(getattr(cond, "all", None) or
                                                                   getattr(cond, "any", None) or []) > 1 else text


def referral_words(vocab: Vocabulary, facts: dict[str, FactValue]) -> str:
    """A referral in plain words, for reports: "going missing: has started to go missing; ..."."""
    def lower(s: str) -> str:
        return s[:1].lower() + s[1:]
    return "; ".join(f"{lower(vocab.fact(f).label)}: {lower(answer(vocab, f, v))}" for f, v in facts.items()) \
        or "nothing reported"
