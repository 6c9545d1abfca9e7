"""One base exception with a precise hierarchy.

Every error a user can cause says what is wrong and where: a file position
(``file:line:column``) for rulesets, a JSON Pointer for referrals. Interfaces catch
:class:`ThresholdsError` and render it; anything else is a bug and fails closed.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal


def suggest(name: str, candidates: Iterable[str], n: int = 3) -> tuple[str, ...]:
    """The known names close to a mistyped one (at most ``n``, closest first); () when none is close."""
    return tuple(difflib.get_close_matches(name, list(candidates), n=n, cutoff=0.6))


def did_you_mean(suggestions: Sequence[str]) -> str:
    """How a problem's suggestions read in text: " (did you mean 'x' or 'y'?)", or '' for none."""
    if not suggestions:
        return ""
    return " (did you mean " + " or ".join(f"'{m}'" for m in suggestions) + "?)"


class ThresholdsError(Exception):
    """Base of every error the engine and service report.

    ``caused_by`` says whose move it is: ``user`` (the input is wrong; say what and where) or
    ``internal`` (the system could not do its part; fail closed and say so). ``suggestions``
    holds the known names close to a mistyped one as data (the API emits them as a field); the
    text form appends them as "did you mean".
    """

    caused_by: ClassVar[Literal["user", "internal"]] = "user"
    suggestions: tuple[str, ...] = ()

    def __init__(self, *args: object, suggestions: Sequence[str] = ()) -> None:
        super().__init__(*args)
        self.suggestions = tuple(suggestions)

    def __str__(self) -> str:
        return super().__str__() + did_you_mean(self.suggestions)


@dataclass(frozen=True)
class Problem:
    """One problem in a file: where it is and what is wrong."""

    file: str
    line: int
    column: int
    message: str
    suggestions: tuple[str, ...] = ()  # known names close to a mistyped one

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}{did_you_mean(self.suggestions)}"


class LocatedError(ThresholdsError):
    """An error that carries every located problem found (file positions or JSON Pointers).

    Interfaces render ``problems`` one by one; the message is their text form joined.
    """

    problems: Sequence[Problem | FieldProblem]

    def __init__(self, problems: Sequence[Problem | FieldProblem], separator: str = "\n") -> None:
        self.problems = list(problems)
        super().__init__(separator.join(str(p) for p in problems))


class RulesetError(LocatedError):
    """A ruleset, national module or vocabulary file that cannot be used.

    Carries every problem found, not just the first, so an author fixes a file in one pass.
    """

    problems: list[Problem]

    def __init__(self, problems: list[Problem]) -> None:
        ordered: list[Problem] = sorted(problems, key=lambda p: (p.file, p.line, p.column, p.message))
        super().__init__(ordered)


class YamlSyntaxError(RulesetError):
    """The file is not safe, well-formed YAML (syntax, duplicate keys, aliases, size, depth)."""


class SchemaError(RulesetError):
    """The YAML is well-formed but does not match the ruleset model."""


class SemanticError(RulesetError):
    """The file matches the model but contradicts the vocabulary, itself or the national module."""


@dataclass(frozen=True)
class FieldProblem:
    """One problem in a JSON document, located by JSON Pointer (RFC 6901)."""

    pointer: str
    message: str
    suggestions: tuple[str, ...] = ()  # known names close to a mistyped one

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.message}{did_you_mean(self.suggestions)}"


class ReferralError(LocatedError):
    """Referral facts that do not fit the vocabulary (unknown fact, wrong type, bad value)."""

    problems: list[FieldProblem]

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__(problems, "; ")


class UnknownRulesetError(ThresholdsError):
    """No bundled ruleset has that id, version or effective date."""


class EvaluationFailed(ThresholdsError):
    """Evaluation could not complete; the caller must fail closed (no suggestion)."""

    caused_by = "internal"
