"""pytest-bdd glue shipped in the package: every step of every feature file goes to the step registry.

It lives here, not under tests/, so that ``thresholds features run`` works from an installed
package with no checkout: the command loads this module as a pytest plugin and collects the
trainer's files through :mod:`service.training.bdd_suite`. The project's own test run
(tests/bdd) re-exports the same fixtures and hooks, so both runs share one glue.

pytest-bdd matches steps by trying each definition; one catch-all per keyword hands the step
text (and its table) to :mod:`service.training` so that the pytest run, the linter, the
catalogue and trainee mode share one library and one "closest phrasings" message. Evaluation
uses the real live evaluator (both channels). A terminal summary lists the result by feature
and scenario.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from engine.errors import Problem, ThresholdsError
from service.training.library import registry
from service.training.lint import feature_files, syntax_check
from service.training.registry import Kind, Table
from service.training.state import ScenarioState, shared_runtime
from service.training.tags import TAGS

ANY = parsers.re(r"(?P<text>.*)")
_STEP = pytest.StashKey[Any]()
_RESULTS = pytest.StashKey[list["ScenarioResult"]]()
_FAILED = pytest.StashKey[bool]()
RULESETS_OPTION = "--thresholds-rulesets"
EXERCISES: list[Path] = []  # the feature files service.training.bdd_suite collects; set by exercise_run


@dataclass
class ScenarioResult:
    feature: str
    path: str
    scenario: str
    line: int
    failed_step: str | None = None
    error: str | None = None


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(RULESETS_OPTION, default=None, help="ruleset folder (default: the bundled rulesets)")


def pytest_configure(config: pytest.Config) -> None:
    # Tags become markers: declare them so that a run outside the project's pyproject does not warn.
    for tag, meaning in TAGS.items():
        config.addinivalue_line("markers", f"{tag}: {meaning}")


@pytest.fixture
def bdd_state(request: pytest.FixtureRequest) -> ScenarioState:
    root = request.config.getoption(RULESETS_OPTION, default=None)
    return ScenarioState(shared_runtime(root))


def _run(kind: Kind, text: str, state: ScenarioState, table: Table | None, request: pytest.FixtureRequest) -> None:
    __tracebackhide__ = True
    try:
        registry().run(kind, text, state, table)
        return
    except (ThresholdsError, AssertionError) as e:
        error = str(e)
    step = request.node.stash.get(_STEP, None)
    where = f"line {step.line_number}: {step.keyword} " if step is not None else f"{kind} "
    pytest.fail(f"{where}{text}\n  {error}", pytrace=False)


@given(ANY)
def _given(text: str, bdd_state: ScenarioState, request: pytest.FixtureRequest, datatable: Table | None = None) -> None:
    _run("given", text, bdd_state, datatable, request)


@when(ANY)
def _when(text: str, bdd_state: ScenarioState, request: pytest.FixtureRequest, datatable: Table | None = None) -> None:
    _run("when", text, bdd_state, datatable, request)


@then(ANY)
def _then(text: str, bdd_state: ScenarioState, request: pytest.FixtureRequest, datatable: Table | None = None) -> None:
    _run("then", text, bdd_state, datatable, request)


def split(paths: list[Path]) -> tuple[list[Path], dict[str, list[Problem]]]:
    """The well-formed feature files under ``paths``, and the others with their problems.

    The caller passes the good ones to pytest-bdd's ``scenarios()`` at module level itself:
    ``scenarios()`` binds the tests into its caller's namespace, which must be a module.
    """
    good: list[Path] = []
    broken: dict[str, list[Problem]] = {}
    for path in feature_files(paths):
        _doc, fatal = syntax_check(path)
        if fatal:
            broken[str(path)] = fatal
        else:
            good.append(path.resolve())
    return good, broken


# --- the report by feature and scenario ---------------------------------------------------
def _results(config: pytest.Config) -> list[ScenarioResult]:
    if _RESULTS not in config.stash:
        config.stash[_RESULTS] = []
    return config.stash[_RESULTS]


def pytest_bdd_before_step(request: pytest.FixtureRequest, step: Any) -> None:
    request.node.stash[_STEP] = step


def pytest_bdd_after_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    if request.node.stash.get(_FAILED, False):
        return
    _results(request.config).append(ScenarioResult(feature.name, feature.rel_filename, scenario.name,
                                                   scenario.line_number))


def pytest_bdd_step_error(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any,
                          exception: BaseException) -> None:
    request.node.stash[_FAILED] = True
    message = str(getattr(exception, "msg", None) or exception).strip().splitlines()
    _results(request.config).append(ScenarioResult(
        feature.name, feature.rel_filename, scenario.name, scenario.line_number,
        f"line {step.line_number}: {step.keyword} {step.name}", message[-1].strip() if message else ""))


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    results = _results(config)
    if not results:
        return
    tr = terminalreporter
    tr.section("scenarios by feature")
    by_feature: dict[tuple[str, str], list[ScenarioResult]] = {}
    for r in results:
        by_feature.setdefault((r.path, r.feature), []).append(r)
    for (path, feature), items in sorted(by_feature.items()):
        failed = sum(1 for r in items if r.error is not None)
        tr.write_line(f"{feature} ({path}): {len(items) - failed} passed, {failed} failed")
        for r in items:
            mark = "FAIL" if r.error is not None else "ok  "
            tr.write_line(f"  {mark} {r.scenario}")
            if r.error is not None:
                tr.write_line(f"       {r.failed_step}: {r.error}")
    total = len(results)
    failed = sum(1 for r in results if r.error is not None)
    tr.write_line(f"{len(by_feature)} features, {total} scenarios: {total - failed} passed, {failed} failed")
