"""Fail closed and loud: a fault in either channel gives "no suggestion", never a level.

Faults are injected into a real :class:`Evaluator` by replacing one channel on its
:class:`engine.evaluate.evaluator.Compiled` entry (the evaluator keeps no other reference to its
channels): a channel that raises, one that reports an extra rule, one that loses a rule,
one slower than the evaluator's budget, and a durable_rules host whose C core fails. Each must
give ``kind == "no_suggestion"`` with a reason and no outcome, level, actions or indicators,
and an ALERT log line that names the ruleset (and, for a disagreement, the rule ids) but
carries no fact value, even when the failing code put the facts into its exception.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from engine.evaluate.channels import Channel, Truth
from engine.evaluate.channels.durable import DurableChannel
from engine.evaluate.evaluator import Compiled, Evaluator
from engine.evaluate.suggestion import NO_SUGGESTION, Suggestion
from engine.load.catalogue import Catalogue, LoadedRuleset
from engine.model.condition import facts_of
from engine.model.vocabulary import Normalised
from tests import bundled
from tests.strategies import FactSpace, Referral

# Distinctive values so that a leak into the logs cannot be missed (137 months; "regular").
FACTS: dict[str, Any] = {"child_age_months": 137, "missing_from_home": "regular", "young_carer": True,
                         "poor_supervision": True, "immediate_danger": True}
LEAKS = ("137", "regular", "SECRET")


@dataclass
class Faulty:
    """A channel that delegates to the real one, then misbehaves as told."""

    inner: Channel
    fault: Callable[[frozenset[str], Mapping[str, Normalised]], frozenset[str]]
    name: str = field(default="")

    def __post_init__(self) -> None:
        self.name = self.name or self.inner.name

    def matches(self, facts: Mapping[str, Normalised]) -> frozenset[str]:
        return self.fault(self.inner.matches(facts), facts)


@dataclass
class FaultyFast:
    """The fast channel (three-valued), with one rule forced to a given truth value."""

    inner: Any
    rule: str
    value: Truth

    @property
    def name(self) -> str:
        return str(self.inner.name)

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(self.inner.rule_ids)

    def truth(self, facts: Mapping[str, Normalised]) -> tuple[Truth, ...]:
        out = list(self.inner.truth(facts))
        out[self.rule_ids.index(self.rule)] = self.value
        return tuple(out)


def _raise(_matched: frozenset[str], facts: Mapping[str, Normalised]) -> frozenset[str]:
    raise RuntimeError(f"SECRET channel crash while reading {dict(facts)!r}")


@pytest.fixture
def mini() -> Iterator[tuple[Evaluator, LoadedRuleset, Compiled]]:
    ev = Evaluator(Catalogue.load(bundled.MINI))
    loaded = ev.catalogue.select("demo")
    yield ev, loaded, ev.compiled(loaded)


def assert_no_suggestion(s: Suggestion, *reason_words: str) -> None:
    assert s.kind == "no_suggestion"
    assert s.reason and all(w in s.reason for w in reason_words), s.reason
    assert s.outcome is None and s.outcome_label is None and s.level is None and s.completeness is None
    assert not s.required_actions and not s.matched_indicators and not s.open_questions and not s.combinations
    assert s.statement == NO_SUGGESTION and "consult a manager" in s.statement and "999" in s.statement


def alert_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Every engine log record as it would be written, tracebacks included; none may leak a value."""
    fmt = logging.Formatter("%(levelname)s %(message)s")
    lines = [fmt.format(r) for r in caplog.records if r.name.startswith("thresholds")]
    for line in lines:
        for leak in LEAKS:
            assert leak not in line, f"log line leaks a fact value ({leak!r}): {line!r}"
    return [ln for ln in lines if "ALERT" in ln]


def test_the_fixture_referral_gives_a_suggestion_without_faults(mini: Any, caplog: pytest.LogCaptureFixture) -> None:
    ev, loaded, _ = mini
    s = ev.evaluate(loaded, FACTS)
    assert s.kind == "suggestion" and s.outcome is not None and s.outcome.value == "immediate_protection"
    assert alert_lines(caplog) == []


def test_a_channel_that_raises_fails_closed(mini: Any, caplog: pytest.LogCaptureFixture) -> None:
    ev, loaded, c = mini
    c.durable = Faulty(c.durable, _raise)
    with caplog.at_level(logging.INFO, logger="thresholds"):
        s = ev.evaluate(loaded, FACTS)
    assert_no_suggestion(s, "RuntimeError")
    alerts = alert_lines(caplog)
    assert alerts and all(loaded.key in a for a in alerts)


