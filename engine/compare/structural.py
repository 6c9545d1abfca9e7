"""Structural diff of two rulesets: two authorities, or two versions of one authority.

Indicators are matched across documents through the shared vocabulary, never by wording:
first the same condition (same facts, same tests), then the same tests with different
qualifier values ("regularly" vs "frequently"), then the same set of concerns (the
vocabulary's ``concern`` of every fact a condition reads). Between two versions of one
authority indicator ids are stable, so they are matched by id first and citations and
wording are compared too; between authorities those always differ and are not reported.
Everything here reads the models only; what referrals would actually get is the semantic
diff's job (engine/compare/semantic.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from engine.compare.structural_parts import (
    SHORT,
    CombinationChange,
    FieldChange,
    LevelChange,
    LevelRow,
    OverrideChange,
    parts_diff,
)
from engine.evaluate.decision import level_ref, ruleset_ref
from engine.evaluate.suggestion import LevelRef, RulesetRef
from engine.load.catalogue import LoadedRuleset
from engine.model.condition import AllOf, AnyOf, Condition, FactTest, NotOf, condition_key, facts_of
from engine.model.outcome import Outcome
from engine.model.ruleset import Citation, Indicator
from engine.model.vocabulary import Vocabulary
from engine.model.wording import describe

ChangeKind = Literal["only_a", "only_b", "outcome", "level", "threshold", "condition", "domain", "citation",
                     "wording", "renamed"]


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class IndicatorRef(_Value):
    """One side's indicator, as a report shows it."""

    id: str
    level: LevelRef
    says: str
    condition: str
    domain: str
    concerns: list[str]
    cite: Citation


class IndicatorChange(_Value):
    """A matched pair that differs, or an indicator found on one side only."""

    concern: str
    kinds: list[ChangeKind]
    summary: str
    a: IndicatorRef | None
    b: IndicatorRef | None

    @property
    def size(self) -> int:
        """How far apart the canonical outcomes are (0 when one side is missing)."""
        if self.a is None or self.b is None:
            return 0
        return abs(self.a.level.outcome.rank - self.b.level.outcome.rank)


class ConcernChanges(_Value):
    concern: str
    label: str
    changes: list[IndicatorChange]


class StructuralDiff(_Value):
    a: RulesetRef
    b: RulesetRef
    a_name: str
    b_name: str
    same_authority: bool
    levels: list[LevelRow]
    level_changes: list[LevelChange]
    concerns: list[ConcernChanges]
    combinations: list[CombinationChange]
    overrides: list[OverrideChange]
    metadata: list[FieldChange]
    national_same: bool

    @property
    def empty(self) -> bool:
        """True when nothing that affects a referral or its explanation differs."""
        return not (self.level_changes or self.concerns or self.combinations or self.overrides
                    or any(r.differs for r in self.levels) or not self.national_same)

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for g in self.concerns for c in g.changes if kind in c.kinds)


def concern_label(concern: str) -> str:
    return concern.replace("_", " ")


def concerns_of(cond: Condition, vocab: Vocabulary) -> list[str]:
    """The vocabulary concerns a condition reads, sorted (the matching key across authorities)."""
    return sorted({vocab.fact(f).concern for f in facts_of(cond)})


def shape_key(cond: Condition) -> str:
    """A condition with its operands removed: same shape means only qualifier values differ."""
    if isinstance(cond, FactTest):
        return f"{cond.fact}.{cond.operator}"
    if isinstance(cond, AllOf):
        return "all(" + ",".join(sorted(shape_key(c) for c in cond.all)) + ")"
    if isinstance(cond, AnyOf):
        return "any(" + ",".join(sorted(shape_key(c) for c in cond.any)) + ")"
    assert isinstance(cond, NotOf)
    return "not(" + shape_key(cond.not_) + ")"


def side_names(a: LoadedRuleset, b: LoadedRuleset) -> tuple[str, str]:
    if a.id == b.id:
        return f"{a.model.ruleset.authority} version {a.version}", f"{b.model.ruleset.authority} version {b.version}"
    return a.model.ruleset.authority, b.model.ruleset.authority


def structural_diff(a: LoadedRuleset, b: LoadedRuleset) -> StructuralDiff:
    same = a.id == b.id
    a_name, b_name = side_names(a, b)
    pairs, only_a, only_b = match_indicators(a, b, by_id=same)
    changes: list[IndicatorChange] = []
    for ia, ib, how in pairs:
        ch = _pair_change(a, b, ia, ib, how, same, a_name, b_name)
        if ch is not None:
            changes.append(ch)
    for ind in only_a:
        ref = _ref(a, ind)
        changes.append(IndicatorChange(concern=" + ".join(ref.concerns), kinds=["only_a"], a=ref, b=None,
                                       summary=f"only in {a_name}: {ind.says} ({ref.level.id}, "
                                               f"{_short(ref.level.outcome)})"))
    for ind in only_b:
        ref = _ref(b, ind)
        changes.append(IndicatorChange(concern=" + ".join(ref.concerns), kinds=["only_b"], a=None, b=ref,
                                       summary=f"only in {b_name}: {ind.says} ({ref.level.id}, "
                                               f"{_short(ref.level.outcome)})"))
    groups: dict[str, list[IndicatorChange]] = {}
    for ch in changes:
        groups.setdefault(ch.concern, []).append(ch)
    concerns = [ConcernChanges(concern=k, label=concern_label(k),
                               changes=sorted(v, key=lambda c: (-c.size, c.summary)))
                for k, v in groups.items()]
    concerns.sort(key=lambda g: (-max(c.size for c in g.changes), g.concern))
    levels, level_changes, combos, overrides, metadata = parts_diff(a, b, same)
    return StructuralDiff(
        a=ruleset_ref(a), b=ruleset_ref(b), a_name=a_name, b_name=b_name, same_authority=same,
        levels=levels, level_changes=level_changes, concerns=concerns, combinations=combos,
        overrides=overrides, metadata=metadata,
        national_same=a.national == b.national and a.vocabulary == b.vocabulary,
    )


