"""Safety properties of DESIGN.md, checked over generated referrals for EVERY bundled ruleset.

Each property is parametrised over ``Catalogue.load().all()``, so an authority added later
is held to the same properties with no new test code:

* monotonic: a worse value of any one fact, or reporting a fact that was unknown, never
  lowers the canonical outcome or the local level, and never removes a required action;
* overrides never lowered: whenever an override's condition holds (read by an independent
  Kleene evaluator, not by the channels) the outcome is at least its minimum and its
  actions are listed;
* deterministic: the same facts (in any key order, on a second catalogue and evaluator)
  give the identical suggestion apart from ``evaluated_at``;
* unknowns honest: every way of filling in the unknown facts lands between the suggestion
  and its stated upper bounds; facts not asked about cannot change the result; a suggestion
  called complete cannot change at all;
* reproducible: the sha256 is stable across loads and hash seeds and changes when the
  ruleset does; every suggestion names ruleset, version, sha256 and engine version;
* support, not decision: the statement is on every result and no field says "decision".

Sweeps use ``DecisionTable.position`` over fast-channel truth (the same function ``decide``
takes the outcome and level from) so that thousands of variants stay cheap; the drawn
referral itself always goes through the full suggestion.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import ENGINE_VERSION
from engine.evaluate.bulk import BulkEvaluator
from engine.evaluate.evaluator import Evaluator
from engine.evaluate.suggestion import STATEMENT, Suggestion
from engine.load.catalogue import Catalogue, LoadedRuleset
from engine.model.condition import facts_of
from engine.model.outcome import Outcome
from engine.model.ruleset import Level
from engine.model.vocabulary import FactValue, Normalised, normalise_value
from engine.render.explanation import to_text
from tests import bundled, kleene
from tests.strategies import FactSpace, Referral, applicable, referrals, unknown_relevant

KEYS = bundled.keys()
# The example budget is shared out over the rulesets so the file stays within a few minutes
# however many authorities are bundled (each still gets at least 10 examples per property);
# THRESHOLDS_PROPERTY_EXAMPLES=N sets N examples per ruleset for a deeper run.
EXAMPLES = int(os.environ.get("THRESHOLDS_PROPERTY_EXAMPLES") or max(10, min(60, 400 // max(1, len(KEYS)))))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
Pos = tuple[int, int]


def space(key: str) -> FactSpace:
    return FactSpace(bundled.ruleset(key))


def position(ev: Evaluator, loaded: LoadedRuleset, raw: Mapping[str, FactValue | None],
             base: Mapping[str, Normalised] | None = None) -> tuple[Pos, frozenset[str]]:
    """(outcome rank, level index) and the ids of true overrides, from the fast channel.

    With ``base`` (the normalised referral ``raw`` was derived from), only the facts that
    differ are normalised again: the sweeps below try thousands of one-fact variants.
    """
    c = ev.compiled(loaded)
    vocab = loaded.vocabulary
    if base is None:
        norm = vocab.normalise(raw)
    else:
        norm = dict(base)
        for f, v in raw.items():
            if v is None:
                norm.pop(f, None)
            elif f not in base or base[f] != v:
                norm[f] = normalise_value(vocab.fact(f), v)
    truth = c.fast.truth(norm)
    p = c.table.position(truth)
    overrides = frozenset(r.id for r in loaded.override_rules if truth[r.index] is True)
    return (p.outcome.rank, p.level), overrides


def suggestion_pos(loaded: LoadedRuleset, s: Suggestion) -> Pos:
    assert s.kind == "suggestion" and s.outcome is not None and s.level is not None, s.reason
    return s.outcome.rank, loaded.level_index[s.level.id]


def override_ids(s: Suggestion) -> frozenset[str]:
    return frozenset(a.rule for a in s.required_actions if a.origin != "outcome")


@pytest.mark.slow
@pytest.mark.parametrize("key", KEYS)
@SETTINGS
@given(data=st.data())
def test_worse_or_additional_fact_never_lowers_the_result(key: str, data: st.DataObject) -> None:
    sp = space(key)
    loaded, ev = sp.loaded, bundled.fast_evaluator()
    raw = data.draw(referrals(sp), label="referral")
    norm = loaded.vocabulary.normalise(raw)
    s = BulkEvaluator(source=ev.compiled).suggestion(loaded, norm)
    base, base_overrides = suggestion_pos(loaded, s), override_ids(s)
    moves: list[tuple[str, FactValue]] = []
    for f in sp.relevant:
        current = raw.get(f)
        # Unknown -> any value is "reporting an additional fact"; known -> strictly worse.
        for w in sp.values(f) if current is None else sp.worse(f, current):
            moves.append((f, w))
    for f, w in moves:
        pos, overrides = position(ev, loaded, {f: w}, norm)
        assert pos[0] >= base[0], f"{key}: {f}={w!r} lowered the outcome rank {base[0]} -> {pos[0]}"
        assert pos[1] >= base[1], f"{key}: {f}={w!r} lowered the local level {base[1]} -> {pos[1]}"
        assert overrides >= base_overrides, f"{key}: {f}={w!r} removed override(s) {base_overrides - overrides}"
    if moves:  # one move through the full, cross-checked suggestion as well
        f, w = data.draw(st.sampled_from(moves), label="move")
        after = bundled.live_evaluator().evaluate(loaded, {**raw, f: w})
        assert suggestion_pos(loaded, after) >= base
        assert override_ids(after) >= base_overrides


def _satisfying(sp: FactSpace, cond: Any, rng: random.Random) -> Referral | None:
    """Values for a condition's facts that make it true (None if none within the cap)."""
    facts = facts_of(cond)
    found = [c for c in sp.completions({}, facts, 4096, rng)
             if kleene.truth(cond, c, sp.vocabulary) is True]
    return rng.choice(found) if found else None


