"""``thresholds diff`` and ``thresholds matrix`` end to end (in process, real files)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.cli import main
from tests.diff.conftest import FIXTURES

AUTH = str(FIXTURES / "authorities")
VERS = str(FIXTURES / "versions")


def test_diff_text_lists_the_concern_with_witness_and_both_explanations(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--rulesets", AUTH, "diff", "base", "threshold@1"]) == 0
    out = capsys.readouterr().out
    assert "missing from home: 1 example referral(s), up to 3 step(s) apart" in out
    assert "an example referral: missing from home: regularly" in out and " w3 " not in out
    assert "vocabulary cut point" in out  # the class of the threshold difference
    assert "Base Council: early help (single agency)" in out and "Threshold Council: child protection (s47)" in out
    assert "[threshold] Frequently missing" in out


def test_diff_with_itself_reports_no_differences(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--rulesets", AUTH, "diff", "base", "same", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["semantic"]["differing"] == 0 and doc["structural"]["concerns"] == []
    assert doc["semantic"]["covered_all"] is True


def test_diff_versions_markdown_and_html_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    md, page = tmp_path / "v.md", tmp_path / "v.html"
    assert main(["--rulesets", VERS, "diff", "demo", "demo", "--version-a", "1", "--version-b", "2",
                 "--out", str(md)]) == 0
    printed = capsys.readouterr().out  # --out: one line saying what was written, nothing else
    assert printed.startswith(f"wrote {md}: ") and printed.count("\n") == 1
    text = md.read_text()
    assert text.startswith("# Comparing Demo Council version 1 with Demo Council version 2")
    assert "## Same outcome, different reasons" in text and "citation of indicator young-carer changed" in text
    assert main(["--rulesets", VERS, "diff", "demo@1", "demo@2", "--format", "html", "--out", str(page)]) == 0
    html = page.read_text()
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in html
    assert '<a href="https://example.org/demo-2024#page7">' in html


def test_diff_as_of_picks_the_version_in_force(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--rulesets", VERS, "diff", "demo", "demo@2", "--as-of", "2021-06-01", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["structural"]["a"]["version"], doc["structural"]["b"]["version"]) == ("1", "2")


def test_diff_errors_are_clear(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--rulesets", AUTH, "diff", "base", "thresold"]) == 1
    err = capsys.readouterr().err
    assert "unknown ruleset 'thresold'; known: " in err and err.endswith(" (did you mean 'threshold'?)\n")
    assert main(["--rulesets", AUTH, "diff", "base@1", "same", "--version-a", "2"]) == 1
    assert "'base@1' names version 1 but --version-a says 2" in capsys.readouterr().err


def test_matrix_writes_pictures_reports_and_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "m"
    assert main(["--rulesets", AUTH, "matrix", "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["keys"] == ["added@1", "base@1", "moved@1", "same@1", "threshold@1"]
    assert 0 < summary["kappa"] < 1 and "outcomes" not in summary
    names = sorted(p.name for p in out.iterdir())
    assert names == ["agreement.png", "agreement.svg", "concerns.png", "concerns.svg", "matrix.json",
                     "outcomes.csv", "report.html", "report.md"]
    full = json.loads((out / "matrix.json").read_text())
    assert len(full["outcomes"]) == full["scenarios"] == len((out / "outcomes.csv").read_text().splitlines()) - 1


def test_matrix_scenario_file_and_its_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bank = tmp_path / "bank.json"
    bank.write_text(json.dumps([{"id": "carer", "facts": {"young_carer": True}},
                                {"facts": {"missing_from_home": "regular"}}]))
    assert main(["--rulesets", AUTH, "matrix", "base", "moved", "--scenarios", str(bank), "--out",
                 str(tmp_path / "o")]) == 0
    printed = capsys.readouterr().out  # --out: one line saying what was written, nothing else
    assert printed.startswith("wrote matrix.json, outcomes.csv, report.md") and printed.count("\n") == 1
    assert "2 scenarios evaluated under 2 rulesets" in (tmp_path / "o" / "report.md").read_text()
    bad = tmp_path / "bad.json"
    bad.write_text('[{"facts": {"missing_from_home": "often"}}]')
    assert main(["--rulesets", AUTH, "matrix", "--scenarios", str(bad), "--out", str(tmp_path / "x")]) == 1
    err = capsys.readouterr().err
    assert f"{bad}#/0/facts/missing_from_home: 'missing_from_home' must be one of" in err
    broken = tmp_path / "broken.json"
    broken.write_text('[{"facts": }]')
    assert main(["--rulesets", AUTH, "matrix", "--scenarios", str(broken), "--out", str(tmp_path / "y")]) == 1
    assert f"{broken}:1:12: invalid JSON" in capsys.readouterr().err
    assert main(["--rulesets", AUTH, "matrix", "base", "--out", str(tmp_path / "z")]) == 1
    assert "at least two rulesets" in capsys.readouterr().err


def test_matrix_leaves_out_sparse_rulesets_unless_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["matrix", "kent", "hampshire", "surrey", "--out", str(tmp_path / "a"), "--json"]) == 0
    left = json.loads(capsys.readouterr().out)
    assert left["counted"] == [True, True, False] and left["left_out"] == ["Surrey County Council"]
    assert left["alpha"] is not None and "Krippendorff's alpha (ordinal)" in left["alpha_note"]
    assert "(sparse, left out)" in (tmp_path / "a" / "agreement.svg").read_text()
    assert main(["matrix", "kent", "hampshire", "surrey", "--out", str(tmp_path / "b"), "--include-sparse"]) == 0
    assert "3 counted in the agreement figures)" in capsys.readouterr().out
    full = json.loads((tmp_path / "b" / "matrix.json").read_text())
    assert full["counted"] == [True, True, True] and full["left_out"] == []
    assert full["mean_agreement"] != left["mean_agreement"]
    assert main(["matrix", "kent", "hampshire", "--out", str(tmp_path / "c"), "--min-indicators", "-1"]) == 1
    assert "--min-indicators must be between 0 and 100000" in capsys.readouterr().err
