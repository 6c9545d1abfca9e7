"""The service's only state: one SQL database (SQLite by default, PostgreSQL by URL).

It holds the decision record, the API keys, the web triage journeys in progress (answers
kept server-side for a session, deleted on sign-out and after an idle time) and training
classroom sessions (expire after a few hours). SQLAlchemy Core keeps one schema for both
databases. SQLite gets WAL mode (synchronous=NORMAL) and a busy timeout so that several gunicorn
workers can write to one file; an SQLite file's folder is created on first use. The schema is
managed with Alembic (service/store/migrations): opening a database upgrades it to the newest revision,
and a database made by release 1.0.0 (before Alembic) is stamped at revision 0001 first. A new, empty
database is made from the tables below and recorded at the newest revision, Alembic's own recipe for a
database built from scratch, without loading Alembic (its import is most of a first start's extra
time); a test checks that this gives exactly the schema the migrations give, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    create_engine,
    event,
    inspect,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from service.config import ConfigError

metadata = MetaData()

records = Table(
    "records", metadata,
    Column("id", String(32), primary_key=True),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("caller", String(100), nullable=False),
    Column("ruleset_id", String(64), nullable=False),
    Column("ruleset_version", String(40), nullable=False),
    Column("ruleset_sha256", String(64), nullable=False),
    Column("engine_version", String(20), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("outcome", String(40)),
    Column("facts", Text, nullable=False),
    Column("suggestion", Text, nullable=False),
)
Index("records_caller", records.c.caller, records.c.recorded_at)

api_keys = Table(
    "api_keys", metadata,
    Column("id", String(16), primary_key=True),
    Column("caller", String(100), nullable=False),
    Column("role", String(10), nullable=False),
    Column("key_sha256", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

decisions = Table(
    "decisions", metadata,
    Column("id", String(32), primary_key=True),
    Column("record_id", String(32), ForeignKey("records.id", ondelete="CASCADE"), nullable=False),
    Column("case_reference", String(64), nullable=False),
    Column("decided_by", String(100), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    Column("outcome", String(40), nullable=False),
    Column("level", String(40)),
    Column("direction", String(20), nullable=False),
    Column("reason_code", String(40)),
    Column("rationale", Text),
    Column("status", String(20), nullable=False),
    Column("reviewed_by", String(100)),
    Column("reviewed_at", DateTime(timezone=True)),
)
Index("decisions_record", decisions.c.record_id)
Index("decisions_status", decisions.c.status)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
journeys = Table(
    "journeys", metadata,
    Column("id", String(64), primary_key=True),
    Column("owner", String(64), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("state", Text, nullable=False),
)
Index("journeys_owner", journeys.c.owner)

# Training classroom sessions (service/store/classroom.py): a trainer's exercise, the trainees who
# joined with its code and their marked answers. Fictional exercises only: no referral of a real child.
classrooms = Table(
    "classrooms", metadata,
    Column("id", String(32), primary_key=True),
    Column("code", String(12), nullable=False, unique=True),
    Column("kind", String(10), nullable=False),  # quiz (trainee mode) | coding (vignettes coded into facts)
    Column("trainer", String(100), nullable=False),
    Column("title", String(200), nullable=False),
    Column("exercise_name", String(200), nullable=False),
    Column("exercise", Text, nullable=False),
    Column("questions", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)
Index("classrooms_trainer", classrooms.c.trainer)
classroom_trainees = Table(
    "classroom_trainees", metadata,
    Column("id", String(32), primary_key=True),
    Column("classroom_id", String(32), ForeignKey("classrooms.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(60), nullable=False),
    Column("joined_at", DateTime(timezone=True), nullable=False),
)
Index("classroom_trainees_classroom", classroom_trainees.c.classroom_id)
classroom_answers = Table(
    "classroom_answers", metadata,
    Column("trainee_id", String(32), ForeignKey("classroom_trainees.id", ondelete="CASCADE"), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("row", Text, nullable=False),
    Column("result", String(10), nullable=False),
    Column("answered_at", DateTime(timezone=True), nullable=False),
)


def connect(url: str) -> Engine:
    """An engine for ``url`` with the tables created; ConfigError if it cannot be used."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError("THRESHOLDS_DATABASE_URL is not a database URL") from None
    kwargs: dict[str, Any] = {"future": True}
    sqlite = parsed.get_backend_name() == "sqlite"
    if sqlite:
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 10}
        if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    else:
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(url, **kwargs)
    except (ArgumentError, ImportError) as e:
        raise ConfigError(f"cannot use database {parsed.render_as_string(hide_password=True)}: {e}") from None
    if sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        try:
            upgrade(engine)
        except SQLAlchemyError:
            upgrade(engine)  # another process upgraded it between our check and our change
    except SQLAlchemyError as e:
        raise ConfigError(f"cannot open database {parsed.render_as_string(hide_password=True)}: "
                          f"{error_kind(e)}") from None
    return engine