@pytest.mark.parametrize("key", KEYS)
@SETTINGS
@given(data=st.data())
def test_overrides_are_never_lowered(key: str, data: st.DataObject) -> None:
    sp = space(key)
    loaded = sp.loaded
    raw = data.draw(referrals(sp), label="referral")
    # Force one override to hold on top of the generated facts, so every override is exercised.
    index = data.draw(st.integers(0, len(loaded.overrides) - 1), label="override")
    witness = _satisfying(sp, loaded.overrides[index][0].when, random.Random(data.draw(st.integers(0, 2**32))))
    assert witness is not None, f"{key}: override {loaded.overrides[index][0].id} can never hold"
    raw.update(witness)
    s = bundled.live_evaluator().evaluate(loaded, raw)
    assert s.kind == "suggestion" and s.outcome is not None and s.level is not None, s.reason
    held = [o for o, _ in loaded.overrides if kleene.truth(o.when, raw, sp.vocabulary) is True]
    assert loaded.overrides[index][0] in held
    for o in held:
        assert s.outcome >= o.minimum, f"{key}: override {o.id} requires {o.minimum}, got {s.outcome}"
        listed = [a for a in s.required_actions if a.rule == o.id]
        assert len(listed) == 1 and listed[0].actions == list(o.actions), f"{key}: actions of {o.id} missing"
        if any(_reaches(lv, o.minimum) for lv in loaded.model.levels):
            # The local level itself reaches the floor when the scale allows it.
            assert _reaches(loaded.levels[s.level.id], o.minimum), f"{key}: {s.level.id} is below the {o.id} floor"
        else:
            assert s.level.id == loaded.model.levels[-1].id and s.level_note


def _reaches(level: Level, minimum: Outcome) -> bool:
    """A level whose outcome, or the outcome it declares it also covers, is at least ``minimum``."""
    return level.outcome >= minimum or (level.also_covers is not None and level.also_covers >= minimum)


def _dump(s: Suggestion) -> dict[str, Any]:
    return s.model_dump(mode="json", exclude={"evaluated_at"})


@pytest.fixture(scope="module")
def second_evaluator() -> Evaluator:
    return Evaluator(Catalogue.load())


@pytest.mark.parametrize("key", KEYS)
@SETTINGS
@given(data=st.data())
def test_same_facts_give_the_identical_suggestion(key: str, data: st.DataObject, second_evaluator: Evaluator) -> None:
    sp = space(key)
    loaded = sp.loaded
    raw = data.draw(referrals(sp), label="referral")
    ev = bundled.live_evaluator()
    first = _dump(ev.evaluate(loaded, raw))
    shuffled = list(raw.items())
    random.Random(data.draw(st.integers(0, 2**32))).shuffle(shuffled)
    assert _dump(ev.evaluate(loaded, dict(shuffled))) == first
    other = second_evaluator.catalogue.select(loaded.id, version=loaded.version)
    assert _dump(second_evaluator.evaluate(other, raw)) == first
    assert first["kind"] == "suggestion"


