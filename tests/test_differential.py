"""The two channels agree: at least 10,000 generated referrals per bundled ruleset.

Bulk work (diff, variation, benchmarks) runs on the fast channel alone, which is only safe
if it matches durable_rules, the mandated engine. For every bundled ruleset this evaluates
10,000 seeded referrals (a quarter each mostly-unknown, mixed, few-unknown and all-known, plus
every integer boundary value the ruleset compares against) on both channels and requires:

* durable_rules' matched rules == the fast channel's True rules, exactly;
* the fast channel's three-valued answer == an independent Kleene reading of the condition
  (tests/kleene.py), which also checks the unknowns that durable_rules cannot express.

A soak check then shows that durable sessions are deleted: a single channel survives more
evaluations than durable's cap of 1,024 live sessions, and its host holds no session state.
"""

from __future__ import annotations

import random

import pytest

from engine.errors import EvaluationFailed
from engine.evaluate.channels import durable
from engine.evaluate.channels.durable import DurableChannel
from engine.evaluate.channels.predicates import FastChannel
from engine.load.catalogue import LoadedRuleset
from engine.model.condition import Condition, facts_of
from engine.model.vocabulary import IntegerFact
from tests import bundled, kleene
from tests.strategies import SHAPES, FactSpace, Referral, random_referral

PER_RULESET = 10_000
KLEENE_EVERY = 5  # the (slow, pure Python) reference reading checks every 5th referral: 2,000 per ruleset
SEED = 20240601


def channels(loaded: LoadedRuleset) -> tuple[FastChannel, DurableChannel]:
    c = bundled.live_evaluator().compiled(loaded)
    assert isinstance(c.durable, DurableChannel), "the live evaluator must run durable_rules"
    return c.fast, c.durable


def boundary_referrals(sp: FactSpace) -> list[Referral]:
    """Every boundary value of every integer fact a rule reads, alone and with everything else known."""
    out: list[Referral] = []
    rng = random.Random(SEED)
    for f in sp.relevant:
        if isinstance(sp.vocabulary.fact(f), IntegerFact):
            for v in sp.values(f):
                out.append({f: v})
                out.append({**random_referral(sp, rng, "full"), f: v})
    return out


def referrals_for(sp: FactSpace) -> list[Referral]:
    rng = random.Random(f"{SEED}:{sp.loaded.key}")
    out = boundary_referrals(sp) + [{}]
    while len(out) < PER_RULESET:
        out.append(random_referral(sp, rng, SHAPES[len(out) % len(SHAPES)]))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("key", bundled.keys())
def test_channels_agree_on_10000_referrals(key: str) -> None:
    loaded = bundled.ruleset(key)
    sp = FactSpace(loaded)
    fast, durable = channels(loaded)
    vocab = loaded.vocabulary
    conditions = _conditions(loaded)
    cases = referrals_for(sp)
    assert len(cases) >= PER_RULESET
    fired: set[str] = set()
    unknown: set[str] = set()
    shapes = {"all_known": 0, "many_unknown": 0}
    for n, raw in enumerate(cases):
        norm = vocab.normalise(raw)
        truth = fast.truth(norm)
        expected = frozenset(rid for rid, t in zip(fast.rule_ids, truth) if t is True)
        got = durable.matches(norm)
        assert got == expected, (
            f"{key} referral #{n}: durable_rules only {sorted(got - expected)}, fast only {sorted(expected - got)}")
        fired |= expected
        unknown |= {rid for rid, t in zip(fast.rule_ids, truth) if t is None}
        known = sum(1 for f in sp.relevant if raw.get(f) is not None)
        shapes["all_known"] += known == len(sp.relevant)
        shapes["many_unknown"] += known <= len(sp.relevant) // 4
        if n % KLEENE_EVERY == 0:
            reference = tuple(kleene.truth(c, raw, vocab) for c in conditions)
            assert truth == reference, (
                f"{key} referral #{n}: fast channel differs from the Kleene reading on "
                f"{[rid for rid, a, b in zip(fast.rule_ids, truth, reference) if a is not b]}")
    # The generated referrals really exercised the ruleset: every shape occurred, and most
    # rules were seen both true and unknown (a differential test of rules that never fire
    # proves nothing).
    assert shapes["all_known"] >= PER_RULESET // 5 and shapes["many_unknown"] >= PER_RULESET // 5, shapes
    rules = set(fast.rule_ids)
    assert len(fired) >= 0.9 * len(rules), f"{key}: never fired: {sorted(rules - fired)}"
    assert len(unknown) >= 0.9 * len(rules), f"{key}: never unknown: {sorted(rules - unknown)}"


