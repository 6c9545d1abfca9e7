"""The step catalogue: every phrase a trainer can write, with its meaning and an example.

Generated from the registry (and, for facts, from the vocabulary), so it cannot drift from
what the step library accepts; docs/steps.md is this module's Markdown output and a test
fails when it is stale.
"""

from __future__ import annotations

from engine.vocabulary import BooleanFact, CategoryFact, Vocabulary
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
    """The catalogue for a terminal (``thresholds steps``)."""
    lines: list[str] = []
    for title, steps in sections(reg):
        lines.append(title)
        for s in steps:
            lines.append(f"  {_KEYWORD[s.kind]} {s.template}")
            lines.append(f"      {s.doc}")
            for ex in s.example_lines():
                lines.append(f"      e.g. {ex}" if not ex.startswith("  ") else f"           {ex.strip()}")
        lines.append("")
    lines.append("Facts and values for '<fact> is <value>': run `thresholds steps --facts`.")
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
