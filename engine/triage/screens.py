"""Screens: the question engine's next questions, grouped into what a worker answers at once.

A duty worker on the phone should not answer 66 questions, nor click 66 times. The question
engine (:mod:`engine.triage.questions`) ranks the unknown facts that could still change the result;
this module turns that ranking into screens, each answered in one interaction:

* **opening**: the child's age and immediate danger (the national rules read both first), and
  on the web the presenting concern ("What is the main concern?", optional, one of
  :func:`presenting_choices`), which only reorders what follows;
* **presenting concern**: when the worker has named one, its questions come next, as a
  question screen, before the checklists (exactly as ``thresholds triage`` asks them: the
  engine's ``presenting`` ranking; the urgent questions still lead);
* **safety checklist**: the national safety questions that are plain yes/no concerns, asked
  together as "Do any of these apply?" (select all that apply), the way intake tools screen.
  "None of these" settles every item as "no" in one answer; "Not known yet" leaves every item
  unknown (never "no") and not asked again; ticking some records those as "yes" and leaves the
  others unanswered, so they come back on the next checklist ("Do any of the others apply?"):
  a tick says nothing about the items left unticked;
* **questions**: the engine's next few questions, in its order.

The web journey, ``thresholds triage`` and ``POST /api/v1/questions`` (which returns the
checklists as ``groups``) all use these functions, and bench/questions.py counts interactions
with them, so the counts are those of the real screens. Nothing here re-ranks: every screen
takes facts in the engine's order.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from itertools import takewhile
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.evaluate.decision import open_questions
from engine.model.vocabulary import AGE_FACT, BooleanFact, FactValue, Normalised
from engine.triage.questions import OPENING_FACTS, QuestionEngine

OPENING_SCREEN_FACTS: tuple[str, ...] = (*OPENING_FACTS, "immediate_danger")
"""Asked together on the first screen when they can matter."""
MAX_CHECKLIST_ITEMS = 12
"""No checklist screen lists more than this; the rest follow on a second one."""
MAX_QUESTIONS_PER_SCREEN = 6
"""A few questions at a time: each question screen shows at most this many."""

NONE_OF_THESE = "none"
NOT_KNOWN_YET = "not_known"


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ChecklistItem(_Value):
    fact: str
    label: str
    question: str
    hint: str | None
    rules: list[str] = Field(description="The national safety rules a 'yes' could trigger.")


class Screen(_Value):
    """One interaction: the facts it asks, in the engine's order."""

    kind: Literal["opening", "checklist", "questions"]
    title: str
    facts: list[str] = Field(description="Fact ids asked on this screen, in the engine's order.")
    items: list[ChecklistItem] = Field(default_factory=list, description="For checklists: the items.")
    later: bool = Field(default=False, description="A checklist of items left unticked on an earlier one.")


class ChecklistAnswer(_Value):
    """What a checklist answer means for each fact: values to record and facts left unknown."""

    facts: dict[str, FactValue]
    not_known: list[str]


class ConcernChoice(_Value):
    """One answer to "What is the main concern?": a vocabulary concern, in the vocabulary's words."""

    concern: str = Field(description="The vocabulary concern id.")
    label: str = Field(description="The labels of this ruleset's facts about the concern, in plain words.")
    group: str = Field(description="The Assessment Framework dimension of its first fact (for grouping).")


def _ranked(engine: QuestionEngine, norm: Mapping[str, Normalised], not_known: Collection[str],
            presenting: Collection[str] = ()) -> list[str]:
    return engine.order_of_questions(norm, not_known, presenting)


def presenting_choices(engine: QuestionEngine) -> list[ConcernChoice]:
    """The concerns a worker can name as the main one: every concern this ruleset asks about
    (besides the opening screen's, and besides what describes the child rather than a concern:
    the facts beside the age, such as being independently mobile), in vocabulary order. Naming
    one only reorders the questions."""
    vocab = engine.vocab
    opening = {vocab.fact(f).concern for f in OPENING_SCREEN_FACTS if f in vocab.by_id}
    about_the_child = vocab.fact(AGE_FACT).dimension if AGE_FACT in vocab.by_id else None
    labels: dict[str, list[str]] = {}
    group: dict[str, str] = {}
    for fid in engine.form:
        fact = vocab.fact(fid)
        if fact.concern in opening or fact.dimension == about_the_child:
            continue
        labels.setdefault(fact.concern, []).append(fact.label)
        group.setdefault(fact.concern, fact.dimension)
    return [ConcernChoice(concern=c, label="; ".join(ls), group=group[c]) for c, ls in labels.items()]


