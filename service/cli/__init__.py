"""The ``thresholds`` command line.

One module per command; each exposes ``register(subparsers)`` and sets ``handler`` on its
parser. Every user error prints one clear message per problem to stderr and exits non-zero;
no command prints a stack trace for bad input.

Rule: the command line is the outermost interface: it may import the engine, the store,
training and (for ``thresholds serve``) the app through ``service.create_app``; nothing in
the service imports it.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

from engine.errors import LocatedError, ThresholdsError

# Every command with its one-line help, so ``thresholds --help`` lists them without importing any
# command module; only the module of the command being run is imported (and with it only what that
# command uses: ``--help`` never imports pydantic, durable_rules, gherkin or pytest-bdd).
COMMANDS: dict[str, str] = {
    "evaluate": "evaluate a referral (JSON facts) under a ruleset",
    "list": "list the bundled rulesets with versions, dates and coverage",
    "validate": "check ruleset files and list every error (file:line:column)",
    "lint": "check rulesets for likely mistakes (after validation)",
    "render": "print a ruleset as a readable Markdown or HTML document",
    "vocabulary": "list the referral facts and their questions",
    "serve": "run the service under gunicorn (default http://127.0.0.1:8000/)",
    "keys": "manage API keys (create, list, revoke)",
    "replay": "replay a recorded evaluation and compare",
    "records": "decisions, practice figures, summaries, audit sample, purge and export",
    "diff": "compare two rulesets: structure, and referrals that get a different outcome",
    "matrix": "outcomes of a scenario bank under many rulesets: agreement, kappa, heatmaps",
    "triage": "ask only the questions that can change the suggestion, one at a time",
    "steps": "list every plain-English step phrase for feature files, with examples",
    "features": "lint or run feature files (exercises), with terminal, Cucumber JSON and HTML reports",
    "exercise": "trainee mode: answer a feature file's scenarios, then see the expected answer and why",
    "schema": "print the JSON Schemas (ruleset, national, vocabulary, referral) or rewrite them",
    "agreement": "measure how consistently trainees code vignettes into facts (alpha, AC1, kappa)",
    "definitions": "the definitions manual: what each fact and value means, with examples",
    "coverage": "list every source item of a ruleset version and whether it is encoded",
}


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"service.cli.{name}")


def _chosen(argv: Sequence[str]) -> str | None:
    """The command named in ``argv`` (skipping ``--rulesets DIR``), if any."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--rulesets":
            skip = True
        elif not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def build_parser(only: str | None = None, lazy: bool = False) -> argparse.ArgumentParser:
    """The parser; with ``lazy``, only command ``only`` is imported and given its arguments."""
    parser = argparse.ArgumentParser(
        prog="thresholds",
        description="Threshold-of-intervention decision support for children's social care (England). "
        "Results are suggestions for a qualified practitioner, who decides.",
    )
    parser.add_argument("--rulesets", metavar="DIR",
                        help="a council's own ruleset folder (default: $THRESHOLDS_RULESETS, else the bundled "
                        "rulesets)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, summary in COMMANDS.items():
        if lazy and name != only:
            sub.add_parser(name, help=summary, add_help=False)
        else:
            _module(name).register(sub)
    return parser


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    argv = [*(sys.argv[1:] if argv is None else argv)]  # not list(): the `list` command module shadows it here
    return build_parser(_chosen(argv), lazy=True).parse_args(argv)


def _dispatch(args: argparse.Namespace) -> int:
    try:
        code: int = args.handler(args)
        return code
    except LocatedError as e:  # ruleset files, referral facts, feature files: one line per problem
        for p in e.problems:
            print(f"error: {p}", file=sys.stderr)
        return 1
    except ThresholdsError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error worth a traceback.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command in this process (tests call this); the exit code."""
    return _dispatch(_parse(argv))


def run() -> None:
    """The ``thresholds`` executable: one command, then the process ends.

    Start-up is mostly imports (pydantic builds a schema for every model class), which make
    hundreds of thousands of objects that live as long as the process and are never garbage, yet
    the cyclic collector would walk them again and again, and once more at exit to free memory the
    operating system takes back anyway. So the collector is paused while the command's module is
    imported, what the imports made is then frozen out of every later collection, and so is
    everything left when the command returns. Objects are still released; a cycle made during
    the command's work is still collected while it runs. This takes about a third off a
    one-referral ``evaluate`` (docs/performance.md). Only here, not in ``main``: a long-lived
    process that calls ``main`` again and again must keep collecting what it no longer uses.
    """
    gc.disable()
    try:
        args = _parse(None)
    finally:
        gc.freeze()
        gc.enable()
    code = _dispatch(args)
    gc.freeze()
    sys.exit(code)
