"""The durable_rules channel: conditions compiled into a Rete network.

The only module that imports durable_rules. It follows the measured safe use in
notes/durable-rules.md: one private ``Host`` per ruleset version, built at start-up (never
lazily inside a server thread); every call serialised by a per-host lock; a fresh session
id per evaluation, deleted afterwards; facts asserted (never events posted); "no rule
matched" treated as an empty answer; repeated firings from OR branches de-duplicated;
never the ``-m.x`` (not-exists) form, which can hang; facts keyed with a prefix so that
durable's own keys (``sid``, ``id``) cannot collide with vocabulary names; and only the facts
this ruleset reads, so the 252-property limit is never reached.

Conditions are pushed into negation normal form before translation. A durable test matches
only when its field is present, which is exactly "true" in three-valued (Kleene) logic, and
De Morgan's laws hold in that logic, so this channel's matches equal the fast channel's
True results.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from durable import engine as durable_engine

from engine.errors import EvaluationFailed
from engine.evaluate.channels.operands import OPERATORS, channel_operand
from engine.model.condition import AllOf, AnyOf, Condition, FactTest, NotOf, facts_of
from engine.model.vocabulary import Normalised, Vocabulary

_names = itertools.count()
_WARM_KEY = "t_warm"  # not a vocabulary key: those all start with "f_"
ALPHA_BUDGET = 60
"""Most alpha-network tests in one durable ruleset.

