"""Single-statement fidelity checks: one source statement, the facts it states, the level it gives.

A policy officer checks an encoding against their document one sentence at a time: "the
document says *this* is Level 3". Each authority has a file under ``rulesets/fidelity/`` listing such
statements (cited, with only the facts the sentence states: every other fact is not known).
Evaluating each on the real engine must give the level the source gives; a change to a ruleset
or the vocabulary that moves a statement to another level fails the tests. The file format is
checked like ruleset files (``file:line:column``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from engine.errors import Problem, SemanticError
from engine.evaluate.evaluator import Evaluator
from engine.load.catalogue import Catalogue
from engine.load.loader import validate_model
from engine.load.yamlfile import load_file
from engine.model.ruleset import ID, LEVEL_ID, Citation


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Statement(_Strict):
    ruleset: str = Field(min_length=1, description="The version of the authority's ruleset it checks.")
    source: str = Field(min_length=1, description="The statement as the source notes record it.")
    quote: str | None = Field(default=None, description="The source's exact words, where recorded.")
    cite: Citation
    facts: dict[str, Any] = Field(min_length=1, description="Only the facts the statement states.")
    level: str = Field(pattern=LEVEL_ID, description="The level the source gives it.")


class FidelityFile(_Strict):
    authority: str = Field(pattern=ID)
    statements: list[Statement] = Field(min_length=1)


class Outcome(_Strict):
    """One statement evaluated: what the source gives and what the engine suggested."""

    where: str
    ruleset: str
    source: str
    expected: str
    got: str | None
    reason: str | None

    @property
    def holds(self) -> bool:
        return self.got == self.expected


def load(path: Path | str, cat: Catalogue) -> FidelityFile:
    """Parse and validate one file; the authority and versions must exist (located errors)."""
    located = load_file(path)
    doc = validate_model(located, FidelityFile)
    problems: list[Problem] = []
    if doc.authority not in cat.ids():
        problems.append(located.problem(("authority",), f"unknown authority '{doc.authority}'"))
    else:
        versions = [r.version for r in cat.versions(doc.authority)]
        for n, st in enumerate(doc.statements):
            if st.ruleset not in versions:
                problems.append(located.problem(("statements", n, "ruleset"), f"unknown version '{st.ruleset}' of "
                                                f"'{doc.authority}'; versions: {', '.join(versions)}"))
    if problems:
        raise SemanticError(problems)
    return doc


def evaluate(path: Path | str, cat: Catalogue, evaluator: Evaluator) -> list[Outcome]:
    """Every statement of one file, evaluated on ``evaluator`` (raises on a bad file or bad facts)."""
    located = load_file(path)
    doc = load(path, cat)
    out = []
    for n, st in enumerate(doc.statements):
        line, col = located.position(("statements", n))
        loaded = cat.select(doc.authority, version=st.ruleset)
        s = evaluator.evaluate(loaded, st.facts)
        out.append(Outcome(where=f"{path}:{line}:{col}", ruleset=loaded.key, source=st.source, expected=st.level,
                           got=s.level.id if s.level else None, reason=s.reason))
    return out
