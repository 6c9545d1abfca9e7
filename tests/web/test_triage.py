"""The triage journey in a real browser: blank form to an explained, cited suggestion."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Server, check_page


def _choose_kent(page: Any, server: Server, axe: Any) -> None:
    page.goto(server.url("/"))
    check_page(page, axe, "start")
    page.get_by_role("button", name="Start a triage").click()
    check_page(page, axe, "triage-choose")
    page.get_by_label("Kent County Council").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_selector("h1:has-text('Referral details')")


def test_whole_triage_journey_ends_in_a_cited_suggestion_with_safety_actions_first(page: Any, dev_server: Server,
                                                                                    axe: Any) -> None:
    _choose_kent(page, dev_server, axe)
    # Safety questions lead the form (engine/questions.py order), then the domains.
    headings = page.locator("main h2").all_inner_texts()
    assert headings[0] == "First questions: safety"
    assert "Child's developmental needs" in headings
    check_page(page, axe, "triage-form")
    page.fill("#child_age_months", "4")
    page.locator("input[name=independently_mobile][value=no]").check()
    page.locator("input[name=bruise_or_injury][value=yes]").check()
    page.get_by_role("button", name="Get the suggestion").click()
    page.wait_for_selector("h1:has-text('Suggestion')")
    check_page(page, axe, "triage-result")
    main = page.locator("main")
    text = main.inner_text()
    # The headline (the range: immediate danger is still unknown) leads, then the safety actions
    # (titled by the action), then the level so far.
    assert text.index("Not complete: so far at least") < text.index("Required safety actions")
    assert text.index("Required safety actions") < text.index("Level so far (not final)")
    assert "Suggested level" not in text
    assert page.locator(".app-safety h3").first.inner_text().startswith("Bruise or injury on a ")
    assert "Child protection enquiry" in page.locator("#suggested-outcome").inner_text()
    assert page.locator("#suggested-level").inner_text().strip()
    # Citations link to the source document.
    links = page.locator(".app-safety a[href^='http']")
    assert links.count() >= 1
    assert "qualified practitioner" in text and "sha256" in text
    assert "version" in text and "Decision record" in text


def test_all_unknown_result_leads_with_the_range_and_the_first_questions_never_a_level(
        page: Any, dev_server: Server, axe: Any) -> None:
    _choose_kent(page, dev_server, axe)
    page.get_by_role("button", name="Get the suggestion").click()  # everything "Not known"
    page.wait_for_selector("h1:has-text('Suggestion')")
    main = page.locator("main").inner_text()
    after_h1 = main[main.index("Suggestion\n"):]
    first = page.locator("#headline-text").inner_text()
    assert first.startswith("Not complete: so far at least L1 Universal Support")
    assert "could be up to Immediate protection" in first
    assert after_h1.index(first) < after_h1.index("L1: Universal Support")  # the range comes before any level
    assert "Suggested level" not in main and "Level so far (not final)" in main
    assert page.locator("#ask-first li").first.inner_text() == "Is the child in immediate danger now?"
    assert "Nothing reported matched" in page.locator("#decided-by").inner_text()
    check_page(page, axe, "triage-result-all-unknown")


def test_the_chooser_marks_levels_only_councils(page: Any, dev_server: Server, axe: Any) -> None:
    page.goto(dev_server.url("/triage"))
    dudley = page.locator("[data-indicators='0']").all_inner_texts()
    assert dudley and all(t.startswith("Levels only:") for t in dudley)
    kent = page.get_by_label("Kent County Council").get_attribute("aria-describedby")
    assert "local indicators encoded" in page.locator(f"[id='{kent}']").inner_text()
    page.get_by_label("Dudley Metropolitan Borough Council").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_selector("h1:has-text('Referral details')")
    page.get_by_role("button", name="Get the suggestion").click()
    page.wait_for_selector("h1:has-text('Suggestion')")
    assert page.locator("#headline-text").inner_text().startswith(
        "No local indicators are encoded for Dudley Metropolitan Borough Council: only the national safety rules")
    check_page(page, axe, "triage-result-levels-only")


def test_unknown_answers_are_listed_as_questions_to_ask(page: Any, dev_server: Server, axe: Any) -> None:
    _choose_kent(page, dev_server, axe)
    page.get_by_role("button", name="Get the suggestion").click()  # everything "Not known"
    page.wait_for_selector("h1:has-text('Suggestion')")
    assert page.locator("#open-questions li").count() > 0
    assert page.locator("#completeness").inner_text().startswith("Not complete")
    check_page(page, axe, "triage-result-unknown")


def test_result_page_is_not_stored_and_carries_security_headers(page: Any, dev_server: Server, axe: Any) -> None:
    _choose_kent(page, dev_server, axe)
    with page.expect_response(lambda r: r.request.method == "POST") as info:
        page.get_by_role("button", name="Get the suggestion").click()
    headers = info.value.headers
    assert headers["cache-control"] == "no-store"
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    # No inline scripts anywhere on the page, and the referral is not in the URL.
    assert page.locator("script:not([src])").count() == 0
    assert "?" not in page.url
    cookie = next(c for c in page.context.cookies() if c["name"] == "thresholds_session")
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Lax"


def test_error_journey_uses_the_error_summary_and_links_to_the_field(page: Any, dev_server: Server,
                                                                     axe: Any) -> None:
    page.goto(dev_server.url("/triage"))
    page.get_by_role("button", name="Continue").click()  # no council chosen
    summary = page.locator(".govuk-error-summary")
    assert "Select the council" in summary.inner_text()
    assert page.title().startswith("Error:")
    check_page(page, axe, "triage-choose-error")
    page.get_by_label("Kent County Council").check()
    page.fill("#as_of-day", "31")
    page.fill("#as_of-month", "2")
    page.fill("#as_of-year", "2025")
    page.get_by_role("button", name="Continue").click()
    assert "real date" in page.locator(".govuk-error-summary").inner_text()
    page.fill("#as_of-day", "")
    page.fill("#as_of-month", "")
    page.fill("#as_of-year", "")
    page.get_by_role("button", name="Continue").click()
    page.fill("#child_age_months", "four")
    page.get_by_role("button", name="Get the suggestion").click()
    summary = page.locator(".govuk-error-summary")
    assert "whole number" in summary.inner_text()
    assert page.locator("#child_age_months-error").is_visible()
    assert page.input_value("#child_age_months") == "four"  # the answer is shown again to correct
    check_page(page, axe, "triage-form-error")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "child_age_months"
    page.fill("#child_age_months", "900")
    page.get_by_role("button", name="Get the suggestion").click()
    assert "between" in page.locator(".govuk-error-summary").inner_text()
    page.fill("#child_age_months", "30")
    page.get_by_role("button", name="Get the suggestion").click()
    page.wait_for_selector("h1:has-text('Suggestion')")


def _tab_to(page: Any, selector_js: str, limit: int = 600) -> None:
    """Press Tab until the focused element matches; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const e = document.activeElement; return !!e && ({selector_js}); }})()"):
            return
    raise AssertionError(f"keyboard focus never reached {selector_js}")


