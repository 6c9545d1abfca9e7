"""``thresholds serve``: the service under gunicorn, on loopback with embedded defaults.

Always gunicorn (the production server; Werkzeug's development server is never used), with one
worker by default and ``--workers N`` for more, each building its own app after the fork
(durable_rules hosts are never shared across a fork). SIGHUP reloads the rulesets keeping the
last good on error, by forwarding the signal to every worker (gunicorn's own SIGHUP would
restart workers, and a worker whose rulesets fail to load could not start at all).
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
from typing import Any

from service.config import is_loopback

log = logging.getLogger("thresholds.service")


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "serve", help="run the service under gunicorn (default http://127.0.0.1:8000/)",
        description="Run the service with the bundled rulesets and an embedded SQLite decision record "
        "(THRESHOLDS_DATABASE_URL for PostgreSQL). On a loopback address without THRESHOLDS_AUTH it runs "
        "in local development mode (no API keys), and says so.")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--workers", type=_workers, default=1, metavar="N",
                   help="gunicorn worker processes (default 1)")
    p.add_argument("--auth", choices=["keys", "off"], default=None,
                   help="'keys' to require API keys; 'off' (loopback only) for local development. "
                   "Default: THRESHOLDS_AUTH, else 'off' on loopback and 'keys' elsewhere")
    p.set_defaults(handler=run)


def _workers(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of workers") from None
    if not 1 <= n <= 64:
        raise argparse.ArgumentTypeError(f"workers must be between 1 and 64, not {n}")
    return n


def run(args: argparse.Namespace) -> int:
    # The fork pattern of the gc module's documentation: no cyclic collection while the master
    # checks the settings, database and files and imports the app code (many long-lived objects,
    # no garbage), then everything it made is frozen just before gunicorn forks (in
    # serve_with_gunicorn), so no collection in master or worker walks those objects again and
    # their memory pages stay shared. A worker also builds its app with collection paused. Together
    # they take about a fifth off the time to a service that answers (docs/performance.md).
    gc.disable()
    try:
        return _run(args)
    finally:
        gc.enable()


def _run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    os.environ["THRESHOLDS_HOST"] = args.host
    if args.auth:
        os.environ["THRESHOLDS_AUTH"] = args.auth
    elif "THRESHOLDS_AUTH" not in os.environ:
        os.environ["THRESHOLDS_AUTH"] = "off" if is_loopback(args.host) else "keys"
    if getattr(args, "rulesets", None):
        os.environ["THRESHOLDS_RULESETS"] = args.rulesets
    from service.config import load_settings
    from service.store.database import connect

    settings = load_settings()  # refuse bad settings before starting anything
    connect(settings.database_url).dispose()  # create the tables once, before any worker starts
    from service.cli.gunicorn import serve_with_gunicorn

    log.info("serving pages on http://%s:%d/ (triage, compare, policy) and the API under /api/v1 "
             "(docs at /api/v1/docs) with gunicorn, %d worker(s); SIGHUP reloads the rulesets",
             args.host, args.port, args.workers)
    return serve_with_gunicorn(args.host, args.port, args.workers, settings.rulesets, settings.instance)
