"""``thresholds evaluate``: one referral under one ruleset, explained."""

from __future__ import annotations

import argparse
from dataclasses import replace
from typing import Any

from engine.errors import ReferralError
from engine.evaluate.evaluator import Evaluator
from engine.model.referral import Referral
from engine.render.explanation import to_text
from service.cli.common import catalogue, parse_date, read_json, referral_facts
from service.cli.terminal import show


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "evaluate", help="evaluate a referral (JSON facts) under a ruleset",
        description="Evaluate referral facts under one authority's ruleset on both channels and explain "
        "the suggestion. Exit status 0 for a suggestion, 3 when no suggestion could be made.")
    p.add_argument("--ruleset", required=True, metavar="ID", help="authority id, e.g. kent")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--version", metavar="V", help="a specific ruleset version")
    g.add_argument("--as-of", type=parse_date, metavar="DATE", help="the version in force on DATE (YYYY-MM-DD)")
    p.add_argument("--json", action="store_true", help="print the suggestion as JSON")
    p.add_argument("facts", metavar="FACTS.json", help="referral JSON: {\"facts\": {...}} ('-' for stdin)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    facts = referral_facts(read_json(args.facts), args.facts)
    cat = catalogue(args, only=[args.ruleset])
    loaded = cat.select(args.ruleset, version=args.version, as_of=args.as_of)
    try:
        referral = Referral.of(cat.vocabulary, facts)  # report bad facts before compiling anything
    except ReferralError as e:  # name the file: 'facts.json#/facts/x: ...'
        raise ReferralError([replace(p, pointer=f"{args.facts}#{p.pointer}") for p in e.problems]) from None
    evaluator = Evaluator.for_rulesets(cat, [loaded])
    suggestion = evaluator.evaluate(loaded, referral)
    if args.json:
        print(suggestion.model_dump_json(indent=2))
    else:
        show(to_text(suggestion), emphasise_required=True)
    return 0 if suggestion.kind == "suggestion" else 3

