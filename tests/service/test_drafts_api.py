"""POST /api/v1/drafts: a draft tried against the version in force and the decision record, never live.

Real app on a copy of the mini rulesets, real SQLite record filled through /evaluate, and the
real engine. The draft moves "frequently missing" from L4 (child protection) down to L3.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from tests.service.conftest import MINI, Keys

H = Keys.header


def draft_text(version: str = "2", status: str = "  status: draft\n") -> str:
    text = (MINI / "england" / "demo" / "1.yaml").read_text()
    text = text.replace('  version: "1"\n', f'  version: "{version}"\n{status}')
    return text.replace("    level: L4\n", "    level: L3\n", 1)


def _record(client: FlaskClient, keys: Keys, facts: dict[str, object]) -> None:
    r = client.post("/api/v1/evaluate", json={"ruleset": "demo", "facts": facts}, headers=H(keys.triage))
    assert r.status_code == 200, r.get_json()


def test_a_draft_is_tried_on_recorded_referrals_and_never_goes_live(app: Flask, client: FlaskClient,
                                                                    keys: Keys) -> None:
    for facts in ({"missing_from_home": "frequent"}, {"missing_from_home": "frequent"},  # the same child twice
                  {"missing_from_home": "occasional"}, {"young_carer": True}):
        _record(client, keys, facts)
    before = client.get("/api/v1/records?limit=100", headers=H(keys.admin)).get_json()
    r = client.post("/api/v1/drafts", json={"yaml": draft_text(), "name": "demo-2.yaml"}, headers=H(keys.policy))
    assert r.status_code == 200, r.get_json()
    t = r.get_json()
    assert (t["in_force"], t["draft"]) == ("demo@1", "demo@2")
    rec = t["recorded"]
    assert (rec["referrals"], rec["up"], rec["down"]) == (3, 0, 1)  # distinct facts; frequent moves down
    assert {m["key"]: (m["referrals"], m["down"]) for m in rec["by_concern"]}["missing_from_home"] == (2, 1)
    assert [m["key"] for m in rec["by_outcome"] if m["down"]][0].startswith("Child protection")
    assert t["comparison"]["semantic"]["differing"] > 0
    assert all(w["file"] == "demo-2.yaml" for w in t["warnings"])
    # never live: not listed, not in force, not evaluable by name, nothing recorded
    listed = client.get("/api/v1/rulesets", headers=H(keys.triage)).get_json()
    assert "demo@2" not in str(listed)
    assert app.extensions["thresholds"].live.catalogue.versions("demo")[-1].version == "1"
    ev = client.post("/api/v1/evaluate", json={"ruleset": "demo", "version": "2", "facts": {}},
                     headers=H(keys.triage))
    assert ev.status_code == 404
    after = client.get("/api/v1/records?limit=100", headers=H(keys.admin)).get_json()
    assert len(str(after)) >= len(str(before)) and after == before  # the trial recorded nothing


def test_draft_errors_are_located(client: FlaskClient, keys: Keys) -> None:
    bad = draft_text().replace("    level: L3\n", "    level: L9\n", 1)
    r = client.post("/api/v1/drafts", json={"yaml": bad, "name": "d.yaml"}, headers=H(keys.policy))
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    files = r.get_json()["files"]
    line = bad.splitlines().index("    level: L9") + 1
    assert any(f["file"] == "d.yaml" and f["line"] == line and "L9" in f["detail"] for f in files), files
    live = draft_text(status="")
    r = client.post("/api/v1/drafts", json={"yaml": live}, headers=H(keys.policy))
    assert r.status_code == 422
    assert r.get_json()["files"][0]["line"] == 2 and "status: draft" in r.get_json()["files"][0]["detail"]
    r = client.post("/api/v1/drafts", json={"yaml": draft_text(version="1")}, headers=H(keys.policy))
    assert r.status_code == 422 and "already exists" in r.get_json()["files"][0]["detail"]
    r = client.post("/api/v1/drafts", json={"yaml": "ruleset: [1\n"}, headers=H(keys.policy))
    assert r.status_code == 422 and r.get_json()["files"][0]["line"] >= 1
    r = client.post("/api/v1/drafts", json={"yaml": "", "extra": 1}, headers=H(keys.policy))
    assert r.status_code == 422
    assert {e["pointer"] for e in r.get_json()["errors"]} >= {"/yaml", "/extra"}
    r = client.post("/api/v1/drafts", json={"yaml": "x" * 200_001}, headers=H(keys.policy))
    assert r.status_code == 422 and r.get_json()["errors"][0]["pointer"] == "/yaml"  # over the bound: never tried
    body = json.dumps({"yaml": "é" * 110_000}, ensure_ascii=False).encode()  # 110,000 characters, 220,000 bytes
    r = client.post("/api/v1/drafts", data=body, content_type="application/json", headers=H(keys.policy))
    assert r.status_code == 422 and "220,000 bytes" in r.get_json()["errors"][0]["detail"]


def test_drafts_need_the_policy_role(client: FlaskClient, keys: Keys, tmp_path: Path) -> None:
    r = client.post("/api/v1/drafts", json={"yaml": draft_text()}, headers=H(keys.triage))
    assert r.status_code == 403
    assert client.post("/api/v1/drafts", json={"yaml": draft_text()}).status_code == 401
