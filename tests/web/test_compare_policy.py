"""Compare, policy and sign-in pages in a real browser, each checked with axe-core."""

from __future__ import annotations

from typing import Any

from service.store.keys import KeyStore
from tests.web.conftest import Server, check_page


def test_compare_shows_councils_side_by_side_and_marks_exactly_the_rows_that_differ(page: Any, dev_server: Server,
                                                                                   axe: Any) -> None:
    page.goto(dev_server.url("/compare"))
    check_page(page, axe, "compare-form")
    page.get_by_role("button", name="Compare").click()  # nothing chosen
    assert "at least two councils" in page.locator(".govuk-error-summary").inner_text()
    check_page(page, axe, "compare-form-error")
    for name in ("Kent County Council", "Hampshire County Council", "Essex County Council"):
        page.get_by_label(name).check()
    page.fill("#child_age_months", "150")
    page.locator("input[name=missing_from_home][value=regular]").check()
    page.get_by_role("button", name="Compare").click()
    page.wait_for_selector("#comparison")
    check_page(page, axe, "compare-result")
    heads = page.locator("#comparison thead th").all_inner_texts()
    assert len(heads) == 3 and any("Kent" in h for h in heads)
    marked = 0
    for row in page.locator("#comparison tbody tr").all():
        label = row.locator("th").inner_text()
        if not label.startswith("National outcome"):
            continue
        cells = row.locator("td").all_inner_texts()
        differs = "Differs" in label
        assert differs == (len(set(cells)) > 1), (label, cells)
        marked += 1
    assert marked == 1


def test_policy_pages_ruleset_document_diff_and_variation(page: Any, dev_server: Server, axe: Any) -> None:
    page.goto(dev_server.url("/policy"))
    check_page(page, axe, "policy-index")
    kent = page.locator("tr", has=page.locator("a[href^='/policy/rulesets/kent/']")).first.inner_text()
    assert "i-statements" in kent and "61 indicators" in kent and "In force" in kent
    assert page.locator(".app-in-force").count() == len(page.locator("main tbody tr").all())
    page.locator("a[href^='/policy/rulesets/kent/']").first.click()
    assert "Kent" in page.locator("h1").inner_text()
    assert page.locator("main table").count() > 0
    assert "source items encoded" in page.locator("#source-summary").inner_text()
    page.get_by_text("Every source item and its status").click()
    statuses = page.locator("#source-accounting tbody td:nth-child(3)").all_inner_texts()
    assert statuses and all(s.startswith(("Encoded: kent-", "Not encoded (")) for s in statuses)
    assert any(s.startswith("Not encoded (") for s in statuses)  # Kent's Level 1 descriptors, at least
    check_page(page, axe, "policy-ruleset")
    page.goto(dev_server.url("/policy/diff"))
    page.get_by_role("button", name="Compare").click()
    assert "Select the first ruleset" in page.locator(".govuk-error-summary").inner_text()
    check_page(page, axe, "policy-diff-error")
    page.select_option("#a", index=1)
    kent = [o for o in page.locator("#b option").all() if (o.get_attribute("value") or "").startswith("kent@")][0]
    page.select_option("#b", kent.get_attribute("value"))
    page.select_option("#a", [o.get_attribute("value") for o in page.locator("#a option").all()
                              if (o.get_attribute("value") or "").startswith("hampshire@")][0])
    page.get_by_role("button", name="Compare").click()
    assert "Hampshire" in page.locator("h1").inner_text() and "Kent" in page.locator("h1").inner_text()
    check_page(page, axe, "policy-diff")
    page.goto(dev_server.url("/policy/variation"))
    rows = page.locator("#agreement tbody tr")
    assert rows.count() >= 2
    assert rows.first.locator("td").first.inner_text() == "100"  # a council agrees with itself
    check_page(page, axe, "policy-variation")


def test_sign_in_with_api_key_roles_and_revocation(page: Any, keys_server: Server, axe: Any) -> None:
    store: KeyStore = keys_server.app.extensions["thresholds"].keys
    _, triage_key = store.create("duty-worker", "triage")
    page.goto(keys_server.url("/triage"))
    assert "/sign-in" in page.url
    check_page(page, axe, "sign-in")
    page.fill("#api_key", "thr_wrong")
    page.get_by_role("button", name="Sign in").click()
    assert "not recognised" in page.locator(".govuk-error-summary").inner_text()
    check_page(page, axe, "sign-in-error")
    page.fill("#api_key", triage_key)
    page.get_by_role("button", name="Sign in").click()
    assert page.url.endswith("/triage")
    assert "Sign out duty-worker" in page.locator("header").inner_text()
    page.goto(keys_server.url("/policy"))
    assert "needs the 'policy' role" in page.locator("main").inner_text()
    check_page(page, axe, "forbidden")
    key_id = next(k["id"] for k in store.list() if k["caller"] == "duty-worker")
    store.revoke(key_id)
    page.goto(keys_server.url("/triage"))
    assert "/sign-in" in page.url  # a revoked key signs its pages out at once


def test_a_form_posted_without_the_csrf_token_is_refused(page: Any, dev_server: Server) -> None:
    page.goto(dev_server.url("/triage"))
    page.get_by_label("Kent County Council").check()
    page.evaluate("document.querySelector('input[name=csrf_token]').value = 'forged'")
    page.get_by_role("button", name="Continue").click()
    assert "did not come from this service" in page.locator("main").inner_text()


def test_policy_diff_summary_rows_link_to_their_sections_and_examples_fold(page: Any, dev_server: Server) -> None:
    page.goto(dev_server.url("/policy/diff?a=kent&b=hampshire"))
    assert "Kent" in page.locator("h1").inner_text()
    assert page.locator("nav[aria-label=Contents] a[href='#different-outcomes']").count() == 1
    rows = page.locator("main th[scope=row] a[href^='#concern-']")
    assert rows.count() >= 10
    for anchor in rows.evaluate_all("els => els.map(e => e.getAttribute('href'))"):
        assert page.locator(anchor).count() == 1, anchor
    target = rows.nth(3).get_attribute("href") or ""
    rows.nth(3).click()
    assert page.evaluate("location.hash") == target
    details = page.locator(f"{target} ~ details").first
    assert details.get_attribute("open") is None  # folded until asked for
    details.locator("summary").click()
    assert details.get_attribute("open") is not None
    assert "an example referral: " in details.inner_text()
    assert "made for" not in page.locator("main").inner_text()
