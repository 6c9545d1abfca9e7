"""Each difference in a diff is classified, counted by class, and reported in plain words with links."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from engine.compare.classes import _silent_basis, class_counts
from engine.compare.comparison import RulesetComparison, compare
from engine.load.catalogue import Catalogue
from engine.model.wording import referral_words
from engine.render.diff_report import render
from service.cli import main
from tests.diff.conftest import FIXTURES


@pytest.fixture(scope="module")
def kent_hampshire() -> RulesetComparison:
    cat = Catalogue.load()
    return compare(cat.select("kent"), cat.select("hampshire"))


def test_every_concern_is_classified_and_counted_once(kent_hampshire: RulesetComparison) -> None:
    c = kent_hampshire
    assert [k.concern for k in c.classified] == [g.concern for g in c.semantic.groups]
    for g, k in zip(c.semantic.groups, c.classified, strict=True):
        both = g.encoded_a and g.encoded_b
        assert (k.difference_class in ("placed_differently", "cut_point")) == both, g.concern
        assert (k.silent is None) == both
    assert sum(k.concerns for k in c.class_counts) == len(c.semantic.groups)
    assert sum(k.referrals for k in c.class_counts) == c.semantic.differing
    silent = [k for k in c.classified if k.silent]
    assert silent and all(k.difference_class == "not_encoded" for k in silent)  # both encodings are partial
    assert any("source account lists" in k.basis for k in silent)
    assert c.class_counts == class_counts(c.classified)


def test_a_complete_encoding_whose_account_covers_the_domain_is_not_in_its_document() -> None:
    cat = Catalogue.load()
    lr = cat.select("hampshire")
    ruleset = lr.model.ruleset
    complete = dataclasses.replace(lr, model=lr.model.model_copy(update={"ruleset": ruleset.model_copy(
        update={"coverage": ruleset.coverage.model_copy(update={"complete": True})})}))
    assert _silent_basis(lr, "Hampshire", "suicide_risk")[0] == "not_encoded"  # partial: the unread part may
    kind, basis = _silent_basis(complete, "Hampshire", "suicide_risk")
    assert kind == "not_in_document" and "does not address it" in basis


def test_a_qualifier_threshold_difference_is_a_vocabulary_cut_point(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--rulesets", str(FIXTURES / "authorities"), "diff", "base", "threshold@1", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    kinds = {k["concern"]: k["difference_class"] for k in doc["classified"]}
    assert kinds["missing_from_home"] == "cut_point"
    counts = {k["difference_class"]: k["concerns"] for k in doc["class_counts"]}
    assert counts["cut_point"] == 1 and set(counts) == {"placed_differently", "cut_point", "not_encoded",
                                                        "not_in_document"}


def test_plain_words_for_an_example_referral() -> None:
    vocab = Catalogue.load().vocabulary
    assert referral_words(vocab, {"missing_from_home": "started"}) == "going missing: has started to go missing"


def test_reports_link_every_summary_row_to_its_section_and_fold_examples(kent_hampshire: RulesetComparison) -> None:
    page = render(kent_hampshire, "html")
    links = re.findall(r'<th scope="row"><a href="#(concern-[a-z0-9-]+)">', page)
    assert len(links) == len(kent_hampshire.semantic.groups)
    for anchor in links:
        assert f'id="{anchor}"' in page
    assert '<nav aria-label="Contents">' in page and 'href="#different-outcomes"' in page
    assert page.count("<details>") >= len(kent_hampshire.semantic.groups)
    assert "an example referral: " in page and "not a sample of real referrals" in page
    assert not re.search(r"\bw\d+\b", page) and "made for" not in page
    md = render(kent_hampshire, "md")
    assert "[disability](#concern-disability)" in md and '<a id="concern-disability"></a>' in md


def test_the_surrey_version_diff_says_first_that_neither_version_has_indicators() -> None:
    cat = Catalogue.load()
    c = compare(cat.select("surrey", "levels-of-need-2016"), cat.select("surrey", "continuum-of-support"))
    text = render(c, "text")
    first = text.split("\n\n")[1]
    assert first.startswith("Neither version encodes an indicator")


def test_variation_report_links_disputed_concerns_and_words_the_example() -> None:
    from engine.compare.scenarios import from_witnesses
    from engine.compare.variation import variation_matrix
    from engine.compare.witness import witness_bank
    from engine.render.variation_report import render as render_matrix

    cat = Catalogue.load(FIXTURES / "authorities")
    rulesets = cat.all()
    m = variation_matrix(rulesets, from_witnesses(witness_bank(rulesets)))
    page = render_matrix(m, "html", pictures=False)
    links = re.findall(r'<th scope="row"><a href="#(concern-[a-z0-9-]+)">', page)
    assert links and all(f'id="{a}"' in page for a in links)
    assert '<nav aria-label="Contents">' in page and "<details><summary>An example referral: " in page
    assert "not a sample of real referrals" in page and not re.search(r"\bw\d+\b", page)
