"""What linting one file found, kept in the validated-model cache so unchanged files are not re-linted.

Linting every bundled ruleset re-reads each YAML file for positions and walks each ruleset's
enumerated fact space: most of ``thresholds lint``'s time, spent again on every run although
nothing changed. A report is stored through engine.load.cache (JSON, HMAC-tagged, private folder)
under a key made of the engine version, the bytes of every input file (vocabulary, national
module, the file itself) and the bytes of the linter's own modules, so an edit to any rule file
or to the linter's code gives a new key and the file is linted afresh. The path a finding names is
the path it was linted under, so a hit is re-labelled with the path asked for now.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from engine.errors import Problem
from engine.lint.linter import LintWarning
from engine.load import cache

_LINTER_SOURCES = sorted(Path(__file__).parent.glob("*.py"))
"""The linter's own code is an input too: a changed check must never be answered from old findings."""


class FileProblem(BaseModel):
    """A Problem (a dataclass) in a form the cache can store and validate."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    file: str
    line: int
    column: int
    message: str
    suggestions: tuple[str, ...] = ()


class LintReport(BaseModel):
    """The findings (a ruleset) or problems (the definitions manual) for one file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str | None = None
    findings: list[LintWarning] = []
    errors: list[FileProblem] = []

    def problems(self) -> list[Problem]:
        return [Problem(p.file, p.line, p.column, p.message, p.suggestions) for p in self.errors]

    def relabelled(self, old: str, new: str) -> LintReport:
        """The same report with findings and problems in ``old`` named by ``new`` (the path asked for)."""
        if old == new:
            return self
        return self.model_copy(update={
            "findings": [w.model_copy(update={"file": new}) if w.file == old else w for w in self.findings],
            "errors": [p.model_copy(update={"file": new}) if p.file == old else p for p in self.errors]})


def report_of(path: Path, inputs: Sequence[Path], build: Callable[[], LintReport]) -> LintReport:
    """The report for ``path`` (the last of ``inputs``): from the cache when no input or linter module
    changed, else built and stored. Only reports without errors are stored, so a broken file is always
    re-read and reported with its current positions."""
    files = [*inputs, *_LINTER_SOURCES]
    try:
        key = cache.key_for(LintReport, files)
    except OSError:
        return build()
    found = cache.read(LintReport, key)
    if found is not None:
        return found.relabelled(_STORED_PATH, str(path))
    report = build()
    if not report.errors:
        cache.write(report.relabelled(str(path), _STORED_PATH), key)
    return report


_STORED_PATH = "<linted file>"
"""The path a stored report uses for the linted file; replaced by the path asked for on a hit."""
