"""Trainee mode, driven through its prompt (stdin) and through answers files."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLI = str(ROOT / ".venv" / "bin" / "thresholds")
# A fixed copy of an exercise, so that authorities added to features/ do not change the questions:
# 1 Kent L2, 2 Hampshire L2, 3 Kent L3, 4 Hampshire L2, 5 Kent L3, 6 Hampshire L2.
EXERCISE = """@young_carers
Feature: Young carers
  Kent places "a young carer with some responsibilities" at Level 2 and a young carer whose caring
  duties are affecting their outcomes at Level 3. Hampshire's chart places "young carers" at
  Level 2.

  Scenario Outline: A young carer with some responsibilities at home
    Given a child aged 11 years
    And the child is a young carer with some responsibilities at home
    When the referral is evaluated under <authority>
    Then the suggested level is <level>
    And the canonical outcome is early_help_single_agency
    And the explanation cites "<indicator>"

    Examples:
      | authority | level | indicator               |
      | Kent      | L2    | kent-l2-young-carer     |
      | Hampshire | L2    | hampshire-l2-young-carer |

  @comparison
  Scenario Outline: Caring that affects the child's outcomes
    Given a child aged 13 years
    And the child is a young carer whose caring affects their outcomes
    When the referral is evaluated under <authority>
    Then the suggested level is <level>
    And the explanation cites "<indicator>"

    Examples:
      | authority | level | indicator                             |
      | Kent      | L3    | kent-l3-young-carer-affecting-outcomes |
      | Hampshire | L2    | hampshire-l2-young-carer               |

  @comparison
  Scenario: The main carer for a parent lands higher in Kent than in Hampshire
    Given a young person aged 15 years
    And the young person is the main carer for a family member
    When the referral is evaluated under each of Kent and Hampshire
    Then under Kent the suggested level is "L3"
    And under Hampshire the suggested level is "L2"
    And the referral lands higher in Kent than in Hampshire
    And the explanation cites "young carer"
"""


@pytest.fixture
def feature(tmp_path: Path) -> str:
    path = tmp_path / "young_carers.feature"
    path.write_text(EXERCISE, encoding="utf-8")
    return str(path)


def exercise(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, "exercise", *args], input=stdin, capture_output=True, text=True, timeout=300)


def test_prompt_marks_each_answer_and_explains_it(feature: str) -> None:
    # a wrong answer, a label, an outcome, a non-level (asked again) then an id, a skip, and one correct
    run = exercise(feature, "--details", stdin="L4\nEarly Help\nearly help multi agency\nLevel 9\nL2\n\nL2\n")
    out = run.stdout
    assert run.returncode == 2, run.stderr  # not all correct
    assert "Exercise 1 of 7: A young carer with some responsibilities at home" in out
    assert "Young carer: Young carer with some responsibilities" in out
    assert "Your answer: L4 (L4 Specialist Support) -> NOT QUITE" in out
    assert "Your answer: Early Help (L2 Early Help) -> CORRECT" in out
    assert "Your answer: early help multi agency" in out and "-> CORRECT" in out
    assert "'Level 9' is not a level of hampshire" in out  # asked again, not marked
    assert "-> SKIPPED" in out
    assert "Level so far (not final): L3 Intensive Support" in out or "SUGGESTED LEVEL: L3 Intensive Support" in out
    assert "source: Kent Support Levels Guidance, Intensive Support (Level 3)" in out  # and its citation
    assert "Score: 4 of 7 correct (2 skipped)" in out


def test_questions_do_not_give_the_answer_away(feature: str) -> None:
    out = exercise(feature, stdin="").stdout
    first = out.split("Your level")[0]
    assert "Expected" not in first and "SUGGESTED LEVEL" not in first
    assert "(no more answers)" in out and "Score: 0 of 7 correct (7 skipped)" in out


def test_answers_from_json_and_csv(feature: str, tmp_path: Path) -> None:
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"1": "L2", "2": "L2", "3": "L3", "4": "L2", "5": "Intensive Support",
                                   "6": "early_help_single_agency", "7": "Kent"}), encoding="utf-8")
    run = exercise(feature, "--answers", str(answers))
    assert run.returncode == 0 and "Score: 7 of 7 correct" in run.stdout
    csv = tmp_path / "a.csv"
    csv.write_text("exercise,answer\n1,L2\nCaring that affects the child's outcomes [kent],L2\n", encoding="utf-8")
    run = exercise(feature, "--answers", str(csv))
    assert run.returncode == 2 and "Score: 1 of 7 correct" in run.stdout
    assert "Your answer: L2 (L2 Additional Support) -> NOT QUITE" in run.stdout
    assert "Expected: L3 Intensive Support" in run.stdout


def test_bad_answers_file_and_broken_feature_are_clear_errors(feature: str, tmp_path: Path) -> None:
    bad = tmp_path / "a.json"
    bad.write_text('{"1": 3}', encoding="utf-8")
    run = exercise(feature, "--answers", str(bad))
    assert run.returncode == 1 and "/1 must be a level written as text" in run.stderr
    broken = tmp_path / "x.feature"
    broken.write_text("Feature: x\n  Scenario: y\n    Given a child aged 9 years\n      | a |\n      | b | c |\n",
                      encoding="utf-8")
    run = exercise(str(broken))
    assert run.returncode == 1 and "x.feature:5:7: inconsistent cell count" in run.stderr
    assert "Traceback" not in run.stderr
