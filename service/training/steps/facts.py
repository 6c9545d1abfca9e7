"""Any vocabulary fact by its label or id, one at a time or in a table, or explicitly not known.

These phrases are generated from the vocabulary rather than written one by one, so every fact
(and every value, by its id or its label) is reachable from a feature file, including facts
added to the vocabulary later.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from functools import cache

from engine.load.catalogue import VOCABULARY_FILE, bundled_root
from engine.load.loader import load_vocabulary
from engine.model.vocabulary import Vocabulary
from service.training.library import REGISTRY as R
from service.training.registry import StepError, Table
from service.training.state import ScenarioState
from service.training.wording import fact_names, parse_value, resolve_fact, words

SECTION = "Any fact, by its label or id"


@cache
def _bundled_labels() -> dict[str, str]:
    """Every fact name (comparison form) -> the fact's label, from the bundled vocabulary."""
    vocab = _bundled_vocabulary()
    return {name: vocab.fact(fid).label for name, fid in fact_names(vocab).items()}


def _bundled_names() -> frozenset[str]:
    return frozenset(_bundled_labels())


def _splitter(separator: str) -> Callable[[str], dict[str, str] | None]:
    """Match "<fact> <separator> <value>" only where the words before the separator name a fact,
    trying every occurrence (labels such as "Child is pregnant or a parent" contain " is ")."""

    def match(text: str) -> dict[str, str] | None:
        start = 0
        while (i := text.lower().find(separator, start)) > 0:
            name, value = text[:i].strip(), text[i + len(separator):].strip()
            if value and (words(name) in _bundled_names() or ("_" in name and " " not in name)):
                return {"fact": name, "value": value}
            start = i + 1
        return None

    return match


@cache
def _bundled_vocabulary() -> Vocabulary:
    return load_vocabulary(bundled_root() / VOCABULARY_FILE)


def _near_fact(text: str) -> str | None:
    """For "<something> is <value>" whose <something> is close to a fact's label or id, or words that
    name a fact ("the young person self-harms seriously" -> Self-harm)."""
    hint = _near_named_fact(text)
    if hint:
        return hint
    from service.training.phrasebook import fact_example, find_facts, synonyms_for

    low = text.lower()
    if any(difflib.SequenceMatcher(None, low, s.example.lower()).ratio() >= 0.8 for s in R.steps("given")):
        return None  # a near-miss of a known phrase ("a babby aged 4 months"): the closest phrasings say more
    found = find_facts(_bundled_vocabulary(), text, n=2, synonyms=synonyms_for(bundled_root()))
    if found:
        return "did you mean the fact " + " or ".join(f"'{f.label}' (e.g. \"{fact_example(f)}\")"
                                                      for f, _ in found) + "?"
    return None


def _near_named_fact(text: str) -> str | None:
    lowered = text.lower()
    for sep in (" is ", ": "):
        if sep in lowered:
            name = words(text[:lowered.index(sep)])
            close = difflib.get_close_matches(name, sorted(_bundled_names()), n=2, cutoff=0.75)
            if close:
                labels = dict.fromkeys(_bundled_labels()[c] for c in close)
                return "did you mean the fact " + " or ".join(f"'{label}'" for label in labels) + "?"
    return None


@R.given("{fact} is {value}", example="Domestic abuse in the household is persistent or escalating",
         section=SECTION, matcher=_splitter(" is "), near=_near_fact)
def fact_is(state: ScenarioState, fact: str, value: str) -> None:
    """Any fact by its label or id. The value is yes/no for a yes-or-no fact, a number for a number,
    a value's id or label for a category (see the vocabulary list below), or "not known"."""
    f = resolve_fact(state.catalogue.vocabulary, fact)
    state.set_fact(f.id, parse_value(f, value))


@R.given("{fact}: {value}", example="Going missing: regularly goes missing", section=SECTION,
         matcher=_splitter(": "))
def fact_colon(state: ScenarioState, fact: str, value: str) -> None:
    """The same, written as "label: value"."""
    fact_is(state, fact, value)


def _rows(table: Table, header: list[str]) -> list[list[str]]:
    if not table or [words(c) for c in table[0]] != header:
        raise StepError("the table's first row must be | " + " | ".join(header) + " |")
    rows = table[1:]
    if not rows:
        raise StepError("the table has a header but no rows")
    return rows


@R.given("the referral reports:", example="the referral reports:", section=SECTION,
         table=[["fact", "value"], ["domestic_abuse", "incidents_or_history"], ["Going missing", "regular"]])
def referral_reports(state: ScenarioState, table: Table) -> None:
    """Several facts at once in a | fact | value | table (fact by id or label; value as above)."""
    for fact, value in _rows(table, ["fact", "value"]):
        fact_is(state, fact, value)


@R.given("the following are not known:", example="the following are not known:", section=SECTION,
         table=[["fact"], ["independently_mobile"], ["Going missing"]])
def not_known(state: ScenarioState, table: Table) -> None:
    """Facts explicitly not known, in a | fact | table. Unknown is never "no": the suggestion lists
    the questions whose answers could raise the level."""
    for (fact,) in _rows(table, ["fact"]):
        f = resolve_fact(state.catalogue.vocabulary, fact)
        state.set_fact(f.id, None)
