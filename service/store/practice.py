"""Practice figures for quality assurance: how practitioners' decisions compare with the suggestions.

Structured Decision Making services monitor override rates by rule, because a rule that is
overridden often is either wrongly encoded or wrongly applied. From every standing decision
(rejected ones are left out) and its recorded suggestion this computes: agreement (the share of
decisions at the suggested outcome, and Cohen's weighted kappa with linear weights on the
ordered national outcome scale, Cohen 1968), override rates by rule (each matched indicator,
combination and safety rule of the suggestion), by council, by ruleset version and by reason
code, and the list of downgrades from safety levels. No facts, case references or rationales
appear in the figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError

from engine.model.outcome import ORDER, Outcome
from service.store.database import decisions, iso, records
from service.store.database import error_kind as _kind
from service.store.decision import OPEN, downgrade_from_safety, safety_rules
from service.store.record import RecordUnavailable, log


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OverrideRate(_Value):
    key: str = Field(description="The rule id, council (ruleset id), ruleset version or reason code.")
    decisions: int
    agrees: int
    override_up: int
    override_down: int
    override_rate: float = Field(description="(up + down) / decisions, 0-1.")


class Downgrade(_Value):
    decision_id: str
    record_id: str
    ruleset: str
    suggested: Outcome
    decided: Outcome
    safety_rules: list[str]
    reason_code: str | None
    status: str
    decided_by: str
    decided_at: str
    reviewed_by: str | None
    reviewed_at: str | None


class PracticeFigures(_Value):
    decisions: int = Field(description="Standing decisions on records that had a suggestion.")
    agreement: float | None = Field(description="Share of decisions at the suggested outcome (0-1).")
    weighted_kappa: float | None = Field(description="Cohen's kappa, linear weights over the ordered outcomes.")
    kappa_note: str
    by_rule: list[OverrideRate]
    by_council: list[OverrideRate]
    by_version: list[OverrideRate]
    by_reason: list[OverrideRate]
    downgrades: list[Downgrade]


def weighted_kappa(pairs: Iterable[tuple[int, int]], categories: int, linear: bool = True) -> float | None:
    """Cohen's weighted kappa with linear disagreement weights |i - j| / (k - 1); None when undefined.

    ``pairs`` are (rater A, rater B) category indices 0..k-1. Kappa_w = 1 - sum(w*observed) /
    sum(w*expected), the expected table being the product of the two margins. ``linear=False``
    gives every disagreement weight 1: Cohen's (unweighted) kappa.
    """
    table = [[0] * categories for _ in range(categories)]
    n = 0
    for a, b in pairs:
        table[a][b] += 1
        n += 1
    if n == 0 or categories < 2:
        return None
    rows = [sum(r) for r in table]
    cols = [sum(table[i][j] for i in range(categories)) for j in range(categories)]
    observed = expected = 0.0
    for i in range(categories):
        for j in range(categories):
            w = abs(i - j) / (categories - 1) if linear else float(i != j)
            observed += w * table[i][j] / n
            expected += w * rows[i] * cols[j] / (n * n)
    if expected == 0:
        return None  # both raters used one and the same category only: chance explains everything
    return 1 - observed / expected


def _rates(groups: dict[str, list[str]]) -> list[OverrideRate]:
    out = []
    for key, ways in groups.items():
        up, down = ways.count("override_up"), ways.count("override_down")
        out.append(OverrideRate(key=key, decisions=len(ways), agrees=ways.count("agrees"), override_up=up,
                                override_down=down, override_rate=(up + down) / len(ways)))
    return sorted(out, key=lambda r: (-r.override_rate, -r.decisions, r.key))


def figures(rows: Sequence[dict[str, Any]]) -> PracticeFigures:
    """The figures from joined (decision, record) rows; see ``PracticeRecord.rows``."""
    from engine.evaluate.suggestion import Suggestion

    rank = {o: i for i, o in enumerate(ORDER)}
    pairs: list[tuple[int, int]] = []
    by_rule: dict[str, list[str]] = defaultdict(list)
    by_council: dict[str, list[str]] = defaultdict(list)
    by_version: dict[str, list[str]] = defaultdict(list)
    by_reason: dict[str, list[str]] = defaultdict(list)
    downgrades: list[Downgrade] = []
    for r in rows:
        s = Suggestion.model_validate_json(r["suggestion"])
        if s.outcome is None or r["direction"] == "no_suggestion":
            continue
        decided = Outcome(r["outcome"])
        way = r["direction"]
        pairs.append((rank[s.outcome], rank[decided]))
        rules = {m.id for m in s.matched_indicators} | {c.id for c in s.combinations} | {
            a.rule for a in s.required_actions}
        for rule in sorted(rules):
            by_rule[rule].append(way)
        by_council[s.ruleset.id].append(way)
        by_version[f"{s.ruleset.id}@{s.ruleset.version}"].append(way)
        by_reason[r["reason_code"] or "(none: agrees)"].append(way)
        if downgrade_from_safety(s, decided):
            downgrades.append(Downgrade(
                decision_id=r["id"], record_id=r["record_id"], ruleset=f"{s.ruleset.id}@{s.ruleset.version}",
                suggested=s.outcome, decided=decided, safety_rules=safety_rules(s), reason_code=r["reason_code"],
                status=r["status"], decided_by=r["decided_by"], decided_at=iso(r["decided_at"]),
                reviewed_by=r["reviewed_by"], reviewed_at=iso(r["reviewed_at"]) if r["reviewed_at"] else None))
    n = len(pairs)
    kappa = weighted_kappa(pairs, len(ORDER))
    note = ("Cohen's weighted kappa, linear weights over the six ordered outcomes: 1 is full agreement, 0 is what "
            "the two sets of outcome frequencies would give by chance.")
    if kappa is None:
        note = "Weighted kappa is not defined: it needs at least one decision and more than one outcome in use."
    return PracticeFigures(
        decisions=n, agreement=(sum(1 for a, b in pairs if a == b) / n) if n else None, weighted_kappa=kappa,
        kappa_note=note, by_rule=_rates(by_rule), by_council=_rates(by_council), by_version=_rates(by_version),
        by_reason=_rates(by_reason), downgrades=downgrades)


class PracticeRecord:
    """Reads standing decisions joined with their records' suggestions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def rows(self) -> list[dict[str, Any]]:
        q = (select(decisions.c.id, decisions.c.record_id, decisions.c.outcome, decisions.c.direction,
                    decisions.c.reason_code, decisions.c.status, decisions.c.decided_by, decisions.c.decided_at,
                    decisions.c.reviewed_by, decisions.c.reviewed_at, records.c.suggestion)
             .join(records, records.c.id == decisions.c.record_id)
             .where(decisions.c.status.in_(OPEN))
             .order_by(decisions.c.decided_at, decisions.c.id))
        try:
            with self.engine.connect() as conn:
                return [dict(r) for r in conn.execute(q).mappings().all()]
        except SQLAlchemyError as e:
            log.error("practice read failed type=%s", _kind(e))
            raise RecordUnavailable("the decision record could not be read") from None

    def figures(self) -> PracticeFigures:
        return figures(self.rows())


