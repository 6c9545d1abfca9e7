"""One rule either channel evaluates, with everything the stages after it need to know about it.

The channels, the decision table, the question engine and the witness builder all walk the same
rules in the same order (indicators, then national overrides, then local ones) and read the same
truth vector. Before this record they each rebuilt the parallel list "indicator conditions +
override conditions" and found an override's truth by index arithmetic; a ``Rule`` carries its
own position (``index``), kind, origin, condition and the facts it reads, so none of them has to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from engine.model.condition import Condition, facts_of
from engine.model.outcome import Outcome
from engine.model.ruleset import Indicator, NationalModule, Override, Ruleset

RuleKind = Literal["indicator", "override", "local-override"]
"""``override`` is a national safety rule (it cannot be removed); ``local-override`` a council's own."""


@dataclass(frozen=True)
class Rule:
    """An indicator or an override, at its fixed place in every truth vector."""

    index: int
    id: str
    kind: RuleKind
    when: Condition
    facts: tuple[str, ...]
    level: str | None
    """The level an indicator points to (None for an override)."""
    minimum: Outcome | None
    """The outcome an override sets as a floor (None for an indicator)."""
    definition: Indicator | Override

    @property
    def origin(self) -> Literal["local", "national"]:
        return "national" if self.kind == "override" else "local"

    @property
    def is_override(self) -> bool:
        return self.kind != "indicator"

    @property
    def override(self) -> Override:
        """The override this rule is (only for override kinds)."""
        assert isinstance(self.definition, Override), self.id
        return self.definition

    @property
    def indicator(self) -> Indicator:
        """The indicator this rule is (only for the indicator kind)."""
        assert isinstance(self.definition, Indicator), self.id
        return self.definition


def rules_of(model: Ruleset, national: NationalModule | None) -> tuple[Rule, ...]:
    """The rules of a ruleset in channel order: indicators, national overrides, local overrides.

    Without a national module (linting one file on its own) only the file's own rules are listed.
    """
    out: list[Rule] = []
    for ind in model.indicators:
        out.append(Rule(len(out), ind.id, "indicator", ind.when, tuple(facts_of(ind.when)), ind.level, None, ind))
    sources: list[tuple[RuleKind, list[Override]]] = [("local-override", model.overrides)]
    if national is not None:
        sources.insert(0, ("override", national.overrides))
    for kind, overrides in sources:
        for ov in overrides:
            out.append(Rule(len(out), ov.id, kind, ov.when, tuple(facts_of(ov.when)), None, ov.minimum, ov))
    return tuple(out)
