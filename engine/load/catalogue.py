"""The set of loaded rulesets: every authority, every version, found by id, version or date.

A catalogue is built completely or not at all: every file is validated first and all
problems are reported together, so a reload can keep the last good catalogue on any error.
Each loaded version is identified by the sha256 of its canonical form (ruleset, national
module and vocabulary together), so a past suggestion can be replayed exactly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Collection
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import ModuleType

from pydantic import BaseModel

from engine.errors import Problem, RulesetError, UnknownRulesetError, suggest
from engine.load.cache import cached
from engine.model.condition import Condition
from engine.model.rule import Rule, rules_of
from engine.model.ruleset import Level, NationalModule, Override, Ruleset
from engine.model.vocabulary import Vocabulary

VOCABULARY_FILE = "national/vocabulary.yaml"
NATIONAL_FILE = "national/england-safety.yaml"
ENGLAND_DIR = "england"


def bundled_root() -> Path:
    """Where the rulesets live: $THRESHOLDS_RULESETS, else the bundled ``rulesets`` package data.

    The bundled files are found through ``importlib.resources``, so the same code works from a
    checkout, an editable install and an installed wheel (which unpacks them as real files).
    """
    env = os.environ.get("THRESHOLDS_RULESETS")
    if env:
        return Path(env)
    from importlib.resources import files

    return Path(str(files("rulesets")))


_PARTS: dict[int, tuple[object, str]] = {}


def _canonical_part(model: BaseModel) -> str:
    """The canonical JSON of one model; the last few (the shared vocabulary and national module) memoised."""
    hit = _PARTS.get(id(model))
    if hit is not None and hit[0] is model:  # the model is held, so its id cannot be reused meanwhile
        return hit[1]
    text = json.dumps(model.model_dump(mode="json", by_alias=True, exclude_none=True), sort_keys=True,
                      separators=(",", ":"), ensure_ascii=False)
    if not isinstance(model, Ruleset):
        if len(_PARTS) >= 8:
            _PARTS.pop(next(iter(_PARTS)))
        _PARTS[id(model)] = (model, text)
    return text


@dataclass
class LoadedRuleset:
    """One checked ruleset version with its national module and vocabulary."""

    model: Ruleset
    national: NationalModule
    vocabulary: Vocabulary
    path: str

    @cached_property
    def sha256(self) -> str:
        """Computed on first use (serialising a version costs milliseconds; ``list`` shows 30)."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()

    def canonical_json(self) -> str:
        """Sorted, whitespace-free JSON of everything that decides a result.

        Exactly ``json.dumps({"format": 1, "national": ..., "ruleset": ..., "vocabulary": ...},
        sort_keys=True, separators=(",", ":"), ensure_ascii=False)``, built from parts so the
        vocabulary and national module shared by every ruleset are serialised once.
        """
        return ('{"format":1,"national":' + _canonical_part(self.national) + ',"ruleset":'
                + _canonical_part(self.model) + ',"vocabulary":' + _canonical_part(self.vocabulary) + "}")

    @property
    def id(self) -> str:
        return self.model.ruleset.id

    @property
    def version(self) -> str:
        return self.model.ruleset.version

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    @cached_property
    def levels(self) -> dict[str, Level]:
        return {lv.id: lv for lv in self.model.levels}

    @cached_property
    def level_index(self) -> dict[str, int]:
        return {lv.id: i for i, lv in enumerate(self.model.levels)}

    @cached_property
    def overrides(self) -> list[tuple[Override, str]]:
        """National overrides first (they cannot be removed), then local ones."""
        return [(r.override, r.origin) for r in self.override_rules]

    @cached_property
    def rules(self) -> tuple[Rule, ...]:
        """The rules both channels evaluate, in a fixed order (each knows its place in a truth vector)."""
        return rules_of(self.model, self.national)

    @cached_property
    def override_rules(self) -> tuple[Rule, ...]:
        """The overrides among ``rules``: national first, then local."""
        return tuple(r for r in self.rules if r.is_override)

    @cached_property
    def conditions(self) -> list[Condition]:
        """The condition of each rule, in ``rules`` order (what the channels compile)."""
        return [r.when for r in self.rules]

    @cached_property
    def start(self) -> dt.date | None:
        """First day in force: ``effective_from``, else the first day of ``published``.

        A document cannot be in force before it is published, so a stated publication date
        (even a year) bounds an undated version from below. Read once from the file's text
        dates, then kept as a ``date`` (lookups compare dates, never re-parse text).
        """
        info = self.model.ruleset
        if info.effective_from:
            return dt.date.fromisoformat(info.effective_from)
        if info.published:
            y, m, d = (info.published.split("-") + ["01", "01"])[:3]
            return dt.date(int(y), int(m), int(d))
        return None

    @property
    def draft(self) -> bool:
        """A revision being tried (``status: draft``): never in force."""
        return self.model.ruleset.status == "draft"

    @cached_property
    def end(self) -> dt.date | None:
        """Last day in force as stated (``effective_to``), or None when open-ended."""
        to = self.model.ruleset.effective_to
        return dt.date.fromisoformat(to) if to else None

    def in_force(self, day: dt.date, successor_start: dt.date | None = None) -> bool:
        """In force on ``day``; a successor's start ends an open-ended version the day before."""
        if self.draft:
            return False
        start = self.start or dt.date.min
        if self.end is not None:
            end = self.end
        elif successor_start is not None:
            end = successor_start - dt.timedelta(days=1)
        else:
            end = dt.date.max
        return start <= day <= end


