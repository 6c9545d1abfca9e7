"""The authority whose thresholds apply, and which version of its ruleset (by name or date)."""

from __future__ import annotations

import datetime as dt

from service.training.library import REGISTRY as R
from service.training.registry import StepError
from service.training.state import ScenarioState
from service.training.wording import unquote

SECTION = "The authority and version"


def parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(unquote(text))
    except ValueError:
        raise StepError(f"'{unquote(text)}' is not a date written YYYY-MM-DD") from None


@R.given("the (authority|council) is {authority}", example="the authority is Kent", section=SECTION)
def authority_is(state: ScenarioState, authority: str) -> None:
    """The authority whose threshold document applies: its ruleset id (kent) or name (Kent County Council)."""
    state.choose_authority(authority)


@R.given("the referral is made to {authority}", example="the referral is made to Kent", section=SECTION)
def referral_made_to(state: ScenarioState, authority: str) -> None:
    """Another way to name the authority."""
    state.choose_authority(authority)


@R.given("the ruleset version is {version}", example='the ruleset version is "i-statements"', section=SECTION)
def version_is(state: ScenarioState, version: str) -> None:
    """A named version of the authority's ruleset (default: the version in force today)."""
    state.version = unquote(version)
    if state.authority is not None:
        state.ruleset()  # report an unknown version at this line


@R.given("the date is {date}", example="the date is 2026-01-15", section=SECTION)
def date_is(state: ScenarioState, date: str) -> None:
    """Use the version of each ruleset that was in force on this date (YYYY-MM-DD)."""
    state.as_of = parse_day(date)
