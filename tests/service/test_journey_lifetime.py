"""Web triage answers are deleted on sign-out and after the configured idle time, and never logged.

The real app with API keys required, its real SQLite file, and workers signed in through the
sign-in page. The journey rows are read straight from the ``journeys`` table: a test passes
only if the rows are really gone, not merely hidden. Idle time is made by moving a row's
``updated_at`` back in the database (the clock is not faked), with THRESHOLDS_JOURNEY_IDLE_MINUTES=1.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from service.store.database import journeys
from service.store.keys import KeyStore
from tests.service.conftest import app_for
from tests.service.journey_client import WebJourney, csrf, texts

ANSWERS = {"immediate_danger": "no", "concern": "missing_from_home"}
"""The opening step; then missing_from_home is answered 'frequent' (values a log must never carry)."""


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    return app_for(tmp_path_factory.mktemp("journeys"), journey_idle_minutes=1)


def signed_in(app: Flask, caller: str) -> FlaskClient:
    store: KeyStore = app.extensions["thresholds"].keys
    client = app.test_client()
    token = csrf(client.get("/sign-in").get_data(as_text=True))
    r = client.post("/sign-in", data={"api_key": store.create(caller, "triage")[1], "csrf_token": token})
    assert r.status_code == 303
    return client


def answered(client: FlaskClient) -> WebJourney:
    """A journey with the opening step and one question answered."""
    j = WebJourney(client, "demo")
    j.post(ANSWERS)
    assert j.url.endswith("/step/2")
    j.post({"missing_from_home": "frequent"}, action="now")
    assert j.at_result and "L4" in texts(j.html)["suggested-level"]
    return j


def rows(app: Flask, *ids: str) -> set[str]:
    """Which of these journeys the database still holds."""
    with app.extensions["thresholds"].record.engine.connect() as conn:
        return {r[0] for r in conn.execute(select(journeys.c.id).where(journeys.c.id.in_(ids)))}


def idle_for(app: Flask, journey_id: str, seconds: int) -> None:
    with app.extensions["thresholds"].record.engine.begin() as conn:
        conn.execute(update(journeys).where(journeys.c.id == journey_id)
                     .values(updated_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=seconds)))


def sign_out(client: FlaskClient) -> None:
    token = csrf(client.get("/triage").get_data(as_text=True))  # the header's sign-out form
    r = client.post("/sign-out", data={"csrf_token": token})
    assert r.status_code == 303 and r.headers["Location"].endswith("/sign-in")


def gone(client: FlaskClient, path: str) -> str:
    """The page for a journey that is not kept: 410 with the plain reason, and none of the answers."""
    r = client.get(path)
    page = r.get_data(as_text=True)
    assert r.status_code == 410, (path, r.status_code)
    shown = texts(page)
    assert "Your answers are no longer kept" in page
    assert "no longer kept" in shown.get("main-content", page) and "Start a new triage" in page
    assert "frequent" not in page.lower() and "Going missing" not in page and " checked" not in page
    return page


def test_signing_out_deletes_that_workers_journeys_and_no_one_elses(app: Flask) -> None:
    a, b = signed_in(app, "mash-a"), signed_in(app, "mash-b")
    first, second, other = answered(a), answered(a), answered(b)
    assert rows(app, first.id, second.id, other.id) == {first.id, second.id, other.id}
    sign_out(a)
    assert rows(app, first.id, second.id, other.id) == {other.id}  # deleted from the database, not hidden
    r = a.get(f"/triage/{first.id}/result")
    assert r.status_code in (302, 303) and "/sign-in" in r.headers["Location"]  # signed out: sign in first
    again = signed_in(app, "mash-a")
    gone(again, f"/triage/{first.id}/result")
    gone(again, f"/triage/{second.id}/step/1")
    assert b.get(f"/triage/{other.id}/result").status_code == 200  # the other worker carries on


def test_a_new_sign_in_on_a_session_deletes_the_journeys_it_replaces(app: Flask) -> None:
    a = signed_in(app, "mash-a")
    j = answered(a)
    token = csrf(a.get("/sign-in").get_data(as_text=True))
    wrong = a.post("/sign-in", data={"api_key": "not-a-key", "csrf_token": token})
    assert wrong.status_code == 401 and rows(app, j.id) == {j.id}  # a mistyped key deletes nothing
    store: KeyStore = app.extensions["thresholds"].keys
    r = a.post("/sign-in", data={"api_key": store.create("mash-c", "triage")[1], "csrf_token": token})
    assert r.status_code == 303
    assert rows(app, j.id) == set()
    gone(a, f"/triage/{j.id}/result")


def test_a_journey_idle_longer_than_the_configured_time_is_gone(app: Flask) -> None:
    a, b = signed_in(app, "mash-a"), signed_in(app, "mash-b")
    j, other = answered(a), answered(b)
    # Idle for less than the configured minute: still kept, and reading it counts as use.
    idle_for(app, j.id, 50)
    assert a.get(f"/triage/{j.id}/result").status_code == 200
    with app.extensions["thresholds"].record.engine.connect() as conn:
        touched = conn.execute(select(journeys.c.updated_at).where(journeys.c.id == j.id)).scalar_one()
    assert dt.datetime.now(dt.UTC) - touched.replace(tzinfo=dt.UTC) < dt.timedelta(seconds=30)
    # Idle for longer: gone at once, for every page of it, with a plain message (not a 500, not the answers).
    idle_for(app, j.id, 61)
    page = gone(a, f"/triage/{j.id}/result")
    assert "after 1 minute without use" in page
    assert rows(app, j.id) == set()
    gone(a, f"/triage/{j.id}/step/2")
    r = a.post(f"/triage/{j.id}/step/2", data={"csrf_token": csrf(a.get("/triage").get_data(as_text=True)),
                                               "missing_from_home": "frequent"})
    assert r.status_code == 410
    # An idle journey whose worker never comes back is deleted by anyone's next triage request.
    left = answered(a)
    idle_for(app, left.id, 120)
    assert b.get(f"/triage/{other.id}/result").status_code == 200
    assert rows(app, left.id, other.id) == {other.id}
    # A new triage starts cleanly afterwards.
    assert answered(a).at_result


def test_nothing_of_the_answers_reaches_the_logs(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    a = signed_in(app, "mash-a")
    j = WebJourney(a, "demo")
    j.post({"immediate_danger": "no", "concern": "young_carer"})
    assert j.state(app)["screens"][-1]["facts"] == ["young_carer"]
    j.post({"young_carer": "yes"})
    while not j.at_result:  # the rest: "None of these" on checklists, missing 'frequent', anything else not known
        screen = j.state(app)["screens"][-1]
        j.post({"checklist": "none"} if screen["kind"] == "checklist" else
               {f: "frequent" if f == "missing_from_home" else "not_known" for f in screen["facts"]})
    j.post({"concern": "missing_from_home"}, action="now", path=f"/triage/{j.id}/concern")
    facts = j.state(app)["facts"]
    assert facts["young_carer"] is True and facts["missing_from_home"] == "frequent"
    idle_for(app, j.id, 120)
    gone(a, f"/triage/{j.id}/result")
    k = answered(a)
    sign_out(a)
    assert rows(app, j.id, k.id) == set()
    fmt = logging.Formatter("%(name)s %(levelname)s %(message)s")
    text = "\n".join(fmt.format(r) for r in caplog.records)
    assert "page triage step ruleset=demo" in text and "page triage change ruleset=demo" in text  # logging ran
    for value in ("frequent", "missing_from_home", "young_carer", "Going missing", '"facts"', "not_known"):
        assert value not in text, f"{value!r} reached the logs"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_the_idle_time_is_a_setting_with_a_located_error(tmp_path: Path) -> None:
    from service.config import ConfigError

    with pytest.raises(ConfigError, match="JOURNEY_IDLE_MINUTES"):
        app_for(tmp_path, journey_idle_minutes=0)


def test_a_worker_can_sign_out_when_the_answers_cannot_be_deleted(tmp_path: Path,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    """The database fails at sign-out (its journeys table is gone): the worker is still signed out."""
    app = app_for(tmp_path)
    a = signed_in(app, "mash-a")
    j = answered(a)
    with app.extensions["thresholds"].record.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE journeys")  # a real database error at sign-out
    sign_out(a)
    r = a.get("/triage")
    assert r.status_code in (302, 303) and "/sign-in" in r.headers["Location"]  # the session is gone
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("not deleted at sign-out: database error OperationalError" in m for m in warned), warned
    assert not any("frequent" in m or j.id in m for m in warned)
