"""The practitioner's decision, recorded beside the engine's suggestion (which is never edited).

A worker records what they decided for a recorded evaluation: the canonical outcome (and the
local level), whether that agrees with the suggestion or overrides it up or down, a reason code
from the deployment's list (THRESHOLDS_REASON_CODES, default policy / discretionary / other), an
opaque case reference and, optionally, a short rationale. The rationale is at most 500
characters, is never logged and is left out of exports unless asked for.

A decision below the suggestion when the suggestion is child protection or higher, or when any
national safety rule applied, is a *downgrade from safety*: it stays ``pending_approval`` until
someone else holding the ``manager`` role approves or rejects it. Approving one's own decision,
or reviewing a decision that is not pending (approving twice), is refused. Both identities and
both times are kept. A rejected decision stays on file; the worker may then record a new one.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from engine.errors import FieldProblem, ThresholdsError
from engine.evaluate.suggestion import Suggestion
from engine.model.outcome import Outcome
from service.config import REASON_CODE
from service.store.database import decisions, iso
from service.store.database import error_kind as _kind
from service.store.record import RecordUnavailable

log = logging.getLogger("thresholds.service")

Direction = Literal["agrees", "override_up", "override_down", "no_suggestion"]
Status = Literal["recorded", "pending_approval", "approved", "rejected"]
RATIONALE_MAX = 500
CASE_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.:-]{0,63}$")
OPEN: tuple[Status, ...] = ("recorded", "pending_approval", "approved")
"""Statuses of a decision that stands (or may stand): a record has at most one."""


class DecisionInvalid(ThresholdsError):
    """The decision as sent is not valid; ``problems`` locate each fault by JSON Pointer.

    ``contextual`` means the body is well-formed but does not fit this record or deployment (a
    reason is needed because the decision differs from the suggestion; a reason code this
    deployment does not use; a level the recorded ruleset does not have): the API answers 409.
    """

    def __init__(self, problems: Sequence[FieldProblem], contextual: bool = False) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = list(problems)
        self.contextual = contextual


class DecisionConflict(ThresholdsError):
    """The request conflicts with the decision's state (already decided, self-approval, reviewed twice)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Decision:
    id: str
    record_id: str
    case_reference: str
    decided_by: str
    decided_at: str
    outcome: Outcome
    level: str | None
    direction: Direction
    reason_code: str | None
    rationale: str | None
    status: Status
    reviewed_by: str | None
    reviewed_at: str | None

    def public(self, with_rationale: bool) -> dict[str, Any]:
        """As a JSON object; the rationale only when asked for (it is left out of exports)."""
        out: dict[str, Any] = {
            "id": self.id, "record_id": self.record_id, "case_reference": self.case_reference,
            "decided_by": self.decided_by, "decided_at": self.decided_at, "outcome": self.outcome.value,
            "level": self.level, "direction": self.direction, "reason_code": self.reason_code,
            "status": self.status, "reviewed_by": self.reviewed_by, "reviewed_at": self.reviewed_at,
        }
        if with_rationale:
            out["rationale"] = self.rationale
        return out


def direction(suggestion: Suggestion, decided: Outcome) -> Direction:
    if suggestion.kind != "suggestion" or suggestion.outcome is None:
        return "no_suggestion"
    if decided == suggestion.outcome:
        return "agrees"
    return "override_up" if decided > suggestion.outcome else "override_down"


def safety_rules(suggestion: Suggestion) -> list[str]:
    """The national safety rules that applied to this suggestion."""
    return [a.rule for a in suggestion.required_actions if a.origin == "national"]


def downgrade_from_safety(suggestion: Suggestion, decided: Outcome) -> bool:
    """Below a child-protection-or-higher suggestion, or below any suggestion a national safety rule shaped."""
    if direction(suggestion, decided) != "override_down" or suggestion.outcome is None:
        return False
    return suggestion.outcome >= Outcome.child_protection or bool(safety_rules(suggestion))


