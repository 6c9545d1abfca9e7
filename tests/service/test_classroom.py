"""The training classroom: a trainer starts a session from an exercise, trainees join with its code,
answer, and the trainer reads and downloads the results (real app on the bundled rulesets, real SQLite;
the store also on PostgreSQL when THRESHOLDS_TEST_DATABASE_URL is set, as .ci/postgres.sh does)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service import create_app
from service.store.classroom import MAX_TRAINEES, ClassroomError, Classrooms
from service.store.database import classroom_answers, classroom_trainees, classrooms, connect
from service.store.keys import GRANTS, KeyStore

EXERCISE = """Feature: Classroom kinds
  Scenario: Regular absence from school
    Given a child aged 12 years
    And the child is regularly absent from school
    When the referral is evaluated under each of Kent and Hampshire
    Then under Hampshire the suggested level is Children's Social Care
    And the referral lands higher in Hampshire than in Kent

  Scenario: Missing right now and in immediate danger
    Given a child aged 14 years
    And the child is in immediate danger
    When the referral is evaluated under Kent
    Then the canonical outcome is immediate_protection
    And the safety override "immediate-danger" applies

  Scenario: Expecting too little for a bruised baby
    Given a baby aged 4 months
    And the baby is not independently mobile
    And the baby has a bruise
    When the referral is evaluated under Kent
    Then the suggested level is "L2"
