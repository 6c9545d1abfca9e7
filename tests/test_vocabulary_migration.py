"""Vocabulary 2.0.0: answers that say one thing each, and the migration of 1.x facts.

"Impact not established" is not known (never "no impact", never a value below "impacts
negatively"); smoking is its own fact, not "experimenting". Evaluated on the real engine (both
channels) with the bundled rulesets.
"""

from __future__ import annotations

import pytest

from engine.errors import ReferralError
from engine.model.migration import migrate
from engine.model.vocabulary import CategoryFact
from tests.bundled import catalogue, live_evaluator, ruleset

IMPACT = "parental_mental_health_impact"


def test_impact_not_established_is_read_as_not_known() -> None:
    vocab = catalogue().vocabulary
    assert vocab.vocabulary.version.startswith("2.")
    fact = vocab.fact(IMPACT)
    assert isinstance(fact, CategoryFact)
    assert "impact_not_established" in fact.not_known_ids and "impact_not_established" not in fact.value_ids
    assert vocab.normalise({IMPACT: "impact_not_established"}) == {}
    assert vocab.normalise({IMPACT: "present_no_impact"}) == {IMPACT: 1}
    with pytest.raises(ReferralError) as err:
        vocab.normalise({IMPACT: "present"})  # the merged 1.x value is gone
    assert err.value.problems[0].pointer == f"/facts/{IMPACT}"


def test_not_established_leaves_the_rule_open_where_no_impact_meets_it() -> None:
    bucks = ruleset("buckinghamshire@continuum-of-need-web")
    ev = live_evaluator()
    rule = "buckinghamshire-l2-parent-health"

    def matched(value: str) -> set[str]:
        s = ev.evaluate(bucks, {IMPACT: value})
        assert s.kind == "suggestion", s.reason
        return {m.id for m in s.matched_indicators}

    assert rule in matched("present_no_impact")
    assert rule not in matched("none")
    unknown = ev.evaluate(bucks, {IMPACT: "impact_not_established"})
    assert rule not in {m.id for m in unknown.matched_indicators}
    asked = {q.fact: q for q in unknown.open_questions}
    assert IMPACT in asked, "an impact that is not established must still be asked"
    assert "impact_not_established" not in asked[IMPACT].answers


def test_smoking_is_not_experimenting() -> None:
    wirral = ruleset("wirral@threshold-tables")
    ev = live_evaluator()
    smokes = ev.evaluate(wirral, {"child_smokes": True})
    drinks = ev.evaluate(wirral, {"child_substance_use": "experimenting"})
    assert "wirral-l2-smokes" in {m.id for m in smokes.matched_indicators}
    assert "wirral-l2-smokes" not in {m.id for m in drinks.matched_indicators}
    bucks = ruleset("buckinghamshire@continuum-of-need-web")
    for facts in ({"child_smokes": True}, {"child_substance_use": "experimenting"}):
        assert "buckinghamshire-l2-experimenting-substances" in {
            m.id for m in ev.evaluate(bucks, facts).matched_indicators}


def test_migration_from_1x() -> None:
    old = {IMPACT: "present", "parental_learning_disability_impact": "none",
           "child_substance_use": "experimenting", "missing_from_home": "regular"}
    m = migrate(old, "1.2.0")
    assert m.facts == {IMPACT: "impact_not_established", "parental_learning_disability_impact": "none",
                       "child_substance_use": None, "child_smokes": None, "missing_from_home": "regular"}
    assert set(m.reask) == {IMPACT, "child_substance_use", "child_smokes"}
    assert len(m.changes) == 3
    catalogue().vocabulary.normalise(m.facts)  # the migrated facts are valid now
    assert migrate({"child_substance_use": "experimenting"}, "2.0.0").facts == {"child_substance_use": "experimenting"}


@pytest.mark.parametrize("version, says", [("3.0.0", "newer than this service"), ("x", "not a semantic version")])
def test_bad_versions_are_errors(version: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        migrate({}, version)


def test_replay_reads_a_1x_record_through_the_migration() -> None:
    from service.store.replay import current_facts

    bucks = ruleset("buckinghamshire@continuum-of-need-web")
    assert current_facts(bucks, {IMPACT: "present"}) == {IMPACT: "impact_not_established"}
    now = {IMPACT: "present_no_impact"}
    assert current_facts(bucks, now) is now
