"""The bundled rulesets, loaded and compiled once per test session.

Property and differential tests iterate over *every* bundled ruleset (more authorities are
added over time, and each must satisfy the same safety properties without new test code).
Compiling durable_rules hosts is cheap but each one lives for the process, so they are
shared rather than rebuilt per test.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from engine.evaluate.evaluator import Evaluator
from engine.load.catalogue import Catalogue, LoadedRuleset

MINI = Path(__file__).parent / "fixtures" / "mini"


@cache
def catalogue() -> Catalogue:
    return Catalogue.load()


@cache
def live_evaluator() -> Evaluator:
    """Both channels, cross-checked: what the service runs."""
    return Evaluator(catalogue())


@cache
def fast_evaluator() -> Evaluator:
    """The fast channel only (its agreement with durable_rules is tests/test_differential.py)."""
    return Evaluator(catalogue(), with_durable=False)


def keys() -> list[str]:
    """``id@version`` of every bundled ruleset version, for test parametrisation."""
    return [r.key for r in catalogue().all()]


def ruleset(key: str) -> LoadedRuleset:
    rid, version = key.split("@", 1)
    return catalogue().select(rid, version=version)
