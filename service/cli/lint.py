"""``thresholds lint``: validation errors, then linter warnings, grouped per ruleset file.

With no arguments every bundled ruleset version is linted; arguments are authority ids (every
version of that authority) or paths to ruleset files or folders. One broken file does not stop
the others being linted. Exit status 1 when any file has errors, and with ``--strict`` also
when any warning is neither fixed nor accepted.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.errors import Problem, RulesetError, did_you_mean
from engine.lint.linter import CODES, LintWarning, lint, orphan_facts
from engine.lint.report import FileProblem, LintReport, report_of
from engine.load import cache
from engine.load.catalogue import ENGLAND_DIR, NATIONAL_FILE, VOCABULARY_FILE, Catalogue, LoadedRuleset, bundled_root
from engine.load.definitions import DEFINITIONS_FILE
from engine.load.loader import load_national, load_ruleset_model, load_vocabulary
from engine.load.yamlfile import load_file
from engine.model.ruleset import NationalModule, Ruleset
from engine.model.vocabulary import Vocabulary
from service.cli.common import catalogue
from service.cli.terminal import progress
from service.cli.validate import PROGRESS_FROM, check_file


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "lint", help="check rulesets for likely mistakes (after validation)",
        description="Report validation errors and then linter warnings for each ruleset file: indicators "
        "that never fire, the same condition at two levels, lower indicators subsumed by higher ones, "
        "vocabulary concerns with no rule, empty levels, citations without a url, non-monotone "
        "conditions. Accept a checked warning in the ruleset's accepted_warnings (code, subject, reason). "
        "With no arguments every bundled ruleset is linted.")
    p.add_argument("targets", nargs="*", metavar="ID|PATH", help="authority ids, ruleset files or folders")
    p.add_argument("--strict", action="store_true", help="also fail (exit 1) on warnings that are not accepted")
    p.add_argument("--info", action="store_true", help="also list info notes (not counted as warnings)")
    p.add_argument("--json", action="store_true", help="print the findings as JSON")
    p.add_argument("--codes", action="store_true", help="list the warning codes and exit")
    p.set_defaults(handler=run)


@dataclass
class FileResult:
    """What linting one file found: its errors, or its findings when it loaded."""

    file: str
    key: str | None = None
    errors: list[Problem] = field(default_factory=list)
    findings: list[LintWarning] = field(default_factory=list)


def _root_for(path: Path, given: str | None) -> Path:
    """The ruleset folder whose vocabulary and national module a file is checked against."""
    if given:
        return Path(given)
    for parent in path.resolve().parents:
        if (parent / VOCABULARY_FILE).is_file() and (parent / NATIONAL_FILE).is_file():
            return parent
    return bundled_root()


def _kind(path: Path) -> str:
    """'vocabulary', 'national', 'sources' or 'ruleset', by the file's top-level key (as validate does)."""
    try:
        data = load_file(path).data
    except RulesetError:
        return "ruleset"  # let the ruleset loader report the problem with its position
    if isinstance(data, dict) and "vocabulary" in data:
        return "vocabulary"
    if isinstance(data, dict) and "module" in data:
        return "national"
    if isinstance(data, dict) and "manual" in data:
        return "definitions"
    if isinstance(data, dict) and "sources" in data:
        return "sources"
    if isinstance(data, dict) and "statements" in data:
        return "fidelity"
    return "ruleset"


def _cache_has(model: type[Ruleset], inputs: list[Path]) -> bool:
    try:
        return cache.read(model, cache.key_for(model, inputs)) is not None
    except OSError:
        return False


def _check(path: Path, given_root: str | None) -> FileResult:
    """Validate one file and lint it when it is a ruleset: from the lint-report cache when no input changed."""
    root = _root_for(path, given_root)
    report = report_of(path, [root / VOCABULARY_FILE, root / NATIONAL_FILE, path],
                       lambda: _report(_check_afresh(path, root)))
    return FileResult(str(path), key=report.key, errors=report.problems(), findings=list(report.findings))


def _report(result: FileResult) -> LintReport:
    return LintReport(key=result.key, findings=result.findings,
                      errors=[FileProblem(file=p.file, line=p.line, column=p.column, message=p.message,
                                          suggestions=p.suggestions)
                              for p in result.errors])


def _check_afresh(path: Path, root: Path) -> FileResult:
    """Validate one file; lint it too when it is a ruleset that loads."""
    result = FileResult(str(path))
    vocab_file, national_file = root / VOCABULARY_FILE, root / NATIONAL_FILE
    try:  # checked models come from engine.load.cache when no input file changed since they passed
        inputs = [vocab_file, national_file, path]
        kind = "ruleset" if _cache_has(Ruleset, inputs) else _kind(path)
        if kind == "definitions":  # the definitions manual: every fact and value defined (#18)
            from service.cli.definitions import manual_problems

            result.errors = manual_problems(root, path)
            return result
        if kind != "ruleset":
            check_file(path, root)
            return result
        vocab = cache.cached(Vocabulary, [vocab_file], lambda: load_vocabulary(vocab_file))
        national = cache.cached(NationalModule, [vocab_file, national_file],
                                lambda: load_national(national_file, vocab))
        model = cache.cached(Ruleset, inputs, lambda: load_ruleset_model(path, vocab, national))
    except RulesetError as e:
        result.errors = e.problems
        return result
    if path.parent.parent.name == ENGLAND_DIR and (model.ruleset.id != path.parent.name or
                                                    model.ruleset.version != path.stem):
        result.errors = [Problem(str(path), 1, 1,
                                 f"ruleset id/version '{model.ruleset.id}@{model.ruleset.version}' must match "
                                 f"its path '{path.parent.name}/{path.stem}.yaml'")]
        return result
    loaded = LoadedRuleset(model, national, vocab, str(path))
    result.key = loaded.key
    result.findings = lint(loaded)
    return result


