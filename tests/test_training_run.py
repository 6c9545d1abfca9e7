"""Running feature files with pytest: a broken file is reported and the rest still run; reports."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from service.training.report import load_cucumber, to_html

ROOT = Path(__file__).resolve().parents[1]
CLI = str(ROOT / ".venv" / "bin" / "thresholds")
PYTEST = str(ROOT / ".venv" / "bin" / "pytest")

GOOD = """@bruising
Feature: Good <exercise> & co
  Scenario: A bruised baby in Kent
    Given a baby aged 4 months
    And the baby is not independently mobile
    And the baby has a bruise
    When the referral is evaluated under Kent
    Then the suggested level is "L4"
    And the explanation cites "kent-l4-non-mobile-bruise-or-injury"
"""
WRONG = """Feature: Wrong expectation
  Scenario: Expecting too little for a bruised baby
    Given a baby aged 4 months
    And the baby is not independently mobile
    And the baby has a bruise
    When the referral is evaluated under Kent
    Then the suggested level is "L2"
"""
BROKEN = """Feature: Broken
  Scenario: x
    Given a child aged 9 years
      | only | header |
      | one |
"""
UNDECLARED = """@nonsense_tag
Feature: Undeclared tag
  Scenario: y
    Given a child aged 9 years
    When the referral is evaluated under Kent
    Then the suggested level is "L1"
"""


def test_one_broken_file_does_not_stop_the_others_and_reports_render(tmp_path: Path) -> None:
    features = tmp_path / "features"
    features.mkdir()
    for name, text in {"a.feature": GOOD, "b.feature": WRONG, "c.feature": BROKEN, "d.feature": UNDECLARED}.items():
        (features / name).write_text(text, encoding="utf-8")
    results = tmp_path / "results.json"
    env = {**os.environ, "THRESHOLDS_FEATURES": str(features)}
    run = subprocess.run([PYTEST, "tests/bdd", "-p", "no:cacheprovider", f"--cucumberjson={results}"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    out = run.stdout
    assert run.returncode == 1, out  # tests failed, but collection was not interrupted (2)
    assert "1 passed" in out and "3 failed" in out
    assert "c.feature:5:7: inconsistent cell count within the table" in out
    assert "tag '@nonsense_tag' is not declared" in out
    assert "expected L2 Additional Support, but kent@i-statements suggested L4 Specialist Support" in out
    assert "scenarios by feature" in out and "ok   A bruised baby in Kent" in out

    runs = load_cucumber(results)
    statuses = {s.name: s.status for f in runs for s in f.scenarios}
    assert statuses == {"A bruised baby in Kent": "passed", "Expecting too little for a bruised baby": "failed"}
    page = tmp_path / "report.html"
    rep = subprocess.run([CLI, "features", "report", str(results), "--out", str(page)], capture_output=True,
                         text=True, timeout=120)
    assert rep.returncode == 1  # a scenario failed
    assert "2 scenarios: 1 passed, 1 failed" in rep.stdout
    html = page.read_text(encoding="utf-8")
    assert "Good &lt;exercise&gt; &amp; co" in html and "<exercise>" not in html
    assert "Expecting too little for a bruised baby" in html and "suggested L4" in html


def test_report_rejects_a_file_that_is_not_cucumber_json(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text(json.dumps({"not": "a list"}), encoding="utf-8")
    rep = subprocess.run([CLI, "features", "report", str(bad)], capture_output=True, text=True, timeout=120)
    assert rep.returncode == 1 and "must be a list of features" in rep.stderr and "Traceback" not in rep.stderr
    broken = tmp_path / "y.json"
    broken.write_text("[{", encoding="utf-8")
    rep = subprocess.run([CLI, "features", "report", str(broken)], capture_output=True, text=True, timeout=120)
    assert rep.returncode == 1 and "y.json:1:3: invalid JSON" in rep.stderr


def test_html_escapes_step_text() -> None:
    from service.training.report import parse_cucumber

    doc = [{"name": "F", "uri": "f.feature", "elements": [{"name": "<script>", "line": 1, "steps": [
        {"keyword": "Given", "name": "<b>x</b>", "line": 2, "result": {"status": "passed"}}]}]}]
    page = to_html(parse_cucumber(doc))
    assert "<script>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page