def head_revision() -> str | None:
    """The newest migration's id, read from the migration files without importing Alembic.

    Each file states ``revision = "..."`` and ``down_revision = "..."`` (or None); the head is the one
    revision no other file names as its parent. None when that is not exactly one plain line of
    descent (a merge, a branch, a file in another form): then only Alembic can tell.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        if path.name == "__init__.py" or path.name.startswith(".#"):  # as Alembic skips them
            continue
        source = path.read_text(encoding="utf-8")
        rev = re.search(r'^revision = "([^"]+)"$', source, re.M)
        down = re.search(r'^down_revision = (?:None|"([^"]+)")$', source, re.M)
        if rev is None or down is None:
            return None
        revisions.add(rev[1])
        if down[1]:
            parents.add(down[1])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and parents <= revisions else None


# Alembic's record of the revision a database is at, as Alembic makes it (alembic.runtime.migration).
_version = Table("alembic_version", MetaData(), Column("version_num", String(32), nullable=False),
                 PrimaryKeyConstraint("version_num", name="alembic_version_pkc"))


def _without_alembic(engine: Engine) -> bool:
    """Bring the database to the head revision without Alembic if it can be done; False if not.

    A database that records exactly the head revision needs nothing (every start of the service, and
    each of its workers, checks). An empty one is made whole in one transaction: every table, then the
    head revision recorded, as Alembic's "create_all, then stamp head" recipe does.
    """
    head = head_revision()
    if head is None:
        return False
    with engine.begin() as conn:
        tables = inspect(conn).get_table_names()
        if not tables:
            metadata.create_all(conn)
            _version.create(conn)
            conn.execute(_version.insert().values(version_num=head))
            return True
        if "alembic_version" not in tables:
            return False
        rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    return [tuple(r) for r in rows] == [(head,)]


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` with Alembic; a release-1.0.0 database is stamped 0001 first.

    A database already at the head revision is left alone, and an empty one is made at the head, without
    loading Alembic (its import and script scan cost a few tenths of a second).
    """
    if revision == "head" and _without_alembic(engine):
        return
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        tables = set(inspect(conn).get_table_names())
        if "alembic_version" not in tables and {"records", "api_keys"} <= tables:
            command.stamp(cfg, "0001")
        command.upgrade(cfg, revision)


def iso(at: object) -> str:
    """A stored time as ISO 8601 in UTC (SQLite returns naive datetimes; they were written in UTC)."""
    if isinstance(at, dt.datetime):
        return (at if at.tzinfo else at.replace(tzinfo=dt.UTC)).isoformat()
    return str(at)


def error_kind(e: SQLAlchemyError) -> str:
    """The driver's exception type, for logs: its message may quote SQL parameters (facts)."""
    orig = getattr(e, "orig", None)
    return type(orig if orig is not None else e).__name__


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cur = dbapi_connection.cursor()
    try:
        cur.execute("PRAGMA journal_mode=WAL")
    except Exception:  # noqa: BLE001 - a read-only database cannot switch modes; writes then fail loudly
        pass
    cur.execute("PRAGMA busy_timeout=10000")
    # WAL + NORMAL: a commit survives a crash of the service (the record is in the WAL) but the
    # last commits can be lost on power failure; FULL costs an fsync per evaluation (measured
    # ~6 ms, capping the service near 80 req/s). Use PostgreSQL where that matters.
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()
