"""The parts of a structural diff other than indicators: levels, combinations, overrides, metadata.

Levels are set side by side on the canonical outcome scale, because local level numbers are
labels, not a shared scale. Combination rules are matched by what they do (how many needs,
from which outcome up, across how many domains, giving which outcome), local overrides by
their condition. Identifiers, citations and document metadata are compared only between two
versions of one authority, where they are meant to be stable.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict

from engine.evaluate.decision import level_ref
from engine.evaluate.suggestion import LevelRef
from engine.load.catalogue import LoadedRuleset
from engine.model.condition import condition_key
from engine.model.outcome import ORDER, Outcome
from engine.model.ruleset import Combination, Override
from engine.model.wording import describe

SHORT: dict[Outcome, str] = {
    Outcome.universal: "universal services",
    Outcome.early_help_single_agency: "early help (single agency)",
    Outcome.early_help_multi_agency: "early help (multi-agency)",
    Outcome.child_in_need: "child in need (s17)",
    Outcome.child_protection: "child protection (s47)",
    Outcome.immediate_protection: "immediate protection",
}
"""Short outcome names for one-line summaries; reports show the full label beside them."""


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LevelRow(_Value):
    """One canonical outcome with each side's local levels that map to it."""

    outcome: Outcome
    outcome_label: str
    a: list[LevelRef]
    b: list[LevelRef]
    differs: bool


class LevelChange(_Value):
    kind: Literal["added", "removed", "outcome", "label"]
    id: str
    summary: str


class CombinationChange(_Value):
    kind: Literal["only_a", "only_b", "changed", "citation"]
    a: str | None
    b: str | None
    summary: str


class OverrideChange(_Value):
    kind: Literal["only_a", "only_b", "changed", "citation"]
    a: str | None
    b: str | None
    summary: str


class FieldChange(_Value):
    field: str
    a: str | None
    b: str | None


def parts_diff(a: LoadedRuleset, b: LoadedRuleset, same: bool) -> tuple[
        list[LevelRow], list[LevelChange], list[CombinationChange], list[OverrideChange], list[FieldChange]]:
    return (level_rows(a, b), level_changes(a, b) if same else [], combination_changes(a, b, same),
            override_changes(a, b, same), metadata_changes(a, b) if same else [])


def level_rows(a: LoadedRuleset, b: LoadedRuleset) -> list[LevelRow]:
    rows = []
    for o in ORDER:
        la = [level_ref(lv) for lv in a.model.levels if lv.outcome == o]
        lb = [level_ref(lv) for lv in b.model.levels if lv.outcome == o]
        if la or lb:
            rows.append(LevelRow(outcome=o, outcome_label=o.label, a=la, b=lb, differs=not la or not lb))
    return rows


def level_changes(a: LoadedRuleset, b: LoadedRuleset) -> list[LevelChange]:
    out: list[LevelChange] = []
    for lid, lv in a.levels.items():
        other = b.levels.get(lid)
        if other is None:
            out.append(LevelChange(kind="removed", id=lid, summary=f"level {lid} ({lv.label}) removed"))
            continue
        if other.outcome != lv.outcome:
            out.append(LevelChange(kind="outcome", id=lid, summary=f"level {lid} now maps to "
                                   f"{SHORT[other.outcome]} (was {SHORT[lv.outcome]})"))
        if other.label != lv.label:
            out.append(LevelChange(kind="label", id=lid, summary=f"level {lid} renamed from "
                                   f"\u201c{lv.label}\u201d to \u201c{other.label}\u201d"))
    for lid, lv in b.levels.items():
        if lid not in a.levels:
            out.append(LevelChange(kind="added", id=lid,
                                   summary=f"level {lid} ({lv.label}, {SHORT[lv.outcome]}) added"))
    return out


def _combo_signature(lr: LoadedRuleset, c: Combination) -> tuple[int, int, int, int]:
    return (c.at_least, lr.levels[c.of_level].outcome.rank, c.across_domains, lr.levels[c.gives].outcome.rank)


T = TypeVar("T")


def pair_by(
    a_items: list[T], b_items: list[T], keys: Sequence[tuple[Callable[[T], object], Callable[[T], object]]]
) -> tuple[list[tuple[T, T]], list[T], list[T]]:
    """Pair items of two rulesets by each key in turn; returns pairs and the unpaired of each side."""
    left, right = list(a_items), list(b_items)
    matched: list[tuple[T, T]] = []
    for key_a, key_b in keys:
        for x in list(left):
            hit = next((y for y in right if key_b(y) == key_a(x)), None)
            if hit is not None:
                matched.append((x, hit))
                left.remove(x)
                right.remove(hit)
    return matched, left, right


