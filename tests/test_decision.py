"""Decision rules on the constructed fixture (tests/fixtures/mini), through the live evaluator.

The fixture has four levels (L1 universal, L2 single-agency early help, L3 multi-agency early
help, L4 child protection), three L2 indicators in three domains, one L4 indicator, the
combination "three or more L2-or-above indicators across two domains give L3", and two
national overrides: immediate danger (immediate protection, beyond the local scale) and a
bruise on a non-mobile child (child protection).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from engine.evaluate.evaluator import Evaluator
from engine.evaluate.suggestion import Suggestion
from engine.load.catalogue import Catalogue
from engine.model.outcome import Outcome
from tests import bundled

NON_MOBILE_BRUISE = {"bruise_or_injury": True, "independently_mobile": False}
THREE_NEEDS = {"missing_from_home": "occasional", "young_carer": True, "poor_supervision": True}
ALL_CLEAR = {"immediate_danger": False, "bruise_or_injury": False, "independently_mobile": True,
             "missing_from_home": "none", "young_carer": False, "poor_supervision": False, "child_age_months": 100}


@pytest.fixture(scope="module")
def ev() -> Evaluator:
    return Evaluator(Catalogue.load(bundled.MINI))


def run(ev: Evaluator, facts: dict[str, Any]) -> Suggestion:
    s = ev.evaluate(ev.catalogue.select("demo"), facts)
    assert s.kind == "suggestion" and s.level is not None and s.outcome is not None, s.reason
    return s


def actions(s: Suggestion) -> dict[str, list[str]]:
    return {a.rule: a.actions for a in s.required_actions}


def test_nothing_reported_against_everything_clear(ev: Evaluator) -> None:
    s = run(ev, ALL_CLEAR)
    assert (s.outcome, s.level and s.level.id) == (Outcome.universal, "L1")
    assert s.required_actions == [] and s.matched_indicators == [] and s.open_questions == []
    assert s.completeness and s.completeness.complete


def test_an_override_sets_a_floor_with_its_actions_even_with_no_indicator(ev: Evaluator) -> None:
    s = run(ev, {**ALL_CLEAR, **NON_MOBILE_BRUISE})
    assert s.outcome == Outcome.child_protection and s.level and s.level.id == "L4"
    assert s.matched_indicators == []
    assert actions(s)["non-mobile-injury"] == ["Refer to children's social care now.",
                                               "Get an urgent paediatric opinion."]
    ov = next(a for a in s.required_actions if a.rule == "non-mobile-injury")
    assert ov.origin == "national" and ov.minimum == Outcome.child_protection and ov.cite


@pytest.mark.parametrize("lower", [{}, {"young_carer": True}, THREE_NEEDS,
                                   {"missing_from_home": "none", "young_carer": False}])
def test_an_override_floor_cannot_be_lowered_by_other_facts(ev: Evaluator, lower: dict[str, Any]) -> None:
    s = run(ev, {**NON_MOBILE_BRUISE, **lower})
    assert s.outcome == Outcome.child_protection and s.level and s.level.id == "L4"
    assert "non-mobile-injury" in actions(s)


def test_a_floor_inside_the_scale_places_the_local_level_at_the_first_level_reaching_it(ev: Evaluator) -> None:
    s = run(ev, {**NON_MOBILE_BRUISE, "young_carer": True})
    assert s.level and s.level.id == "L4" and s.level.outcome == Outcome.child_protection
    assert s.level_note is None
    assert [m.id for m in s.matched_indicators] == ["young-carer"]  # matched, but below the floor


def test_a_floor_beyond_the_local_scale_keeps_the_top_level_and_says_so(ev: Evaluator) -> None:
    s = run(ev, {"immediate_danger": True})
    assert s.outcome == Outcome.immediate_protection
    assert s.outcome_label == Outcome.immediate_protection.label
    assert s.level and s.level.id == "L4" and s.level.outcome == Outcome.child_protection
    assert s.level_note and "beyond the top of this authority's scale" in s.level_note
    assert actions(s)["immediate-danger"] == ["Call the police on 999."]
    # Overrides come first: highest minimum first, then the outcome actions it implies.
    assert [a.rule for a in s.required_actions] == ["immediate-danger", "outcome-child_protection"]


def test_the_highest_matched_indicator_gives_the_level(ev: Evaluator) -> None:
    s = run(ev, {"missing_from_home": "frequent"})
    assert s.level and s.level.id == "L4" and s.outcome == Outcome.child_protection
    assert [m.id for m in s.matched_indicators] == ["missing-frequent", "missing-occasional"]
    top = s.matched_indicators[0]
    assert top.facts[0].fact == "missing_from_home" and top.facts[0].value == "frequent"
    assert top.cite.url == "https://example.org/demo#l4"


def test_three_additional_needs_across_domains_give_the_next_level(ev: Evaluator) -> None:
    s = run(ev, THREE_NEEDS)
    assert s.level and s.level.id == "L3" and s.outcome == Outcome.early_help_multi_agency
    assert len(s.combinations) == 1
    combo = s.combinations[0]
    assert combo.id == "three-additional" and combo.gives.id == "L3"
    assert sorted(combo.counted) == ["missing-occasional", "poor-supervision", "young-carer"]


def test_two_needs_are_not_enough(ev: Evaluator) -> None:
    s = run(ev, {"young_carer": True, "poor_supervision": True})
    assert s.level and s.level.id == "L2" and s.combinations == []


def test_indicators_above_of_level_are_counted(ev: Evaluator) -> None:
    """missing-frequent (L4) counts toward an 'L2 or above' combination with the L2 ones."""
    s = run(ev, {"missing_from_home": "frequent", "young_carer": True})
    assert sorted(s.combinations[0].counted) == ["missing-frequent", "missing-occasional", "young-carer"]
    assert s.level and s.level.id == "L4"  # the combination gives L3; the L4 indicator stays higher


@pytest.fixture
def three_domains(tmp_path: Path) -> Evaluator:
    """The fixture with the combination needing three domains instead of two."""
    root = tmp_path / "mini"
    shutil.copytree(bundled.MINI, root)
    path = root / "england" / "demo" / "1.yaml"
    text = path.read_text()
    assert text.count("across_domains: 2") == 1
    path.write_text(text.replace("across_domains: 2", "across_domains: 3"))
    return Evaluator(Catalogue.load(root))


def test_combinations_count_domains(three_domains: Evaluator) -> None:
    two_domains = {"missing_from_home": "frequent", "young_carer": True}  # 3 indicators, 2 domains
    s = three_domains.evaluate(three_domains.catalogue.select("demo"), two_domains)
    assert s.combinations == [] and len(s.matched_indicators) == 3  # fires with across_domains: 2 (above)
    s = three_domains.evaluate(three_domains.catalogue.select("demo"), THREE_NEEDS)  # 3 domains
    assert [c.id for c in s.combinations] == ["three-additional"] and s.level and s.level.id == "L3"


def test_open_questions_put_safety_first_then_how_high_an_answer_could_go(ev: Evaluator) -> None:
    s = run(ev, {})
    qs = [(q.fact, q.safety, q.could_raise_outcome) for q in s.open_questions]
    assert qs == [
        ("immediate_danger", True, Outcome.immediate_protection),
        ("independently_mobile", True, Outcome.child_protection),  # vocabulary order within a rank
        ("bruise_or_injury", True, Outcome.child_protection),
        ("missing_from_home", False, Outcome.child_protection),
        ("young_carer", False, Outcome.early_help_multi_agency),
        ("poor_supervision", False, Outcome.early_help_multi_agency),
    ]
    first = s.open_questions[0]
    assert first.question == "Is the child in immediate danger now?" and first.answers == ["no", "yes"]
    missing = s.open_questions[3]
    assert missing.via == ["missing-occasional", "missing-frequent", "three-additional"]
    assert missing.answers == ["not at all", "occasionally", "regularly", "frequently"]
    assert "child_age_months" not in {q.fact for q in s.open_questions}  # no rule could use it


def test_questions_that_cannot_raise_the_level_are_not_asked(ev: Evaluator) -> None:
    s = run(ev, {"missing_from_home": "frequent", "immediate_danger": False, "bruise_or_injury": False})
    assert s.open_questions == []  # young carer, supervision: L2/L3 cannot exceed L4
    assert s.completeness and s.completeness.complete
    assert s.completeness.facts_unknown_that_matter == 0


def test_completeness_reports_the_highest_outcome_still_possible(ev: Evaluator) -> None:
    s = run(ev, {"young_carer": True})
    c = s.completeness
    assert c and not c.complete and c.facts_reported == 1
    assert c.highest_reachable == Outcome.immediate_protection and c.highest_reachable_level.id == "L4"
    assert c.facts_unknown_that_matter == len(s.open_questions) == 5
    assert "Immediate protection" in c.note


def test_an_undecided_override_makes_a_result_incomplete_even_at_the_top(ev: Evaluator) -> None:
    """Nothing can raise immediate protection, but a non-mobile bruise would add actions."""
    s = run(ev, {"immediate_danger": True})
    assert s.completeness and not s.completeness.complete
    assert {q.fact for q in s.open_questions} == {"bruise_or_injury", "independently_mobile"}
    assert all(q.safety for q in s.open_questions)
    s = run(ev, {"immediate_danger": True, "bruise_or_injury": False})
    assert s.completeness and s.completeness.complete and s.open_questions == []


def test_reaching_child_protection_adds_the_strategy_discussion(ev: Evaluator) -> None:
    s = run(ev, {"missing_from_home": "frequent"})
    outcome_actions = [a for a in s.required_actions if a.origin == "outcome"]
    assert [a.rule for a in outcome_actions] == ["outcome-child_protection"]
    assert outcome_actions[0].actions == ["Children's social care convenes a strategy discussion."]
    assert run(ev, THREE_NEEDS).required_actions == []  # L3 does not reach child protection
