"""The ruleset linter: each warning on a constructed ruleset that has exactly that mistake.

tests/fixtures/lint/ is a ruleset root (the mini vocabulary plus one concern, and the mini
national module) with one authority per case: ``clean`` has no warnings, and every other
authority is ``clean`` with one deliberate mistake. Each case must produce exactly its
warnings (no more, no fewer), at the line of the mistake. The last test holds every bundled
ruleset to the same standard: zero warnings that are neither fixed nor accepted.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from engine.lint.fact_space import FactSpace, implies, monotonicity_breaks, satisfiable, truth
from engine.lint.linter import CODES, LintWarning, by_kind, lint
from engine.load.catalogue import Catalogue, LoadedRuleset
from engine.model.condition import AllOf, AnyOf, Condition, NotOf
from service.cli import main
from tests import bundled

ROOT = Path(__file__).parent / "fixtures" / "lint"


@cache
def fixtures() -> Catalogue:
    return Catalogue.load(ROOT)


def case(name: str) -> LoadedRuleset:
    return fixtures().select(name)


def blocking(name: str) -> list[LintWarning]:
    return [w for w in lint(case(name)) if w.blocking]


def when_line(name: str, indicator: str) -> int:
    """The line of ``when:`` under ``- id: <indicator>`` in a fixture (where the mistake is)."""
    lines = (ROOT / "england" / name / "1.yaml").read_text().splitlines()
    start = lines.index(f"  - id: {indicator}")
    return next(n for n, text in enumerate(lines[start:], start + 1) if text.strip().startswith("when:"))


EXPECTED: dict[str, set[tuple[str, str]]] = {
    "clean": set(),
    "partial": set(),
    "never-fires": {("never-fires", "carer-contradiction"), ("never-fires", "age-out-of-range"),
                    ("never-fires", "three-additional")},
    "same-condition": {("same-condition", "young-carer")},
    "subsumed": {("subsumed", "missing-regular")},
    "no-rule": {("no-rule-for-concern", "private_fostering")},
    "empty-level": {("empty-level", "L3")},
    "no-url": {("citation-without-url", "young-carer")},
    "non-monotone": {("non-monotone", "missing-not-carer"), ("non-monotone", "missing-at-most")},
    "accepted": {("stale-acceptance", "empty-level:L3")},
    "uncovered-outcome": set(),  # info only: see test_lint_says_which_outcomes_no_level_covers
    "never-decisive": {("never-decisive", "three-additional")},
    "replaced-open-ended": {("replaced-open-ended", "replaced_by")},
}
INFO_ONLY = {"uncovered-outcome"}


def test_every_fixture_case_is_listed() -> None:
    assert set(EXPECTED) == set(fixtures().ids())
    assert {code for pairs in EXPECTED.values() for code, _ in pairs} == set(CODES) - INFO_ONLY


def test_lint_says_which_outcomes_no_level_covers() -> None:
    """A ruleset topping out at child in need: the statutory outcomes above it have no level."""
    notes = {w.subject: w for w in lint(case("uncovered-outcome")) if w.code == "uncovered-outcome"}
    assert set(notes) == {"child_protection", "immediate_protection"}
    cp = notes["child_protection"]
    assert cp.severity == "info" and cp.line is not None and cp.file and cp.file.endswith("1.yaml")
    assert "above every level" in cp.message and "L4 (Specialist, child_in_need)" in cp.message
    assert "reasonable cause to suspect significant harm" in cp.message
    clean = {w.subject for w in lint(case("clean")) if w.code == "uncovered-outcome"}
    assert clean == {"child_in_need", "immediate_protection"}  # a gap below the top is named too


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_case_gives_exactly_its_warnings(name: str) -> None:
    assert {(w.code, w.subject) for w in blocking(name)} == EXPECTED[name]


@pytest.mark.parametrize(("name", "subject"), [
    ("never-fires", "carer-contradiction"), ("never-fires", "age-out-of-range"),
    ("same-condition", "young-carer"), ("subsumed", "missing-regular"),
    ("non-monotone", "missing-not-carer"), ("non-monotone", "missing-at-most")])
def test_condition_warnings_point_at_the_condition(name: str, subject: str) -> None:
    (w,) = [w for w in blocking(name) if w.subject == subject]
    assert w.file is not None and w.file.endswith(f"{name}/1.yaml")
    assert w.line == when_line(name, subject)
    assert w.column is not None and w.column > 1


def test_subsumed_is_the_lower_indicator_that_implies_a_higher_one() -> None:
    # clean: L2 occasional, L4 frequent (the higher level needs the worse answer): fine.
    assert not [w for w in lint(case("clean")) if w.code == "subsumed"]
    # subsumed: L2 regular, L3 occasional: whenever L2 matches, L3 matches too.
    (w,) = blocking("subsumed")
    assert "'missing-regular' (L2) can never decide the level" in w.message
    assert "'missing-occasional' (L3)" in w.message


def test_same_condition_is_not_also_reported_as_subsumed() -> None:
    (w,) = blocking("same-condition")
    assert "'young-carer-intensive'" in w.message and "higher level (L3)" in w.message


def test_no_rule_for_concern_is_a_warning_only_for_a_complete_encoding() -> None:
    partial = [w for w in lint(case("partial")) if w.code == "no-rule-for-concern" and w.subject == "private_fostering"]
    assert [w.severity for w in partial] == ["info"]
    (w,) = blocking("no-rule")
    assert "Privately fostered" in w.message and "coverage.complete" in w.message


def test_concerns_covered_only_by_national_overrides_are_info() -> None:
    notes = {w.subject: w for w in lint(case("clean")) if w.code == "no-rule-for-concern"}
    assert set(notes) == {"immediate_danger", "injury", "mobility"}  # age is context: never reported
    assert all(w.severity == "info" and "national override" in w.message for w in notes.values())
    assert "immediate-danger" in notes["immediate_danger"].message


def test_empty_lowest_universal_level_is_info_and_other_levels_warn() -> None:
    l1 = [w for w in lint(case("clean")) if w.code == "empty-level"]
    assert [(w.subject, w.severity) for w in l1] == [("L1", "info")]
    (w,) = blocking("empty-level")
    assert w.subject == "L3" and "Never invent indicators" in w.message


def test_citation_with_only_a_mirror_asks_for_the_original() -> None:
    (w,) = blocking("no-url")
    assert "https://mirror.example.net/demo" in w.message and "original" in w.message


def test_accepted_warning_keeps_its_reason_and_stale_acceptance_is_reported() -> None:
    found = lint(case("accepted"))
    (acc,) = [w for w in found if w.accepted]
    assert (acc.code, acc.subject) == ("subsumed", "missing-regular")
    assert acc.reason is not None and acc.reason.startswith("The source lists regular absence")
    assert not acc.blocking
    (stale,) = [w for w in found if w.code == "stale-acceptance"]
    lines = (ROOT / "england" / "accepted" / "1.yaml").read_text().splitlines()
    assert lines[stale.line - 1 if stale.line else 0].strip() == "- code: empty-level"


# --- the fact space behind the checks ---------------------------------------------------------

def cond(data: object) -> Condition:
    from pydantic import TypeAdapter

    return TypeAdapter(Condition).validate_python(data)  # type: ignore[no-any-return]


def test_never_decisive_combination_says_why_and_points_at_it() -> None:
    (w,) = blocking("never-decisive")
    assert "every indicator it can count (at L1 or above) is already at L2 or higher" in w.message
    lines = (ROOT / "england" / "never-decisive" / "1.yaml").read_text().splitlines()
    assert w.line == lines.index("  - id: three-additional") + 1
    assert not [x for x in lint(case("clean")) if x.code == "never-decisive"]


def test_cheshire_west_two_or_more_unmet_needs_is_found_and_accepted_with_its_reason() -> None:
    found = [w for w in lint(bundled.catalogue().select("cheshire-west-and-chester"))
             if w.code == "never-decisive"]
    assert [w.subject for w in found] == ["cheshire-west-two-or-more-unmet-needs"]
    assert found[0].accepted and found[0].reason and "Universal Plus" in found[0].reason


def test_truth_is_three_valued() -> None:
    vocab = fixtures().vocabulary
    c = cond({"all": [{"fact": "young_carer", "is": True}, {"not": {"fact": "poor_supervision", "is": True}}]})
    assert isinstance(c, AllOf) and isinstance(c.all[1], NotOf)
    assert truth(c, vocab, {"young_carer": True}) is None
    assert truth(c, vocab, {"young_carer": False}) is False
    assert truth(c, vocab, {"young_carer": True, "poor_supervision": False}) is True


def test_implication_respects_unknown_facts() -> None:
    space = FactSpace(fixtures().vocabulary, [])
    a = cond({"fact": "young_carer", "is": True})
    # b is classically implied by a, but unknown while poor_supervision is not known.
    b = cond({"any": [{"all": [{"fact": "young_carer", "is": True}, {"fact": "poor_supervision", "is": True}]},
                      {"all": [{"fact": "young_carer", "is": True}, {"fact": "poor_supervision", "is": False}]}]})
    assert isinstance(b, AnyOf)
    assert implies(a, b, space) is False
    assert implies(b, a, space) is True


def test_integer_boundaries_are_exact() -> None:
    vocab = fixtures().vocabulary
    over = cond({"fact": "child_age_months", "above": 214})
    space = FactSpace(vocab, [over])
    assert satisfiable(over, space) is True  # 215 is the last month
    assert satisfiable(cond({"fact": "child_age_months", "above": 215}), FactSpace(vocab, [over])) is False
    assert monotonicity_breaks(cond({"fact": "child_age_months", "below": 6}), space) == []  # age: no direction


def test_too_large_a_question_is_not_checked_rather_than_guessed() -> None:
    vocab = bundled.catalogue().vocabulary
    cats = [f.id for f in vocab.facts if f.type == "category"][:14]
    big = cond({"any": [{"fact": f, "at_most": vocab.fact(f).values[0].id} for f in cats]})  # type: ignore[union-attr]
    space = FactSpace(vocab, [big])
    assert space.size(cats, unknown=False) > 200_000
    assert satisfiable(big, space) is None and monotonicity_breaks(big, space) is None


# --- the command ------------------------------------------------------------------------------

def run_cli(capsys: pytest.CaptureFixture[str], *args: str, root: Path | None = None) -> tuple[int, str, str]:
    code = main([*(["--rulesets", str(root)] if root else []), "lint", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_prints_warnings_with_the_entry_that_would_accept_them(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, str(ROOT / "england" / "subsumed" / "1.yaml"))
    assert code == 0
    line = when_line("subsumed", "missing-regular")
    assert f"subsumed/1.yaml:{line}:" in out and "warning [subsumed] missing-regular" in out
    assert "add to accepted_warnings: {code: subsumed, subject: missing-regular, reason:" in out
    assert "1 file(s) linted: 0 error(s), 1 warning(s)" in out


def test_cli_strict_fails_on_unaccepted_warnings_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "--strict", str(ROOT / "england" / "subsumed" / "1.yaml"))[0] == 1
    assert run_cli(capsys, "--strict", str(ROOT / "england" / "clean" / "1.yaml"))[0] == 0
    assert run_cli(capsys, "--strict", str(ROOT / "england" / "partial"))[0] == 0


def test_cli_prints_accepted_warnings_with_their_reason(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "accepted", root=ROOT)
    assert code == 0
    assert "accepted [subsumed] missing-regular: The source lists regular absence" in out
    assert "warning [stale-acceptance] empty-level:L3" in out and "remove that entry" in out


def test_cli_reports_errors_as_validate_does_and_fails(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = (ROOT / "england" / "clean" / "1.yaml").read_text().replace("fact: young_carer", "fact: yung_carer")
    bad = tmp_path / "1.yaml"
    bad.write_text(text)
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "yung_carer" in t)
    code, out, _ = run_cli(capsys, str(bad), str(ROOT / "england" / "clean" / "1.yaml"), root=ROOT)
    assert code == 1
    assert f"1.yaml:{line}:" in out and "error: unknown fact 'yung_carer'" in out and "'young_carer'" in out
    assert "2 file(s) linted: 1 error(s)" in out  # the good file was still linted


def test_cli_json_lists_every_finding(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "--json", str(ROOT / "england" / "never-fires"))
    assert code == 0
    (doc,) = json.loads(out)
    assert doc["ruleset"] == "never-fires@1" and doc["errors"] == []
    assert {f["subject"] for f in doc["findings"] if f["severity"] == "warning"} == \
        {s for _, s in EXPECTED["never-fires"]}


def test_cli_unknown_id_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "subsumd", root=ROOT)
    assert code == 1 and "unknown ruleset 'subsumd'" in err and "'subsumed'" in err


# --- the bundled rulesets ---------------------------------------------------------------------

@pytest.mark.parametrize("key", bundled.keys())
def test_bundled_ruleset_lints_clean(key: str) -> None:
    rid, version = key.split("@", 1)
    found = [w for w in lint(bundled.catalogue().select(rid, version=version)) if w.blocking]
    assert not found, "unaccepted lint warnings (fix them, or accept each with a reason):\n" + "\n".join(
        f"{w}\n    accepted_warnings entry: {w.acceptance()}" for w in found)


def test_authoring_guide_worked_example_validates_and_lints_clean(tmp_path: Path) -> None:
    """docs/authoring.md shows a complete ruleset; it must stay valid against the bundled vocabulary."""
    guide = (Path(__file__).parent.parent / "docs" / "authoring.md").read_text()
    start = guide.index("```yaml\n# worked example\n") + len("```yaml\n")
    example = tmp_path / "council.yaml"
    example.write_text(guide[start:guide.index("```", start)])
    from engine.load.catalogue import NATIONAL_FILE, VOCABULARY_FILE, bundled_root
    from engine.load.loader import load_national, load_ruleset_model, load_vocabulary

    vocab = load_vocabulary(bundled_root() / VOCABULARY_FILE)
    national = load_national(bundled_root() / NATIONAL_FILE, vocab)
    model = load_ruleset_model(example, vocab, national)
    found = lint(LoadedRuleset(model, national, vocab, str(example)))
    assert [w for w in found if w.blocking] == []
    assert {w.code for w in found} == {"no-rule-for-concern", "empty-level", "uncovered-outcome"}  # info notes only


def test_a_replaced_document_with_no_end_date_is_flagged_at_replaced_by() -> None:
    (w,) = blocking("replaced-open-ended")
    lines = (ROOT / "england" / "replaced-open-ended" / "1.yaml").read_text().splitlines()
    assert w.line == lines.index("      status: replaced") + 1
    assert "'Demo Thresholds 2025'" in w.message and "in force today" in w.message
    # only 'replaced': a document that may have been replaced (Stoke-on-Trent) is not asked for an end date
    stoke = bundled.catalogue().select("stoke-on-trent")
    assert stoke.model.ruleset.document.replaced_by is not None
    assert not [x for x in lint(stoke) if x.code == "replaced-open-ended"]
    bristol = [x for x in lint(bundled.catalogue().select("bristol")) if x.code == "replaced-open-ended"]
    assert [(x.accepted, x.subject) for x in bristol] == [(True, "replaced_by")]


def test_findings_by_kind_keep_every_finding_and_put_blocking_kinds_first() -> None:
    """The draft page lists findings by kind: none lost, none repeated, each kind with its meaning, kinds
    with warnings nobody accepted before kinds with none, then the most numerous."""
    every = [w for name in EXPECTED for w in lint(case(name))] + lint(bundled.catalogue().select("kent"))
    groups = by_kind(every)
    assert sorted(id(w) for g in groups for w in g.findings) == sorted(id(w) for w in every)
    assert len({g.code for g in groups}) == len(groups)
    assert all(g.meaning == CODES[g.code] and {w.code for w in g.findings} == {g.code} for g in groups)
    order = [(g.blocking == 0, -len(g.findings)) for g in groups]
    assert order == sorted(order)
    assert any(g.blocking for g in groups) and any(not g.blocking for g in groups)
