"""POST /api/v1/two-councils on a real app (constructed authorities whose differences are known), real record."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.service.conftest import Keys, app_for, make_keys

AUTHORITIES = Path(__file__).resolve().parents[1] / "fixtures" / "diff" / "authorities"
H = Keys.header


@pytest.fixture(scope="module")
def two_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    tmp = tmp_path_factory.mktemp("two-councils")
    shutil.copytree(AUTHORITIES, tmp / "rulesets")
    yield app_for(tmp)


def test_two_councils_answer_with_both_records_the_differing_rules_and_the_smallest_change(two_app: Flask) -> None:
    keys = make_keys(two_app)
    client: FlaskClient = two_app.test_client()
    r = client.post("/api/v1/two-councils", json={"a": "base", "b": "moved", "facts": {"young_carer": True}},
                    headers=H(keys.triage))
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    res = body["result"]
    assert (res["a"]["outcome"], res["b"]["outcome"], res["agree"]) == ("early_help_single_agency",
                                                                       "early_help_multi_agency", False)
    assert [x["id"] for x in res["only_a"]] == ["young-carer"] == [x["id"] for x in res["only_b"]]
    assert res["only_a"][0]["cite"][0]["url"].startswith("https://")
    assert res["smallest"][0]["changes"] == [{"fact": "young_carer", "label": "Young carer", "before": "yes",
                                              "after": "no"}]
    assert "not a suggestion to record different facts" in res["not_advice"]
    recs = [client.get(f"/api/v1/records/{x['id']}", headers=H(keys.triage)).get_json() for x in body["records"]]
    assert [x["suggestion"]["ruleset"]["id"] for x in recs] == ["base", "moved"]  # both evaluations recorded


def test_two_councils_errors_are_problems_with_pointers(two_app: Flask) -> None:
    keys = make_keys(two_app)
    client = two_app.test_client()
    r = client.post("/api/v1/two-councils", json={"a": "base", "b": "nowhere", "facts": {}}, headers=H(keys.triage))
    assert r.status_code == 404 and r.mimetype == "application/problem+json"
    r = client.post("/api/v1/two-councils", json={"a": "base", "b": "moved", "facts": {"young_carer": "often"}},
                    headers=H(keys.triage))
    assert r.status_code == 422 and r.get_json()["errors"][0]["pointer"] == "/facts/young_carer"
    r = client.post("/api/v1/two-councils", json={"a": "base", "b": "moved", "facts": {}, "max_changes": 9},
                    headers=H(keys.triage))
    assert r.status_code == 422 and r.get_json()["errors"][0]["pointer"] == "/max_changes"
    assert client.post("/api/v1/two-councils", json={"a": "base", "b": "moved", "facts": {}}).status_code == 401
