"""``thresholds list``: the bundled rulesets, their versions and what each source covered."""

from __future__ import annotations

import argparse
import json
import textwrap
from typing import Any

from engine.evaluate.decision import replaced_by_ref
from engine.load.catalogue import Catalogue
from service.cli.common import catalogue
from service.cli.terminal import show, width


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "list", help="list the bundled rulesets with versions, dates and coverage")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(handler=run)


def rows(cat: Catalogue, sha256: bool = True) -> list[dict[str, Any]]:
    """One row per version; ``sha256=False`` leaves out the digest (the text listing does not show it)."""
    out: list[dict[str, Any]] = []
    for rid in cat.ids():
        current = cat.select(rid).version
        for r in cat.versions(rid):
            info = r.model.ruleset
            out.append({
                "id": rid, "version": r.version, "current": r.version == current,
                "authority": info.authority, "document": info.document.title, "url": info.document.url,
                "effective_from": info.effective_from, "effective_to": info.effective_to,
                "published": info.published, "levels": [lv.id for lv in r.model.levels],
                "indicators": len(r.model.indicators),
                "local_rules": "encoded" if r.model.indicators or r.model.overrides else "none",
                "coverage_complete": info.coverage.complete,
                "coverage_levels": info.coverage.levels, "coverage_notes": info.coverage.notes,
                "replaced_by": rep.model_dump(mode="json") if (rep := replaced_by_ref(info)) else None,
            })
            if sha256:
                out[-1]["sha256"] = r.sha256
    return out


def run(args: argparse.Namespace) -> int:
    cat = catalogue(args)
    data = rows(cat, sha256=args.json)
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    lines = textwrap.wrap(f"{len(cat.ids())} authorities, {len(data)} ruleset versions (* = the version in force "
                          "today). Every encoding is checked against its coverage notes.", width=width())
    for row in data:
        start = row["effective_from"] or row["published"] or "date not stated"
        rep = row["replaced_by"]
        if rep and not row["effective_to"]:  # not "to now": its partnership has (or may have) replaced it
            dates = f"{start}, {rep['mark']}"
        else:
            dates = f"{start} to {row['effective_to'] or ('now' if row['current'] else 'superseded')}"
        cover = "complete" if row["coverage_complete"] else "partial: levels " + (
            ", ".join(row["coverage_levels"]) or "none") + " seen"
        lines.append(f"{'*' if row['current'] else ' '} {row['id']}@{row['version']}  {row['authority']}")
        if row["local_rules"] == "none":
            lines.append("    LEVELS ONLY: no local indicators encoded; only the national safety rules apply")
        lines += textwrap.wrap(f"{row['indicators']} indicators | {row['document']} | {dates} | levels "
                               f"{', '.join(row['levels'])} | {cover}", width=width(), initial_indent="    ",
                               subsequent_indent="      ", break_on_hyphens=False)
    show("\n".join(lines) + "\n")
    return 0
