"""The training classroom in a real browser: a trainer starts a session from a bundled exercise, two
trainees join with its code in their own browsers and answer, the trainer sees the results (axe-checked)."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Server, check_page


def test_trainer_starts_a_session_trainees_join_answer_and_the_trainer_sees_results(
        page: Any, browser: Any, dev_server: Server, axe: Any) -> None:
    page.goto(dev_server.url("/training"))
    check_page(page, axe, "classroom-start")
    page.get_by_role("button", name="Start the session").click()  # nothing chosen
    assert "Upload a .feature file or choose" in page.locator(".govuk-error-summary").inner_text()
    check_page(page, axe, "classroom-start-error")
    page.select_option("#bundled", "fgm.feature")
    page.fill("#limit", "3")
    page.fill("#title", "FGM practice")
    page.get_by_role("button", name="Start the session").click()
    page.wait_for_selector("#join-code")
    code = page.locator("#join-code").inner_text().strip()
    assert len(code) == 6 and "Nobody has joined yet" in page.content()
    assert page.locator("#by-question tbody tr").count() == 3
    check_page(page, axe, "classroom-results-empty")

    trainees = []
    for name in ("Ana", "Ben"):
        ctx = browser.new_context()  # a trainee's own browser: no sign-in, just the code
        tp = ctx.new_page()
        tp.goto(dev_server.url("/join"))
        if name == "Ana":
            check_page(tp, axe, "classroom-join")
        tp.fill("#code", code.lower())
        tp.fill("#name", name)
        tp.get_by_role("button", name="Join").click()
        tp.wait_for_selector("#exercise")
        trainees.append((ctx, tp))
    ana, ben = trainees[0][1], trainees[1][1]
    assert "Exercise 1 of 3" in ana.locator("h1").inner_text()
    assert "The referral reports:" in ana.locator("#exercise").inner_text()
    check_page(ana, axe, "classroom-question")
    ana.fill("#answer", "L4")
    ana.get_by_role("button", name="Send my answer").click()
    assert ana.locator("#verdict").inner_text() == "Correct"
    assert "Expected:" in ana.locator("#feedback").inner_text()
    check_page(ana, axe, "classroom-feedback")
    ana.get_by_role("link", name="Next question").click()
    ana.get_by_role("button", name="Send my answer").click()  # blank: skipped, not wrong
    assert ana.locator("#verdict").inner_text() == "Skipped"
    ben.fill("#answer", "L1")
    ben.get_by_role("button", name="Send my answer").click()
    assert ben.locator("#verdict").inner_text() == "Not quite"

    page.reload()
    by_trainee = {r.locator("th").inner_text(): r.locator("td").all_inner_texts()
                  for r in page.locator("#by-trainee tbody tr").all()}
    assert by_trainee == {"Ana": ["1", "0", "1", "2 of 3"], "Ben": ["0", "1", "0", "1 of 3"]}
    first = page.locator("#by-question tbody tr").first.locator("td").all_inner_texts()
    assert first[1:] == ["1", "1", "0", "0"]
    check_page(page, axe, "classroom-results")
    with page.expect_download() as got:
        page.get_by_role("link", name="Download results (CSV)").click()
    text = open(got.value.path(), encoding="utf-8").read()
    assert text.splitlines()[0].startswith("trainee,number,kind,scenario") and text.count("\n") == 4
    for ctx, _ in trainees:
        ctx.close()


def test_trainees_code_vignettes_blind_and_the_trainer_sees_agreement(page: Any, browser: Any, dev_server: Server,
                                                                      axe: Any) -> None:
    import json
    from pathlib import Path

    examples = Path(__file__).resolve().parents[2] / "docs" / "examples" / "agreement"
    page.goto(dev_server.url("/training"))
    page.set_input_files("#vignettes_file", str(examples / "vignettes.yaml"))
    page.fill("#coding_title", "Coding check")
    page.get_by_role("button", name="Start the coding session").click()
    page.wait_for_selector("#join-code")
    code = page.locator("#join-code").inner_text().strip()
    assert "at least two trainees" in page.locator("#no-report").inner_text()
    check_page(page, axe, "coding-report-empty")
    for n, f in enumerate(sorted(examples.glob("trainee-*.json"))[:3]):
        doc = json.loads(f.read_text(encoding="utf-8"))
        ctx = browser.new_context()
        tp = ctx.new_page()
        tp.goto(dev_server.url("/join"))
        tp.fill("#code", code)
        tp.fill("#name", doc["trainee"])
        tp.get_by_role("button", name="Join").click()
        for facts in doc["codings"].values():
            tp.wait_for_selector("#narrative")
            assert "engine suggests" not in tp.locator("main").inner_text()
            if n == 0 and "1 of 3" in tp.locator(".govuk-caption-m").inner_text():
                check_page(tp, axe, "coding-vignette")
            for fid, value in facts.items():
                shown = "not_known" if value is None else ("yes" if value else "no") if isinstance(value, bool) \
                    else str(value)
                tp.locator(f"input[name={fid}][value={shown}]").check()
            tp.get_by_role("button", name="Send my coding").click()
        assert tp.locator("#coded").inner_text() == "Your codings are in"
        ctx.close()
    page.reload()
    assert page.locator("#coders").inner_text().startswith("Agreement of 3 trainees (A, B, C) on 3 vignettes")
    assert page.locator("#coding-stats .govuk-summary-list__row").count() == 3
    assert page.locator("#weakest tbody tr").count() >= 1
    check_page(page, axe, "coding-report")
