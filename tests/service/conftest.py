"""Fixtures for the service: apps on a copy of the mini rulesets, keys per role, a real server.

Each app gets its own SQLite file and ruleset folder under tmp_path, so reload tests can
break files without touching the repository. A "real server" is werkzeug's threaded server
on 127.0.0.1 with an ephemeral port, run in a thread of the test process.
"""

from __future__ import annotations

import os
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

from service.app import create_app
from service.keys import KeyStore

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini"


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

    @staticmethod
    def header(key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {key}"}


def make_keys(app: Flask) -> Keys:
    store: KeyStore = app.extensions["thresholds"].keys
    return Keys(triage=store.create("mash-a", "triage")[1], other_triage=store.create("mash-b", "triage")[1],
                policy=store.create("policy-team", "policy")[1], admin=store.create("ops", "admin")[1],
                manager=store.create("manager-a", "manager")[1], other_manager=store.create("manager-b", "manager")[1])


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
