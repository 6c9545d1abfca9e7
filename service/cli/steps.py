"""``thresholds steps``: the step catalogue, every phrase a trainer can write, with examples."""

from __future__ import annotations

import argparse
from typing import Any

from service.cli.common import catalogue
from service.training import phrasebook
from service.training.library import registry


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "steps", help="list every plain-English step phrase for feature files, with examples",
        description="The step catalogue, generated from the step library: every phrase a trainer can write "
        "in a .feature file, what it means and an example. docs/steps.md is the --markdown output.")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--markdown", action="store_true", help="print the catalogue as Markdown (docs/steps.md)")
    g.add_argument("--facts", action="store_true", help="list every fact and its values for '<fact> is <value>'")
    g.add_argument("--find", metavar="WORDS", help="find the facts some words name, e.g. --find \"self-harms\"")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    reg = registry()
    if args.markdown:
        print(phrasebook.to_markdown(reg, catalogue(args).vocabulary), end="")
    elif args.find:
        cat = catalogue(args)
        print(phrasebook.find_text(cat.vocabulary, args.find, phrasebook.synonyms_for(cat.root)), end="")
    elif args.facts:
        print(phrasebook.facts_text(catalogue(args).vocabulary), end="")
    else:
        print(phrasebook.to_text(reg), end="")
    return 0