def test_keyboard_only_from_blank_form_to_an_explained_suggestion(page: Any, dev_server: Server) -> None:
    page.goto(dev_server.url("/"))
    _tab_to(page, "e.textContent.includes('Start a triage')")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Which council')")
    _tab_to(page, "e.name === 'ruleset'")
    # Arrow keys move through a radio group and select; find Kent by arrowing.
    for _ in range(40):
        if page.evaluate("document.activeElement.value") == "kent":
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    assert page.evaluate("document.querySelector('input[name=ruleset]:checked').value") == "kent"
    _tab_to(page, "e.textContent.trim() === 'Continue'")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Referral details')")
    _tab_to(page, "e.id === 'child_age_months'")
    page.keyboard.type("4")
    # Focus enters a radio group on its checked answer ("Not known"); arrows choose another.
    _tab_to(page, "e.name === 'bruise_or_injury'")
    while page.evaluate("document.activeElement.value") != "yes":
        page.keyboard.press("ArrowLeft")
    _tab_to(page, "e.name === 'independently_mobile'")
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("document.activeElement.value") == "no"
    _tab_to(page, "e.textContent.trim() === 'Get the suggestion'")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Suggestion')")
    assert "Required safety actions" in page.locator("main").inner_text()
    assert page.locator("#matched-indicators a[href^='http'], .app-safety a[href^='http']").count() >= 1
    # A visible focus indicator: the skip link is the first stop and shows when focused.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className").startswith("govuk-skip-link")
    page.screenshot(path=str(__import__("tests.web.conftest", fromlist=["ARTIFACTS"]).ARTIFACTS
                             / "triage-keyboard-result.png"), full_page=True)
