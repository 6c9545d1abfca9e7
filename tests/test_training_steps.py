"""The step library on the real live evaluator: every phrase resolves, and checks really fail."""

from __future__ import annotations

import pytest

from engine.errors import ThresholdsError
from service.training.library import registry
from service.training.registry import StepError
from service.training.state import ScenarioState, shared_runtime


def run(lines: list[tuple[str, str]], table: list[list[str]] | None = None) -> ScenarioState:
    state = ScenarioState(shared_runtime())
    for kind, text in lines:
        registry().run(kind, text, state, table if text.endswith(":") else None)  # type: ignore[arg-type]
    return state


def test_every_example_resolves_to_its_own_phrase() -> None:
    reg = registry()
    for step in reg.steps():
        assert reg.match(step.kind, step.example).step is step, step.template


def test_every_phrase_has_a_docstring_and_example() -> None:
    for step in registry().steps():
        assert step.doc and step.example


def test_unknown_step_fails_with_the_closest_phrasings() -> None:
    with pytest.raises(StepError) as e:
        registry().match("given", "a babby aged 4 months")
    assert "unknown step" in str(e.value)
    assert '"a baby aged 4 months"' in str(e.value)


def test_a_then_phrase_under_given_says_where_it_belongs() -> None:
    with pytest.raises(StepError, match="is a Then step"):
        registry().match("given", 'the suggested level is "L4"')


def test_every_vocabulary_fact_is_reachable_by_label_and_id() -> None:
    vocab = shared_runtime().catalogue.vocabulary
    for fact in vocab.facts:
        for name in (fact.label, fact.id):
            state = ScenarioState(shared_runtime(), mode="collect")
            registry().run("given", f"{name} is not known", state)
            assert fact.id in state.unknown


def test_fact_values_by_id_label_and_words() -> None:
    state = run([("given", "Going missing is regularly goes missing"),
                 ("given", "domestic_abuse: incidents or history"),
                 ("given", "Bullying is yes"), ("given", "a child aged 12 years and 11 months")])
    assert state.facts == {"missing_from_home": "regular", "domestic_abuse": "incidents_or_history",
                           "bullying": True, "child_age_months": 155}


def test_bad_value_names_the_fact_and_its_values() -> None:
    with pytest.raises(StepError, match=r"has no value 'reguler'; values: .* \(did you mean 'regular'\?\)$"):
        run([("given", "Going missing is reguler")])


def test_contradicting_facts_are_an_error() -> None:
    with pytest.raises(StepError, match="already given"):
        run([("given", "the baby is not independently mobile"), ("given", "the baby is independently mobile")])


def test_table_of_facts_and_unknowns() -> None:
    state = ScenarioState(shared_runtime())
    registry().run("given", "the referral reports:", state,
                   [["fact", "value"], ["Going missing", "frequent"], ["immediate_danger", "not known"]])
    assert state.facts == {"missing_from_home": "frequent"} and state.unknown == {"immediate_danger"}
    with pytest.raises(StepError, match="first row must be"):
        registry().run("given", "the referral reports:", state, [["a", "b"], ["x", "y"]])


BRUISE = [("given", "a baby aged 4 months"), ("given", "the baby is not independently mobile"),
          ("given", "the baby has a bruise"), ("when", "the referral is evaluated under Kent")]


def test_level_checks_pass_and_fail_on_the_live_result() -> None:
    state = run(BRUISE)
    ev = state.evaluations["kent"]
    assert ev.suggestion is not None and ev.suggestion.channels == ["python", "durable_rules"]
    for ok in ['the suggested level is "L4"', "the suggested level is Specialist Support",
               "the canonical outcome is child protection", "the suggested level is at least L3",
               "the suggested level is at most immediate_protection",
               'the explanation cites "kent-l4-non-mobile-bruise-or-injury"',
               'a required action is "urgent paediatric"', 'a question to ask is "immediate danger"',
               "the suggestion is incomplete"]:
        registry().run("then", ok, state)
    for wrong in ['the suggested level is "L3"', "the suggested level is at most L3",
                  "the canonical outcome is child_in_need", 'the explanation cites "kent-l3"',
                  "no safety override applies", "the suggestion is complete",
                  'a required action is "call the police"']:
        with pytest.raises(AssertionError, match="kent@i-statements suggested L4|no |safety|incomplete|complete"):
            registry().run("then", wrong, state)


def test_unknown_level_is_a_step_error_listing_the_levels() -> None:
    state = run(BRUISE)
    with pytest.raises(StepError, match="levels: L1 Universal Support"):
        registry().run("then", "the suggested level is L9", state)


def test_same_referral_landing_differently_in_two_councils() -> None:
    state = run([("given", "a young person aged 15 years"),
                 ("given", "the young person is a young carer whose caring affects their outcomes"),
                 ("when", "the referral is evaluated under each of Kent and Hampshire")])
    registry().run("then", "the referral lands differently in Kent and Hampshire", state)
    registry().run("then", "the referral lands higher in Kent than in Hampshire", state)
    registry().run("then", 'under Hampshire the suggested level is "L2"', state)
    with pytest.raises(AssertionError):
        registry().run("then", "the referral lands the same in Kent and Hampshire", state)
    with pytest.raises(AssertionError):
        registry().run("then", "the suggested level is L3", state)  # Hampshire says L2


def test_unknown_authority_suggests_the_bundled_ones() -> None:
    with pytest.raises(ThresholdsError, match="unknown authority 'Kentt'"):
        run([("when", "the referral is evaluated under Kentt")])


def test_misspelt_fact_label_suggests_the_fact() -> None:
    with pytest.raises(StepError, match="did you mean the fact 'Going missing'"):
        registry().match("given", "Going mising is regular")
