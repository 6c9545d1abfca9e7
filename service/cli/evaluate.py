"""``thresholds evaluate``: one referral under one ruleset, explained."""

from __future__ import annotations

import argparse
from typing import Any

from engine.errors import FieldProblem, ReferralError
from engine.evaluate.evaluator import Evaluator
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
    p.add_argument("--beside", metavar="ID", help="show council ID's result beside it: the rules that differ and the "
                   "smallest change in the facts that would make the two agree")
    p.add_argument("--max-changes", type=int, default=2, metavar="N",
                   help="with --beside: the most facts a change may alter (1 to 3, default 2)")
    p.add_argument("facts", metavar="FACTS.json", help="referral JSON: {\"facts\": {...}} ('-' for stdin)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    facts = referral_facts(read_json(args.facts), args.facts)
    if args.beside:
        return _beside(args, facts)
    cat = catalogue(args, only=[args.ruleset])
    loaded = cat.select(args.ruleset, version=args.version, as_of=args.as_of)
    try:
        cat.vocabulary.normalise(facts)  # report bad facts before compiling anything
    except ReferralError as e:  # name the file: 'facts.json#/facts/x: ...'
        raise ReferralError([FieldProblem(f"{args.facts}#{p.pointer}", p.message) for p in e.problems]) from None
    evaluator = Evaluator(_only(cat, loaded))
    suggestion = evaluator.evaluate(loaded, facts)
    if args.json:
        print(suggestion.model_dump_json(indent=2))
    else:
        show(to_text(suggestion), emphasise_required=True)
    return 0 if suggestion.kind == "suggestion" else 3


def _only(cat: Any, *loaded: Any) -> Any:
    """A catalogue view holding only these versions, so only they are compiled."""
    from engine.load.catalogue import Catalogue

    return Catalogue(cat.root, cat.vocabulary, cat.national, list(loaded))


def _beside(args: argparse.Namespace, facts: dict[str, Any]) -> int:
    """Both councils' results, the rules that differ and the smallest change that makes them agree."""
    from engine.compare.two_councils import MAX_CHANGES, beside
    from engine.errors import ThresholdsError
    from engine.render.two_councils import to_text as two_text

    if not 1 <= args.max_changes <= MAX_CHANGES:
        raise ThresholdsError(f"--max-changes must be from 1 to {MAX_CHANGES}, not {args.max_changes}")
    cat = catalogue(args, only=[args.ruleset, args.beside])
    a = cat.select(args.ruleset, version=args.version, as_of=args.as_of)
    b = cat.select(args.beside, as_of=args.as_of)
    if a.id == b.id:
        raise ThresholdsError("--beside names the same council as --ruleset: choose another council")
    try:
        result = beside(Evaluator(_only(cat, a, b)), a, b, facts, args.max_changes)
    except ReferralError as e:
        raise ReferralError([FieldProblem(f"{args.facts}#{p.pointer}", p.message) for p in e.problems]) from None
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        show(two_text(result))
    return 0 if result.a.kind == "suggestion" else 3
