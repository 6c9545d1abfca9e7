"""The Flask application factory: settings, rulesets, record and routes wired together.

This is the composition root: it imports everything and nothing imports it (the routes reach
the shared services through :func:`service.context.services`; ``service.create_app`` imports
it lazily, and the layering contract in pyproject.toml checks the rest).

Everything slow or stateful happens here, before any request thread runs: the catalogue is
loaded and every ruleset version is compiled into both channels (durable_rules hosts must
not be created lazily in server threads), and the database is opened. A bad ruleset folder
or an unusable database stops start-up with a clear message.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask

from service import limits, problems
from service.config import load_settings
from service.context import Live, Services
from service.store.database import connect
from service.store.decision import Decisions
from service.store.keys import KeyStore
from service.store.practice import PracticeRecord
from service.store.record import DecisionRecord

log = logging.getLogger("thresholds.service")


def import_code() -> None:
    """Import every module the app is built from, building nothing (no app, no rulesets, no database).

    ``thresholds serve`` calls this in gunicorn's master before it forks, so each worker starts
    with the code already in memory and only builds its own app: importing Flask, SQLAlchemy,
    pydantic models and the routes took most of a worker's start-up. Safe because importing
    starts no thread and opens nothing (tests/service/test_startup.py checks it); every
    durable_rules host is still built in the worker, after the fork.
    """
    from service.api import blueprints

    blueprints()


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """A ready service. ``config`` keys are THRESHOLDS_* names without the prefix."""
    settings = load_settings(config)
    app = Flask("service", instance_path=str(settings.instance.resolve()))
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.config["TRUSTED_HOSTS"] = list(settings.trusted_hosts)  # any other Host header: 400
    app.config["THRESHOLDS_SETTINGS"] = settings
    app.config["THRESHOLDS_MAX_JSON_DEPTH"] = settings.max_json_depth
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.url_map.strict_slashes = False
    live = Live(settings.rulesets, settings.evaluation_budget_seconds, settings.with_durable,
                settings.fallback_rulesets)
    engine = connect(settings.database_url)
    app.extensions["thresholds"] = Services(settings, live, DecisionRecord(engine), KeyStore(engine),
                                            Decisions(engine, settings.reason_codes), PracticeRecord(engine))
    problems.install(app)
    from service.api import blueprints

    for bp in blueprints():
        app.register_blueprint(bp)
    limits.install(app, settings)  # after the routes: it wraps the expensive ones
    if settings.dev_mode:
        log.warning("LOCAL DEVELOPMENT MODE: API keys are not checked; every request acts as 'local-dev' "
                    "(admin). Allowed only on loopback (%s).", settings.host)
    log.info("service ready rulesets=%d versions=%d database=%s", len(live.catalogue.ids()),
             len(live.catalogue.all()), engine.url.get_backend_name())
    return app
