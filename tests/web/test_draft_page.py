"""The policy page for trying a draft revision, in a real browser, on a real server and decision record.

A Kent draft moves "a child whose disability affects all aspects of their development" from
Level 4 down to Level 3; one referral with that fact is in the decision record. The page shows
located problems for a broken draft, then the lint findings, the recorded referral moving down
and the witness diff, and the draft never becomes live (not listed, not offered for triage).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import Server, _server, check_page

KENT = Path(__file__).resolve().parents[2] / "rulesets" / "england" / "kent" / "i-statements.yaml"
MOVED = "  - id: kent-l4-disability-all-aspects\n    level: L4\n"


def kent_draft() -> str:
    text = KENT.read_text(encoding="utf-8")
    assert MOVED in text and "  version: i-statements\n" in text
    text = text.replace("  version: i-statements\n", "  version: draft-2026\n  status: draft\n", 1)
    return text.replace(MOVED, MOVED.replace("L4", "L3"), 1)


@pytest.fixture(scope="module")
def draft_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    s = _server(tmp_path_factory.mktemp("web-draft"), "off")
    svc = s.app.extensions["thresholds"]
    ev = svc.live.evaluator
    facts = {"disability": "complex_or_severe", "child_age_months": 100}
    svc.record.write("duty-worker", [(facts, ev.evaluate(ev.catalogue.select("kent"), facts))])
    yield s
    s.stop()


def test_draft_page_shows_located_problems_then_the_impact_without_the_draft_going_live(
        page: Any, draft_server: Server, axe: Any, tmp_path: Path) -> None:
    page.goto(draft_server.url("/policy"))
    page.get_by_role("link", name="Try a draft revision").click()
    check_page(page, axe, "policy-draft-form")
    page.get_by_role("button", name="Try the draft").click()
    assert "Paste the draft ruleset" in page.locator(".govuk-error-summary").inner_text()
    check_page(page, axe, "policy-draft-empty")

    broken = kent_draft().replace(MOVED.replace("L4", "L3"), MOVED.replace("L4", "L9"), 1)
    line = broken.splitlines().index("    level: L9") + 1
    page.fill("#draft_text", broken)
    page.get_by_role("button", name="Try the draft").click()
    problems = page.locator("#draft-problem-list li").all_inner_texts()
    assert any(f"draft.yaml, line {line}, column" in p and "L9" in p for p in problems), problems
    assert page.locator("#draft_text").input_value() == broken  # kept for correction
    check_page(page, axe, "policy-draft-problems")

    upload = tmp_path / "kent-draft.yaml"
    upload.write_text(kent_draft(), encoding="utf-8")
    page.fill("#draft_text", "")
    page.set_input_files("#draft_file", str(upload))
    page.get_by_role("button", name="Try the draft").click()
    page.wait_for_selector("#trial")
    assert page.locator("#trial").inner_text() == "kent@draft-2026 against kent@i-statements"
    assert "not in force" in page.locator("#not-live").inner_text()
    assert "1 recorded referral: 0 would move up, 1 would move down." in page.locator("#recorded-summary").inner_text()
    concern = page.locator("#recorded-by-concern tbody tr").first.locator("th, td").all_inner_texts()
    assert "disability" in concern[0] and concern[1:] == ["1", "0", "1"], concern
    # Findings grouped by kind: a summary row per code (blocking kinds first), then the findings of each kind.
    rows = [r.locator("th, td").all_inner_texts() for r in page.locator("#lint-summary tbody tr").all()]
    assert rows and [int(r[2]) > 0 for r in rows] == sorted((int(r[2]) > 0 for r in rows), reverse=True), rows
    for kind, count, _ in rows:
        code = kind.split(":")[0]
        items = page.locator(f"#lint-{code} li").all_text_contents()  # closed details too
        assert len(items) == int(count) and all(f"[{code}]" in t for t in items), (code, items[:3])
    lint_items = page.locator(".app-lint-list li").all_text_contents()
    assert sum(int(r[1]) for r in rows) == len(lint_items)
    assert any(re.match(r"line \d+, column \d+: (warning|info) \[", t) for t in lint_items), lint_items[:5]
    assert page.locator("#witnesses ~ .app-document").count() == 1
    check_page(page, axe, "policy-draft-result")

    # never live: not listed, not offered for triage, not in the catalogue
    page.goto(draft_server.url("/policy"))
    assert "draft-2026" not in page.locator("main").inner_text()
    page.goto(draft_server.url("/triage"))
    assert "draft-2026" not in page.content()
    assert [r.version for r in draft_server.app.extensions["thresholds"].live.catalogue.versions("kent")] == [
        "kscb-third-person", "i-statements"]


def test_draft_page_needs_a_csrf_token(page: Any, draft_server: Server) -> None:
    r = page.request.post(draft_server.url("/policy/draft"), multipart={"draft_text": kent_draft()})
    assert r.status == 400 and "did not come from this service" in r.text()
