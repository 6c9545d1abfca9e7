"""Conditions as data: one operator per fact test, all/any/not, and their canonical form."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from engine.model.condition import AllOf, AnyOf, Condition, FactTest, NotOf, condition_key, fact_tests, facts_of

CONDITION: TypeAdapter[Any] = TypeAdapter(Condition)


def parse(data: object) -> Any:
    return CONDITION.validate_python(data)


@pytest.mark.parametrize("op, operand", [
    ("is", True), ("is", "regular"), ("in", ["a", "b"]), ("at_least", "regular"), ("at_least", 3),
    ("at_most", "none"), ("below", 6), ("above", 12),
])
def test_each_operator(op: str, operand: object) -> None:
    t = parse({"fact": "missing_from_home", op: operand})
    assert isinstance(t, FactTest)
    assert t.operator == op and t.operand == operand


def test_is_false_is_an_operator_not_a_missing_one() -> None:
    t = parse({"fact": "independently_mobile", "is": False})
    assert t.operator == "is" and t.operand is False


@pytest.mark.parametrize("data, words", [
    ({"fact": "x_y"}, "exactly one of"),
    ({"fact": "x_y", "is": True, "below": 3}, "(found is, below)"),
    ({"fact": "x_y", "equals": 3}, "extra"),
    ({"fact": "Bad-Id", "is": True}, "pattern"),
    ({"every": []}, "fact, all, any, not"),
    ({"all": []}, "at least 1 item"),
    ("young_carer", "fact, all, any, not"),
])
def test_invalid_conditions(data: object, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse(data)
    assert words in str(info.value)


def test_nested_conditions() -> None:
    c = parse({"all": [{"fact": "a_a", "is": True},
                       {"any": [{"fact": "b_b", "below": 6}, {"not": {"fact": "a_a", "is": False}}]}]})
    assert isinstance(c, AllOf)
    inner = c.all[1]
    assert isinstance(inner, AnyOf) and isinstance(inner.any[1], NotOf)
    assert [t.fact for t in fact_tests(c)] == ["a_a", "b_b", "a_a"]  # depth first, repeats kept
    assert facts_of(c) == ["a_a", "b_b"]  # without repeats, in order of appearance


def test_aliases_round_trip_as_written() -> None:
    c = parse({"not": {"fact": "a_a", "in": [1, 2]}})
    assert c.model_dump(by_alias=True, exclude_none=True) == {"not": {"fact": "a_a", "in": [1, 2]}}


def test_condition_key_ignores_key_order_but_not_meaning() -> None:
    a = parse({"all": [{"fact": "a_a", "is": True}, {"fact": "b_b", "below": 6}]})
    b = parse({"all": [{"below": 6, "fact": "b_b"}, {"is": True, "fact": "a_a"}][::-1]})
    c = parse({"all": [{"fact": "a_a", "is": True}, {"fact": "b_b", "below": 7}]})
    assert condition_key(a) == condition_key(b)
    assert condition_key(a) != condition_key(c)