Pair = tuple[Indicator, Indicator, str]


def match_indicators(a: LoadedRuleset, b: LoadedRuleset, by_id: bool
                     ) -> tuple[list[Pair], list[Indicator], list[Indicator]]:
    """Pair indicators of ``a`` and ``b``; returns pairs (with how they matched) and the rest."""
    left = list(a.model.indicators)
    right = list(b.model.indicators)
    pairs: list[Pair] = []
    va, vb = a.vocabulary, b.vocabulary

    def rank(lr: LoadedRuleset, ind: Indicator) -> int:
        return lr.levels[ind.level].outcome.rank

    def run(how: str, key_a: Callable[[Indicator], object], key_b: Callable[[Indicator], object]) -> None:
        for ia in list(left):
            ka = key_a(ia)
            candidates = [ib for ib in right if key_b(ib) == ka]
            if not candidates:
                continue
            ib = min(candidates, key=lambda c: abs(rank(b, c) - rank(a, ia)))
            pairs.append((ia, ib, how))
            left.remove(ia)
            right.remove(ib)

    if by_id:
        run("id", lambda i: i.id, lambda i: i.id)
    run("same", lambda i: condition_key(i.when), lambda i: condition_key(i.when))
    run("shape", lambda i: shape_key(i.when), lambda i: shape_key(i.when))
    run("concern", lambda i: tuple(concerns_of(i.when, va)), lambda i: tuple(concerns_of(i.when, vb)))
    return pairs, left, right


def _ref(lr: LoadedRuleset, ind: Indicator) -> IndicatorRef:
    return IndicatorRef(id=ind.id, level=level_ref(lr.levels[ind.level]), says=ind.says,
                        condition=describe(ind.when, lr.vocabulary), domain=ind.domain.value,
                        concerns=concerns_of(ind.when, lr.vocabulary), cite=ind.cite)


def _pair_change(a: LoadedRuleset, b: LoadedRuleset, ia: Indicator, ib: Indicator, how: str, same: bool,
                 a_name: str, b_name: str) -> IndicatorChange | None:
    ra, rb = _ref(a, ia), _ref(b, ib)
    kinds: list[ChangeKind] = []
    notes: list[str] = []
    oa, ob = ra.level.outcome, rb.level.outcome
    if oa != ob:
        kinds.append("outcome")
        notes.append(f"{_short(oa)} in {a_name} ({ra.level.id} {ra.level.label}), {_short(ob)} in {b_name} "
                     f"({rb.level.id} {rb.level.label})")
    elif same and ia.level != ib.level:
        kinds.append("level")
        notes.append(f"moved from {ra.level.id} to {rb.level.id} (both {_short(oa)})")
    if condition_key(ia.when) != condition_key(ib.when):
        kind: ChangeKind = "threshold" if shape_key(ia.when) == shape_key(ib.when) else "condition"
        kinds.append(kind)
        notes.append(f"{'qualifier threshold' if kind == 'threshold' else 'condition'}: {a_name} needs "
                     f"{ra.condition}; {b_name} needs {rb.condition}")
    if ia.domain != ib.domain:
        kinds.append("domain")
        notes.append(f"domain {ia.domain.value} in {a_name}, {ib.domain.value} in {b_name}")
    if same and ia.cite != ib.cite:
        kinds.append("citation")
        notes.append(f"citation changed: {ia.cite.text()} \u2192 {ib.cite.text()}")
    if same and ia.id != ib.id:
        kinds.append("renamed")
        notes.append(f"indicator id {ia.id} became {ib.id}")
    if same and ia.says != ib.says:
        kinds.append("wording")
        notes.append(f"wording changed: \u201c{ia.says}\u201d \u2192 \u201c{ib.says}\u201d")
    if not kinds:
        return None
    shared = sorted(set(ra.concerns) & set(rb.concerns)) or ra.concerns
    title = ia.says if ia.says == ib.says else f"{ia.says} / {ib.says}"
    return IndicatorChange(concern=" + ".join(shared), kinds=kinds, a=ra, b=rb,
                           summary=f"{title}: " + "; ".join(notes))


def _short(o: Outcome) -> str:
    return SHORT[o]
