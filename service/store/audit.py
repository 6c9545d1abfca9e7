"""Data care for the decision record: the audit sample, retention, and the scenario-bank export.

* **Audit sample.** Multi-agency audits read a random sample of contacts. ``sample`` draws, for
  every ISO week, up to K records, spread across the suggested outcomes (strata taken in turn,
  safety levels first, so a week's rare child-protection contacts are not left out by chance),
  at random within each stratum. The draw depends only on the seed and the records, so the same
  seed gives the same sample.
* **Retention.** ``purge`` deletes records (and their decisions) recorded before a cut-off.
* **Scenario bank.** ``scenario_bank`` exports the recorded referrals' facts in the format the
  comparison tools read (``thresholds matrix --scenarios``): no record id, case reference,
  caller, rationale or time, so a bank can leave the service; identical referrals appear once.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
from collections import defaultdict
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import SQLAlchemyError

from engine.model.outcome import ORDER
from service.store.database import decisions, error_kind, iso, records
from service.store.record import RecordUnavailable

log = logging.getLogger("thresholds.service")
NO_SUGGESTION = "no_suggestion"
STRATA = [NO_SUGGESTION] + [o.value for o in reversed(ORDER)]
"""Strata in the order they are served: no suggestion, then the outcomes from the highest down."""


class Sampled(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    record_id: str
    week: str
    stratum: str
    recorded_at: str


def _when(at: object) -> dt.datetime:
    if isinstance(at, dt.datetime):
        return at if at.tzinfo else at.replace(tzinfo=dt.UTC)
    return dt.datetime.fromisoformat(str(at))


def _read(engine: Engine, q: Any) -> list[dict[str, Any]]:
    try:
        with engine.connect() as conn:
            return [dict(r) for r in conn.execute(q).mappings().all()]
    except SQLAlchemyError as e:
        log.error("record read failed type=%s", error_kind(e))
        raise RecordUnavailable("the decision record could not be read") from None


def sample(engine: Engine, seed: int, per_week: int) -> list[Sampled]:
    """Up to ``per_week`` records per ISO week, stratified by suggested outcome; reproducible by seed."""
    if per_week < 1:
        raise ValueError("per_week must be at least 1")
    rows = _read(engine, select(records.c.id, records.c.recorded_at, records.c.kind, records.c.outcome)
                 .order_by(records.c.recorded_at, records.c.id))
    weeks: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        year, number, _ = _when(r["recorded_at"]).isocalendar()
        stratum = r["outcome"] if r["kind"] == "suggestion" and r["outcome"] else NO_SUGGESTION
        weeks[f"{year}-W{number:02d}"][stratum].append(r)
    rng = random.Random(seed)
    out: list[Sampled] = []
    for week in sorted(weeks):
        pools = []
        for stratum in STRATA:
            pool = sorted(weeks[week].get(stratum, []), key=lambda r: r["id"])
            rng.shuffle(pool)
            if pool:
                pools.append((stratum, pool))
        taken = 0
        while taken < per_week and any(p for _, p in pools):
            for stratum, pool in pools:
                if pool and taken < per_week:
                    r = pool.pop()
                    out.append(Sampled(record_id=r["id"], week=week, stratum=stratum,
                                       recorded_at=iso(r["recorded_at"])))
                    taken += 1
    return out


def purge(engine: Engine, older_than_days: int, dry_run: bool = False) -> int:
    """Delete records (with their decisions) recorded more than ``older_than_days`` days ago."""
    if older_than_days < 1:
        raise ValueError("older_than_days must be at least 1")
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=older_than_days)
    old = select(records.c.id).where(records.c.recorded_at < cutoff)
    try:
        with engine.begin() as conn:
            ids = [r[0] for r in conn.execute(old).all()]
            if dry_run or not ids:
                return len(ids)
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                conn.execute(delete(decisions).where(decisions.c.record_id.in_(chunk)))
                conn.execute(delete(records).where(records.c.id.in_(chunk)))
    except SQLAlchemyError as e:
        log.error("record purge failed type=%s", error_kind(e))
        raise RecordUnavailable("the decision record could not be purged") from None
    log.info("records purged count=%d older_than_days=%d", len(ids), older_than_days)
    return len(ids)


def scenario_bank(engine: Engine, ruleset_id: str | None = None) -> dict[str, Any]:
    """Every distinct recorded referral as ``{"scenarios": [{"id", "facts"}]}`` (facts only);
    with ``ruleset_id``, only those evaluated under that authority (any version)."""
    q = select(records.c.facts)
    if ruleset_id is not None:
        q = q.where(records.c.ruleset_id == ruleset_id)
    rows = _read(engine, q.order_by(records.c.recorded_at, records.c.id))
    seen: set[str] = set()
    scenarios: list[dict[str, Any]] = []
    for r in rows:
        facts = {k: v for k, v in json.loads(r["facts"]).items() if v is not None}
        key = json.dumps(facts, sort_keys=True)
        if key in seen:
            continue
        seen.add(key)
        scenarios.append({"id": f"recorded-{len(scenarios) + 1:05d}", "facts": facts})
    return {"scenarios": scenarios}
