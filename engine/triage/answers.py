"""The possible answers to one fact's question, and reading a typed answer.

Triage asks one fact at a time, and to say what each answer would do the engine must try
every answer that could make a difference. Booleans have two and categories have their
values; an integer such as the child's age has a hundred or more, but the ruleset only ever
compares it with a few numbers ("under 6 months", "under 13", "16 or over"). Between two
neighbouring cut points every comparison gives the same result, so one value per interval
(its lowest) is an exact stand-in for the whole interval: nothing is sampled or guessed.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from engine.model.condition import FactTest
from engine.model.vocabulary import BooleanFact, CategoryFact, FactValue, IntegerFact, normalise_value

NOT_KNOWN_WORDS = frozenset({"?", "not known", "unknown", "don't know", "dont know", "dk", "n/k", "nk"})
YES_WORDS = frozenset({"y", "yes", "true"})
NO_WORDS = frozenset({"n", "no", "false"})

AnyFact = BooleanFact | CategoryFact | IntegerFact


class PossibleAnswer(BaseModel):
    """One answer that could be given: the referral value and, for numbers, the range it stands for."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: FactValue
    label: str
    minimum: int | None = None
    maximum: int | None = None


def cut_points(fact: IntegerFact, tests: Iterable[FactTest]) -> list[int]:
    """The numbers at which some comparison of ``fact`` changes its result, inside the fact's range."""
    cuts: set[int] = set()
    for t in tests:
        if t.fact != fact.id:
            continue
        op, operand = t.operator, t.operand
        values = operand if isinstance(operand, list) else [operand]
        for v in values:
            if isinstance(v, bool) or not isinstance(v, int):
                continue
            if op in ("below", "at_least"):
                cuts.add(v)
            elif op in ("above", "at_most"):
                cuts.add(v + 1)
            else:  # is / in: the value itself is its own interval
                cuts.update((v, v + 1))
    return sorted(c for c in cuts if fact.minimum < c <= fact.maximum)


def possible_answers(fact: AnyFact, tests: Iterable[FactTest] = ()) -> list[PossibleAnswer]:
    """Every answer that could make a difference, least concerning first where ordered.

    For integers, ``tests`` are the ruleset's comparisons of that fact; the answers are the
    intervals between their cut points (one interval when nothing compares the fact).
    """
    if isinstance(fact, BooleanFact):
        order = [not fact.worse, fact.worse]
        return [PossibleAnswer(value=v, label="yes" if v else "no") for v in order]
    if isinstance(fact, CategoryFact):
        return [PossibleAnswer(value=v.id, label=v.label) for v in fact.values]
    bounds = [fact.minimum, *cut_points(fact, tests), fact.maximum + 1]
    out = []
    for lo, nxt in zip(bounds, bounds[1:]):
        hi = nxt - 1
        label = f"{lo} {fact.unit}" if lo == hi else f"{lo} to {hi} {fact.unit}"
        out.append(PossibleAnswer(value=lo, label=label, minimum=lo, maximum=hi))
    return out


class NotKnown:
    """The answer "not known": the fact stays unknown (never read as "no")."""

    def __repr__(self) -> str:
        return "NOT_KNOWN"


NOT_KNOWN = NotKnown()


def parse_answer(fact: AnyFact, text: str) -> FactValue | NotKnown:
    """A typed answer as a referral value; ValueError says what would have been accepted.

    Booleans take yes/no; categories take the number shown beside the answer, its id or its
    exact wording; integers take a whole number in range. "?" or "not known" means not known.
    """
    said = " ".join(text.strip().lower().split())
    if said in NOT_KNOWN_WORDS:
        return NOT_KNOWN
    if isinstance(fact, BooleanFact):
        if said in YES_WORDS:
            return True
        if said in NO_WORDS:
            return False
        raise ValueError("answer yes or no (or ? if not known)")
    if isinstance(fact, CategoryFact):
        n = len(fact.values)
        if said.isdigit() and 1 <= int(said) <= n:
            return fact.values[int(said) - 1].id
        for v in fact.values:
            if said in (v.id, v.label.lower()):
                return v.id
        raise ValueError(f"answer with a number from 1 to {n} (or ? if not known)")
    try:
        number = int(said)
    except ValueError:
        raise ValueError(f"answer with a whole number of {fact.unit} from {fact.minimum} to {fact.maximum} "
                         "(or ? if not known)") from None
    normalise_value(fact, number)  # raises ValueError naming the allowed range
    return number


__all__ = ["NOT_KNOWN", "NotKnown", "PossibleAnswer", "cut_points", "parse_answer", "possible_answers"]
