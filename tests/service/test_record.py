"""The decision record: written, replayed identically (API and CLI), fail closed, no facts in logs."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from service.cli import main
from service.store.database import records
from tests.service.conftest import Keys, app_for, make_keys

FACTS = {"missing_from_home": "regular", "young_carer": True, "poor_supervision": None}


def test_record_is_written_and_replays_identically(app: Flask, client: FlaskClient, keys: Keys,
                                                    service_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    r = client.post("/api/v1/evaluate", json={"ruleset": "demo", "facts": FACTS}, headers=Keys.header(keys.triage))
    rid = r.json["record"]["id"]
    db = Path(app.extensions["thresholds"].record.engine.url.database)
    with sqlite3.connect(db) as conn:
        row = conn.execute("select caller, ruleset_id, ruleset_version, ruleset_sha256, engine_version, kind "
                           "from records where id = ?", (rid,)).fetchone()
    sha = r.json["suggestion"]["ruleset"]["sha256"]
    assert row == ("mash-a", "demo", "1", sha, "1.0.0", "suggestion")
    replayed = client.post(f"/api/v1/records/{rid}/replay", headers=Keys.header(keys.triage)).json
    assert replayed["identical"] is True and replayed["differences"] == [] and replayed["sha256"] == sha
    monkeypatch.setenv("THRESHOLDS_INSTANCE", str(service_dir / "instance"))
    assert main(["--rulesets", str(service_dir / "rulesets"), "replay", rid]) == 0
    assert "identical" in capsys.readouterr().out


def test_replay_reports_each_difference(app: Flask, client: FlaskClient, keys: Keys, service_dir: Path,
                                        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    r = client.post("/api/v1/evaluate", json={"ruleset": "demo", "facts": FACTS}, headers=Keys.header(keys.triage))
    rid = r.json["record"]["id"]
    tampered = r.json["suggestion"] | {"outcome": "universal"}
    import json

    with app.extensions["thresholds"].record.engine.begin() as conn:
        conn.execute(update(records).where(records.c.id == rid).values(suggestion=json.dumps(tampered)))
    out = client.post(f"/api/v1/records/{rid}/replay", headers=Keys.header(keys.triage)).json
    assert out["identical"] is False
    assert out["differences"] == [{"pointer": "/outcome", "recorded": "universal",
                                   "replayed": r.json["suggestion"]["outcome"]}]
    monkeypatch.setenv("THRESHOLDS_INSTANCE", str(service_dir / "instance"))
    assert main(["--rulesets", str(service_dir / "rulesets"), "replay", rid]) == 4
    assert "differs at /outcome" in capsys.readouterr().out


def test_replay_of_a_version_no_longer_loaded_is_409(app: Flask, client: FlaskClient, keys: Keys) -> None:
    r = client.post("/api/v1/evaluate", json={"ruleset": "demo", "facts": FACTS}, headers=Keys.header(keys.triage))
    rid = r.json["record"]["id"]
    gone = r.json["suggestion"]["ruleset"] | {"sha256": "0" * 64}
    import json

    with app.extensions["thresholds"].record.engine.begin() as conn:
        conn.execute(update(records).where(records.c.id == rid)
                     .values(suggestion=json.dumps(r.json["suggestion"] | {"ruleset": gone})))
    out = client.post(f"/api/v1/records/{rid}/replay", headers=Keys.header(keys.triage))
    assert out.status_code == 409 and "not loaded" in out.json["detail"]


def test_unwritable_record_fails_closed_with_503(tmp_path: Path) -> None:
    writable = app_for(tmp_path)
    keys = make_keys(writable)
    db = Path(writable.extensions["thresholds"].record.engine.url.database)
    writable.extensions["thresholds"].record.engine.dispose()
    ro = app_for(tmp_path, database_url=f"sqlite:///file:{db}?mode=ro&uri=true")
    r = ro.test_client().post("/api/v1/evaluate", json={"ruleset": "demo", "facts": FACTS},
                              headers=Keys.header(keys.triage))
    assert r.status_code == 503 and r.mimetype == "application/problem+json"
    assert "no suggestion is returned" in r.json["detail"] and "suggestion" not in r.json
    assert r.headers["Retry-After"] == "30"
    c = ro.test_client().post("/api/v1/compare", json={"facts": FACTS}, headers=Keys.header(keys.triage))
    assert c.status_code == 503 and "results" not in c.json


def test_logs_never_contain_fact_values(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    app = app_for(tmp_path)
    keys = make_keys(app)
    c = app.test_client()
    h = Keys.header(keys.triage)
    c.post("/api/v1/evaluate", json={"ruleset": "demo", "facts": FACTS}, headers=h)
    c.post("/api/v1/compare", json={"facts": FACTS}, headers=h)
    c.post("/api/v1/evaluate", json={"ruleset": "demo", "facts": {"missing_from_home": "sevral"}}, headers=h)
    db = Path(app.extensions["thresholds"].record.engine.url.database)
    app.extensions["thresholds"].record.engine.dispose()
    ro = app_for(tmp_path, database_url=f"sqlite:///file:{db}?mode=ro&uri=true")
    assert ro.test_client().post("/api/v1/evaluate", json={"ruleset": "demo", "facts": FACTS},
                                 headers=h).status_code == 503
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "evaluated ruleset=demo@1" in text and "record write failed" in text  # the logs were captured
    for leaked in ("missing_from_home", "young_carer", "poor_supervision", "regular", "sevral"):
        assert leaked not in text, leaked
