"""pytest-bdd glue: every step of every feature file is dispatched to the step registry.

pytest-bdd matches steps by trying each definition; here one catch-all per keyword hands the
step text (and its table) to :mod:`service.training` so that the pytest run, the linter,
the catalogue and trainee mode share one library and one "closest phrasings" message.
Evaluation uses the real live evaluator (both channels). A terminal summary lists the result
by feature and scenario, and files that could not be collected.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from engine.errors import ThresholdsError
from service.training.library import registry
from service.training.registry import Kind, Table
from service.training.state import ScenarioState, shared_runtime

ANY = parsers.re(r"(?P<text>.*)")
_STEP = pytest.StashKey[Any]()
_RESULTS = pytest.StashKey[list["ScenarioResult"]]()
_FAILED = pytest.StashKey[bool]()


@dataclass
class ScenarioResult:
    feature: str
    path: str
    scenario: str
    line: int
    failed_step: str | None = None
    error: str | None = None


@pytest.fixture
def bdd_state() -> ScenarioState:
    return ScenarioState(shared_runtime())


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
