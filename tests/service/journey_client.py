"""A worker's web triage journey driven through the real app's test client (real Flask, real SQLite).

Shared by the journey tests: choosing the council, posting a step with its CSRF token, and
reading what a page shows by element id (the standard library's HTML parser: no new package).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service.store.database import journeys

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(html: str) -> str:
    m = CSRF.search(html)
    assert m, "no CSRF token on the page"
    return m.group(1)


class _ById(HTMLParser):
    """The text of each element with an id (nested elements' text included), whitespace collapsed."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str | None, str]] = []
        self.text: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "img", "input", "meta", "link", "hr", "wbr", "source"):
            return
        eid = dict(attrs).get("id")
        self.open.append((eid, tag))
        if eid:
            self.text.setdefault(eid, [])

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            _, t = self.open.pop()
            if t == tag:
                break

    def handle_data(self, data: str) -> None:
        for eid, _ in self.open:
            if eid:
                self.text[eid].append(data)


def texts(html: str) -> dict[str, str]:
    p = _ById()
    p.feed(html)
    return {k: " ".join("".join(v).split()) for k, v in p.text.items()}


class WebJourney:
    """One worker's journey: every POST follows the app's redirects (Post/Redirect/Get) to a page."""

    def __init__(self, client: FlaskClient, ruleset: str = "kent") -> None:
        self.client = client
        page = client.get("/triage")
        assert page.status_code == 200, page.status_code
        r = client.post("/triage", data={"csrf_token": csrf(page.get_data(as_text=True)), "ruleset": ruleset})
        assert r.status_code == 303, r.get_data(as_text=True)[:500]
        self.id = r.headers["Location"].split("/")[2]
        self.url = self.follow(r.headers["Location"])

    def follow(self, location: str) -> str:
        """Follow redirects to the page they end on; its path."""
        while True:
            r = self.client.get(location)
            if r.status_code != 303:
                assert r.status_code == 200, (location, r.status_code, r.get_data(as_text=True)[:500])
                self.html = r.get_data(as_text=True)
                return location.split("#")[0]
            location = r.headers["Location"]

    def post(self, form: dict[str, str | list[str]], action: str = "continue", path: str | None = None) -> str:
        """Send the current page (or ``path``) with ``form``; the path of the page it leads to."""
        target = path or self.url
        if path is not None:
            self.html = self.client.get(path).get_data(as_text=True)
        r = self.client.post(target, data={"csrf_token": csrf(self.html), "action": action, **form})
        assert r.status_code == 303, (target, r.status_code, r.get_data(as_text=True)[:800])
        self.url = self.follow(r.headers["Location"])
        return self.url

    @property
    def at_result(self) -> bool:
        return self.url.endswith("/result")

    def state(self, app: Flask) -> dict[str, Any]:
        """The journey as kept in the database (the test reads the real row)."""
        with app.extensions["thresholds"].record.engine.connect() as conn:
            row = conn.execute(select(journeys.c.state).where(journeys.c.id == self.id)).first()
        assert row is not None, "the journey is not in the database"
        state: dict[str, Any] = json.loads(row[0])
        return state
