"""The two evaluation channels.

Both take the same normalised facts (booleans, integers and category ranks; unknown facts
absent) and answer for the same rules (indicators and overrides, in ``LoadedRuleset.rules``
order). The fast channel answers in three-valued logic; the durable channel, the mandated
Rete engine, answers which rules are true. The live evaluator runs both and fails closed
when they disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from engine.model.vocabulary import Normalised

Truth = bool | None
"""Three-valued truth: True, False, or None for "not known"."""


class Channel(Protocol):
    """What the evaluator needs from an evaluation channel."""

    name: str

    def matches(self, facts: Mapping[str, Normalised]) -> frozenset[str]:
        """Ids of the rules whose conditions are true for these facts."""
        ...