@pytest.mark.slow
@pytest.mark.parametrize("key", KEYS)
@SETTINGS
@given(data=st.data())
def test_unknowns_are_honest(key: str, data: st.DataObject) -> None:
    sp = space(key)
    loaded, ev = sp.loaded, bundled.fast_evaluator()
    raw = data.draw(referrals(sp, shapes=("dense", "dense", "mixed", "sparse")), label="referral")
    rng = random.Random(data.draw(st.integers(0, 2**32)))
    norm = loaded.vocabulary.normalise(raw)
    s = BulkEvaluator(source=ev.compiled).suggestion(loaded, norm)
    assert s.completeness is not None
    base, base_overrides = suggestion_pos(loaded, s), override_ids(s)
    top = (s.completeness.highest_reachable.rank, loaded.level_index[s.completeness.highest_reachable_level.id])
    asked = {q.fact for q in s.open_questions}
    question_top = max([q.could_raise_outcome.rank for q in s.open_questions] + [base[0]])
    unknown = unknown_relevant(sp, raw)
    assert asked <= set(unknown), f"{key}: questions about facts already reported: {asked - set(unknown)}"
    for filled in sp.completions({}, unknown, 256, rng):
        filled = applicable(loaded.vocabulary, norm, filled)  # a possible child: no baby is sexually active
        pos, overrides = position(ev, loaded, filled, norm)
        assert pos >= base and pos[0] >= base[0] and pos[1] >= base[1], f"{key}: a completion lowered the result"
        assert overrides >= base_overrides
        assert pos[0] <= top[0] and pos[1] <= top[1], f"{key}: a completion exceeded highest_reachable"
        assert pos[0] <= question_top, f"{key}: a completion exceeded what the open questions said"
        if s.completeness.complete:
            assert (pos, overrides) == (base, base_overrides), f"{key}: a 'complete' suggestion changed"
    # Facts nobody asks about cannot change the outcome, the level or the required actions.
    silent = [f for f in unknown if f not in asked]
    for filled in sp.completions({}, silent, 64, rng):
        filled = applicable(loaded.vocabulary, norm, filled)
        assert position(ev, loaded, filled, norm) == (base, base_overrides), f"{key}: an unasked fact mattered"


def test_sha256_is_stable_across_loads_and_hash_seeds() -> None:
    """Every bundled ruleset: same sha256 on a second load and in processes with other hash seeds."""
    expected = {r.key: r.sha256 for r in bundled.catalogue().all()}
    assert {r.key: r.sha256 for r in Catalogue.load(bundled.catalogue().root).all()} == expected
    script = ("from engine.load.catalogue import Catalogue; import sys; "
              "[print(r.key, r.sha256) for r in Catalogue.load(sys.argv[1]).all()]")
    root = str(bundled.catalogue().root)
    for seed in ("1", "2"):
        out = subprocess.run([sys.executable, "-c", script, root], check=True, capture_output=True, text=True,
                             env={**os.environ, "PYTHONHASHSEED": seed})
        assert dict(line.split() for line in out.stdout.splitlines()) == expected
    assert len(set(expected.values())) == len(expected)  # distinct versions, distinct hashes


@pytest.mark.parametrize("key", KEYS)
def test_sha256_changes_when_the_ruleset_changes(key: str) -> None:
    loaded = bundled.ruleset(key)
    info = loaded.model.ruleset.model_copy(update={"authority": loaded.model.ruleset.authority + " (edited)"})
    changed = loaded.model.model_copy(update={"ruleset": info})
    assert LoadedRuleset(changed, loaded.national, loaded.vocabulary, loaded.path).sha256 != loaded.sha256


def _keys(obj: Any) -> list[str]:
    if isinstance(obj, dict):
        return [k for k, v in obj.items() for k in [k, *_keys(v)]]
    if isinstance(obj, list):
        return [k for v in obj for k in _keys(v)]
    return []


@pytest.mark.parametrize("key", KEYS)
@settings(max_examples=20, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_result_is_reproducible_and_a_suggestion_not_a_decision(key: str, data: st.DataObject) -> None:
    sp = space(key)
    loaded = sp.loaded
    s = bundled.live_evaluator().evaluate(loaded, data.draw(referrals(sp)))
    assert (s.ruleset.id, s.ruleset.version, s.ruleset.sha256) == (loaded.id, loaded.version, loaded.sha256)
    assert s.engine_version == ENGINE_VERSION
    assert s.channels == ["python", "durable_rules"]
    assert s.statement == STATEMENT and "suggestion" in s.statement and "qualified practitioner" in s.statement
    text = to_text(s)
    assert "qualified practitioner" in " ".join(text.split()) and loaded.sha256 in text
    dumped = s.model_dump(mode="json")
    assert not [k for k in _keys(dumped) if "decision" in k.lower()]
    assert json.loads(s.model_dump_json())["ruleset"]["sha256"] == loaded.sha256
