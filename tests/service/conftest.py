"""Fixtures for the service: apps on a copy of the mini rulesets, keys per role, a real server.

Each app gets its own SQLite file and ruleset folder under tmp_path, so reload tests can
break files without touching the repository. A "real server" is werkzeug's threaded server
on 127.0.0.1 with an ephemeral port, run in a thread of the test process.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import BaseWSGIServer, make_server

from service import body, create_app
from service.store.keys import KeyStore

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini"


def fact_values(doc: Any) -> set[str]:
    """Distinctive values submitted as facts anywhere in a request body.

    Values under any ``facts`` object (evaluate, questions, compare, matrix scenarios): text of
    four characters or more and numbers of three digits or more, the kind of value that would
    identify what a referral said if a log line quoted it.
    """
    out: set[str] = set()
    stack: list[tuple[Any, bool]] = [(doc, False)]
    while stack:
        node, in_facts = stack.pop()
        if isinstance(node, dict):
            stack.extend((v, in_facts or k == "facts") for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, in_facts) for v in node)
        elif in_facts and isinstance(node, str) and len(node.strip()) >= 4:
            out.add(node)
        elif in_facts and isinstance(node, (int, float)) and not isinstance(node, bool) and abs(node) >= 100:
            out.add(str(node))
    return out


@pytest.fixture(autouse=True)
def no_fact_values_in_logs(caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> Iterator[set[str]]:
    """Every service test: no submitted fact value may appear in any log record (with tracebacks)."""
    caplog.set_level(logging.DEBUG)
    submitted: set[str] = set()
    real = body.json_document

    def recording() -> Any:
        doc = real()
        submitted.update(fact_values(doc))
        return doc

    monkeypatch.setattr(body, "json_document", recording)
    yield submitted
    fmt = logging.Formatter("%(name)s %(message)s")  # formats tracebacks too
    # werkzeug's access lines hold only method, path and status (facts travel in bodies); a
    # generated query such as '?limit=111' would otherwise match a generated fact value
    text = "\n".join(fmt.format(r) for when in ("setup", "call") for r in caplog.get_records(when)
                     if r.name != "werkzeug" or r.levelno > logging.INFO)
    leaked = sorted(v for v in submitted if re.search(r"(?<![\w.])" + re.escape(v) + r"(?![\w.])", text))
    assert not leaked, f"fact values reached the logs: {[v[:40] for v in leaked[:5]]}"


def app_for(tmp: Path, **config: Any) -> Flask:
    root = tmp / "rulesets"
    if not root.exists():
        shutil.copytree(MINI, root)
    settings = {"RULESETS": str(root), "INSTANCE": str(tmp / "instance"), "AUTH": "keys"}
    settings.update({k.upper(): v for k, v in config.items()})
    return create_app(settings)


@dataclass
class Keys:
    triage: str
    other_triage: str
    policy: str
    admin: str
    manager: str
    other_manager: str
    trainer: str = ""

    @staticmethod
    def header(key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {key}"}


def make_keys(app: Flask) -> Keys:
    store: KeyStore = app.extensions["thresholds"].keys
    return Keys(triage=store.create("mash-a", "triage")[1], other_triage=store.create("mash-b", "triage")[1],
                policy=store.create("policy-team", "policy")[1], admin=store.create("ops", "admin")[1],
                manager=store.create("manager-a", "manager")[1], other_manager=store.create("manager-b", "manager")[1],
                trainer=store.create("trainer-a", "trainer")[1])


@pytest.fixture(scope="module")
def service_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("service")


@pytest.fixture(scope="module")
def app(service_dir: Path) -> Flask:
    return app_for(service_dir)


@pytest.fixture(scope="module")
def keys(app: Flask) -> Keys:
    return make_keys(app)


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class Server:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.httpd: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self.httpd.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture(scope="module")
def server(app: Flask) -> Iterator[Server]:
    with Server(app) as s:
        yield s


# The record tests run on SQLite and on PostgreSQL. THRESHOLDS_TEST_DATABASE_URL names a
# PostgreSQL server (`make test` starts a throwaway one: .ci/postgres.sh); each test gets a new
# database on it, dropped afterwards. Without the URL the PostgreSQL cases are skipped, unless
# THRESHOLDS_REQUIRE_POSTGRES=1 (set by `make test`), when they fail: nothing is skipped in CI.
PG_URL = os.environ.get("THRESHOLDS_TEST_DATABASE_URL", "")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'record.sqlite3'}"
        return
    if not PG_URL.startswith("postgresql"):
        if os.environ.get("THRESHOLDS_REQUIRE_POSTGRES") == "1":
            pytest.fail("THRESHOLDS_REQUIRE_POSTGRES=1 but THRESHOLDS_TEST_DATABASE_URL names no PostgreSQL server")
        pytest.skip("THRESHOLDS_TEST_DATABASE_URL not set (make test starts a PostgreSQL server)")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"thresholds_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
