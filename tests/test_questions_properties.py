"""Honest stopping, proved over generated referrals for every bundled ruleset (and the fixture).

For a referral with some facts unknown, the next-question engine claims three things, each
checked here against real evaluations on the fast channel:

* bound: no way of filling in the unknowns leads above ``highest_reachable``;
* complete means final: when it says ``complete``, every completion gives the same outcome,
  level and required actions;
* nothing that matters is left out: if changing one unknown fact (in some completion of the
  others) changes the result, that fact is among the questions (or answered "not known").

Completions are brute-forced when there are few (integers take one value per interval
between the ruleset's cut points, which is exact), otherwise sampled, always including the
least and most concerning completion. Integer values are also drawn from the whole range, so
a wrong interval would show as a missed change.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Mapping, Sequence
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.evaluate.decision import decide
from engine.evaluate.evaluator import compile_ruleset
from engine.load.catalogue import Catalogue, LoadedRuleset
from engine.model.vocabulary import IntegerFact, Normalised, normalise_value
from engine.triage.questions import QuestionEngine
from tests.strategies import applicable

MINI = "tests/fixtures/mini"
SETTINGS = settings(max_examples=40, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
BRUTE_FORCE = 256
SAMPLES = 96


@cache
def _catalogues() -> tuple[Catalogue, Catalogue]:
    return Catalogue.load(), Catalogue.load(MINI)


def _keys() -> list[str]:
    bundled, mini = _catalogues()
    return [f"bundled:{r.key}" for r in bundled.all()] + [f"mini:{r.key}" for r in mini.all()]


def _loaded(key: str) -> LoadedRuleset:
    where, rk = key.split(":", 1)
    rid, version = rk.split("@", 1)
    cat = _catalogues()[0 if where == "bundled" else 1]
    return cat.select(rid, version=version)


@cache
def engine(key: str) -> QuestionEngine:
    return QuestionEngine(compile_ruleset(_loaded(key), with_durable=False))


def result(qe: QuestionEngine, norm: Mapping[str, Normalised]) -> tuple[tuple[int, int], tuple[str, ...]]:
    """(outcome rank, level index) and required action ids: what 'the result' means."""
    truth = qe.compiled.fast.truth(norm)
    pos = qe.table.position(truth)
    return pos.key(), tuple(qe.actions(truth, pos))


def values(qe: QuestionEngine, fact_id: str) -> list[Normalised]:
    fact = qe.vocab.fact(fact_id)
    return [normalise_value(fact, a.value) for a in qe.possible(fact_id)]


@st.composite
def partial_referrals(draw: st.DrawFn, qe: QuestionEngine) -> dict[str, Normalised]:
    """Normalised facts over the ruleset's form: sparse, mixed or nearly full."""
    known = draw(st.sampled_from([0.1, 0.5, 0.9, 0.97]))
    out: dict[str, Normalised] = {}
    for f in qe.form:
        if draw(st.floats(0, 1)) >= known:
            continue
        fact = qe.vocab.fact(f)
        if isinstance(fact, IntegerFact) and draw(st.booleans()):
            out[f] = draw(st.integers(fact.minimum, fact.maximum))
        else:
            out[f] = draw(st.sampled_from(values(qe, f)))
    return out


def completions(qe: QuestionEngine, norm: Mapping[str, Normalised],
                rng: random.Random) -> Iterator[dict[str, Normalised]]:
    unknown = [f for f in qe.form if f not in norm]
    choices = [values(qe, f) for f in unknown]
    total = 1
    for c in choices:
        total = min(total * len(c), BRUTE_FORCE + 1)
    if total <= BRUTE_FORCE:
        combos: Iterator[Sequence[Normalised]] = itertools.product(*choices)
    else:
        ends = [[c[0] for c in choices], [c[-1] for c in choices]]
        combos = itertools.chain(ends, ([rng.choice(c) for c in choices] for _ in range(SAMPLES)))
    for combo in combos:  # a possible child: unknown facts that cannot apply to its age stay unconcerning
        yield {**norm, **applicable(qe.vocab, norm, dict(zip(unknown, combo)))}


@pytest.mark.parametrize("key", _keys())
@SETTINGS
@given(data=st.data())
def test_stopping_is_honest(key: str, data: st.DataObject) -> None:
    qe = engine(key)
    norm = data.draw(partial_referrals(qe))
    q = qe.next_questions(norm, limit=0)
    base = result(qe, norm)
    top = (q.highest_reachable.rank, qe.table.level_index[q.highest_reachable_level.id])
    asked = {f for f in qe.order_of_questions(norm)}
    assert asked <= set(qe.form) - set(norm), "asked about a fact already known or not in the form"
    assert q.complete == (not asked), "complete must mean: no question left that matters"
    rng = random.Random(data.draw(st.integers(0, 2**32 - 1)))
    silent = [f for f in qe.form if f not in norm and f not in asked]
    for filled in completions(qe, norm, rng):
        got = result(qe, filled)
        assert got[0] <= top, f"{key}: a completion reached {got[0]}, above the stated bound {top}"
        if q.complete:
            assert got == base, f"{key}: a result called complete changed: {base} -> {got}"
        cannot_apply = qe.vocab.inapplicable(filled)
        for f in silent:  # a fact not asked about must not change any completion's result
            if f in cannot_apply:
                continue  # not a possible value for this child (the vocabulary's `applies`)
            for v in values(qe, f):
                if v != filled[f]:
                    assert result(qe, {**filled, f: v}) == got, f"{key}: '{f}' was not asked but changes the result"


@pytest.mark.parametrize("key", _keys())
@settings(max_examples=15, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_answer_effects_are_what_the_answers_do(key: str, data: st.DataObject) -> None:
    qe = engine(key)
    norm = data.draw(partial_referrals(qe))
    q = qe.next_questions(norm, limit=3)
    truth = qe.compiled.fast.truth(norm)
    s = decide(qe.table, norm, truth, ["python"])
    assert s.completeness is not None and q.complete == s.completeness.complete
    assert q.outcome == s.outcome and q.level == s.level
    assert sorted(q.required_actions) == sorted(a.rule for a in s.required_actions)
    for question in q.questions:
        fact = qe.vocab.fact(question.fact)
        for eff in question.answers:
            after = {**norm, question.fact: normalise_value(fact, eff.value)}
            (rank, level), actions = result(qe, after)
            assert (eff.outcome.rank, qe.table.level_index[eff.level.id]) == (rank, level)
            assert eff.raises == ((rank, level) > result(qe, norm)[0])
            t2 = qe.compiled.fast.truth(after)
            indicators = qe.compiled.loaded.model.indicators
            assert {i.id for i in eff.indicators} == {
                ind.id for i, ind in enumerate(indicators) if t2[i] is True and truth[i] is not True}
            assert {o.id for o in eff.overrides} <= set(actions)
