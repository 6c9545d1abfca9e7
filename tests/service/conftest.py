"""Fixtures for the service: apps on a copy of the mini rulesets, keys per role, a real server.

Each app gets its own SQLite file and ruleset folder under tmp_path, so reload tests can
break files without touching the repository. A "real server" is werkzeug's threaded server
on 127.0.0.1 with an ephemeral port, run in a thread of the test process.
"""

from __future__ import annotations

import shutil
import threading
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

    @staticmethod
    def header(key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {key}"}


def make_keys(app: Flask) -> Keys:
    store: KeyStore = app.extensions["thresholds"].keys
    return Keys(triage=store.create("mash-a", "triage")[1], other_triage=store.create("mash-b", "triage")[1],
                policy=store.create("policy-team", "policy")[1], admin=store.create("ops", "admin")[1])


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
