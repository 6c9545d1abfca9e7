"""Running the service under gunicorn, with SIGHUP meaning "reload the rulesets" in every worker.

gunicorn's own SIGHUP restarts the workers, and a worker whose rulesets fail to load cannot
start, after which gunicorn halts. So here the master validates the files itself, keeps a
copy of the last good ones under the instance folder (a worker that starts while the files
are broken serves that copy and reports degraded), and forwards SIGHUP to the workers, each
of which reloads in place keeping its last good rulesets.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import shutil
import signal
import threading
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter

from engine.errors import RulesetError
from engine.load.catalogue import Catalogue, bundled_root

log = logging.getLogger("thresholds.service")


def _digests(root: Path) -> dict[str, str]:
    """sha256 of every file under ``root`` (dot entries left out, as the copy leaves them out), by path."""
    out: dict[str, str] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith("."):
                path = Path(folder, name)
                out[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def snapshot(root: Path, dest: Path) -> None:
    """Validate ``root`` and copy it to ``dest`` (replaced whole); RulesetError if invalid.

    When ``dest`` already holds exactly the same files (same paths, same sha256) it is left as it
    is: a restart with unchanged rulesets writes nothing.
    """
    Catalogue.load(root)
    if dest.is_dir() and _digests(root) == _digests(dest):
        return
    tmp = dest.with_name(dest.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(root, tmp, ignore=shutil.ignore_patterns(".*"))
    old = dest.with_name(dest.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if dest.exists():
        dest.rename(old)
    tmp.rename(dest)
    shutil.rmtree(old, ignore_errors=True)


class _Arbiter(Arbiter):  # type: ignore[misc]
    root: Path
    last_good: Path

    def handle_hup(self) -> None:
        """Refresh the last good copy if the files are valid, then forward SIGHUP to the workers."""
        try:
            snapshot(self.root, self.last_good)
        except RulesetError as e:
            self.log.error("SIGHUP: ruleset files invalid (%d problems); the workers keep their rulesets",
                           len(e.problems))
        except Exception as e:  # noqa: BLE001 - the master must outlive any bad file or full disk
            self.log.error("SIGHUP: could not refresh the last good copy (%s); the workers keep their rulesets",
                           type(e).__name__)
        self.log.info("SIGHUP: asking %d workers to reload the rulesets", len(self.WORKERS))
        for pid in list(self.WORKERS):
            try:
                os.kill(pid, signal.SIGHUP)
            except ProcessLookupError:
                pass


class _Service(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any], root: Path, last_good: Path) -> None:
        self.options = options
        self.root = root
        self.last_good = last_good
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        """Build the app in the worker; a SIGHUP that arrives meanwhile is kept and acted on after."""
        pending = threading.Event()
        signal.signal(signal.SIGHUP, lambda *_: pending.set())
        from service import create_app

        gc.disable()  # building makes many objects and no garbage; collected normally from here on
        try:
            app = create_app()
        finally:
            gc.enable()
        live = app.extensions["thresholds"].live

        def reload(*_: Any) -> None:
            threading.Thread(target=live.reload, name="thresholds-reload", daemon=True).start()

        signal.signal(signal.SIGHUP, reload)
        if pending.is_set():
            reload()
        return app

    def run(self) -> None:
        arbiter = _Arbiter(self)
        arbiter.root = self.root
        arbiter.last_good = self.last_good
        arbiter.run()


def serve_with_gunicorn(host: str, port: int, workers: int, root: Path | None, instance: Path) -> int:
    base = root or bundled_root()
    last_good = instance.resolve() / "last-good-rulesets"
    instance.mkdir(parents=True, exist_ok=True)
    snapshot(base, last_good)  # RulesetError here: refuse to start, as in one process
    from service import import_app_code

    import_app_code()  # in the master, before the fork: workers start with the code loaded, build only the app
    os.environ["THRESHOLDS_GUNICORN_MASTER"] = str(os.getpid())
    os.environ["THRESHOLDS_FALLBACK_RULESETS"] = str(last_good)
    gc.freeze()  # see service.cli.serve.run: what the master made is never walked again, nor copied
    gc.enable()
    _Service({"bind": f"{host}:{port}", "workers": workers, "worker_class": "sync", "timeout": 30,
              "preload_app": False}, base, last_good).run()
    return 0
