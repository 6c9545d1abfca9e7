"""``thresholds vocabulary``: the facts a referral can carry and their questions."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from engine.load.catalogue import VOCABULARY_FILE, bundled_root
from engine.load.loader import load_vocabulary
from engine.model.vocabulary import DOMAIN_LABELS, Domain
from engine.model.wording import answers


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser("vocabulary", help="list the referral facts and their questions")
    p.add_argument("--json", action="store_true", help="print the vocabulary as JSON")
    p.add_argument("--schema", action="store_true", help="print the referral JSON Schema")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # Only the vocabulary file: listing the questions must not depend on every ruleset loading.
    root = Path(args.rulesets) if args.rulesets else bundled_root()
    vocab = load_vocabulary(root / VOCABULARY_FILE)
    if args.schema:
        print(json.dumps(vocab.referral_schema(), indent=2))
        return 0
    if args.json:
        print(vocab.model_dump_json(indent=2, by_alias=True))
        return 0
    v = vocab.vocabulary
    print(f"{v.title} ({v.id} {v.version}): {len(vocab.facts)} facts. Leave a fact out when it is not known.")
    for domain in Domain:
        facts = [f for f in vocab.facts if f.domain == domain]
        if not facts:
            continue
        print(f"\n{DOMAIN_LABELS[domain]}")
        for f in facts:
            print(f"  {f.id} ({f.type}): {f.question}")
            print(f"      answers: {' | '.join(answers(vocab, f.id))}")
    return 0
