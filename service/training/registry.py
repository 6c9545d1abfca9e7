"""The step registry: every plain-English phrase a trainer can write, with its example.

pytest-bdd has no step catalogue and matches steps by trying each definition in turn, so
this registry is the single matcher for feature files. The pytest glue (tests/bdd), the
linter and trainee mode all resolve step text here, which is what lets one catalogue,
one "did you mean" and one set of step meanings serve all three.

Phrases are written as templates a trainer can read:

* ``{name}`` any words, ``{name:int}`` a whole number;
* ``[words]`` optional words; ``(a|an)`` one of several words.

Matching ignores case, repeated spaces and a trailing full stop.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from engine.errors import ThresholdsError

Kind = Literal["given", "when", "then"]
KINDS: tuple[Kind, ...] = ("given", "when", "then")
Table = list[list[str]]
StepFunc = Callable[..., None]


class StepError(ThresholdsError):
    """A step that cannot be used: unknown text, wrong keyword, or a bad value in it."""


def _compile(template: str) -> re.Pattern[str]:
    """A template (see module docstring) as a whole-line, case-insensitive regex."""
    out: list[str] = []
    i = 0
    while i < len(template):
        ch = template[i]
        if ch == "{":
            end = template.index("}", i)
            name, _, kind = template[i + 1:end].partition(":")
            out.append(f"(?P<{name}>\\d+)" if kind == "int" else f"(?P<{name}>.+?)")
            i = end + 1
        elif ch == "[":
            out.append("(?:")
            i += 1
        elif ch == "]":
            out.append(")?")
            i += 1
        elif ch == "(":
            out.append("(?:")
            i += 1
        elif ch in ")|":
            out.append(ch)
            i += 1
        elif ch == " ":
            out.append(r"\s*" if template[i + 1:i + 2] == "[" else r"\s+")
            i += 1
        else:
            out.append(re.escape(ch))
            i += 1
    return re.compile("".join(out), re.IGNORECASE)


def normalise_text(text: str) -> str:
    """Step text as matched: single spaces, no trailing full stop."""
    return " ".join(text.split()).rstrip(".").strip()


@dataclass(frozen=True)
class StepDef:
    """One phrase: what it means (docstring), how to write it, and a working example."""

    kind: Kind
    template: str
    func: StepFunc
    doc: str
    example: str
    table: Table | None
    section: str
    pattern: re.Pattern[str] = field(compare=False)
    matcher: Callable[[str], dict[str, str] | None] | None = field(default=None, compare=False)
    near: Callable[[str], str | None] | None = field(default=None, compare=False)

    @property
    def specificity(self) -> int:
        """Literal characters in the template: the more, the more specific the phrase."""
        return len(re.sub(r"\{[^}]*\}", "", self.template))

    def example_lines(self) -> list[str]:
        keyword = {"given": "Given", "when": "When", "then": "Then"}[self.kind]
        lines = [f"{keyword} {self.example}"]
        for row in self.table or []:
            lines.append("  | " + " | ".join(row) + " |")
        return lines


@dataclass(frozen=True)
class Match:
    step: StepDef
    args: dict[str, str]


class Registry:
    """Step definitions in declaration order, grouped by keyword."""

    def __init__(self) -> None:
        self._steps: list[StepDef] = []

    def define(self, kind: Kind, template: str, *, example: str, section: str, table: Table | None = None,
               matcher: Callable[[str], dict[str, str] | None] | None = None,
               near: Callable[[str], str | None] | None = None) -> Callable[[StepFunc], StepFunc]:
        """Decorator: register ``func`` as the meaning of ``template``."""

        def deco(func: StepFunc) -> StepFunc:
            doc = " ".join((func.__doc__ or "").split())
            if not doc:
                raise ValueError(f"step '{template}' needs a docstring: the catalogue shows it to trainers")
            self._steps.append(StepDef(kind, template, func, doc, example, table, section, _compile(template),
                                       matcher, near))
            return func

        return deco

    def given(self, template: str, **kw: Any) -> Callable[[StepFunc], StepFunc]:
        return self.define("given", template, **kw)

    def when(self, template: str, **kw: Any) -> Callable[[StepFunc], StepFunc]:
        return self.define("when", template, **kw)

    def then(self, template: str, **kw: Any) -> Callable[[StepFunc], StepFunc]:
        return self.define("then", template, **kw)

    def add(self, step: StepDef) -> None:
        self._steps.append(step)

    def steps(self, kind: Kind | None = None) -> list[StepDef]:
        return [s for s in self._steps if kind is None or s.kind == kind]

    def match(self, kind: Kind, text: str) -> Match:
        """The most specific phrase of ``kind`` matching ``text``; StepError with suggestions if none."""
        clean = normalise_text(text)
        found = self._matches(kind, clean)
        if found:
            return found[0]
        for other in KINDS:
            if other != kind and self._matches(other, clean):
                raise StepError(f'"{clean}" is a {other.capitalize()} step, but it follows '
                                f"{kind.capitalize()}: move it under {other.capitalize()}")
        raise StepError(f'unknown step: {kind.capitalize()} "{clean}"' + self.suggest(kind, clean))

    def _matches(self, kind: Kind, clean: str) -> list[Match]:
        out: list[Match] = []
        for s in self._steps:
            if s.kind != kind:
                continue
            if s.matcher is not None:  # phrases whose words come from data (e.g. fact labels)
                found = s.matcher(clean)
                if found is not None:
                    out.append(Match(s, found))
                continue
            m = s.pattern.fullmatch(clean)
            if m:
                out.append(Match(s, {k: v.strip() for k, v in m.groupdict().items() if v is not None}))
        out.sort(key=lambda m: -m.step.specificity)
        return out

    def closest(self, kind: Kind, text: str, n: int = 3) -> list[StepDef]:
        """The phrases whose template or example reads most like ``text``."""
        scored: list[tuple[float, int, StepDef]] = []
        low = text.lower()
        for i, s in enumerate(self.steps(kind)):
            score = max(difflib.SequenceMatcher(None, low, s.example.lower()).ratio(),
                        difflib.SequenceMatcher(None, low, s.template.lower()).ratio())
            scored.append((score, i, s))
        scored.sort(key=lambda t: (-t[0], t[1]))
        return [s for score, _, s in scored[:n] if score >= 0.3]

    def suggest(self, kind: Kind, text: str) -> str:
        for s in self.steps(kind):  # a phrase that knows what was probably meant (e.g. a misspelt fact)
            hint = s.near(text) if s.near is not None else None
            if hint:
                return f"; {hint}"
        near = self.closest(kind, text)
        if not near:
            return "; see `thresholds steps` for every phrase"
        return "; closest known phrasings: " + "; ".join(f'"{s.example}"' for s in near)

    def run(self, kind: Kind, text: str, state: Any, table: Table | None = None) -> None:
        """Match ``text`` and call its meaning on ``state``."""
        m = self.match(kind, text)
        if m.step.table is not None and table is None:
            raise StepError(f'step "{normalise_text(text)}" needs a table under it, e.g. '
                            + " ".join("| " + " | ".join(r) + " |" for r in m.step.table))
        if m.step.table is None and table is not None:
            raise StepError(f'step "{normalise_text(text)}" does not take a table')
        kwargs: dict[str, Any] = dict(m.args)
        if table is not None:
            kwargs["table"] = table
        m.step.func(state, **kwargs)
