"""Trainee mode, driven through its prompt (stdin) and through answers files."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = str(ROOT / ".venv" / "bin" / "thresholds")
FEATURE = str(ROOT / "features" / "young_carers.feature")
# young_carers.feature: 1 Kent L2, 2 Hampshire L2, 3 Kent L3, 4 Hampshire L2, 5 Kent L3, 6 Hampshire L2


def exercise(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, "exercise", *args], input=stdin, capture_output=True, text=True, timeout=300)


def test_prompt_marks_each_answer_and_explains_it() -> None:
    # a wrong answer, a label, an outcome, a non-level (asked again) then an id, a skip, and one correct
    run = exercise(FEATURE, stdin="L4\nEarly Help\nearly help multi agency\nLevel 9\nL2\n\nL2\n")
    out = run.stdout
    assert run.returncode == 2, run.stderr  # not all correct
    assert "Exercise 1 of 6: A young carer with some responsibilities at home" in out
    assert "Young carer: Young carer with some responsibilities" in out
    assert "Your answer: L4 (L4 Specialist Support) -> NOT QUITE" in out
    assert "Your answer: Early Help (L2 Early Help) -> CORRECT" in out
    assert "Your answer: early help multi agency" in out and "-> CORRECT" in out
    assert "'Level 9' is not a level of hampshire" in out  # asked again, not marked
    assert "-> NOT ANSWERED" in out
    assert "SUGGESTED LEVEL: L3 Intensive Support" in out  # the engine's explanation
    assert "source: Kent Support Levels Guidance, Intensive Support (Level 3)" in out  # and its citation
    assert "Score: 4 of 6 correct" in out


def test_questions_do_not_give_the_answer_away() -> None:
    out = exercise(FEATURE, stdin="").stdout
    first = out.split("Your level")[0]
    assert "Expected" not in first and "SUGGESTED LEVEL" not in first
    assert "(no more answers)" in out and "Score: 0 of 6 correct" in out


def test_answers_from_json_and_csv(tmp_path: Path) -> None:
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"1": "L2", "2": "L2", "3": "L3", "4": "L2", "5": "Intensive Support",
                                   "6": "early_help_single_agency"}), encoding="utf-8")
    run = exercise(FEATURE, "--answers", str(answers))
    assert run.returncode == 0 and "Score: 6 of 6 correct" in run.stdout
    csv = tmp_path / "a.csv"
    csv.write_text("exercise,answer\n1,L2\nCaring that affects the child's outcomes [kent],L2\n", encoding="utf-8")
    run = exercise(FEATURE, "--answers", str(csv))
    assert run.returncode == 2 and "Score: 1 of 6 correct" in run.stdout
    assert "Your answer: L2 (L2 Additional Support) -> NOT QUITE" in run.stdout
    assert "Expected: L3 Intensive Support" in run.stdout


def test_bad_answers_file_and_broken_feature_are_clear_errors(tmp_path: Path) -> None:
    bad = tmp_path / "a.json"
    bad.write_text('{"1": 3}', encoding="utf-8")
    run = exercise(FEATURE, "--answers", str(bad))
    assert run.returncode == 1 and "/1 must be a level written as text" in run.stderr
    broken = tmp_path / "x.feature"
    broken.write_text("Feature: x\n  Scenario: y\n    Given a child aged 9 years\n      | a |\n      | b | c |\n",
                      encoding="utf-8")
    run = exercise(str(broken))
    assert run.returncode == 1 and "x.feature:5:7: inconsistent cell count" in run.stderr
    assert "Traceback" not in run.stderr
