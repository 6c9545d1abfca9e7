"""Trying a draft revision against the version in force, without the draft ever going live.

The draft is checked exactly as a bundled ruleset is (schema, vocabulary, national module, with
file:line:column errors) by loading it beside a private copy of its authority's published versions
in a temporary folder; the live catalogue is never touched. The draft must say ``status: draft``,
so that a file that slips into the rulesets folder can never be in force.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from engine.errors import ThresholdsError
from engine.load.catalogue import Catalogue, LoadedRuleset
from engine.load.yamlfile import load_text


def load_draft(cat: Catalogue, text: str, name: str) -> tuple[LoadedRuleset, LoadedRuleset]:
    """(version in force, draft) for a draft's YAML ``text``; errors name ``name``:line:column."""
    located = load_text(text, name)
    info = located.data.get("ruleset") if isinstance(located.data, dict) else None
    if not isinstance(info, dict):
        raise ThresholdsError(f"{name}:1:1: a ruleset file starts with a 'ruleset:' mapping (id, version, ...)")
    rid, version = info.get("id"), info.get("version")
    if not isinstance(rid, str) or not isinstance(version, str):
        line, col = located.position(("ruleset",))
        raise ThresholdsError(f"{name}:{line}:{col}: ruleset.id and ruleset.version must be strings")
    if info.get("status") != "draft":
        line, col = located.position(("ruleset",))
        raise ThresholdsError(f"{name}:{line}:{col}: a draft must say 'status: draft' under 'ruleset:' "
                              "(so that it can never be in force)")
    in_force = cat.get(rid)
    if any(r.version == version for r in cat.versions(rid)):
        line, col = located.position(("ruleset", "version"))
        raise ThresholdsError(f"{name}:{line}:{col}: version '{version}' of '{rid}' already exists; "
                              "give the draft a new version")
    src = Path(cat.root)
    with tempfile.TemporaryDirectory(prefix="thresholds-draft-") as tmp:
        root = Path(tmp) / "rulesets"
        shutil.copytree(src, root, ignore=shutil.ignore_patterns("*.pdf", "*.html"))
        place = root / Path(in_force.path).parent.relative_to(src) / f"{version}.yaml"
        place.write_text(text, encoding="utf-8")
        try:
            trial = Catalogue.load(root, only=[rid])
        except ThresholdsError as e:
            raise ThresholdsError(str(e).replace(str(place), name)) from None
        draft = trial.get(rid, version=version, drafts=True)
        return in_force, draft
