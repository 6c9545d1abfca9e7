"""The presenting concern on the web journey: the CLI's order, ordering only, kept with the answers.

The web journey and ``thresholds triage`` both take their screens from engine.triage.screens
with the engine's ``presenting`` ranking. Here the same case is answered in both (the CLI in
process through its prompt, the web through the real app and its SQLite journey row) and the
questions must come in the same order: the named concern's first, then the checklists, then
the rest. Every later answer is "not known", so no answer reorders what follows and the
web's few-at-a-time screens and the CLI's one-at-a-time prompts must agree exactly.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Iterator

import pytest
from flask import Flask

from engine.load.catalogue import Catalogue
from service import create_app
from service.cli import main as cli_main
from service.web.form import NOT_KNOWN
from tests.service.journey_client import WebJourney, csrf, texts

QUESTION = re.compile(r"\nQuestion \d+(?: \[safety\])? \(\d+ that could still matter\): ([^\n]+)\n")
CHECKLIST = re.compile(r"\nQuestion \d+ \[safety checklist\]: [^\n]+\n((?:  \d+\. [^\n]+\n)+)")
ITEM = re.compile(r"  \d+\. [^:\n]+: ([^\n]+)")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The real app on the bundled rulesets, in local development mode (no sign-in), its own SQLite file."""
    return create_app({"AUTH": "off", "INSTANCE": str(tmp_path_factory.mktemp("presenting"))})


@pytest.fixture(scope="module")
def by_question() -> dict[str, str]:
    return {" ".join(f.question.split()): f.id for f in Catalogue.load().vocabulary.facts}


def cli_order(ruleset: str, opening: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
              by_question: dict[str, str]) -> list[str]:
    """The facts ``thresholds triage`` asks, in order, when every answer after ``opening`` is "?"."""
    lines: Iterator[str] = iter(opening)
    monkeypatch.setattr(builtins, "input", lambda prompt="": next(lines, "?"))
    capsys.readouterr()
    assert cli_main(["triage", "--ruleset", ruleset]) == 0
    text = capsys.readouterr().out
    asked: list[tuple[int, list[str]]] = []
    for m in QUESTION.finditer(text):
        asked.append((m.start(), [by_question[" ".join(m.group(1).split())]]))
    for m in CHECKLIST.finditer(text):
        asked.append((m.start(), ["checklist", *(by_question[" ".join(q.split())] for q in ITEM.findall(m.group(1)))]))
    return [f for _, facts in sorted(asked) for f in facts]


def web_order(app: Flask, ruleset: str, opening: dict[str, str]) -> tuple[list[str], WebJourney]:
    """The facts the web journey asks, in order, when every answer after the opening step is "not known"."""
    j = WebJourney(app.test_client(), ruleset)
    vocab = Catalogue.load(only=[ruleset]).vocabulary
    j.post(opening)
    for _ in range(200):
        if j.at_result:
            break
        screen = j.state(app)["screens"][-1]
        if screen["kind"] == "checklist":
            j.post({"checklist": "not_known"})
        else:
            j.post({f: "" if vocab.fact(f).type == "integer" else NOT_KNOWN for f in screen["facts"]})
    assert j.at_result, "the journey never reached the result"
    order: list[str] = []
    for screen in j.state(app)["screens"]:
        order += (["checklist"] if screen["kind"] == "checklist" else []) + screen["facts"]
    return order, j


