"""Reload: a broken file keeps the last good rulesets in service and health reports it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.service.conftest import MINI, Keys, app_for, make_keys

FACTS = {"ruleset": "demo", "facts": {"missing_from_home": "frequent"}}


def test_broken_file_keeps_last_good_then_a_fixed_one_is_taken(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    keys = make_keys(app)
    c = app.test_client()
    admin, triage = Keys.header(keys.admin), Keys.header(keys.triage)
    before = c.post("/api/v1/evaluate", json=FACTS, headers=triage).json["suggestion"]
    assert c.post("/api/v1/admin/reload", headers=admin).json["status"] == "unchanged"

    demo = tmp_path / "rulesets" / "england" / "demo"
    good = (demo / "1.yaml").read_text()
    (demo / "1.yaml").write_text(good.replace("at_least: frequent", "at_least: freqent"))
    r = c.post("/api/v1/admin/reload", headers=admin)
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    problem = r.json["files"][0]
    assert problem["file"].endswith("1.yaml") and problem["line"] > 1 and "freqent" in problem["detail"]
    health = c.get("/api/v1/health").json
    assert health["status"] == "degraded" and health["last_reload"]["errors"][0]["line"] == problem["line"]
    still = c.post("/api/v1/evaluate", json=FACTS, headers=triage).json["suggestion"]
    assert still["outcome"] == before["outcome"] and still["ruleset"]["sha256"] == before["ruleset"]["sha256"]

    (demo / "1.yaml").write_text(good.replace("Frequently missing", "Frequently missing from home"))
    ok = c.post("/api/v1/admin/reload", headers=admin)
    assert ok.status_code == 200 and ok.json["status"] == "reloaded"
    assert c.get("/api/v1/health").json["status"] == "ok"
    after = c.post("/api/v1/evaluate", json=FACTS, headers=triage).json["suggestion"]
    assert after["ruleset"]["sha256"] != before["ruleset"]["sha256"]
    assert "Frequently missing from home" in {m["says"] for m in after["matched_indicators"]}


def test_startup_with_broken_rulesets_refuses_to_start(tmp_path: Path) -> None:
    from engine.errors import RulesetError

    root = tmp_path / "rulesets"
    shutil.copytree(MINI, root)
    (root / "england" / "demo" / "1.yaml").write_text("ruleset: [\n")
    with pytest.raises(RulesetError):
        app_for(tmp_path)


DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback never via a proxy


def _get(url: str) -> dict[str, object]:
    with DIRECT.open(url, timeout=10) as resp:
        data: dict[str, object] = json.load(resp)
        return data


@pytest.mark.parametrize("workers", [1, 2])
def test_sighup_reloads_a_real_server(tmp_path: Path, workers: int) -> None:
    """`thresholds serve` in a subprocess (gunicorn with 1 or 2 workers): SIGHUP with a
    broken file leaves it serving the last good rulesets, and every worker reports degraded."""
    root = tmp_path / "rulesets"
    shutil.copytree(MINI, root)
    env = {**os.environ, "THRESHOLDS_RULESETS": str(root), "THRESHOLDS_INSTANCE": str(tmp_path / "inst")}
    env.pop("THRESHOLDS_AUTH", None)
    with socket_port() as port:
        pass
    cmd = [sys.executable, "-c", "from service.cli import run; run()", "serve", "--port", str(port),
           "--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}/api/v1"
        deadline = time.monotonic() + 60
        while True:
            try:
                health = _get(base + "/health")
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
        assert health["status"] == "ok" and health["dev_mode"] is True
        # a file the YAML library itself crashes on (NotImplementedError inside ruamel.yaml)
        demo = root / "england" / "demo" / "1.yaml"
        demo.write_text(demo.read_text().replace("    says: Frequently missing\n", "    says:    # from the document,\n"
                                                 "             # section 4\n      Frequently missing\n\n", 1))
        proc.send_signal(signal.SIGHUP)
        while (health := _get(base + "/health"))["status"] != "degraded":
            assert time.monotonic() < deadline
            time.sleep(0.1)
        errors = health["last_reload"]["errors"]  # type: ignore[index]
        assert errors[0]["file"].endswith("1.yaml") and errors[0]["line"] == 27
        time.sleep(1.0)
        assert {_get(base + "/health")["status"] for _ in range(12)} == {"degraded"}  # every worker
        if workers > 1:  # a worker that restarts while the files are broken boots on the last good copy
            children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
            os.kill(int(children[0]), signal.SIGKILL)
            time.sleep(3.0)
            assert proc.poll() is None
            assert {_get(base + "/health")["status"] for _ in range(12)} == {"degraded"}
        req = urllib.request.Request(base + "/evaluate", data=json.dumps(FACTS).encode(),
                                     headers={"Content-Type": "application/json"})
        with DIRECT.open(req, timeout=10) as resp:
            assert json.load(resp)["suggestion"]["outcome"] == "child_protection"
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert "LOCAL DEVELOPMENT MODE" in out and out.count("reload rejected") == workers
    assert out.count("Booting worker with pid") >= workers and "WARNING: This is a development server" not in out
    if workers > 1:
        assert "serving the last good copy" in out


class socket_port:
    """A free loopback port (closed again before use; good enough for a test)."""

    def __enter__(self) -> int:
        import socket

        self.s = socket.socket()
        self.s.bind(("127.0.0.1", 0))
        port: int = self.s.getsockname()[1]
        return port

    def __exit__(self, *exc: object) -> None:
        self.s.close()
