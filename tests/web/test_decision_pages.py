"""The practitioner's decision in a real browser: recorded from the result page, a downgrade from child
protection approved by a different manager, the case-file summary printed by Chromium (page count),
and the practice figures page with its chart."""

from __future__ import annotations

import re
from typing import Any

from engine.load.catalogue import Catalogue
from service.store.keys import KeyStore
from tests.web.conftest import Server, check_page


def _sign_in(browser: Any, server: Server, key: str) -> Any:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    pg.goto(server.url("/sign-in"))
    pg.fill("#api_key", key)
    pg.get_by_role("button", name="Sign in").click()
    return pg


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_a_worker_records_a_downgrade_a_different_manager_approves_and_the_summary_prints_on_two_pages(
        page: Any, browser: Any, keys_server: Server, axe: Any) -> None:
    store: KeyStore = keys_server.app.extensions["thresholds"].keys
    worker = store.create("duty-worker-13", "triage")[1]
    manager = store.create("team-manager-13", "manager")[1]
    policy = store.create("qa-officer-13", "policy")[1]
    page.goto(keys_server.url("/sign-in"))
    page.fill("#api_key", worker)
    page.get_by_role("button", name="Sign in").click()
    # The triage journey: Kent, a 4-month-old not in immediate danger, a bruise on the safety checklist.
    page.goto(keys_server.url("/triage"))
    page.get_by_label("Kent County Council").check()
    page.get_by_role("button", name="Continue", exact=True).click()
    page.fill("#age-years", "0")
    page.fill("#age-months", "4")
    page.locator("input[name=immediate_danger][value=no]").check()
    page.get_by_role("button", name="Continue", exact=True).click()
    page.get_by_label("Bruise or injury").check()
    page.locator("main").get_by_role("button", name="Get the suggestion now").click()
    page.wait_for_selector("h1:has-text('Suggestion')")
    assert "Child protection enquiry" in page.locator("#suggested-outcome").inner_text()
    # The decision form is on the result page; a downgrade without a reason is refused, located.
    page.fill("#case_reference", "KENT/2026/000131")
    page.select_option("#outcome", "child_in_need")
    page.get_by_role("button", name="Record decision").click()
    assert "reason_code" in page.locator(".govuk-error-summary").inner_text()
    check_page(page, axe, "decision-error")
    page.select_option("#reason_code", "discretionary")
    page.fill("#rationale", "Seen by GP today; bruise explained")
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_selector("#decisions")
    assert "pending approval" in page.locator("#decisions").inner_text()
    check_page(page, axe, "decision-recorded")
    record_id = page.url.split("/records/")[1].split("/")[0]
    # The worker cannot approve; a manager can.
    page.goto(keys_server.url("/decisions/pending"))
    assert "needs the 'manager' role" in page.locator("main").inner_text()
    boss = _sign_in(browser, keys_server, manager)
    boss.goto(keys_server.url("/decisions/pending"))
    assert record_id in boss.locator("#pending").inner_text()
    check_page(boss, axe, "decisions-pending")
    boss.get_by_role("link", name=re.compile(record_id)).click()  # the manager reads the case file first
    assert "KENT/2026/000131" in boss.locator("body").inner_text()
    boss.go_back()
    boss.get_by_role("button", name=re.compile("^Approve")).first.click()
    boss.wait_for_selector("#none-pending")
    # The summary lists the answers and the approval and prints on at most two A4 pages.
    page.goto(keys_server.url(f"/records/{record_id}/decision"))
    text = page.locator("#decisions").inner_text()
    assert "approved" in text and "team-manager-13" in text and "duty-worker-13" in text
    page.get_by_role("link", name="Case-file summary to print").click()
    body = page.locator("body").inner_text()
    assert "4 months" in body and "KENT/2026/000131" in body and "team-manager-13" in body
    assert "bruise explained" not in body  # the rationale is not printed
    assert re.search(r"sha256 [0-9a-f]{64}", body)
    check_page(page, axe, "case-summary")
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert 1 <= _pages(pdf) <= 2
    # Policy: the practice figures show the downgrade and a chart.
    qa = _sign_in(browser, keys_server, policy)
    qa.goto(keys_server.url("/policy/practice"))
    assert qa.locator("#override-chart rect").count() >= 1
    assert "Child in need" in qa.locator("#downgrades").inner_text()
    check_page(qa, axe, "policy-practice")
    for p in (boss, qa):
        p.context.close()


def test_a_summary_with_every_question_answered_prints_on_at_most_two_pages(page: Any, dev_server: Server) -> None:
    """The worst case: every fact of the vocabulary answered under the largest ruleset."""
    vocab = Catalogue.load(None).vocabulary
    facts: dict[str, Any] = {}
    for f in vocab.facts:
        kind = type(f).__name__
        facts[f.id] = True if kind == "BooleanFact" else (f.values[-1].id if kind == "CategoryFact" else f.minimum)
    r = page.request.post(dev_server.url("/api/v1/evaluate"), data={"ruleset": "buckinghamshire", "facts": facts})
    assert r.status == 200, r.text()
    record_id = r.json()["record"]["id"]
    page.goto(dev_server.url(f"/records/{record_id}/summary"))
    assert page.locator("#answers li").count() == len(vocab.facts)
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert 1 <= _pages(pdf) <= 2, _pages(pdf)
    api = page.request.get(dev_server.url(f"/api/v1/records/{record_id}/summary?format=pdf"))
    assert api.status == 200 and api.headers["content-type"] == "application/pdf" and _pages(api.body()) <= 2
