"""Live evaluation: both channels, compared, then explained; fail closed on any doubt.

An :class:`Evaluator` compiles every ruleset of a catalogue into both channels at start-up
(durable_rules hosts must never be created lazily inside server threads). ``evaluate``
validates the referral (bad input is the caller's error and raises), runs the fast and the
durable channel, and returns "no suggestion" with the reason if either fails, if they
disagree on any rule, or if evaluation overruns its time budget. Operational log lines name
rulesets and rule ids, never fact values.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.errors import EvaluationFailed
from engine.evaluate.channels import Channel
from engine.evaluate.channels.durable import DurableChannel
from engine.evaluate.channels.predicates import FastChannel
from engine.evaluate.decision import DecisionTable, decide, no_suggestion
from engine.evaluate.suggestion import Suggestion
from engine.load.catalogue import Catalogue, LoadedRuleset
from engine.model.referral import Referral
from engine.model.vocabulary import FactValue, Normalised

log = logging.getLogger("thresholds.engine")


def _where(e: BaseException) -> str:
    """Where an exception was raised (file:line in function), for logs.

    Not ``log.exception``: a traceback ends with the exception's message, and code that fails
    while reading a referral may echo its facts there (tests/test_fail_closed.py shows it).
    """
    tb = e.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return "unknown"
    code = tb.tb_frame.f_code
    return f"{code.co_filename.rsplit('/', 1)[-1]}:{tb.tb_lineno} in {code.co_name}"


DEFAULT_BUDGET_SECONDS = 2.0


@dataclass(eq=False)
class Compiled:
    """One ruleset version ready to evaluate: its decision table and both channels.

    ``derived`` keeps what later stages build once from it (triage's question engine), so it
    lives exactly as long as this compiled version: a reload drops both together.
    """

    loaded: LoadedRuleset
    table: DecisionTable
    fast: FastChannel
    durable: Channel
    derived: dict[type, object] = field(default_factory=dict, repr=False)


def compile_ruleset(loaded: LoadedRuleset, with_durable: bool = True) -> Compiled:
    ids = [r.id for r in loaded.rules]
    conds = loaded.conditions
    fast = FastChannel(ids, conds, loaded.vocabulary, label=loaded.key)
    durable: Channel = DurableChannel(ids, conds, loaded.vocabulary, label=loaded.key) if with_durable else fast
    table = DecisionTable(loaded)
    table.truth_of = fast.truth
    return Compiled(loaded, table, fast, durable)


class Evaluator:
    """Every ruleset of a catalogue compiled into both channels."""

    def __init__(self, catalogue: Catalogue, budget_seconds: float = DEFAULT_BUDGET_SECONDS,
                 with_durable: bool = True) -> None:
        self.catalogue = catalogue
        self.budget = budget_seconds
        self._compiled: dict[str, Compiled] = {
            r.sha256: compile_ruleset(r, with_durable) for r in catalogue.all()
        }

    @classmethod
    def for_rulesets(cls, catalogue: Catalogue, rulesets: Iterable[LoadedRuleset],
                     budget_seconds: float = DEFAULT_BUDGET_SECONDS, with_durable: bool = True) -> Evaluator:
        """An evaluator compiling only ``rulesets`` of ``catalogue`` (each version once).

        A CLI command or a trainee needs one or a few versions, not every council: compiling
        only those keeps start-up short (durable_rules hosts are costly to create).
        """
        unique = list({r.sha256: r for r in rulesets}.values())
        view = Catalogue(catalogue.root, catalogue.vocabulary, catalogue.national, unique)
        return cls(view, budget_seconds, with_durable)

    def compiled(self, loaded: LoadedRuleset) -> Compiled:
        return self._compiled[loaded.sha256]

    def evaluate(self, loaded: LoadedRuleset, facts: Mapping[str, Any] | Referral) -> Suggestion:
        """The live, cross-checked suggestion. Raises ReferralError for invalid facts.

        Given a :class:`Referral` already checked against this ruleset's vocabulary, its facts
        are not normalised again.
        """
        if isinstance(facts, Referral):
            referral = facts.under(loaded.vocabulary)
        else:
            referral = Referral.of(loaded.vocabulary, facts)
        return self.evaluate_normalised(loaded, referral.values, referral.facts)

    def evaluate_normalised(self, loaded: LoadedRuleset, norm: Mapping[str, Normalised],
                            reported: Mapping[str, FactValue] | None = None) -> Suggestion:
        c = self.compiled(loaded)
        channels = [c.fast.name, c.durable.name]
        started = time.perf_counter()
        try:
            truth = c.fast.truth(norm)
            fast_true = frozenset(rid for rid, t in zip(c.fast.rule_ids, truth) if t is True)
            durable_true = c.durable.matches(norm)
        except EvaluationFailed as e:
            log.error("ALERT evaluation failed ruleset=%s reason=%s", loaded.key, e)
            return no_suggestion(c.table, str(e))
        except Exception as e:  # noqa: BLE001 - fail closed on anything unexpected
            log.error("ALERT evaluation error ruleset=%s type=%s at=%s", loaded.key, type(e).__name__, _where(e))
            return no_suggestion(c.table, f"internal evaluation error ({type(e).__name__})")
        if fast_true != durable_true:
            differ = sorted(fast_true ^ durable_true)
            log.error("ALERT channel disagreement ruleset=%s sha256=%s rules=%s", loaded.key,
                      loaded.sha256[:12], ",".join(differ))
            return no_suggestion(
                c.table, "the two evaluation channels disagreed on: " + ", ".join(differ)
                + "; the result cannot be trusted")
        elapsed = time.perf_counter() - started
        if elapsed > self.budget:
            log.error("ALERT evaluation over budget ruleset=%s seconds=%.3f", loaded.key, elapsed)
            return no_suggestion(c.table, f"evaluation took {elapsed:.1f}s, over its {self.budget:.1f}s budget")
        try:
            return decide(c.table, norm, truth, channels, reported)
        except Exception as e:  # noqa: BLE001
            log.error("ALERT decision error ruleset=%s type=%s at=%s", loaded.key, type(e).__name__, _where(e))
            return no_suggestion(c.table, f"internal decision error ({type(e).__name__})")
