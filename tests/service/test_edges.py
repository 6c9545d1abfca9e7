"""Host header, sign-in redirect, rate limits and HSTS: the edges an outside battery found open.

Local development mode answered any Host header (so a page elsewhere could reach it by DNS
rebinding), ``next=/\\t/evil.example/`` after sign-in redirected to another site and a newline
in ``next`` gave 500, and nothing was rate limited.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from service.config import ConfigError
from tests.service.conftest import Keys, app_for, make_keys


@pytest.mark.parametrize("auth", ["off", "keys"])
@pytest.mark.parametrize("host,ok", [("localhost", True), ("127.0.0.1:8000", True), ("evil.example", False),
                                     ("localhost.evil.example:8000", False), ("127.0.0.1.nip.io", False),
                                     ("a b", False)])
def test_on_loopback_only_loopback_host_names_are_answered(tmp_path: Path, auth: str, host: str, ok: bool) -> None:
    app = app_for(tmp_path, auth=auth)
    c = app.test_client()
    for path in ("/api/v1/health", "/", "/api/v1/rulesets"):
        r = c.get(path, headers={"Host": host})
        if ok:
            assert r.status_code in (200, 401), (path, r.status_code)
        else:
            assert r.status_code == 400 and r.mimetype == "application/problem+json", (path, r.status_code)
            assert "not trusted" in r.json["detail"]


def test_beyond_loopback_the_trusted_hosts_must_be_configured(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="THRESHOLDS_TRUSTED_HOSTS"):
        app_for(tmp_path, host="0.0.0.0")
    with pytest.raises(ConfigError, match="only loopback"):
        app_for(tmp_path, auth="off", trusted_hosts="thresholds.example.gov.uk")
    app = app_for(tmp_path, host="0.0.0.0", trusted_hosts="thresholds.example.gov.uk")
    c = app.test_client()
    r = c.get("/api/v1/health", headers={"Host": "thresholds.example.gov.uk"})
    assert r.status_code == 200
    assert r.headers["Strict-Transport-Security"].startswith("max-age=")  # HSTS beyond loopback
    assert c.get("/api/v1/health", headers={"Host": "localhost"}).status_code == 400


def test_no_hsts_on_loopback(tmp_path: Path) -> None:
    r = app_for(tmp_path).test_client().get("/api/v1/health")
    assert r.status_code == 200 and "Strict-Transport-Security" not in r.headers


@pytest.mark.parametrize("target", ["/\t/evil.example/", "/%09/evil.example/", "//evil.example/", "/\\evil.example",
                                    "https://evil.example/", "/\n/evil", "/triage\r\nSet-Cookie: x=1", " /evil",
                                    "/\u2028evil", "javascript:alert(1)", "/" + "a" * 3000])
def test_sign_in_never_redirects_off_the_service(tmp_path: Path, target: str) -> None:
    for auth in ("off", "keys"):
        app = app_for(tmp_path / auth, auth=auth)
        c = app.test_client()
        if auth == "keys":
            key = make_keys(app).triage
            token = _csrf(c)
            r = c.post("/sign-in", data={"api_key": key, "next": target, "csrf_token": token})
        else:
            r = c.get("/sign-in", query_string={"next": target})
        assert r.status_code in (302, 303), (auth, r.status_code)
        # percent-encoded, '/%09/evil.example/' is a path on this service; anything else goes to the start
        expected = target if target.startswith("/%09") else "/"
        assert r.headers["Location"] == expected, (auth, target, r.headers["Location"])


def test_a_safe_next_is_kept(tmp_path: Path) -> None:
    r = app_for(tmp_path, auth="off").test_client().get("/sign-in", query_string={"next": "/triage/demo?x=1"})
    assert r.headers["Location"] == "/triage/demo?x=1"


def _csrf(c: object) -> str:
    import re

    page = c.get("/sign-in").get_data(as_text=True)  # type: ignore[attr-defined]
    m = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert m
    return m.group(1)


def test_rate_limits_per_key_with_a_separate_budget_for_expensive_endpoints(tmp_path: Path) -> None:
    app = app_for(tmp_path, rate_limits="on", rate_limit="6/minute", rate_limit_expensive="2/minute")
    keys = make_keys(app)
    c = app.test_client()
    policy, triage, admin = Keys.header(keys.policy), Keys.header(keys.triage), Keys.header(keys.admin)
    compare = {"rulesets": ["demo"], "facts": {}}
    assert [c.post("/api/v1/compare", json=compare, headers=policy).status_code for _ in range(2)] == [200, 200]
    r = c.post("/api/v1/compare", json=compare, headers=policy)
    assert r.status_code == 429 and r.mimetype == "application/problem+json"
    assert int(r.headers["Retry-After"]) > 0 and r.json["status"] == 429
    # matrix shares the expensive budget; the cheap ones still have theirs
    assert c.post("/api/v1/matrix", json={"rulesets": ["demo"]}, headers=policy).status_code == 429
    assert c.get("/api/v1/rulesets", headers=policy).status_code == 200
    # another key has its own budgets
    assert c.post("/api/v1/compare", json=compare, headers=triage).status_code == 200
    statuses = [c.get("/api/v1/rulesets", headers=admin).status_code for _ in range(8)]
    assert statuses[:6] == [200] * 6 and statuses[6:] == [429, 429]
    # health is never limited
    assert {c.get("/api/v1/health").status_code for _ in range(10)} == {200}


def test_no_rate_limits_on_loopback_by_default(tmp_path: Path) -> None:
    app = app_for(tmp_path, rate_limit="2/minute")
    keys = make_keys(app)
    c = app.test_client()
    assert {c.get("/api/v1/rulesets", headers=Keys.header(keys.triage)).status_code for _ in range(6)} == {200}


def test_a_bad_rate_is_refused_at_start(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="THRESHOLDS_RATE_LIMIT must be a rate"):
        app_for(tmp_path, rate_limit="lots")
