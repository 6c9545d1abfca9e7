"""The fast channel: conditions compiled to plain Python with three-valued logic.

Each ruleset's conditions become one generated Python function (source built from the
validated model: fact ids match ``[a-z][a-z0-9_]*`` and operands are integers or booleans,
so nothing from a file is executed as code). It returns one truth value per rule: True,
False, or None when unknown facts leave the answer open. That is what lets the decision
layer ask the questions that could raise the level, and what bulk work (diff, variation,
benchmarks) runs on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from engine.evaluate.channels import Truth
from engine.evaluate.channels.operands import OPERATORS, channel_operand
from engine.model.condition import AllOf, AnyOf, Condition, FactTest, NotOf
from engine.model.vocabulary import Normalised, Vocabulary


class _Emitter:
    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.lines: list[str] = []
        self.fact_vars: dict[str, str] = {}
        self.n = 0

    def var(self, fact: str) -> str:
        if fact not in self.fact_vars:
            self.fact_vars[fact] = f"v{len(self.fact_vars)}"
        return self.fact_vars[fact]

    def tmp(self, expr: str) -> str:
        name = f"t{self.n}"
        self.n += 1
        self.lines.append(f"    {name} = {expr}")
        return name

    def emit(self, cond: Condition) -> str:
        if isinstance(cond, FactTest):
            v = self.var(cond.fact)
            operand = channel_operand(cond, self.vocab)
            test = f"{v} {OPERATORS[cond.operator].python} {operand!r}"
            return self.tmp(f"None if {v} is None else ({test})")
        if isinstance(cond, AllOf):
            parts = [self.emit(c) for c in cond.all]
            if len(parts) == 1:
                return parts[0]
            false = " or ".join(f"{p} is False" for p in parts)
            unknown = " or ".join(f"{p} is None" for p in parts)
            return self.tmp(f"False if ({false}) else (None if ({unknown}) else True)")
        if isinstance(cond, AnyOf):
            parts = [self.emit(c) for c in cond.any]
            if len(parts) == 1:
                return parts[0]
            true = " or ".join(f"{p} is True" for p in parts)
            unknown = " or ".join(f"{p} is None" for p in parts)
            return self.tmp(f"True if ({true}) else (None if ({unknown}) else False)")
        assert isinstance(cond, NotOf)
        inner = self.emit(cond.not_)
        return self.tmp(f"None if {inner} is None else (not {inner})")


def compile_source(conditions: Sequence[Condition], vocab: Vocabulary, name: str = "evaluate") -> str:
    """Python source of one function ``name(facts) -> tuple[Truth, ...]``."""
    em = _Emitter(vocab)
    results = [em.emit(c) for c in conditions]
    head = [f"def {name}(f):", "    g = f.get"]
    head += [f"    {var} = g({fact!r})" for fact, var in em.fact_vars.items()]
    tail = ["    return (" + "".join(f"{r}, " for r in results) + ")"]
    return "\n".join(head + em.lines + tail) + "\n"


def compile_conditions(
    conditions: Sequence[Condition], vocab: Vocabulary, label: str = "ruleset"
) -> Callable[[Mapping[str, Normalised]], tuple[Truth, ...]]:
    source = compile_source(conditions, vocab)
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<thresholds:{label}>", "exec"), namespace)  # noqa: S102 - generated from a validated model
    fn: Callable[[Mapping[str, Normalised]], tuple[Truth, ...]] = namespace["evaluate"]
    return fn


class FastChannel:
    """Three-valued evaluation of every rule of one ruleset version."""

    name = "python"

    def __init__(self, rule_ids: Sequence[str], conditions: Sequence[Condition], vocab: Vocabulary,
                 label: str = "ruleset") -> None:
        self.rule_ids = tuple(rule_ids)
        self._fn = compile_conditions(conditions, vocab, label)

    def truth(self, facts: Mapping[str, Normalised]) -> tuple[Truth, ...]:
        """One truth value per rule, in ``rule_ids`` order."""
        return self._fn(facts)

    def matches(self, facts: Mapping[str, Normalised]) -> frozenset[str]:
        return frozenset(rid for rid, t in zip(self.rule_ids, self._fn(facts)) if t is True)
