"""A replaced council document on the pages, in real Chromium with axe-core.

Bristol's guidance has been replaced by the partnership's Indicators of Need 2025, which is not
encoded: the chooser says so before the council is picked, the result page says so in a GOV.UK
warning above the headline (the first thing a worker reads), and the /policy list marks the
version. Kent, with no replacement, shows none of it.
"""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Server, check_page

BRISTOL = "Bristol City Council"
KENT = "Kent County Council"
SENTENCE = ("Bristol City Council's threshold document has been replaced by Indicators of Need 2025 (Keeping "
            "Bristol Safe Partnership), which is not encoded here: check this suggestion against it.")
URL = "https://bristolsafeguarding.org/policies-and-guidance/effective-support-for-children-and-families-in-bristol"


def _result(page: Any, server: Server, council: str) -> None:
    page.goto(server.url("/triage"))
    page.get_by_label(council).check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_selector("h1:has-text('About the child')")
    page.get_by_role("button", name="Get the suggestion now").click()
    page.wait_for_selector("h1:has-text('Suggestion')")


def _hint(page: Any, council: str) -> str:
    described = page.get_by_label(council).get_attribute("aria-describedby")
    text: str = page.locator(f"[id='{described}']").inner_text()
    return text


def test_the_chooser_says_which_documents_are_replaced(page: Any, dev_server: Server, axe: Any) -> None:
    page.goto(dev_server.url("/triage"))
    bristol = _hint(page, BRISTOL)
    assert "16 local indicators encoded" in bristol
    assert ("Bristol City Council's threshold document has been replaced by Indicators of Need 2025 (Keeping "
            "Bristol Safe Partnership), which is not encoded here.") in bristol
    assert "may have been replaced by" in _hint(page, "Stoke-on-Trent City Council")
    assert "replaced" not in _hint(page, KENT)
    check_page(page, axe, "triage-choose-replaced")


def test_the_result_page_warns_above_the_headline(page: Any, dev_server: Server, axe: Any) -> None:
    _result(page, dev_server, BRISTOL)
    warning = page.locator("#replaced-by")
    assert warning.get_attribute("data-status") == "replaced"
    assert SENTENCE in " ".join(warning.inner_text().split())
    link = warning.locator("a")
    assert link.get_attribute("href") == URL and link.get_attribute("target") == "_blank"
    assert "opens in new tab" in link.inner_text()
    # above the headline, on the screen and in reading order
    headline = page.locator("#headline")
    assert warning.bounding_box()["y"] + warning.bounding_box()["height"] <= headline.bounding_box()["y"]
    main = page.locator("main").inner_text()
    assert main.index(SENTENCE) < main.index(page.locator("#headline-text").inner_text())
    assert main.index(SENTENCE) < main.index("Suggestion\n")
    check_page(page, axe, "triage-result-replaced")

    _result(page, dev_server, KENT)
    assert page.locator("#replaced-by").count() == 0
    assert "not encoded here" not in page.locator("main").inner_text()


def test_the_policy_list_marks_the_replaced_version(page: Any, dev_server: Server, axe: Any) -> None:
    page.goto(dev_server.url("/policy"))
    row = page.locator("tbody tr", has=page.locator("th", has_text=BRISTOL))
    tag = row.locator(".app-replaced")
    assert tag.inner_text() == "In use, replaced by Indicators of Need 2025 (not encoded)"
    assert tag.get_attribute("data-status") == "replaced"
    kent = page.locator("tbody tr", has=page.locator("th", has_text=KENT))
    assert kent.locator(".app-replaced").count() == 0 and kent.locator(".app-in-force").inner_text() == "In force"
    check_page(page, axe, "policy-index-replaced")


def test_the_compare_page_marks_the_replaced_council(page: Any, dev_server: Server, axe: Any) -> None:
    page.goto(dev_server.url("/compare"))
    for name in (BRISTOL, KENT):
        page.get_by_label(name).check()
    page.fill("#child_age_months", "4")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_selector("#comparison")
    heads = page.locator("#comparison thead th").all_inner_texts()
    bristol = next(h for h in heads if BRISTOL in h)
    assert "replaced by Indicators of Need 2025 (not encoded)" in bristol
    assert all("replaced" not in h for h in heads if KENT in h)
    assert SENTENCE in " ".join(page.locator("#replaced-by-bristol").inner_text().split())
    assert page.locator("#replaced-by-kent").count() == 0
    check_page(page, axe, "compare-result-replaced")
