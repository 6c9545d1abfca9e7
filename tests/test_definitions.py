"""The definitions manual: every fact and value defined with examples and a source; lint fails otherwise."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from engine.load.catalogue import VOCABULARY_FILE, bundled_root
from engine.load.definitions import DEFINITIONS_FILE, check, load_definitions
from engine.load.loader import load_vocabulary
from engine.triage.questions import NextQuestion
from service.cli.triage import show_question
from service.training.manual import to_html, to_markdown

ROOT = Path(__file__).resolve().parents[1]
CLI = str(ROOT / ".venv" / "bin" / "thresholds")


def test_the_bundled_manual_defines_every_fact_and_value_and_docs_are_current() -> None:
    vocab = load_vocabulary(bundled_root() / VOCABULARY_FILE)
    manual, located = load_definitions(bundled_root() / DEFINITIONS_FILE)
    assert check(manual, located, vocab) == []
    mobile = manual.facts["independently_mobile"]
    assert mobile.source.basis == "published" and mobile.source.url and "crawling" in mobile.definition
    assert all(e.source.basis in ("published", "vocabulary-wording") for e in manual.facts.values())
    assert (ROOT / "docs" / "definitions.md").read_text(encoding="utf-8") == to_markdown(manual, vocab), \
        "docs/definitions.md is stale: thresholds definitions --markdown > docs/definitions.md"
    page = to_html(manual, vocab)
    assert '<h3 id="self_harm">' in page and "<script" not in page


def test_lint_fails_a_fact_or_value_without_a_definition(tmp_path: Path) -> None:
    root = tmp_path / "rulesets"
    shutil.copytree(bundled_root() / "national", root / "national")
    shutil.copytree(bundled_root() / "england" / "kent", root / "england" / "kent")
    path = root / DEFINITIONS_FILE
    text = path.read_text(encoding="utf-8")
    start = text.index("\n  frightened_to_return_home:\n")
    nxt = min(i for i in (text.find("\n  " + c, start + 5) for c in "abcdefghijklmnopqrstuvwxyz") if i > 0)
    text = text[:start] + text[nxt:]
    text = text.replace("      significant:\n", "      significantly:\n", 1)
    path.write_text(text, encoding="utf-8")
    run = subprocess.run([CLI, "lint", str(path)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 1, run.stdout
    assert "fact 'frightened_to_return_home' (Frightened to return home) has no definition" in run.stdout
    assert "has no value 'significantly'" in run.stdout and "definitions.yaml:" in run.stdout
    both = subprocess.run([CLI, "--rulesets", str(root), "definitions", "--check"], capture_output=True, text=True,
                          timeout=300)
    assert both.returncode == 1 and "frightened_to_return_home" in both.stderr and "Traceback" not in both.stderr
    path.write_text(text.replace("    does_not_count:", "    not_counting:", 1), encoding="utf-8")
    shape = subprocess.run([CLI, "lint", str(path)], capture_output=True, text=True, timeout=300)
    assert shape.returncode == 1 and "does_not_count: Field required" in shape.stdout


def test_triage_shows_the_definition_beside_each_question(capsys: pytest.CaptureFixture[str]) -> None:
    run = subprocess.run([CLI, "triage", "--ruleset", "kent"], input="8\nstop\n", capture_output=True, text=True,
                         timeout=300)
    first = run.stdout[run.stdout.index("Question 1"):run.stdout.index("Why asked")]
    assert "Counts: A known months value from 0 to 215" in first, run.stdout + run.stderr
    assert "Does not count: An estimate the referral does not give" in first
    # a published definition that says more than the question is shown too
    manual, _ = load_definitions(bundled_root() / DEFINITIONS_FILE)
    question = NextQuestion.model_construct(fact="independently_mobile", question="Is the child independently mobile?",
                                            hint=None, safety=True, why="", answers=[], kind="boolean")
    show_question(question, 1, 1, manual.facts["independently_mobile"])
    shown = capsys.readouterr().out
    assert "Definition: Whether the child can move about on their own" in shown
    assert "Does not count: (independently mobile: no)" in shown