def test_a_failing_durable_host_fails_closed(mini: Any, caplog: pytest.LogCaptureFixture) -> None:
    """The real durable channel, its C core made to fail (as error 307 once did in ~700,000 runs)."""
    ev, loaded, c = mini
    assert isinstance(c.durable, DurableChannel)
    host = c.durable._host

    original = host.assert_fact

    def broken(*args: Any, **kwargs: Any) -> None:
        original(*args, **kwargs)  # the session exists, as when durable's core fails mid-way
        raise Exception("Could not assert message SECRET, error code: 307")  # durable raises bare Exceptions

    host.assert_fact = broken
    try:
        with caplog.at_level(logging.INFO, logger="thresholds"):
            s = ev.evaluate(loaded, FACTS)
    finally:
        host.assert_fact = original
    assert_no_suggestion(s, "durable_rules")
    alerts = alert_lines(caplog)
    assert alerts and all(loaded.key in a for a in alerts)
    assert ev.evaluate(loaded, FACTS).kind == "suggestion"  # the channel recovers; its session was deleted


@pytest.mark.parametrize("side", ["durable", "fast"])
def test_an_extra_rule_in_one_channel_fails_closed(mini: Any, caplog: pytest.LogCaptureFixture, side: str) -> None:
    ev, loaded, c = mini
    if side == "durable":
        c.durable = Faulty(c.durable, lambda m, _f: m | {"missing-occasional"})
    else:
        c.fast = FaultyFast(c.fast, "missing-occasional", True)
    with caplog.at_level(logging.INFO, logger="thresholds"):
        s = ev.evaluate(loaded, {**FACTS, "missing_from_home": "none"})
    assert_no_suggestion(s, "disagreed", "missing-occasional")
    alerts = alert_lines(caplog)
    assert any("missing-occasional" in a and loaded.key in a for a in alerts), alerts


@pytest.mark.parametrize("side", ["durable", "fast"])
def test_a_missing_rule_in_one_channel_fails_closed(mini: Any, caplog: pytest.LogCaptureFixture, side: str) -> None:
    """Losing the immediate-danger override must never quietly give a lower level."""
    ev, loaded, c = mini
    if side == "durable":
        c.durable = Faulty(c.durable, lambda m, _f: m - {"immediate-danger"})
    else:
        c.fast = FaultyFast(c.fast, "immediate-danger", None)
    with caplog.at_level(logging.INFO, logger="thresholds"):
        s = ev.evaluate(loaded, FACTS)
    assert_no_suggestion(s, "disagreed", "immediate-danger")
    alerts = alert_lines(caplog)
    assert any("immediate-danger" in a for a in alerts), alerts


def test_a_channel_slower_than_the_budget_fails_closed(mini: Any, caplog: pytest.LogCaptureFixture) -> None:
    ev, loaded, c = mini
    ev.budget = 0.05

    def slow(matched: frozenset[str], _facts: Mapping[str, Normalised]) -> frozenset[str]:
        time.sleep(0.2)  # four times the budget: deterministic, not a timing assertion
        return matched

    c.durable = Faulty(c.durable, slow)
    with caplog.at_level(logging.INFO, logger="thresholds"):
        s = ev.evaluate(loaded, FACTS)
    assert_no_suggestion(s, "budget")
    alerts = alert_lines(caplog)
    assert alerts and all(loaded.key in a for a in alerts)


@pytest.mark.parametrize("key", bundled.keys())
def test_every_bundled_ruleset_fails_closed_on_disagreement(key: str, caplog: pytest.LogCaptureFixture) -> None:
    """For each real ruleset, each override in turn dropped from durable_rules' answer."""
    ev = Evaluator(bundled.catalogue())
    loaded = bundled.ruleset(key)
    c = ev.compiled(loaded)
    real = c.durable
    for override, _origin in loaded.overrides:
        c.durable = Faulty(real, lambda m, _f, rid=override.id: m - {rid})
        s = ev.evaluate(loaded, _witness(loaded, override.id))
        assert_no_suggestion(s, override.id)
    c.durable = real
    assert any(loaded.key in a for a in alert_lines(caplog))


def _witness(loaded: LoadedRuleset, rule_id: str) -> Referral:
    """Facts that make one override true, searched over each of its facts' values."""
    override = next(o for o, _ in loaded.overrides if o.id == rule_id)
    fast = bundled.fast_evaluator().compiled(loaded).fast
    index = fast.rule_ids.index(rule_id)
    for filled in FactSpace(loaded).completions({}, facts_of(override.when), 4096, random.Random(0)):
        if fast.truth(loaded.vocabulary.normalise(filled))[index] is True:
            return filled
    raise AssertionError(f"no referral makes {rule_id} true")