@pytest.mark.slow
def test_durable_sessions_are_deleted_over_10000_evaluations() -> None:
    """More evaluations than the 1,024-live-session cap on one fresh channel, without MemoryError."""
    loaded = bundled.catalogue().all()[0]
    channel = DurableChannel([r.id for r in loaded.rules], _conditions(loaded), loaded.vocabulary, label="soak")
    sp = FactSpace(loaded)
    rng = random.Random(SEED)
    samples = [loaded.vocabulary.normalise(random_referral(sp, rng)) for _ in range(200)]
    matched = 0
    for n in range(10_000):
        matched += bool(channel.matches(samples[n % len(samples)]))
    assert matched > 0
    # durable keeps one state per live session id and answers error 309 for a deleted one;
    # the channel numbers its sessions 0, 1, 2, ... so every one of them must be gone.
    host = channel._host
    for name, _facts in channel._parts:
        for sid in [*range(0, 10_000, 101), 9_999]:
            with pytest.raises(Exception, match="309"):
                host.get_state(name, str(sid))
    name = channel._parts[0][0]
    host.assert_fact(name, {"sid": "kept", "t_warm": 1})  # the check can fail: a live session answers
    assert host.get_state(name, "kept")["sid"] == "kept"
    host.delete_state(name, "kept")


def _conditions(loaded: LoadedRuleset) -> list[Condition]:
    return loaded.conditions


def pooled() -> tuple[list[str], list[Condition], LoadedRuleset]:
    """Every rule of every bundled ruleset in one channel: far more than durable's stack holds."""
    ids: list[str] = []
    conds: list[Condition] = []
    for r in bundled.catalogue().all():
        ids += [f"{r.key}/{rule.id}" for rule in r.rules]
        conds += _conditions(r)
    return ids, conds, bundled.catalogue().all()[0]


def test_rules_are_split_so_durable_never_overflows_its_alpha_stack(monkeypatch: pytest.MonkeyPatch) -> None:
    """Error 303 (ERR_MAX_STACK_SIZE) in one big durable ruleset; none once split by ALPHA_BUDGET."""
    ids, conds, any_ruleset = pooled()
    vocab = any_ruleset.vocabulary
    exprs = [durable.translate(c, vocab) for c in conds]
    groups = durable.partition(exprs)
    assert len(groups) > 1 and sorted(i for g in groups for i in g) == list(range(len(exprs)))
    assert all(sum(durable.alpha_tests(exprs[i])[1] for i in g) <= durable.ALPHA_BUDGET or len(g) == 1
               for g in groups)
    full = FactSpace(any_ruleset)
    rng = random.Random(SEED)
    referrals = [vocab.normalise({f: rng.choice(full.values(f)) for f in _facts_of_all(conds)}) for _ in range(40)]
    split = DurableChannel(ids, conds, vocab, label="split")
    fast = FastChannel(ids, conds, vocab)
    for norm in referrals:
        assert split.matches(norm) == fast.matches(norm)
    monkeypatch.setattr(durable, "ALPHA_BUDGET", 10**6)  # the old behaviour: one durable ruleset
    whole = DurableChannel(ids, conds, vocab, label="whole")
    assert len(whole._parts) == 1
    with pytest.raises(EvaluationFailed):
        for norm in referrals:
            whole.matches(norm)


def _facts_of_all(conds: list[Condition]) -> list[str]:
    return sorted({f for c in conds for f in facts_of(c)})
