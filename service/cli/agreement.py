"""``thresholds agreement VIGNETTES CODING...``: how consistently trainees code the same referrals."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "agreement", help="measure how consistently trainees code vignettes into facts (alpha, AC1, kappa)",
        description="Read vignettes (a YAML file of referrals in prose) and several trainees' codings (one JSON file "
        "each: {\"trainee\": \"A\", \"codings\": {\"<vignette id>\": {\"<fact>\": value}}}), and report agreement "
        "per fact and on the suggested outcome (Krippendorff's alpha, Gwet's AC1, Fleiss' kappa), the facts with "
        "the lowest agreement beside their definitions, and how many outcome disagreements each fact explains.")
    p.add_argument("vignettes", metavar="VIGNETTES.yaml", help="the vignettes")
    p.add_argument("codings", nargs="+", metavar="CODING.json", help="one file per trainee (two or more)")
    p.add_argument("--weakest", type=int, default=10, metavar="N", help="how many facts to list (default 10)")
    p.add_argument("--json", metavar="FILE", help="also write the full report as JSON")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from service.training.agreement import measure, read_coding, read_vignettes, to_json, to_text
    from service.training.state import Runtime

    vignettes = read_vignettes(args.vignettes)
    codings = [read_coding(c) for c in args.codings]
    runtime = Runtime(getattr(args, "rulesets", None))
    report = measure(vignettes, codings, runtime)
    vocab = runtime.catalogue.vocabulary
    definitions = {f.id: f.question for f in vocab.facts}
    from engine.load.definitions import DEFINITIONS_FILE, load_definitions

    manual_path = Path(runtime.catalogue.root) / DEFINITIONS_FILE
    if manual_path.is_file():  # the definitions manual, beside the weakest facts
        for fid, entry in load_definitions(manual_path)[0].facts.items():
            definitions[fid] = f"{entry.definition} Counts: {entry.counts} Does not count: {entry.does_not_count}"
    print(to_text(report, definitions, args.weakest), end="")
    if args.json:
        Path(args.json).write_text(to_json(report), encoding="utf-8")
        print(f"wrote {args.json}", file=sys.stderr)
    return 0
