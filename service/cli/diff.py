"""``thresholds diff A B``: compare two rulesets (two authorities, or two versions of one).

``A`` and ``B`` are an authority id (the version in force on ``--as-of``, default today) or
``id@version``. Prints a readable report to the terminal, ``--json`` for the full
comparison, or ``--format md|html`` for a report a policy team can circulate; ``--out``
writes it to a file instead.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from engine.compare.comparison import compare
from engine.compare.draft import RecordedImpact, load_draft, recorded_impact
from engine.errors import ThresholdsError
from engine.load.catalogue import Catalogue, LoadedRuleset
from engine.render.diff_report import render
from service.cli.common import catalogue, parse_date, read_text
from service.cli.terminal import PIPED_WIDTH, show, width, wrote


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "diff", help="compare two rulesets: structure, and referrals that get a different outcome",
        description="Compare two rulesets (two authorities, or two versions of one). A and B are an authority "
        "id (the version in force on --as-of, default today) or id@version.")
    p.add_argument("a", metavar="A", nargs="?", help="first ruleset: id or id@version")
    p.add_argument("b", metavar="B", nargs="?", help="second ruleset: id or id@version")
    p.add_argument("--draft", metavar="FILE",
                   help="try a draft revision (a ruleset file with 'status: draft') against its authority's version "
                   "in force, without it going live; instead of A and B")
    p.add_argument("--records", metavar="BANK",
                   help="with --draft: replay recorded referrals' facts (the file `thresholds records export` "
                   "writes) under the draft and the version in force, and say how many move up or down")
    p.add_argument("--as-of", type=parse_date, metavar="DATE", help="pick the versions in force on DATE (YYYY-MM-DD)")
    p.add_argument("--version-a", metavar="V", help="version of A (same as A@V)")
    p.add_argument("--version-b", metavar="V", help="version of B (same as B@V)")
    p.add_argument("--json", action="store_true", help="print the full comparison as JSON")
    p.add_argument("--format", choices=("text", "md", "html"), default=None,
                   help="report format (default: text for the terminal; md when --out ends in .md, html for .html)")
    p.add_argument("--limit", type=int, default=2, metavar="N",
                   help="referrals shown per concern in terminal text (default 2; reports show all)")
    p.add_argument("--ids", action="store_true",
                   help="name the rules by their ids in the text report (for rule authors)")
    p.add_argument("--out", metavar="FILE", help="write the report (or JSON) to FILE instead of printing it")
    p.set_defaults(handler=run)


def resolve(cat: Catalogue, spec: str, version: str | None, as_of: dt.date | None, flag: str) -> LoadedRuleset:
    """``id`` or ``id@version``; a version given both ways must agree."""
    rid, _, at = spec.partition("@")
    if not rid:
        raise ThresholdsError(f"'{spec}': expected an authority id or id@version")
    if at and version and at != version:
        raise ThresholdsError(f"'{spec}' names version {at} but {flag} says {version}")
    return cat.select(rid, version=at or version, as_of=None if (at or version) else as_of)


def run(args: argparse.Namespace) -> int:
    cat = catalogue(args)
    impact: RecordedImpact | None = None
    if args.draft:
        if args.a or args.b:
            raise ThresholdsError("--draft FILE compares the draft with the version in force: give no A or B")
        a, b = load_draft(cat, read_text(args.draft), args.draft)
        if args.records:
            from service.cli.matrix import read_bank

            impact = recorded_impact(a, b, read_bank(args.records, cat))
    elif args.records:
        raise ThresholdsError("--records BANK goes with --draft FILE")
    elif not (args.a and args.b):
        raise ThresholdsError("give two rulesets A and B, or --draft FILE")
    else:
        a = resolve(cat, args.a, args.version_a, args.as_of, "--version-a")
        b = resolve(cat, args.b, args.version_b, args.as_of, "--version-b")
    if a.sha256 == b.sha256:
        print(f"note: A and B are the same ruleset version ({a.key}); nothing can differ", file=sys.stderr)
    comparison = compare(a, b)
    fmt = args.format or _format_for(args.out)
    if args.json:
        doc = comparison.model_dump(mode="json") | ({"recorded": impact.model_dump(mode="json")} if impact else {})
        text = json.dumps(doc, indent=2) + "\n"
    else:
        text = render(comparison, fmt, limit=max(args.limit, 1), width=PIPED_WIDTH if args.out else width(),
                      ids=args.ids) + (
            _impact_text(impact) if impact else "")
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        wrote(f"wrote {args.out}: {comparison.semantic.differing} referral(s) with a different outcome, "
              f"{len(comparison.structural.concerns)} concern(s) differing")
    else:
        show(text)
    return 0


def _impact_text(m: RecordedImpact) -> str:
    lines = ["", "Recorded referrals under the draft", "", m.statement,
             f"{m.referrals} recorded referral(s): {m.up} would move up, {m.down} would move down.", "",
             "By concern (referrals, up, down):"]
    lines += [f"  {x.key.replace('_', ' ')}: {x.referrals}, {x.up} up, {x.down} down" for x in m.by_concern]
    lines += ["By outcome under the version in force (referrals, up, down):"]
    lines += [f"  {x.key}: {x.referrals}, {x.up} up, {x.down} down" for x in m.by_outcome]
    return "\n".join(lines) + "\n"


def _format_for(out: str | None) -> str:
    if out and out.endswith((".html", ".htm")):
        return "html"
    if out and out.endswith(".md"):
        return "md"
    return "text"
