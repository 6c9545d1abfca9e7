"""``thresholds features run``: pytest-bdd from inside the command, in a folder with no checkout.

The command is run from a temporary folder outside the repository (so neither tests/ nor the
project's pytest settings are anywhere near), on a good file, a file whose expectation the
engine contradicts, and a broken file; the summary, the Cucumber JSON and the HTML page must
all say what happened, and --tag selects scenarios.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.test_training_run import BROKEN, GOOD, WRONG

ROOT = Path(__file__).resolve().parents[1]
CLI = str(ROOT / ".venv" / "bin" / "thresholds")


def test_run_from_a_folder_outside_the_checkout(tmp_path: Path) -> None:
    assert not (tmp_path / "tests").exists() and ROOT not in tmp_path.parents
    ex = tmp_path / "exercises"
    ex.mkdir()
    for name, text in {"a.feature": GOOD, "b.feature": WRONG, "c.feature": BROKEN}.items():
        (ex / name).write_text(text, encoding="utf-8")
    run = subprocess.run([CLI, "features", "run", "exercises", "--out", "report.html", "--json", "report.json"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    assert "ok   A bruised baby in Kent" in run.stdout
    assert "FAIL Expecting too little for a bruised baby" in run.stdout
    assert "expected L2 Additional Support, but kent@i-statements suggested L4 Specialist Support" in run.stdout
    assert "2 features, 2 scenarios: 1 passed, 1 failed, 0 skipped" in run.stdout
    assert "c.feature was not run" in run.stderr and "c.feature:5:7: inconsistent cell count" in run.stderr
    doc = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert sorted(el["name"] for f in doc for el in f["elements"]) == [
        "A bruised baby in Kent", "Expecting too little for a bruised baby"]
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Good &lt;exercise&gt; &amp; co" in page and "suggested L4" in page

    tagged = subprocess.run([CLI, "features", "run", "exercises/a.feature", "exercises/b.feature",
                             "--tag", "@bruising"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert tagged.returncode == 0, tagged.stdout + tagged.stderr
    assert "1 features, 1 scenarios: 1 passed, 0 failed" in tagged.stdout
    assert "Expecting too little" not in tagged.stdout


def test_run_refuses_what_it_cannot_run(tmp_path: Path) -> None:
    (tmp_path / "a.feature").write_text(GOOD, encoding="utf-8")
    missing = subprocess.run([CLI, "features", "run", "nowhere"], cwd=tmp_path, capture_output=True, text=True,
                             timeout=120)
    assert missing.returncode == 1 and "nowhere: no such file or folder" in missing.stderr
    tag = subprocess.run([CLI, "features", "run", "a.feature", "--tag", "nonsense"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert tag.returncode == 1 and "not a declared tag" in tag.stderr
    none = subprocess.run([CLI, "features", "run", "a.feature", "--tag", "fgm"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert none.returncode == 1 and "none has the tag @fgm" in none.stderr and "Traceback" not in none.stderr
