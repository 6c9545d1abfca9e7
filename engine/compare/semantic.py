"""Semantic diff: where the same referral gets a different answer under two rulesets.

The witnesses of both rulesets (engine/compare/witness.py) are evaluated under each on the fast
channel. Every witness whose canonical outcome differs is reported with both explanations,
grouped by the concern it was made for and sorted by how far apart the outcomes are on the
national scale. Between two versions of one authority, witnesses whose outcome stayed the
same but whose reasons changed (matched indicators, combinations, safety overrides, or the
citations behind them) are reported too, so a new document can be reviewed before it takes
effect. The summary says how many witnesses were tried and whether every indicator of both
sides was shown to be reached by one.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from engine.compare.structural import concerns_of
from engine.compare.witness import COMBINED, Witness, witness_bank
from engine.evaluate.bulk import BulkEvaluator
from engine.evaluate.decision import ruleset_ref
from engine.evaluate.suggestion import LevelRef, RulesetRef, Suggestion
from engine.load.catalogue import LoadedRuleset
from engine.model.outcome import Outcome
from engine.model.ruleset import Citation
from engine.model.vocabulary import Normalised


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Reason(_Value):
    """One matched indicator, fired combination or safety override, with its source."""

    kind: str
    id: str
    says: str
    level: str | None = None
    because: str | None = None
    cite: Citation | None = None


class SideResult(_Value):
    """What one ruleset suggests for a witness, and why."""

    outcome: Outcome
    outcome_label: str
    level: LevelRef
    reasons: list[Reason]
    complete: bool


class WitnessResult(_Value):
    witness: Witness
    a: SideResult
    b: SideResult
    difference: int
    """Rank of b's outcome minus rank of a's on the national scale."""
    changed: list[str] = []
    """For reason changes: what changed, in words."""


class ConcernGroup(_Value):
    concern: str
    label: str
    largest: int
    results: list[WitnessResult]
    encoded_a: bool
    """Whether ruleset a has any indicator on this concern (false: the gap may be the encoding's)."""
    encoded_b: bool


class SemanticDiff(_Value):
    a: RulesetRef
    b: RulesetRef
    witnesses_tried: int
    indicators_a: int
    indicators_b: int
    covered_all: bool
    uncovered: list[str]
    coverage: str
    differing: int
    groups: list[ConcernGroup]
    versions: bool
    reason_changes: list[WitnessResult]


def side_result(s: Suggestion) -> SideResult:
    assert s.outcome is not None and s.level is not None and s.completeness is not None
    reasons = [Reason(kind="indicator", id=m.id, says=m.says, level=m.level.id,
                      because="; ".join(f"{f.label}: {f.answer}" for f in m.facts), cite=m.cite)
               for m in s.matched_indicators]
    reasons += [Reason(kind="combination", id=c.id, says=c.says, level=c.gives.id,
                       because="counted " + ", ".join(c.counted), cite=c.cite) for c in s.combinations]
    reasons += [Reason(kind="override", id=a.rule, says=a.says, because=a.condition,
                       cite=a.cite[0] if a.cite else None) for a in s.required_actions if a.origin != "outcome"]
    return SideResult(outcome=s.outcome, outcome_label=s.outcome_label or s.outcome.label, level=s.level,
                      reasons=reasons, complete=s.completeness.complete)


def reason_changes(a: SideResult, b: SideResult) -> list[str]:
    """What differs between two explanations with the same outcome, in words."""
    ra = {(r.kind, r.id): r for r in a.reasons}
    rb = {(r.kind, r.id): r for r in b.reasons}
    out = [f"no longer matches {k[0]} {k[1]}" for k in ra if k not in rb]
    out += [f"now matches {k[0]} {k[1]}" for k in rb if k not in ra]
    for k in ra.keys() & rb.keys():
        if ra[k].cite != rb[k].cite:
            out.append(f"citation of {k[0]} {k[1]} changed")
        if ra[k].level != rb[k].level:
            out.append(f"{k[0]} {k[1]} moved from {ra[k].level} to {rb[k].level}")
    if a.level.id != b.level.id:
        out.append(f"local level {a.level.id} became {b.level.id}")
    return sorted(out)


def _rule_facts(lr: LoadedRuleset) -> dict[str, tuple[object, ...]]:
    """What an explanation shows of each rule: level, citation, wording (to skip identical ones)."""
    out: dict[str, tuple[object, ...]] = {i.id: (i.level, i.cite, i.says) for i in lr.model.indicators}
    out.update({f"combination:{c.id}": (c,) for c in lr.model.combinations})
    out.update({f"override:{r.id}": (r.override,) for r in lr.override_rules})
    return out


def _true_ids(bulk: BulkEvaluator, lr: LoadedRuleset, norm: dict[str, Normalised]) -> frozenset[str]:
    return frozenset(r.id for r, t in zip(lr.rules, bulk.truth(lr, norm), strict=True) if t is True)


def _encoded(lr: LoadedRuleset) -> set[str]:
    """The concerns a ruleset's indicators read."""
    return {c for i in lr.model.indicators for c in concerns_of(i.when, lr.vocabulary)}


def semantic_diff(a: LoadedRuleset, b: LoadedRuleset, bulk: BulkEvaluator | None = None) -> SemanticDiff:
    bulk = bulk or BulkEvaluator([a, b])
    bank = witness_bank([a, b], bulk)
    versions = a.id == b.id
    differing: list[WitnessResult] = []
    changed_reasons: list[WitnessResult] = []
    same_rules = _rule_facts(a) == _rule_facts(b)
    for w in bank.witnesses:
        pa, pb = bulk.position(a, w.norm), bulk.position(b, w.norm)
        if pa.outcome == pb.outcome and (not versions or a.sha256 == b.sha256):
            continue
        if pa.outcome == pb.outcome and same_rules and _true_ids(bulk, a, w.norm) == _true_ids(bulk, b, w.norm) \
                and pa.level == pb.level:
            continue  # same rules, same matches: the explanations cannot differ
        sa, sb = side_result(bulk.suggestion(a, w.norm)), side_result(bulk.suggestion(b, w.norm))
        if pa.outcome != pb.outcome:
            differing.append(WitnessResult(witness=w, a=sa, b=sb, difference=pb.outcome.rank - pa.outcome.rank))
            continue
        what = reason_changes(sa, sb)
        if what:
            changed_reasons.append(WitnessResult(witness=w, a=sa, b=sb, difference=0, changed=what))
    groups: dict[str, list[WitnessResult]] = {}
    for r in differing:
        groups.setdefault(r.witness.concern, []).append(r)
    ca, cb = _encoded(a), _encoded(b)
    ordered = [ConcernGroup(concern=k, label=k.replace("_", " "), largest=max(abs(r.difference) for r in v),
                            results=sorted(v, key=lambda r: (-abs(r.difference), len(r.witness.norm),
                                                             int(r.witness.id[1:]))),
                            encoded_a=k == COMBINED or bool(set(k.split(" + ")) & ca),
                            encoded_b=k == COMBINED or bool(set(k.split(" + ")) & cb))
               for k, v in groups.items()]
    ordered.sort(key=lambda g: (not (g.encoded_a and g.encoded_b), -g.largest, g.concern == COMBINED,
                                -len(g.results), g.concern))
    n_a, n_b = len(a.model.indicators), len(b.model.indicators)
    if bank.covered_all:
        coverage = (f"{len(bank.witnesses)} witness referrals were tried; between them they reach every one "
                    f"of the {n_a} indicators of {a.key} and the {n_b} indicators of {b.key}.")
    else:
        coverage = (f"{len(bank.witnesses)} witness referrals were tried; {len(bank.uncovered)} indicator(s) could "
                    f"not be reached by any referral: {', '.join(bank.uncovered)}.")
    if bank.combinations:
        coverage += (f" {bank.combinations - len(bank.combinations_unreached)} of {bank.combinations} combination "
                     "rule(s) were reached by merged witnesses"
                     + (f" (not reached: {', '.join(bank.combinations_unreached)})." if bank.combinations_unreached
                        else "."))
    return SemanticDiff(
        a=ruleset_ref(a), b=ruleset_ref(b), witnesses_tried=len(bank.witnesses), indicators_a=n_a,
        indicators_b=n_b, covered_all=bank.covered_all, uncovered=bank.uncovered, coverage=coverage,
        differing=len(differing), groups=ordered, versions=versions,
        reason_changes=sorted(changed_reasons, key=lambda r: (r.witness.concern, int(r.witness.id[1:]))),
    )
