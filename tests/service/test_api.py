"""Every endpoint and error path through the Flask test client (keys mode, real channels)."""

from __future__ import annotations

import json

from flask.testing import FlaskClient

from tests.service.conftest import Keys

FRQ = {"ruleset": "demo", "facts": {"missing_from_home": "frequent"}}


def post(client: FlaskClient, path: str, body: object, key: str) -> object:
    return client.post(path, json=body, headers=Keys.header(key))


def test_health_names_every_loaded_version_with_its_sha256(client: FlaskClient) -> None:
    r = client.get("/api/v1/health")
    assert r.status_code == 200
    assert r.json["status"] == "ok" and r.json["dev_mode"] is False
    assert [(v["id"], v["version"]) for v in r.json["rulesets"]] == [("demo", "1")]
    assert len(r.json["rulesets"][0]["sha256"]) == 64


def test_rulesets_list_data_document_vocabulary_and_schema(client: FlaskClient) -> None:
    listed = client.get("/api/v1/rulesets").json["rulesets"]
    assert listed[0]["id"] == "demo" and listed[0]["current_version"] == "1"
    assert listed[0]["versions"][0]["effective_from"] == "2020-01-01"
    assert listed[0]["versions"][0]["coverage"]["complete"] is True
    data = client.get("/api/v1/rulesets/demo").json
    assert data["sha256"] == listed[0]["versions"][0]["sha256"]
    assert [lv["id"] for lv in data["ruleset"]["levels"]] == ["L1", "L2", "L3", "L4"]
    md = client.get("/api/v1/rulesets/demo/document")
    assert md.mimetype == "text/markdown" and md.get_data(as_text=True).startswith("# Demo Council")
    page = client.get("/api/v1/rulesets/demo/document?format=html")
    assert page.mimetype == "text/html" and "Frequently missing" in page.get_data(as_text=True)
    vocab = client.get("/api/v1/vocabulary").json
    assert "missing_from_home" in {f["id"] for f in vocab["facts"]}
    schema = client.get("/api/v1/referral-schema").json
    assert schema["properties"]["facts"]["properties"]["missing_from_home"]["enum"][-1] is None


def test_ruleset_selection_errors(client: FlaskClient) -> None:
    r = client.get("/api/v1/rulesets/dmeo")
    assert r.status_code == 404 and r.mimetype == "application/problem+json"
    assert "did you mean 'demo'" in r.json["detail"] and r.json["suggestions"] == ["demo"]
    assert client.get("/api/v1/rulesets/demo?version=9").status_code == 404
    assert client.get("/api/v1/rulesets/demo?as_of=2019-01-01").status_code == 404
    bad = client.get("/api/v1/rulesets/demo?as_of=2020-02-30")
    assert bad.status_code == 422 and bad.json["errors"][0]["pointer"] == "/as_of"
    assert client.get("/api/v1/rulesets/demo?as_of=2021-01-01&version=1").status_code == 200
    both = client.get("/api/v1/rulesets/demo?as_of=2019-01-01&version=1")
    assert both.status_code == 404 and "was not in force on 2019-01-01" in both.json["detail"]
    fmt = client.get("/api/v1/rulesets/demo/document?format=pdf")
    assert fmt.status_code == 422 and fmt.json["errors"][0]["pointer"] == "/format"


def test_evaluate_returns_the_full_suggestion_and_its_record(client: FlaskClient, keys: Keys) -> None:
    r = post(client, "/api/v1/evaluate", FRQ, keys.triage)
    assert r.status_code == 200
    s = r.json["suggestion"]
    assert s["kind"] == "suggestion" and s["outcome"] == "child_protection" and s["level"]["id"] == "L4"
    assert "suggestion" in s["statement"] and s["channels"] == ["python", "durable_rules"]
    assert [m["id"] for m in s["matched_indicators"]] == ["missing-frequent", "missing-occasional"]
    rec = client.get(r.json["record"]["url"], headers=Keys.header(keys.triage)).json
    assert rec["facts"] == FRQ["facts"] and rec["caller"] == "mash-a" and rec["suggestion"] == s


