"""Same child, two councils: the rules that differ on each side and the smallest change that makes them agree.

Real engine (both channels for the suggestions, the fast channel for the search) on the
constructed diff fixtures, whose differences are known exactly: "moved" places young-carer at
L3 where "base" places it at L2; "threshold" triggers missing-frequent from "regularly".
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.compare import two_councils as tc
from engine.compare.two_councils import beside
from engine.evaluate.evaluator import Evaluator
from engine.load.catalogue import Catalogue
from engine.model.outcome import Outcome
from tests.diff.conftest import FIXTURES


@pytest.fixture(scope="module")
def ev(authorities: Catalogue) -> Iterator[Evaluator]:
    yield Evaluator(authorities, 1.0, True)


def test_one_rule_placed_differently_is_shown_on_each_side_with_its_citation(ev: Evaluator) -> None:
    cat = ev.catalogue
    r = beside(ev, cat.select("base"), cat.select("moved"), {"young_carer": True})
    assert (r.a.outcome, r.b.outcome, r.agree) == (Outcome.early_help_single_agency, Outcome.early_help_multi_agency,
                                                    False)
    assert [(x.id, x.outcome, x.decisive) for x in r.only_a] == [("young-carer", Outcome.early_help_single_agency,
                                                                   True)]
    assert [(x.id, x.outcome, x.decisive) for x in r.only_b] == [("young-carer", Outcome.early_help_multi_agency,
                                                                   True)]
    for side, lr in ((r.only_a, cat.select("base")), (r.only_b, cat.select("moved"))):  # each side's own citation
        assert side[0].cite == [next(i.cite for i in lr.model.indicators if i.id == "young-carer")]
        assert side[0].cite[0].url
    # one fact is enough; the agreement nearest the two outcomes comes first (not the national floor)
    assert r.searched and r.finding.startswith("Changing 1 fact would make the two councils agree")
    first = r.smallest[0]
    assert [(c.fact, c.before, c.after) for c in first.changes] == [("young_carer", "yes", "no")]
    assert all(len(g.changes) == 1 for g in r.smallest) and r.smallest_found == len(r.smallest)
    assert Outcome.immediate_protection in {g.outcome for g in r.smallest}  # immediate danger: a national floor


def test_every_smallest_change_really_makes_them_agree(ev: Evaluator) -> None:
    cat = ev.catalogue
    a, b = cat.select("threshold"), cat.select("base")
    r = beside(ev, a, b, {"missing_from_home": "regular"})
    assert (r.a.outcome, r.b.outcome) == (Outcome.child_protection, Outcome.early_help_single_agency)
    assert [x.id for x in r.only_a] == ["missing-frequent"] and r.only_b == []  # missing-occasional matches on both
    vocab = a.vocabulary
    for g in r.smallest:
        facts: dict[str, object] = {"missing_from_home": "regular"}
        for c in g.changes:  # back from words to values, then evaluate live on both channels
            fact = vocab.fact(c.fact)
            values = getattr(fact, "values", None)
            facts[c.fact] = ({v.label: v.id for v in values}[c.after] if values else c.after == "yes")
        assert ev.evaluate(a, facts).outcome == ev.evaluate(b, facts).outcome == g.outcome


def test_agreeing_councils_are_not_searched_and_a_bounded_search_says_when_it_stops(
        ev: Evaluator, monkeypatch: pytest.MonkeyPatch) -> None:
    cat = ev.catalogue
    same = beside(ev, cat.select("base"), cat.select("same"), {"young_carer": True})
    assert same.agree and not same.searched and same.smallest == [] and "already" in same.finding
    monkeypatch.setattr(tc, "MAX_TRIES", 0)
    stopped = beside(ev, cat.select("base"), cat.select("moved"), {"young_carer": True, "poor_supervision": True})
    assert stopped.searched and stopped.smallest == [] and "stopped after 0 tries at 1 fact" in stopped.finding
    monkeypatch.setattr(tc, "MAX_TRIES", 3)
    partial = beside(ev, cat.select("base"), cat.select("moved"), {"young_carer": True, "poor_supervision": True})
    assert partial.smallest and "there may be more" in partial.finding
    with pytest.raises(ValueError, match="max_changes"):
        beside(ev, cat.select("base"), cat.select("moved"), {}, max_changes=4)


def test_cli_evaluate_beside(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from service.cli import main

    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"facts": {"young_carer": True}}))
    root = str(FIXTURES / "authorities")
    assert main(["--rulesets", root, "evaluate", "--ruleset", "base", "--beside", "moved", str(facts)]) == 0
    out = capsys.readouterr().out
    assert out.index("Base Council (base@1): ") < out.index("Moved Council (moved@1): ") < out.index("differ")
    assert "Rules matched under Base Council only:\n  - " in out and "Source: " in out
    assert "If Young carer were 'no' (now 'yes'): both would suggest" in out
    assert out.rstrip().endswith("record what the referral says.")
    assert main(["--rulesets", root, "evaluate", "--ruleset", "base", "--beside", "moved", "--json", str(facts)]) == 0
    assert json.loads(capsys.readouterr().out)["only_b"][0]["id"] == "young-carer"
    assert main(["--rulesets", root, "evaluate", "--ruleset", "base", "--beside", "base", str(facts)]) == 1
    assert "same council" in capsys.readouterr().err
    assert main(["--rulesets", root, "evaluate", "--ruleset", "base", "--beside", "moved", "--max-changes", "5",
                 str(facts)]) == 1
    assert "--max-changes must be from 1 to 3" in capsys.readouterr().err
    facts.write_text(json.dumps({"facts": {"young_carer": "often"}}))
    assert main(["--rulesets", root, "evaluate", "--ruleset", "base", "--beside", "moved", str(facts)]) != 0
    assert f"{facts}#/facts/young_carer" in capsys.readouterr().err
