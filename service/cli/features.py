"""``thresholds features``: check feature files before a run, and report a run for people."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from service.cli.terminal import show, wrote
from service.training import report
from service.training.lint import lint_paths
from service.training.state import Runtime

DEFAULT_FEATURES = "features"


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "features", help="lint or run feature files (exercises), with terminal, Cucumber JSON and HTML reports",
        description="Tools for trainers' feature files (Gherkin exercises).")
    fsub = p.add_subparsers(dest="features_command", metavar="ACTION", required=True)
    lint = fsub.add_parser(
        "lint", help="check feature files: syntax, tags, unknown steps, facts, values, authorities, levels",
        description="Check each feature file on its own (one broken file does not stop the others). Exit status "
        "0 when every file is usable, 1 otherwise.")
    lint.add_argument("paths", nargs="*", metavar="PATH", help=f"files or folders (default: {DEFAULT_FEATURES}/)")
    lint.add_argument("--strict", action="store_true", help="treat warnings (e.g. no cited indicator) as problems")
    lint.set_defaults(handler=run_lint)
    run = fsub.add_parser(
        "run", help="run the exercises against the rulesets: summary, Cucumber JSON and an HTML page",
        description="Run every scenario of the feature files (pytest-bdd, from inside this command: no pytest "
        "command and no checkout needed). Prints a summary by feature and scenario; --out writes an HTML page to "
        "share and --json the Cucumber JSON. Exit status 0 when every scenario passed, 1 otherwise.")
    run.add_argument("paths", nargs="*", metavar="PATH", help=f"files or folders (default: {DEFAULT_FEATURES}/)")
    run.add_argument("--tag", metavar="TAG", help="run only scenarios with this tag (e.g. fgm or @fgm)")
    run.add_argument("--out", metavar="REPORT.html", help="write the HTML page here")
    run.add_argument("--json", metavar="REPORT.json", help="write the Cucumber JSON here")
    run.add_argument("--title", default="Threshold exercises: results", help="the page title")
    run.set_defaults(handler=run_run)
    rep = fsub.add_parser(
        "report", help="summarise a Cucumber JSON run (pytest --cucumberjson=FILE) and write an HTML page",
        description="Print a summary by feature and scenario, and with --out write a self-contained HTML page "
        "a trainer can share. Exit status 1 if any scenario failed.")
    rep.add_argument("results", metavar="RESULTS.json", help="Cucumber JSON written by pytest --cucumberjson")
    rep.add_argument("--out", metavar="REPORT.html", help="write the HTML page here")
    rep.add_argument("--title", default="Threshold exercises: results", help="the page title")
    rep.set_defaults(handler=run_report)


def run_lint(args: argparse.Namespace) -> int:
    paths = args.paths or [DEFAULT_FEATURES]
    for raw in paths:
        if not Path(raw).exists():
            print(f"error: {raw}: no such file or folder", file=sys.stderr)
            return 1
    reports = lint_paths(paths, runtime=Runtime(getattr(args, "rulesets", None)))
    bad = 0
    scenarios = 0
    for r in reports:
        scenarios += r.cases
        problems = r.fatal + r.problems + (r.warnings if args.strict else [])
        for p in problems:
            print(f"{p}", file=sys.stderr)
        if not args.strict:
            for w in r.warnings:
                print(f"{w} (warning)", file=sys.stderr)
        if problems:
            bad += 1
    print(f"{len(reports)} feature files, {scenarios} scenarios: "
          + ("all usable" if not bad else f"{bad} file(s) with problems"))
    return 1 if bad else 0


def run_run(args: argparse.Namespace) -> int:
    from service.training.exercise_run import run
    from service.training.tags import TAGS

    paths = [Path(p) for p in (args.paths or [DEFAULT_FEATURES])]
    for p in paths:
        if not p.exists():
            print(f"error: {p}: no such file or folder", file=sys.stderr)
            return 1
    tag = args.tag.removeprefix("@") if args.tag else None
    if tag is not None and tag not in TAGS:
        print(f"error: --tag {args.tag}: not a declared tag; declared tags: " + ", ".join(sorted(TAGS)),
              file=sys.stderr)
        return 1
    result = run(paths, tag, getattr(args, "rulesets", None))
    for path, problems in sorted(result.broken.items()):
        print(f"error: {path} was not run:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
    if not result.features:
        print(result.pytest_output, end="", file=sys.stderr)
        print("error: no scenario was run" + (f" (none has the tag @{tag})" if tag else ""), file=sys.stderr)
        return 1
    print(report.to_text(result.features), end="")  # running exercises: the results are the output
    if args.json:
        Path(args.json).write_text(result.cucumber_json, encoding="utf-8")
        wrote(f"wrote {args.json}")
    if args.out:
        Path(args.out).write_text(report.to_html(result.features, args.title), encoding="utf-8")
        wrote(f"wrote {args.out}")
    return 0 if result.exit_code == 0 and not result.broken else 1


def _counts(runs: list[report.FeatureRun]) -> str:
    t = report.totals(runs)
    return (f"{t['features']} features, {t['scenarios']} scenarios: {t['passed']} passed, {t['failed']} failed, "
            f"{t['skipped']} skipped")


def run_report(args: argparse.Namespace) -> int:
    runs = report.load_cucumber(args.results)
    if args.out:  # an --out command says what it wrote and prints nothing else
        Path(args.out).write_text(report.to_html(runs, args.title), encoding="utf-8")
        wrote(f"wrote {args.out}: {_counts(runs)}")
    else:
        show(report.to_text(runs))
    return 1 if report.totals(runs)["failed"] else 0
