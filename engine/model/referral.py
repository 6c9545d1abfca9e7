"""A referral's facts checked once against a vocabulary and then carried, never re-read.

Validating a referral and evaluating it need the same work: every fact checked against the
vocabulary and turned into a channel value (booleans, integers, category ranks). A
:class:`Referral` holds the result, the channel values and the facts as a worker would write
them (category ids, not-known facts left out), so a cross-council compare normalises once for
all councils and the decision explains the facts without turning the values back again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from engine.model.vocabulary import FactValue, Normalised, Vocabulary


@dataclass(frozen=True)
class Referral:
    """Referral facts normalised once: ``values`` for the channels, ``facts`` as reported."""

    vocabulary: Vocabulary = field(compare=False, repr=False)
    values: Mapping[str, Normalised]
    facts: Mapping[str, FactValue]

    @classmethod
    def of(cls, vocabulary: Vocabulary, facts: Mapping[str, Any], pointer: str = "/facts") -> Referral:
        """Check ``facts``; ReferralError names every problem by JSON Pointer under ``pointer``."""
        values = vocabulary.normalise(facts, pointer)
        return cls(vocabulary, MappingProxyType(values), MappingProxyType(vocabulary.denormalise(values)))

    def under(self, vocabulary: Vocabulary) -> Referral:
        """This referral for a ruleset of ``vocabulary``: itself when it is the one it was checked against."""
        return self if vocabulary is self.vocabulary else Referral.of(vocabulary, self.facts)
