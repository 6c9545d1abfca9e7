"""Alembic migrations: a database made by release 1.0.0 is upgraded without losing a row.

tests/fixtures/record-1.0.0.sqlite was written by the service at commit 3b8bea6 (release
1.0.0, before Alembic: tables made by ``create_all``) evaluating four referrals for two callers
on the mini rulesets. On PostgreSQL the same rows are copied into a database brought to revision
0001 (the 1.0.0 schema), which is then upgraded.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, insert, inspect, select, text

from service.store.database import api_keys, connect, records, upgrade
from tests.service.conftest import Keys, app_for

RELEASE_1 = Path(__file__).resolve().parent.parent / "fixtures" / "record-1.0.0.sqlite"


def _release_rows() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    with sqlite3.connect(f"file:{RELEASE_1}?mode=ro", uri=True) as c:
        c.row_factory = sqlite3.Row
        recs = [dict(r) for r in c.execute("select * from records order by id")]
        keys = [dict(r) for r in c.execute("select * from api_keys order by id")]
    return recs, keys


def test_the_release_fixture_has_no_alembic_table_and_four_records() -> None:
    recs, keys = _release_rows()
    with sqlite3.connect(f"file:{RELEASE_1}?mode=ro", uri=True) as c:
        tables = {r[0] for r in c.execute("select name from sqlite_master where type = 'table'")}
    assert tables == {"records", "api_keys"} and len(recs) == 4 and len(keys) == 2


def test_a_release_1_database_upgrades_without_losing_a_row(tmp_path: Path, database_url: str) -> None:
    recs, keys = _release_rows()
    if database_url.startswith("sqlite"):
        db = tmp_path / "release.sqlite3"
        shutil.copy(RELEASE_1, db)
        url = f"sqlite:///{db}"
    else:
        url = database_url
        engine = create_engine(url)
        upgrade(engine, "0001")
        with engine.begin() as conn:
            conn.execute(text("drop table alembic_version"))  # exactly as release 1.0.0 left it
            conn.execute(insert(records), recs)
            conn.execute(insert(api_keys), keys)
        engine.dispose()
    engine = connect(url)
    with engine.connect() as conn:
        assert conn.execute(text("select version_num from alembic_version")).scalar_one() == "0004"
        after = [dict(r) for r in conn.execute(select(records).order_by(records.c.id)).mappings()]
        keys_after = conn.execute(select(api_keys.c.id, api_keys.c.key_sha256).order_by(api_keys.c.id)).all()
    assert {"decisions", "journeys", "classrooms", "classroom_trainees", "classroom_answers"} <= set(
        inspect(engine).get_table_names())
    assert [(r["id"], r["caller"], r["outcome"], r["facts"], r["suggestion"], r["ruleset_sha256"]) for r in after] == [
        (r["id"], r["caller"], r["outcome"], r["facts"], r["suggestion"], r["ruleset_sha256"]) for r in recs]
    assert [tuple(k) for k in keys_after] == [(k["id"], k["key_sha256"]) for k in keys]
    connect(url)  # opening again is a no-op at head
    # The upgraded record is served, replayed and can take a decision.
    app = app_for(tmp_path, database_url=url)
    store = app.extensions["thresholds"].keys
    admin = store.create("ops", "admin")[1]
    rid = next(r["id"] for r in recs if r["outcome"] == "child_protection")
    c = app.test_client()
    got = c.get(f"/api/v1/records/{rid}", headers=Keys.header(admin))
    assert got.status_code == 200 and got.json["suggestion"]["outcome"] == "child_protection"
    # Replay finds the recorded ruleset version by sha256: identical if that file is still loaded,
    # otherwise a located 409 (the mini rulesets have changed since release 1.0.0).
    again = c.post(f"/api/v1/records/{rid}/replay", headers=Keys.header(admin))
    assert (again.status_code == 200 and "identical" in again.json) or (
        again.status_code == 409 and again.json["type"].endswith("not-replayable"))
    d = c.post(f"/api/v1/records/{rid}/decisions", headers=Keys.header(admin),
               json={"case_reference": "C-1", "outcome": "child_protection"})
    assert d.status_code == 201 and d.json["direction"] == "agrees"


def test_the_head_read_from_the_files_is_alembics_head() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from service.store.database import MIGRATIONS, head_revision

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(cfg).get_heads() == [head_revision()]


def test_a_database_at_head_is_not_handed_to_alembic_and_one_behind_is(tmp_path: Path, database_url: str,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Each start checks the schema; only a database at the head revision skips Alembic."""
    from alembic import command

    from service.store.database import head_revision

    engine = connect(database_url)
    handed: list[str] = []
    real = command.upgrade

    def counted(cfg: Any, rev: str) -> None:
        handed.append(rev)
        real(cfg, rev)

    monkeypatch.setattr(command, "upgrade", counted)
    upgrade(engine)
    assert handed == []
    with engine.begin() as conn:
        conn.execute(text("drop table classroom_answers"))
        conn.execute(text("drop table classroom_trainees"))
        conn.execute(text("drop table classrooms"))
        conn.execute(text("update alembic_version set version_num = '0003'"))
    engine.dispose()
    engine = connect(database_url)  # one revision behind: Alembic upgrades it
    assert handed == ["head"]
    with engine.connect() as conn:
        assert conn.execute(text("select version_num from alembic_version")).scalar_one() == head_revision()
    assert "classroom_answers" in inspect(engine).get_table_names()
    engine.dispose()


def _schema(engine: Any) -> dict[str, object]:
    """Every table as the database itself reports it: columns, keys, foreign keys, indexes, unique constraints."""
    insp = inspect(engine)
    out: dict[str, object] = {}
    for table in sorted(insp.get_table_names()):
        out[table] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"], c.get("default")) for c in insp.get_columns(table)],
            "primary key": insp.get_pk_constraint(table)["constrained_columns"],
            "foreign keys": sorted((tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]),
                                    str(f.get("options", {}).get("ondelete"))) for f in insp.get_foreign_keys(table)),
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                              for i in insp.get_indexes(table)),
            "unique": sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(table)),
        }
    return out


def test_a_new_database_made_without_alembic_has_exactly_the_migrated_schema(database_url: str) -> None:
    """An empty database is made from the table definitions and stamped at the head; the migrations, run
    by Alembic on the same empty database, must give the same schema and nothing for autogenerate to add."""
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext

    from service.store.database import MIGRATIONS, head_revision, metadata

    engine = connect(database_url)
    made = _schema(engine)
    with engine.connect() as conn:
        assert conn.execute(text("select version_num from alembic_version")).scalar_one() == head_revision()
        assert MigrationContext.configure(conn).get_current_revision() == head_revision()
    with engine.begin() as conn:
        metadata.drop_all(conn)
        conn.execute(text("drop table alembic_version"))
    assert inspect(engine).get_table_names() == []
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    migrated = _schema(engine)
    assert set(made) == set(metadata.tables) | {"alembic_version"}
    assert made == migrated
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    engine.dispose()


def test_opening_a_new_or_current_database_never_loads_alembic(tmp_path: Path) -> None:
    """A first start makes the database, and every later start checks it, without importing Alembic."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    probe = ("import sys; from service.store.database import connect; connect(sys.argv[1]).dispose(); "
             "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))")
    for _ in ("new", "at head"):
        done = subprocess.run([sys.executable, "-c", probe, url], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "[]"
    with create_engine(url).connect() as conn:
        assert conn.execute(text("select count(*) from records")).scalar_one() == 0
