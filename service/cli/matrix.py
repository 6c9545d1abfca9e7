"""``thresholds matrix``: a scenario bank under many rulesets, agreement figures and heatmaps.

Writes to ``--out DIR``: ``matrix.json`` (everything, including every scenario's outcomes),
``outcomes.csv``, ``report.md`` and ``report.html`` (which show the pictures), and
``agreement.svg/.png`` and ``concerns.svg/.png``. The terminal gets the headline figures
(or ``--json``), and progress on stderr for long runs.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from engine.compare.scenarios import Scenario, from_witnesses, parse_bank, random_bank
from engine.compare.variation import MIN_INDICATORS, variation_matrix
from engine.compare.witness import witness_bank
from engine.errors import ReferralError, ThresholdsError, did_you_mean
from engine.evaluate.bulk import BulkEvaluator
from engine.load.catalogue import Catalogue, LoadedRuleset
from engine.render.heatmap import write_pictures
from engine.render.variation_report import render, to_csv
from service.cli.common import catalogue, parse_date, read_text
from service.cli.diff import resolve
from service.cli.terminal import progress, wrote

MAX_BANK_BYTES = 64_000_000
PROGRESS_FROM = 50_000


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "matrix", help="outcomes of a scenario bank under many rulesets: agreement, kappa, heatmaps",
        description="Evaluate a bank of scenarios under several rulesets (default: every bundled authority) "
        "and write the outcome matrix, agreement figures, reports and heatmap pictures to --out DIR. The "
        "default bank is the witness referrals of all the rulesets compared.")
    p.add_argument("ids", nargs="*", metavar="ID", help="authority ids or id@version (default: all, current)")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the files (created if missing)")
    bank = p.add_mutually_exclusive_group()
    bank.add_argument("--scenarios", metavar="FILE",
                      help='JSON array of referrals [{"facts": {...}, "id"?, "concern"?}] (or .jsonl, one per line)')
    bank.add_argument("--random", type=int, metavar="N", help="N random referrals instead (reproducible with --seed)")
    p.add_argument("--seed", type=int, default=1, help="seed for --random (default 1)")
    p.add_argument("--as-of", type=parse_date, metavar="DATE", help="use the versions in force on DATE")
    p.add_argument("--min-indicators", type=int, default=MIN_INDICATORS, metavar="N",
                   help=f"stated coverage: rulesets with fewer than N local indicators are sparse and left out of "
                   f"the agreement figures (default {MIN_INDICATORS}: those with none)")
    p.add_argument("--include-sparse", action="store_true",
                   help="count sparse rulesets in the agreement figures too (they are always evaluated and shown)")
    p.add_argument("--json", action="store_true", help="print the summary figures as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(handler=run)


def read_bank(path: str, cat: Catalogue) -> list[Scenario]:
    p = Path(path)
    text = read_text(path, MAX_BANK_BYTES)
    try:
        if p.suffix == ".jsonl":
            lines = [(n, ln) for n, ln in enumerate(text.splitlines(), 1) if ln.strip()]
            doc: Any = []
            for n, ln in lines:
                try:
                    doc.append(json.loads(ln))
                except json.JSONDecodeError as e:
                    raise ThresholdsError(f"{path}:{n}:{e.colno}: invalid JSON: {e.msg}") from None
        else:
            doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise ThresholdsError(f"{path}:{e.lineno}:{e.colno}: invalid JSON: {e.msg}") from None
    except RecursionError:
        raise ThresholdsError(f"{path}: JSON nested too deeply") from None
    try:
        return parse_bank(doc, cat.vocabulary)
    except ReferralError as e:
        where = " (JSON pointers; in a .jsonl file /N is line N+1)" if p.suffix == ".jsonl" else ""
        raise ThresholdsError(f"{path}: invalid scenario bank{where}:\n" + "\n".join(
            f"  {path}#{fp.pointer}: {fp.message}{did_you_mean(fp.suggestions)}" for fp in e.problems)) from None


def chosen(cat: Catalogue, args: argparse.Namespace) -> list[LoadedRuleset]:
    if args.ids:
        picked = [resolve(cat, spec, None, args.as_of, "--as-of") for spec in args.ids]
    else:
        picked = [cat.select(rid, as_of=args.as_of) for rid in cat.ids()]
    if len(picked) < 2:
        raise ThresholdsError("a variation matrix needs at least two rulesets; known: " + ", ".join(cat.ids()))
    return picked


def run(args: argparse.Namespace) -> int:
    cat = catalogue(args)
    rulesets = chosen(cat, args)
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise ThresholdsError(f"{args.out}: exists and is not a folder")
    if not 0 <= args.min_indicators <= 100_000:
        raise ThresholdsError("--min-indicators must be between 0 and 100000")
    started = time.perf_counter()
    bulk = BulkEvaluator(rulesets)
    if args.scenarios:
        scenarios = read_bank(args.scenarios, cat)
    elif args.random:
        if not 1 <= args.random <= 1_000_000:
            raise ThresholdsError("--random must be between 1 and 1000000")
        scenarios = random_bank(cat.vocabulary, args.random, seed=args.seed)
    else:
        scenarios = from_witnesses(witness_bank(rulesets, bulk))
    total = len(scenarios) * len(rulesets)
    with progress(f"matrix: {len(scenarios):,} scenarios x {len(rulesets)} rulesets", total,
                  enabled=not args.quiet and total >= PROGRESS_FROM) as update:
        m = variation_matrix(rulesets, scenarios, bulk, update, min_indicators=args.min_indicators,
                             include_sparse=args.include_sparse)
    out.mkdir(parents=True, exist_ok=True)
    (out / "matrix.json").write_text(m.model_dump_json(indent=1) + "\n", encoding="utf-8")
    (out / "outcomes.csv").write_text(to_csv(m), encoding="utf-8")
    (out / "report.md").write_text(render(m, "md"), encoding="utf-8")
    (out / "report.html").write_text(render(m, "html"), encoding="utf-8")
    written = write_pictures(m, out)
    elapsed = time.perf_counter() - started
    if args.json:
        print(json.dumps(m.summary(), indent=2))
    else:
        wrote(f"wrote matrix.json, outcomes.csv, report.md, report.html, {', '.join(p.name for p in written)} "
              f"to {out} in {elapsed:.1f}s ({len(scenarios):,} scenarios x {len(rulesets)} rulesets; "
              f"{sum(m.counted)} counted in the agreement figures"
              + (f", {len(m.left_out)} sparse left out: see report.md)" if m.left_out else ")"))
    return 0
