"""Plain-English wording of answers and conditions, as triage staff and policy officers read it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from engine.load.loader import load_vocabulary
from engine.model.condition import Condition
from engine.model.vocabulary import Vocabulary
from engine.model.wording import answer, answers, describe

MINI = Path(__file__).parent / "fixtures" / "mini" / "national" / "vocabulary.yaml"
CONDITION: TypeAdapter[Any] = TypeAdapter(Condition)


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return load_vocabulary(MINI)


def words(vocab: Vocabulary, data: object) -> str:
    return describe(CONDITION.validate_python(data), vocab)


def test_answers_in_words(vocab: Vocabulary) -> None:
    assert answer(vocab, "young_carer", True) == "yes"
    assert answer(vocab, "young_carer", False) == "no"
    assert answer(vocab, "missing_from_home", "regular") == "regularly"
    assert answer(vocab, "child_age_months", 4) == "4 months"


def test_possible_answers_least_concerning_first(vocab: Vocabulary) -> None:
    assert answers(vocab, "young_carer") == ["no", "yes"]
    assert answers(vocab, "independently_mobile") == ["yes", "no"]  # 'no' is the worse answer here
    assert answers(vocab, "missing_from_home") == ["not at all", "occasionally", "regularly", "frequently"]
    assert answers(vocab, "child_age_months") == ["a number of months from 0 to 215"]


@pytest.mark.parametrize("data, text", [
    ({"fact": "young_carer", "is": True}, "Young carer: yes"),
    ({"fact": "independently_mobile", "is": False}, "Independently mobile: no"),
    ({"fact": "missing_from_home", "is": "regular"}, "Missing from home: \u201cregularly\u201d"),
    ({"fact": "missing_from_home", "in": ["regular", "frequent"]},
     "Missing from home: \u201cregularly\u201d or \u201cfrequently\u201d"),
    ({"fact": "missing_from_home", "at_least": "regular"},
     "Missing from home: \u201cregularly\u201d or more concerning"),
    ({"fact": "missing_from_home", "at_least": "frequent"}, "Missing from home: \u201cfrequently\u201d"),
    ({"fact": "missing_from_home", "at_most": "occasional"},
     "Missing from home: \u201coccasionally\u201d or less concerning"),
    ({"fact": "missing_from_home", "at_most": "none"}, "Missing from home: \u201cnot at all\u201d"),
    ({"fact": "child_age_months", "below": 6}, "Age: under 6 months"),
    ({"fact": "child_age_months", "above": 12}, "Age: over 12 months"),
    ({"fact": "child_age_months", "at_least": 192}, "Age: at least 192 months"),
    ({"fact": "child_age_months", "at_most": 3}, "Age: at most 3 months"),
    ({"fact": "child_age_months", "is": 0}, "Age: exactly 0 months"),
    ({"fact": "child_age_months", "in": [1, 2]}, "Age: 1 or 2 months"),
])
def test_fact_tests(vocab: Vocabulary, data: object, text: str) -> None:
    assert words(vocab, data) == text


def test_combinations_are_grouped_so_and_or_cannot_be_misread(vocab: Vocabulary) -> None:
    cond = {"all": [{"fact": "bruise_or_injury", "is": True},
                    {"any": [{"fact": "independently_mobile", "is": False}, {"fact": "child_age_months", "below": 6}]}]}
    assert words(vocab, cond) == ("Bruise or injury: yes; and (Independently mobile: no; or Age: under 6 months)")
    assert words(vocab, {"not": {"fact": "young_carer", "is": True}}) == "not (Young carer: yes)"
    assert words(vocab, {"any": [{"fact": "young_carer", "is": True}]}) == "Young carer: yes"
