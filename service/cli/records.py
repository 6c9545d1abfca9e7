"""``thresholds records``: decisions, practice figures, case-file summaries, audit sample, retention, export.

Works on the service's database (THRESHOLDS_DATABASE_URL, default SQLite under ./instance),
upgrading its schema first like the service does. The command line has no API key, so whoever
records or reviews a decision names themselves with ``--by``; the same rules apply as in the
service (a downgrade from safety waits for a different manager).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from engine.errors import ThresholdsError
from engine.model.outcome import Outcome
from service.cli.common import catalogue
from service.config import load_settings
from service.store import audit, summary
from service.store.database import connect
from service.store.decision import DecisionConflict, DecisionInvalid, Decisions
from service.store.keys import CALLER
from service.store.practice import PracticeFigures, PracticeRecord
from service.store.record import DecisionRecord, Recorded, RecordUnavailable


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "records", help="decisions, practice figures, summaries, audit sample, purge and export",
        description="The decision record: practitioners' decisions beside the suggestions, practice figures for "
        "QA, case-file summaries, the audit sample, retention and a scenario-bank export.")
    rs = p.add_subparsers(dest="records_command", metavar="ACTION", required=True)

    s = rs.add_parser("statistics", help="agreement, weighted kappa, override rates by rule, downgrades")
    s.add_argument("--json", action="store_true", help="print the figures as JSON")
    s.set_defaults(handler=_guarded(statistics))

    d = rs.add_parser("decide", help="record the practitioner's decision on a record")
    d.add_argument("record_id", metavar="RECORD_ID")
    d.add_argument("--by", required=True, metavar="NAME", help="who decided")
    d.add_argument("--case-reference", required=True, metavar="REF", help="opaque case reference (not a name)")
    d.add_argument("--outcome", required=True, choices=[o.value for o in Outcome])
    d.add_argument("--level", metavar="ID", help="the local level id decided")
    d.add_argument("--reason", metavar="CODE", help="reason code (needed when the decision differs)")
    d.add_argument("--rationale", metavar="TEXT", help="at most 500 characters; never logged")
    d.set_defaults(handler=_guarded(decide))

    for name, verb in (("approve", "approve"), ("reject", "reject")):
        a = rs.add_parser(name, help=f"{verb} a downgrade waiting for a manager")
        a.add_argument("decision_id", metavar="DECISION_ID")
        a.add_argument("--by", required=True, metavar="NAME", help="the manager reviewing (not who decided)")
        a.set_defaults(handler=_guarded(review), approve=name == "approve")

    pe = rs.add_parser("pending", help="downgrades waiting for a manager")
    pe.set_defaults(handler=_guarded(pending))

    su = rs.add_parser("summary", help="the case-file summary of a record (HTML, PDF or JSON)")
    su.add_argument("record_id", metavar="RECORD_ID")
    fmt = su.add_mutually_exclusive_group()
    fmt.add_argument("--pdf", metavar="FILE", help="write an A4 PDF (printed by Chromium)")
    fmt.add_argument("--json", action="store_true", help="print the summary as JSON")
    su.set_defaults(handler=_guarded(summary_cmd))

    sa = rs.add_parser("sample", help="reproducible audit sample, stratified by outcome, K per week")
    sa.add_argument("--seed", type=int, required=True, metavar="N")
    sa.add_argument("--per-week", type=int, required=True, metavar="K")
    sa.add_argument("--out", metavar="DIR", help="also write each sampled record's case-file summary (HTML) here")
    sa.set_defaults(handler=_guarded(sample))

    pu = rs.add_parser("purge", help="delete records (and their decisions) older than DAYS")
    pu.add_argument("--older-than", type=int, required=True, metavar="DAYS")
    pu.add_argument("--dry-run", action="store_true", help="only count them")
    pu.set_defaults(handler=_guarded(purge))

    ex = rs.add_parser("export", help="recorded referrals' facts as a scenario bank for `thresholds matrix`")
    ex.add_argument("--out", metavar="FILE", help="write here (default: standard output)")
    ex.set_defaults(handler=_guarded(export))


def _guarded(fn: Any) -> Any:
    """The record being unreachable is a one-line error, not a traceback."""
    def run(args: argparse.Namespace) -> int:
        try:
            code: int = fn(args)
            return code
        except RecordUnavailable as e:
            raise ThresholdsError(f"{e} (THRESHOLDS_DATABASE_URL)") from None
    return run


def _engine() -> Any:
    return connect(load_settings().database_url)


def _decisions(engine: Any) -> Decisions:
    return Decisions(engine, load_settings().reason_codes)


def _record(engine: Any, record_id: str) -> Recorded:
    rec = DecisionRecord(engine).get(record_id)
    if rec is None:
        raise ThresholdsError(f"no record '{record_id}' in the decision record")
    return rec


def _who(name: str) -> str:
    if not CALLER.match(name):
        raise ThresholdsError("--by must be 1-100 letters, digits, spaces or ._@- (starting with a letter or digit)")
    return name


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{x * 100:.1f}%"


def print_figures(f: PracticeFigures) -> None:
    kappa = "not defined" if f.weighted_kappa is None else f"{f.weighted_kappa:.3f}"
    print(f"decisions: {f.decisions}; agreement {_pct(f.agreement)}; weighted kappa (linear) {kappa}")
    for title, rows in (("by rule", f.by_rule), ("by council", f.by_council), ("by ruleset version", f.by_version),
                        ("by reason code", f.by_reason)):
        print(f"\noverride rate {title}:")
        if not rows:
            print("  (no decisions)")
        width = max((len(r.key) for r in rows), default=0)
        for r in rows:
            print(f"  {r.key:<{width}}  {_pct(r.override_rate):>6} of {r.decisions:>4}  "
                  f"(up {r.override_up}, down {r.override_down}, agree {r.agrees})")
    print(f"\ndowngrades from safety levels: {len(f.downgrades)}")
    for d in f.downgrades:
        review = f"reviewed by {d.reviewed_by} {d.reviewed_at}" if d.reviewed_by else "not reviewed"
        print(f"  {d.decision_id} record {d.record_id} {d.ruleset}: {d.suggested.value} -> {d.decided.value} "
              f"({d.reason_code}) {d.status}; decided by {d.decided_by} {d.decided_at}; {review}")


def statistics(args: argparse.Namespace) -> int:
    f = PracticeRecord(_engine()).figures()
    if args.json:
        print(f.model_dump_json(indent=2))
    else:
        print_figures(f)
    return 0


def decide(args: argparse.Namespace) -> int:
    engine = _engine()
    rec = _record(engine, args.record_id)
    loaded = catalogue(args).by_sha(rec.suggestion.ruleset.sha256)
    levels = {lv.id: lv.outcome for lv in loaded.model.levels} if loaded else None
    body = {"case_reference": args.case_reference, "outcome": args.outcome, "level": args.level,
            "reason_code": args.reason, "rationale": args.rationale}
    try:
        d = _decisions(engine).record(rec.id, rec.suggestion, _who(args.by), body, levels)
    except DecisionInvalid as e:
        for p in e.problems:
            print(f"error: {p}", file=sys.stderr)
        return 1
    except DecisionConflict as e:
        raise ThresholdsError(str(e)) from None
    print(f"decision {d.id} recorded: {d.outcome.value} ({d.direction.replace('_', ' ')}), status {d.status}")
    if d.status == "pending_approval":
        print("a downgrade from a safety level: it waits for a different manager to approve or reject it")
    return 0


def review(args: argparse.Namespace) -> int:
    try:
        d = _decisions(_engine()).review(args.decision_id, _who(args.by), args.approve)
    except KeyError:
        raise ThresholdsError(f"no decision '{args.decision_id}'") from None
    except DecisionConflict as e:
        raise ThresholdsError(str(e)) from None
    print(f"decision {d.id} {d.status} by {d.reviewed_by} at {d.reviewed_at} (decided by {d.decided_by})")
    return 0


def pending(args: argparse.Namespace) -> int:
    found = _decisions(_engine()).pending()
    if not found:
        print("no downgrades are waiting")
    for d in found:
        print(f"{d.id} record {d.record_id}: {d.outcome.value} ({d.reason_code}) by {d.decided_by} {d.decided_at}")
    return 0


def _summary(engine: Any, record_id: str, args: argparse.Namespace) -> summary.CaseSummary:
    rec = _record(engine, record_id)
    return summary.build(rec, _decisions(engine).for_record(rec.id), catalogue(args))


def summary_cmd(args: argparse.Namespace) -> int:
    s = _summary(_engine(), args.record_id, args)
    if args.json:
        print(s.model_dump_json(indent=2))
    elif args.pdf:
        Path(args.pdf).write_bytes(summary.pdf(summary.html(s)))
        print(f"wrote {args.pdf}")
    else:
        print(summary.html(s))
    return 0


def sample(args: argparse.Namespace) -> int:
    if args.per_week < 1:
        raise ThresholdsError("--per-week must be at least 1")
    engine = _engine()
    drawn = audit.sample(engine, args.seed, args.per_week)
    out = Path(args.out) if args.out else None
    if out:
        out.mkdir(parents=True, exist_ok=True)
        (out / "sample.json").write_text(json.dumps({"seed": args.seed, "per_week": args.per_week,
                                                     "records": [s.model_dump() for s in drawn]}, indent=2) + "\n")
    for s in drawn:
        print(f"{s.week}  {s.stratum:<26} {s.record_id}  {s.recorded_at}")
        if out:
            (out / f"{s.record_id}.html").write_text(summary.html(_summary(engine, s.record_id, args)),
                                                     encoding="utf-8")
    print(f"{len(drawn)} records sampled (seed {args.seed}, up to {args.per_week} a week)"
          + (f"; summaries in {out}" if out else ""), file=sys.stderr)
    return 0


def purge(args: argparse.Namespace) -> int:
    if args.older_than < 1:
        raise ThresholdsError("--older-than must be at least 1 day")
    n = audit.purge(_engine(), args.older_than, args.dry_run)
    print(f"{n} records older than {args.older_than} days " + ("would be deleted" if args.dry_run else "deleted"))
    return 0


def export(args: argparse.Namespace) -> int:
    text = json.dumps(audit.scenario_bank(_engine()), indent=2, sort_keys=True) + "\n"
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
