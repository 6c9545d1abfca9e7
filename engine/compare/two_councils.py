"""Same child, two councils: one referral's result under council A beside council B's, and why they differ.

A policy officer (or a worker near a boundary between areas) sees the two suggestions side by
side, the rules that matched on one side and not the other, each with its citation, and the
smallest change in the facts that would make the two councils agree: the fewest facts changed,
searched breadth first over the values that can change a rule's truth (every answer of a yes/no
or category fact, each number threshold either council uses and one either side, the witness
machinery's boundary values). Only facts that some rule of either council reads are changed.
The search is bounded (``max_changes`` facts, ``MAX_TRIES`` evaluations); when no change within
the bound makes them agree, the result says so rather than showing nothing. The search runs on
the fast channel, whose agreement with durable_rules the differential tests establish; the two
suggestions shown are the caller's (live, cross-checked) ones.

This describes how two documents differ. It is not advice to record different facts: the facts
stay what the referral says.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.compare.witness import boundary_values, number_thresholds
from engine.evaluate.bulk import BulkEvaluator
from engine.evaluate.evaluator import Evaluator
from engine.evaluate.suggestion import Suggestion
from engine.load.catalogue import LoadedRuleset
from engine.model.outcome import Outcome
from engine.model.ruleset import Citation
from engine.model.vocabulary import Normalised
from engine.model.wording import answer

MAX_CHANGES = 3
"""The most facts a searched change may alter (the default search stops at 2)."""
MAX_TRIES = 200_000
"""Evaluations (pairs of councils) the search may spend before it stops and says so."""
MAX_SHOWN = 5
NOT_ADVICE = ("This shows how the two documents differ for these facts. It is not a suggestion to record different "
              "facts: record what the referral says.")


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DifferingRule(_Value):
    """A rule that matched under one council and not under the other."""

    id: str
    kind: Literal["indicator", "combination", "override"]
    says: str
    level: str | None = Field(description="The local level it gives ('L4: Specialist'), if any.")
    outcome: Outcome
    outcome_label: str
    decisive: bool = Field(description="It gives the outcome this council suggests.")
    cite: list[Citation]


class FactChange(_Value):
    fact: str
    label: str
    before: str = Field(description="The answer in the referral, in words ('not known' if unanswered).")
    after: str


class Agreement(_Value):
    """One smallest change of the facts under which both councils give the same outcome."""

    changes: list[FactChange]
    outcome: Outcome
    outcome_label: str


class TwoCouncils(_Value):
    """The same referral under council A and council B, what differs, and what would make them agree."""

    a: Suggestion
    b: Suggestion
    agree: bool = Field(description="Both suggest the same canonical outcome.")
    only_a: list[DifferingRule] = Field(description="Rules matched under A and not under B.")
    only_b: list[DifferingRule] = Field(description="Rules matched under B and not under A.")
    searched: bool = Field(description="Whether a smallest change was searched for.")
    max_changes: int
    smallest: list[Agreement] = Field(description=f"Smallest changes found (at most {MAX_SHOWN} shown).")
    smallest_found: int = Field(description="How many changes of that size make them agree.")
    finding: str = Field(description="The search's result in one sentence.")
    not_advice: str = NOT_ADVICE


def _rules(s: Suggestion) -> dict[str, DifferingRule]:
    out: dict[str, DifferingRule] = {}
    for m in s.matched_indicators:
        out[m.id] = DifferingRule(id=m.id, kind="indicator", says=m.says, level=f"{m.level.id}: {m.level.label}",
                                  outcome=m.level.outcome, outcome_label=m.level.outcome_label,
                                  decisive=m.level.outcome == s.outcome, cite=[m.cite])
    for c in s.combinations:
        out[c.id] = DifferingRule(id=c.id, kind="combination", says=c.says, level=f"{c.gives.id}: {c.gives.label}",
                                  outcome=c.gives.outcome, outcome_label=c.gives.outcome_label,
                                  decisive=c.gives.outcome == s.outcome, cite=[c.cite])
    for r in s.required_actions:
        if r.origin == "outcome":
            continue
        out[r.rule] = DifferingRule(id=r.rule, kind="override", says=r.title or r.says, level=None,
                                    outcome=r.minimum, outcome_label=r.minimum.label,
                                    decisive=r.minimum == s.outcome, cite=list(r.cite))
    return out


def differing_rules(a: Suggestion, b: Suggestion) -> tuple[list[DifferingRule], list[DifferingRule]]:
    """Rules matched on one side only, highest first. A rule is the same on both sides when its id and
    outcome are (the national rules); one id at different outcomes is a difference on each side."""
    ra = {(r.id, r.outcome): r for r in _rules(a).values()}
    rb = {(r.id, r.outcome): r for r in _rules(b).values()}

    def order(rs: list[DifferingRule]) -> list[DifferingRule]:
        return sorted(rs, key=lambda r: (-r.outcome.rank, r.id))

    return order([r for k, r in ra.items() if k not in rb]), order([r for k, r in rb.items() if k not in ra])


def _candidates(a: LoadedRuleset, b: LoadedRuleset, norm: Mapping[str, Normalised]) -> list[tuple[str, Normalised]]:
    """(fact, value) changes worth trying: facts either council reads, in vocabulary order."""
    vocab = a.vocabulary
    read = {f for lr in (a, b) for r in lr.rules for f in r.facts}
    thresholds = number_thresholds([a, b])
    out: list[tuple[str, Normalised]] = []
    for fact in vocab.facts:
        if fact.id not in read:
            continue
        out += [(fact.id, v) for v in boundary_values(fact, thresholds.get(fact.id, set())) if v != norm.get(fact.id)]
    return out


def smallest_agreement(a: LoadedRuleset, b: LoadedRuleset, norm: Mapping[str, Normalised], bulk: BulkEvaluator,
                       max_changes: int = 2) -> tuple[list[tuple[dict[str, Normalised], Outcome]], int, bool]:
    """Every change of the fewest facts (at most ``max_changes``) under which A and B agree, as the
    changed facts and the agreed outcome; the size tried last; and whether the search ran out of its
    evaluation budget. Changes agreeing nearest to the two present outcomes come first (an
    agreement between them says more about the documents than one at a national safety floor)."""
    cands = _candidates(a, b, norm)
    ra, rb = bulk.position(a, norm).outcome.rank, bulk.position(b, norm).outcome.rank
    tries = 0
    for k in range(1, max_changes + 1):
        found: list[tuple[dict[str, Normalised], Outcome]] = []
        for combo in itertools.combinations(cands, k):
            if len({f for f, _ in combo}) < k:
                continue
            tries += 1
            if tries > MAX_TRIES:
                return found, k, True
            changed = dict(combo)
            trial = {**norm, **changed}
            agreed = bulk.position(a, trial).outcome
            if agreed == bulk.position(b, trial).outcome:
                found.append((changed, agreed))
        if found:
            return sorted(found, key=lambda x: abs(x[1].rank - ra) + abs(x[1].rank - rb)), k, False
    return [], max_changes, False


def two_councils(a: LoadedRuleset, b: LoadedRuleset, facts_a: Suggestion, facts_b: Suggestion,
                 norm: Mapping[str, Normalised], bulk: BulkEvaluator | None = None,
                 max_changes: int = 2) -> TwoCouncils:
    """``facts_a`` and ``facts_b`` are the live suggestions for the normalised facts ``norm`` under A and B."""
    if not 1 <= max_changes <= MAX_CHANGES:
        raise ValueError(f"max_changes must be from 1 to {MAX_CHANGES}, not {max_changes}")
    only_a, only_b = differing_rules(facts_a, facts_b)

    def result(finding: str, agree: bool = False, searched: bool = False, shown: Sequence[Agreement] = (),
               found: int = 0) -> TwoCouncils:
        return TwoCouncils(a=facts_a, b=facts_b, only_a=only_a, only_b=only_b, max_changes=max_changes, agree=agree,
                           searched=searched, smallest=list(shown), smallest_found=found, finding=finding)

    if facts_a.kind == "no_suggestion" or facts_b.kind == "no_suggestion":
        return result("One council gave no suggestion, so nothing was searched: use the threshold documents and "
                      "consult a manager.")
    if facts_a.outcome == facts_b.outcome:
        return result("The two councils already suggest the same national outcome.", agree=True)
    bulk = bulk or BulkEvaluator([a, b])
    found, size, stopped = smallest_agreement(a, b, norm, bulk, max_changes)
    shown = []
    for changed, outcome in found[:MAX_SHOWN]:
        shown.append(Agreement(outcome=outcome, outcome_label=outcome.label, changes=[FactChange(
            fact=f, label=a.vocabulary.fact(f).label,
            before=_words(a, f, norm.get(f)), after=_words(a, f, v)) for f, v in changed.items()]))
    if found:
        finding = (f"Changing {size} fact{'' if size == 1 else 's'} would make the two councils agree; "
                   f"{len(found)} such change{'' if len(found) == 1 else 's'} found"
                   f"{f', the first {MAX_SHOWN} shown' if len(found) > MAX_SHOWN else ''}"
                   f"{f' (the search stopped after {MAX_TRIES:,} tries: there may be more)' if stopped else ''}.")
    elif stopped:
        finding = (f"No change of fewer than {size} fact{'' if size == 1 else 's'} makes them agree, and the search "
                   f"stopped after {MAX_TRIES:,} tries at {size} fact{'' if size == 1 else 's'}.")
    else:
        finding = (f"No change of at most {max_changes} fact{'' if max_changes == 1 else 's'} makes the two "
                   "councils agree.")
    return result(finding, searched=True, shown=shown, found=len(found))


def _words(lr: LoadedRuleset, fact: str, value: Normalised | None) -> str:
    if value is None:
        return "not known"
    return answer(lr.vocabulary, fact, lr.vocabulary.denormalise({fact: value})[fact])


def beside(ev: Evaluator, a: LoadedRuleset, b: LoadedRuleset, facts: Mapping[str, Any],
           max_changes: int = 2) -> TwoCouncils:
    """Evaluate ``facts`` live (both channels) under A and B, then compare them and search, reusing
    ``ev``'s compiled rulesets for the fast-channel search. Raises ReferralError for invalid facts."""
    norm = a.vocabulary.normalise(facts)
    sa, sb = ev.evaluate_normalised(a, norm), ev.evaluate_normalised(b, norm)
    return two_councils(a, b, sa, sb, norm, BulkEvaluator(source=ev.compiled), max_changes)
