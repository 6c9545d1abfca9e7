"""Conditions over the vocabulary, as data: ``all`` / ``any`` / ``not`` over fact tests.

A fact test names one fact and exactly one comparison::

    {fact: missing_from_home, at_least: regular}
    {fact: child_age_months, below: 6}
    {fact: young_carer, is: true}
    {all: [...]}, {any: [...]}, {not: {...}}

Conditions are kept deliberately small so that both evaluation channels, the plain-English
renderer and the witness generator can treat every form exhaustively.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

OPERATORS: tuple[str, ...] = ("is", "in", "at_least", "at_most", "below", "above")
Operator = Literal["is", "in", "at_least", "at_most", "below", "above"]
Scalar = bool | int | str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class FactTest(_Strict):
    """One comparison of one fact. Unknown facts make the test unknown, never false."""

    fact: str = Field(pattern=r"^[a-z][a-z0-9_]{1,63}$")
    is_: Scalar | None = Field(default=None, alias="is", description="Equal to this value.")
    in_: list[Scalar] | None = Field(default=None, alias="in", min_length=1, description="One of these.")
    at_least: int | str | None = Field(default=None, description="This value or a worse (later) one.")
    at_most: int | str | None = Field(default=None, description="This value or an earlier one.")
    below: int | None = Field(default=None, description="A number strictly below this.")
    above: int | None = Field(default=None, description="A number strictly above this.")

    @model_validator(mode="after")
    def _exactly_one_operator(self) -> FactTest:
        given = [op for op in OPERATORS if self.value_of(op) is not None]
        if len(given) != 1:
            raise ValueError(
                "a fact test needs exactly one of: " + ", ".join(OPERATORS)
                + (f" (found {', '.join(given)})" if given else "")
            )
        return self

    def value_of(self, op: str) -> Any:
        return getattr(self, op + "_" if op in ("is", "in") else op)

    @property
    def operator(self) -> Operator:
        for op in OPERATORS:
            if self.value_of(op) is not None:
                return op  # type: ignore[return-value]
        raise AssertionError("validated: one operator is set")

    @property
    def operand(self) -> Any:
        return self.value_of(self.operator)


class AllOf(_Strict):
    all: list[Condition] = Field(min_length=1)


class AnyOf(_Strict):
    any: list[Condition] = Field(min_length=1)


class NotOf(_Strict):
    not_: Condition = Field(alias="not")


def _kind(v: Any) -> str | None:
    if isinstance(v, dict):
        for key in ("all", "any", "not", "fact"):
            if key in v:
                return key
        return None
    if isinstance(v, FactTest):
        return "fact"
    if isinstance(v, AllOf):
        return "all"
    if isinstance(v, AnyOf):
        return "any"
    if isinstance(v, NotOf):
        return "not"
    return None


Condition = Annotated[
    Annotated[FactTest, Tag("fact")]
    | Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[NotOf, Tag("not")],
    Discriminator(
        _kind,
        custom_error_type="condition",
        custom_error_message="a condition must have one of the keys: fact, all, any, not",
    ),
]

AllOf.model_rebuild()
AnyOf.model_rebuild()
NotOf.model_rebuild()


def fact_tests(cond: Condition) -> Iterator[FactTest]:
    """Every fact test in a condition, depth first."""
    if isinstance(cond, FactTest):
        yield cond
    elif isinstance(cond, AllOf):
        for c in cond.all:
            yield from fact_tests(c)
    elif isinstance(cond, AnyOf):
        for c in cond.any:
            yield from fact_tests(c)
    else:
        yield from fact_tests(cond.not_)


def facts_of(cond: Condition) -> list[str]:
    """The fact ids a condition reads, without repeats, in order of appearance."""
    seen: dict[str, None] = {}
    for t in fact_tests(cond):
        seen.setdefault(t.fact, None)
    return list(seen)


def condition_key(cond: Condition) -> str:
    """A canonical text of a condition, to spot identical conditions."""
    import json

    return json.dumps(cond.model_dump(mode="json", by_alias=True, exclude_none=True), sort_keys=True)