durable's C core walks a ruleset's alpha network with a fixed stack of 64 nodes and fails
with error 303 (ERR_MAX_STACK_SIZE) when more are pending. Measured: Buckinghamshire's 164
rules in one ruleset failed on 18 of 900 referrals with many facts known (the live evaluator
then failed closed), and split into rulesets of at most 40 rules on none. A network with
fewer tests than the stack can hold cannot overflow it, so the rules are split into several
rulesets in the same host, each with at most this many tests (counted after durable expands
``$or`` into separate paths).
"""


class _QuietHost(durable_engine.Host):  # type: ignore[misc]
    """A Host without durable's background dispatch threads.

    ``Host()`` starts two timer threads that call into the C engine every 0.2 s without any
    lock of ours; that is where the measured segfaults happened. We assert facts
    synchronously and use no timers or queued actions, so the threads have nothing to do.
    """

    def _run(self) -> None:
        return None


def _key(fact: str) -> str:
    return "f_" + fact


def alpha_tests(expr: dict[str, Any]) -> tuple[int, int]:
    """(paths, tests) of a translated expression once ``$or`` is expanded into paths."""
    ((op, arg),) = expr.items()
    if op == "$or":
        parts = [alpha_tests(e) for e in arg]
        return sum(p for p, _ in parts), sum(t for _, t in parts)
    if op == "$and":
        parts = [alpha_tests(e) for e in arg]
        paths = 1
        for p, _ in parts:
            paths *= p
        return paths, sum(t * (paths // p) for p, t in parts)
    return 1, 1


def partition(exprs: Sequence[dict[str, Any]], budget: int | None = None) -> list[list[int]]:
    """Rule indices grouped, in order, so that each group has at most ``budget`` tests."""
    budget = ALPHA_BUDGET if budget is None else budget
    groups: list[list[int]] = [[]]
    used = 0
    for i, expr in enumerate(exprs):
        cost = alpha_tests(expr)[1]
        if groups[-1] and used + cost > budget:
            groups.append([])
            used = 0
        groups[-1].append(i)
        used += cost
    return groups


def _join(op: str, parts: list[dict[str, Any]]) -> dict[str, Any]:
    return parts[0] if len(parts) == 1 else {op: parts}


def translate(cond: Condition, vocab: Vocabulary, negated: bool = False) -> dict[str, Any]:
    """A condition as a durable_rules JSON expression, in negation normal form."""
    if isinstance(cond, NotOf):
        return translate(cond.not_, vocab, not negated)
    if isinstance(cond, AllOf):
        parts = [translate(c, vocab, negated) for c in cond.all]
        return _join("$or" if negated else "$and", parts)
    if isinstance(cond, AnyOf):
        parts = [translate(c, vocab, negated) for c in cond.any]
        return _join("$and" if negated else "$or", parts)
    assert isinstance(cond, FactTest)
    key = _key(cond.fact)
    operand = channel_operand(cond, vocab)
    if cond.operator == "in":
        assert isinstance(operand, tuple)
        if negated:
            return _join("$and", [{"$neq": {key: v}} for v in operand])
        return _join("$or", [{key: v} for v in operand])
    if cond.operator == "is":
        return {"$neq": {key: operand}} if negated else {key: operand}
    meaning = OPERATORS[cond.operator]
    if negated:
        assert meaning.negation is not None
        meaning = OPERATORS[meaning.negation]
    assert meaning.durable is not None
    return {meaning.durable: {key: operand}}


class DurableChannel:
    """durable_rules evaluation of every rule of one ruleset version."""

    name = "durable_rules"

    def __init__(self, rule_ids: Sequence[str], conditions: Sequence[Condition], vocab: Vocabulary,
                 label: str = "ruleset") -> None:
        self.rule_ids = tuple(rule_ids)
        self._lock = threading.Lock()
        self._fired: list[int] = []
        self._sids = itertools.count()
        base = f"thresholds_{next(_names)}_{''.join(ch if ch.isalnum() else '_' for ch in label)}"
        exprs = [translate(cond, vocab) for cond in conditions]
        # One durable ruleset per group of rules (see ALPHA_BUDGET), with the facts it reads.
        self._parts: list[tuple[str, list[str]]] = []
        definitions: dict[str, Any] = {}
        for g, indices in enumerate(partition(exprs)):
            name = f"{base}_{g}"
            definition: dict[str, Any] = {}
            for i in indices:
                definition[f"r{i}"] = {"all": [{"m": exprs[i]}], "run": self._action(i)}
            definition["warm"] = {"all": [{"m": {_WARM_KEY: 1}}], "run": self._action(-1)}
            definitions[name] = definition
            self._parts.append((name, sorted({f for i in indices for f in facts_of(conditions[i])})))
        self._name = self._parts[0][0]
        self._host = _QuietHost()
        self._host.register_rulesets(definitions)
        self._warm_up()

    def _warm_up(self) -> None:
        """Fire one rule before the first real evaluation.

        Measured: ``delete_state`` segfaults inside the C core if no rule of the ruleset has
        ever fired, yet a session whose fact matched nothing must still be deleted (otherwise
        the 1,024-session cap is reached). One firing at start-up makes every later delete safe.
        """
        with self._lock:
            for name, _facts in self._parts:
                self._host.assert_fact(name, {"sid": "warm-up", _WARM_KEY: 1})
                self._host.delete_state(name, "warm-up")
            self._fired.clear()

    def _action(self, index: int) -> Any:
        fired = self._fired

        def run(_closure: Any) -> None:
            fired.append(index)  # trivial on purpose: durable swallows action exceptions

        return run

    def matches(self, facts: Mapping[str, Normalised]) -> frozenset[str]:
        with self._lock:
            sid = str(next(self._sids))
            self._fired.clear()
            for name, read in self._parts:
                fact: dict[str, Any] = {_key(f): facts[f] for f in read if f in facts}
                fact["sid"] = sid
                try:
                    self._host.assert_fact(name, fact)
                except durable_engine.MessageNotHandledException:
                    pass  # no rule matched
                except Exception as e:  # durable raises bare Exceptions for internal errors
                    # The exception text can echo the asserted fact: report only its type.
                    raise EvaluationFailed(f"the durable_rules channel failed ({type(e).__name__})") from None
                finally:
                    self._host.delete_state(name, sid)
            fired = sorted({i for i in self._fired if i >= 0})
        return frozenset(self.rule_ids[i] for i in fired)
