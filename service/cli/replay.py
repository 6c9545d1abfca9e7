"""``thresholds replay``: re-evaluate a recorded decision and say whether it is identical."""

from __future__ import annotations

import argparse
import json
from typing import Any

from engine.errors import ThresholdsError
from engine.evaluate.evaluator import Evaluator
from service.cli.common import catalogue
from service.config import load_settings
from service.store.database import connect
from service.store.record import DecisionRecord


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "replay", help="replay a recorded evaluation and compare",
        description="Evaluate a recorded referral again under the recorded ruleset version (found by sha256) "
        "with today's engine. Exit status 0 if identical, 4 if anything differs.")
    p.add_argument("record_id", metavar="RECORD_ID")
    p.add_argument("--json", action="store_true", help="print the comparison as JSON")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from service.store.replay import replay

    rec = DecisionRecord(connect(load_settings().database_url)).get(args.record_id)
    if rec is None:
        raise ThresholdsError(f"no record '{args.record_id}' in the decision record")
    cat = catalogue(args)
    loaded = cat.by_sha(rec.suggestion.ruleset.sha256)
    result = replay(Evaluator.for_rulesets(cat, [loaded] if loaded else []), rec)
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        print(f"record {rec.id} ({rec.recorded_at}, {rec.caller}) under {result.ruleset} sha256 {result.sha256[:12]}")
        if result.identical:
            print("identical: today's engine gives the same suggestion")
        for d in result.differences:
            print(f"differs at {d.pointer}: recorded {json.dumps(d.recorded)} replayed {json.dumps(d.replayed)}")
    return 0 if result.identical else 4