"""
PG = os.environ.get("THRESHOLDS_TEST_DATABASE_URL", "")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    return create_app({"AUTH": "keys", "INSTANCE": str(tmp_path_factory.mktemp("classroom")), "DURABLE": "1"})


def _signed_in(app: Flask, role: str, caller: str) -> FlaskClient:
    store: KeyStore = app.extensions["thresholds"].keys
    client = app.test_client()
    page = client.get("/sign-in")
    token = _csrf(page.get_data(as_text=True))
    r = client.post("/sign-in", data={"api_key": store.create(caller, role)[1], "csrf_token": token})
    assert r.status_code == 303
    return client


def _csrf(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF token on the page"
    return m.group(1)


@pytest.fixture(scope="module")
def session_url(app: Flask) -> Iterator[tuple[FlaskClient, str, str]]:
    trainer = _signed_in(app, "trainer", "trainer-a")
    token = _csrf(trainer.get("/training").get_data(as_text=True))
    r = trainer.post("/training", data={"csrf_token": token, "title": "Tuesday group",
                                        "exercise_file": (io.BytesIO(EXERCISE.encode()), "kinds.feature")},
                     content_type="multipart/form-data")
    assert r.status_code == 303, r.get_data(as_text=True)
    url = r.headers["Location"]
    page = trainer.get(url).get_data(as_text=True)
    code = re.search(r'id="join-code">([A-Z0-9]{6})<', page)
    assert code
    yield trainer, url, code.group(1)


def _join(app: Flask, code: str, name: str) -> FlaskClient:
    c = app.test_client()
    token = _csrf(c.get("/join").get_data(as_text=True))
    r = c.post("/join", data={"csrf_token": token, "code": code.lower()[:3] + "-" + code[3:], "name": name})
    assert r.status_code == 303 and r.headers["Location"].endswith("/join/question"), r.get_data(as_text=True)
    return c


def _answer(c: FlaskClient, text: str) -> str:
    page = c.get("/join/question").get_data(as_text=True)
    number = re.search(r'name="number" value="(\d+)"', page)
    assert number, page
    r = c.post("/join/question", data={"csrf_token": _csrf(page), "number": number.group(1), "answer": text})
    assert r.status_code in (200, 400)
    return r.get_data(as_text=True)


def test_trainer_role_is_needed_to_start_a_session(app: Flask) -> None:
    assert GRANTS["trainer"] == frozenset({"trainer"}) and "trainer" in GRANTS["admin"]
    triage = _signed_in(app, "triage", "mash-a")
    assert triage.get("/training").status_code == 403
    assert app.test_client().get("/training").status_code == 302  # to sign-in


def test_questions_come_from_trainee_mode_and_a_contradicted_scenario_is_refused(
        session_url: tuple[FlaskClient, str, str]) -> None:
    trainer, url, _ = session_url
    page = trainer.get(url).get_data(as_text=True)
    # level (Hampshire), comparison, level (Kent) and safety: the scenario the engine contradicts is not asked
    assert page.count('<th scope="row" class="govuk-table__header">') == 4
    assert "(comparison)" in page and "(safety)" in page and "bruised baby" not in page
    assert "Nobody has joined yet" in page


def test_trainees_answer_one_at_a_time_blank_is_skipped_and_results_download(
        app: Flask, session_url: tuple[FlaskClient, str, str]) -> None:
    trainer, url, code = session_url
    ana = _join(app, code, "Ana")
    first = ana.get("/join/question").get_data(as_text=True)
    assert "Exercise 1 of 4" in first and "The referral reports:" in first and "Children&#39;s Social Care" not in \
        first.split("The referral reports:")[1].split("Levels in this authority")[0]
    not_a_level = _answer(ana, "purple")
    assert "Exercise 1 of 4" in not_a_level and "govuk-error-summary" in not_a_level  # asked again, not marked
    fb = _answer(ana, "Children's Social Care")
    assert 'id="verdict">Correct<' in fb and "Expected:" in fb and "The engine suggests" in fb
    assert 'id="verdict">Skipped<' in _answer(ana, "")
    assert 'id="verdict">Not quite<' in _answer(ana, "L1")  # Kent: immediate protection, not L1
    _answer(ana, "")
    done = ana.get("/join/question").get_data(as_text=True)
    assert 'id="score">1 of 4 correct<' in done and "2 skipped" in done
    ben = _join(app, code, "Ben")
    _answer(ben, "L1")
    dupe = app.test_client()
    token = _csrf(dupe.get("/join").get_data(as_text=True))
    assert "already called" in dupe.post("/join", data={"csrf_token": token, "code": code, "name": "ana"}) \
        .get_data(as_text=True)

    page = trainer.get(url).get_data(as_text=True)
    assert "Ana" in page and "Ben" in page and "4 of 4" in page and "1 of 4" in page
    rows = list(csv.DictReader(io.StringIO(trainer.get(url + "/results.csv").get_data(as_text=True))))
    assert [(r["trainee"], r["number"], r["result"]) for r in rows] == [
        ("Ana", "1", "correct"), ("Ana", "2", "skipped"), ("Ana", "3", "wrong"), ("Ana", "4", "skipped"),
        ("Ben", "1", "wrong")]
    doc = trainer.get(url + "/results.json").json
    assert doc["session"] == code and [t["correct"] for t in doc["trainees"]] == [1, 0]
    assert doc["questions"][0]["correct"] == 1 and doc["questions"][0]["wrong"] == 1
    assert doc["questions"][1]["unanswered"] == 1

    other = _signed_in(app, "trainer", "trainer-b")
    assert other.get(url).status_code == 404  # another trainer's session is not theirs to read
    assert other.get(url + "/results.csv").status_code == 404


def test_bad_exercises_and_codes_are_clear_errors(app: Flask) -> None:
    trainer = _signed_in(app, "trainer", "trainer-c")
    token = _csrf(trainer.get("/training").get_data(as_text=True))
    broken = "Feature: x\n  Scenario: y\n    Given the moon is blue\n    When the referral is evaluated under Kent\n"
    r = trainer.post("/training", data={"csrf_token": token, "exercise_file": (io.BytesIO(broken.encode()),
                                                                               "moon.feature")},
                     content_type="multipart/form-data")
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "moon.feature:3:" in html and "/tmp" not in html
    r = trainer.post("/training", data={"csrf_token": token}, content_type="multipart/form-data")
    assert r.status_code == 400 and "Upload a .feature file" in r.get_data(as_text=True)
    r = trainer.post("/training", data={"csrf_token": token, "limit": "0",
                                        "exercise_file": (io.BytesIO(EXERCISE.encode()), "kinds.feature")},
                     content_type="multipart/form-data")
    assert r.status_code == 400 and "from 1 to" in r.get_data(as_text=True)
    c = app.test_client()
    token = _csrf(c.get("/join").get_data(as_text=True))
    r = c.post("/join", data={"csrf_token": token, "code": "ZZZZZZ", "name": "Cy"})
    assert r.status_code == 400 and "No session has that code" in r.get_data(as_text=True)
    assert c.get("/join/question").headers["Location"].endswith("/join")


@pytest.mark.parametrize("url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not PG.startswith("postgresql"), reason="THRESHOLDS_TEST_DATABASE_URL not set (make test sets it)"))])
def test_store_expires_and_bounds_sessions(url: str, tmp_path: Path) -> None:
    engine = connect(f"sqlite:///{tmp_path / 'c.db'}" if url == "sqlite" else PG)
    store = Classrooms(engine)
    with engine.begin() as conn:  # a shared PostgreSQL database may hold earlier runs' rows
        conn.execute(classroom_answers.delete())
        conn.execute(classroom_trainees.delete())
        conn.execute(classrooms.delete())
    then = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    old = store.start("t", "Old", "a.feature", "Feature: a", 3, now=then)
    one = store.join(old, "Ana")
    assert store.record(one, 1, "correct", {"result": "correct"}) is True
    assert store.record(one, 1, "wrong", {"result": "wrong"}) is False  # the first answer counts
    assert store.by_code(old.code.lower(), now=then) is not None
    assert store.by_code(old.code, now=then + store.ttl) is None  # expired: the code no longer works
    with pytest.raises(ClassroomError, match="1 to 60 questions"):
        store.start("t", "x", "a.feature", "Feature: a", 0)
    new = store.start("t", "New", "b.feature", "Feature: b", 2, now=then + store.ttl)  # purges the expired one
    with engine.connect() as conn:
        assert conn.execute(select(classrooms.c.id)).scalars().all() == [new.id]
        assert conn.execute(select(classroom_trainees.c.id)).scalars().all() == []
        assert conn.execute(select(classroom_answers.c.number)).scalars().all() == []
    for i in range(MAX_TRAINEES):
        store.join(new, f"T{i}")
    with pytest.raises(ClassroomError, match="full"):
        store.join(new, "One too many")


AGREEMENT = Path(__file__).resolve().parents[2] / "docs" / "examples" / "agreement"


def _form_value(value: object) -> str:
    if value is None:
        return "not_known"
    return ("yes" if value else "no") if isinstance(value, bool) else str(value)


def test_coding_session_reports_the_same_agreement_as_the_command(app: Flask) -> None:
    """Five trainees code the sample vignettes on the page; the trainer's report is `thresholds agreement`'s."""
    import json

    from service.training.agreement import measure, read_coding, read_vignettes
    from service.training.state import Runtime

    trainer = _signed_in(app, "trainer", "trainer-d")
    token = _csrf(trainer.get("/training").get_data(as_text=True))
    text = (AGREEMENT / "vignettes.yaml").read_bytes()
    r = trainer.post("/training/coding", data={"csrf_token": token, "coding_title": "Coding check",
                                               "vignettes_file": (io.BytesIO(text), "vignettes.yaml")},
                     content_type="multipart/form-data")
    assert r.status_code == 303, r.get_data(as_text=True)
    report_url = r.headers["Location"]
    page = trainer.get(report_url).get_data(as_text=True)
    code = re.search(r'id="join-code">([A-Z0-9]{6})<', page)
    assert code and "at least two trainees" in page
    files = sorted(AGREEMENT.glob("trainee-*.json"))
    for f in files:
        doc = json.loads(f.read_text(encoding="utf-8"))
        c = _join(app, code.group(1), doc["trainee"])
        first = c.get("/join/question")
        assert first.status_code == 303 and first.headers["Location"].endswith("/join/coding")
        for _vid, facts in doc["codings"].items():
            page = c.get("/join/coding").get_data(as_text=True)
            main = page.split("<main", 1)[1].split("</main>", 1)[0]
            assert "engine suggests" not in main and "canonical" not in main.lower()  # coded before any suggestion
            assert "What counts as 'Absence from school'" in main and "Does not count:" in main  # the manual
            number = re.search(r'name="number" value="(\d+)"', page)
            assert number
            form = {"csrf_token": _csrf(page), "number": number.group(1)}
            form.update({fid: _form_value(v) for fid, v in facts.items()})
            assert c.post("/join/coding", data=form).status_code == 303
        assert 'id="coded">Your codings are in<' in c.get("/join/coding").get_data(as_text=True)
    page = trainer.get(report_url).get_data(as_text=True)
    with app.extensions["thresholds"].live.using() as evaluator:
        cli = measure(read_vignettes(AGREEMENT / "vignettes.yaml"), [read_coding(f) for f in files],
                      Runtime.serving(evaluator))
    pooled = cli.coding[0].value
    assert pooled is not None and f"{pooled:.3f}" in page
    weakest = re.search(r'<table class="govuk-table" id="weakest">.*?<code>([a-z_]+)</code>', page, re.S)
    assert weakest and weakest.group(1) == cli.facts[0].fact == "school_absence"
    got = trainer.get(report_url + ".json").json
    assert got["coding"][0]["value"] == pooled and got["trainees"] == list(cli.trainees) == ["A", "B", "C", "D", "E"]


def test_a_coding_form_rejects_a_value_the_form_never_offers(app: Flask) -> None:
    trainer = _signed_in(app, "trainer", "trainer-e")
    token = _csrf(trainer.get("/training").get_data(as_text=True))
    bad = b"vignettes:\n  - id: x\n    title: X\n    authority: Nowhere Borough\n    narrative: A referral.\n"
    r = trainer.post("/training/coding", data={"csrf_token": token, "vignettes_file": (io.BytesIO(bad), "v.yaml")},
                     content_type="multipart/form-data")
    assert r.status_code == 400 and "Nowhere Borough" in r.get_data(as_text=True)
    text = (AGREEMENT / "vignettes.yaml").read_bytes()
    r = trainer.post("/training/coding", data={"csrf_token": token, "vignettes_file": (io.BytesIO(text), "v.yaml")},
                     content_type="multipart/form-data")
    code = re.search(r'id="join-code">([A-Z0-9]{6})<', trainer.get(r.headers["Location"]).get_data(as_text=True))
    assert code
    c = _join(app, code.group(1), "Dee")
    page = c.get("/join/coding").get_data(as_text=True)
    r = c.post("/join/coding", data={"csrf_token": _csrf(page), "number": "1", "missing_from_home": "weekly-ish"})
    assert r.status_code == 400 and "Select an answer for" in r.get_data(as_text=True)


def test_hostile_input_on_the_classroom_pages_is_never_a_500(app: Flask,
                                                              session_url: tuple[FlaskClient, str, str]) -> None:
    trainer, url, code = session_url
    token = _csrf(trainer.get("/training").get_data(as_text=True))
    for data in ({"bundled": "../../etc/passwd"}, {"bundled": "x" * 5000}, {"limit": "9" * 50},
                 {"limit": "-1"}, {"exercise_file": (io.BytesIO(b"\xff\xfe\x00bad"), "x.feature")},
                 {"exercise_file": (io.BytesIO(b"Feature: empty\n"), "e.feature")},
                 {"exercise_file": (io.BytesIO(b"x" * 200_001), "big.feature")}):
        r = trainer.post("/training", data={"csrf_token": token, **data}, content_type="multipart/form-data")
        assert r.status_code == 400, (data.keys(), r.status_code)
        assert "govuk-error-summary" in r.get_data(as_text=True)
    for data in ({"vignettes_file": (io.BytesIO(b"vignettes: [1, 2]\n"), "v.yaml")},
                 {"vignettes_file": (io.BytesIO(b"::: not yaml"), "v.yaml")},
                 {"vignettes_file": (io.BytesIO(b"Feature: v\n  Scenario: s\n    Given a child aged 3 years\n"),
                                     "v.feature")}):
        r = trainer.post("/training/coding", data={"csrf_token": token, **data}, content_type="multipart/form-data")
        body = r.get_data(as_text=True)
        assert r.status_code == 400 and re.search(r"v\.(yaml|feature):\d+:\d+", body), body[-500:]
    for path in ("/training/nope", "/training/nope/results.csv", url + "/results.xml", "/training/nope/agreement",
                 url + "/agreement.json"):
        assert trainer.get(path).status_code == 404, path
    c = _join(app, code, "Eve")
    for form in ({"number": "999", "answer": "L1"}, {"number": "", "answer": ""}, {"number": "1", "answer": "x" * 5000},
                 {"answer": "L1"}):
        page = c.get("/join/question").get_data(as_text=True)
        r = c.post("/join/question", data={"csrf_token": _csrf(page), **form})
        assert r.status_code in (200, 400), (form, r.status_code)
    assert c.post("/join/question", data={"number": "1", "answer": "L1"}).status_code == 400  # no CSRF token
    c2 = app.test_client()
    token = _csrf(c2.get("/join").get_data(as_text=True))
    for form in ({"code": "x" * 5000, "name": "A"}, {"code": code, "name": "n" * 61}, {"code": code, "name": "  "},
                 {}):
        r = c2.post("/join", data={"csrf_token": token, **form})
        assert r.status_code == 400 and "govuk-error-summary" in r.get_data(as_text=True), form
