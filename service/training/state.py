"""What a scenario has said so far: the referral, the authority, the evaluations, the expectations.

Steps only ever change a :class:`ScenarioState`. In "check" mode (the pytest run) When steps
evaluate on the real live evaluator (both channels, cross-checked) and Then steps assert; in
"collect" mode (the linter, trainee mode) When steps only resolve the ruleset and Then steps
record what is expected, so a feature file can be validated or turned into an exercise
without giving away or needing an answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

from engine.evaluate.evaluator import Evaluator
from engine.evaluate.suggestion import Suggestion
from engine.load.catalogue import Catalogue, LoadedRuleset
from engine.model.vocabulary import FactValue
from service.training.registry import StepError
from service.training.wording import LevelTarget, resolve_authority

Mode = Literal["check", "collect"]


class Runtime:
    """The bundled catalogue and one live evaluator, built once and shared by every scenario."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = root

    @cached_property
    def catalogue(self) -> Catalogue:
        return Catalogue.load(self.root)

    @cached_property
    def evaluator(self) -> Evaluator:
        return Evaluator(self.catalogue)

    @classmethod
    def serving(cls, evaluator: Evaluator) -> Runtime:
        """A runtime on an evaluator already compiled (the service's), so no durable host is built lazily
        in a server thread (notes: durable_rules hosts must exist before threads call into durable)."""
        rt = cls(evaluator.catalogue.root)
        rt.__dict__["catalogue"] = evaluator.catalogue
        rt.__dict__["evaluator"] = evaluator
        return rt

    def evaluator_for(self, rulesets: list[LoadedRuleset]) -> Evaluator:
        """A live evaluator compiling only ``rulesets`` (trainee mode needs a few, not every council)."""
        if "evaluator" in self.__dict__:
            return self.evaluator
        cat = self.catalogue
        unique = list({r.sha256: r for r in rulesets}.values())
        return Evaluator(Catalogue(cat.root, cat.vocabulary, cat.national, unique))


_RUNTIMES: dict[str, Runtime] = {}


def shared_runtime(root: Path | str | None = None) -> Runtime:
    key = str(root or "")
    if key not in _RUNTIMES:
        _RUNTIMES[key] = Runtime(root)
    return _RUNTIMES[key]


@dataclass
class Evaluation:
    """One evaluation of the scenario's referral under one ruleset version."""

    loaded: LoadedRuleset
    suggestion: Suggestion | None  # None in collect mode


@dataclass(frozen=True)
class Expectation:
    """A level a Then step expects: exactly, at least or at most, under one authority or all."""

    relation: Literal["exact", "at_least", "at_most"]
    target: LevelTarget
    authority: str | None


@dataclass
class ScenarioState:
    runtime: Runtime
    mode: Mode = "check"
    facts: dict[str, FactValue] = field(default_factory=dict)
    unknown: set[str] = field(default_factory=set)
    authority: str | None = None
    version: str | None = None
    as_of: dt.date | None = None
    evaluations: dict[str, Evaluation] = field(default_factory=dict)
    expectations: list[Expectation] = field(default_factory=list)

    @property
    def catalogue(self) -> Catalogue:
        return self.runtime.catalogue

    # --- the referral ---------------------------------------------------------------------
    def set_fact(self, fact_id: str, value: FactValue | None) -> None:
        """Report a fact (``None``: explicitly not known). Saying two different things is an error."""
        if self.evaluations:
            raise StepError("facts must be given before the referral is evaluated")
        known = self.facts.get(fact_id)
        if value is None:
            if fact_id in self.facts:
                raise StepError(f"'{fact_id}' was already given as {known!r}; it cannot also be not known")
            self.unknown.add(fact_id)
            return
        if fact_id in self.unknown:
            raise StepError(f"'{fact_id}' was already given as not known")
        if fact_id in self.facts and known != value:
            raise StepError(f"'{fact_id}' was already given as {known!r}; it cannot also be {value!r}")
        self.facts[fact_id] = value

    def referral(self) -> dict[str, FactValue | None]:
        out: dict[str, FactValue | None] = dict(self.facts)
        out.update({f: None for f in sorted(self.unknown)})
        return out

    # --- the authority ----------------------------------------------------------------------
    def choose_authority(self, name: str) -> str:
        rid = resolve_authority(self.catalogue, name)
        if self.authority is not None and self.authority != rid:
            raise StepError(f"the authority was already given as {self.authority}")
        self.authority = rid
        return rid

    def ruleset(self, authority: str | None = None, version: str | None = None,
                as_of: dt.date | None = None) -> LoadedRuleset:
        rid = resolve_authority(self.catalogue, authority) if authority else self.authority
        if rid is None:
            raise StepError("no authority given: write 'Given the authority is <name>' or "
                            "'When the referral is evaluated under <name>'")
        same = rid == self.authority
        named = version or (self.version if same else None)
        return self.catalogue.select(rid, version=named, as_of=None if named else as_of or self.as_of)

    # --- evaluation -------------------------------------------------------------------------
    def evaluate(self, loaded: LoadedRuleset) -> Evaluation:
        """Evaluate the referral under ``loaded`` (live, both channels) unless only collecting."""
        suggestion = None
        if self.mode == "check":
            suggestion = self.runtime.evaluator.evaluate(loaded, self.referral())
        else:
            loaded.vocabulary.normalise(self.referral())  # still reject bad facts
        ev = Evaluation(loaded, suggestion)
        self.evaluations[loaded.id] = ev
        return ev

    def results(self, authority: str | None = None) -> list[Evaluation]:
        """The evaluations a Then step talks about: one authority's, or all of them."""
        if not self.evaluations:
            raise StepError("nothing has been evaluated yet: add 'When the referral is evaluated'")
        if authority is None:
            return list(self.evaluations.values())
        rid = resolve_authority(self.catalogue, authority)
        if rid not in self.evaluations:
            self.evaluate(self.ruleset(rid))
        return [self.evaluations[rid]]
