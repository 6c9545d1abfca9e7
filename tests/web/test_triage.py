"""The triage journey in a real browser: a few screens to an explained, cited suggestion.

Interactions are counted as a worker makes them: each click that sends a screen or opens the
next page is one. Every step is checked with axe-core at desktop width and at 320 px.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import Server, check_page

THRESHOLDS = str(Path(sys.executable).parent / "thresholds")
CHECK_ITEM = re.compile(r"  (\d+)\. ([^:\r\n]+): ")
LEVEL = re.compile(r"(?:SUGGESTED LEVEL|Level so far \(not final\)): (\S+) ([^\n]+)")


class Journey:
    """A worker's clicks, counted, with an axe check (and screenshot) on every page reached."""

    def __init__(self, page: Any, axe: Any, name: str) -> None:
        self.page, self.axe, self.name, self.interactions, self.pages = page, axe, name, 0, 0

    def check(self) -> None:
        self.pages += 1
        if self.axe is not None:
            check_page(self.page, self.axe, f"{self.name}-{self.pages}")

    def click(self, name: str) -> None:
        self.interactions += 1
        self.page.get_by_role("button", name=name, exact=True).click()
        self.page.wait_for_load_state()
        self.check()

    def choose(self, council: str = "Kent County Council") -> None:
        self.check()
        self.page.get_by_label(council).check()
        self.click("Continue")
        assert self.page.locator("h1").inner_text() == "About the child"

    def opening(self, years: str, months: str, danger: str = "no", action: str = "Continue",
                concern: str | None = None) -> None:
        self.page.fill("#age-years", years)
        self.page.fill("#age-months", months)
        self.page.locator(f"input[name=immediate_danger][value={danger}]").check()
        if concern is not None:  # "What is the main concern?" on the same step: no extra interaction
            self.page.select_option("#concern", label=concern)
        self.click(action)


def _start(page: Any, server: Server, axe: Any, name: str) -> Journey:
    page.goto(server.url("/triage"))
    j = Journey(page, axe, name)
    j.choose()
    return j


def _stub_external(context: Any) -> None:
    """Citation links point at councils' sites; answer them locally (the machine is offline)."""
    def handle(route: Any) -> None:
        if route.request.url.startswith("http://127.0.0.1"):
            route.continue_()
        else:
            route.fulfill(status=200, content_type="text/html",
                          body="<!doctype html><html lang=en><title>Source</title><p>Source document</p></html>")
    context.route("**/*", handle)


def _baby_to_result(j: Journey) -> None:
    """Kent, a 4-month-old, not in immediate danger, a bruise ticked on the safety checklist."""
    j.opening("0", "4")
    page = j.page
    assert page.locator("h1").inner_text() == "Do any of these apply?"
    assert page.locator("input[name=checklist]:checked").count() == 0  # nothing pre-selected
    assert 2 <= page.locator("input[name=checklist]").count() <= 14  # at most 12 items, None, Not known yet
    page.get_by_label("Bruise or injury").check()
    j.click("Get the suggestion now")
    page.wait_for_selector("h1:has-text('Suggestion')")


def test_bruised_baby_reaches_kent_child_protection_and_its_safety_actions_in_at_most_4_interactions(
        page: Any, dev_server: Server, axe: Any) -> None:
    j = _start(page, dev_server, axe, "baby")
    _baby_to_result(j)
    assert j.interactions <= 4, f"{j.interactions} interactions"
    main = page.locator("main").inner_text()
    assert "Child protection enquiry" in page.locator("#suggested-outcome").inner_text()
    assert "Required safety actions" in main and "paediatric" in main
    # The headline (issue 11) leads: what decided it, before the safety actions.
    assert main.index(page.locator("#headline-text").inner_text()) < main.index("Required safety actions")
    # Citation links open in a new tab and say so.
    links = page.locator(".app-safety a[href^='http']")
    assert links.count() >= 1
    assert links.first.get_attribute("target") == "_blank" and "opens in new tab" in links.first.inner_text()
    # Check your answers, with what was left unknown and Change links.
    answers = page.locator("#answers").inner_text()
    assert "4 months" in answers and "Bruise or injury" in answers and "Yes" in answers
    assert page.locator("#answers a:has-text('Change')").count() == page.locator("#answers .govuk-summary-list__row"
                                                                                 ).count()
    # Every question to ask links to a page that answers it.
    questions = page.locator("#open-questions li")
    assert questions.count() > 0
    assert page.locator("#open-questions li a").count() == questions.count()