class Catalogue:
    """Every bundled ruleset version, loaded and checked together."""

    def __init__(self, root: Path, vocabulary: Vocabulary, national: NationalModule,
                 rulesets: list[LoadedRuleset]) -> None:
        self.root = root
        self.vocabulary = vocabulary
        self.national = national
        self._by_id: dict[str, list[LoadedRuleset]] = {}
        for r in rulesets:
            self._by_id.setdefault(r.id, []).append(r)
        for rid, versions in self._by_id.items():
            self._by_id[rid] = _chronological(versions)

    @classmethod
    def load(cls, root: Path | str | None = None, only: Collection[str] | None = None) -> Catalogue:
        """Load everything under ``root`` (or only the authorities ``only``, when all exist);
        raise one :class:`RulesetError` listing every problem.

        Checked models come from :mod:`engine.load.cache` when none of their input files changed.
        """
        base = Path(root) if root is not None else bundled_root()
        vocab_file, national_file = base / VOCABULARY_FILE, base / NATIONAL_FILE
        vocab = cached(Vocabulary, [vocab_file], lambda: _loader().load_vocabulary(vocab_file))
        national = cached(NationalModule, [vocab_file, national_file],
                          lambda: _loader().load_national(national_file, vocab))
        england = base / ENGLAND_DIR
        if only and all(rid and "/" not in rid and rid not in (".", "..") and (england / rid).is_dir()
                        for rid in only):
            files = sorted(f for rid in set(only) for f in (england / rid).glob("*.yaml"))
        else:  # everything (an unknown id is then reported with the known ones)
            files = sorted(england.glob("*/*.yaml"))
        problems: list[Problem] = []
        loaded: list[LoadedRuleset] = []
        for path in files:
            try:
                model = cached(Ruleset, [vocab_file, national_file, path],
                               lambda path=path: _loader().load_ruleset_model(path, vocab, national))  # type: ignore[misc]
            except RulesetError as e:
                problems.extend(e.problems)
                continue
            if model.ruleset.id != path.parent.name or model.ruleset.version != path.stem:
                problems.append(Problem(str(path), 1, 1,
                                        f"ruleset id/version '{model.ruleset.id}@{model.ruleset.version}' must "
                                        f"match its path '{path.parent.name}/{path.stem}.yaml'"))
                continue
            loaded.append(LoadedRuleset(model, national, vocab, str(path)))
        for r in loaded:
            older = r.model.ruleset.supersedes
            names = [o.version for o in loaded if o.id == r.id and o is not r]
            if older is not None and older not in names:
                from engine.load.yamlfile import load_file

                line, col = load_file(r.path).position(("ruleset", "supersedes"))
                problems.append(Problem(r.path, line, col, f"supersedes unknown version '{older}' of "
                                        f"'{r.id}'", suggest(older, names)))
        if not files:
            problems.append(Problem(str(base / ENGLAND_DIR), 1, 1, "no ruleset files found"))
        if problems:
            raise RulesetError(problems)
        return cls(base, vocab, national, loaded)

    def ids(self) -> list[str]:
        """Authorities with at least one published (non-draft) version."""
        return sorted(rid for rid, vs in self._by_id.items() if any(not r.draft for r in vs))

    def versions(self, ruleset_id: str) -> list[LoadedRuleset]:
        if ruleset_id not in self._by_id:
            raise UnknownRulesetError(
                f"unknown ruleset '{ruleset_id}'; known: {', '.join(self.ids())}",
                suggestions=suggest(ruleset_id, self._by_id))
        return list(self._by_id[ruleset_id])

    def all(self) -> list[LoadedRuleset]:
        return [r for rid in self.ids() for r in self._by_id[rid]]

    def current(self) -> list[LoadedRuleset]:
        """The version of each authority in force today (or its latest)."""
        return [self.select(rid) for rid in self.ids()]

    def select(self, ruleset_id: str, version: str | None = None, as_of: dt.date | None = None,
               drafts: bool = False) -> LoadedRuleset:
        """The one way to choose a ruleset version; raises :class:`UnknownRulesetError` saying why not.

        ``ruleset_id`` is an authority id, or ``id@version``. With a version, that version (and
        when ``as_of`` is given too, it must have been in force on that day); without one, the
        version in force on ``as_of``, else (no date) the one in force today or the latest. A draft
        is returned only when named by version and asked for with ``drafts`` (the policy tools).
        """
        rid, at, named = ruleset_id.partition("@")
        if at:
            if not rid or not named:
                raise UnknownRulesetError(f"'{ruleset_id}': expected an authority id or id@version")
            if version is not None and version != named:
                raise UnknownRulesetError(f"'{ruleset_id}' names version '{named}' but version '{version}' "
                                          "was asked for")
            version = named
        versions = self.versions(rid)
        if version is not None:
            for r in versions:
                if r.version == version:
                    if r.draft and not drafts:
                        raise UnknownRulesetError(
                            f"ruleset '{rid}' version '{version}' is a draft (status: draft): never in "
                            "force or used for triage; try it with `thresholds diff --draft FILE`")
                    if as_of is not None and not r.in_force(as_of, self._successor_start(versions).get(r.version)):
                        raise UnknownRulesetError(
                            f"version '{version}' of '{rid}' was not in force on {as_of.isoformat()}")
                    return r
            names = [r.version for r in versions]
            raise UnknownRulesetError(
                f"ruleset '{rid}' has no version '{version}'; versions: {', '.join(names)}",
                suggestions=suggest(version, names))
        day = as_of or dt.date.today()
        versions = [r for r in versions if not r.draft]
        if not versions:
            raise UnknownRulesetError(f"ruleset '{rid}' has only draft versions, which are never in force")
        successor = self._successor_start(versions)
        in_force = [r for r in versions if r.in_force(day, successor.get(r.version))]
        replaced = {r.model.ruleset.supersedes for r in in_force}
        in_force = [r for r in in_force if r.version not in replaced]
        if in_force:
            return in_force[-1]
        if as_of is not None:
            raise UnknownRulesetError(
                f"no version of '{rid}' was in force on {day.isoformat()}; versions: "
                + ", ".join(f"{r.version} ({r.model.ruleset.effective_from or '?'} to "
                            f"{r.model.ruleset.effective_to or 'now'})" for r in versions))
        return versions[-1]

    @staticmethod
    def _successor_start(versions: list[LoadedRuleset]) -> dict[str, dt.date | None]:
        """For each superseded version, the first day of the version that replaced it."""
        return {r.model.ruleset.supersedes: r.start for r in versions if r.model.ruleset.supersedes is not None}

    def by_sha(self, sha256: str) -> LoadedRuleset | None:
        for r in self.all():
            if r.sha256 == sha256:
                return r
        return None


def _loader() -> ModuleType:
    """The YAML loader (and ruamel), imported only when a file is not in the cache."""
    import engine.load.loader

    return engine.load.loader


def _chronological(versions: list[LoadedRuleset]) -> list[LoadedRuleset]:
    """Oldest first: by effective date, and a version after the one it supersedes."""
    ordered = sorted(versions, key=lambda r: (r.start or dt.date.min, r.version))
    for _ in range(len(ordered)):
        moved = False
        for i, r in enumerate(ordered):
            older = r.model.ruleset.supersedes
            j = next((k for k, o in enumerate(ordered) if o.version == older), -1)
            if j > i:
                ordered.insert(j, ordered.pop(i))
                moved = True
                break
        if not moved:
            break
    return ordered
