"""Witness referrals and the semantic diff on constructed pairs with known differences."""

from __future__ import annotations

from engine.compare.comparison import compare
from engine.compare.witness import minimal_witnesses, solve, witness_bank
from engine.evaluate.bulk import BulkEvaluator
from engine.load.catalogue import Catalogue
from engine.model.condition import AllOf, AnyOf, FactTest, NotOf
from engine.model.outcome import Outcome


def test_witness_is_the_edge_of_the_qualifier(authorities: Catalogue) -> None:
    vocab = authorities.vocabulary
    rank = {"none": 0, "occasional": 1, "regular": 2, "frequent": 3}
    cond = FactTest.model_validate({"fact": "missing_from_home", "at_least": "regular"})
    assert minimal_witnesses(cond, vocab) == [{"missing_from_home": rank["regular"]}]
    age = FactTest.model_validate({"fact": "child_age_months", "below": 6})
    assert minimal_witnesses(age, vocab) == [{"child_age_months": 5}]
    negated = NotOf.model_validate({"not": {"fact": "independently_mobile", "is": True}})
    assert minimal_witnesses(negated, vocab) == [{"independently_mobile": False}]


def test_contradictory_condition_has_no_witness(authorities: Catalogue) -> None:
    vocab = authorities.vocabulary
    cond = AllOf.model_validate({"all": [{"fact": "young_carer", "is": True}, {"fact": "young_carer", "is": False}]})
    assert solve(cond, vocab) == []
    either = AnyOf.model_validate({"any": [{"fact": "young_carer", "is": True}, {"fact": "poor_supervision",
                                                                              "is": True}]})
    assert minimal_witnesses(either, vocab) == [{"young_carer": True}, {"poor_supervision": True}]


def test_every_witness_reaches_its_rule_and_every_indicator_is_covered(authorities: Catalogue) -> None:
    rulesets = authorities.all()
    bulk = BulkEvaluator(rulesets)
    bank = witness_bank(rulesets, bulk)
    assert bank.covered_all and bank.covered == bank.indicators == sum(len(r.model.indicators) for r in rulesets)
    assert bank.combinations == 5 and bank.combinations_unreached == []
    by_key = {r.key: r for r in rulesets}
    for w in bank.witnesses:
        if w.kind in ("indicator", "override"):
            lr = by_key[w.ruleset]
            idx = [r.id for r in lr.rules].index(w.rule)
            assert bulk.truth(lr, w.norm)[idx] is True, w
    assert len({tuple(sorted(w.norm.items())) for w in bank.witnesses}) == len(bank.witnesses)


def test_identical_rulesets_have_no_semantic_difference(authorities: Catalogue) -> None:
    base = authorities.select("base")
    for other in (base, authorities.select("same")):
        c = compare(base, other)
        assert c.identical
        assert c.semantic.differing == 0 and c.semantic.groups == [] and c.semantic.reason_changes == []
        assert c.semantic.witnesses_tried > 10 and c.semantic.covered_all


def test_threshold_change_found_with_its_witness_and_both_explanations(authorities: Catalogue) -> None:
    c = compare(authorities.select("base"), authorities.select("threshold"))
    s = c.semantic
    assert s.covered_all and "every one of the 4 indicators" in s.coverage
    group = next(g for g in s.groups if g.concern == "missing_from_home")
    assert [r.witness.facts for r in group.results] == [{"missing_from_home": "regular"}]
    r = group.results[0]
    assert (r.a.outcome, r.b.outcome, r.difference) == (Outcome.early_help_single_agency, Outcome.child_protection, 3)
    assert [x.id for x in r.a.reasons] == ["missing-occasional"]
    assert [x.id for x in r.b.reasons][0] == "missing-frequent"
    assert s.groups[0].largest == 3  # sorted by size of difference
    assert not any(g.concern in ("young_carer", "supervision") for g in s.groups)


def test_added_indicator_and_moved_level_found(authorities: Catalogue) -> None:
    added = compare(authorities.select("base"), authorities.select("added")).semantic
    injury = next(g for g in added.groups if g.concern == "injury")
    assert injury.results[0].witness.facts == {"bruise_or_injury": True}
    assert (injury.results[0].a.outcome, injury.results[0].b.outcome) == (Outcome.universal,
                                                                          Outcome.early_help_multi_agency)
    moved = compare(authorities.select("base"), authorities.select("moved")).semantic
    carer = next(g for g in moved.groups if g.concern == "young_carer")
    assert [(r.witness.facts, r.difference) for r in carer.results] == [({"young_carer": True}, 1)]
    assert {g.concern for g in moved.groups} == {"young_carer", "combination of needs"}


def test_versions_report_same_outcome_with_changed_reasons(versions: Catalogue) -> None:
    c = compare(versions.select("demo", version="1"), versions.select("demo", version="2"))
    s = c.semantic
    assert s.versions and s.differing == 0
    assert s.reason_changes, "the citation change must show on the referrals it explains"
    for r in s.reason_changes:
        assert r.changed == ["citation of indicator young-carer changed"]
        assert r.witness.facts.get("young_carer") is True
        assert r.a.outcome == r.b.outcome
    assert not c.identical
