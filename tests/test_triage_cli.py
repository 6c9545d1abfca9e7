"""``thresholds triage`` driven through its prompt: a real terminal (pexpect) and piped stdin.

The terminal test answers each question by reading it, as a worker would: the answers come
from the facts of the case, looked up by the question's wording, and anything else is
answered "not known".
"""

from __future__ import annotations

import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pexpect
import pytest

from engine.load.catalogue import Catalogue

THRESHOLDS = str(Path(sys.executable).parent / "thresholds")
MINI = str(Path(__file__).parent / "fixtures" / "mini")
QUESTION = re.compile(r"Question (\d+)[^\r\n]*?\): ([^\r\n]+)\r?\n")
CHECKLIST = re.compile(r"Question (\d+) \[safety checklist\]: ([^\r\n]+)\r?\n((?:  \d+\. [^\r\n]+\r?\n)+)")
ITEM = re.compile(r"  (\d+)\. [^:\r\n]+: ([^\r\n]+)")
BABY = {"child_age_months": "3", "immediate_danger": "no", "bruise_or_injury": "yes", "independently_mobile": "no"}


@cache
def by_question() -> dict[str, str]:
    return {f.question.strip(): f.id for f in Catalogue.load().vocabulary.facts}


def run(args: list[str], stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([THRESHOLDS, *args], input=stdin, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("rid", [r.id for r in Catalogue.load().current()])
def test_non_mobile_baby_with_a_bruise_reaches_an_explained_suggestion_in_two_questions_after_age(rid: str) -> None:
    """Age, immediate danger, then the safety checklist (the bruise ticked) or single questions."""
    child = pexpect.spawn(THRESHOLDS, ["triage", "--ruleset", rid], encoding="utf-8", timeout=60,
                          dimensions=(60, 250))
    asked: list[str] = []
    try:
        while True:
            if child.expect([CHECKLIST, QUESTION]) == 0:
                items = {by_question()[q.strip()]: n for n, q in ITEM.findall(child.match.group(3))}
                asked.append("checklist:" + ",".join(items))
                ticks = [n for f, n in items.items() if BABY.get(f) == "yes"]
                child.expect("> ")
                child.sendline(" ".join(ticks) or "?")
                fact = "checklist"
            else:
                fact = by_question()[child.match.group(2).strip()]
                asked.append(fact)
                child.expect("> ")
                child.sendline(BABY.get(fact, "?"))
            child.expect(r"So far: ([^\r\n]+)\r?\n")
            child.expect(r"What decided it: ([^\r\n]+)\r?\n")
            if "Child protection" in child.match.group(1):  # raised by a rule or an indicator
                break
            if fact == "immediate_danger":  # then the presenting concern, before the other safety questions
                child.expect("What is the main concern in this referral")
                child.expect("> ")
                child.sendline("bruise")
            assert len(asked) < 4, f"no child-protection suggestion after {asked}"
        assert asked[:2] == ["child_age_months", "immediate_danger"]
        assert len(asked) - 1 <= 2, f"took {asked}"
        child.expect("> ")
        child.sendline("stop")
        child.expect("Explained suggestion after")
        child.expect(r"REQUIRED NOW[\s\S]*urgent\s+paediatric")
        child.expect("SUGGESTED LEVEL|Level so far|Level on .* scale \\(not derived")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in (child.before or "")


def test_not_known_is_not_asked_again_and_bad_answers_are_asked_again() -> None:
    out = run(["triage", "--ruleset", "kent"], "?\nperhaps\nno\n\nstop\n")  # Enter skips the concern
    assert out.returncode == 0, out.stderr
    text = out.stdout
    questions = QUESTION.findall(text)
    facts = [by_question()[q.strip()] for _, q in questions]
    assert facts[:2] == ["child_age_months", "immediate_danger"]
    assert facts.count("child_age_months") == 1, "a 'not known' answer was asked again"
    assert "Not understood: answer yes or no" in text
    assert "Explained suggestion after 3 question(s)" in text
    assert "INCOMPLETE" in text


def test_a_session_ends_complete_when_nothing_left_can_change_the_result() -> None:
    # The constructed fixture: answer every question with the least concerning answer.
    out = run(["--rulesets", MINI, "triage", "--ruleset", "demo"], "no\n\nno\n1\n1\nno\nno\n")
    assert out.returncode == 0, out.stderr
    assert "No unanswered question could change this suggestion" in out.stdout
    assert "Completeness: complete" in out.stdout
    assert "SUGGESTED LEVEL: L1 Universal" in out.stdout
    asked = len(QUESTION.findall(out.stdout))
    assert asked <= 6, "more questions than facts in the form"


def test_end_of_input_stops_with_the_explanation_and_starting_facts_are_used(tmp_path: Path) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text('{"facts": {"child_age_months": 2, "immediate_danger": false, "bruise_or_injury": true}}')
    out = run(["triage", "--ruleset", "kent", "--facts", str(facts)], "")
    assert out.returncode == 0, out.stderr
    assert "main concern in this referral" in out.stdout  # end of input at the concern prompt stops too
    assert "Explained suggestion after 0 question(s)" in out.stdout
    assert "Canonical outcome: Child protection" in out.stdout


def test_a_missing_14_year_old_is_asked_about_going_missing_right_after_age_and_immediate_danger() -> None:
    out = run(["triage", "--ruleset", "kent"], "168\nno\nmissing\nstop\n")
    assert out.returncode == 0, out.stderr
    facts = [by_question()[q.strip()] for _, q in QUESTION.findall(out.stdout)]
    assert facts == ["child_age_months", "immediate_danger", "missing_from_home"]
    assert "Every safety question is still asked before the result is called complete" in out.stdout
    assert "INCOMPLETE" in out.stdout  # stopping early is never called complete


def test_naming_a_concern_reorders_but_never_shortens_the_questions() -> None:
    from engine.evaluate.evaluator import compile_ruleset
    from engine.triage.questions import QuestionEngine

    loaded = Catalogue.load().select("kent")
    qe = QuestionEngine(compile_ruleset(loaded, with_durable=False))
    norm = loaded.vocabulary.normalise({"child_age_months": 168, "immediate_danger": False})
    plain = qe.order_of_questions(norm)
    concern = qe.concerns_matching("missing")
    first = qe.order_of_questions(norm, presenting=concern)
    assert sorted(first) == sorted(plain) and first != plain
    assert loaded.vocabulary.fact(first[0]).concern in concern
    assert qe.next_questions(norm, presenting=concern).complete is False


def test_bad_input_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    out = run(["triage", "--ruleset", "kentt"], "")
    assert out.returncode == 1 and "unknown ruleset 'kentt'" in out.stderr and "did you mean 'kent'" in out.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"facts": {"child_age_months": "four"}}')
    out = run(["triage", "--ruleset", "kent", "--facts", str(bad)], "")
    assert out.returncode == 1 and "/facts/child_age_months" in out.stderr
    assert "Traceback" not in out.stderr + out.stdout


def _checklist(text: str, number: int) -> dict[str, str]:
    m = next(m for m in CHECKLIST.finditer(text) if m.group(1) == str(number))
    return {by_question()[q.strip()]: n for n, q in ITEM.findall(m.group(3))}


def test_safety_checklist_none_of_these_settles_every_item_in_one_answer() -> None:
    out = run(["triage", "--ruleset", "kent"], "4\nno\n\nnone\nnone\n?\n?\nstop\n")
    assert out.returncode == 0, out.stderr
    assert "Question 3 [safety checklist]: Do any of these apply?" in out.stdout
    # More than 12 items: a second screen of the rest (none of them shown before).
    items, rest = _checklist(out.stdout, 3), _checklist(out.stdout, 4)
    assert "bruise_or_injury" in items and len(items) <= 12 and rest and not set(rest) & set(items)
    assert "Question 4 [safety checklist]: Do any of these apply?" in out.stdout
    items |= rest
    later = [by_question()[q.strip()] for n, q in QUESTION.findall(out.stdout) if int(n) > 4]
    assert later and not set(later) & set(items), "an item settled by 'none' was asked again"


def test_ticked_items_are_yes_and_the_others_are_asked_again_not_read_as_no() -> None:
    out = run(["triage", "--ruleset", "kent"], "4\nno\n\n1\nnone\nstop\n")
    assert out.returncode == 0, out.stderr
    first, again = _checklist(out.stdout, 3), _checklist(out.stdout, 4)
    ticked = next(f for f, n in first.items() if n == "1")
    assert "Question 4 [safety checklist]: Do any of the others apply?" in out.stdout
    assert ticked not in again and set(again) & (set(first) - {ticked}), "unticked items were read as 'no'"
    assert "Child protection" in out.stdout
