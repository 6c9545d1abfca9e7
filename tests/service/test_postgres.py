"""The decision record and keys on PostgreSQL, where one is available.

Set THRESHOLDS_TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/thresholds_test,
with `pip install -e '.[postgres]'`) to run these; they are skipped otherwise, except under
`make test` (.ci/postgres.sh starts a server). The same behaviour on SQLite is covered by the other service tests.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import delete

from service.store.database import api_keys, records
from tests.service.conftest import Keys, app_for, make_keys

URL = os.environ.get("THRESHOLDS_TEST_DATABASE_URL", "")
REQUIRED = os.environ.get("THRESHOLDS_REQUIRE_POSTGRES") == "1"
pytestmark = pytest.mark.skipif(not URL.startswith("postgresql") and not REQUIRED,
                                reason="THRESHOLDS_TEST_DATABASE_URL not set (make test sets it)")


def test_record_write_read_replay_and_access_on_postgresql(tmp_path: Path) -> None:
    app = app_for(tmp_path, database_url=URL)
    engine = app.extensions["thresholds"].record.engine
    with engine.begin() as conn:
        conn.execute(delete(records))
        conn.execute(delete(api_keys))
    keys = make_keys(app)
    c = app.test_client()
    r = c.post("/api/v1/evaluate", json={"ruleset": "demo", "facts": {"missing_from_home": "frequent"}},
               headers=Keys.header(keys.triage))
    assert r.status_code == 200 and engine.url.get_backend_name() == "postgresql"
    url = r.json["record"]["url"]
    got = c.get(url, headers=Keys.header(keys.triage)).json
    assert got["facts"] == {"missing_from_home": "frequent"} and got["suggestion"] == r.json["suggestion"]
    assert c.get(url, headers=Keys.header(keys.other_triage)).status_code == 404
    again = c.post(url + "/replay", headers=Keys.header(keys.triage)).json
    assert again["identical"] is True
    stats = c.get("/api/v1/records/statistics", headers=Keys.header(keys.policy)).json["counts"]
    assert stats == [{"ruleset_id": "demo", "ruleset_version": "1", "kind": "suggestion",
                      "outcome": "child_protection", "count": 1}]
