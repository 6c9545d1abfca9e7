"""The services every route shares: the rulesets in service (swapped whole on reload), the
record, the key store, decisions and practice figures, reached through :func:`services`.

``Live`` holds one catalogue and the evaluator compiled from it. A reload validates every
file first (the catalogue loads completely or raises); on any error the last good catalogue
stays in service and the error is kept for health to report ("degraded"). Unchanged files
(the same sha256 for every version) are not recompiled.

durable_rules hosts must not be built while other threads call into durable (see
notes/durable-rules.md), so evaluations hold a shared lock and the compile-and-swap holds it
exclusively; validation, the slow part, runs without the lock.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app

from engine.errors import Problem, RulesetError
from engine.evaluate.evaluator import Evaluator
from engine.load.catalogue import Catalogue
from service.config import Settings
from service.store.decision import Decisions
from service.store.keys import KeyStore
from service.store.practice import PracticeRecord
from service.store.record import DecisionRecord

log = logging.getLogger("thresholds.service")


class _SharedLock:
    """Many readers or one writer; a waiting writer blocks new readers so it cannot starve."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._waiting = 0

    @contextmanager
    def shared(self) -> Iterator[None]:
        with self._cond:
            while self._writing or self._waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._cond:
            self._waiting += 1
            while self._writing or self._readers:
                self._cond.wait()
            self._waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


@dataclass(frozen=True)
class ReloadResult:
    status: str  # "reloaded" | "unchanged" | "rejected"
    at: str
    problems: list[Problem] = field(default_factory=list)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Live:
    """The catalogue and evaluator in service, with the outcome of the last reload."""

    def __init__(self, root: Path | None, budget: float, with_durable: bool, fallback: Path | None = None) -> None:
        self.root = root
        self.budget = budget
        self.with_durable = with_durable
        self._lock = _SharedLock()
        self._reload_lock = threading.Lock()
        self.last_reload: ReloadResult | None = None
        try:
            catalogue = Catalogue.load(root)
        except RulesetError as e:
            if fallback is None:
                raise  # nothing good to fall back on: refuse to start
            # A worker (re)started while the files are broken: serve the last copy the master
            # validated, and say so in health. (The loaders let only RulesetError out.)
            log.error("rulesets invalid at start-up problems=%d; serving the last good copy", len(e.problems))
            catalogue = Catalogue.load(fallback)
            self.last_reload = ReloadResult("rejected", _now(), list(e.problems))
        self.evaluator = Evaluator(catalogue, budget, with_durable)
        self.loaded_at = _now()

    @property
    def catalogue(self) -> Catalogue:
        return self.evaluator.catalogue

    @contextmanager
    def using(self) -> Iterator[Evaluator]:
        """The current evaluator, guaranteed not to be rebuilt while the block runs."""
        with self._lock.shared():
            yield self.evaluator

    @property
    def degraded(self) -> bool:
        return self.last_reload is not None and self.last_reload.status == "rejected"

    def reload(self) -> ReloadResult:
        """Validate every file, then swap; keep the last good catalogue on any error."""
        with self._reload_lock:
            try:
                catalogue = Catalogue.load(self.root)
            except RulesetError as e:
                log.error("reload rejected problems=%d; still serving the last good rulesets", len(e.problems))
                self.last_reload = ReloadResult("rejected", _now(), list(e.problems))
                return self.last_reload
            except Exception as e:  # noqa: BLE001 - a reload must never take the service down
                log.error("reload failed type=%s; still serving the last good rulesets", type(e).__name__)
                self.last_reload = ReloadResult("rejected", _now(), [Problem(
                    str(self.root or self.catalogue.root), 1, 1,
                    f"the rulesets could not be loaded ({type(e).__name__})")])
                return self.last_reload
            if {r.sha256 for r in catalogue.all()} == {r.sha256 for r in self.catalogue.all()}:
                self.last_reload = ReloadResult("unchanged", _now())
                log.info("reload: rulesets unchanged")
                return self.last_reload
            with self._lock.exclusive():
                try:
                    self.evaluator = Evaluator(catalogue, self.budget, self.with_durable)
                except Exception as e:  # noqa: BLE001 - a compile failure must not take the service down
                    log.error("reload compile failed type=%s; still serving the last good rulesets",
                              type(e).__name__)
                    self.last_reload = ReloadResult(
                        "rejected", _now(), [Problem(str(self.catalogue.root), 1, 1,
                                                     f"the rulesets could not be compiled ({type(e).__name__})")])
                    return self.last_reload
            self.loaded_at = _now()
            self.last_reload = ReloadResult("reloaded", self.loaded_at)
            log.info("reloaded rulesets versions=%d", len(catalogue.all()))
            return self.last_reload

    def health(self) -> dict[str, Any]:
        last = self.last_reload
        return {
            "status": "degraded" if self.degraded else "ok",
            "loaded_at": self.loaded_at,
            "rulesets": [{"id": r.id, "version": r.version, "sha256": r.sha256} for r in self.catalogue.all()],
            "last_reload": None if last is None else {
                "status": last.status, "at": last.at,
                "errors": [{"file": p.file, "line": p.line, "column": p.column, "detail": p.message}
                           for p in last.problems]},
        }


@dataclass
class Services:
    """What the routes use: settings, the live rulesets, the record, the key store, decisions and practice figures."""

    settings: Settings
    live: Live
    record: DecisionRecord
    keys: KeyStore
    decisions: Decisions
    practice: PracticeRecord


def services() -> Services:
    """The current app's shared services (made once by the composition root, service.app)."""
    svc: Services = current_app.extensions["thresholds"]
    return svc
