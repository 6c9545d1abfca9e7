"""Screens with a presenting concern (engine/triage/screens.py), on the real Kent ruleset.

The concern named as the main one only changes which screen comes next: the urgent opening
questions still lead, its own questions come before the checklists, and the choices offered
are exactly the concerns the council's form asks about, in the vocabulary's words.
"""

from __future__ import annotations

from functools import cache

from engine.evaluate.evaluator import compile_ruleset
from engine.load.catalogue import Catalogue
from engine.triage.questions import QuestionEngine
from engine.triage.screens import OPENING_SCREEN_FACTS, next_screen, presenting_choices


@cache
def kent() -> QuestionEngine:
    return QuestionEngine(compile_ruleset(Catalogue.load(only=["kent"]).select("kent"), with_durable=False))


def test_the_choices_are_the_forms_concerns_in_the_vocabularys_words() -> None:
    qe = kent()
    choices = presenting_choices(qe)
    concerns = [c.concern for c in choices]
    # what describes the child (the age's dimension: being independently mobile) is not a concern to name
    about_the_child = {f for f in qe.form if qe.vocab.fact(f).dimension == qe.vocab.fact("child_age_months").dimension}
    assert "independently_mobile" in about_the_child
    form_concerns = {qe.vocab.fact(f).concern for f in qe.form if f not in {*OPENING_SCREEN_FACTS, *about_the_child}}
    assert len(concerns) == len(set(concerns)) and set(concerns) == form_concerns
    by_id = {c.concern: c for c in choices}
    assert by_id["bruise_or_injury"].label == "Bruise or injury"
    assert by_id["missing_from_home"].label == "Going missing; Missing without explanation; Talks of running away"
    assert not {"child_age", "immediate_danger", "mobility"} & set(concerns)


def test_a_named_concern_comes_after_the_opening_questions_and_before_the_checklists() -> None:
    qe = kent()
    vocab = qe.vocab
    nothing = vocab.normalise({})
    first = next_screen(qe, nothing, presenting=["missing_from_home"])
    assert first is not None and first.kind == "opening"
    older = vocab.normalise({"child_age_months": 168, "immediate_danger": False})
    plain = next_screen(qe, older)
    named = next_screen(qe, older, presenting=["missing_from_home"])
    assert plain is not None and plain.kind == "checklist"
    assert named is not None and named.kind == "questions"
    assert named.facts == ["missing_from_home", "missing_unexplained", "running_away_thoughts"]
    # Once the named concern's questions are answered or not known, the checklists follow as before.
    after = next_screen(qe, older, not_known=named.facts, presenting=["missing_from_home"])
    assert after is not None and after.kind == "checklist"
    assert after == next_screen(qe, older, not_known=named.facts)
    # A concern whose questions could no longer change anything is not put first.
    decided = vocab.normalise({"child_age_months": 168, "immediate_danger": False, "missing_from_home": "frequent"})
    assert next_screen(qe, decided, presenting=["self_harm"]) == next_screen(qe, decided)
