"""The step catalogue: every phrase a trainer can write, with its meaning and an example.

Generated from the registry (and, for facts, from the vocabulary), so it cannot drift from
what the step library accepts; docs/steps.md is this module's Markdown output and a test
fails when it is stale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from engine.model.vocabulary import BooleanFact, CategoryFact, IntegerFact, Vocabulary
from service.training.registry import KINDS, Registry, StepDef
from service.training.tags import TAGS

TITLE = "Step catalogue"
INTRO = (
    "Every phrase a trainer can write in a feature file, generated from the step library by "
    "`thresholds steps --markdown`. Do not edit by hand. In a phrase, `{name}` stands for any words, "
    "`{name:int}` for a whole number, `[words]` for optional words and `(a|b)` for one of several words. "
    "Case, repeated spaces and a final full stop do not matter. See docs/training.md for how to write "
    "an exercise."
)
_KEYWORD = {"given": "Given", "when": "When", "then": "Then"}


def sections(reg: Registry) -> list[tuple[str, list[StepDef]]]:
    out: dict[str, list[StepDef]] = {}
    for kind in KINDS:
        for s in reg.steps(kind):
            out.setdefault(f"{_KEYWORD[kind]}: {s.section}", []).append(s)
    return list(out.items())


def to_text(reg: Registry) -> str:
    """The catalogue for a terminal (``thresholds steps``): each phrase as a working example first,
    then what it means in a plain sentence; the pattern notation only as a last line."""
    lines: list[str] = ["Every sentence you can write in an exercise. Copy an example and change the words.", ""]
    for title, steps in sections(reg):
        lines.append(title)
        for s in steps:
            for ex in s.example_lines():
                lines.append(f"  {ex}" if not ex.startswith("  ") else f"      {ex.strip()}")
            lines.append(f"      {' '.join(s.doc.split())}")
            lines.append(f"      (pattern: {_KEYWORD[s.kind]} {s.template})")
        lines.append("")
    lines.append("Facts and values for '<fact> is <value>': run `thresholds steps --facts`; to find the fact for "
                 "some words, run `thresholds steps --find \"self-harms\"`.")
    return "\n".join(lines) + "\n"


_STOP = frozenset("a an and or the of to in on is are has have had with by for at from their his her child "
                  "person baby girl boy who that this".split())
FIND_SCORE = 80  # mean best-token similarity (0-100) at or above which a fact is offered


def _tokens(text: str) -> list[str]:
    from rapidfuzz.utils import default_process

    return [t for t in default_process(text).split() if t not in _STOP]


def synonyms_for(root: Path | str) -> dict[str, tuple[str, ...]]:
    """The synonyms in the definitions manual beside a ruleset folder's vocabulary ({} if it has no manual)."""
    from engine.load.definitions import DEFINITIONS_FILE, load_manual, synonyms

    path = Path(root) / DEFINITIONS_FILE
    return synonyms(load_manual(path)) if path.is_file() else {}


def find_facts(vocab: Vocabulary, text: str, n: int = 3,
               synonyms: Mapping[str, Sequence[str]] | None = None) -> list[tuple[BooleanFact | CategoryFact
                                                                                  | IntegerFact, float]]:
    """The facts whose label, id, concern or synonyms (from the definitions manual) the words of ``text``
    name, best first.

    Token by token (rapidfuzz ratio), so "self-harms" finds "Self-harm", "she cuts herself" finds it through
    its synonym "cuts herself", and an unrelated long label sharing one word ("young") does not win: each of
    the name's words must be close to some word of the text, and the score is their mean.
    """
    from rapidfuzz import fuzz

    words = _tokens(text)
    if not words:
        return []
    scored: list[tuple[float, int, BooleanFact | CategoryFact | IntegerFact]] = []
    for i, f in enumerate(vocab.facts):
        best = 0.0
        for name in (f.label, f.id.replace("_", " "), f.concern.replace("_", " "), *(synonyms or {}).get(f.id, ())):
            toks = _tokens(name)
            if toks:
                best = max(best, sum(max(fuzz.ratio(t, w) for w in words) for t in toks) / len(toks))
        if best >= FIND_SCORE:
            scored.append((best, i, f))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [(f, score) for score, _, f in scored[:n]]


def fact_example(f: BooleanFact | CategoryFact | IntegerFact) -> str:
    """A sentence that reports this fact, for suggestions."""
    if isinstance(f, BooleanFact):
        return f"{f.label} is yes"
    if isinstance(f, CategoryFact):
        return f"{f.label} is {f.values[-1].label}"
    return f"{f.label} is {f.minimum or 0}"


def find_text(vocab: Vocabulary, text: str, synonyms: Mapping[str, Sequence[str]] | None = None) -> str:
    found = find_facts(vocab, text, synonyms=synonyms)
    if not found:
        return f"No fact matches \"{text}\". Run `thresholds steps --facts` for the whole list.\n"
    lines = [f"Facts for \"{text}\":"]
    for f, _score in found:
        lines.append(f"  {f.label} ({f.id}): {f.question}")
        if (synonyms or {}).get(f.id):
            lines.append(f"      also called: {', '.join((synonyms or {})[f.id])}")
        lines.append(f"      write: Given {fact_example(f)}")
        lines.append(f"      values: {_values(f)}")
    return "\n".join(lines) + "\n"


def facts_text(vocab: Vocabulary) -> str:
    lines = []
    for f in vocab.facts:
        lines.append(f"{f.label} ({f.id}): {_values(f)}")
    return "\n".join(lines) + "\n"


def _values(f: object) -> str:
    if isinstance(f, BooleanFact):
        return "yes | no | not known"
    if isinstance(f, CategoryFact):
        return " | ".join(v.id for v in f.values) + " | not known"
    return f"a whole number of {getattr(f, 'unit', '')} ({getattr(f, 'minimum', '')} to {getattr(f, 'maximum', '')})"


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def to_markdown(reg: Registry, vocab: Vocabulary) -> str:
    """docs/steps.md."""
    out = [f"# {TITLE}", "", INTRO, ""]
    for title, steps in sections(reg):
        out += [f"## {title}", ""]
        for s in steps:
            out += [f"### `{_KEYWORD[s.kind]} {s.template}`", "", s.doc, ""]
            out += ["```gherkin", *s.example_lines(), "```", ""]
    out += ["## Tags", "", "Declared tags (any other tag is reported by the linter):", "",
            "| tag | meaning |", "|---|---|"]
    out += [f"| `@{t}` | {_md(d)} |" for t, d in TAGS.items()]
    out += ["", "## Facts and values", "",
            f"Every fact of the vocabulary ({vocab.vocabulary.id} {vocab.vocabulary.version}), for "
            "`Given <fact> is <value>` and the `| fact | value |` table. A fact is named by its label or id; "
            "a category value by its id (underscores or spaces) or its label.", "",
            "| fact (label) | id | values, least to most concerning |", "|---|---|---|"]
    for f in vocab.facts:
        out.append(f"| {_md(f.label)} | `{f.id}` | {_md(_values(f))} |")
    return "\n".join(out) + "\n"