@pytest.mark.parametrize(("ruleset", "years", "word", "concern"), [
    ("kent", "14", "missing", "missing_from_home"),
    ("buckinghamshire", "9", "neglect", "neglect"),
])
def test_the_web_journey_asks_in_the_clis_order_for_the_same_answers_and_presenting_concern(
        app: Flask, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, by_question: dict[str, str],
        ruleset: str, years: str, word: str, concern: str) -> None:
    from engine.evaluate.evaluator import compile_ruleset
    from engine.triage.questions import QuestionEngine

    loaded = Catalogue.load(only=[ruleset]).select(ruleset)
    assert QuestionEngine(compile_ruleset(loaded, with_durable=False)).concerns_matching(word) == [concern]
    cli = cli_order(ruleset, [str(int(years) * 12), "no", word], capsys, monkeypatch, by_question)
    web, _ = web_order(app, ruleset, {"age-years": years, "age-months": "0", "immediate_danger": "no",
                                      "concern": concern})
    assert web == cli
    # The named concern's questions come straight after the opening ones, before any checklist.
    after = web[2:]
    named = [f for f in after if f != "checklist" and loaded.vocabulary.fact(f).concern == concern]
    assert named and after[:len(named)] == named
    # Without a concern ("Not sure / several", or Enter at the CLI): the same agreement, another order.
    plain_cli = cli_order(ruleset, [str(int(years) * 12), "no", ""], capsys, monkeypatch, by_question)
    plain_web, _ = web_order(app, ruleset, {"age-years": years, "age-months": "0", "immediate_danger": "no",
                                            "concern": "not_sure"})
    assert plain_web == plain_cli != web
    assert sorted(plain_web) == sorted(web)  # naming a concern reorders, it never drops or adds a question


def _suggestion(j: WebJourney) -> dict[str, str]:
    j.follow(f"/triage/{j.id}/result")
    shown = texts(j.html)
    keep = ("headline", "suggested-level", "suggested-outcome", "decided-by", "completeness", "matched-indicators",
            "actions-heading", "open-questions", "ask-first")
    return {k: shown[k] for k in keep if k in shown}


def test_the_same_answers_give_the_same_suggestion_with_or_without_a_presenting_concern(app: Flask) -> None:
    """The concern orders the questions only: it is never a fact and never changes the result."""
    facts = {"missing_from_home": "frequent", "missing_unexplained": "yes"}
    named = WebJourney(app.test_client())
    named.post({"age-years": "14", "age-months": "0", "immediate_danger": "no", "concern": "missing_from_home"})
    screen = named.state(app)["screens"][-1]
    assert screen["kind"] == "questions" and set(facts) <= set(screen["facts"])
    named.post(facts, action="now")
    plain = WebJourney(app.test_client())
    plain.post({"age-years": "14", "age-months": "0", "immediate_danger": "no"}, action="now")
    for fid, value in facts.items():  # the same answers, given one at a time from "Check your answers"
        plain.post({fid: value}, action="now", path=f"/triage/{plain.id}/question/{fid}")
    assert named.state(app)["facts"] == plain.state(app)["facts"] == {
        "child_age_months": 168, "immediate_danger": False, "missing_from_home": "frequent",
        "missing_unexplained": True}
    a, b = _suggestion(named), _suggestion(plain)
    assert a["suggested-outcome"] and a["headline"]
    assert a == b
    assert "concern" not in named.state(app)["facts"] and named.state(app)["concern"] == "missing_from_home"


def test_the_concern_is_kept_shown_and_changed_from_check_your_answers(app: Flask) -> None:
    j = WebJourney(app.test_client())
    step1 = j.url
    assert 'id="concern"' in j.html and "<option value=\"\" selected>Not answered</option>" in j.html
    j.post({"age-years": "14", "age-months": "0", "immediate_danger": "no", "concern": "missing_from_home"})
    assert j.state(app)["screens"][-1]["facts"][0] == "missing_from_home"
    # Back to the opening step: the concern is shown as chosen.
    j.follow(step1)
    assert '<option value="missing_from_home" selected>' in j.html
    # Check your answers: the concern with a Change link; changing it reorders what is asked next.
    j.follow(f"/triage/{j.id}/result")
    assert texts(j.html)["answer-concern"].startswith("Main concern (asked first) Going missing")
    assert f'href="/triage/{j.id}/concern"' in j.html
    j.post({"concern": "self_harm"}, action="now", path=f"/triage/{j.id}/concern")
    assert j.at_result and "Self-harm" in texts(j.html)["answer-concern"]
    j.follow(f"/triage/{j.id}/next")
    assert j.state(app)["screens"][-1]["facts"][0] == "self_harm"
    # A concern this council's document does not ask about is a located error, not a silent default.
    token = csrf(j.client.get(f"/triage/{j.id}/concern").get_data(as_text=True))
    r = j.client.post(f"/triage/{j.id}/concern", data={"csrf_token": token, "concern": "no_such_concern"})
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert "Choose the main concern from the list" in page and 'href="#concern"' in page
    assert j.state(app)["concern"] == "self_harm"