def test_evaluate_version_and_as_of(client: FlaskClient, keys: Keys) -> None:
    ok = post(client, "/api/v1/evaluate", {**FRQ, "version": "1"}, keys.triage)
    assert ok.status_code == 200 and ok.json["suggestion"]["ruleset"]["version"] == "1"
    dated = post(client, "/api/v1/evaluate", {**FRQ, "as_of": "2024-06-01"}, keys.triage)
    assert dated.status_code == 200
    early = post(client, "/api/v1/evaluate", {**FRQ, "as_of": "2019-06-01"}, keys.triage)
    assert early.status_code == 404 and "no version of 'demo' was in force" in early.json["detail"]
    both = post(client, "/api/v1/evaluate", {**FRQ, "as_of": "2024-06-01", "version": "1"}, keys.triage)
    assert both.status_code == 200
    before = post(client, "/api/v1/evaluate", {**FRQ, "as_of": "2019-06-01", "version": "1"}, keys.triage)
    assert before.status_code == 404 and "was not in force" in before.json["detail"]


def test_unknown_fact_is_422_with_pointer_and_did_you_mean(client: FlaskClient, keys: Keys) -> None:
    r = post(client, "/api/v1/evaluate", {"ruleset": "demo", "facts": {"missing_frm_home": "regular",
                                                                        "young_carer": "yes"}}, keys.triage)
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    errors = {e["pointer"]: e["detail"] for e in r.json["errors"]}
    assert "did you mean 'missing_from_home'" in errors["/facts/missing_frm_home"]
    # the suggestion is data too, for a client to offer as a correction; no field without one
    hints = {e["pointer"]: e.get("suggestions") for e in r.json["errors"]}
    assert hints == {"/facts/missing_frm_home": ["missing_from_home"], "/facts/young_carer": None}
    assert "must be true, false or null" in errors["/facts/young_carer"]


def test_request_body_errors(client: FlaskClient, keys: Keys) -> None:
    h = Keys.header(keys.triage)
    cases = [
        (dict(data="{}", content_type="text/plain"), 415),
        (dict(data="{\"ruleset\": ", content_type="application/json"), 400),
        (dict(data="{\"ruleset\": \"demo\", \"ruleset\": \"x\", \"facts\": {}}", content_type="application/json"), 400),
        (dict(data="{\"ruleset\": \"demo\", \"facts\": {\"child_age_months\": NaN}}", content_type="application/json"),
         400),
        (dict(data=b"\xff\xfe", content_type="application/json"), 400),
        (dict(data="[" * 5000 + "]" * 5000, content_type="application/json"), 413),
        (dict(data="{\"a\": \"" + "x" * 300_000 + "\"}", content_type="application/json"), 413),
        (dict(json={"ruleset": "demo"}), 422),
        (dict(json={"ruleset": "demo", "facts": {}, "extra": 1}), 422),
        (dict(json={"ruleset": "Not An Id!", "facts": {}}), 422),
        (dict(json=[1, 2]), 422),
    ]
    for kwargs, status in cases:
        r = client.post("/api/v1/evaluate", headers=h, **kwargs)  # type: ignore[arg-type]
        assert r.status_code == status, (kwargs.get("data", kwargs.get("json")), r.json)
        assert r.mimetype == "application/problem+json" and r.json["status"] == status and r.json["detail"]
    missing = client.post("/api/v1/evaluate", headers=h, json={"ruleset": "demo"})
    assert missing.json["errors"] == [{"pointer": "/facts", "detail": "Field required"}]
    extra = client.post("/api/v1/evaluate", headers=h, json={"ruleset": "demo", "facts": {}, "extra": 1})
    assert extra.json["errors"] == [{"pointer": "/extra", "detail": "unknown field 'extra'"}]