def checklist_items(engine: QuestionEngine, norm: Mapping[str, Normalised],
                    not_known: Collection[str] = ()) -> list[ChecklistItem]:
    """The open national safety questions that are yes/no concerns, in the engine's order."""
    truth = engine.compiled.fast.truth(norm)
    current = engine.table.position(truth)
    via = {q.fact: q.via for q in open_questions(engine.table, norm, truth, current)}
    out = []
    for fid in _ranked(engine, norm, not_known):
        if fid in OPENING_SCREEN_FACTS:
            continue
        fact = engine.vocab.fact(fid)
        national = [r for r in via.get(fid, []) if engine.override_origin.get(r) == "national"]
        if isinstance(fact, BooleanFact) and fact.worse is True and national:
            out.append(ChecklistItem(fact=fid, label=fact.label, question=fact.question, hint=fact.hint,
                                     rules=national))
    return out


def checklists(engine: QuestionEngine, norm: Mapping[str, Normalised], not_known: Collection[str] = (),
               shown: Collection[str] = ()) -> list[Screen]:
    """Every safety checklist still to ask (one or two screens of at most MAX_CHECKLIST_ITEMS).

    ``shown``: facts already listed on an earlier checklist; a list of items left unticked
    there is titled "Do any of the others apply?".
    """
    items = checklist_items(engine, norm, not_known)
    out = []
    for k in range(0, len(items), MAX_CHECKLIST_ITEMS):
        chunk = items[k:k + MAX_CHECKLIST_ITEMS]
        later = any(i.fact in shown for i in chunk)
        out.append(Screen(kind="checklist", title="Do any of the others apply?" if later else "Do any of these apply?",
                          facts=[i.fact for i in chunk], items=chunk, later=later))
    return out


def next_screen(engine: QuestionEngine, norm: Mapping[str, Normalised], not_known: Collection[str] = (),
                shown: Collection[str] = (), presenting: Collection[str] = ()) -> Screen | None:
    """The next screen to show, or None when nothing left could change the result.

    ``shown``: facts listed on earlier checklists (for the title of one that comes back).
    ``presenting``: the concern(s) the worker named as the main one; while the engine ranks one
    of their questions first (after the urgent ones), those questions come next, before the
    checklists. The CLI asks them one at a time from this same screen.
    """
    ranked = _ranked(engine, norm, not_known, presenting)
    if not ranked:
        return None
    opening = [f for f in ranked if f in OPENING_SCREEN_FACTS]
    if opening:
        return Screen(kind="opening", title="About the child", facts=opening)
    named = list(takewhile(lambda f: engine.vocab.fact(f).concern in presenting, ranked))
    if named:
        return Screen(kind="questions", title="Questions", facts=named[:MAX_QUESTIONS_PER_SCREEN])
    lists = checklists(engine, norm, not_known, shown)
    if lists:
        return lists[0]
    return Screen(kind="questions", title="Questions", facts=ranked[:MAX_QUESTIONS_PER_SCREEN])


def answer_checklist(screen: Screen, ticked: Iterable[str], choice: str | None) -> ChecklistAnswer:
    """A checklist answer as facts: ``choice`` is NONE_OF_THESE, NOT_KNOWN_YET or None (ticks only).

    Raises ValueError for a tick that is not on the screen, or ticks given with an exclusive choice.
    """
    ticks = list(dict.fromkeys(ticked))
    unknown = [f for f in ticks if f not in screen.facts]
    if unknown:
        raise ValueError(f"'{unknown[0]}' is not on this checklist")
    if choice not in (None, NONE_OF_THESE, NOT_KNOWN_YET):
        raise ValueError(f"'{choice}' is not an answer to this checklist")
    if choice and ticks:
        answer = "None of these" if choice == NONE_OF_THESE else "Not known yet"
        raise ValueError(f"Select the ones that apply, or '{answer}', not both")
    if choice == NONE_OF_THESE:
        return ChecklistAnswer(facts={f: False for f in screen.facts}, not_known=[])
    if choice == NOT_KNOWN_YET:
        return ChecklistAnswer(facts={}, not_known=list(screen.facts))
    if not ticks:
        raise ValueError("Select the ones that apply, or 'None of these', or 'Not known yet'")
    return ChecklistAnswer(facts={f: True for f in ticks}, not_known=[])


__all__ = ["MAX_CHECKLIST_ITEMS", "MAX_QUESTIONS_PER_SCREEN", "NONE_OF_THESE", "NOT_KNOWN_YET",
           "OPENING_SCREEN_FACTS", "ChecklistAnswer", "ChecklistItem", "ConcernChoice", "Screen", "answer_checklist",
           "checklist_items", "checklists", "next_screen", "presenting_choices"]
