"""Bulk evaluation on the fast channel, for comparison work (diff, witnesses, variation).

Comparisons evaluate thousands of referrals under many rulesets, so they use only the fast
channel, whose agreement with durable_rules is established by the differential tests; they
never touch durable_rules (a Host per version would be slow to build and is not needed to
compare documents). Each version is compiled once, keyed by its sha256, so two names for
the same content share one compilation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from engine.evaluate.channels import Truth
from engine.evaluate.decision import DecisionTable, Position, decide
from engine.evaluate.evaluator import Compiled, compile_ruleset
from engine.evaluate.suggestion import Suggestion
from engine.load.catalogue import LoadedRuleset
from engine.model.vocabulary import Normalised


class BulkEvaluator:
    """Fast-channel evaluation of many referrals under many ruleset versions."""

    def __init__(self, rulesets: Iterable[LoadedRuleset] = (),
                 source: Callable[[LoadedRuleset], Compiled] | None = None) -> None:
        """``source`` reuses compilations that already exist (e.g. the live service's evaluator)."""
        self._compiled: dict[str, Compiled] = {}
        self._source = source
        for r in rulesets:
            self.compiled(r)

    def compiled(self, loaded: LoadedRuleset) -> Compiled:
        c = self._compiled.get(loaded.sha256)
        if c is None:
            c = self._source(loaded) if self._source else compile_ruleset(loaded, with_durable=False)
            self._compiled[loaded.sha256] = c
        return c

    def table(self, loaded: LoadedRuleset) -> DecisionTable:
        return self.compiled(loaded).table

    def truth(self, loaded: LoadedRuleset, norm: Mapping[str, Normalised]) -> tuple[Truth, ...]:
        return self.compiled(loaded).fast.truth(norm)

    def position(self, loaded: LoadedRuleset, norm: Mapping[str, Normalised]) -> Position:
        c = self.compiled(loaded)
        return c.table.position(c.fast.truth(norm))

    def suggestion(self, loaded: LoadedRuleset, norm: Mapping[str, Normalised]) -> Suggestion:
        """The explained suggestion (fast channel only): used for the few results a report shows."""
        c = self.compiled(loaded)
        return decide(c.table, norm, c.fast.truth(norm), [c.fast.name])
