"""POST /api/v1/questions: the next questions for a partial referral (triage role), over HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from flask.testing import FlaskClient

from tests.service.conftest import Keys, Server


def post(client: FlaskClient, body: object, key: str | None) -> Any:
    return client.post("/api/v1/questions", json=body, headers=Keys.header(key) if key else {})


def test_questions_safety_first_with_answer_effects_and_honest_stopping(client: FlaskClient, keys: Keys) -> None:
    r = post(client, {"ruleset": "demo", "facts": {"young_carer": True}, "limit": 2}, keys.triage)
    assert r.status_code == 200, r.json
    body = r.json
    assert body["outcome"] == "early_help_single_agency" and body["complete"] is False
    assert body["highest_reachable"] == "immediate_protection"
    assert "suggestion" in body["statement"] and body["ruleset"]["id"] == "demo"
    first = body["questions"][0]
    assert first["fact"] == "immediate_danger" and first["safety"] is True
    yes = next(a for a in first["answers"] if a["value"] is True)
    assert yes["outcome"] == "immediate_protection" and yes["overrides"][0]["id"] == "immediate-danger"
    assert len(body["questions"]) == 2 and body["questions_total"] == 5
    assert "young_carer" not in [q["fact"] for q in body["questions"]]


def test_not_known_facts_are_not_asked_and_keep_the_result_incomplete(client: FlaskClient, keys: Keys) -> None:
    facts = {"missing_from_home": "frequent", "bruise_or_injury": False, "immediate_danger": None}
    r = post(client, {"ruleset": "demo", "facts": facts, "not_known": ["immediate_danger"]}, keys.triage)
    assert r.status_code == 200
    assert r.json["questions"] == [] and r.json["not_known_that_matter"] == ["immediate_danger"]
    assert r.json["complete"] is False
    done = post(client, {"ruleset": "demo", "facts": {**facts, "immediate_danger": False}}, keys.triage)
    assert done.json["complete"] is True and done.json["questions_total"] == 0
    assert done.json["level"]["id"] == "L4"


def test_errors_are_problems_with_pointers(client: FlaskClient, keys: Keys) -> None:
    assert post(client, {"ruleset": "demo", "facts": {}}, None).status_code == 401
    r = post(client, {"ruleset": "demo", "facts": {}, "not_known": ["young_carr"]}, keys.triage)
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    error = r.json["errors"][0]
    assert error["pointer"] == "/not_known/0" and "did you mean 'young_carer'" in error["detail"]
    r = post(client, {"ruleset": "demo", "facts": {"young_carer": "yes"}}, keys.triage)
    assert r.status_code == 422 and r.json["errors"][0]["pointer"] == "/facts/young_carer"
    r = post(client, {"ruleset": "demo", "facts": {}, "limit": "7"}, keys.triage)
    assert r.status_code == 422 and r.json["errors"][0]["pointer"] == "/limit"
    assert post(client, {"ruleset": "dmeo", "facts": {}}, keys.triage).status_code == 404


def test_over_a_real_server_on_loopback(server: Server, keys: Keys) -> None:
    req = urllib.request.Request(
        f"{server.url}/api/v1/questions", method="POST", headers={**Keys.header(keys.triage),
                                                                  "Content-Type": "application/json"},
        data=json.dumps({"ruleset": "demo", "facts": {}, "limit": 1}).encode())
    with urllib.request.urlopen(req, timeout=10) as resp:
        body = json.load(resp)
    assert resp.status == 200 and body["questions"][0]["fact"] == "immediate_danger"
    bad = urllib.request.Request(f"{server.url}/api/v1/questions", method="POST", data=b"{",
                                 headers={**Keys.header(keys.triage), "Content-Type": "application/json"})
    try:
        urllib.request.urlopen(bad, timeout=10)
        raise AssertionError("malformed JSON was accepted")
    except urllib.error.HTTPError as e:
        assert e.code == 400


def test_safety_questions_come_as_checklist_groups(client: FlaskClient, keys: Keys) -> None:
    r = post(client, {"ruleset": "demo", "facts": {"child_age_months": 4}}, keys.triage)
    assert r.status_code == 200, r.json
    groups = r.json["groups"]
    assert groups and all(g["kind"] == "checklist" and 1 <= len(g["items"]) <= 12 for g in groups)
    assert groups[0]["title"] == "Do any of these apply?"
    items = [i["fact"] for g in groups for i in g["items"]]
    assert "bruise_or_injury" in items and "immediate_danger" not in items  # asked on the opening screen
    assert all(i["rules"] for g in groups for i in g["items"])  # every item names its national safety rule
    # Once answered (here "no"), an item is no longer in any group.
    again = post(client, {"ruleset": "demo", "facts": {"child_age_months": 4, "bruise_or_injury": False}},
                 keys.triage)
    assert "bruise_or_injury" not in [i["fact"] for g in again.json["groups"] for i in g["items"]]


def test_a_named_main_concern_moves_its_questions_up_and_changes_no_result(client: FlaskClient, keys: Keys) -> None:
    """`presenting` orders as the web journey and `thresholds triage` do: after the urgent questions, before the
    rest; everything else in the answer is the same."""
    body = {"ruleset": "demo", "facts": {"child_age_months": 60}, "limit": 20}
    plain = post(client, body, keys.triage).json
    named = post(client, {**body, "presenting": ["supervision"]}, keys.triage).json
    order = [q["fact"] for q in plain["questions"]]
    assert order.index("poor_supervision") > order.index("missing_from_home")
    again = [q["fact"] for q in named["questions"]]
    urgent = [q["fact"] for q in plain["questions"] if q["fact"] == "immediate_danger"]
    assert again[:len(urgent) + 1] == [*urgent, "poor_supervision"] and sorted(again) == sorted(order)
    assert {k: v for k, v in named.items() if k != "questions"} == {k: v for k, v in plain.items() if k != "questions"}
    r = post(client, {**body, "presenting": ["supervison", "injury"]}, keys.triage)
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    assert [e["pointer"] for e in r.json["errors"]] == ["/presenting/0"]
    assert "unknown concern 'supervison'" in r.json["errors"][0]["detail"]
    assert "did you mean 'supervision'" in r.json["errors"][0]["detail"]
    # a concern whose questions are all answered (or are urgent anyway) is accepted and changes nothing
    assert post(client, {**body, "presenting": ["child_age"]}, keys.triage).json == plain
