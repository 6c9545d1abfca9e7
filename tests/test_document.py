"""One document model: ruleset documents, diffs, variation reports and the definitions manual follow one heading rule.

The rule (engine/render/document.py): the title is the only h1 and no heading skips a level, in the
standalone HTML, in the Markdown, and on the web pages that embed the same blocks under their own h1.
Real rulesets, the real comparison and variation values, the real Flask app.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.compare.comparison import compare
from engine.compare.scenarios import from_witnesses
from engine.compare.variation import variation_matrix
from engine.compare.witness import witness_bank
from engine.load.catalogue import VOCABULARY_FILE, Catalogue, bundled_root
from engine.load.definitions import DEFINITIONS_FILE, load_definitions
from engine.load.loader import load_vocabulary
from engine.render import diff_report, document, ruleset_document, variation_report
from service import create_app
from service.training.manual import manual_document
from service.training.report import parse_cucumber, report_document
from tests import bundled
from tests.test_render import parse

AUTHORITIES = Path(__file__).parent / "fixtures" / "diff" / "authorities"


def _documents() -> dict[str, document.Document]:
    cat = bundled.catalogue()
    fixtures = Catalogue.load(AUTHORITIES).all()
    manual, _ = load_definitions(bundled_root() / DEFINITIONS_FILE)
    return {
        "definitions manual": manual_document(manual, load_vocabulary(bundled_root() / VOCABULARY_FILE)),
        "exercise results": report_document(parse_cucumber(RESULTS)),
        "ruleset": ruleset_document.ruleset_document(cat.select("kent")),
        "diff": diff_report.build(compare(cat.select("kent"), cat.select("hampshire"))),
        "variation": variation_report.build(variation_matrix(fixtures, from_witnesses(witness_bank(fixtures))),
                                            pictures=False),
    }


RESULTS = [{"name": "Bruising", "uri": "bruising.feature", "elements": [
    {"name": "A bruised baby", "line": 3, "tags": [{"name": "bruising"}], "steps": [
        {"keyword": "Given", "name": "a baby who is not mobile", "line": 4, "result": {"status": "passed"}},
        {"keyword": "Then", "name": "the suggestion is L4", "line": 5,
         "result": {"status": "failed", "error_message": "expected L4, suggested L3"}}]},
    {"name": "A carer's worry", "line": 7, "steps": [
        {"keyword": "Given", "name": "a worried carer", "line": 8, "result": {"status": "passed"}}]}]}]
DOCUMENTS = _documents()


def _never_skips(levels: list[int]) -> None:
    assert levels and levels[0] == 1 and levels.count(1) == 1, levels
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, f"h{before} followed by h{after}"


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_every_document_is_one_model_with_one_heading_rule(kind: str) -> None:
    doc = DOCUMENTS[kind]
    assert isinstance(doc, document.Document)
    page = document.to_html(doc)
    _never_skips(parse(page).headings)
    md = document.to_markdown(doc)
    assert md.startswith(f"# {doc.title}\n")
    _never_skips([len(m) for m in re.findall(r"^(#+) ", md, flags=re.MULTILINE)])
    # The contents list (anchored sections) comes after the lead paragraphs, before the first section.
    first = next(b for b in doc.blocks if isinstance(b, document.Heading))
    assert isinstance(doc.blocks[0], document.Para)
    if not document.contents(doc):  # the manual's and the exercise results' sections carry no anchors
        assert kind in ("definitions manual", "exercise results") and '<nav aria-label="Contents">' not in page
        return
    assert page.index('<nav aria-label="Contents">') < page.index(f">{first.text}</h2>")
    assert page.index("</h1>\n<p") < page.index('<nav aria-label="Contents">')


def test_exercise_results_fold_passed_scenarios_and_show_failures_with_step_statuses_in_words() -> None:
    page = document.to_html(DOCUMENTS["exercise results"])
    assert "<details><summary>PASSED A carer&#x27;s worry</summary>" in page
    assert "<strong>FAILED A bruised baby @bruising</strong>" in page
    assert "the suggestion is L4 (failed)" in page and "expected L4, suggested L3" in page
    assert page.index("FAILED A bruised baby") < page.index("expected L4, suggested L3") < page.index("PASSED")


def test_the_web_pages_nest_the_same_blocks_without_skipping_a_level(tmp_path: Path) -> None:
    app = create_app({"RULESETS": str(bundled_root()), "INSTANCE": str(tmp_path / "i"), "AUTH": "off"})
    client = app.test_client()
    kent = bundled.catalogue().select("kent")
    for url in (f"/policy/rulesets/kent/{kent.version}", "/policy/diff?a=kent&b=hampshire", "/policy/variation"):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        main = html[html.index("<main"):html.index("</main>")]
        _never_skips(parse(main).headings)
