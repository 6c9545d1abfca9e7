"""A reload while triage and compare pages are being served never gives a 500.

The pages used to choose the ruleset version from the live catalogue and then evaluate it
with the live evaluator under a second hold of the lock: a reload that changed the file in
between left them evaluating a version the new evaluator had never compiled, which raised
outside the fail-closed path (a bare 500). Here a real threaded server on 127.0.0.1 serves
the triage journey, its result and the compare page while the admin endpoint reloads a
ruleset that changes on every reload; the API's evaluate and compare run alongside. Bounded in requests and in time.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from tests.service.conftest import MINI, Server, app_for

RELOADS = 30
DEADLINE_SECONDS = 120.0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Browser:
    """A client that keeps the session cookie and reports every status (redirects are not followed).

    The session cookie is Secure, which browsers send to http://127.0.0.1 but http.cookiejar
    does not, so it is kept here by hand.
    """

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookie = ""
        self.opener = urllib.request.build_opener(_NoRedirect())

    def call(self, path: str, form: list[tuple[str, str]] | None = None,
             body: dict[str, object] | None = None) -> tuple[int, str, str]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        sent = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            data, sent["Content-Type"] = json.dumps(body).encode(), "application/json"
        req = urllib.request.Request(self.base + path, data=data, headers=sent)
        try:
            with self.opener.open(req, timeout=30) as r:
                status, headers, body = r.status, r.headers, r.read().decode()
        except urllib.error.HTTPError as e:
            status, headers, body = e.code, e.headers, e.read().decode()
        for header in headers.get_all("Set-Cookie") or []:
            self.cookie = header.split(";", 1)[0]
        return status, headers.get("Location", ""), body

    def csrf(self, path: str) -> str:
        status, _, page = self.call(path)
        assert status == 200, (path, status)
        m = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert m is not None, f"no CSRF token on {path}"
        return m.group(1)


def _rulesets(tmp: Path) -> Path:
    """The mini rulesets plus a second authority, so the compare page has two to compare."""
    root = tmp / "rulesets"
    shutil.copytree(MINI, root)
    other = root / "england" / "other"
    other.mkdir()
    text = (root / "england" / "demo" / "1.yaml").read_text()
    (other / "1.yaml").write_text(text.replace("id: demo", "id: other").replace("Demo Council", "Other Council"))
    return root


def test_reloads_during_triage_and_compare_pages_never_give_a_500(tmp_path: Path) -> None:
    root = _rulesets(tmp_path)
    demo = root / "england" / "demo" / "1.yaml"
    good = demo.read_text()
    variants = [good, good.replace("Frequently missing", "Frequently missing from home")]
    app = app_for(tmp_path, auth="off")
    with Server(app) as server:
        user = Browser(server.url)
        status, where, _ = user.call("/triage", [("csrf_token", user.csrf("/triage")), ("ruleset", "demo")])
        assert status == 303 and "/triage/" in where, (status, where)
        journey = urllib.parse.urlparse(where).path.split("/")[2]
        token = user.csrf("/compare")

        statuses: list[tuple[str, int]] = []
        reloaded: list[str] = []
        done = threading.Event()
        started = time.monotonic()

        def reloader() -> None:
            admin = Browser(server.url)
            try:
                for i in range(RELOADS):
                    if time.monotonic() - started > DEADLINE_SECONDS:
                        break
                    demo.write_text(variants[(i + 1) % 2])
                    code, _, body = admin.call("/api/v1/admin/reload", [])
                    reloaded.append(f"{code} {'reloaded' if 'reloaded' in body else body[:80]}")
            finally:
                done.set()

        def pages() -> None:
            facts = {"missing_from_home": "frequent"}
            while not done.is_set() and time.monotonic() - started < DEADLINE_SECONDS:
                for path, form, body in (
                        (f"/triage/{journey}/result", None, None), (f"/triage/{journey}/next", None, None),
                        ("/compare", [("csrf_token", token), ("rulesets", "demo"), ("rulesets", "other")], None),
                        ("/api/v1/evaluate", None, {"ruleset": "demo", "facts": facts}),
                        ("/api/v1/compare", None, {"facts": facts})):
                    statuses.append((path, user.call(path, form, body)[0]))

        threads = [threading.Thread(target=reloader)] + [threading.Thread(target=pages) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(DEADLINE_SECONDS + 30)
        assert not any(t.is_alive() for t in threads), "the requests did not finish in time"

    assert reloaded and all(r == "200 reloaded" for r in reloaded), reloaded[:5]
    assert len(reloaded) == RELOADS, f"only {len(reloaded)} reloads within {DEADLINE_SECONDS} s"
    assert statuses, "no page was requested"
    failed = [(p, s) for p, s in statuses if s >= 500]
    assert not failed, f"{len(failed)} of {len(statuses)} page requests failed: {failed[:5]}"
    assert {s for _, s in statuses} <= {200, 303}, sorted({s for _, s in statuses})
    served = {p.rsplit("/", 1)[-1] for p, _ in statuses}
    assert served == {"result", "next", "compare", "evaluate"}