def test_back_change_and_a_citation_round_trip_keep_every_answer(browser: Any, dev_server: Server, axe: Any) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    _stub_external(context)
    page = context.new_page()
    try:
        j = _start(page, dev_server, None, "roundtrip")
        _baby_to_result(j)
        result_url = page.url
        # Back: the checklist still has the bruise ticked, the opening screen still has the age and the answer.
        page.go_back()
        assert page.locator("h1").inner_text() == "Do any of these apply?"
        assert page.get_by_label("Bruise or injury").is_checked()
        page.go_back()
        assert page.input_value("#age-months") == "4" and page.input_value("#age-years") == "0"
        assert page.locator("input[name=immediate_danger][value=no]").is_checked()
        check_page(page, axe, "roundtrip-back")
        # Forward twice: the result again, with every answer (no "Confirm form resubmission": all GETs).
        page.go_forward()
        page.go_forward()
        assert page.url == result_url
        assert "Bruise or injury" in page.locator("#answers").inner_text()
        # A citation in a new tab, and the same citation followed in this tab and back.
        link = page.locator(".app-safety a[href^='http']").first
        with context.expect_page() as popup:
            link.click()
        popup.value.close()
        href = link.get_attribute("href")
        page.goto(href)
        page.go_back()
        assert page.url == result_url
        assert "Child protection enquiry" in page.locator("#suggested-outcome").inner_text()
        before = " ".join(page.locator("#answers").inner_text().split())  # tabs or newlines: layout, not content
        # Change the age: the other answers stay.
        page.locator("#answers a:has-text('Change')").first.click()
        check_page(page, axe, "roundtrip-change")
        assert page.input_value("#age-months") == "4"
        page.fill("#age-months", "5")
        page.get_by_role("button", name="Save and see the suggestion").click()
        after = " ".join(page.locator("#answers").inner_text().split())
        assert "5 months" in after and after.replace("5 months", "4 months") == before
        # Answer a question to ask from the result: it joins the answers.
        page.locator("#open-questions li a").first.click()
        check_page(page, axe, "roundtrip-question")
        page.locator("main input[type=radio]").last.check()  # "Not known": an explicit answer
        page.get_by_role("button", name="Save and see the suggestion").click()
        assert "Not known" in page.locator("#answers").inner_text()
        assert "answered \"Not known\"" in page.locator("#left-unknown").inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 320])
def test_every_step_passes_axe_at_desktop_and_320_px(browser: Any, dev_server: Server, axe: Any, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 640})
    page = context.new_page()
    try:
        j = _start(page, dev_server, axe, f"steps-{width}")
        j.opening("", "")  # nothing given: the opening questions are left unanswered, not "no"
        assert page.locator("h1").inner_text() == "Do any of these apply?"
        j.click("Continue")  # nothing selected: an error that says what to do
        assert "Select the ones that apply" in page.locator(".govuk-error-summary").inner_text()
        page.get_by_label("None of these").check()
        j.click("Continue")
        while page.locator("h1").inner_text() == "Do any of these apply?":
            page.get_by_label("None of these").check()
            j.click("Continue")
        assert page.locator("h1").inner_text() == "Questions"
        shown = page.locator("main fieldset, main .govuk-input").count()
        assert 1 <= shown <= 12
        assert page.locator("main input[type=radio]:checked").count() == 0
        j.click("Get the suggestion now")
        assert "Not answered" in page.locator("#answers").inner_text()
        assert page.locator("#left-unknown").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 10  # no sideways scrolling
    finally:
        context.close()


def test_result_page_is_not_stored_and_carries_security_headers(page: Any, dev_server: Server, axe: Any) -> None:
    j = _start(page, dev_server, None, "headers")
    j.opening("0", "4")
    page.get_by_label("None of these").check()
    with page.expect_response(lambda r: r.url.endswith("/result")) as info:
        page.get_by_role("button", name="Get the suggestion now").click()
    headers = info.value.headers
    assert headers["cache-control"] == "no-store"
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert page.locator("script:not([src])").count() == 0
    assert "?" not in page.url
    cookie = next(c for c in page.context.cookies() if c["name"] == "thresholds_session")
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Lax"