def _done(result: FileResult, update: Callable[[int, int], None], n: int, total: int) -> FileResult:
    update(n, total)
    return result


def _targets(args: argparse.Namespace) -> list[FileResult]:
    if not args.targets:
        base = Path(args.rulesets) if args.rulesets else bundled_root()
        files = rulesets = sorted((base / ENGLAND_DIR).glob("*/*.yaml"))
        if not files:
            where = str(base / ENGLAND_DIR)
            return [FileResult(where, errors=[Problem(where, 1, 1, "no ruleset files found")])]
        manual = [base / DEFINITIONS_FILE] if (base / DEFINITIONS_FILE).is_file() else []
        files = [*manual, *files]
        with progress("lint", len(files), enabled=len(files) >= PROGRESS_FROM) as update:
            checked = [_done(_check(f, args.rulesets), update, n, len(files)) for n, f in enumerate(files, 1)]
        return [*checked, _orphans(base, rulesets)]
    results: list[FileResult] = []
    for target in args.targets:
        p = Path(target)
        if p.is_dir():
            results.extend(_check(f, args.rulesets) for f in sorted(p.rglob("*.yaml")))
        elif p.exists() or p.suffix in (".yaml", ".yml") or "/" in target:
            results.append(_check(p, args.rulesets))
        else:
            for loaded in catalogue(args).versions(target):
                results.append(FileResult(loaded.path, key=loaded.key, findings=lint(loaded)))
    return results


def _orphans(base: Path, files: list[Path]) -> FileResult:
    """The whole bundle: every vocabulary fact is read by some rule or declared context_only.

    From the lint-report cache when no file of the bundle (nor the linter) changed: finding the
    vocabulary positions means re-parsing its 100 KB of YAML, most of a warm ``lint``'s time.
    """
    path = base / VOCABULARY_FILE

    def build() -> LintReport:
        try:
            cat = Catalogue.load(base)
        except RulesetError:
            return LintReport()  # the per-file results above already report why the bundle does not load
        return _report(FileResult(str(path), errors=orphan_facts(str(path), cat.vocabulary, cat.national,
                                                                  [r.model for r in cat.all()])))

    report = report_of(path, [base / NATIONAL_FILE, *files, path], build)
    return FileResult(str(path), errors=report.problems())


def _show(file: str) -> str:
    """A path relative to the working folder when it is inside it (shorter, clickable)."""
    try:
        return str(Path(file).resolve().relative_to(Path.cwd()))
    except ValueError:
        return file


def _line(w: LintWarning) -> str:
    file = _show(w.file or "<ruleset>")
    where = f"{file}:{w.line}:{w.column}" if w.line is not None else file
    if w.accepted:
        return f"{where}: accepted [{w.code}] {w.subject}: {w.reason}"
    return f"{where}: {w.severity} [{w.code}] {w.subject}: {w.message}"


def run(args: argparse.Namespace) -> int:
    if args.codes:
        for code, what in CODES.items():
            print(f"{code:22} {what}")
        return 0
    results = _targets(args)
    errors = sum(len(r.errors) for r in results)
    blocking = sum(1 for r in results for w in r.findings if w.blocking)
    accepted = sum(1 for r in results for w in r.findings if w.accepted)
    infos = sum(1 for r in results for w in r.findings if w.severity == "info" and not w.accepted)
    if args.json:
        print(json.dumps([{"file": r.file, "ruleset": r.key, "errors": [str(p) for p in r.errors],
                           "findings": [w.model_dump() for w in r.findings]} for r in results], indent=2))
    else:
        for r in results:
            print(f"== {_show(r.file)}" + (f" ({r.key})" if r.key else ""))
            for p in r.errors:
                print(f"{_show(p.file)}:{p.line}:{p.column}: error: {p.message}{did_you_mean(p.suggestions)}")
            for w in sorted((w for w in r.findings if w.blocking), key=lambda w: (w.line or 0, w.code)):
                print(_line(w))
                if w.code == "stale-acceptance":
                    print("    fix: remove that entry from accepted_warnings (or correct its code or subject)")
                else:
                    print(f"    to accept after checking: add to accepted_warnings: {w.acceptance()}")
            for w in (w for w in r.findings if w.accepted):
                print(_line(w))
            if args.info:
                for w in (w for w in r.findings if w.severity == "info" and not w.accepted):
                    print(_line(w))
            if not r.errors and not any(w.blocking for w in r.findings):
                print("clean")
        print(f"{len(results)} file(s) linted: {errors} error(s), {blocking} warning(s), {accepted} accepted, "
              f"{infos} info note(s)" + ("" if args.info or not infos else " (--info lists them)"))
    if errors:
        return 1
    return 1 if args.strict and blocking else 0
