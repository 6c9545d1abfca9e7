"""Real-browser fixtures: the real service on 127.0.0.1 and Debian's Chromium driven by Playwright.

The browser is /usr/bin/chromium (``make test`` installs it when missing; ``playwright install``
cannot download here and is not used). Each server is the real app factory under werkzeug's
threaded server on a free loopback port, with its own instance folder (SQLite record, keys).
Screenshots go to artifacts/web/ (gitignored) as test artefacts.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "web"

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        raise RuntimeError("/usr/bin/chromium is missing: `make test` installs it (apt-get install -y chromium)")
    pytest.skip("Debian chromium is not installed (make test installs it)", allow_module_level=True)

playwright_api = pytest.importorskip("playwright.sync_api")


class Server:
    """The service in a background thread; ``url(path)`` for addresses, ``app`` for set-up."""

    def __init__(self, app: Any) -> None:
        from werkzeug.serving import make_server

        self.app = app
        self.httpd = make_server("127.0.0.1", 0, app, threaded=True)
        self.base = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _server(tmp: Path, auth: str) -> Server:
    from service import create_app

    return Server(create_app({"AUTH": auth, "INSTANCE": str(tmp), "DURABLE": "1"}))


@pytest.fixture(scope="session")
def dev_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Local development mode (no sign-in), as `make serve` runs."""
    s = _server(tmp_path_factory.mktemp("web-dev"), "off")
    yield s
    s.stop()


@pytest.fixture(scope="session")
def keys_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """API keys required: pages need sign-in."""
    s = _server(tmp_path_factory.mktemp("web-keys"), "keys")
    yield s
    s.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    """A fresh context per test (no cookies carried over), failing on any console error (e.g. CSP)."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    errors: list[str] = []
    expected = ("status of 400", "status of 401", "status of 403", "status of 422")  # error pages the tests ask for

    def console(m: Any) -> None:
        if m.type == "error" and not any(e in m.text for e in expected):
            errors.append(m.text)

    pg.on("console", console)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    ctx.close()
    assert not errors, f"browser console errors: {errors}"


@pytest.fixture(scope="session")
def axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def check_page(page: Any, axe: Any, name: str) -> None:
    """Zero axe-core violations on the page as it stands, and a full-page screenshot saved."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tall = page.evaluate("document.documentElement.scrollHeight") > 8000  # huge captures cost seconds each
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=not tall)
    results = axe.run(page)
    assert results.violations_count == 0, f"axe violations on {name} ({page.url}):\n{results.generate_report()}"