def test_errors_use_the_error_summary_and_link_to_the_field(page: Any, dev_server: Server, axe: Any) -> None:
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
    page.fill("#as_of-day", "1")
    page.fill("#as_of-month", "3")
    page.get_by_role("button", name="Continue").click()
    page.fill("#age-years", "four")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    assert "whole number" in summary.inner_text()
    assert page.input_value("#age-years") == "four"  # shown again to correct
    check_page(page, axe, "triage-opening-error")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "age-years"
    # A date of birth instead: the age is worked out on the referral date (1 March 2025).
    page.fill("#age-years", "")
    page.fill("#birth-day", "1")
    page.fill("#birth-month", "1")
    page.fill("#birth-year", "2011")
    page.get_by_role("button", name="Get the suggestion now").click()
    assert "170 months" in page.locator("#answers").inner_text()  # 14 years 2 months
    # The council and date are remembered for the next triage in this session.
    page.goto(dev_server.url("/triage"))
    assert page.locator("input[name=ruleset][value=kent]").is_checked()
    assert page.input_value("#as_of-year") == "2025"


def _tab_to(page: Any, selector_js: str, limit: int = 600) -> None:
    """Press Tab until the focused element matches; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const e = document.activeElement; return !!e && ({selector_js}); }})()"):
            return
    raise AssertionError(f"keyboard focus never reached {selector_js}")


def test_keyboard_only_from_the_start_page_to_an_explained_suggestion(page: Any, dev_server: Server) -> None:
    page.goto(dev_server.url("/"))
    _tab_to(page, "e.textContent.includes('Start a triage')")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Which council')")
    _tab_to(page, "e.name === 'ruleset'")
    for _ in range(40):
        if page.evaluate("document.activeElement.value") == "kent":
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    assert page.evaluate("document.querySelector('input[name=ruleset]:checked').value") == "kent"
    _tab_to(page, "e.textContent.trim() === 'Continue'")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('About the child')")
    _tab_to(page, "e.id === 'age-months'")
    page.keyboard.type("4")
    _tab_to(page, "e.name === 'immediate_danger'")  # nothing checked: focus lands on the first answer
    while page.evaluate("document.activeElement.value") != "no":
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    _tab_to(page, "e.textContent.trim() === 'Continue'")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Do any of these apply?')")
    _tab_to(page, "e.value === 'bruise_or_injury'")
    page.keyboard.press("Space")
    _tab_to(page, "e.textContent.trim() === 'Get the suggestion now'")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Suggestion')")
    assert "Required safety actions" in page.locator("main").inner_text()
    _tab_to(page, "e.textContent.trim().startsWith('Change')")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Change your answer')")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className").startswith("govuk-skip-link")


def _cli(stdin: str) -> str:
    out = subprocess.run([THRESHOLDS, "triage", "--ruleset", "kent"], input=stdin, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.fixture()
def kent_checklist() -> Iterator[dict[str, str]]:
    """The Kent checklist item numbers for a 4-month-old, as the CLI shows them."""
    text = _cli("4\nno\n\n")
    yield {label.strip(): n for n, label in CHECK_ITEM.findall(text.split("[safety checklist]", 1)[1])}


def test_the_journey_and_the_cli_give_the_same_suggestion_for_the_same_answers(
        page: Any, dev_server: Server, kent_checklist: dict[str, str]) -> None:
    j = _start(page, dev_server, None, "same")
    _baby_to_result(j)
    web_level = page.locator("#suggested-level").inner_text().strip()
    web_outcome = page.locator("#suggested-outcome").inner_text().strip()
    text = _cli(f"4\nno\n\n{kent_checklist['Bruise or injury']}\nstop\n")
    level = LEVEL.search(text)
    outcome = re.search(r"Canonical outcome: ([^\n]+)", text)
    assert level and outcome
    assert web_level == f"{level.group(1)}: {level.group(2).strip()}"
    assert web_outcome == outcome.group(1).strip()
    # A 14-year-old, nothing on the safety checklists: the same again.
    j = _start(page, dev_server, None, "same-older")
    j.opening("14", "0")
    screens = 0
    while page.locator("h1").inner_text() == "Do any of these apply?":
        page.get_by_label("None of these").check()
        screens += 1
        j.click("Continue")
    page.locator("main").get_by_role("button", name="Get the suggestion now").click()
    web_level = page.locator("#suggested-level").inner_text().strip()
    text = _cli("168\nno\n\n" + "none\n" * screens + "stop\n")
    level = LEVEL.search(text)
    assert level and web_level == f"{level.group(1)}: {level.group(2).strip()}"


def test_all_unknown_result_leads_with_the_range_and_the_first_questions_never_a_level(
        page: Any, dev_server: Server, axe: Any) -> None:
    j = _start(page, dev_server, None, "all-unknown")
    j.click("Get the suggestion now")  # nothing answered
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
    assert "Not answered" in page.locator("#answers").inner_text()  # the opening questions, left unknown
    check_page(page, axe, "triage-result-all-unknown")


def test_the_chooser_marks_levels_only_councils(page: Any, dev_server: Server, axe: Any) -> None:
    page.goto(dev_server.url("/triage"))
    dudley = page.locator("[data-indicators='0']").all_inner_texts()
    assert dudley and all(t.startswith("Levels only:") for t in dudley)
    kent = page.get_by_label("Kent County Council").get_attribute("aria-describedby")
    assert "local indicators encoded" in page.locator(f"[id='{kent}']").inner_text()
    page.get_by_label("Dudley Metropolitan Borough Council").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_selector("h1:has-text('About the child')")
    page.get_by_role("button", name="Get the suggestion now").click()
    page.wait_for_selector("h1:has-text('Suggestion')")
    assert page.locator("#headline-text").inner_text().startswith(
        "No local indicators are encoded for Dudley Metropolitan Borough Council: only the national safety rules")
    check_page(page, axe, "triage-result-levels-only")


def _question(fact_id: str) -> str:
    from engine.load.catalogue import Catalogue

    return " ".join(Catalogue.load().vocabulary.fact(fact_id).question.split())


MISSING = "Going missing; Missing without explanation; Talks of running away"


def test_a_named_concern_puts_its_questions_first_and_survives_back_forward_and_change(
        page: Any, dev_server: Server, axe: Any) -> None:
    j = _start(page, dev_server, axe, "concern")
    assert page.input_value("#concern") == ""  # never pre-selected; optional
    assert page.locator("#concern option:checked").inner_text() == "Not answered"
    assert page.locator("#concern option", has_text="Not sure / several").count() == 1
    j.opening("14", "0", concern=MISSING)
    # The named concern's questions come next, before the safety checklists.
    assert page.locator("h1").inner_text() == "Questions"
    legends = [" ".join(t.split()) for t in page.locator("main legend").all_inner_texts()]
    assert legends[0] == _question("missing_from_home")
    assert page.locator("main input[type=radio]:checked").count() == 0  # naming a concern answers nothing
    # Back and Forward: the concern is shown as chosen, and the step after it is the same.
    page.go_back()
    assert page.locator("#concern option:checked").inner_text() == MISSING
    page.go_forward()
    assert [" ".join(t.split()) for t in page.locator("main legend").all_inner_texts()] == legends
    page.locator("input[name=missing_from_home][value=frequent]").check()
    j.click("Get the suggestion now")
    assert j.interactions == 3
    concern_row = page.locator("#answer-concern")
    assert MISSING in concern_row.inner_text()
    others = " ".join(page.locator("#answers").inner_text().replace(concern_row.inner_text(), "").split())
    # Change the concern from "Check your answers": the other answers stay, and what comes next follows it.
    concern_row.get_by_role("link", name="Change").click()
    assert page.locator("h1").inner_text() == "Change your answer"
    assert page.locator("#concern option:checked").inner_text() == MISSING
    check_page(page, axe, "concern-change-1280")
    page.set_viewport_size({"width": 320, "height": 640})
    check_page(page, axe, "concern-change-320")
    assert page.evaluate("document.documentElement.scrollWidth") <= 330  # long concern names do not widen it
    page.set_viewport_size({"width": 1280, "height": 900})
    page.select_option("#concern", label="Neglect")  # still open: it could raise the level further
    page.get_by_role("button", name="Save and see the suggestion").click()
    assert "Neglect" in page.locator("#answer-concern").inner_text()
    after = " ".join(page.locator("#answers").inner_text().replace(
        page.locator("#answer-concern").inner_text(), "").split())
    assert after == others
    page.get_by_role("button", name="Continue answering questions").click()
    assert page.locator("h1").inner_text() == "Questions"
    assert " ".join(page.locator("main legend").first.inner_text().split()) == _question("neglect")


def test_a_bruised_baby_with_bruising_named_still_reaches_child_protection_in_3_interactions(
        page: Any, dev_server: Server, axe: Any) -> None:
    j = _start(page, dev_server, axe, "baby-concern")
    j.opening("0", "4", concern="Bruise or injury")
    assert page.locator("h1").inner_text() == "Questions"  # its question first, on its own, before the checklist
    assert " ".join(page.locator("main legend").first.inner_text().split()) == _question("bruise_or_injury")
    page.locator("input[name=bruise_or_injury][value=yes]").check()
    j.click("Get the suggestion now")
    assert j.interactions == 3, f"{j.interactions} interactions"
    main = page.locator("main").inner_text()
    assert "Child protection enquiry" in page.locator("#suggested-outcome").inner_text()
    assert "Required safety actions" in main and "paediatric" in main
