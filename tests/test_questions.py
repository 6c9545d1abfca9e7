"""The next-question engine on real rulesets: order, what is dropped, answers, "not known"."""

from __future__ import annotations

from functools import cache

import pytest

from engine.evaluate.evaluator import compile_ruleset
from engine.load.catalogue import Catalogue
from engine.model.vocabulary import IntegerFact
from engine.triage.answers import NOT_KNOWN, parse_answer, possible_answers
from engine.triage.questions import NextQuestion, QuestionEngine

MINI = "tests/fixtures/mini"


@cache
def bundled() -> Catalogue:
    return Catalogue.load()


@cache
def engine(rid: str, root: str | None = None) -> QuestionEngine:
    cat = Catalogue.load(root) if root else bundled()
    return QuestionEngine(compile_ruleset(cat.select(rid), with_durable=False))


CURRENT = [r.id for r in bundled().current()]


def first(qe: QuestionEngine, facts: dict[str, object]) -> str:
    return qe.order_of_questions(qe.vocab.normalise(facts))[0]


@pytest.mark.parametrize("rid", CURRENT)
def test_age_first_then_immediate_danger_then_the_bruise_for_a_baby(rid: str) -> None:
    qe = engine(rid)
    assert first(qe, {}) == "child_age_months"
    assert first(qe, {"child_age_months": 3}) == "immediate_danger"
    assert first(qe, {"child_age_months": 3, "immediate_danger": False}) == "bruise_or_injury"
    q = qe.next_questions(qe.vocab.normalise({"child_age_months": 3, "immediate_danger": False}), limit=1)
    yes = next(a for a in q.questions[0].answers if a.value is True)
    assert yes.outcome.value == "child_protection" and yes.raises
    assert {o.id for o in yes.overrides} == {"bruise-or-injury-under-6-months"}
    assert all(c.url for o in yes.overrides for c in o.cite[:1])


@pytest.mark.parametrize("rid", CURRENT)
def test_order_is_safety_then_reach_then_related(rid: str) -> None:
    qe = engine(rid)
    concern = next(f for f in qe.form if f not in ("child_age_months", "immediate_danger")
                   and qe.vocab.fact(f).type != "integer")
    facts = {"child_age_months": 100, concern: qe.possible(concern)[-1].value}
    q = qe.next_questions(qe.vocab.normalise(facts))
    def key(x: NextQuestion) -> tuple[int, int, int, int]:
        if x.opening or x.safety:  # safety questions: by what their safety rules can require
            assert x.opening or x.safety_floor is not None
            return (0 if x.opening else 1, -(x.safety_floor.rank if x.safety_floor else 0), not x.related,
                    -x.could_reach_outcome.rank)
        return (2, -x.could_reach_outcome.rank, -qe.table.level_index[x.could_reach.id], not x.related)

    keys = [key(x) for x in q.questions]
    assert keys == sorted(keys)
    assert q.questions and q.questions[0].fact == "immediate_danger"
    assert not {x.fact for x in q.questions} & set(facts)
    assert {x.fact for x in q.questions} <= set(qe.form)


def test_facts_that_cannot_change_anything_are_not_asked() -> None:
    qe = engine("demo", MINI)
    # Frequently missing is already Level 4 (child protection); young carer and supervision are
    # Level 2 and cannot raise it, and both safety rules are decided: nothing left to ask.
    facts = {"missing_from_home": "frequent", "immediate_danger": False, "bruise_or_injury": False}
    q = qe.next_questions(qe.vocab.normalise(facts))
    assert q.complete and q.questions == [] and q.questions_total == 0
    assert "young_carer" not in facts and "child_age_months" not in qe.form  # unknown, but irrelevant
    # One safety rule undecided: its facts are still asked even at the top of the local scale.
    q = qe.next_questions(qe.vocab.normalise({"missing_from_home": "frequent", "bruise_or_injury": True}))
    assert not q.complete
    assert [x.fact for x in q.questions] == ["immediate_danger", "independently_mobile"]


def test_not_known_is_never_no_and_never_asked_again() -> None:
    qe = engine("demo", MINI)
    q = qe.next_questions({}, not_known={"immediate_danger"})
    assert "immediate_danger" not in [x.fact for x in q.questions]
    assert q.not_known_that_matter == ["immediate_danger"]
    assert not q.complete and q.highest_reachable.value == "immediate_protection"
    norm = qe.vocab.normalise({"bruise_or_injury": False, "missing_from_home": "frequent"})
    q = qe.next_questions(norm, not_known={"immediate_danger"})
    assert q.questions == [] and not q.complete, "only a 'not known' fact matters: not complete"
    assert "not known" in q.note


def test_combination_facts_are_asked_when_only_together_they_raise() -> None:
    qe = engine("demo", MINI)
    facts = {"immediate_danger": False, "bruise_or_injury": False, "missing_from_home": "occasional",
             "young_carer": True}
    q = qe.next_questions(qe.vocab.normalise(facts))
    asked = {x.fact: x for x in q.questions}
    assert set(asked) == {"poor_supervision"}  # missing is known: "frequently" is ruled out
    sup = asked["poor_supervision"]
    assert sup.could_reach.id == "L3" and "three-additional" in sup.via
    yes = next(a for a in sup.answers if a.value is True)
    assert yes.level.id == "L3" and yes.combinations and yes.indicators[0].id == "poor-supervision"


def test_integer_answers_are_the_intervals_between_cut_points() -> None:
    qe = engine(CURRENT[0])
    fact = qe.vocab.fact("child_age_months")
    assert isinstance(fact, IntegerFact)
    answers = qe.possible("child_age_months")
    assert answers[0].minimum == fact.minimum and answers[-1].maximum == fact.maximum
    for a, b in zip(answers, answers[1:]):
        assert a.maximum is not None and b.minimum == a.maximum + 1
    starts = {a.minimum for a in answers}
    assert {6, 156, 192} <= starts  # under 6 months, under 13, 16 or over (national rules)
    assert [a.label for a in possible_answers(fact)] == ["0 to 215 months"]


def test_typed_answers() -> None:
    vocab = bundled().vocabulary
    mobile, age = vocab.fact("independently_mobile"), vocab.fact("child_age_months")
    assert parse_answer(mobile, " Yes ") is True and parse_answer(mobile, "n") is False
    assert parse_answer(mobile, "?") is NOT_KNOWN and parse_answer(age, "not known") is NOT_KNOWN
    assert parse_answer(age, "4") == 4
    with pytest.raises(ValueError, match="between 0 and 215"):
        parse_answer(age, "300")
    with pytest.raises(ValueError, match="whole number of months"):
        parse_answer(age, "four")
    with pytest.raises(ValueError, match="yes or no"):
        parse_answer(mobile, "maybe")
    cat = next(f for f in vocab.facts if f.type == "category")
    assert parse_answer(cat, "2") == cat.values[1].id  # type: ignore[union-attr]
    assert parse_answer(cat, cat.values[-1].label.upper()) == cat.values[-1].id  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="number from 1 to"):
        parse_answer(cat, "99")
