"""The access matrix: 401 vs 403, roles, and one caller's records hidden from another."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.config import ConfigError
from service.store.keys import GRANTS, ROLES
from tests.service.conftest import Keys, app_for

FRQ = {"ruleset": "demo", "facts": {"young_carer": True}}

# (method, path, body, lowest role allowed); None = public
MATRIX = [
    ("GET", "/api/v1/health", None, None),
    ("GET", "/api/v1/rulesets", None, None),
    ("GET", "/api/v1/vocabulary", None, None),
    ("POST", "/api/v1/evaluate", FRQ, "triage"),
    ("POST", "/api/v1/compare", {"facts": {}}, "triage"),
    ("GET", "/api/v1/records", None, "triage"),
    ("GET", "/api/v1/records/statistics", None, "policy"),
    ("GET", "/api/v1/practice", None, "policy"),
    ("GET", "/api/v1/decisions/pending", None, "manager"),
    ("POST", "/api/v1/admin/reload", None, "admin"),
    ("GET", "/api/v1/admin/keys", None, "admin"),
]


@pytest.mark.parametrize(("method", "path", "body", "needs"), MATRIX)
def test_access_matrix(client: FlaskClient, keys: Keys, method: str, path: str, body: object,
                       needs: str | None) -> None:
    def call(headers: dict[str, str]) -> int:
        return client.open(path, method=method, json=body, headers=headers).status_code

    anonymous = call({})
    if needs is None:
        assert anonymous == 200
        return
    assert anonymous == 401
    r = client.open(path, method=method, json=body)
    assert r.headers["WWW-Authenticate"].startswith("Bearer") and r.mimetype == "application/problem+json"
    assert call({"Authorization": "Bearer thr_00000000_not-a-real-key"}) == 401
    assert call({"Authorization": f"Basic {keys.admin}"}) == 401
    for role in ROLES:
        status = call(Keys.header(getattr(keys, role)))
        assert (status == 403) == (needs not in GRANTS[role]), (role, status)
        assert status in (200, 403), (role, status)


def test_a_caller_cannot_read_another_callers_records(client: FlaskClient, keys: Keys) -> None:
    made = client.post("/api/v1/evaluate", json=FRQ, headers=Keys.header(keys.triage)).json["record"]
    url = made["url"]
    assert client.get(url, headers=Keys.header(keys.triage)).status_code == 200
    other = client.get(url, headers=Keys.header(keys.other_triage))
    assert other.status_code == 404 and other.mimetype == "application/problem+json"
    assert client.post(url + "/replay", headers=Keys.header(keys.other_triage)).status_code == 404
    assert client.get(url, headers=Keys.header(keys.policy)).status_code == 404
    assert client.get(url, headers=Keys.header(keys.admin)).json["caller"] == "mash-a"
    theirs = client.get("/api/v1/records?limit=500", headers=Keys.header(keys.other_triage)).json["records"]
    assert made["id"] not in {r["id"] for r in theirs}
    everyone = client.get("/api/v1/records?limit=500", headers=Keys.header(keys.admin)).json["records"]
    assert made["id"] in {r["id"] for r in everyone}


def test_revoked_key_is_401(app: Flask, client: FlaskClient) -> None:
    store = app.extensions["thresholds"].keys
    key_id, key = store.create("short-lived", "triage")
    assert client.get("/api/v1/records", headers=Keys.header(key)).status_code == 200
    assert store.revoke(key_id)
    assert client.get("/api/v1/records", headers=Keys.header(key)).status_code == 401


def test_keys_are_stored_only_as_hashes(app: Flask, keys: Keys) -> None:
    path = Path(app.extensions["thresholds"].record.engine.url.database)
    raw = path.read_bytes() + (path.with_name(path.name + "-wal").read_bytes()
                               if path.with_name(path.name + "-wal").exists() else b"")
    assert keys.admin.encode() not in raw and keys.triage.encode() not in raw


def test_dev_mode_only_on_loopback(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="only on a loopback address"):
        app_for(tmp_path, auth="off", host="0.0.0.0")
    dev = app_for(tmp_path, auth="off", host="127.0.0.1").test_client()
    r = dev.post("/api/v1/evaluate", json=FRQ)
    assert r.status_code == 200
    assert dev.get("/api/v1/health").json["dev_mode"] is True
