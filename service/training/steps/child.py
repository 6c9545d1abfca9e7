"""The child: age in years or months, mobility and disability."""

from __future__ import annotations

from service.training.library import REGISTRY as R
from service.training.registry import StepError
from service.training.state import ScenarioState

SECTION = "The child"
WHO = "(a|an) [referral for a] (child|baby|girl|boy|young person)"
THE = "the (child|baby|girl|boy|young person)"
MAX_MONTHS = 215


def _age(state: ScenarioState, months: int) -> None:
    if months > MAX_MONTHS:
        raise StepError(f"a child is under 18: {months} months is too old (the most is {MAX_MONTHS} months)")
    state.set_fact("child_age_months", months)


@R.given(f"{WHO} aged {{years:int}} year[s] [old]", example="a child aged 15 years", section=SECTION)
def aged_years(state: ScenarioState, years: str) -> None:
    """The child's age in completed years (stored as months: 13 years is 156 months, so not "under 13")."""
    _age(state, int(years) * 12)


@R.given(f"{WHO} aged {{months:int}} month[s] [old]", example="a baby aged 4 months", section=SECTION)
def aged_months(state: ScenarioState, months: str) -> None:
    """The child's age in completed months (0 for a newborn)."""
    _age(state, int(months))


@R.given(f"{WHO} aged {{years:int}} year[s] and {{months:int}} month[s] [old]",
         example="a girl aged 12 years and 11 months", section=SECTION)
def aged_years_months(state: ScenarioState, years: str, months: str) -> None:
    """The child's age in years and months, for ages near a boundary such as 13 or 16."""
    if int(months) > 11:
        raise StepError(f"{months} months: write the extra months as 0 to 11")
    _age(state, int(years) * 12 + int(months))


@R.given("the child's age is not known", example="the child's age is not known", section=SECTION)
def age_unknown(state: ScenarioState) -> None:
    """The referrer does not know the child's age (unknown never means "no")."""
    state.set_fact("child_age_months", None)


@R.given(f"{THE} is not independently mobile", example="the baby is not independently mobile", section=SECTION)
def not_mobile(state: ScenarioState) -> None:
    """The child is not yet rolling, crawling, cruising or walking on their own."""
    state.set_fact("independently_mobile", False)


@R.given(f"{THE} is not yet rolling, crawling, cruising or walking",
         example="the baby is not yet rolling, crawling, cruising or walking", section=SECTION)
def not_yet_rolling(state: ScenarioState) -> None:
    """The NICE / RCPCH description of a child who is not independently mobile."""
    state.set_fact("independently_mobile", False)


@R.given(f"{THE} is immobile through disability", example="the child is immobile through disability",
         section=SECTION)
def immobile_disability(state: ScenarioState) -> None:
    """An older child who is not independently mobile because of a disability."""
    state.set_fact("independently_mobile", False)


@R.given(f"{THE} is independently mobile", example="the child is independently mobile", section=SECTION)
def mobile(state: ScenarioState) -> None:
    """The child rolls, crawls, cruises or walks on their own."""
    state.set_fact("independently_mobile", True)


@R.given(f"{THE}'s mobility is not known", example="the baby's mobility is not known", section=SECTION)
def mobility_unknown(state: ScenarioState) -> None:
    """Nobody has said whether the child is independently mobile."""
    state.set_fact("independently_mobile", None)


DISABILITY = {
    "the child has no disability": ("none", "The child has no disability or sensory impairment."),
    "the child has a mild disability": ("mild_not_impacting",
                                        "A mild disability, not affecting basic care or safety."),
    "the child has a disability needing low-level support": (
        "needs_low_level_support", "A diagnosed disability or sensory impairment needing low-level support."),
    "the child has a significant disability": ("significant",
                                               "A significant disability needing professional support."),
    "the child has a complex or severe disability": (
        "complex_or_severe", "A complex, multiple or severe disability affecting all aspects of development."),
}


def _disability_step(template: str, value: str, doc: str) -> None:
    def step(state: ScenarioState) -> None:
        state.set_fact("disability", value)

    step.__doc__ = f"{doc} (disability = {value})"
    R.given(template, example=template, section=SECTION)(step)


for _template, (_value, _doc) in DISABILITY.items():
    _disability_step(_template, _value, _doc)