def combination_text(lr: LoadedRuleset, c: Combination) -> str:
    of, gives = lr.levels[c.of_level], lr.levels[c.gives]
    return (f"{c.at_least} or more needs at {of.id} ({SHORT[of.outcome]}) or above, across at least "
            f"{c.across_domains} domain(s), give {gives.id} ({SHORT[gives.outcome]})")


def combination_changes(a: LoadedRuleset, b: LoadedRuleset, same: bool) -> list[CombinationChange]:
    def by_id(_lr: LoadedRuleset, c: Combination) -> object:
        return c.id

    keys: list[Callable[[LoadedRuleset, Combination], object]] = [by_id] if same else []
    keys.append(_combo_signature)
    sides = [(partial(k, a), partial(k, b)) for k in keys]
    matched, left, right = pair_by(a.model.combinations, b.model.combinations, sides)
    out: list[CombinationChange] = []
    for ca, cb in matched:
        ta, tb = combination_text(a, ca), combination_text(b, cb)
        if ta != tb:
            out.append(CombinationChange(kind="changed", a=ta, b=tb, summary=f"combination {ca.id}: {ta} \u2192 {tb}"))
        elif same and ca.cite != cb.cite:
            out.append(CombinationChange(kind="citation", a=ta, b=tb, summary=f"combination {ca.id}: citation changed"))
    out += [CombinationChange(kind="only_a", a=combination_text(a, c), b=None,
                              summary=f"only in {a.key}: {combination_text(a, c)}") for c in left]
    out += [CombinationChange(kind="only_b", a=None, b=combination_text(b, c),
                              summary=f"only in {b.key}: {combination_text(b, c)}") for c in right]
    return out


def override_text(lr: LoadedRuleset, o: Override) -> str:
    return (f"{o.says} (when {describe(o.when, lr.vocabulary)}): at least {SHORT[o.minimum]}; "
            + " ".join(o.actions))


def override_changes(a: LoadedRuleset, b: LoadedRuleset, same: bool) -> list[OverrideChange]:
    """Local overrides only: the national ones are the same module under every ruleset."""
    keys: list[Callable[[Override], object]] = [lambda o: condition_key(o.when)]
    if same:
        keys.append(lambda o: o.id)
    matched, left, right = pair_by(a.model.overrides, b.model.overrides, [(k, k) for k in keys])
    out: list[OverrideChange] = []
    for oa, ob in matched:
        ta, tb = override_text(a, oa), override_text(b, ob)
        if (oa.minimum, condition_key(oa.when), sorted(oa.actions)) != (ob.minimum, condition_key(ob.when),
                                                                       sorted(ob.actions)):
            out.append(OverrideChange(kind="changed", a=ta, b=tb, summary=f"local override {oa.id}: {ta} \u2192 {tb}"))
        elif same and oa.cite != ob.cite:
            out.append(OverrideChange(kind="citation", a=ta, b=tb, summary=f"local override {oa.id}: citation changed"))
    out += [OverrideChange(kind="only_a", a=override_text(a, o), b=None,
                           summary=f"local override only in {a.key}: {override_text(a, o)}") for o in left]
    out += [OverrideChange(kind="only_b", a=None, b=override_text(b, o),
                           summary=f"local override only in {b.key}: {override_text(b, o)}") for o in right]
    return out


def metadata_changes(a: LoadedRuleset, b: LoadedRuleset) -> list[FieldChange]:
    ia, ib = a.model.ruleset, b.model.ruleset
    fields: list[tuple[str, str | None, str | None]] = [
        ("document title", ia.document.title, ib.document.title),
        ("document URL", ia.document.url, ib.document.url),
        ("published", ia.published, ib.published),
        ("effective from", ia.effective_from, ib.effective_from),
        ("effective to", ia.effective_to, ib.effective_to),
        ("coverage complete", str(ia.coverage.complete), str(ib.coverage.complete)),
        ("coverage notes", ia.coverage.notes, ib.coverage.notes),
        ("levels covered", ", ".join(ia.coverage.levels), ", ".join(ib.coverage.levels)),
    ]
    return [FieldChange(field=f, a=va, b=vb) for f, va, vb in fields if va != vb]
