"""``thresholds coverage ID[@VERSION]``: which items of a threshold document were encoded, and why not.

Prints the source accounting of one ruleset version (``engine.load.sources``): every source item read,
the level and domain the source lists it under, and its status (the indicators that encode it, or
the reason it is not encoded), then the share encoded. A policy officer reads it beside their own
document, line by line. Without ``@VERSION`` the version in force today is used.
"""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "coverage", help="list every source item of a ruleset version and whether it is encoded",
        description="Print the source accounting of a ruleset version: each item the source notes list, its "
        "level and domain, and its status (encoded, with indicator ids, or not encoded, with the reason), "
        "then the percentage encoded.")
    p.add_argument("target", metavar="ID[@VERSION]", help="authority id, optionally with @version")
    p.add_argument("--json", action="store_true", help="print the accounting as JSON")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import json

    from engine.errors import ThresholdsError
    from engine.load.sources import account_for
    from service.cli.common import catalogue

    rid, _, version = args.target.partition("@")
    cat = catalogue(args)
    loaded = cat.select(rid, version=version or None)
    result = account_for(loaded, cat.versions(rid))
    if result is None:
        raise ThresholdsError(f"{loaded.key} has no source accounting yet (expected beside the ruleset, in "
                              f"sources/{loaded.version}.yaml); its coverage notes say: "
                              f"{loaded.model.ruleset.coverage.notes}")
    if args.json:
        print(json.dumps({**result.model_dump(mode="json"), "percentage": result.percentage}, indent=2))
        return 0
    print(f"Source accounting for {result.ruleset} ({loaded.model.ruleset.document.title})")
    print(f"Read: {result.read}")
    level = None
    for item in result.items:
        if item.level != level:
            level = item.level
            print(f"\n{item.level} {item.level_label}")
        print(f"  [{item.id}] ({item.domain}) {item.says}")
        if item.encoded:
            print(f"      encoded: {', '.join(item.encoded)}")
        else:
            print(f"      not encoded: {item.reason}: {item.detail}")
    print(f"\n{result.encoded} of {result.total} source items encoded ({result.percentage}%)"
          + "".join(f"; {n} {why}" for why, n in sorted(result.by_reason().items())))
    return 0
