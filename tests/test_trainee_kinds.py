"""Trainee mode teaches every kind of scenario, collapses every-council rows, skips blanks, saves scores,
and refuses an exercise whose expectation the engine contradicts (real engine, real CLI)."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

from tests.test_training_run import WRONG

ROOT = Path(__file__).resolve().parents[1]
CLI = str(ROOT / ".venv" / "bin" / "thresholds")

KINDS = """@domestic_abuse
Feature: Kinds of question
  @comparison
  Scenario: Regular absence from school
    Given a child aged 12 years
    And the child is regularly absent from school
    When the referral is evaluated under each of Kent and Hampshire
    Then under Hampshire the suggested level is Children's Social Care
    And the referral lands higher in Hampshire than in Kent

  @safety_override
  Scenario: Missing right now and in immediate danger
    Given a child aged 14 years
    And the child is in immediate danger
    When the referral is evaluated under every authority
    Then the canonical outcome is immediate_protection
    And the safety override "immediate-danger" applies

  @unknown_facts
  Scenario: What to ask about a bruised baby
    Given a baby aged 4 months
    And the baby has a bruise
    And Independently mobile is not known
    When the referral is evaluated under Kent
    Then the practitioner should be asked about Independently mobile
"""


def exercise(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, "exercise", *args], input=stdin, capture_output=True, text=True, timeout=300)


def test_every_kind_is_asked_and_marked(tmp_path: Path) -> None:
    feature = tmp_path / "kinds.feature"
    feature.write_text(KINDS + "\n" + WRONG.split("\n", 1)[1], encoding="utf-8")
    answers = tmp_path / "answers.json"
    # 1 Hampshire level, 2 comparison, 3 every council collapsed, 4 safety, 5 what to ask (skipped)
    answers.write_text(json.dumps({"1": "L4", "2": "Hampshire", "3": "immediate_protection", "4": "yes"}),
                       encoding="utf-8")
    scores = tmp_path / "scores.csv"
    run = exercise(str(feature), "--answers", str(answers), "--scores", str(scores), "--trainee", "A")
    out = run.stdout
    assert run.returncode == 2, out + run.stderr
    assert "refused: " in run.stderr and "Expecting too little for a bruised baby" in run.stderr
    assert "the engine contradicts this exercise" in run.stderr and "suggested L4" in run.stderr
    assert "Exercise 5 of 5" in out and "Exercise 6" not in out
    assert "Does this referral land higher in Hampshire County Council, higher in Kent County Council" in out
    assert "Authorities: every one of" in out  # the every-council rows are one question
    assert "Does a safety override apply here" in out
    assert "What would you ask next?" in out
    assert "Score: 4 of 5 correct (1 skipped)" in out
    assert "-> SKIPPED" in out and "The engine's explanation" not in out  # short feedback by default
    rows = list(csv.DictReader(scores.open(encoding="utf-8")))
    assert [r["kind"] for r in rows] == ["level", "comparison", "level", "safety", "ask"]
    assert [r["result"] for r in rows] == ["correct", "correct", "correct", "correct", "skipped"]


def test_what_to_ask_is_marked_on_meaning_and_details_shows_the_explanation(tmp_path: Path) -> None:
    feature = tmp_path / "kinds.feature"
    feature.write_text(KINDS, encoding="utf-8")
    run = exercise(str(feature), "--tag", "unknown_facts", "--details", "--scores", str(tmp_path / "s.json"),
                   stdin="can the baby crawl or is she independently mobile?\n")
    assert "Exercise 1 of 1" in run.stdout and "CORRECT" in run.stdout, run.stdout + run.stderr
    assert "The engine's explanation" in run.stdout
    saved = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert saved["correct"] == 1 and saved["answers"][0]["kind"] == "ask"
    wrong = exercise(str(feature), "--tag", "unknown_facts", stdin="is the family homeless?\n")
    assert "NOT QUITE" in wrong.stdout and "Score: 0 of 1 correct" in wrong.stdout


def test_limit_and_shuffle(tmp_path: Path) -> None:
    feature = tmp_path / "kinds.feature"
    feature.write_text(KINDS, encoding="utf-8")
    run = exercise(str(feature), "--limit", "2", "--shuffle", "--seed", "3")
    assert "2 exercises from" in run.stdout and "Exercise 2 of 2" in run.stdout and "Exercise 3" not in run.stdout
    bad = exercise(str(feature), "--limit", "0")
    assert bad.returncode == 1 and "--limit must be 1 or more" in bad.stderr
