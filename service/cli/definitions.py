"""``thresholds definitions``: the definitions manual checked, as Markdown, or as an HTML page."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "definitions", help="the definitions manual: what each fact and value means, with examples",
        description="Check that every vocabulary fact and value has a definition, an example that counts, one that "
        "does not, and its source (exit status 1 if not), and print the manual (text, --markdown) or write it as "
        "an HTML page (--html FILE).")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--markdown", action="store_true", help="print the manual as Markdown (docs/definitions.md)")
    g.add_argument("--html", metavar="FILE", help="write the manual as a self-contained HTML page")
    g.add_argument("--check", action="store_true", help="only check the manual")
    p.set_defaults(handler=run)


def manual_problems(root: Path, path: Path | None = None) -> list[Any]:
    """The manual's problems (``path``, default the one in ``root``) against the vocabulary in ``root``;
    shape errors raise RulesetError with their positions."""
    from engine.load.catalogue import VOCABULARY_FILE
    from engine.load.definitions import DEFINITIONS_FILE, check, load_definitions
    from engine.load.loader import load_vocabulary

    vocab = load_vocabulary(root / VOCABULARY_FILE)
    manual, located = load_definitions(path or root / DEFINITIONS_FILE)
    return check(manual, located, vocab)


def run(args: argparse.Namespace) -> int:
    from engine.load.catalogue import VOCABULARY_FILE, bundled_root
    from engine.load.definitions import DEFINITIONS_FILE, load_definitions
    from engine.load.loader import load_vocabulary
    from service.training import manual as render

    root = Path(args.rulesets) if getattr(args, "rulesets", None) else bundled_root()
    problems = manual_problems(root)
    for p in problems:
        print(f"error: {p}", file=sys.stderr)
    if problems:
        return 1
    vocab = load_vocabulary(root / VOCABULARY_FILE)
    manual, _ = load_definitions(root / DEFINITIONS_FILE)
    if args.check:
        print(f"{len(manual.facts)} facts defined, every fact and value has a definition, examples and a source")
    elif args.html:
        Path(args.html).write_text(render.to_html(manual, vocab), encoding="utf-8")
        print(f"wrote {args.html}")
    else:
        print(render.to_markdown(manual, vocab), end="")
    return 0
