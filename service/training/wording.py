"""How trainers may name facts, values, authorities and levels in plain English.

A trainer writes "Domestic abuse in the household is persistent or escalating" or
"the suggested level is Specialist Support"; this module turns such words into vocabulary
ids, values, ruleset ids and levels, and says precisely what was expected when it cannot.
Everything is derived from the vocabulary and the rulesets, so a fact or level added there
is reachable from a feature file with no Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.errors import suggest
from engine.load.catalogue import Catalogue, LoadedRuleset
from engine.model.outcome import Outcome
from engine.model.ruleset import Level
from engine.model.vocabulary import BooleanFact, CategoryFact, FactValue, IntegerFact, Vocabulary
from service.training.registry import StepError

AnyFact = BooleanFact | CategoryFact | IntegerFact
UNKNOWN_WORDS = {"not known", "unknown", "not yet known", "null"}
YES = {"yes", "true", "y"}
NO = {"no", "false", "n"}


def words(text: str) -> str:
    """Lower case, punctuation and underscores as single spaces: the form names are compared in."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower().replace("'", "")).split())


def unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1].strip()
    return text


def fact_names(vocab: Vocabulary) -> dict[str, str]:
    """Every accepted name of every fact (id and label, in comparison form) -> fact id."""
    out: dict[str, str] = {}
    for f in vocab.facts:
        out[words(f.id)] = f.id
        out.setdefault(words(f.label), f.id)
    return out


def resolve_fact(vocab: Vocabulary, name: str) -> AnyFact:
    names = fact_names(vocab)
    key = words(unquote(name))
    if key in names:
        return vocab.fact(names[key])
    raise StepError(f"unknown fact '{unquote(name)}'; `thresholds vocabulary` lists every fact",
                    suggestions=suggest(key, names))


def value_names(fact: CategoryFact) -> dict[str, str]:
    """Accepted names of each category value: its id, its label, and its label's first clause."""
    out: dict[str, str] = {}
    for v in fact.values:
        out[words(v.id)] = v.id
    for v in fact.values:
        out.setdefault(words(v.label), v.id)
        short = re.split(r"[;(]", v.label)[0]
        out.setdefault(words(short), v.id)
    return out


def parse_value(fact: AnyFact, text: str) -> FactValue | None:
    """A value as a trainer writes it; ``None`` means "not known"."""
    raw = unquote(text)
    key = words(raw)
    if key in UNKNOWN_WORDS:
        return None
    if isinstance(fact, BooleanFact):
        if key in YES:
            return True
        if key in NO:
            return False
        raise StepError(f"'{fact.label}' ({fact.id}) is answered yes, no or not known, not '{raw}'")
    if isinstance(fact, IntegerFact):
        m = re.fullmatch(r"(\d+)(?:\s+\w+)?", key)
        if not m:
            raise StepError(f"'{fact.label}' ({fact.id}) is a whole number of {fact.unit}, not '{raw}'")
        n = int(m.group(1))
        if not fact.minimum <= n <= fact.maximum:
            raise StepError(f"'{fact.label}' must be between {fact.minimum} and {fact.maximum} {fact.unit}, not {n}")
        return n
    names = value_names(fact)
    if key in names:
        return names[key]
    raise StepError(f"'{fact.label}' ({fact.id}) has no value '{raw}'; values: " + ", ".join(fact.value_ids),
                    suggestions=suggest(key, names))


def show_value(fact: AnyFact, value: FactValue) -> str:
    """A value in the words a trainee reads."""
    if isinstance(fact, BooleanFact):
        return "yes" if value else "no"
    if isinstance(fact, IntegerFact):
        return f"{value} {fact.unit}"
    for v in fact.values:
        if v.id == value:
            return v.label
    return str(value)


_NAMES_CACHE: dict[int, tuple[Catalogue, dict[str, str]]] = {}
"""Names per catalogue (catalogues are never changed, only replaced whole on reload): a
20,000-row outline resolved the same names 20,000 times, most of its 25 s lint."""


def authority_names(cat: Catalogue) -> dict[str, str]:
    """Ruleset id, authority name and its first word(s) before "County"/"Council" -> ruleset id."""
    hit = _NAMES_CACHE.get(id(cat))
    if hit is not None and hit[0] is cat:
        return dict(hit[1])
    names = _authority_names(cat)
    if len(_NAMES_CACHE) >= 8:
        _NAMES_CACHE.clear()
    _NAMES_CACHE[id(cat)] = (cat, names)
    return dict(names)


def _authority_names(cat: Catalogue) -> dict[str, str]:
    out: dict[str, str] = {}
    for rid in cat.ids():
        out[words(rid)] = rid
    for rid in cat.ids():
        authority = cat.select(rid).model.ruleset.authority
        out.setdefault(words(authority), rid)
        short = re.split(r"\b(?:County|City|Borough|Council|Metropolitan)\b", authority)[0]
        if words(short):
            out.setdefault(words(short), rid)
    return out


def resolve_authority(cat: Catalogue, name: str) -> str:
    names = authority_names(cat)
    key = words(unquote(name))
    if key in names:
        return names[key]
    raise StepError(f"unknown authority '{unquote(name)}'; bundled: {', '.join(cat.ids())}",
                    suggestions=suggest(key, names))


@dataclass(frozen=True)
class LevelTarget:
    """A level as written in a scenario: a local level of one ruleset, or a canonical outcome."""

    text: str
    level: Level | None
    outcome: Outcome

    def describe(self) -> str:
        if self.level is not None:
            return f"{self.level.id} {self.level.label}"
        return f"{self.outcome.value} ({self.outcome.label})"


def outcome_names() -> dict[str, Outcome]:
    out: dict[str, Outcome] = {}
    for o in Outcome:
        out[words(o.value)] = o
        out.setdefault(words(o.label), o)
        out.setdefault(words(re.split(r"[(]", o.label)[0]), o)
    return out


def resolve_level(loaded: LoadedRuleset, text: str) -> LevelTarget:
    """A local level id, "level 3", a label, "L3 Intensive Support", or a canonical outcome."""
    raw = unquote(text)
    key = words(raw)
    names: dict[str, Level] = {}
    for lv in loaded.model.levels:
        names[words(lv.id)] = lv
        names.setdefault(words(lv.label), lv)
        names.setdefault(words(f"{lv.id} {lv.label}"), lv)
        number = re.sub(r"\D", "", lv.id)
        if number:
            names.setdefault(f"level {number}", lv)
    if key in names:
        lv = names[key]
        return LevelTarget(raw, lv, lv.outcome)
    outcomes = outcome_names()
    if key in outcomes:
        return LevelTarget(raw, None, outcomes[key])
    raise StepError(
        f"'{raw}' is not a level of {loaded.key} nor a canonical outcome; "
        f"levels: {', '.join(f'{lv.id} {lv.label}' for lv in loaded.model.levels)}; "
        f"outcomes: {', '.join(o.value for o in Outcome)}", suggestions=suggest(key, [*names, *outcomes]))
