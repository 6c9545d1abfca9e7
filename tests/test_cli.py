"""The ``thresholds`` command: real commands on the bundled rulesets, and clear errors.

Most tests call ``service.cli.main`` in process (fast, and capsys sees stdout and stderr);
the error cases also run the installed console script in a subprocess, because "no
traceback" is a promise about what a user sees in a terminal.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from service.cli import main

REPO = Path(__file__).resolve().parent.parent
THRESHOLDS = Path(sys.executable).parent / "thresholds"
BABY = REPO / "docs" / "examples" / "non-mobile-baby-bruise.json"
UNKNOWN = REPO / "docs" / "examples" / "mostly-unknown.json"
BROKEN = REPO / "tests" / "broken"
MINI = REPO / "tests" / "fixtures" / "mini"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(THRESHOLDS), *map(str, args)], capture_output=True, text=True, timeout=120,
                          cwd=REPO)


def assert_clean_error(proc: subprocess.CompletedProcess[str], *words: str) -> str:
    """Non-zero exit, no traceback, and every word in stderr."""
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr + proc.stdout
    for w in words:
        assert w in proc.stderr, f"{w!r} not in {proc.stderr!r}"
    return proc.stderr


# --- evaluate ------------------------------------------------------------------------------

def test_evaluate_json_on_the_non_mobile_baby_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "--ruleset", "kent", "--json", str(BABY)]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["kind"] == "suggestion"
    assert s["ruleset"]["id"] == "kent" and len(s["ruleset"]["sha256"]) == 64
    assert s["channels"] == ["python", "durable_rules"]
    national = [a for a in s["required_actions"] if a["origin"] == "national"]
    assert "non-mobile-bruise-or-injury" in {a["rule"] for a in national}
    assert all(a["cite"] for a in national)
    actions = " ".join(act for a in national for act in a["actions"]).lower()
    assert "paediatric" in actions and "refer" in actions
    assert s["outcome"] in ("child_protection", "immediate_protection")
    assert "suggestion" in s["statement"] and "decision" in s["statement"]


def test_evaluate_text_leads_with_the_override(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "--ruleset", "kent", str(BABY)]) == 0
    out = capsys.readouterr().out
    assert out.index("RANGE: ") < out.index("REQUIRED NOW") < out.index("Level so far (not final)")
    assert "urgent paediatric" in out.lower()


def test_evaluate_mostly_unknown_lists_questions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "--ruleset", "kent", "--json", str(UNKNOWN)]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["completeness"]["complete"] is False
    assert len(s["open_questions"]) >= 10
    assert any(q["safety"] and q["fact"] == "immediate_danger" for q in s["open_questions"])


def test_evaluate_reads_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(BABY.read_text()))
    assert main(["evaluate", "--ruleset", "kent", "--json", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["kind"] == "suggestion"


def test_missing_facts_file() -> None:
    assert_clean_error(run("evaluate", "--ruleset", "kent", "no-such-file.json"), "no-such-file.json",
                       "file not found")


def test_bad_json_names_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"facts": {\n  "child_age_months": 4,\n}}\n')
    assert_clean_error(run("evaluate", "--ruleset", "kent", bad), f"{bad}:3:1: invalid JSON")


def test_unknown_fact_with_did_you_mean(tmp_path: Path) -> None:
    f = tmp_path / "typo.json"
    f.write_text(json.dumps({"facts": {"mising_from_home": "regular", "child_age_months": True}}))
    err = assert_clean_error(run("evaluate", "--ruleset", "kent", f),
                             f"{f}#/facts/mising_from_home: unknown fact 'mising_from_home'",
                             "did you mean 'missing_from_home'")
    assert f"{f}#/facts/child_age_months: 'child_age_months' must be a whole number" in err  # every problem


def test_facts_must_be_an_object(tmp_path: Path) -> None:
    f = tmp_path / "list.json"
    f.write_text('{"facts": [1, 2]}')
    assert_clean_error(run("evaluate", "--ruleset", "kent", f), "/facts must be a JSON object")


def test_unknown_ruleset_with_did_you_mean() -> None:
    assert_clean_error(run("evaluate", "--ruleset", "knet", BABY), "unknown ruleset 'knet'", "did you mean 'kent'")


def test_unknown_version_with_did_you_mean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "--ruleset", "kent", "--version", "i-statement", str(BABY)]) == 1
    err = capsys.readouterr().err
    assert "has no version 'i-statement'" in err and "did you mean 'i-statements'" in err


def test_bad_as_of_date() -> None:
    proc = run("evaluate", "--ruleset", "kent", "--as-of", "2024-02-30", BABY)
    assert proc.returncode == 2
    assert_clean_error(proc, "'2024-02-30' is not a date written YYYY-MM-DD")


def test_json_nested_too_deeply(tmp_path: Path) -> None:
    f = tmp_path / "deep.json"
    f.write_text("[" * 100_000)
    assert_clean_error(run("evaluate", "--ruleset", "kent", f), "nested too deeply")


# --- validate ------------------------------------------------------------------------------

def test_validate_bundled_rulesets_passes() -> None:
    proc = run("validate", REPO / "rulesets")
    assert proc.returncode == 0, proc.stderr
    assert ", 0 with errors, 0 error(s)" in proc.stdout


def test_validate_lists_every_error_of_every_file() -> None:
    files = sorted(BROKEN.glob("*.yaml"))
    proc = run("validate", BROKEN)
    assert_clean_error(proc)
    reported = {line.split(":", 1)[0] for line in proc.stderr.splitlines()}
    assert reported == {str(f) for f in files}  # every broken file, and nothing else
    assert f"{len(files)} file(s) checked, {len(files)} with errors" in proc.stdout
    # a file with several problems has them all listed, each with file:line:column
    dup = [ln for ln in proc.stderr.splitlines() if ln.startswith(str(BROKEN / "duplicate-level-id.yaml"))]
    assert len(dup) == 3 and all(ln.split(":")[1].isdigit() and ln.split(":")[2].isdigit() for ln in dup)


def test_validate_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "no-such.yaml"]) == 1
    assert "no-such.yaml:1:1: file not found" in capsys.readouterr().err


def test_validate_uses_the_chosen_rulesets_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--rulesets", str(MINI), "validate", str(MINI)]) == 0
    assert main(["validate", str(MINI / "england")]) == 1  # mini facts are not in the bundled vocabulary
    assert "unknown fact" in capsys.readouterr().err


# --- render, vocabulary, schema ------------------------------------------------------------

def test_render_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "kent"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Kent County Council")
    assert "kscmp.org.uk" in out


def test_render_unknown_ruleset() -> None:
    assert_clean_error(run("render", "kentt"), "unknown ruleset 'kentt'", "did you mean 'kent'")


def test_vocabulary_lists_questions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["vocabulary"]) == 0
    out = capsys.readouterr().out
    assert "missing_from_home (category)" in out
    assert "Is the child in immediate danger" in out


def test_vocabulary_does_not_need_the_rulesets_to_load(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "national").mkdir()
    (tmp_path / "national" / "vocabulary.yaml").write_text((MINI / "national" / "vocabulary.yaml").read_text())
    assert main(["--rulesets", str(tmp_path), "vocabulary", "--schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "young_carer" in schema["properties"]["facts"]["properties"]


def test_schema_prints_and_checks(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "national"]) == 0
    assert json.loads(capsys.readouterr().out)["$id"] == "urn:thresholds:schema:national"
    assert main(["schema", "--check"]) == 0


def test_schema_write_then_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "national").mkdir()
    (tmp_path / "national" / "vocabulary.yaml").write_text((MINI / "national" / "vocabulary.yaml").read_text())
    assert main(["--rulesets", str(tmp_path), "schema", "--check"]) == 1
    assert "stale or missing" in capsys.readouterr().err
    assert main(["--rulesets", str(tmp_path), "schema", "--write"]) == 0
    assert len(list((tmp_path / "schema").glob("*.schema.json"))) == 5
    assert main(["--rulesets", str(tmp_path), "schema", "--check"]) == 0


def test_validate_rereads_an_edited_vocabulary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The shared files are read once per run, but never reused after they change."""
    import os
    import shutil

    root = tmp_path / "r"
    shutil.copytree(MINI, root)
    assert main(["--rulesets", str(root), "validate", str(root / "england")]) == 0
    vocab = root / "national" / "vocabulary.yaml"
    vocab.write_text(vocab.read_text().replace("id: poor_supervision", "id: poor_supervisor"))
    os.utime(vocab, ns=(1, 1))  # a different mtime even on coarse file systems
    assert main(["--rulesets", str(root), "validate", str(root / "england")]) == 1
    assert "unknown fact 'poor_supervision' (did you mean 'poor_supervisor'?)" in capsys.readouterr().err


def test_main_in_process_leaves_garbage_collection_as_it_found_it(capsys: pytest.CaptureFixture[str]) -> None:
    """Only the executable (``run``) pauses and freezes the collector around its imports: a process that
    calls ``main`` again and again, like this test run, must go on collecting what it no longer uses."""
    import gc

    frozen = gc.get_freeze_count()
    assert main(["list"]) == 0
    assert "kent" in capsys.readouterr().out
    assert gc.isenabled() and gc.get_freeze_count() == frozen
