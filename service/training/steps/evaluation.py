"""When: evaluate the referral on the real live evaluator (both channels, cross-checked)."""

from __future__ import annotations

import re

from service.training.library import REGISTRY as R
from service.training.registry import StepError
from service.training.state import ScenarioState
from service.training.steps.authority import parse_day
from service.training.wording import unquote

SECTION = "Evaluating the referral"


@R.when("the referral is evaluated", example="the referral is evaluated", section=SECTION)
def evaluated(state: ScenarioState) -> None:
    """Evaluate under the authority given earlier (Given the authority is ...)."""
    state.evaluate(state.ruleset())


@R.when("the referral is evaluated under {authority}", example="the referral is evaluated under Kent",
        section=SECTION)
def evaluated_under(state: ScenarioState, authority: str) -> None:
    """Evaluate under one authority. In a Scenario Outline write <authority> and give one authority
    per row of the Examples table, so each row is evaluated under its own council."""
    state.evaluate(state.ruleset(authority))


@R.when("the referral is evaluated under {authority} version {version}",
        example='the referral is evaluated under Kent version "i-statements"', section=SECTION)
def evaluated_under_version(state: ScenarioState, authority: str, version: str) -> None:
    """Evaluate under a named version of one authority's ruleset."""
    state.evaluate(state.ruleset(authority, version=unquote(version)))


@R.when("the referral is evaluated under {authority} as of {date}",
        example="the referral is evaluated under Kent as of 2026-01-15", section=SECTION)
def evaluated_under_as_of(state: ScenarioState, authority: str, date: str) -> None:
    """Evaluate under the version of one authority's ruleset in force on a date (YYYY-MM-DD)."""
    state.evaluate(state.ruleset(authority, as_of=parse_day(date)))


@R.when("the referral is evaluated under each of {authorities}",
        example="the referral is evaluated under each of Kent and Hampshire", section=SECTION)
def evaluated_under_each(state: ScenarioState, authorities: str) -> None:
    """Evaluate the same referral under several authorities (a list separated by commas or "and"),
    to compare where it lands; Then steps say "under <authority> ..."."""
    names = [n for n in re.split(r"\s*,\s*|\s+and\s+", authorities) if n.strip()]
    if len(names) < 2:
        raise StepError("name at least two authorities, e.g. 'under each of Kent and Hampshire'")
    for name in names:
        state.evaluate(state.ruleset(name))


@R.when("the referral is evaluated under every authority", example="the referral is evaluated under every authority",
        section=SECTION)
def evaluated_everywhere(state: ScenarioState) -> None:
    """Evaluate under the current version of every bundled authority."""
    for loaded in state.catalogue.current():
        state.evaluate(loaded)
