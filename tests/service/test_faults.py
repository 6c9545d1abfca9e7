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


def test_reload_under_load_keeps_answering_from_the_last_good_rulesets(tmp_path: Path) -> None:
    """gunicorn with 2 workers under a steady stream of evaluations: a broken file, then a file the
    YAML library crashes on, each sent by SIGHUP, then the repaired file. Every answer comes from
    the last good rulesets (no error, no other sha256) and health tells the truth at each step."""
    import json
    import os
    import shutil
    import signal
    import threading
    import time
    import urllib.error
    import urllib.request

    from tests.service.conftest import MINI
    from tests.service.test_reload import DIRECT, socket_port

    root = tmp_path / "rulesets"
    shutil.copytree(MINI, root)
    demo = root / "england" / "demo" / "1.yaml"
    good = demo.read_text()
    env = {**os.environ, "THRESHOLDS_RULESETS": str(root), "THRESHOLDS_INSTANCE": str(tmp_path / "inst")}
    env.pop("THRESHOLDS_AUTH", None)
    with socket_port() as port:
        pass
    # The log goes to a file: a pipe nobody reads fills after a few hundred logged evaluations
    # and then blocks every worker mid-request.
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-c", "from service.cli import run; run()", "serve", "--port",
                             str(port), "--workers", "2"], env=env, stdout=log,
                            stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}/api/v1"

    def get(path: str) -> dict[str, object]:
        with DIRECT.open(base + path, timeout=10) as resp:
            data: dict[str, object] = json.load(resp)
            return data

    answers: list[tuple[int, str]] = []
    stop = threading.Event()

    def load() -> None:
        body = json.dumps(FACTS).encode()
        while not stop.is_set():
            req = urllib.request.Request(base + "/evaluate", data=body, headers={"Content-Type": "application/json"})
            try:
                with DIRECT.open(req, timeout=10) as resp:
                    answers.append((resp.status, json.load(resp)["suggestion"]["ruleset"]["sha256"]))
            except urllib.error.HTTPError as e:
                answers.append((e.code, ""))
            except OSError:
                answers.append((0, ""))

    def until(status: str, line: int = 0) -> dict[str, object]:
        """Health as every worker reports it once all say ``status`` (and the error is on ``line``)."""
        deadline = time.monotonic() + 30
        while True:
            seen = [get("/health") for _ in range(6)]  # several reads: both workers must agree
            lines = {h["last_reload"]["errors"][0]["line"]  # type: ignore[index]
                     if line and h["last_reload"] and h["last_reload"]["errors"] else 0  # type: ignore[index]
                     for h in seen}
            if {h["status"] for h in seen} == {status} and lines == {line}:
                return seen[0]
            assert time.monotonic() < deadline, f"health never became {status}: {seen}"
            time.sleep(0.1)

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                first = get("/health")
                break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.2)
        assert first["status"] == "ok"
        good_sha = {r["sha256"] for r in first["rulesets"] if r["id"] == "demo"}  # type: ignore[attr-defined,index]
        workers = [threading.Thread(target=load) for _ in range(2)]
        for w in workers:
            w.start()
        steps = [("ruleset: {id: demo\n", 2), (good.replace("    says: Frequently missing\n",
                                                           CRASHING["key-two-line-comment"][0], 1), 27)]
        for text, line in steps:
            mark = len(answers)
            demo.write_text(text)
            proc.send_signal(signal.SIGHUP)
            health = until("degraded", line)
            errors = health["last_reload"]["errors"]  # type: ignore[index]
            assert errors[0]["file"].endswith("1.yaml") and errors[0]["line"] == line  # type: ignore[index]
            time.sleep(0.5)
            during = answers[mark:]
            assert during and all(a == (200, next(iter(good_sha))) for a in during), set(during)
        demo.write_text(good.replace("Frequently missing", "Frequently missing (repaired)"))
        proc.send_signal(signal.SIGHUP)
        health = until("ok")
        assert health["last_reload"]["status"] == "reloaded"  # type: ignore[index]
        new_sha = {r["sha256"] for r in health["rulesets"] if r["id"] == "demo"}  # type: ignore[attr-defined,index]
        assert new_sha != good_sha
        stop.set()
        for w in workers:
            w.join(15)
        assert answers and {status for status, _ in answers} == {200}
        assert proc.poll() is None
    finally:
        stop.set()
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def test_an_exception_inside_a_handler_is_logged_without_its_message(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Flask logs an exception a handler could not turn into a response with its traceback, whose
    last line is the message (it quoted "not 17300"); the service's filter keeps only the types."""
    app = app_for(tmp_path)
    try:
        try:
            raise ValueError("'child_age_months' must be at most 216, not 17300")
        except ValueError as inner:
            raise UnicodeEncodeError("utf-8", "x", 0, 1, "surrogates not allowed") from inner
    except UnicodeEncodeError:
        import sys as _sys

        with app.test_request_context("/api/v1/evaluate"):
            app.log_exception(_sys.exc_info())  # what Flask does with an unhandled exception
    assert "unhandled error types=UnicodeEncodeError<-ValueError" in caplog.text
    assert "17300" not in caplog.text and "Traceback" not in caplog.text


@pytest.mark.parametrize("body", [
    '{"ruleset": "demo", "facts": {"\\ud800": true}}',
    '{"ruleset": "demo", "facts": {"missing_from_home": "\\udfff"}}',
    '{"ruleset": "\\ud800x", "facts": {}}',
    '{"\\udc00": 1}',
])
@pytest.mark.parametrize("path", ["/api/v1/evaluate", "/api/v1/questions", "/api/v1/compare"])
def test_unpaired_surrogates_are_a_located_400(tmp_path: Path, body: str, path: str) -> None:
    app = app_for(tmp_path)
    keys = make_keys(app)
    r = app.test_client().post(path, data=body, headers={**Keys.header(keys.triage),
                                                         "Content-Type": "application/json"})
    assert r.status_code == 400 and r.mimetype == "application/problem+json"
    assert "unpaired UTF-16 surrogate" in r.json["detail"] and r.json["detail"].startswith("/")
