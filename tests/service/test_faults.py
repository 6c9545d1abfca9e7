"""Faults at reload: files the YAML library itself fails on never take the service down.

ruamel.yaml raised ``NotImplementedError`` on a key followed by a two-line comment and a blank
line; before the fix an admin reload answered 500 and a SIGHUP killed the reload (or the
gunicorn master). Each crashing file here must be rejected with its file and line, the last
good rulesets stay in service, and health says so until a repaired file is loaded.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.service.conftest import Keys, app_for, make_keys

FACTS = {"ruleset": "demo", "facts": {"missing_from_home": "frequent"}}

# Each: a replacement for the demo file's 'says: Frequently missing' line, and the line it breaks.
CRASHING = {
    "key-two-line-comment": ("    says:    # quoted from the document,\n"
                             "             # section 4\n      Frequently missing\n\n", 27),
    "complex-key": ("    ? [says, level]\n    : Frequently missing\n", 27),
    "merge-key": ("    says: Frequently missing\n    <<: {level: L2}\n", 28),
}


def _break(root: Path, case: str) -> str:
    demo = root / "england" / "demo" / "1.yaml"
    good = demo.read_text()
    text, _ = CRASHING[case]
    demo.write_text(good.replace("    says: Frequently missing\n", text, 1))
    return good


@pytest.mark.parametrize("case", sorted(CRASHING))
def test_admin_reload_of_a_crashing_file_is_a_located_422_and_health_tells(tmp_path: Path, case: str) -> None:
    app = app_for(tmp_path)
    keys = make_keys(app)
    c = app.test_client()
    admin, triage = Keys.header(keys.admin), Keys.header(keys.triage)
    before = c.post("/api/v1/evaluate", json=FACTS, headers=triage).json["suggestion"]
    good = _break(tmp_path / "rulesets", case)
    r = c.post("/api/v1/admin/reload", headers=admin)
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    files = r.json["files"]
    assert files and files[0]["file"].endswith("1.yaml") and files[0]["line"] == CRASHING[case][1]
    health = c.get("/api/v1/health").json
    assert health["status"] == "degraded"
    assert health["last_reload"]["errors"][0]["line"] == CRASHING[case][1]
    still = c.post("/api/v1/evaluate", json=FACTS, headers=triage).json["suggestion"]
    assert still["ruleset"]["sha256"] == before["ruleset"]["sha256"]
    (tmp_path / "rulesets" / "england" / "demo" / "1.yaml").write_text(good.replace("Frequently missing",
                                                                                    "Frequently missing (repaired)"))
    assert c.post("/api/v1/admin/reload", headers=admin).json["status"] == "reloaded"
    assert c.get("/api/v1/health").json["status"] == "ok"


def test_start_up_on_a_crashing_file_refuses_with_its_location(tmp_path: Path) -> None:
    import shutil

    from engine.errors import RulesetError
    from tests.service.conftest import MINI

    shutil.copytree(MINI, tmp_path / "rulesets")
    _break(tmp_path / "rulesets", "key-two-line-comment")
    with pytest.raises(RulesetError) as info:
        app_for(tmp_path)
    assert info.value.problems[0].line == 27


@pytest.mark.parametrize("case", sorted(CRASHING))
def test_validate_reports_a_crashing_file_without_a_traceback(tmp_path: Path, case: str) -> None:
    import shutil

    from tests.service.conftest import MINI

    shutil.copytree(MINI, tmp_path / "rulesets")
    _break(tmp_path / "rulesets", case)
    path = tmp_path / "rulesets" / "england" / "demo" / "1.yaml"
    run = subprocess.run([sys.executable, "-c", "from service.cli import run; run()", "--rulesets",
                          str(tmp_path / "rulesets"), "validate", str(path)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert f"{path}:{CRASHING[case][1]}:" in run.stderr
