"""Families First routes on the pages, in a real browser with axe-core: the triage result page and the
compare page show the route and who leads, for a refreshed document (declared) and a legacy one (derived)."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Server, check_page

BRIGHTON = "Brighton & Hove City Council"


def _brighton_result(page: Any, server: Server, day: tuple[str, str, str] | None, danger: str) -> None:
    page.goto(server.url("/triage"))
    page.get_by_label(BRIGHTON).check()
    if day:
        for part, value in zip(("day", "month", "year"), day, strict=True):
            page.fill(f"#as_of-{part}", value)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_selector("h1:has-text('About the child')")
    page.fill("#age-years", "9")
    page.fill("#age-months", "0")
    page.locator(f"input[name=immediate_danger][value={danger}]").check()
    page.get_by_role("button", name="Get the suggestion now").click()
    page.wait_for_selector("h1:has-text('Suggestion')")


def test_the_result_page_shows_the_route_and_who_leads(page: Any, dev_server: Server, axe: Any) -> None:
    _brighton_result(page, dev_server, None, "yes")  # today: the 2024 Family Help document
    route = page.locator("#suggested-route")
    assert route.get_attribute("data-route") == "immediate_protection"
    assert route.get_attribute("data-basis") == "derived" and "raised the result" in route.inner_text()
    lead = page.locator("#route-lead").inner_text()
    assert lead.startswith("Police or the local authority") and "Source:" in lead
    check_page(page, axe, "route-result-immediate")

    _brighton_result(page, dev_server, ("1", "6", "2020"), "no")  # the 2018 framework was in force
    assert "version threshold-framework-2018" in page.locator(".govuk-caption-l").inner_text()
    route = page.locator("#suggested-route")
    assert route.get_attribute("data-route") == "universal" and route.get_attribute("data-basis") == "derived"
    text = route.inner_text()
    assert "Derived, not the document's words" in text and "could be up to" in text
    assert "Families First route so far" in page.locator("main").inner_text()  # incomplete: not final
    check_page(page, axe, "route-result-legacy")


def test_the_compare_page_puts_councils_on_the_route_scale(page: Any, dev_server: Server, axe: Any) -> None:
    page.goto(dev_server.url("/compare"))
    for name in (BRIGHTON, "Kent County Council"):
        page.get_by_label(name).check()
    page.fill("#child_age_months", "150")
    page.locator("input[name=school_absence][value=occasional]").check()
    page.get_by_role("button", name="Compare").click()
    page.wait_for_selector("#comparison")
    rows = {r.locator("th").inner_text().replace(" Differs", "").strip(): r.locator("td").all_inner_texts()
            for r in page.locator("#comparison tbody tr").all()}
    heads = page.locator("#comparison thead th").all_inner_texts()
    brighton = next(i for i, h in enumerate(heads) if "Brighton" in h)
    assert rows["Families First route"][brighton].startswith("Family Help")
    assert rows["Who leads"][brighton].startswith("Family Help Lead Practitioner")
    assert rows["Families First route"][1 - brighton].startswith("Universal")  # Kent: single-agency, derived
    check_page(page, axe, "route-compare")


def test_the_policy_diff_of_legacy_and_refreshed_brighton_reads_on_the_route_scale(page: Any, dev_server: Server,
                                                                                   axe: Any) -> None:
    page.goto(dev_server.url("/policy/diff?a=brighton-and-hove@threshold-framework-2018"
                             "&b=brighton-and-hove@family-help-2024"))
    heading = page.get_by_role("heading", name="On the Families First route scale")
    assert heading.count() == 1
    main = page.locator("main").inner_text()
    assert "declares its routes" in main and "has its routes derived" in main
    assert "L2 Family Help (declared)" in main and "take a different route" in main
    check_page(page, axe, "route-policy-diff")


def test_same_child_two_councils_puts_both_on_the_route_scale(page: Any, dev_server: Server, axe: Any) -> None:
    svc = dev_server.app.extensions["thresholds"]
    ev = svc.live.evaluator
    facts = {"child_age_months": 120, "school_absence": "occasional"}
    (rec,) = svc.record.write("local-dev", [(facts, ev.evaluate(ev.catalogue.select("kent"), facts))])
    page.goto(dev_server.url(f"/records/{rec.id}/beside"))
    page.select_option("#council", "brighton-and-hove")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_selector("#two-results")
    kent, brighton = page.locator("#two-routes td").all_inner_texts()
    assert kent.startswith("Universal services and community-based early help (derived)")
    assert brighton.startswith("Family Help") and "(declared by the document)" in brighton
    assert "Led by: Family Help Lead Practitioner" in brighton
    check_page(page, axe, "route-beside")
