"""A suggestion as terminal text: safety actions first, then the level, why, and what to ask.

Suggestions come from the real evaluator (both channels) over the mini fixture, so the text is
checked against what the engine actually decided.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from engine.evaluate.decision import DecisionTable, no_suggestion
from engine.evaluate.evaluator import Evaluator
from engine.evaluate.suggestion import NO_SUGGESTION, STATEMENT, Suggestion
from engine.load.catalogue import Catalogue, LoadedRuleset
from engine.render.explanation import to_text

MINI = Path(__file__).parent / "fixtures" / "mini"


@cache
def evaluator() -> Evaluator:
    return Evaluator(Catalogue.load(MINI))


def demo() -> LoadedRuleset:
    return evaluator().catalogue.select("demo")


def explain(facts: dict[str, object]) -> tuple[Suggestion, str]:
    s = evaluator().evaluate(demo(), facts)
    return s, to_text(s)


def test_safety_actions_come_before_the_level() -> None:
    s, text = explain({"bruise_or_injury": True, "independently_mobile": False, "child_age_months": 4})
    assert s.kind == "suggestion" and s.headline is not None
    # incomplete and could still rise (immediate danger unknown): the range leads, then the actions
    assert text.index("RANGE: Not complete: so far at least L4 Specialist") < text.index("REQUIRED NOW")
    assert text.index("REQUIRED NOW (safety overrides):") < text.index("Level so far (not final): L4 Specialist")
    assert "SUGGESTED LEVEL" not in text
    assert "What decided it: " in text
    assert "(national rule non-mobile-injury)" in text
    assert "- Get an urgent paediatric opinion." in text
    assert "source: R2 <https://example.org/r2>" in text  # the one citation format (Citation.text)
    assert "Canonical outcome: Child protection enquiry (s47) and strategy discussion" in text


def test_matched_indicators_say_why_with_sources_and_combinations() -> None:
    _, text = explain({"missing_from_home": "occasional", "young_carer": True, "poor_supervision": True})
    assert "Level so far (not final): L3 Intensive" in text  # incomplete: the range leads
    assert "  - [L2] Young carer (young-carer)\n    because Young carer: yes\n" in text
    assert "because Missing from home: occasionally" in text
    assert "source: Demo Thresholds, L2 <https://example.org/demo#l2>" in text
    assert "combination: Three additional needs across two domains indicate intensive support -> L3" in text
    assert "REQUIRED NOW" not in text


def test_no_match_and_open_questions() -> None:
    s, text = explain({"child_age_months": 100})
    assert "No indicator of Demo Council's document matched the reported facts." in text
    assert "Completeness: INCOMPLETE" in text
    assert text.count("\n  ? ") == len(s.open_questions) > 0
    assert "? [safety] Is the child in immediate danger now?" in text


def test_questions_are_capped_with_a_count_of_the_rest() -> None:
    s, _ = explain({"child_age_months": 100})
    text = to_text(s, max_questions=1)
    assert text.count("\n  ? ") == 1
    assert f"  ... and {len(s.open_questions) - 1} more" in text


def test_complete_when_nothing_unknown_matters() -> None:
    facts = {"missing_from_home": "frequent", "immediate_danger": False, "bruise_or_injury": False,
             "independently_mobile": True, "young_carer": False, "poor_supervision": False, "child_age_months": 100}
    s, text = explain(facts)
    assert s.completeness is not None and s.completeness.complete
    assert "Completeness: complete" in text and "Questions to ask" not in text


def test_always_a_suggestion_statement_and_the_identity_to_replay_it() -> None:
    s, text = explain({})
    assert STATEMENT in " ".join(text.split())
    assert f"Ruleset sha256 {s.ruleset.sha256}; engine {s.engine_version}; channels python, durable_rules" in text
    assert text.startswith("Demo Council: Demo Thresholds (ruleset demo 1)\n")
    assert "Partial encoding" not in text  # the mini fixture says it is complete


def test_no_suggestion_gives_the_reason_and_no_level() -> None:
    s = no_suggestion(DecisionTable(demo()), "the two evaluation channels disagreed on: young-carer")
    text = to_text(s)
    assert "NO SUGGESTION" in text and "disagreed on: young-carer" in text
    assert "SUGGESTED LEVEL" not in text
    assert NO_SUGGESTION in " ".join(text.split())


def test_a_partial_encoding_says_so(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(MINI, tmp_path / "r")
    f = tmp_path / "r" / "england" / "demo" / "1.yaml"
    f.write_text(f.read_text().replace("{complete: true,", "{complete: false,")
                 .replace("notes: Test fixture.}", "notes: Level 4 list truncated.}"))
    loaded = Catalogue.load(tmp_path / "r").select("demo")
    text = to_text(no_suggestion(DecisionTable(loaded), "x"))
    assert "Partial encoding of the source document: Level 4 list truncated." in text
