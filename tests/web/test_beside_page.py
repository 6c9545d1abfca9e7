"""Same child, two councils, in a real browser: a recorded Kent referral beside Essex's result."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Server, check_page


def test_a_recorded_referral_beside_another_council(page: Any, dev_server: Server, axe: Any) -> None:
    svc = dev_server.app.extensions["thresholds"]
    ev = svc.live.evaluator
    facts = {"child_age_months": 150, "missing_from_home": "regular", "young_carer": "affecting_outcomes"}
    (rec,) = svc.record.write("local-dev", [(facts, ev.evaluate(ev.catalogue.select("kent"), facts))])
    page.goto(dev_server.url(f"/records/{rec.id}/beside"))
    check_page(page, axe, "beside-form")
    assert "Kent County Council" not in page.locator("#council").inner_text()  # B is another council
    page.get_by_role("button", name="Compare").click()
    assert "Choose another council" in page.locator(".govuk-error-summary").inner_text()
    page.select_option("#council", "essex")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_selector("#two-results")
    heads = page.locator("#two-results thead th").all_inner_texts()
    assert heads[0].startswith("Kent County Council") and heads[1].startswith("Essex")
    outcome = page.locator("#two-results tbody tr", has_text="National outcome")
    assert "Differs" in outcome.locator("th").inner_text()
    assert "It is not a suggestion to record different facts" in page.locator("#two-finding").inner_text()
    kent_only = page.locator("#only-a li").all_inner_texts()
    assert any("decides this council's outcome" in t and "Source:" in t for t in kent_only), kent_only
    assert page.locator("#only-a li a").first.get_attribute("href").startswith("https://")
    assert page.locator("#agreement-finding").inner_text().startswith("Changing 1 fact would make the two councils")
    assert page.locator("#agreement-list li").count() >= 1
    check_page(page, axe, "beside-result")
    b_record = page.locator("code.app-source").last.inner_text()
    assert svc.record.get(b_record).suggestion.ruleset.id == "essex"  # B's evaluation is recorded


def test_from_a_triage_result_to_another_council_that_agrees(page: Any, dev_server: Server) -> None:
    from tests.web.test_triage import _baby_to_result, _start

    j = _start(page, dev_server, None, "beside-baby")
    _baby_to_result(j)  # Kent: a 4-month-old with a bruise, a national safety rule
    page.locator("#beside-link").click()
    page.select_option("#council", "hampshire")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_selector("#two-results")
    assert page.locator("#two-finding").inner_text().startswith("Both councils suggest the same national outcome")
    assert "Differs" not in page.locator("#two-results").inner_text()
    assert page.locator("#agreement").count() == 0  # nothing to search when they agree
