"""One referral under several authorities at once: the cross-council compare.

The API's ``/compare`` and the compare page both ask the same question ("what would each of
these councils suggest for this referral, on the date it was made?"), so it is answered here
once. The versions are chosen from the evaluator's own catalogue and evaluated by the same
evaluator: a caller that holds the evaluator for the whole call (the service's
``Live.using()``) can never evaluate a version chosen from a catalogue a reload has replaced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from engine.errors import UnknownRulesetError
from engine.evaluate.evaluator import Evaluator
from engine.evaluate.suggestion import Suggestion
from engine.load.catalogue import LoadedRuleset
from engine.model.referral import Referral


@dataclass(frozen=True)
class AcrossCouncils:
    """Each chosen version with its live suggestion, and the authorities with no version in force."""

    results: tuple[tuple[LoadedRuleset, Suggestion], ...]
    not_in_force: tuple[str, ...]


def across_councils(ev: Evaluator, facts: Mapping[str, Any], ruleset_ids: Sequence[str] | None,
                    as_of: dt.date | None, *, strict: bool) -> AcrossCouncils:
    """The referral under each of ``ruleset_ids`` (in that order) or, with None, every authority.

    Invalid facts raise ReferralError before anything is evaluated. An authority with no
    version in force on ``as_of`` raises UnknownRulesetError when ``strict``; otherwise it is
    listed in ``not_in_force`` and the others are still evaluated.
    """
    cat = ev.catalogue
    referral = Referral.of(cat.vocabulary, facts)  # the caller's error, before any evaluation; once for all
    chosen: list[LoadedRuleset] = []
    missing: list[str] = []
    for rid in ruleset_ids if ruleset_ids is not None else cat.ids():
        try:
            chosen.append(cat.select(rid, as_of=as_of))
        except UnknownRulesetError:
            if strict:
                raise
            missing.append(rid)
    return AcrossCouncils(tuple((r, ev.evaluate(r, referral)) for r in chosen), tuple(missing))
