"""Why two rulesets answer a concern differently: the class of each difference in a diff.

A policy officer reading "this concern gets a different outcome" must know whether the two
documents really disagree, or whether one side is silent (its document says nothing about the
concern, or it does but the encoding left it out), or whether the gap is made by a cut point of
the shared vocabulary rather than by either document's words. Each concern group of the
semantic diff gets one class, decided from facts the project keeps:

- ``placed_differently``: both rulesets have indicators on the concern and place it differently;
- ``not_in_document`` / ``not_encoded``: only one side has indicators. The silent side's source
  account (``rulesets/england/<id>/sources/<version>.yaml``) decides: items it lists under the
  concern's domains (above universal services) that were not encoded mean "not encoded"; so does
  a partial encoding (coverage metadata), because the unread part may address the concern. Only
  a complete encoding whose account encodes every item under those domains, or a complete one
  with no account, is "not in its document". The ``basis`` says which evidence decided;
- ``cut_point``: both sides have indicators on the concern whose conditions have the same shape
  and differ only in a qualifier threshold (one value of an ordered fact), at the same canonical
  outcome: the difference lies in where each encoding put the vocabulary's cut point.

The values here are frozen and rendered as they are (CLI, JSON, reports, pages).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from engine.compare.semantic import SemanticDiff
from engine.compare.structural import StructuralDiff
from engine.compare.witness import COMBINED, Witness
from engine.errors import ThresholdsError
from engine.load.catalogue import LoadedRuleset
from engine.load.loader import validate_model
from engine.load.sources import SourceAccount, account_path
from engine.load.yamlfile import load_file
from engine.model.outcome import Outcome
from engine.model.vocabulary import Domain
from engine.model.wording import referral_words

DifferenceClass = Literal["placed_differently", "not_in_document", "not_encoded", "cut_point"]

CLASS_LABELS: dict[DifferenceClass, str] = {
    "placed_differently": "placed differently",
    "not_in_document": "one side silent: not in its document",
    "not_encoded": "one side silent: not encoded",
    "cut_point": "vocabulary cut point",
}
"""Each class in a few words (table cells, the CLI's columns)."""

CLASS_MEANINGS: dict[DifferenceClass, str] = {
    "placed_differently": "both documents address the concern and place it differently",
    "not_in_document": "one side is silent because its document does not address the concern",
    "not_encoded": "one side is silent because the concern is not encoded (its document addresses it, or was not "
                   "read in full)",
    "cut_point": "the difference comes from a cut point of the shared vocabulary, not from either document's wording",
}
"""Each class in a sentence (every renderer prints these beside the counts)."""

ORDER: tuple[DifferenceClass, ...] = ("placed_differently", "cut_point", "not_encoded", "not_in_document")


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ClassifiedConcern(_Value):
    """One concern group of the semantic diff with its class and the evidence for it."""

    concern: str
    label: str
    referrals: int
    difference_class: DifferenceClass
    class_short: str
    """The class in a few words."""
    class_label: str
    """The class in a sentence."""
    silent: str | None = None
    """The side with no indicator on the concern (its display name), for the two silent classes."""
    basis: str
    """What decided the class, in one or two sentences."""


class ClassCount(_Value):
    difference_class: DifferenceClass
    label: str
    meaning: str
    concerns: int
    referrals: int


def _domains(lr: LoadedRuleset, concern: str) -> set[Domain]:
    by_concern = lr.vocabulary.concerns()
    return {lr.vocabulary.fact(f).domain for c in concern.split(" + ") for f in by_concern.get(c, [])}


def _account(lr: LoadedRuleset) -> SourceAccount | None:
    path = account_path(lr)
    if not path.exists():
        return None
    try:
        return validate_model(load_file(path), SourceAccount)
    except ThresholdsError:
        return None  # an account that does not load is reported by `thresholds coverage`; fall back


def _silent_basis(lr: LoadedRuleset, name: str, concern: str) -> tuple[DifferenceClass, str]:
    domains = _domains(lr, concern)
    where = " or ".join(sorted(d.value.replace("_", " ") for d in domains)) or "its domain"
    account = _account(lr)
    if account is None:
        if lr.model.ruleset.coverage.complete:
            return "not_in_document", (f"{name} has no indicator on this concern and no source account; its coverage "
                                       "metadata says the whole document is encoded.")
        return "not_encoded", (f"{name} has no indicator on this concern and no source account; its coverage "
                               f"metadata says the encoding is partial: {lr.model.ruleset.coverage.notes}")
    universal = {lv.id for lv in lr.model.levels if lv.outcome == Outcome.universal}
    pending = [i for i in account.items if not i.is_encoded and i.domain in domains and i.level not in universal
               and (i.not_encoded is None or i.not_encoded.reason != "national")]
    if pending:
        first = pending[0]
        return "not_encoded", (f"{name}'s source account lists {len(pending)} item(s) under {where} that are not "
                               f"encoded, for example \u201c{first.says}\u201d, so its document may address this "
                               "concern where the ruleset is silent.")
    if not lr.model.ruleset.coverage.complete:
        return "not_encoded", (f"{name}'s source account encodes every item it lists under {where}, but its coverage "
                               "metadata says the document was not read or encoded in full, so the document may "
                               "address this concern in a part that is not encoded.")
    return "not_in_document", (f"{name}'s source account encodes every item it lists under {where} above universal "
                               "services, its coverage metadata says the whole document is encoded, and none of its "
                               "indicators reads this concern: its document does not address it.")


def _cut_point(st: StructuralDiff, concern: str) -> bool:
    changes = [c for g in st.concerns if g.concern == concern for c in g.changes]
    paired = [c for c in changes if c.a is not None and c.b is not None]
    return bool(paired) and len(paired) == len(changes) and all(
        "threshold" in c.kinds and "outcome" not in c.kinds and "condition" not in c.kinds for c in paired)


def classify(a: LoadedRuleset, b: LoadedRuleset, st: StructuralDiff, se: SemanticDiff) -> list[ClassifiedConcern]:
    """One class per concern group of the semantic diff, in the diff's order."""
    out: list[ClassifiedConcern] = []
    for g in se.groups:
        silent: str | None = None
        if g.encoded_a and g.encoded_b:
            if g.concern != COMBINED and _cut_point(st, g.concern):
                kind: DifferenceClass = "cut_point"
                basis = ("The indicators on this concern have the same condition at the same canonical outcome on both "
                         "sides and differ only in a qualifier threshold, so the referrals between the two cut points "
                         "get different outcomes.")
            else:
                kind = "placed_differently"
                basis = f"Both {st.a_name} and {st.b_name} have indicators on this concern."
        else:
            lr, silent = (b, st.b_name) if g.encoded_a else (a, st.a_name)
            kind, basis = _silent_basis(lr, silent, g.concern)
        out.append(ClassifiedConcern(concern=g.concern, label=g.label, referrals=len(g.results),
                                     difference_class=kind, class_short=CLASS_LABELS[kind],
                                     class_label=CLASS_MEANINGS[kind], silent=silent,
                                     basis=basis))
    return out


def class_counts(classified: list[ClassifiedConcern]) -> list[ClassCount]:
    """Concerns and witness referrals per class, every class listed (zero included), in a fixed order."""
    return [ClassCount(difference_class=k, label=CLASS_LABELS[k], meaning=CLASS_MEANINGS[k],
                       concerns=sum(1 for c in classified if c.difference_class == k),
                       referrals=sum(c.referrals for c in classified if c.difference_class == k)) for k in ORDER]


def example_words(lr: LoadedRuleset, se: SemanticDiff, more: Sequence[Witness] = ()) -> dict[str, str]:
    """Every witness referral the diff shows, in plain words, by witness id (reports show these, not ids)."""
    shown = [r.witness for g in se.groups for r in g.results] + [r.witness for r in se.reason_changes] + list(more)
    return {w.id: referral_words(lr.vocabulary, w.facts) for w in shown}
