"""Then: the same referral landing differently (or the same) in two councils.

Comparisons use the canonical outcome, because local level numbers are labels, not a shared
scale: Level 3 is a social-care referral in one area and multi-agency early help in another.
"""

from __future__ import annotations

from engine.evaluate.suggestion import Suggestion
from service.training.library import REGISTRY as R
from service.training.state import Evaluation, ScenarioState
from service.training.steps.expectations import summary

SECTION = "Comparing councils"


Result = tuple[Evaluation, Suggestion]


def _pair(state: ScenarioState, a: str, b: str) -> tuple[Result, Result] | None:
    ea, eb = state.results(a)[0], state.results(b)[0]
    if state.mode == "collect":
        return None
    sa, sb = ea.suggestion, eb.suggestion
    for ev, s in ((ea, sa), (eb, sb)):
        if s is None or s.kind != "suggestion" or s.outcome is None:
            raise AssertionError(f"{ev.loaded.key} made no suggestion")
    assert sa is not None and sb is not None
    return (ea, sa), (eb, sb)


@R.then("the referral lands differently in {a} and {b}", example="the referral lands differently in Kent and Hampshire",
        section=SECTION)
def lands_differently(state: ScenarioState, a: str, b: str) -> None:
    """The two authorities suggest different canonical outcomes for the same referral (each is
    evaluated if the When step did not already)."""
    pair = _pair(state, a, b)
    if pair is None:
        return
    (ea, sa), (eb, sb) = pair
    if sa.outcome == sb.outcome:
        raise AssertionError(f"both land at {sa.outcome}: {summary(ea)} | {summary(eb)}")


@R.then("the referral lands the same in {a} and {b}", example="the referral lands the same in Kent and Hampshire",
        section=SECTION)
def lands_same(state: ScenarioState, a: str, b: str) -> None:
    """The two authorities suggest the same canonical outcome."""
    pair = _pair(state, a, b)
    if pair is None:
        return
    (ea, sa), (eb, sb) = pair
    if sa.outcome != sb.outcome:
        raise AssertionError(f"they differ: {summary(ea)} | {summary(eb)}")


@R.then("the referral lands higher in {a} than in {b}", example="the referral lands higher in Kent than in Hampshire",
        section=SECTION)
def lands_higher(state: ScenarioState, a: str, b: str) -> None:
    """Authority A suggests a higher canonical outcome than authority B."""
    pair = _pair(state, a, b)
    if pair is None:
        return
    (ea, sa), (eb, sb) = pair
    assert sa.outcome is not None and sb.outcome is not None
    if not sa.outcome > sb.outcome:
        raise AssertionError(f"not higher: {summary(ea)} | {summary(eb)}")