def _text(body: Mapping[str, Any], key: str, problems: list[FieldProblem], required: bool) -> str | None:
    value = body.get(key)
    if value is None:
        if required:
            problems.append(FieldProblem(f"/{key}", "is required"))
        return None
    if not isinstance(value, str):
        problems.append(FieldProblem(f"/{key}", "must be a string"))
        return None
    return value


def validate(body: object, suggestion: Suggestion, reason_codes: Sequence[str],
             levels: Mapping[str, Outcome] | None) -> tuple[str, Outcome, str | None, str | None, str | None]:
    """(case reference, outcome, level, reason code, rationale) from a request body, or DecisionInvalid.

    ``levels`` maps the recorded ruleset's local level ids to their outcomes when that ruleset
    version is still loaded; a level given must then exist and sit at the outcome given.
    """
    if not isinstance(body, Mapping):
        raise DecisionInvalid([FieldProblem("", "must be a JSON object")])
    problems: list[FieldProblem] = []
    known = {"case_reference", "outcome", "level", "reason_code", "rationale"}
    problems += [FieldProblem(f"/{k}", f"unknown field; known: {', '.join(sorted(known))}")
                 for k in sorted(set(body) - known)]
    case = _text(body, "case_reference", problems, True)
    if case is not None and not CASE_REFERENCE.match(case):
        problems.append(FieldProblem("/case_reference", "must be 1-64 letters, digits or /_.:- (an opaque reference, "
                                     "not a name)"))
    outcome_text = _text(body, "outcome", problems, True)
    outcome: Outcome | None = None
    if outcome_text is not None:
        try:
            outcome = Outcome(outcome_text)
        except ValueError:
            problems.append(FieldProblem("/outcome", f"must be one of {', '.join(o.value for o in Outcome)}"))
    level = _text(body, "level", problems, False)
    if level is not None and not 1 <= len(level) <= 40:
        problems.append(FieldProblem("/level", "must be 1-40 characters (a level id of the ruleset)"))
    reason = _text(body, "reason_code", problems, False)
    if reason is not None and not REASON_CODE.match(reason):
        problems.append(FieldProblem("/reason_code", "must be 1-40 lower-case letters, digits, '_' or '-'"))
    rationale = _text(body, "rationale", problems, False)
    if rationale is not None and len(rationale) > RATIONALE_MAX:
        problems.append(FieldProblem("/rationale", f"must be at most {RATIONALE_MAX} characters, not {len(rationale)}"))
    if problems or case is None or outcome is None:
        raise DecisionInvalid(problems)
    # Well-formed; now whether it fits this record and this deployment.
    if level is not None and levels is not None:
        if level not in levels:
            problems.append(FieldProblem("/level", f"is not a level of this ruleset; levels: {', '.join(levels)}"))
        elif levels[level] != outcome:
            problems.append(FieldProblem("/level", f"level {level} is {levels[level].value}, not {outcome.value}"))
    if reason is not None and reason not in reason_codes:
        problems.append(FieldProblem("/reason_code", f"must be one of this deployment's: {', '.join(reason_codes)}"))
    if reason is None and direction(suggestion, outcome) in ("override_up", "override_down"):
        problems.append(FieldProblem("/reason_code", "is required when the decision differs from the suggestion "
                                     f"({', '.join(reason_codes)})"))
    if problems:
        raise DecisionInvalid(problems, contextual=True)
    return case, outcome, level, reason, rationale or None


def _row(r: Mapping[str, Any]) -> Decision:
    return Decision(r["id"], r["record_id"], r["case_reference"], r["decided_by"], iso(r["decided_at"]),
                    Outcome(r["outcome"]), r["level"], r["direction"], r["reason_code"], r["rationale"], r["status"],
                    r["reviewed_by"], iso(r["reviewed_at"]) if r["reviewed_at"] else None)


