"""A ruleset whose document its partnership has replaced (or may have replaced) by one not encoded.

Bristol's 2018 guidance is replaced by the Keeping Bristol Safe Partnership's Indicators of Need
2025; Stoke-on-Trent's 2014/15 levels may have been replaced by its partnership's Threshold
Framework. Neither newer document could be read, so neither is encoded. The first thing a worker
reads must be safe to act on: every result says so before anything else, lists mark the version,
and none of it changes the suggested level, outcome or safety actions. Kent has no replacement.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from engine.evaluate.evaluator import Evaluator
from engine.load import schema
from engine.load.catalogue import Catalogue, bundled_root
from engine.load.yamlfile import load_file
from service.cli import main
from tests import bundled

REPO = Path(__file__).resolve().parents[1]
BABY = REPO / "docs" / "examples" / "non-mobile-baby-bruise.json"
BRISTOL_URL = "https://bristolsafeguarding.org/policies-and-guidance/effective-support-for-children-and-families-in-bristol"
STOKE_URL = "https://safeguardingchildren.stoke.gov.uk/homepage/52/threshold-framework"
BRISTOL_SENTENCE = ("Bristol City Council's threshold document has been replaced by Indicators of Need 2025 (Keeping "
                    "Bristol Safe Partnership), which is not encoded here: check this suggestion against it.")
STOKE_SENTENCE = ("Stoke-on-Trent City Council's threshold document may have been replaced by Threshold Framework: "
                  "Accessing the Right Help at the Right Time, which is not encoded here: check this suggestion "
                  "against it.")


def _cli(*args: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(list(args)) == 0
    return out.getvalue()


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_replacements_are_what_the_source_notes_say_with_their_addresses() -> None:
    cat = bundled.catalogue()
    bristol = cat.select("bristol").model.ruleset.document.replaced_by
    stoke = cat.select("stoke-on-trent").model.ruleset.document.replaced_by
    assert bristol is not None and stoke is not None
    assert (bristol.status, bristol.title, bristol.publisher, bristol.url) == (
        "replaced", "Indicators of Need 2025", "Keeping Bristol Safe Partnership", BRISTOL_URL)
    assert (stoke.status, stoke.url, stoke.publisher) == ("may_be_replaced", STOKE_URL, None)
    # nothing invented: the address, the quote and the section are in the project's own source notes
    for rep in (bristol, stoke):
        note, _, section = rep.source.partition(" ")
        text = (REPO / note).read_text(encoding="utf-8")
        heading = re.search(rf"^## {section.removeprefix('§')}\. .*$", text, re.M)
        assert heading, f"{rep.source}: no such section"
        body = text[heading.end():].split("\n## ", 1)[0]
        assert rep.url in body
        assert rep.quote is None or f'"{rep.quote}"' in _flat(body)
    assert cat.select("kent").model.ruleset.document.replaced_by is None


def test_a_replaced_document_changes_no_level_outcome_or_safety_action(tmp_path: Path) -> None:
    """The same Bristol and Stoke files without replaced_by give the same suggestion, apart from the warning."""
    root = tmp_path / "rulesets"
    shutil.copytree(bundled_root(), root, ignore=shutil.ignore_patterns("schema"))
    for rel in ("england/bristol/level-3-table.yaml", "england/stoke-on-trent/guide-to-levels-of-need-2014-15.yaml"):
        path = root / rel
        text = path.read_text(encoding="utf-8")
        stripped = re.sub(r"\n    replaced_by:\n(      .*\n|        .*\n)+", "\n", text)
        assert stripped != text
        path.write_text(stripped, encoding="utf-8")
    plain = Evaluator(Catalogue.load(root))
    live = bundled.live_evaluator()
    facts = json.loads(BABY.read_text(encoding="utf-8"))["facts"]
    for rid in ("bristol", "stoke-on-trent"):
        with_warning = live.evaluate(live.catalogue.select(rid), facts)
        without = plain.evaluate(plain.catalogue.select(rid), facts)
        assert with_warning.ruleset.replaced_by is not None and without.ruleset.replaced_by is None
        for field in ("kind", "outcome", "level", "route", "required_actions", "headline", "open_questions",
                      "matched_indicators", "completeness"):
            assert getattr(with_warning, field) == getattr(without, field), (rid, field)
        # the national safety floor still applies: a bruised non-mobile baby is a child protection matter
        assert with_warning.outcome is not None and with_warning.outcome.value == "child_protection"
        assert "non-mobile-bruise-or-injury" in {a.rule for a in with_warning.required_actions}


def test_the_result_carries_the_sentence_and_kent_carries_none() -> None:
    live = bundled.live_evaluator()
    facts = json.loads(BABY.read_text(encoding="utf-8"))["facts"]
    bristol = live.evaluate(live.catalogue.select("bristol"), facts).ruleset.replaced_by
    stoke = live.evaluate(live.catalogue.select("stoke-on-trent"), facts).ruleset.replaced_by
    assert bristol is not None and bristol.sentence == BRISTOL_SENTENCE and bristol.url == BRISTOL_URL
    assert bristol.mark == "replaced by Indicators of Need 2025 (not encoded)"
    assert stoke is not None and stoke.sentence == STOKE_SENTENCE
    assert stoke.mark.startswith("may have been replaced by Threshold Framework")
    assert live.evaluate(live.catalogue.select("kent"), facts).ruleset.replaced_by is None


@pytest.mark.parametrize(("rid", "sentence", "url"), [("bristol", BRISTOL_SENTENCE, BRISTOL_URL),
                                                      ("stoke-on-trent", STOKE_SENTENCE, STOKE_URL)])
def test_the_cli_explanation_says_it_before_the_range_or_level(rid: str, sentence: str, url: str) -> None:
    text = _cli("evaluate", "--ruleset", rid, str(BABY))
    assert text.startswith("WARNING: ")
    first = _flat(text[:text.index("\n\n")])
    assert first == f"WARNING: {sentence} <{url}>"
    headline = re.search(r"^(RANGE|RESULT): ", text, re.M)
    level = re.search(r"^(SUGGESTED LEVEL|Level so far|Level on)", text, re.M)
    assert headline and level and text.index(sentence.split()[0]) < headline.start() < level.start()
    assert f"  <{url}>" in text.splitlines()  # the address whole, on its own line


def test_the_cli_explanation_for_kent_has_no_warning() -> None:
    text = _cli("evaluate", "--ruleset", "kent", str(BABY))
    assert "WARNING:" not in text and "not encoded here" not in text
    assert text.startswith("Kent County Council: ")


def test_list_marks_the_replaced_versions_instead_of_to_now() -> None:
    text = _cli("list")
    blocks = {m.group(1): m.group(0) for m in re.finditer(r"^[* ] (\S+@\S+) .*(?:\n    .*)*", text, re.M)}
    bristol = _flat(blocks["bristol@level-3-table"])
    assert "date not stated, replaced by Indicators of Need 2025 (not encoded)" in bristol
    assert "to now" not in bristol
    stoke = _flat(blocks["stoke-on-trent@guide-to-levels-of-need-2014-15"])
    assert "may have been replaced by Threshold Framework: Accessing the Right Help at the Right Time (not " \
           "encoded)" in stoke and "to now" not in stoke
    assert "to now" in _flat(blocks["kent@i-statements"])
    rows = {f"{r['id']}@{r['version']}": r for r in json.loads(_cli("list", "--json"))}
    assert rows["bristol@level-3-table"]["replaced_by"]["status"] == "replaced"
    assert rows["bristol@level-3-table"]["replaced_by"]["url"] == BRISTOL_URL
    assert rows["kent@i-statements"]["replaced_by"] is None


def test_the_committed_schema_describes_replaced_by() -> None:
    committed = json.loads((bundled_root() / schema.SCHEMA_DIR / schema.FILES["ruleset"]).read_text(encoding="utf-8"))
    status = committed["$defs"]["Replacement"]["properties"]["status"]
    assert status["enum"] == ["replaced", "may_be_replaced"]
    check = Draft202012Validator(committed)
    data = load_file(bundled_root() / "england" / "bristol" / "level-3-table.yaml").data
    assert list(check.iter_errors(data)) == []
    data["ruleset"]["document"]["replaced_by"]["status"] = "superseded"
    assert [e.message for e in check.iter_errors(data)]


def test_cli_triage_says_it_before_the_first_question_and_in_the_final_explanation() -> None:
    thresholds = str(Path(sys.executable).parent / "thresholds")
    bristol = subprocess.run([thresholds, "triage", "--ruleset", "bristol"], input="stop\n", capture_output=True,
                             text=True, timeout=120)
    first = bristol.stdout.splitlines()[0]
    assert first == ("WARNING: Bristol City Council's threshold document has been replaced by Indicators of Need 2025 "
                     f"(Keeping Bristol Safe Partnership), which is not encoded here. Check the suggestion against it: "
                     f"{BRISTOL_URL}")
    final = bristol.stdout[bristol.stdout.index("Explained suggestion"):]
    assert final.index("WARNING: Bristol City Council's") < final.index("RANGE: ")
    kent = subprocess.run([thresholds, "triage", "--ruleset", "kent"], input="stop\n", capture_output=True,
                          text=True, timeout=120)
    assert kent.stdout.startswith("Triage under Kent County Council") and "WARNING:" not in kent.stdout


def test_evaluate_beside_says_it_first_for_the_replaced_council_only() -> None:
    text = _cli("evaluate", "--ruleset", "kent", "--beside", "bristol", str(BABY))
    assert text.splitlines()[0] == f"WARNING: {BRISTOL_SENTENCE} <{BRISTOL_URL}>"
    assert text.index("WARNING:") < text.index("Kent County Council (kent@")
    assert "WARNING:" not in _cli("evaluate", "--ruleset", "kent", "--beside", "essex", str(BABY))


def test_the_readable_ruleset_document_says_it_before_the_statement() -> None:
    text = _cli("render", "bristol")
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    assert paragraphs[1].startswith("**Bristol City Council's threshold document has been replaced by Indicators of "
                                    "Need 2025 (Keeping Bristol Safe Partnership), which is not encoded here.")
    assert f"]({BRISTOL_URL})" in paragraphs[1]
    assert "start date not stated, replaced by Indicators of Need 2025 (not encoded)" in text
    assert "not encoded here" not in _cli("render", "kent")
