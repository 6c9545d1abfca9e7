"""``thresholds validate``: check ruleset, national module or vocabulary files."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict

from engine.errors import Problem, RulesetError
from engine.load import cache
from engine.load.catalogue import NATIONAL_FILE, VOCABULARY_FILE, bundled_root
from engine.load.loader import load_national, load_ruleset_model, load_vocabulary
from engine.load.yamlfile import load_file
from engine.model.ruleset import NationalModule, Ruleset
from engine.model.vocabulary import Vocabulary
from service.cli.terminal import progress

T = TypeVar("T")
PROGRESS_FROM = 10  # files: a progress bar (on a terminal's stderr) for this many or more


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


class Passed(BaseModel):
    """The cache's record that one file's exact bytes passed :func:`check_file` (no model to keep).

    The definitions manual (370 KB), source accounts and fidelity checks have no validated model in
    the cache, so without this record every ``validate rulesets/`` re-parsed them all with ruamel.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str


_ENGINE = Path(cache.__file__).resolve().parents[1]
_CHECKER_SOURCES = sorted([*(_ENGINE / "load").glob("*.py"), *(_ENGINE / "model").glob("*.py"),
                           _ENGINE / "lint" / "fidelity.py", Path(__file__).resolve()])
"""The checking code is an input of a :class:`Passed` record: a changed check never trusts an old pass."""


def check_file(path: Path, root: Path) -> None:
    """Validate one file by its kind (vocabulary, national module, definitions, source account, fidelity
    checks or ruleset).

    A file whose exact bytes (and those of the vocabulary and national module it is checked
    against, and the checking code) already passed is found in :mod:`engine.load.cache` (HMAC-tagged)
    and not parsed again; anything else is checked in full, and recorded when it passes.
    """
    inputs = [*_CHECKER_SOURCES, root / VOCABULARY_FILE, root / NATIONAL_FILE, path]
    try:
        key = cache.key_for(Passed, inputs)
    except OSError:
        _check_afresh(path, root)  # a missing file: reported with its location
        return
    if cache.read(Passed, key) is not None:
        return
    cache.write(Passed(kind=_check_afresh(path, root)), key)


def _check_afresh(path: Path, root: Path) -> str:
    """Check one file in full (validated models from the cache when they exist); its kind when it passes."""
    vocab_file, national_file = root / VOCABULARY_FILE, root / NATIONAL_FILE
    kinds: list[tuple[type[BaseModel], list[Path]]] = [
        (Ruleset, [vocab_file, national_file, path]), (NationalModule, [vocab_file, path]), (Vocabulary, [path])]
    for model, inputs in kinds:
        try:
            if cache.read(model, cache.key_for(model, inputs)) is not None:
                return model.__name__
        except OSError:
            break  # a missing file: checked below, with its location
    located = load_file(path)
    kind = "ruleset"
    if isinstance(located.data, dict):
        if "vocabulary" in located.data:
            kind = "vocabulary"
        elif "module" in located.data:
            kind = "national"
        elif "manual" in located.data:
            kind = "definitions"
        elif "sources" in located.data:
            kind = "sources"
        elif "statements" in located.data:
            kind = "fidelity"
    if kind == "definitions":  # the definitions manual (#18): shape, and every fact and value defined
        from engine.load.definitions import check, load_definitions

        manual, loc = load_definitions(path)
        problems = check(manual, loc, cache.cached(Vocabulary, [vocab_file], lambda: load_vocabulary(vocab_file)))
        if problems:
            raise RulesetError(problems)
        return kind
    if kind == "sources":  # a source account (#19, engine/load/sources.py); `thresholds coverage` checks it
        from engine.load.loader import validate_model
        from engine.load.sources import SourceAccount

        validate_model(located, SourceAccount)
        return kind
    if kind == "fidelity":  # single-statement fidelity checks (#19); the tests run them on the engine
        from engine.lint.fidelity import FidelityFile
        from engine.load.loader import validate_model

        validate_model(located, FidelityFile)
        return kind
    if kind == "vocabulary":
        cache.cached(Vocabulary, [path], lambda: load_vocabulary(path))
        return kind
    vocab = _cached(vocab_file, load_vocabulary)
    if kind == "national":
        cache.cached(NationalModule, [vocab_file, path], lambda: load_national(path, vocab))
        return kind
    national = _cached(national_file, lambda f: load_national(f, vocab), depends_on=vocab)
    cache.cached(Ruleset, [vocab_file, national_file, path], lambda: load_ruleset_model(path, vocab, national))
    return kind


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
    with progress("validate", len(files), enabled=len(files) >= PROGRESS_FROM) as update:
        for n, f in enumerate(files, 1):
            try:
                check_file(f, root)
            except RulesetError as e:
                problems.extend(e.problems)
            update(n, len(files))
    for p in problems:
        print(f"{p}", file=sys.stderr)
    bad = len({p.file for p in problems})
    print(f"{len(files)} file(s) checked, {bad} with errors, {len(problems)} error(s)")
    return 1 if problems else 0
