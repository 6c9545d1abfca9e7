"""``thresholds validate``: check ruleset, national module or vocabulary files."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from engine.catalogue import NATIONAL_FILE, VOCABULARY_FILE, bundled_root
from engine.errors import Problem, RulesetError
from engine.loader import load_national, load_ruleset_model, load_vocabulary
from engine.yamlfile import load_file

T = TypeVar("T")


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "validate", help="check ruleset files and list every error (file:line:column)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="ruleset files or folders")
    p.set_defaults(handler=run)


def _files(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        out.extend(sorted(p.rglob("*.yaml")) if p.is_dir() else [p])
    return out


def check_file(path: Path, root: Path) -> None:
    """Validate one file by its kind (vocabulary, national module, source account or ruleset)."""
    located = load_file(path)
    kind = "ruleset"
    if isinstance(located.data, dict):
        if "vocabulary" in located.data:
            kind = "vocabulary"
        elif "module" in located.data:
            kind = "national"
        elif "sources" in located.data:
            kind = "sources"
    if kind == "sources":
        # A source account (engine/sources.py); `thresholds coverage` checks it against its ruleset.
        from engine.loader import validate_model
        from engine.sources import SourceAccount

        validate_model(located, SourceAccount)
        return
    if kind == "vocabulary":
        load_vocabulary(path)
        return
    vocab = _cached(root / VOCABULARY_FILE, load_vocabulary)
    if kind == "national":
        load_national(path, vocab)
        return
    national = _cached(root / NATIONAL_FILE, lambda f: load_national(f, vocab), depends_on=vocab)
    load_ruleset_model(path, vocab, national)


_CACHE: dict[tuple[str, int, int, int], Any] = {}


def _cached(path: Path, load: Callable[[Path], T], depends_on: object = None) -> T:
    """Load the shared vocabulary or national module once per content, not once per checked file.

    Re-reading the ~100 KB vocabulary for every ruleset made validating a folder take minutes
    on a busy machine. The key includes size and modification time (and, for the national
    module, the vocabulary object it was checked against; cached objects stay alive, so their
    ids are unique), so an edited file is read again; a broken file is not cached and is
    reported each time.
    """
    try:
        st = path.stat()
        key = (str(path.resolve()), st.st_mtime_ns, st.st_size, id(depends_on))
    except OSError:
        return load(path)  # reports 'file not found' and the like
    if key not in _CACHE:
        _CACHE[key] = load(path)
    value: T = _CACHE[key]
    return value


def run(args: argparse.Namespace) -> int:
    root = Path(args.rulesets) if args.rulesets else bundled_root()
    problems: list[Problem] = []
    files = _files(args.paths)
    for f in files:
        try:
            check_file(f, root)
        except RulesetError as e:
            problems.extend(e.problems)
    for p in problems:
        print(f"{p}", file=sys.stderr)
    bad = len({p.file for p in problems})
    print(f"{len(files)} file(s) checked, {bad} with errors, {len(problems)} error(s)")
    return 1 if problems else 0
