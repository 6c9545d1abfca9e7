"""The practitioner's decision beside the suggestion, downgrades needing a second person, practice figures.

Every test runs on SQLite and on PostgreSQL (the ``database_url`` fixture).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service.store.database import records
from service.store.practice import weighted_kappa
from tests.service.conftest import Keys, app_for, make_keys

CP = {"missing_from_home": "frequent"}  # demo L4: child protection
EH = {"young_carer": True}  # demo L2: early help (single agency)
DANGER = {"immediate_danger": True}  # national safety rule: immediate protection


@pytest.fixture()
def served(tmp_path: Path, database_url: str) -> tuple[Flask, Keys]:
    app = app_for(tmp_path, database_url=database_url, reason_codes="policy,discretionary,other,new-information")
    return app, make_keys(app)


def _evaluate(c: FlaskClient, key: str, facts: dict[str, Any]) -> str:
    r = c.post("/api/v1/evaluate", json={"ruleset": "demo", "facts": facts}, headers=Keys.header(key))
    assert r.status_code == 200, r.json
    rid: str = r.json["record"]["id"]
    return rid


def _decide(c: FlaskClient, key: str, rid: str, **body: Any) -> Any:
    return c.post(f"/api/v1/records/{rid}/decisions", json=body, headers=Keys.header(key))


def test_a_downgrade_from_child_protection_stays_pending_until_a_different_manager_approves(
        served: tuple[Flask, Keys], caplog: pytest.LogCaptureFixture) -> None:
    app, keys = served
    c = app.test_client()
    rid = _evaluate(c, keys.triage, CP)
    with app.extensions["thresholds"].record.engine.connect() as conn:
        before = conn.execute(select(records.c.suggestion).where(records.c.id == rid)).scalar_one()
    secret = "Mother says the child stays with an aunt at weekends"
    caplog.set_level(logging.DEBUG)
    r = _decide(c, keys.triage, rid, case_reference="LA/2026/0042", outcome="early_help_multi_agency", level="L3",
                reason_code="discretionary", rationale=secret)
    assert r.status_code == 201, r.json
    d = r.json
    assert (d["direction"], d["status"], d["decided_by"], d["reviewed_by"]) == (
        "override_down", "pending_approval", "mash-a", None)
    assert secret not in caplog.text and "LA/2026/0042" not in caplog.text
    # The suggestion itself is unchanged.
    with app.extensions["thresholds"].record.engine.connect() as conn:
        assert conn.execute(select(records.c.suggestion).where(records.c.id == rid)).scalar_one() == before
    # A triage key cannot approve; the manager sees it pending.
    approve = f"/api/v1/decisions/{d['id']}/approve"
    assert c.post(approve, headers=Keys.header(keys.triage)).status_code == 403
    pending = c.get("/api/v1/decisions/pending", headers=Keys.header(keys.manager)).json["decisions"]
    assert [p["id"] for p in pending] == [d["id"]]
    ok = c.post(approve, headers=Keys.header(keys.manager))
    assert ok.status_code == 200 and ok.json["status"] == "approved" and ok.json["reviewed_by"] == "manager-a"
    assert ok.json["decided_by"] == "mash-a" and ok.json["decided_at"] == d["decided_at"] and ok.json["reviewed_at"]
    # Approving twice is refused, by the same manager or another.
    for key in (keys.manager, keys.other_manager):
        twice = c.post(approve, headers=Keys.header(key))
        assert twice.status_code == 409 and twice.mimetype == "application/problem+json"
        assert twice.json["type"].endswith("not-pending")
    assert c.get("/api/v1/decisions/pending", headers=Keys.header(keys.manager)).json["decisions"] == []
    # A second decision on the same record is refused while this one stands.
    again = _decide(c, keys.triage, rid, case_reference="LA/2026/0042", outcome="child_protection")
    assert again.status_code == 409


def test_a_manager_cannot_approve_their_own_downgrade_and_a_rejection_keeps_both(served: tuple[Flask, Keys]) -> None:
    app, keys = served
    c = app.test_client()
    rid = _evaluate(c, keys.manager, CP)
    d = _decide(c, keys.manager, rid, case_reference="C-7", outcome="child_in_need", reason_code="policy").json
    assert d["status"] == "pending_approval"
    own = c.post(f"/api/v1/decisions/{d['id']}/approve", headers=Keys.header(keys.manager))
    assert own.status_code == 409 and own.mimetype == "application/problem+json"
    assert own.json["type"].endswith("self-approval")
    no = c.post(f"/api/v1/decisions/{d['id']}/reject", headers=Keys.header(keys.other_manager))
    assert no.status_code == 200 and no.json["status"] == "rejected" and no.json["reviewed_by"] == "manager-b"
    # After a rejection a new decision may be recorded; both stay on file.
    new = _decide(c, keys.manager, rid, case_reference="C-7", outcome="child_protection")
    assert new.status_code == 201 and new.json["status"] == "recorded"
    listed = c.get(f"/api/v1/records/{rid}/decisions", headers=Keys.header(keys.manager)).json
    assert [x["status"] for x in listed["decisions"]] == ["rejected", "recorded"]
    assert "new-information" in listed["reason_codes"]


def test_a_safety_rule_makes_any_downgrade_need_approval_and_ups_and_agreements_do_not(
        served: tuple[Flask, Keys]) -> None:
    app, keys = served
    c = app.test_client()
    rid = _evaluate(c, keys.triage, DANGER)
    d = _decide(c, keys.triage, rid, case_reference="C-1", outcome="child_protection", reason_code="other").json
    assert (d["direction"], d["status"]) == ("override_down", "pending_approval")
    up = _decide(c, keys.triage, _evaluate(c, keys.triage, EH), case_reference="C-2", outcome="child_in_need",
                 reason_code="new-information").json
    assert (up["direction"], up["status"]) == ("override_up", "recorded")
    down = _decide(c, keys.triage, _evaluate(c, keys.triage, EH), case_reference="C-3", outcome="universal",
                   reason_code="discretionary").json
    assert (down["direction"], down["status"]) == ("override_down", "recorded")  # not from a safety level
    same = _decide(c, keys.triage, _evaluate(c, keys.triage, CP), case_reference="C-4", outcome="child_protection",
                   level="L4").json
    assert (same["direction"], same["status"], same["reason_code"]) == ("agrees", "recorded", None)


@pytest.mark.parametrize(("body", "pointer", "status"), [
    ({"outcome": "child_protection"}, "/case_reference", 422),
    ({"case_reference": "Jane Smith", "outcome": "child_protection"}, "/case_reference", 422),
    ({"case_reference": "C-1", "outcome": "level 4"}, "/outcome", 422),
    ({"case_reference": "C-1", "outcome": "child_protection", "rationale": "x" * 501}, "/rationale", 422),
    ({"case_reference": "C-1", "outcome": "child_protection", "colour": "red"}, "/colour", 422),
    ({"case_reference": 7, "outcome": "child_protection"}, "/case_reference", 422),
    ({"case_reference": "C-1", "outcome": "universal", "reason_code": "Gut feeling"}, "/reason_code", 422),
    # Well-formed but not fitting this record or deployment: 409.
    ({"case_reference": "C-1", "outcome": "universal"}, "/reason_code", 409),
    ({"case_reference": "C-1", "outcome": "universal", "reason_code": "gut"}, "/reason_code", 409),
    ({"case_reference": "C-1", "outcome": "child_protection", "level": "L9"}, "/level", 409),
    ({"case_reference": "C-1", "outcome": "child_protection", "level": "L2"}, "/level", 409),
])
def test_an_invalid_decision_is_refused_located_by_pointer(served: tuple[Flask, Keys], body: dict[str, Any],
                                                           pointer: str, status: int) -> None:
    app, keys = served
    c = app.test_client()
    rid = _evaluate(c, keys.triage, CP)
    r = _decide(c, keys.triage, rid, **body)
    assert r.status_code == status and r.mimetype == "application/problem+json"
    assert pointer in [e["pointer"] for e in r.json["errors"]], r.json


def test_another_callers_record_cannot_be_decided(served: tuple[Flask, Keys]) -> None:
    app, keys = served
    c = app.test_client()
    rid = _evaluate(c, keys.triage, CP)
    r = _decide(c, keys.other_triage, rid, case_reference="C-1", outcome="child_protection")
    assert r.status_code == 404
    assert c.get("/api/v1/practice", headers=Keys.header(keys.triage)).status_code == 403
    assert c.get("/api/v1/decisions/pending", headers=Keys.header(keys.policy)).status_code == 403
    assert c.post("/api/v1/decisions/" + "0" * 32 + "/approve", headers=Keys.header(keys.manager)).status_code == 404


def test_practice_figures_count_agreement_overrides_by_rule_and_downgrades(served: tuple[Flask, Keys]) -> None:
    app, keys = served
    c = app.test_client()
    plan = [(CP, "child_protection", None), (CP, "child_in_need", "discretionary"), (EH, "early_help_single_agency",
            None), (EH, "child_in_need", "policy")]
    for facts, outcome, reason in plan:
        body: dict[str, Any] = {"case_reference": "C-9", "outcome": outcome}
        if reason:
            body["reason_code"] = reason
        assert _decide(c, keys.triage, _evaluate(c, keys.triage, facts), **body).status_code == 201
    f = c.get("/api/v1/practice", headers=Keys.header(keys.policy)).json
    assert f["decisions"] == 4 and f["agreement"] == 0.5
    by_rule = {r["key"]: r for r in f["by_rule"]}
    assert (by_rule["missing-frequent"]["decisions"], by_rule["missing-frequent"]["override_down"]) == (2, 1)
    assert (by_rule["young-carer"]["decisions"], by_rule["young-carer"]["override_up"]) == (2, 1)
    assert {r["key"]: r["decisions"] for r in f["by_reason"]} == {"(none: agrees)": 2, "discretionary": 1,
                                                                  "policy": 1}
    assert [r["key"] for r in f["by_council"]] == ["demo"] and f["by_version"][0]["key"] == "demo@1"
    assert [(d["suggested"], d["decided"], d["status"]) for d in f["downgrades"]] == [
        ("child_protection", "child_in_need", "pending_approval")]
    pairs = [(4, 4), (4, 3), (1, 1), (1, 3)]
    assert f["weighted_kappa"] == pytest.approx(weighted_kappa(pairs, 6))
    assert "C-9" not in json.dumps(f)


def test_weighted_kappa_against_published_worked_examples() -> None:
    # Two categories: weighted kappa equals Cohen's kappa. The worked example in Wikipedia's
    # "Cohen's kappa" article (50 grant proposals: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no)
    # gives p_o = 0.7, p_e = 0.5, kappa = 0.4.
    pairs = [(0, 0)] * 20 + [(0, 1)] * 5 + [(1, 0)] * 10 + [(1, 1)] * 15
    assert weighted_kappa(pairs, 2) == pytest.approx(0.4)
    # Three categories: Fleiss, Cohen & Everitt (1969, Psychological Bulletin 72:323), 200 patients
    # diagnosed by two psychiatrists (rows x columns below), report Cohen's kappa = .429.
    table = [[106, 10, 4], [22, 28, 10], [2, 12, 6]]
    cells = [(i, j) for i in range(3) for j in range(3) for _ in range(table[i][j])]
    assert weighted_kappa(cells, 3, linear=False) == pytest.approx(0.429, abs=5e-4)
    # With linear weights a disagreement by one category counts half: weighted p_o = 0.835,
    # p_e = 0.675, kappa_w = (0.835 - 0.675) / (1 - 0.675) = 0.4923 (worked by hand, same table).
    assert weighted_kappa(cells, 3) == pytest.approx(0.4923, abs=5e-4)
    # Perfect agreement is 1; one category used by both raters is undefined, not 1 or 0.
    assert weighted_kappa([(0, 0), (1, 1), (2, 2)], 3) == pytest.approx(1.0)
    assert weighted_kappa([(2, 2), (2, 2)], 6) is None
