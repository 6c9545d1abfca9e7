"""The feature linter: every problem in every file, before a run, one file at a time.

Checks Gherkin syntax (with line and column), declared tags, and every step of every
scenario (Outline rows expanded): unknown phrases get the closest known phrasings, and the
steps are run in "collect" mode, so a misspelt fact, value, authority, version or level is
reported at its line without evaluating anything. A broken file never stops the others.

Problems marked ``fatal`` would abort a pytest-bdd collection (syntax, no scenarios, an
undeclared tag); tests/bdd skips those files and reports them instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from engine.errors import Problem, ThresholdsError
from service.training.feature import Case, FeatureDoc, FeatureError, one_line, read_feature
from service.training.library import registry
from service.training.registry import Registry, StepError
from service.training.state import Runtime, ScenarioState, shared_runtime
from service.training.steps.expectations import (
    explanation_cites,
    explanation_not_cites,
    override_applies,
    under_explanation_cites,
)
from service.training.tags import TAGS


@dataclass
class FileReport:
    path: str
    cases: int = 0
    fatal: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.fatal and not self.problems


def feature_files(paths: Iterable[Path | str]) -> list[Path]:
    """The .feature files named, or found under the folders named, sorted."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(sorted(p.rglob("*.feature")))
        else:
            out.append(p)
    return out


def syntax_check(path: Path | str) -> tuple[FeatureDoc | None, list[Problem]]:
    """Only what would abort pytest-bdd: syntax, no scenarios, undeclared or malformed tags."""
    try:
        doc = read_feature(path)
    except FeatureError as e:
        return None, e.problems
    problems: list[Problem] = []
    if not doc.cases:
        problems.append(Problem(str(path), doc.line, 1, "the feature has no scenarios"))
    seen: set[str] = set()
    for case in doc.cases:
        for tag in case.tags:
            if tag in seen:
                continue
            seen.add(tag)
            if tag not in TAGS:
                problems.append(Problem(str(path), case.line, 1,
                                        f"tag '@{tag}' is not declared; declared tags: "
                                        + ", ".join(f"@{t}" for t in TAGS)))
    return doc, problems


def lint_file(path: Path | str, reg: Registry | None = None, runtime: Runtime | None = None) -> FileReport:
    reg = reg or registry()
    runtime = runtime or shared_runtime()
    report = FileReport(str(path))
    doc, fatal = syntax_check(path)
    report.fatal = fatal
    if doc is None:
        return report
    report.cases = len(doc.cases)
    seen: set[tuple[int, str]] = set()
    for case in doc.cases:
        for p in _case_problems(case, reg, runtime):
            if (p.line, p.message) not in seen:
                seen.add((p.line, p.message))
                report.problems.append(p)
        report.warnings.extend(_case_warnings(case, reg))
    report.warnings = _dedupe(report.warnings)
    return report


def _case_problems(case: Case, reg: Registry, runtime: Runtime) -> list[Problem]:
    out: list[Problem] = []
    kinds = {st.kind for st in case.steps}
    for kind, phrase in (("when", "When the referral is evaluated ..."), ("then", "Then the suggested level is ...")):
        if kind not in kinds:
            out.append(Problem(case.path, case.line, 1, f"scenario '{case.name}' has no {kind.capitalize()} step "
                                                        f"(e.g. '{phrase}')"))
    state = ScenarioState(runtime, mode="collect")
    for st in case.steps:  # report every broken step, not just the first
        try:
            reg.run(st.kind, st.text, state, st.table)
        except ThresholdsError as e:  # unknown phrase, bad value, unknown authority or level
            out.append(Problem(case.path, st.line, st.column, one_line(e)))
            if st.kind == "when":
                break  # the Then steps would only repeat that nothing was evaluated
    return out


def _case_warnings(case: Case, reg: Registry) -> list[Problem]:
    """A level expectation should be traceable to the indicator or override it comes from."""
    expects_level = cites = False
    for st in case.steps:
        if st.kind != "then":
            continue
        try:
            m = reg.match(st.kind, st.text)
        except StepError:
            continue
        cites = cites or m.step.func in (explanation_cites, explanation_not_cites, override_applies,
                                              under_explanation_cites)
        expects_level = expects_level or "level" in m.step.template or "outcome" in m.step.template
    if expects_level and not cites:
        hint = ("add 'Then the explanation cites \"<indicator id>\"' (or, for a low level, "
                "'Then the explanation does not cite \"<id>\"')")
        message = f"scenario '{case.name}' expects a level but cites no indicator: {hint}"
        return [Problem(case.path, case.line, 1, message)]
    return []


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[int, str]] = set()
    out: list[Problem] = []
    for p in problems:
        if (p.line, p.message) not in seen:
            seen.add((p.line, p.message))
            out.append(p)
    return out


def lint_paths(paths: Iterable[Path | str], reg: Registry | None = None,
               runtime: Runtime | None = None) -> list[FileReport]:
    return [lint_file(p, reg, runtime) for p in feature_files(paths)]