class Decisions:
    """The decisions table: write, review and read; every database fault is RecordUnavailable."""

    def __init__(self, engine: Engine, reason_codes: Sequence[str]) -> None:
        self.engine = engine
        self.reason_codes = tuple(reason_codes)

    def record(self, record_id: str, suggestion: Suggestion, by: str, body: object,
               levels: Mapping[str, Outcome] | None) -> Decision:
        case, outcome, level, reason, rationale = validate(body, suggestion, self.reason_codes, levels)
        way = direction(suggestion, outcome)
        status: Status = "pending_approval" if downgrade_from_safety(suggestion, outcome) else "recorded"
        now = dt.datetime.now(dt.UTC)
        did = uuid.uuid4().hex
        try:
            with self.engine.begin() as conn:
                standing = conn.execute(select(decisions.c.id).where(
                    decisions.c.record_id == record_id, decisions.c.status.in_(OPEN))).first()
                if standing is not None:
                    raise DecisionConflict("already-decided", f"record {record_id} already has decision {standing[0]}; "
                                           "a new one can be recorded only after it is rejected")
                conn.execute(insert(decisions).values(
                    id=did, record_id=record_id, case_reference=case, decided_by=by, decided_at=now,
                    outcome=outcome.value, level=level, direction=way, reason_code=reason, rationale=rationale,
                    status=status))
        except SQLAlchemyError as e:
            log.error("decision write failed type=%s", _kind(e))
            raise RecordUnavailable("the decision could not be written") from None
        log.info("decision recorded id=%s record=%s direction=%s status=%s", did, record_id, way, status)
        return Decision(did, record_id, case, by, now.isoformat(), outcome, level, way, reason, rationale, status,
                        None, None)

    def review(self, decision_id: str, by: str, approve: bool) -> Decision:
        """Approve or reject a pending downgrade; never by the person who decided, never twice."""
        found = self.get(decision_id)
        if found is None:
            raise KeyError(decision_id)
        if found.decided_by == by:
            raise DecisionConflict("self-approval", "a decision cannot be reviewed by the person who recorded it")
        if found.status != "pending_approval":
            who = f" by {found.reviewed_by}" if found.reviewed_by else ""
            raise DecisionConflict("not-pending", f"decision {decision_id} is {found.status}{who}; only a pending "
                                   "decision can be reviewed, once")
        now = dt.datetime.now(dt.UTC)
        status: Status = "approved" if approve else "rejected"
        try:
            with self.engine.begin() as conn:
                done = conn.execute(update(decisions).where(
                    decisions.c.id == decision_id, decisions.c.status == "pending_approval",
                    decisions.c.decided_by != by).values(status=status, reviewed_by=by, reviewed_at=now))
        except SQLAlchemyError as e:
            log.error("decision review failed type=%s", _kind(e))
            raise RecordUnavailable("the review could not be written") from None
        if done.rowcount != 1:  # someone else reviewed it between our read and our write
            raise DecisionConflict("not-pending", f"decision {decision_id} was reviewed meanwhile")
        log.info("decision reviewed id=%s status=%s", decision_id, status)
        return Decision(**{**found.__dict__, "status": status, "reviewed_by": by, "reviewed_at": now.isoformat()})

    def _select(self, *where: Any) -> list[Decision]:
        try:
            with self.engine.connect() as conn:
                rows = conn.execute(select(decisions).where(*where)
                                    .order_by(decisions.c.decided_at, decisions.c.id)).mappings().all()
        except SQLAlchemyError as e:
            log.error("decision read failed type=%s", _kind(e))
            raise RecordUnavailable("the decisions could not be read") from None
        return [_row(dict(r)) for r in rows]

    def get(self, decision_id: str) -> Decision | None:
        found = self._select(decisions.c.id == decision_id)
        return found[0] if found else None

    def for_record(self, record_id: str) -> list[Decision]:
        """Every decision on a record, oldest first (rejected ones included)."""
        return self._select(decisions.c.record_id == record_id)

    def pending(self) -> list[Decision]:
        return self._select(decisions.c.status == "pending_approval")

    def standing(self) -> list[Decision]:
        """The decisions that stand (not rejected): what the practice figures count."""
        return self._select(decisions.c.status.in_(OPEN))
