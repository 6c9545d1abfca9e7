"""Issue 11: statutory floors, no orphan facts, no headline without evidence, questions that fit.

Every property runs over EVERY bundled ruleset (``tests/bundled.py``) on the real evaluator,
so an authority added later is held to the same statutory floors with no new test code:

* the s47 test answered yes suggests at least child protection with a strategy discussion,
  whatever else is reported (generated referrals);
* immediate danger is immediate protection; the immediate-contact criteria reach at least a
  social-care assessment;
* every vocabulary fact is read by a rule or declared ``context_only`` (and the linter says so);
* an all-unknown referral never headlines a level (CLI text and API JSON; the page is in
  tests/web/test_triage.py);
* a levels-only ruleset says so first; a 4-month-old with a bruise is asked nothing about
  sexual activity, pregnancy or radicalisation.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.lint.linter import orphan_facts
from engine.load.catalogue import bundled_root
from engine.model.outcome import Outcome
from engine.render.explanation import to_text
from engine.triage.questions import QuestionEngine
from service import create_app
from service.cli import main
from tests import bundled
from tests.strategies import FactSpace, referrals

KEYS = bundled.keys()
SETTINGS = settings(max_examples=8, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
STRATEGY = "strategy discussion"
NOT_FOR_BABIES = ("sexually_active", "child_pregnancy_or_parenthood", "radicalisation")


def evaluate(key: str, facts: dict[str, Any]) -> Any:
    loaded = next(r for r in bundled.catalogue().all() if r.key == key)
    return bundled.live_evaluator().evaluate(loaded, facts)


@pytest.mark.parametrize("key", KEYS)
@SETTINGS
@given(data=st.data())
def test_s47_test_answered_yes_is_child_protection_with_a_strategy_discussion(key: str, data: st.DataObject) -> None:
    loaded = next(r for r in bundled.catalogue().all() if r.key == key)
    raw = data.draw(referrals(FactSpace(loaded)), label="referral")
    s = evaluate(key, {**raw, "significant_harm_suspected": True})
    assert s.kind == "suggestion", s.reason
    assert s.outcome.rank >= Outcome.child_protection.rank, f"{key}: s47 test gave {s.outcome}"
    rules = {a.rule for a in s.required_actions}
    assert "reasonable-cause-to-suspect-significant-harm" in rules and "outcome-child_protection" in rules
    assert any(STRATEGY in act for a in s.required_actions for act in a.actions)
    if s.level.outcome.rank < s.outcome.rank:  # never a lower local label without saying so
        assert s.level_note and s.headline is not None and s.outcome_label in s.headline.text


@pytest.mark.parametrize("key", KEYS)
@SETTINGS
@given(data=st.data())
def test_immediate_danger_is_immediate_protection_and_contact_criteria_reach_social_care(
        key: str, data: st.DataObject) -> None:
    loaded = next(r for r in bundled.catalogue().all() if r.key == key)
    raw = data.draw(referrals(FactSpace(loaded)), label="referral")
    s = evaluate(key, {**raw, "immediate_danger": True})
    assert s.outcome == Outcome.immediate_protection
    assert s.headline is not None and "Immediate protection" in s.headline.text  # said, beside any local label
    for fact, value in (("abandoned_or_no_carer", True), ("frightened_to_return_home", True), ("neglect", "severe")):
        s = evaluate(key, {**raw, fact: value})
        assert s.outcome.rank >= Outcome.child_in_need.rank, f"{key}: {fact} gave {s.outcome}"


def test_the_national_module_records_every_criterion_and_its_rules() -> None:
    national = bundled.catalogue().national
    handled = {c.id: c.handling for c in national.criteria}
    assert handled["s47-reasonable-cause"] == "floor" and handled["immediate-protection"] == "floor"
    assert handled["lado"] == "actions_only" and handled["s17-child-in-need"] == "local"
    assert all(c.reason and c.cite for c in national.criteria)
    rule_ids = {o.id for o in national.overrides}
    assert all(r in rule_ids or r.startswith("outcome-") for c in national.criteria for r in c.rules)


def test_no_orphan_fact_in_the_bundle() -> None:
    cat = bundled.catalogue()
    path = str(bundled_root() / "national" / "vocabulary.yaml")
    assert orphan_facts(path, cat.vocabulary, cat.national, [r.model for r in cat.all()]) == []
    assert {f.id for f in cat.vocabulary.facts if f.context_only} == {
        "previous_contacts_12_months", "marac_case", "mappa_involvement"}


def test_an_orphan_fact_is_found_with_its_line(tmp_path: Path) -> None:
    cat = bundled.catalogue()
    path = str(bundled_root() / "national" / "vocabulary.yaml")
    # without the national module's rules, the facts only it reads become orphans
    found = orphan_facts(path, cat.vocabulary, cat.national.model_copy(update={"overrides": []}),
                         [r.model for r in cat.all()])
    hit = next(p for p in found if "'frightened_to_return_home'" in p.message)
    assert hit.line > 1 and "context_only" in hit.message


def test_lint_command_checks_orphans(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint"]) == 0
    assert "vocabulary.yaml" in capsys.readouterr().out


def test_all_unknown_kent_referral_leads_with_the_range_in_cli_text(capsys: pytest.CaptureFixture[str],
                                                                      tmp_path: Path) -> None:
    referral = tmp_path / "unknown.json"
    referral.write_text(json.dumps({"facts": {}}))
    assert main(["evaluate", "--ruleset", "kent", str(referral)]) == 0
    out = capsys.readouterr().out
    first = out.split("\n\n")[1]
    assert first.startswith("RANGE: Not complete: so far at least L1"), first
    assert "could be up to Immediate protection" in " ".join(first.split())
    assert "Ask first: Is the child in immediate danger now?" in " ".join(first.split())
    assert "SUGGESTED LEVEL" not in out
    assert "Nothing reported matched" in out


def test_all_unknown_kent_referral_leads_with_the_range_in_api_json(tmp_path: Path) -> None:
    app = create_app({"RULESETS": str(bundled_root()), "INSTANCE": str(tmp_path / "i"), "AUTH": "keys"})
    key = app.extensions["thresholds"].keys.create("mash", "triage")[1]
    r = app.test_client().post("/api/v1/evaluate", json={"ruleset": "kent", "facts": {}},
                               headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 200
    s = r.json["suggestion"]
    assert list(s)[:2] == ["kind", "headline"]  # the headline is read first
    h = s["headline"]
    assert h["kind"] == "range" and h["floor"] == "universal" and h["ceiling"] == "immediate_protection"
    assert h["decided_by"] == "nothing_known" and h["ask_first"][0] == "Is the child in immediate danger now?"
    assert h["text"].startswith("Not complete: so far at least")
    assert s["ruleset"]["local_rules"] == "encoded" and s["ruleset"]["local_indicators"] > 0


@pytest.mark.parametrize("key", [k for k in KEYS if not next(
    r for r in bundled.catalogue().all() if r.key == k).model.indicators])
def test_a_levels_only_ruleset_says_so_first(key: str) -> None:
    s = evaluate(key, {"child_age_months": 100})
    assert s.ruleset.local_rules == "none" and s.ruleset.local_indicators == 0
    assert s.headline.kind == "no_local_rules"
    assert s.headline.text.startswith(f"No local indicators are encoded for {s.ruleset.authority}: only the "
                                      "national safety rules were applied.")
    assert s.ruleset.url in s.headline.text
    text = to_text(s)
    paragraphs = text.split("\n\n")
    if s.ruleset.replaced_by is not None:  # a replaced document is said before everything, the headline next
        assert paragraphs.pop(0).startswith("WARNING: ")
    assert paragraphs[1].startswith("RESULT: No local indicators are encoded")
    assert "SUGGESTED LEVEL" not in text


def test_levels_only_rulesets_exist_to_test() -> None:
    assert sum(1 for r in bundled.catalogue().all() if not r.model.indicators) >= 1


def test_the_level_from_a_national_rule_says_so() -> None:
    s = evaluate("barnsley@toolkit-matrix", {"immediate_danger": False, "significant_harm_suspected": True})
    assert s.headline.decided_by == "national_rule"
    assert s.headline.decided_rule == "reasonable-cause-to-suspect-significant-harm"
    assert "reasonable-cause" not in s.headline.decided  # ids are for rule authors, not the first line
    assert "No indicator" not in s.headline.text


@pytest.mark.parametrize("key", KEYS)
def test_a_baby_with_a_bruise_is_not_asked_about_sexual_activity_pregnancy_or_radicalisation(key: str) -> None:
    facts = {"child_age_months": 4, "bruise_or_injury": True}
    s = evaluate(key, facts)
    asked = {q.fact for q in s.open_questions}
    assert not asked & set(NOT_FOR_BABIES), f"{key}: asked {asked & set(NOT_FOR_BABIES)}"
    assert s.outcome.rank >= Outcome.child_protection.rank
    for q in s.open_questions:  # at child protection already: only immediate danger can still raise it
        assert q.can_raise == (q.could_raise_outcome.rank > s.outcome.rank or q.could_raise_to.id != s.level.id)
        if not q.can_raise:
            assert q.effect == "could add required actions (the level cannot rise)"
    loaded = next(r for r in bundled.catalogue().all() if r.key == key)
    qe = QuestionEngine(bundled.fast_evaluator().compiled(loaded))
    norm = loaded.vocabulary.normalise(facts)
    assert not set(qe.order_of_questions(norm)) & set(NOT_FOR_BABIES)


def test_a_10_year_old_is_still_asked_about_sexual_activity() -> None:
    s = evaluate("kent@i-statements", {"child_age_months": 120})
    assert "sexually_active" in {q.fact for q in s.open_questions}


def test_a_reported_fact_that_cannot_apply_is_still_evaluated() -> None:
    s = evaluate("kent@i-statements", {"child_age_months": 4, "sexually_active": True})
    assert "sexual-activity-under-13" in {a.rule for a in s.required_actions}


def test_facts_the_document_does_not_use_are_listed() -> None:
    s = evaluate("buckinghamshire@continuum-of-need-web", {"marac_case": True, "child_age_months": 100})
    assert [f.fact for f in s.facts_not_used] == ["marac_case"]
    assert "document does not use: MARAC case (yes)" in " ".join(to_text(s).split())


def test_the_councils_own_citation_comes_first_in_a_safety_box() -> None:
    s = evaluate("kent@i-statements", {"bruise_or_injury": True, "independently_mobile": False})
    box = next(a for a in s.required_actions if a.rule == "non-mobile-bruise-or-injury")
    assert box.title.startswith("Bruise or injury on a child who is not independently mobile: refer now")
    assert "kscmp.org.uk" in (box.cite[0].url or "")


def test_list_shows_indicator_counts_and_levels_only_first(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    at = next(i for i, ln in enumerate(lines) if "dudley@" in ln)
    assert lines[at + 1].strip().startswith("LEVELS ONLY: no local indicators encoded")
    kent = next(i for i, ln in enumerate(lines) if "kent@i-statements" in ln)
    assert lines[kent + 1].strip().startswith("61 indicators |")
    assert main(["list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["id"] for r in rows if r["local_rules"] == "none"} >= {"dudley", "hertfordshire"}


def test_policy_page_shows_indicator_counts(tmp_path: Path) -> None:
    app = create_app({"RULESETS": str(bundled_root()), "INSTANCE": str(tmp_path / "i"), "AUTH": "off"})
    page = app.test_client().get("/policy").get_data(as_text=True)
    assert "Local indicators" in page
    assert page.count("<strong>Levels only</strong>") == sum(
        1 for rid in bundled.catalogue().ids() if not bundled.catalogue().select(rid).model.indicators)
    assert '<td class="govuk-table__cell app-indicator-count">161</td>' in page
