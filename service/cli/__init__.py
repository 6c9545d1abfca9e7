"""The ``thresholds`` command line.

One module per command; each exposes ``register(subparsers)`` and sets ``handler`` on its
parser. Every user error prints one clear message per problem to stderr and exits non-zero;
no command prints a stack trace for bad input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType

from engine.errors import ReferralError, RulesetError, ThresholdsError


def _commands() -> list[ModuleType]:
    from service.cli import (
        coverage,
        diff,
        evaluate,
        exercise,
        features,
        keys,
        lint,
        matrix,
        render,
        replay,
        schema,
        serve,
        steps,
        triage,
        validate,
        vocabulary,
    )
    from service.cli import (
        list as list_,
    )

    return [evaluate, list_, validate, lint, render, vocabulary, serve, keys, replay, diff, matrix, triage,
            steps, features, exercise, schema, coverage]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="thresholds",
        description="Threshold-of-intervention decision support for children's social care (England). "
        "Results are suggestions for a qualified practitioner, who decides.",
    )
    parser.add_argument("--rulesets", metavar="DIR", help="ruleset folder (default: the bundled rulesets)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in _commands():
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
        return code
    except RulesetError as e:
        for p in e.problems:
            print(f"error: {p}", file=sys.stderr)
        return 1
    except ReferralError as e:
        for fp in e.problems:
            print(f"error: {fp}", file=sys.stderr)
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


def run() -> None:
    sys.exit(main())
