"""Comparison on the bundled rulesets (real encodings of published threshold documents)."""

from __future__ import annotations

import pytest

from engine.compare.comparison import compare
from engine.compare.structural import concerns_of
from engine.evaluate.bulk import BulkEvaluator
from engine.load.catalogue import Catalogue, LoadedRuleset


@pytest.fixture(scope="module")
def bundled() -> Catalogue:
    return Catalogue.load()


def test_every_bundled_ruleset_diffed_with_itself_reports_nothing(bundled: Catalogue) -> None:
    current = bundled.current()
    bulk = BulkEvaluator(current)
    for lr in current:
        c = compare(lr, lr, bulk)
        assert c.identical, lr.key
        assert c.semantic.covered_all, c.semantic.uncovered
        assert c.semantic.witnesses_tried >= len(lr.model.indicators)


def test_two_authorities_place_concerns_differently_with_witnesses(bundled: Catalogue) -> None:
    current = bundled.current()
    assert len(current) >= 2, "the bundled rulesets must hold at least two authorities"

    def concerns(lr: LoadedRuleset) -> set[str]:
        return {c for i in lr.model.indicators for c in concerns_of(i.when, lr.vocabulary)}

    # the two authorities that encode the most concerns in common
    a, b = max(((x, y) for k, x in enumerate(current) for y in current[k + 1:]),
               key=lambda p: (len(concerns(p[0]) & concerns(p[1])), p[0].id, p[1].id))
    assert concerns(a) & concerns(b)
    c = compare(a, b)
    s = c.semantic
    assert s.covered_all and str(len(a.model.indicators)) in s.coverage
    placed = [g for g in s.groups if g.encoded_a and g.encoded_b]
    assert placed, "two real documents always place some shared concern differently"
    for g in s.groups:
        for r in g.results:
            assert r.witness.facts and r.a.outcome != r.b.outcome
            assert r.difference == r.b.outcome.rank - r.a.outcome.rank
            assert r.a.reasons or r.b.reasons  # at least one side explains its higher answer
            higher = r.b if r.difference > 0 else r.a
            assert higher.reasons, "the higher outcome always has a reason"
    assert [g.largest for g in placed] == sorted((g.largest for g in placed), reverse=True)


def test_a_diff_says_first_when_either_side_has_no_indicators(bundled: Catalogue) -> None:
    from engine.compare.comparison import compare
    from engine.render.diff_report import render

    old = bundled.get("surrey", version="levels-of-need-2016")
    new = bundled.get("surrey", version="continuum-of-support")
    assert not old.model.indicators and not new.model.indicators
    c = compare(old, new)
    assert c.encoding_note is not None and c.encoding_note.startswith("Neither version encodes an indicator")
    text = render(c, "md")
    assert text.index("Neither version encodes an indicator") < text.index("Referrals that get a different outcome")
    assert "boundary cases made from the two rulesets" in text and "not a sample of real referrals" in text
    one = compare(bundled.get("kent"), new)
    assert one.encoding_note is not None and one.encoding_note.startswith("Surrey County Council encodes no indicator")
    assert compare(bundled.get("kent"), bundled.get("hampshire")).encoding_note is None