def test_integral_float_is_an_integer(client: FlaskClient, keys: Keys) -> None:
    r = post(client, "/api/v1/evaluate", {"ruleset": "demo", "facts": {"child_age_months": 7.0}}, keys.triage)
    assert r.status_code == 200
    frac = post(client, "/api/v1/evaluate", {"ruleset": "demo", "facts": {"child_age_months": 7.5}}, keys.triage)
    assert frac.status_code == 422 and frac.json["errors"][0]["pointer"] == "/facts/child_age_months"


def test_404_and_405_are_problems(client: FlaskClient) -> None:
    r = client.get("/api/v1/nothing-here")
    assert r.status_code == 404 and r.mimetype == "application/problem+json"
    r = client.get("/api/v1/evaluate")
    assert r.status_code == 405 and "POST" in r.headers["Allow"] and r.json["status"] == 405


def test_compare_all_and_named(client: FlaskClient, keys: Keys) -> None:
    r = post(client, "/api/v1/compare", {"facts": {"missing_from_home": "occasional"}}, keys.triage)
    assert r.status_code == 200
    body = r.json
    assert [c["ruleset"] for c in body["results"]] == ["demo@1"]
    assert [o["outcome"] for o in body["outcomes"]][0] == "universal"
    landed = {o["outcome"]: [c["ruleset"] for c in o["rulesets"]] for o in body["outcomes"]}
    assert landed["early_help_single_agency"] == ["demo@1"]
    assert sum(len(v) for v in landed.values()) == 1
    named = post(client, "/api/v1/compare", {"rulesets": ["demo"], "facts": {}}, keys.triage)
    assert named.status_code == 200
    unknown = post(client, "/api/v1/compare", {"rulesets": ["demo", "dmo"], "facts": {}}, keys.triage)
    assert unknown.status_code == 404
    bad = post(client, "/api/v1/compare", {"facts": {"nope": True}}, keys.triage)
    assert bad.status_code == 422 and bad.json["errors"][0]["pointer"] == "/facts/nope"
    past = post(client, "/api/v1/compare", {"as_of": "2019-01-01", "facts": {}}, keys.triage)
    assert past.status_code == 200 and past.json["not_in_force"] == ["demo"] and past.json["results"] == []


def test_records_list_and_statistics(client: FlaskClient, keys: Keys) -> None:
    post(client, "/api/v1/evaluate", FRQ, keys.triage)
    mine = client.get("/api/v1/records?limit=5", headers=Keys.header(keys.triage)).json["records"]
    assert mine and {r["caller"] for r in mine} == {"mash-a"} and "facts" not in mine[0]
    bad = client.get("/api/v1/records?limit=0", headers=Keys.header(keys.triage))
    assert bad.status_code == 422
    stats = client.get("/api/v1/records/statistics", headers=Keys.header(keys.policy)).json["counts"]
    cp = [c for c in stats if c["outcome"] == "child_protection"]
    assert cp and cp[0]["ruleset_id"] == "demo" and cp[0]["count"] >= 1


def test_keys_endpoints(client: FlaskClient, keys: Keys) -> None:
    h = Keys.header(keys.admin)
    made = client.post("/api/v1/admin/keys", headers=h, json={"caller": "new-team", "role": "triage"})
    assert made.status_code == 201 and made.json["key"].startswith("thr_")
    listed = client.get("/api/v1/admin/keys", headers=h).json["keys"]
    assert made.json["id"] in {k["id"] for k in listed}
    assert made.json["key"] not in json.dumps(listed)
    assert client.get("/api/v1/health", headers=Keys.header(made.json["key"])).status_code == 200
    gone = client.delete(f"/api/v1/admin/keys/{made.json['id']}", headers=h)
    assert gone.status_code == 200 and gone.json["revoked_at"]
    assert client.delete(f"/api/v1/admin/keys/{made.json['id']}", headers=h).status_code == 404
    refused = client.post("/api/v1/evaluate", headers=Keys.header(made.json["key"]), json=FRQ)
    assert refused.status_code == 401
