"""Source accounting: every item of a threshold document that was read, and what became of it.

A policy officer must be able to check, line by line, that a ruleset says what their document
says. ``coverage.notes`` says in prose what was left out; this module makes that a list. Each
ruleset version may carry an account beside it (``rulesets/england/<authority>/sources/
<version>.yaml``): every source item read, with a short id, the level and domain the source lists
it under, its wording (copied from the source notes, never invented), and its status: encoded
(the indicator ids that encode it) or not encoded with a reason from a fixed list.

The account is checked against its ruleset (levels, indicator ids, items of a superseded version
that this one no longer encodes), with ``file:line:column`` errors like the rest of the loader.
:class:`Accounting` is the value the CLI (``thresholds coverage``) and the ruleset page render.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from engine.errors import Problem, SemanticError, suggest
from engine.load.catalogue import LoadedRuleset
from engine.load.loader import validate_model
from engine.load.yamlfile import Located, load_file
from engine.model.ruleset import ID, LEVEL_ID, Citation
from engine.model.vocabulary import Domain

SOURCES_DIR = "sources"
"""Accounts live in this folder beside the ruleset files: ``<authority>/sources/<version>.yaml``."""


class Reason(StrEnum):
    """Why a source item is not encoded (the fixed list)."""

    not_expressible = "not_expressible"
    ambiguous = "ambiguous"
    truncated = "truncated"
    duplicate = "duplicate"
    national = "national"


REASONS: dict[Reason, str] = {
    Reason.not_expressible: "not expressible in the vocabulary",
    Reason.ambiguous: "ambiguous",
    Reason.truncated: "text truncated in the source",
    Reason.duplicate: "duplicate of another item",
    Reason.national: "left to the national module",
}
"""Each reason in plain words (the CLI, page and docs print these)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NotEncoded(_Strict):
    reason: Reason
    detail: str = Field(min_length=1, description="What exactly is missing, unclear or elsewhere.")
    duplicate_of: str | None = Field(default=None, pattern=ID, description="The item it repeats (reason: duplicate).")
    national: str | None = Field(default=None, pattern=ID,
                                 description="The national override that covers it (reason: national).")


class SourceItem(_Strict):
    """One item of the document as read: where the source lists it and what became of it."""

    id: str = Field(pattern=ID, description="Short id, unique within the account.")
    level: str = Field(pattern=LEVEL_ID, description="The level the source lists it under.")
    domain: Domain | None = Field(default=None, description="The domain the source lists it under, when it says.")
    says: str = Field(min_length=1, description="The item's wording as read (paraphrase or quote; never invented).")
    cite: Citation | None = Field(default=None, description="Where it was read; the encoding's citation when omitted.")
    encoded: list[str] = Field(default_factory=list, description="Indicator ids that encode it.")
    not_encoded: NotEncoded | None = None
    previous: list[str] = Field(
        default_factory=list,
        description="Indicator ids of the superseded version (ruleset.supersedes) that encoded the same item.")

    @property
    def is_encoded(self) -> bool:
        return bool(self.encoded)


class SourcesInfo(_Strict):
    ruleset: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*@[A-Za-z0-9][A-Za-z0-9._-]*$",
                         description="'<authority>@<version>' of the ruleset this accounts for.")
    read: str = Field(min_length=1, description="What was read, and how much of it was visible.")
    not_items: list[str] = Field(
        default_factory=list,
        description="Phrases the ruleset's coverage notes quote that are not source items (headings, dates, "
        "level rules), so every other quoted phrase must be an item of this account.")


class SourceAccount(_Strict):
    """The account of one ruleset version (the file format)."""

    sources: SourcesInfo
    items: list[SourceItem] = Field(default_factory=list)


class ItemLine(_Strict):
    """One item as rendered: status in words, no computation left for the renderer."""

    id: str
    level: str
    level_label: str
    domain: str
    says: str
    status: str
    encoded: tuple[str, ...]
    reason: str | None
    detail: str | None


