"""``thresholds serve``: the service on loopback with embedded defaults, or gunicorn workers.

One process (the default) runs werkzeug's threaded server; ``--workers N`` (N > 1) runs
gunicorn with N worker processes, each building its own app after the fork (durable_rules
hosts are never shared across a fork). SIGHUP reloads the rulesets keeping the last good on
error: in one process directly, under gunicorn by forwarding the signal to every worker
(gunicorn's own SIGHUP would restart workers, and a worker whose rulesets fail to load could
not start at all).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import threading
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
    p.add_argument("--workers", type=int, default=1, metavar="N", help="N > 1 runs gunicorn with N workers")
    p.add_argument("--auth", choices=["keys", "off"], default=None,
                   help="'keys' to require API keys; 'off' (loopback only) for local development. "
                   "Default: THRESHOLDS_AUTH, else 'off' on loopback and 'keys' elsewhere")
    p.set_defaults(handler=run)


def _reload_in_thread(app: Any) -> None:
    """Reload off the signal handler: the handler may interrupt a thread holding the lock."""
    live = app.extensions["thresholds"].live
    threading.Thread(target=live.reload, name="thresholds-reload", daemon=True).start()


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    os.environ["THRESHOLDS_HOST"] = args.host
    if args.auth:
        os.environ["THRESHOLDS_AUTH"] = args.auth
    elif "THRESHOLDS_AUTH" not in os.environ:
        os.environ["THRESHOLDS_AUTH"] = "off" if is_loopback(args.host) else "keys"
    if getattr(args, "rulesets", None):
        os.environ["THRESHOLDS_RULESETS"] = args.rulesets
    from service.config import load_settings
    from service.database import connect

    settings = load_settings()  # refuse bad settings before starting anything
    connect(settings.database_url).dispose()  # create the tables once, before any worker starts
    if args.workers > 1:
        from service.cli.gunicorn import serve_with_gunicorn

        return serve_with_gunicorn(args.host, args.port, args.workers, settings.rulesets, settings.instance)
    from werkzeug.serving import make_server

    from service.app import create_app

    app = create_app()
    server = make_server(args.host, args.port, app, threaded=True)
    signal.signal(signal.SIGHUP, lambda *_: _reload_in_thread(app))
    log.info("serving pages on http://%s:%d/ (triage, compare, policy) and the API under /api/v1 "
             "(docs at /api/v1/docs); SIGHUP reloads the rulesets",
             args.host, server.server_port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
