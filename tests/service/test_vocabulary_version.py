"""The evaluate API reads facts written in an older vocabulary version, and rejects a bad one."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.service.conftest import Keys

FACTS = {"missing_from_home": "regular", "young_carer": True}


def test_declared_older_version_is_migrated_and_recorded(client: FlaskClient, keys: Keys) -> None:
    plain = client.post("/api/v1/evaluate", json={"ruleset": "demo", "facts": FACTS}, headers=Keys.header(keys.triage))
    old = client.post("/api/v1/evaluate", json={"ruleset": "demo", "vocabulary_version": "1.2.0", "facts": FACTS},
                      headers=Keys.header(keys.triage))
    assert plain.status_code == old.status_code == 200
    assert old.json["suggestion"]["level"] == plain.json["suggestion"]["level"]


def test_a_newer_or_malformed_version_is_a_located_422(client: FlaskClient, keys: Keys) -> None:
    r = client.post("/api/v1/evaluate", json={"ruleset": "demo", "vocabulary_version": "9.0.0", "facts": FACTS},
                    headers=Keys.header(keys.triage))
    assert r.status_code == 422
    assert "/vocabulary_version" in r.get_data(as_text=True) and "newer than this service" in r.get_data(as_text=True)
    bad = client.post("/api/v1/evaluate", json={"ruleset": "demo", "vocabulary_version": "one", "facts": FACTS},
                      headers=Keys.header(keys.triage))
    assert bad.status_code == 422 and "vocabulary_version" in bad.get_data(as_text=True)
