"""Running the service under gunicorn, with SIGHUP meaning "reload the rulesets" in every worker."""

from __future__ import annotations

import os
import signal
import threading
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter


class _Arbiter(Arbiter):  # type: ignore[misc]
    def handle_hup(self) -> None:
        """Forward SIGHUP to the workers (each reloads, keeping its last good rulesets)."""
        self.log.info("SIGHUP: asking %d workers to reload the rulesets", len(self.WORKERS))
        for pid in list(self.WORKERS):
            try:
                os.kill(pid, signal.SIGHUP)
            except ProcessLookupError:
                pass


def _post_worker_init(worker: Any) -> None:
    app = worker.wsgi
    live = app.extensions["thresholds"].live
    signal.signal(signal.SIGHUP, lambda *_: threading.Thread(target=live.reload, daemon=True).start())


class _Service(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from service.app import create_app

        return create_app()

    def run(self) -> None:
        _Arbiter(self).run()


def serve_with_gunicorn(host: str, port: int, workers: int) -> int:
    os.environ["THRESHOLDS_GUNICORN_MASTER"] = str(os.getpid())
    _Service({"bind": f"{host}:{port}", "workers": workers, "worker_class": "sync", "timeout": 30,
              "post_worker_init": _post_worker_init, "preload_app": False}).run()
    return 0