class Accounting(_Strict):
    """An account checked against its ruleset, with the share encoded (what renderers show)."""

    ruleset: str
    read: str
    file: str
    items: tuple[ItemLine, ...]
    encoded: int
    total: int

    @property
    def percentage(self) -> float:
        return round(100.0 * self.encoded / self.total, 1) if self.total else 0.0

    def by_reason(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for item in self.items:
            if item.reason is not None:
                out[item.reason] = out.get(item.reason, 0) + 1
        return out


def account_path(loaded: LoadedRuleset) -> Path:
    """Where the account of a loaded ruleset version lives (it may not exist)."""
    p = Path(loaded.path)
    return p.parent / SOURCES_DIR / f"{p.stem}.yaml"


def load_account(path: Path | str, loaded: LoadedRuleset, previous: LoadedRuleset | None = None) -> SourceAccount:
    """Parse, validate and check one account against its ruleset (raises :class:`RulesetError`)."""
    located = load_file(path)
    account = validate_model(located, SourceAccount)
    problems = check_account(account, located, loaded, previous)
    if problems:
        raise SemanticError(problems)
    return account


def check_account(account: SourceAccount, located: Located, loaded: LoadedRuleset,
                  previous: LoadedRuleset | None) -> list[Problem]:
    """Every reference resolves and every status is complete; problems carry positions."""
    m = loaded.model
    problems: list[Problem] = []
    if account.sources.ruleset != loaded.key:
        problems.append(located.problem(("sources", "ruleset"),
                                        f"this account is for '{account.sources.ruleset}', but sits beside "
                                        f"'{loaded.key}'"))
    levels = [lv.id for lv in m.levels]
    indicators = {i.id: i for i in m.indicators}
    seen: dict[str, int] = {}
    for n, item in enumerate(account.items):
        at = ("items", n)
        if item.id in seen:
            problems.append(located.problem((*at, "id"), f"item id '{item.id}' is used twice (first at item "
                                            f"{seen[item.id] + 1})"))
        seen.setdefault(item.id, n)
        if item.level not in levels:
            problems.append(located.problem((*at, "level"), f"unknown level '{item.level}'; levels: "
                                            f"{', '.join(levels)}", suggestions=suggest(item.level, levels)))
        if item.encoded and item.not_encoded is not None:
            problems.append(located.problem(at, f"item '{item.id}' is both encoded and not encoded: keep one"))
        if not item.encoded and item.not_encoded is None:
            problems.append(located.problem(at, f"item '{item.id}' has no status: give 'encoded' (indicator ids) "
                                            "or 'not_encoded' (reason and detail)"))
        for k, ind in enumerate(item.encoded):
            if ind not in indicators:
                problems.append(located.problem((*at, "encoded", k), f"unknown indicator '{ind}'",
                                                suggestions=suggest(ind, indicators)))
        if item.cite is None and not item.encoded:
            problems.append(located.problem(at, f"item '{item.id}' is not encoded, so it needs its own 'cite'"))
        ne = item.not_encoded
        if ne is not None:
            if ne.reason is Reason.duplicate and ne.duplicate_of is None:
                problems.append(located.problem((*at, "not_encoded"), "reason 'duplicate' needs 'duplicate_of'"))
            if ne.duplicate_of is not None and ne.duplicate_of not in {i.id for i in account.items}:
                problems.append(located.problem((*at, "not_encoded", "duplicate_of"),
                                                f"unknown item '{ne.duplicate_of}'"))
            if ne.reason is Reason.national and ne.national not in {o.id for o in loaded.national.overrides}:
                problems.append(located.problem((*at, "not_encoded"),
                                                "reason 'national' needs 'national': the id of the national "
                                                "override that covers it"))
        if item.previous and previous is None:
            problems.append(located.problem((*at, "previous"), "'previous' names indicators of a superseded "
                                            "version, but this ruleset supersedes none"))
        if previous is not None:
            older = {i.id for i in previous.model.indicators}
            for k, ind in enumerate(item.previous):
                if ind not in older:
                    problems.append(located.problem((*at, "previous", k), f"'{ind}' is not an indicator of "
                                                    f"{previous.key}", suggestions=suggest(ind, older)))
    accounted = {i for item in account.items for i in item.encoded}
    for indicator in m.indicators:
        if indicator.id not in accounted:
            problems.append(located.problem(("items",), f"indicator '{indicator.id}' encodes no listed item: add "
                                            "the source item it encodes"))
    if previous is not None:
        carried = {i for item in account.items for i in item.previous}
        for old in previous.model.indicators:
            if old.id not in carried:
                problems.append(located.problem(("items",), f"'{old.id}' of the superseded version "
                                                f"{previous.key} is in no item's 'previous': say whether this "
                                                "version encodes it, or why not"))
    return problems


def accounting(account: SourceAccount, loaded: LoadedRuleset, file: str) -> Accounting:
    """The renderable value: one line per item, counts and the encoded share."""
    labels = {lv.id: lv.label for lv in loaded.model.levels}
    indicators = {i.id: i for i in loaded.model.indicators}
    order = loaded.level_index
    lines = []
    for item in sorted(account.items, key=lambda it: order.get(it.level, -1)):
        domain = item.domain.value if item.domain is not None else (
            indicators[item.encoded[0]].domain.value if item.encoded and item.encoded[0] in indicators else "-")
        ne = item.not_encoded
        lines.append(ItemLine(
            id=item.id, level=item.level, level_label=labels.get(item.level, item.level), domain=domain,
            says=item.says, status="encoded" if item.is_encoded else "not encoded", encoded=tuple(item.encoded),
            reason=REASONS[ne.reason] if ne else None,
            detail=(ne.detail + (f" (duplicate of {ne.duplicate_of})" if ne.duplicate_of else "")
                    + (f" (national override {ne.national})" if ne.national else "")) if ne else None))
    encoded = sum(1 for item in account.items if item.is_encoded)
    return Accounting(ruleset=loaded.key, read=account.sources.read, file=file, items=tuple(lines),
                      encoded=encoded, total=len(account.items))


def superseded(loaded: LoadedRuleset, versions: list[LoadedRuleset]) -> LoadedRuleset | None:
    """The version this one names in ``supersedes`` (among ``versions`` of the same authority)."""
    name = loaded.model.ruleset.supersedes
    return next((v for v in versions if v.version == name), None) if name else None


def account_for(loaded: LoadedRuleset, versions: list[LoadedRuleset]) -> Accounting | None:
    """The checked account of one version, or None when it has none (raises on a broken one)."""
    path = account_path(loaded)
    if not path.is_file():
        return None
    account = load_account(path, loaded, superseded(loaded, versions))
    return accounting(account, loaded, str(path))
