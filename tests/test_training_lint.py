"""`thresholds features lint`: per-file problems with line numbers; one broken file never stops the rest."""

from __future__ import annotations

import subprocess
from pathlib import Path

from service.training.lint import lint_paths

ROOT = Path(__file__).resolve().parents[1]
CLI = str(ROOT / ".venv" / "bin" / "thresholds")

GOOD = """@early_help
Feature: Good
  Scenario: Occasional absence in Kent
    Given a child aged 9 years
    And the child is occasionally absent from school
    When the referral is evaluated under Kent
    Then the suggested level is "L2"
    And the explanation cites "kent-l2-occasional-absence"
"""
BAD_TABLE = """Feature: Broken table
  Scenario: x
    Given the referral reports:
      | fact | value |
      | bullying |
    When the referral is evaluated under Kent
    Then the suggested level is "L1"
"""
BAD_STEPS = """@early_help @not_a_tag
Feature: Typos
  Scenario: Several mistakes
    Given a babby aged 4 months
    And Going missing is reguler
    When the referral is evaluated under Kentt
    Then the suggested level is "L2"
"""
BAD_LEVEL = """Feature: Bad level
  Scenario: No such level
    Given a child aged 9 years
    When the referral is evaluated under Kent
    Then the suggested level is "Level 9"
    And the explanation cites "x"
"""


def write(tmp: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp / name).write_text(text, encoding="utf-8")
    return tmp


def test_bundled_features_are_clean_with_no_warnings() -> None:
    reports = lint_paths([ROOT / "features"])
    assert len(reports) >= 11
    assert sum(r.cases for r in reports) >= 40
    for r in reports:
        assert r.ok and not r.warnings, [str(p) for p in r.fatal + r.problems + r.warnings]


def test_each_file_reports_its_own_problems_with_lines(tmp_path: Path) -> None:
    write(tmp_path, {"a_good.feature": GOOD, "b_table.feature": BAD_TABLE, "c_steps.feature": BAD_STEPS,
                     "d_level.feature": BAD_LEVEL})
    reports = {Path(r.path).name: r for r in lint_paths([tmp_path])}
    assert reports["a_good.feature"].ok
    assert [(p.line, p.column) for p in reports["b_table.feature"].fatal] == [(5, 7)]
    assert "inconsistent cell count" in reports["b_table.feature"].fatal[0].message
    steps = reports["c_steps.feature"]
    assert "tag '@not_a_tag' is not declared" in steps.fatal[0].message
    got = {p.line: p.message for p in steps.problems}
    assert '"a baby aged 4 months"' in got[4]
    assert "did you mean 'regular'" in got[5]
    assert "unknown authority 'Kentt'" in got[6]
    assert "'Level 9' is not a level of kent" in reports["d_level.feature"].problems[0].message


def test_cli_lint_exit_status_and_messages(tmp_path: Path) -> None:
    write(tmp_path, {"a_good.feature": GOOD, "b_table.feature": BAD_TABLE})
    bad = subprocess.run([CLI, "features", "lint", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1
    assert f"{tmp_path}/b_table.feature:5:7: inconsistent cell count" in bad.stderr
    assert "2 feature files, 1 scenarios: 1 file(s) with problems" in bad.stdout
    good = subprocess.run([CLI, "features", "lint", str(tmp_path / "a_good.feature")],
                          capture_output=True, text=True, timeout=120)
    assert good.returncode == 0 and "all usable" in good.stdout
    missing = subprocess.run([CLI, "features", "lint", str(tmp_path / "nope")], capture_output=True, text=True,
                             timeout=120)
    assert missing.returncode == 1 and "no such file or folder" in missing.stderr


def test_a_byte_order_mark_is_not_an_error_and_bad_bytes_are_placed_at_their_line(tmp_path: Path) -> None:
    """Notepad saves UTF-8 with a BOM: that file is as good as without it. A file that is not UTF-8
    is reported at the line and column of the first bad byte, not at 1:1."""
    (tmp_path / "bom.feature").write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    (tmp_path / "latin1.feature").write_bytes(GOOD.replace("Occasional absence", "Absence caf\u00e9").encode("latin-1"))
    reports = {Path(r.path).name: r for r in lint_paths([tmp_path])}
    assert reports["bom.feature"].ok and not reports["bom.feature"].warnings, \
        [str(p) for p in reports["bom.feature"].fatal]
    bad = reports["latin1.feature"].fatal
    assert [(p.line, p.column) for p in bad] == [(3, 24)] and "not UTF-8" in bad[0].message
