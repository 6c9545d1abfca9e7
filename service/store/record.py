"""The decision record: every evaluation the API makes, kept so it can be replayed.

A row holds who asked, when, the ruleset id/version/sha256, the engine version, the referral
facts as sent (the vocabulary has no names or free text) and the whole suggestion. Writing is
part of answering: if the row cannot be written the API returns no suggestion (fail closed).
Operational logs name record ids and rulesets, never facts.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import SQLAlchemyError

from engine.errors import ThresholdsError
from engine.evaluate.suggestion import Suggestion
from service.store.database import error_kind as _kind
from service.store.database import iso, records

log = logging.getLogger("thresholds.service")


class RecordUnavailable(ThresholdsError):
    """The record could not be written or read; the caller must fail closed."""

    caused_by = "internal"


@dataclass(frozen=True)
class Recorded:
    id: str
    recorded_at: str
    caller: str
    facts: dict[str, Any]
    suggestion: Suggestion


class DecisionRecord:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def write(self, caller: str, items: Sequence[tuple[Mapping[str, Any], Suggestion]]) -> list[Recorded]:
        """Write one row per (facts, suggestion), all or none."""
        now = dt.datetime.now(dt.UTC)
        rows = []
        out = []
        for facts, s in items:
            rid = uuid.uuid4().hex
            rows.append({
                "id": rid, "recorded_at": now, "caller": caller, "ruleset_id": s.ruleset.id,
                "ruleset_version": s.ruleset.version, "ruleset_sha256": s.ruleset.sha256,
                "engine_version": s.engine_version, "kind": s.kind,
                "outcome": s.outcome.value if s.outcome else None,
                "facts": json.dumps(dict(facts), sort_keys=True), "suggestion": s.model_dump_json(),
            })
            out.append(Recorded(rid, now.isoformat(), caller, dict(facts), s))
        if not rows:
            return out
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(records), rows)
        except SQLAlchemyError as e:
            log.error("record write failed type=%s", _kind(e))
            raise RecordUnavailable("the decision record could not be written") from None
        return out

    def get(self, record_id: str) -> Recorded | None:
        try:
            with self.engine.connect() as conn:
                row = conn.execute(select(records).where(records.c.id == record_id)).mappings().first()
        except SQLAlchemyError as e:
            log.error("record read failed type=%s", _kind(e))
            raise RecordUnavailable("the decision record could not be read") from None
        if row is None:
            return None
        return Recorded(row["id"], iso(row["recorded_at"]), row["caller"],
                        json.loads(row["facts"]), Suggestion.model_validate_json(row["suggestion"]))

    def recent(self, caller: str | None, limit: int) -> list[dict[str, Any]]:
        """Newest first; ``caller`` None means every caller's (admin)."""
        q = select(records.c.id, records.c.recorded_at, records.c.caller, records.c.ruleset_id,
                   records.c.ruleset_version, records.c.kind, records.c.outcome)
        if caller is not None:
            q = q.where(records.c.caller == caller)
        q = q.order_by(records.c.recorded_at.desc(), records.c.id).limit(limit)
        try:
            with self.engine.connect() as conn:
                rows = conn.execute(q).mappings().all()
        except SQLAlchemyError as e:
            log.error("record read failed type=%s", _kind(e))
            raise RecordUnavailable("the decision record could not be read") from None
        return [{**r, "recorded_at": iso(r["recorded_at"])} for r in rows]

    def statistics(self) -> list[dict[str, Any]]:
        """Counts by ruleset version, kind and outcome: for policy teams, no facts."""
        q = (select(records.c.ruleset_id, records.c.ruleset_version, records.c.kind, records.c.outcome,
                    func.count().label("count"))
             .group_by(records.c.ruleset_id, records.c.ruleset_version, records.c.kind, records.c.outcome)
             .order_by(records.c.ruleset_id, records.c.ruleset_version, records.c.kind, records.c.outcome))
        try:
            with self.engine.connect() as conn:
                return [dict(r) for r in conn.execute(q).mappings().all()]
        except SQLAlchemyError as e:
            log.error("record read failed type=%s", _kind(e))
            raise RecordUnavailable("the decision record could not be read") from None
