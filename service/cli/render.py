"""``thresholds render``: a ruleset as a readable document."""

from __future__ import annotations

import argparse
from typing import Any

from engine.render.ruleset_document import to_html, to_markdown
from service.cli.common import catalogue, parse_date
from service.cli.terminal import show


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "render", help="print a ruleset as a readable Markdown or HTML document")
    p.add_argument("ruleset", metavar="ID")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--version", metavar="V")
    g.add_argument("--as-of", type=parse_date, metavar="DATE")
    p.add_argument("--format", choices=("md", "html"), default="md")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    loaded = catalogue(args, only=[args.ruleset]).select(args.ruleset, version=args.version, as_of=args.as_of)
    show(to_markdown(loaded) if args.format == "md" else to_html(loaded))
    return 0
