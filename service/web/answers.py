"""The answers of a web triage in progress, kept server-side so that none is ever lost.

A worker on the phone goes back, changes an answer, follows a citation and returns: the pages
are plain GETs (Post/Redirect/Get) that read the answers from here, so nothing depends on the
browser's history or form cache (every page stays ``no-store``). The session cookie holds only
a random owner token; the answers live in the service's database (``journeys`` table, shared
by every worker process), are never logged, and are deleted when the worker signs out or after
``THRESHOLDS_JOURNEY_IDLE_MINUTES`` without use.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
from dataclasses import asdict, dataclass, field
from typing import Any, NoReturn

from flask import abort, session
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from engine.model.vocabulary import FactValue
from service.context import services
from service.store.database import journeys

log = logging.getLogger("thresholds.service")
OWNER = "journey_owner"
NOT_SURE = "not_sure"
"""The answer "Not sure / several" to the main concern: no concern is put first."""


@dataclass
class Journey:
    """One triage in progress: the council, the answers, and the screens shown so far."""

    id: str
    ruleset: str
    version: str
    as_of: str
    facts: dict[str, FactValue] = field(default_factory=dict)
    not_known: list[str] = field(default_factory=list)
    """Answered "Not known" (explicitly)."""
    skipped: list[str] = field(default_factory=list)
    """Shown on a screen and left unanswered: unknown, not asked again, listed as "not answered"."""
    screens: list[dict[str, Any]] = field(default_factory=list)
    """The screens shown, in order (engine.triage.screens.Screen as JSON): step n is screens[n - 1]."""
    concern: str = ""
    """The answer to "What is the main concern?": a vocabulary concern id, NOT_SURE, or "" (not
    answered). It only orders the questions (the engine's ``presenting``); it is never a fact."""
    age_entry: dict[str, str] = field(default_factory=dict)
    """How the age was entered (years/months or date of birth), to show it again as entered."""
    record_id: str | None = None
    recorded_facts: str | None = None

    @property
    def presenting(self) -> list[str]:
        """The named concern, as the question engine takes it (none for "not sure" or no answer)."""
        return [self.concern] if self.concern and self.concern != NOT_SURE else []

    def unknown(self) -> set[str]:
        return set(self.not_known) | set(self.skipped)

    def answer(self, fact: str, value: FactValue | None, not_known: bool = False, skipped: bool = False) -> None:
        """Set one fact's answer: a value, "not known", or left unanswered (never two of them)."""
        self.facts.pop(fact, None)
        self.not_known = [f for f in self.not_known if f != fact]
        self.skipped = [f for f in self.skipped if f != fact]
        if value is not None:
            self.facts[fact] = value
        elif not_known:
            self.not_known.append(fact)
        elif skipped:
            self.skipped.append(fact)


def _engine() -> Engine:
    return services().record.engine


def _owner(create: bool) -> str | None:
    token = session.get(OWNER)
    if not isinstance(token, str) and create:
        token = secrets.token_urlsafe(24)
        session[OWNER] = token
    return token if isinstance(token, str) else None


def _idle() -> dt.timedelta:
    return dt.timedelta(minutes=services().settings.journey_idle_minutes)


def _unavailable() -> NoReturn:
    abort(503, description="Your answers cannot be kept just now, so the triage cannot continue. "
                           "Try again in a minute; if a child is in immediate danger, call the police on 999.")


def purge() -> None:
    """Delete every journey idle for longer than the configured time."""
    cutoff = dt.datetime.now(dt.UTC) - _idle()
    with _engine().begin() as conn:
        conn.execute(delete(journeys).where(journeys.c.updated_at < cutoff))


def start(ruleset: str, version: str, as_of: str) -> Journey:
    owner = _owner(create=True)
    j = Journey(id=secrets.token_urlsafe(16), ruleset=ruleset, version=version, as_of=as_of)
    try:
        purge()
        with _engine().begin() as conn:
            conn.execute(insert(journeys).values(id=j.id, owner=owner, updated_at=dt.datetime.now(dt.UTC),
                                                 state=json.dumps(asdict(j))))
    except SQLAlchemyError:
        _unavailable()
    return j


def _gone() -> NoReturn:
    """410 with a plain reason: the same for an expired, signed-out, unknown or another session's journey."""
    minutes = services().settings.journey_idle_minutes
    abort(410, description="Your answers to this triage are no longer kept: answers are deleted when you sign out "
                           f"and after {minutes} minute{'' if minutes == 1 else 's'} without use, and none of them "
                           "is shown again. Start a new triage.")


def load(journey_id: str) -> Journey:
    """This session's journey (its idle time starts again), or 410 when it is not kept (another
    session's, unknown, deleted on sign-out or after the idle time)."""
    owner = _owner(create=False)
    if owner is None or len(journey_id) > 64:
        _gone()
    try:
        purge()
        with _engine().begin() as conn:
            row = conn.execute(select(journeys).where(journeys.c.id == journey_id,
                                                      journeys.c.owner == owner)).mappings().first()
            if row is not None:  # reading the answers is use: a worker reading the result is not idle
                conn.execute(update(journeys).where(journeys.c.id == journey_id)
                             .values(updated_at=dt.datetime.now(dt.UTC)))
    except SQLAlchemyError:
        _unavailable()
    if row is None:
        _gone()
    return Journey(**json.loads(row["state"]))


def save(j: Journey) -> None:
    try:
        with _engine().begin() as conn:
            conn.execute(update(journeys).where(journeys.c.id == j.id)
                         .values(updated_at=dt.datetime.now(dt.UTC), state=json.dumps(asdict(j))))
    except SQLAlchemyError:
        _unavailable()


def forget(owner: str | None = None) -> bool:
    """Delete every journey of this session, or of ``owner`` (a session's owner token), and any idle one.

    On sign-out, and on a sign-in that replaces a session: its journeys could no longer be opened.
    False when the database cannot be reached: the caller signs out all the same (a worker must
    always be able to sign out), the journeys cannot be opened without the session's token, and
    they go after the idle time.
    """
    owner = owner or _owner(create=False)
    try:
        purge()
        if owner is not None:
            with _engine().begin() as conn:
                conn.execute(delete(journeys).where(journeys.c.owner == owner))
    except SQLAlchemyError as e:
        log.warning("web triage answers not deleted at sign-out: database error %s; they are deleted after "
                    "the idle time", type(e).__name__)
        return False
    return True
