"""``thresholds schema``: print the JSON Schemas, or rewrite the committed copies.

The schemas are generated from the pydantic models (and the referral schema from the
vocabulary); ``--write`` refreshes rulesets/schema/ after a model or vocabulary change, and
``--check`` fails (exit 1) when the committed copies are stale, for CI and pre-commit hooks.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from engine.load import schema
from engine.load.catalogue import VOCABULARY_FILE, bundled_root
from engine.load.loader import load_vocabulary


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "schema", help="print the JSON Schemas (ruleset, national, vocabulary, referral) or rewrite them",
        description="Print one JSON Schema (Draft 2020-12) generated from the models, or with --write "
        "rewrite every committed schema under <rulesets>/schema/.")
    p.add_argument("kind", nargs="?", choices=sorted(schema.FILES), default="ruleset",
                   help="which schema to print (default: ruleset)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--write", action="store_true", help="rewrite the committed schema files")
    g.add_argument("--check", action="store_true", help="exit 1 if a committed schema file is stale")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    root = Path(args.rulesets) if args.rulesets else bundled_root()
    vocab = load_vocabulary(root / VOCABULARY_FILE)
    folder = root / schema.SCHEMA_DIR
    if args.write:
        changed = schema.write(folder, vocab)
        for path in changed:
            print(f"wrote {path}")
        print(f"{len(schema.FILES)} schema(s) in {folder}, {len(changed)} changed")
        return 0
    if args.check:
        stale = schema.stale(folder, vocab)
        for name in stale:
            print(f"{folder / name}: stale or missing; run 'thresholds schema --write'", file=sys.stderr)
        return 1 if stale else 0
    print(schema.render(schema.schemas(vocab)[schema.FILES[args.kind]]), end="")
    return 0
